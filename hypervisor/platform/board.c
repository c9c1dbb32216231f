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
