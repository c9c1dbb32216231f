/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An emulated PCI Express host bridge: an ECAM window for bus 0 (PCIe base spec 7.2.2:
 * offset = device << 15 | function << 12 | register) and the type 0 configuration header of
 * the functions behind it. No device of its own sits at 00:00.0; whatever the owner does not
 * claim reads all-ones and ignores writes, as an empty slot does.
 *
 * The header emulation is separate from the window: the owner of a function (core/ivc.c)
 * keeps its struct vpci_header next to the rest of the device's state, under its own lock,
 * and calls vpci_header_read/vpci_header_write from the window's callbacks.
 *
 * BARs are fixed, programmed "by firmware" (the guest boots with linux,pci-probe-only): a BAR
 * reads its address until written; writing all-ones and reading back gives the size mask
 * (how Linux sizes BARs); any other value written is read back (masked to the BAR's size
 * alignment, with the type bits) but the device does not move: it keeps answering at its
 * fixed address. The memory-space enable bit of the command register is stored, not obeyed.
 */
#ifndef FTVISOR_CORE_VPCI_H
#define FTVISOR_CORE_VPCI_H

#include "core/mmio.h"

#define VPCI_NR_BARS 6
#define VPCI_CMD_MEMORY (1u << 1)
#define VPCI_CMD_INTX_DISABLE (1u << 10)
#define VPCI_STATUS_INTX (1u << 3)

enum vpci_bar_kind {
	VPCI_BAR_NONE = 0,	/* unimplemented: reads 0, ignores writes */
	VPCI_BAR_MEM32,		/* 32-bit memory, non-prefetchable */
	VPCI_BAR_MEM64_PREF,	/* 64-bit prefetchable memory: this BAR and the next one */
	VPCI_BAR_UPPER,		/* the upper half of the 64-bit BAR before it */
};

struct vpci_header {
	/* Identity and resources, fixed at set-up */
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class_code;	/* base class << 16 | subclass << 8 | programming interface */
	uint8_t revision;
	uint8_t int_pin;	/* 1 = INTA, 0 = none */
	uint8_t bar_kind[VPCI_NR_BARS];	/* enum vpci_bar_kind */
	uint64_t bar_addr[VPCI_NR_BARS];	/* guest-physical; for a 64-bit BAR at its first index */
	uint64_t bar_size[VPCI_NR_BARS];	/* power of two >= 16; at the 64-bit BAR's first index */
	/* The guest's */
	uint16_t command;	/* VPCI_CMD_MEMORY | VPCI_CMD_INTX_DISABLE are writable */
	uint8_t int_line;
	uint32_t bar_reg[VPCI_NR_BARS];	/* what each BAR register reads back */
};

/* Power-on state: command 0, interrupt line 0, every BAR at its fixed address. */
void vpci_header_reset(struct vpci_header *h);
/* The aligned dword at reg (0..0xffc; beyond the type 0 header: 0). intx_pending is the
 * device's interrupt status (status bit 3). */
uint32_t vpci_header_read(const struct vpci_header *h, uint32_t reg, bool intx_pending);
/* Write the bytes of val selected by byte_mask (0x000000ff, 0x0000ff00, ... 0xffffffff)
 * into the aligned dword at reg; read-only bits and registers are left alone. */
void vpci_header_write(struct vpci_header *h, uint32_t reg, uint32_t val, uint32_t byte_mask);

/* A VM's bus 0: who answers for device dev (0..31), function fn (0..7). */
struct vpci_bus {
	void *ctx;
	/* The aligned dword reg of dev.fn into *val; false when nothing is there. */
	bool (*cfg_read)(void *ctx, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t *val);
	/* Write the bytes byte_mask selects; false when nothing is there. */
	bool (*cfg_write)(void *ctx, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t val,
			  uint32_t byte_mask);
};

/* Register the ECAM window [ecam_ipa, +size) (at most 1 MiB: bus 0) of bus on mmio. 8-, 16-
 * and 32-bit naturally aligned accesses; anything else is a bus error. */
bool vpci_attach(struct mmio_bus *mmio, struct vpci_bus *bus, uint64_t ecam_ipa, uint64_t size);

#endif
