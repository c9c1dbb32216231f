/* SPDX-License-Identifier: Apache-2.0 */
/* Board port selection by root compatible, and the reserved-range hook for quirks. */
#include "platform/board.h"
#include "lib/string.h"

/* Every port but the generic fallback. */
static const struct board *const ports[] = {
	&board_qemu_virt,
	&board_phytium_e2000,
	&board_phytium_ft2004,
	&board_phytium_d2000,
};

static bool port_has(const struct board *b, const char *s, size_t n)
{
	const char *const *c;

	for (c = b->compatibles; c && *c; c++)
		if (strlen(*c) == n && !memcmp(*c, s, n))
			return true;
	return false;
}

const struct board *board_match(const char *compat_list, size_t len)
{
	size_t pos = 0, n, i;

	/* String by string, so the most specific compatible (listed first) picks the port. */
	while (compat_list && pos < len) {
		for (n = 0; pos + n < len && compat_list[pos + n]; n++)
			;
		if (pos + n == len)
			break; /* unterminated tail: not a string */
		for (i = 0; i < ARRAY_SIZE(ports); i++)
			if (port_has(ports[i], compat_list + pos, n))
				return ports[i];
		pos += n + 1;
	}
	return &board_generic;
}

bool platform_add_reserved(struct platform *p, uint64_t base, uint64_t size, enum reserved_kind kind)
{
	uint64_t end;

	/* Empty or wrapping ranges are refused as well: later code relies on base + size. */
	if (!size || add_overflows(base, size, &end))
		return false;
	if (p->n_reserved >= PLAT_MAX_RESERVED)
		return false;
	p->reserved[p->n_reserved].base = base;
	p->reserved[p->n_reserved].size = size;
	p->reserved[p->n_reserved].kind = kind;
	p->n_reserved++;
	return true;
}

bool platform_reserve_unless_covered(struct platform *p, uint64_t base, uint64_t size,
				     enum reserved_kind kind)
{
	uint64_t end, rend;
	uint32_t k;

	if (!size || add_overflows(base, size, &end))
		return false;
	for (k = 0; k < p->n_reserved && k < PLAT_MAX_RESERVED; k++) {
		if (add_overflows(p->reserved[k].base, p->reserved[k].size, &rend))
			continue;
		if (p->reserved[k].base <= base && rend >= end)
			return true;
	}
	return platform_add_reserved(p, base, size, kind);
}

/* ---- shared by the Phytium ports ---- */

/*
 * FACTS.md 1.1/1.2: DRAM is split into a 32-bit window from 0x8000_0000 and a 64-bit window
 * from 0x20_0000_0000 on the E2000 [V] and on FT-2000/4 / D2000 (SDK pd1904 and the board DTS
 * use the same two windows [V]). The low window ends at 4 GiB, where the E2000's second QSPI
 * flash window starts (0x1_0000_0000-0x1_7FFF_FFFF [V]). The high window has no documented
 * end (SDK default 32 GiB, Jailhouse declares 128 GiB): left open.
 */
const struct dram_window phytium_dram_windows[PHYTIUM_N_DRAM_WINDOWS] = {
	{ 0x80000000ULL, 0xffffffffULL },
	{ 0x2000000000ULL, UINT64_MAX },
};

int phytium_reserve_firmware(struct platform *p, bool pbf)
{
	/* FACTS.md 1.1: /memreserve/ 0x8000_0000 64 KiB in every Phytium board DTS [V, purpose U]. */
	if (!platform_reserve_unless_covered(p, PHYTIUM_MEMRESERVE_BASE, PHYTIUM_MEMRESERVE_SIZE,
					     RSV_BOARD))
		return PLAT_ETOOMANY;
	/* FACTS.md 0.6 and 1.4: 0xFC00_0000-0xFFFF_FFFF is PBF runtime memory [I, unverified]. */
	if (pbf && !platform_reserve_unless_covered(p, PHYTIUM_PBF_BASE, PHYTIUM_PBF_SIZE, RSV_BOARD))
		return PLAT_ETOOMANY;
	return 0;
}
