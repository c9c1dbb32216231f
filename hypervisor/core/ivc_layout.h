/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a VM sees its inter-VM channels (docs/ivc.md, include/ftvisor/ivc.h): one pure
 * function shared by the hypervisor (its emulated PCI endpoints), bundle_validate() (the
 * layout must fit) and ftvisor-mkimage (the guest device tree), so all three agree.
 *
 * A VM's endpoints are its channels in channel-table order; the k-th (from 0) is slot k + 1
 * on bus 0, with
 *   BAR0 (registers, IVC_REGS_SIZE)   at IVC_MMIO32_IPA + k * IVC_REGS_SIZE,
 *   BAR2 (the shared memory)          in the prefetchable window from IVC_PREF_IPA: slots in
 *                                     order, each aligned to its own size, packed upwards,
 *   INTA                              SPI INTID IVC_INTX_BASE + k, level.
 * Freestanding: no library calls, no globals, any input is safe (nothing is read beyond
 * channels[n_channels) and members[min(n_members, BUNDLE_IVC_MAX_MEMBERS))).
 */
#ifndef FTVISOR_CORE_IVC_LAYOUT_H
#define FTVISOR_CORE_IVC_LAYOUT_H

#include "core/bundle.h"
#include "../../include/ftvisor/ivc.h"

struct ivc_endpoint {
	uint32_t slot;		/* 1..IVC_MAX_SLOTS: PCI device number on bus 0 */
	uint32_t channel;	/* index into the channel table */
	uint32_t member;	/* the VM's member ID in the channel (IVPOSITION) */
	uint32_t flags;		/* BUNDLE_IVC_F_* of this member */
	uint64_t size;		/* shared memory bytes = BAR2 size */
	uint64_t bar0;		/* IPA of BAR0 */
	uint64_t bar2;		/* IPA of BAR2 */
	uint32_t intid;		/* INTA: SPI INTID, level-sensitive */
	uint32_t reserved;
};

/* ivc_layout() failures (negative). */
#define IVC_LAYOUT_E_SLOTS (-1)		/* the VM is a member of more than IVC_MAX_SLOTS channels */
#define IVC_LAYOUT_E_SIZE (-2)		/* a channel's size is not a power of two >= 4 KiB */
#define IVC_LAYOUT_E_WINDOW (-3)	/* the BAR2s do not fit in [IVC_PREF_IPA, +IVC_PREF_SIZE) */

/*
 * The endpoints of VM vm (an index into the VM table) for channels[0..n_channels): their
 * number (0 when the VM belongs to no channel), each written to out[0..number), in slot
 * order; or a negative IVC_LAYOUT_E_*, with out[] partly written. A VM listed twice in one
 * channel counts once, as its first entry (bundle_validate() refuses that anyway).
 * *bar2_end (may be NULL) gets the end of the last BAR2 (IVC_PREF_IPA when none), also on
 * IVC_LAYOUT_E_WINDOW, where it is the end the layout would need.
 */
int ivc_layout(const struct bundle_channel *channels, uint32_t n_channels, uint32_t vm,
	       struct ivc_endpoint out[IVC_MAX_SLOTS], uint64_t *bar2_end);

/* The slot (1..) of channel ch in VM vm's layout, 0 when the VM is not a member. */
uint32_t ivc_slot_of(const struct bundle_channel *channels, uint32_t n_channels, uint32_t vm,
		     uint32_t ch);

/* The member ID of VM vm in channel c, or -1 when it is not a member. */
int ivc_member_of(const struct bundle_channel *c, uint32_t vm);

/*
 * What a member VM's channels occupy in its guest-physical address space, in address order:
 *   "register pages"  [IVC_MMIO32_IPA, + n_endpoints * IVC_REGS_SIZE)  (the BAR0s),
 *   "shared memory"   [IVC_PREF_IPA, bar2_end)                        (the BAR2s),
 *   "PCI ECAM"        [IVC_ECAM_IPA, + IVC_ECAM_SIZE).
 * Only these must be clear of the VM's RAM and passthrough regions; the rest of
 * [IVC_MMIO32_IPA, IVC_ECAM_IPA + IVC_ECAM_SIZE) is free for them. n_endpoints and bar2_end
 * are ivc_layout()'s result and *bar2_end. Returns the number of spans written to out[]: 0
 * when n_endpoints <= 0 (no channel, or a layout error), else 3 (2 when bar2_end leaves no
 * shared memory). Inputs are clamped to what a layout can give: at most IVC_MAX_SLOTS
 * register pages, bar2_end at most IVC_PREF_IPA + IVC_PREF_SIZE.
 */
#define IVC_MAX_SPANS 3
struct ivc_span {
	uint64_t base;
	uint64_t size;		/* > 0 */
	const char *name;	/* "register pages", "shared memory" or "PCI ECAM" */
};

int ivc_spans(int n_endpoints, uint64_t bar2_end, struct ivc_span out[IVC_MAX_SPANS]);

/* A short English reason for an IVC_LAYOUT_E_* value. */
const char *ivc_layout_strerror(int err);

#endif
