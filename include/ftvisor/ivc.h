/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inter-VM channel device as a guest sees it (docs/ivc.md): an ivshmem-like PCI endpoint
 * behind an emulated ECAM host bridge. Shared by the hypervisor, the config tool (guest
 * device trees), the bare-metal guest library and the Linux tools. Plain C, no includes.
 */
#ifndef FTVISOR_IVC_H
#define FTVISOR_IVC_H

/* Guest-physical layout, the same in every VM that belongs to a channel. */
#define IVC_ECAM_IPA 0x3f000000ULL	/* bus 0 only: 32 devices x 8 functions x 4 KiB */
#define IVC_ECAM_SIZE 0x00100000ULL
#define IVC_MMIO32_IPA 0x10000000ULL	/* BAR0 (registers) of slot s at + (s - 1) * 4 KiB */
#define IVC_MMIO32_SIZE 0x00100000ULL
#define IVC_PREF_IPA 0x20000000ULL	/* BAR2 (shared memory): 64-bit prefetchable window */
#define IVC_PREF_SIZE 0x1f000000ULL	/* up to 0x3f000000; each BAR aligned to its size */
#define IVC_INTX_BASE 48		/* slot s: INTA = SPI INTID IVC_INTX_BASE + s - 1, level */
#define IVC_MAX_SLOTS 8			/* slots 1..8 (one per channel the VM belongs to) */

/* PCI identity: QEMU ivshmem's IDs (register layout compatible with ivshmem-doorbell's first
 * four registers), ftvisor's subsystem ID. */
#define IVC_PCI_VENDOR 0x1af4
#define IVC_PCI_DEVICE 0x1110
#define IVC_PCI_SUBVENDOR 0x1af4
#define IVC_PCI_SUBDEVICE 0x4654	/* "FT" */
#define IVC_PCI_CLASS 0x050000		/* memory controller, RAM */
#define IVC_REGS_SIZE 0x1000		/* BAR0 */

/* BAR0 registers, 32-bit accesses only. */
#define IVC_REG_INTRMASK 0x00	/* rw: bit 0 = raise INTx for a doorbell */
#define IVC_REG_INTRSTATUS 0x04	/* rw: bit 0 = doorbell arrived; reading clears it */
#define IVC_REG_IVPOSITION 0x08	/* ro: this member's ID */
#define IVC_REG_DOORBELL 0x0c	/* wo: (peer ID << 16) | vector (0) */
#define IVC_REG_MAGIC 0x10	/* ro: IVC_MAGIC */
#define IVC_REG_FLAGS 0x14	/* ro: IVC_FLAG_* */
#define IVC_REG_MEMBERS 0x18	/* ro: bit i = member ID i exists */
#define IVC_REG_RUNNING 0x1c	/* ro: bit i = member i's VM is running */
#define IVC_REG_SENT 0x20	/* ro: doorbells this member sent and delivered */
#define IVC_REG_RECEIVED 0x24	/* ro: doorbells that arrived for this member */
#define IVC_REG_LIMITED 0x28	/* ro: doorbells this member sent above the rate (deferred) */
#define IVC_REG_BAD 0x2c	/* ro: doorbells this member sent to a non-member or itself */
#define IVC_REG_SHM_SIZE 0x30	/* ro: shared memory bytes (low 32 bits) */
#define IVC_REG_CHANNEL 0x34	/* ro: channel index in the system configuration */

#define IVC_MAGIC 0x49565446u	/* "FTVI" */
#define IVC_FLAG_READ_ONLY (1u << 0)

#endif
