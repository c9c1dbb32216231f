/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivc_layout() (core/ivc_layout.c): slots in channel-table order among the VM's channels,
 * member IDs and flags, BAR0/INTx per slot, BAR2 packing (each aligned to its size, in slot
 * order, inside the prefetchable window), every failure, and ivc_spans(): what a member
 * occupies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ivc_layout.h"

#define KiB_ (1ULL << 10)
#define MiB_ (1ULL << 20)

static struct bundle_channel ch[BUNDLE_MAX_CHANNELS + 2];
static struct ivc_endpoint ep[IVC_MAX_SLOTS];

/* Channel i of size bytes with members (vm, flags) pairs; n_members from the count. */
static void chan(uint32_t i, uint64_t size, uint32_t n, const uint32_t *vms,
		 const uint32_t *flags)
{
	memset(&ch[i], 0, sizeof(ch[i]));
	ch[i].name[0] = (char)('a' + i);
	ch[i].size = size;
	ch[i].n_members = n;
	for (uint32_t m = 0; m < n && m < BUNDLE_IVC_MAX_MEMBERS; m++) {
		ch[i].members[m].vm = vms[m];
		ch[i].members[m].flags = flags ? flags[m] : 0;
	}
}

#define CHAN(i, size, ...)                                                                   \
	do {                                                                                  \
		const uint32_t vms_[] = { __VA_ARGS__ };                                      \
		chan(i, size, sizeof(vms_) / sizeof(vms_[0]), vms_, NULL);                    \
	} while (0)

static void reset(void)
{
	memset(ch, 0, sizeof(ch));
	memset(ep, 0xa5, sizeof(ep));
}

static void expect_ep(uint32_t k, uint32_t channel, uint32_t member, uint32_t flags,
		      uint64_t size, uint64_t bar2)
{
	const struct ivc_endpoint *e = &ep[k];

	assert_int_equal(e->slot, k + 1);
	assert_int_equal(e->channel, channel);
	assert_int_equal(e->member, member);
	assert_int_equal(e->flags, flags);
	assert_int_equal(e->size, size);
	assert_int_equal(e->bar0, IVC_MMIO32_IPA + k * 0x1000ULL);
	assert_int_equal(e->bar2, bar2);
	assert_int_equal(e->intid, IVC_INTX_BASE + k);
}

static void t_no_channels(void **state)
{
	uint64_t end = 1;

	(void)state;
	reset();
	assert_int_equal(ivc_layout(ch, 0, 0, ep, &end), 0);
	assert_int_equal(end, IVC_PREF_IPA);
	assert_int_equal(ivc_layout(NULL, 0, 3, ep, NULL), 0);
	/* channels that do not name the VM */
	CHAN(0, 64 * KiB_, 1, 2);
	CHAN(1, 2 * MiB_, 2, 3);
	assert_int_equal(ivc_layout(ch, 2, 0, ep, &end), 0);
	assert_int_equal(end, IVC_PREF_IPA);
	assert_int_equal(ivc_slot_of(ch, 2, 0, 0), 0);
}

static void t_two_vms_three_channels(void **state)
{
	const uint32_t vms[] = { 1, 0 }, flags[] = { 0, BUNDLE_IVC_F_READ_ONLY };
	uint64_t end;

	(void)state;
	reset();
	/* link: VMs 0, 1 (2 MiB); log: VMs 2, 0 (64 KiB); bulk: VMs 1, 0 ro (16 MiB) */
	CHAN(0, 2 * MiB_, 0, 1);
	CHAN(1, 64 * KiB_, 2, 0);
	chan(2, 16 * MiB_, 2, vms, flags);
	assert_int_equal(ivc_layout(ch, 3, 0, ep, &end), 3);
	expect_ep(0, 0, 0, 0, 2 * MiB_, 0x20000000);
	expect_ep(1, 1, 1, 0, 64 * KiB_, 0x20200000);
	/* 16 MiB aligned: after 0x20210000 comes 0x21000000 */
	expect_ep(2, 2, 1, BUNDLE_IVC_F_READ_ONLY, 16 * MiB_, 0x21000000);
	assert_int_equal(end, 0x22000000);
	assert_int_equal(ivc_layout(ch, 3, 1, ep, &end), 2);
	expect_ep(0, 0, 1, 0, 2 * MiB_, 0x20000000);
	expect_ep(1, 2, 0, 0, 16 * MiB_, 0x21000000);
	assert_int_equal(end, 0x22000000);
	assert_int_equal(ivc_layout(ch, 3, 2, ep, &end), 1);
	expect_ep(0, 1, 0, 0, 64 * KiB_, 0x20000000);
	assert_int_equal(end, 0x20010000);
	/* slots by channel */
	assert_int_equal(ivc_slot_of(ch, 3, 0, 0), 1);
	assert_int_equal(ivc_slot_of(ch, 3, 0, 1), 2);
	assert_int_equal(ivc_slot_of(ch, 3, 0, 2), 3);
	assert_int_equal(ivc_slot_of(ch, 3, 1, 1), 0);
	assert_int_equal(ivc_slot_of(ch, 3, 1, 2), 2);
	assert_int_equal(ivc_slot_of(ch, 3, 2, 1), 1);
	assert_int_equal(ivc_slot_of(ch, 3, 0, 3), 0); /* no such channel */
	assert_int_equal(ivc_member_of(&ch[1], 0), 1);
	assert_int_equal(ivc_member_of(&ch[1], 1), -1);
}

static void t_small_after_large_packs_up(void **state)
{
	uint64_t end;

	(void)state;
	reset();
	/* a smaller BAR after a larger one goes right behind it; alignment only pads up */
	CHAN(0, 64 * KiB_, 0, 1);
	CHAN(1, 16 * MiB_, 0, 1);
	CHAN(2, 64 * KiB_, 0, 1);
	CHAN(3, 1 * MiB_, 0, 1);
	assert_int_equal(ivc_layout(ch, 4, 1, ep, &end), 4);
	expect_ep(0, 0, 1, 0, 64 * KiB_, 0x20000000);
	expect_ep(1, 1, 1, 0, 16 * MiB_, 0x21000000);
	expect_ep(2, 2, 1, 0, 64 * KiB_, 0x22000000);
	expect_ep(3, 3, 1, 0, 1 * MiB_, 0x22100000);
	assert_int_equal(end, 0x22200000);
}

static void t_eight_slots(void **state)
{
	uint64_t end;

	(void)state;
	reset();
	for (uint32_t i = 0; i < 8; i++)
		CHAN(i, 32 * MiB_, 5, 6, 7, 4);
	for (uint32_t vm = 4; vm <= 7; vm++) {
		assert_int_equal(ivc_layout(ch, 8, vm, ep, &end), 8);
		for (uint32_t k = 0; k < 8; k++)
			expect_ep(k, k, (vm - 1) % 4, 0, 32 * MiB_, 0x20000000 + k * 32 * MiB_);
		assert_int_equal(end, 0x30000000);
	}
	assert_int_equal(ep[7].bar0, 0x10007000);
	assert_int_equal(ep[7].intid, 55);
	/* a ninth channel of the same VMs */
	CHAN(8, 64 * KiB_, 4, 5);
	assert_int_equal(ivc_layout(ch, 9, 4, ep, NULL), IVC_LAYOUT_E_SLOTS);
	assert_int_equal(ivc_layout(ch, 9, 6, ep, NULL), 8);
	assert_int_equal(ivc_slot_of(ch, 9, 4, 8), 9);
}

static void t_window_full(void **state)
{
	uint64_t end;

	(void)state;
	reset();
	/* 256 MiB at 0x20000000, a second one would end at 0x40000000 > 0x3f000000 */
	CHAN(0, 256 * MiB_, 0, 1);
	CHAN(1, 256 * MiB_, 0, 2);
	assert_int_equal(ivc_layout(ch, 2, 1, ep, &end), 1);
	assert_int_equal(ivc_layout(ch, 2, 2, ep, &end), 1);
	assert_int_equal(ivc_layout(ch, 2, 0, ep, &end), IVC_LAYOUT_E_WINDOW);
	assert_int_equal(end, 0x40000000);
	/* exactly filling the window: 256 + 128 + 64 + 32 + 16 MiB = 0x1f000000 */
	reset();
	CHAN(0, 256 * MiB_, 0, 1);
	CHAN(1, 128 * MiB_, 0, 1);
	CHAN(2, 64 * MiB_, 0, 1);
	CHAN(3, 32 * MiB_, 0, 1);
	CHAN(4, 16 * MiB_, 0, 1);
	assert_int_equal(ivc_layout(ch, 5, 0, ep, &end), 5);
	assert_int_equal(end, IVC_PREF_IPA + IVC_PREF_SIZE);
	assert_int_equal(ep[4].bar2, 0x3e000000);
	/* one more 64 KiB: does not fit */
	CHAN(5, 64 * KiB_, 1, 0);
	assert_int_equal(ivc_layout(ch, 6, 0, ep, &end), IVC_LAYOUT_E_WINDOW);
	assert_int_equal(end, 0x3f010000);
	/* alignment padding alone can overflow: 256 MiB fits alone, not after 64 KiB */
	reset();
	CHAN(0, 256 * MiB_, 0, 1);
	assert_int_equal(ivc_layout(ch, 1, 0, ep, &end), 1);
	assert_int_equal(end, 0x30000000);
	CHAN(0, 64 * KiB_, 0, 1);
	CHAN(1, 256 * MiB_, 0, 1);
	assert_int_equal(ivc_layout(ch, 2, 0, ep, &end), IVC_LAYOUT_E_WINDOW);
	assert_int_equal(end, 0x40000000);
}

static void t_bad_sizes(void **state)
{
	static const uint64_t bad[] = { 0, 1, 0x800, 0x3000, 0x1001, 3 * MiB_, ~0ULL };
	uint64_t end;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		CHAN(0, 64 * KiB_, 0, 1);
		CHAN(1, bad[i], 0, 1);
		assert_int_equal(ivc_layout(ch, 2, 0, ep, NULL), IVC_LAYOUT_E_SIZE);
		/* a VM not in the bad channel does not care */
		assert_int_equal(ivc_layout(ch, 2, 7, ep, NULL), 0);
	}
	/* 4 KiB is the smallest the layout takes (the bundle wants 64 KiB) */
	reset();
	CHAN(0, 4 * KiB_, 0, 1);
	assert_int_equal(ivc_layout(ch, 1, 0, ep, NULL), 1);
	/* huge powers of two: no wrap, just too large */
	for (int b = 30; b < 64; b++) {
		reset();
		CHAN(0, 64 * KiB_, 0, 1);
		CHAN(1, 1ULL << b, 0, 1);
		assert_int_equal(ivc_layout(ch, 2, 0, ep, &end), IVC_LAYOUT_E_WINDOW);
		assert_true(end > IVC_PREF_IPA + IVC_PREF_SIZE);
	}
}

static void t_members_bounds(void **state)
{
	(void)state;
	reset();
	/* only the first n_members entries count, at most BUNDLE_IVC_MAX_MEMBERS */
	CHAN(0, 64 * KiB_, 0, 1, 2, 3);
	ch[0].n_members = 2;
	assert_int_equal(ivc_layout(ch, 1, 2, ep, NULL), 0);
	assert_int_equal(ivc_layout(ch, 1, 1, ep, NULL), 1);
	ch[0].n_members = 0xffffffff;
	assert_int_equal(ivc_layout(ch, 1, 3, ep, NULL), 1);
	assert_int_equal(ep[0].member, 3);
	/* a VM listed twice counts once, as its first entry */
	CHAN(0, 64 * KiB_, 1, 0, 1);
	assert_int_equal(ivc_layout(ch, 1, 1, ep, NULL), 1);
	assert_int_equal(ep[0].member, 0);
	/* member flags are passed through as they are */
	ch[0].members[1].flags = 0x80000001;
	assert_int_equal(ivc_layout(ch, 1, 0, ep, NULL), 1);
	assert_int_equal(ep[0].flags, 0x80000001);
}

static void expect_span(const struct ivc_span *sp, uint64_t base, uint64_t size,
			const char *name)
{
	assert_int_equal(sp->base, base);
	assert_int_equal(sp->size, size);
	assert_string_equal(sp->name, name);
}

static void t_spans(void **state)
{
	struct ivc_span sp[IVC_MAX_SPANS];
	uint64_t end;
	int n;

	(void)state;
	/* no channel, or a layout error: nothing */
	reset();
	memset(sp, 0xa5, sizeof(sp));
	n = ivc_layout(ch, 0, 0, ep, &end);
	assert_int_equal(ivc_spans(n, end, sp), 0);
	assert_int_equal(ivc_spans(IVC_LAYOUT_E_WINDOW, IVC_PREF_IPA + 0x1000, sp), 0);
	assert_int_equal(sp[0].base, 0xa5a5a5a5a5a5a5a5ULL); /* untouched */

	/* one 64 KiB channel: one register page, 64 KiB of shared memory, the ECAM */
	CHAN(0, 64 * KiB_, 0, 1);
	n = ivc_layout(ch, 1, 1, ep, &end);
	assert_int_equal(n, 1);
	assert_int_equal(ivc_spans(n, end, sp), 3);
	expect_span(&sp[0], 0x10000000, 0x1000, "register pages");
	expect_span(&sp[1], 0x20000000, 0x10000, "shared memory");
	expect_span(&sp[2], 0x3f000000, 0x100000, "PCI ECAM");

	/* 64 KiB then 2 MiB (aligned up to 0x20200000) then 4 KiB: up to 0x20401000 */
	CHAN(1, 2 * MiB_, 1, 0);
	CHAN(2, 4 * KiB_, 0, 2);
	n = ivc_layout(ch, 3, 0, ep, &end);
	assert_int_equal(n, 3);
	assert_int_equal(ivc_spans(n, end, sp), 3);
	expect_span(&sp[0], 0x10000000, 0x3000, "register pages");
	expect_span(&sp[1], 0x20000000, 0x401000, "shared memory");
	expect_span(&sp[2], 0x3f000000, 0x100000, "PCI ECAM");
	/* the spans are in address order and clear of each other */
	assert_true(sp[0].base + sp[0].size <= sp[1].base);
	assert_true(sp[1].base + sp[1].size <= sp[2].base);

	/* a full window: the shared memory reaches the ECAM */
	assert_int_equal(ivc_spans(IVC_MAX_SLOTS, IVC_PREF_IPA + IVC_PREF_SIZE, sp), 3);
	expect_span(&sp[0], 0x10000000, IVC_MAX_SLOTS * 0x1000ULL, "register pages");
	expect_span(&sp[1], 0x20000000, 0x1f000000, "shared memory");

	/* any input is safe: clamped to what a layout can give */
	assert_int_equal(ivc_spans(1000, UINT64_MAX, sp), 3);
	expect_span(&sp[0], 0x10000000, IVC_MAX_SLOTS * 0x1000ULL, "register pages");
	expect_span(&sp[1], 0x20000000, 0x1f000000, "shared memory");
	expect_span(&sp[2], 0x3f000000, 0x100000, "PCI ECAM");
	/* no shared memory (bar2_end at or below the window): it is left out */
	assert_int_equal(ivc_spans(2, IVC_PREF_IPA, sp), 2);
	expect_span(&sp[0], 0x10000000, 0x2000, "register pages");
	expect_span(&sp[1], 0x3f000000, 0x100000, "PCI ECAM");
	assert_int_equal(ivc_spans(2, 0, sp), 2);
}

static void t_strerror(void **state)
{
	(void)state;
	assert_string_equal(ivc_layout_strerror(IVC_LAYOUT_E_SLOTS),
			    "member of more than 8 channels");
	assert_string_equal(ivc_layout_strerror(IVC_LAYOUT_E_SIZE),
			    "a channel size is not a power of two of at least 4 KiB");
	assert_string_equal(ivc_layout_strerror(IVC_LAYOUT_E_WINDOW),
			    "the shared memory BARs do not fit in the 64-bit window");
	assert_string_equal(ivc_layout_strerror(-42), "unknown layout error");
	assert_string_equal(ivc_layout_strerror(3), "no error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_no_channels),
		cmocka_unit_test(t_two_vms_three_channels),
		cmocka_unit_test(t_small_after_large_packs_up),
		cmocka_unit_test(t_eight_slots),
		cmocka_unit_test(t_window_full),
		cmocka_unit_test(t_bad_sizes),
		cmocka_unit_test(t_members_bounds),
		cmocka_unit_test(t_spans),
		cmocka_unit_test(t_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
