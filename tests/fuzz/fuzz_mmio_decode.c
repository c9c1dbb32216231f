/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for arch/arm64/mmio_decode.c: every 4-byte word of the input through
 * mmio_decode_insn() and every 8-byte word through mmio_decode_esr(), checking the decoded
 * access for consistency with the encoding and running the value and completion helpers on
 * a register file, which may change only the registers the access names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/mmio_decode.h"

#define check(c)                                                                           \
	do {                                                                               \
		if (!(c))                                                                  \
			__builtin_trap();                                                  \
	} while (0)

static uint64_t mix(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return v;
}

static void check_access(const struct mmio_access *a)
{
	check(a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8);
	check(a->rt < 32 && a->rt2 < 32 && a->rn < 32 && a->rm < 32);
	if (a->pair)
		check(a->size == 4 || a->size == 8);
	else
		check(a->rt2 == 0);
	if (a->pair && !a->write)
		check(a->rt != a->rt2);
	if (a->write)
		check(!a->sign_extend);
	if (a->sign_extend)
		check(a->size < 8 && (a->sf || a->size < 4));
	if (a->size == 8)
		check(a->sf);
	if (a->post_index)
		check(a->writeback);
	if (a->writeback) {
		check(!a->reg_offset && !a->from_iss);
		check(a->rn == 31 || (a->rt != a->rn && (!a->pair || a->rt2 != a->rn)));
	}
	if (a->reg_offset) {
		check(a->offset == 0 && !a->pair);
		check(a->extend == 2 || a->extend == 3 || a->extend == 6 || a->extend == 7);
		check(a->shift == 0 || (1u << a->shift) == a->size);
	} else {
		check(a->extend == 0 && a->shift == 0 && a->rm == 0);
	}
	if (a->pair)
		check(a->offset % a->size == 0 && a->offset >= -64 * a->size &&
		      a->offset <= 63 * a->size);
	else
		check(a->offset >= -256 && a->offset <= 4095 * a->size);
}

static void exercise(struct mmio_access *a, uint64_t seed)
{
	uint64_t x[31], ref[31], sp, sp0, raw = mix(seed), raw2 = mix(raw), v;
	unsigned int i;

	for (i = 0; i < 31; i++)
		x[i] = ref[i] = mix(seed + i + 1);
	sp = sp0 = mix(seed ^ 0x5555);
	if (a->reg_offset) {
		a->offset = mmio_reg_offset(a, a->rm == 31 ? 0 : x[a->rm]);
		if (a->extend == 2)
			check((uint64_t)a->offset >> 32 >> a->shift == 0);
	}
	v = mmio_load_value(a, raw);
	if (a->size < 8 && !a->sign_extend)
		check(v >> (a->size * 8) == 0);
	if (!a->sf)
		check(v >> 32 == 0);
	check(((v ^ raw) & ((2ull << (a->size * 8 - 1)) - 1)) == 0);
	for (i = 0; i < 2; i++) {
		unsigned int r = i ? a->rt2 : a->rt;

		v = mmio_store_value(a, x, i);
		check(r == 31 ? v == 0 : ((v ^ x[r]) & ((2ull << (a->size * 8 - 1)) - 1)) == 0);
		if (a->size < 8)
			check(v >> (a->size * 8) == 0);
	}
	mmio_complete(a, x, &sp, raw, raw2);
	for (i = 0; i < 31; i++) {
		bool named = (!a->write && i == a->rt) || (!a->write && a->pair && i == a->rt2) ||
			     (a->writeback && i == a->rn);

		if (!named)
			check(x[i] == ref[i]);
	}
	if (a->rt < 31 && !a->write)
		check(x[a->rt] == mmio_load_value(a, raw));
	if (!a->writeback || a->rn != 31)
		check(sp == sp0);
	else
		check(sp == sp0 + (uint64_t)a->offset);
	if (a->writeback && a->rn < 31)
		check(x[a->rn] == ref[a->rn] + (uint64_t)a->offset);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmio_access a, b;
	size_t off;

	for (off = 0; off + 4 <= size; off += 4) {
		uint32_t w;

		memcpy(&w, data + off, 4);
		memset(&a, 0x77, sizeof(a));
		b = a;
		if (mmio_decode_insn(w, &a)) {
			check(!memcmp(&a, &b, sizeof(a)));
			/* Outside the load/store group (op0 = x1x0) nothing decodes. */
			continue;
		}
		check((w & (1u << 27)) && !(w & (1u << 25)) && !(w & (1u << 26)));
		check(a.rt == (w & 31) && a.rn == ((w >> 5) & 31) && !a.from_iss);
		if (a.pair)
			check(a.rt2 == ((w >> 10) & 31));
		if (a.reg_offset)
			check(a.rm == ((w >> 16) & 31));
		check_access(&a);
		check(mmio_decode_insn(w, &b) == 0 && !memcmp(&a, &b, sizeof(a)));
		exercise(&a, w);
	}
	for (off = 0; off + 8 <= size; off += 8) {
		uint64_t esr;

		memcpy(&esr, data + off, 8);
		memset(&a, 0x77, sizeof(a));
		b = a;
		if (mmio_decode_esr(esr, &a)) {
			check(!memcmp(&a, &b, sizeof(a)));
			continue;
		}
		check(((esr >> 26) & 0x3f) == 0x24 && (esr & (1u << 24)));
		check(a.from_iss && !a.pair && !a.writeback && !a.reg_offset && a.offset == 0);
		check(a.rt == ((esr >> 16) & 31) && a.size == 1u << ((esr >> 22) & 3));
		check(a.write == !!(esr & (1u << 6)));
		check_access(&a);
		exercise(&a, esr);
	}
	return 0;
}
