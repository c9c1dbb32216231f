/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/pgtable.h"

#define INVALID_PA UINT64_MAX

static uint64_t *table_ptr(const struct pgtable *pt, uint64_t pa)
{
	return pt->pa_to_ptr(pt->ctx, pa);
}

static unsigned int index_at(const struct pgtable *pt, uint64_t va, unsigned int level)
{
	uint64_t idx = va >> (12 + 9 * (3 - level));

	/* Only the root may have more than 512 entries (concatenated tables). */
	return (unsigned int)(level == pt->start_level ? idx % pt->root_entries : idx % 512);
}

/* End of the input range the root translates: root_entries entries at start_level. */
static uint64_t input_end(const struct pgtable *pt)
{
	return pt->root_entries * pgt_level_size(pt->start_level);
}

static bool is_table(uint64_t pte, unsigned int level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE);
}

static bool is_block(uint64_t pte, unsigned int level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == PTE_VALID;
}

static uint64_t leaf(uint64_t pa, uint64_t attr, unsigned int level)
{
	return (pa & PTE_ADDR_MASK) | (attr & PTE_ATTR_MASK) | PTE_VALID |
	       (level == 3 ? PTE_TABLE : 0);
}

/* Replace a block at level (level < 3) with a table mapping the same range at level+1. */
static int split_block(struct pgtable *pt, uint64_t *entry, unsigned int level)
{
	uint64_t old = *entry, tpa = pt->alloc_table(pt->ctx);
	uint64_t base = old & PTE_ADDR_MASK, step = pgt_level_size(level + 1);
	uint64_t *t;

	if (!tpa)
		return PGT_ENOMEM;
	t = table_ptr(pt, tpa);
	for (unsigned int i = 0; i < PGT_ENTRIES; i++)
		t[i] = leaf(base + i * step, old & PTE_ATTR_MASK, level + 1);
	*entry = tpa | PTE_VALID | PTE_TABLE;
	return PGT_OK;
}

/* Free a table and every table below it (iteratively: no recursion at EL2). */
static void free_tree(struct pgtable *pt, uint64_t tpa, unsigned int level)
{
	uint64_t stack_pa[PGT_LEVELS];
	unsigned int stack_idx[PGT_LEVELS], depth = 0;

	if (!pt->free_table)
		return;
	stack_pa[0] = tpa;
	stack_idx[0] = 0;
	while (true) {
		uint64_t *t = table_ptr(pt, stack_pa[depth]);
		unsigned int lvl = level + depth;

		if (stack_idx[depth] < PGT_ENTRIES) {
			uint64_t e = t[stack_idx[depth]++];

			if (is_table(e, lvl)) {
				depth++;
				stack_pa[depth] = e & PTE_ADDR_MASK;
				stack_idx[depth] = 0;
			}
			continue;
		}
		pt->free_table(pt->ctx, stack_pa[depth]);
		if (!depth)
			return;
		depth--;
	}
}

/*
 * One walk for map and unmap: pa == INVALID_PA clears entries. Iterates over the range,
 * descending from the root for every chunk; a chunk is the largest aligned block that the
 * current level can hold.
 */
static int update(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	bool unmap = pa == INVALID_PA;
	uint64_t end;

	if (!IS_ALIGNED(va | size, PGT_PAGE_SIZE) || (!unmap && !IS_ALIGNED(pa, PGT_PAGE_SIZE)))
		return PGT_EINVAL;
	if (add_overflows(va, size, &end) || (!unmap && pa + size < pa))
		return PGT_EINVAL;
	/* Beyond the input range the root index would wrap onto low addresses, and output
	 * addresses above 48 bits would be truncated by PTE_ADDR_MASK. */
	if (end > input_end(pt) || (!unmap && pa + size > PTE_ADDR_MASK + PGT_PAGE_SIZE))
		return PGT_EINVAL;

	while (va < end) {
		uint64_t *t = table_ptr(pt, pt->root_pa);
		unsigned int level = pt->start_level;

		for (;;) {
			uint64_t *e = &t[index_at(pt, va, level)];
			uint64_t bsz = pgt_level_size(level);
			bool whole = IS_ALIGNED(va, bsz) && end - va >= bsz;
			/* No level-0 blocks exist with the 4 KiB granule, whatever the caller says. */
			bool can_leaf = level == 3 ||
					(!pt->no_blocks && level >= MAX(pt->min_block_level, 1u) &&
					 (unmap || IS_ALIGNED(pa, bsz)));

			if (whole && can_leaf) {
				uint64_t old = *e;

				*e = unmap ? 0 : leaf(pa, attr, level);
				if (is_table(old, level))
					free_tree(pt, old & PTE_ADDR_MASK, level + 1);
				va += bsz;
				if (!unmap)
					pa += bsz;
				break;
			}
			if (level == 3)
				return PGT_EINVAL; /* unreachable: pages are always whole */
			if (is_block(*e, level)) {
				int rc = split_block(pt, e, level);

				if (rc)
					return rc;
			} else if (!is_table(*e, level)) {
				uint64_t tpa;

				if (unmap && !(*e & PTE_VALID)) {
					/* Nothing mapped here: skip to the next entry's boundary. */
					uint64_t next = ALIGN_DOWN(va, bsz) + bsz;

					va = next < va || next > end ? end : next;
					break;
				}
				tpa = pt->alloc_table(pt->ctx);
				if (!tpa)
					return PGT_ENOMEM;
				*e = tpa | PTE_VALID | PTE_TABLE;
			}
			t = table_ptr(pt, *e & PTE_ADDR_MASK);
			level++;
		}
	}
	return PGT_OK;
}

int pgt_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	if (pa == INVALID_PA)
		return PGT_EINVAL;
	return update(pt, va, pa, size, attr);
}

int pgt_unmap(struct pgtable *pt, uint64_t va, uint64_t size)
{
	return update(pt, va, INVALID_PA, size, 0);
}

void pgt_free_tables(struct pgtable *pt)
{
	uint64_t *t = table_ptr(pt, pt->root_pa);

	for (unsigned int i = 0; i < pt->root_entries; i++) {
		if (is_table(t[i], pt->start_level))
			free_tree(pt, t[i] & PTE_ADDR_MASK, pt->start_level + 1);
		t[i] = 0;
	}
}

uint64_t *pgt_leaf_ptr(const struct pgtable *pt, uint64_t va, unsigned int *level)
{
	uint64_t *t = table_ptr(pt, pt->root_pa);

	if (va >= input_end(pt))
		return NULL;
	for (unsigned int l = pt->start_level; l <= 3; l++) {
		uint64_t *e = &t[index_at(pt, va, l)];

		if (!(*e & PTE_VALID))
			return NULL;
		if (!is_table(*e, l)) {
			if (level)
				*level = l;
			return e;
		}
		t = table_ptr(pt, *e & PTE_ADDR_MASK);
	}
	return NULL;
}

uint64_t pgt_lookup(const struct pgtable *pt, uint64_t va, unsigned int *level)
{
	const uint64_t *e = pgt_leaf_ptr(pt, va, level);

	return e ? *e : 0;
}
