/* SPDX-License-Identifier: Apache-2.0 */
/* A VM's inter-VM channel endpoints and their guest-physical places (core/ivc_layout.h). */
#include "core/ivc_layout.h"

#define PAGE_4K 0x1000ULL
#define STR_(x) #x
#define STR(x) STR_(x)

_Static_assert(IVC_MAX_SLOTS * IVC_REGS_SIZE <= IVC_MMIO32_SIZE, "BAR0s fit the 32-bit window");
_Static_assert(IVC_MAX_SLOTS <= 31, "slots are PCI device numbers 1..31 on bus 0");

int ivc_member_of(const struct bundle_channel *c, uint32_t vm)
{
	uint32_t n = c->n_members < BUNDLE_IVC_MAX_MEMBERS ? c->n_members : BUNDLE_IVC_MAX_MEMBERS;

	for (uint32_t m = 0; m < n; m++)
		if (c->members[m].vm == vm)
			return (int)m;
	return -1;
}

int ivc_layout(const struct bundle_channel *channels, uint32_t n_channels, uint32_t vm,
	       struct ivc_endpoint out[IVC_MAX_SLOTS], uint64_t *bar2_end)
{
	const uint64_t end = IVC_PREF_IPA + IVC_PREF_SIZE;
	uint64_t at = IVC_PREF_IPA, size;
	uint32_t n = 0;
	int m;

	if (bar2_end)
		*bar2_end = at;
	for (uint32_t c = 0; c < n_channels; c++) {
		m = ivc_member_of(&channels[c], vm);
		if (m < 0)
			continue;
		if (n == IVC_MAX_SLOTS)
			return IVC_LAYOUT_E_SLOTS;
		size = channels[c].size;
		if (size < PAGE_4K || (size & (size - 1)))
			return IVC_LAYOUT_E_SIZE;
		/* at <= end < 2^30 and size <= 2^63: neither sum below can wrap. */
		at = (at + size - 1) & ~(size - 1);
		out[n] = (struct ivc_endpoint){
			.slot = n + 1,
			.channel = c,
			.member = (uint32_t)m,
			.flags = channels[c].members[m].flags,
			.size = size,
			.bar0 = IVC_MMIO32_IPA + (uint64_t)n * IVC_REGS_SIZE,
			.bar2 = at,
			.intid = IVC_INTX_BASE + n,
		};
		if (at > end || size > end - at) {
			if (bar2_end) /* at is 0 or a multiple of size <= 2^63: only 2^64 wraps */
				*bar2_end = at + size ? at + size : UINT64_MAX;
			return IVC_LAYOUT_E_WINDOW;
		}
		at += size;
		if (bar2_end)
			*bar2_end = at;
		n++;
	}
	return (int)n;
}

uint32_t ivc_slot_of(const struct bundle_channel *channels, uint32_t n_channels, uint32_t vm,
		     uint32_t ch)
{
	uint32_t slot = 0;

	if (ch >= n_channels || ivc_member_of(&channels[ch], vm) < 0)
		return 0;
	for (uint32_t c = 0; c <= ch; c++)
		if (ivc_member_of(&channels[c], vm) >= 0)
			slot++;
	return slot;
}

int ivc_spans(int n_endpoints, uint64_t bar2_end, struct ivc_span out[IVC_MAX_SPANS])
{
	const uint64_t pref_end = IVC_PREF_IPA + IVC_PREF_SIZE;
	uint32_t slots;
	int n = 0;

	if (n_endpoints <= 0)
		return 0;
	slots = n_endpoints < IVC_MAX_SLOTS ? (uint32_t)n_endpoints : IVC_MAX_SLOTS;
	out[n++] = (struct ivc_span){ IVC_MMIO32_IPA, (uint64_t)slots * IVC_REGS_SIZE,
				      "register pages" };
	if (bar2_end > pref_end)
		bar2_end = pref_end;
	if (bar2_end > IVC_PREF_IPA)
		out[n++] = (struct ivc_span){ IVC_PREF_IPA, bar2_end - IVC_PREF_IPA,
					      "shared memory" };
	out[n++] = (struct ivc_span){ IVC_ECAM_IPA, IVC_ECAM_SIZE, "PCI ECAM" };
	return n;
}

const char *ivc_layout_strerror(int err)
{
	switch (err) {
	case IVC_LAYOUT_E_SLOTS:
		return "member of more than " STR(IVC_MAX_SLOTS) " channels";
	case IVC_LAYOUT_E_SIZE:
		return "a channel size is not a power of two of at least 4 KiB";
	case IVC_LAYOUT_E_WINDOW:
		return "the shared memory BARs do not fit in the 64-bit window";
	default:
		return err < 0 ? "unknown layout error" : "no error";
	}
}
