/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMSAv8-64 translation tables with the 4 KiB granule (Arm ARM D8.3): the builder used for
 * the EL2 stage-1 map and, later, for stage 2. Pure logic: tables are reached through
 * callbacks, so the same code runs at EL2 and in host unit tests.
 */
#ifndef FTVISOR_ARCH_PGTABLE_H
#define FTVISOR_ARCH_PGTABLE_H

#include "lib/compiler.h"

#define PGT_LEVELS 4
#define PGT_ENTRIES 512
#define PGT_PAGE_SIZE ((uint64_t)4096)

/* Descriptor bits (Arm ARM D8.3.1, D8.3.2) */
#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1)  /* at levels 0-2: table; at level 3 must be set for a page */
#define PTE_TYPE_MASK 3ULL
#define PTE_ADDR_MASK 0x0000fffffffff000ULL
#define PTE_ATTR_MASK (~PTE_ADDR_MASK & ~PTE_TYPE_MASK)

/* Stage-1 leaf attributes */
#define PTE_ATTRINDX(n) ((uint64_t)(n) << 2)
#define PTE_AP_RW_EL2 (1ULL << 6) /* AP[1] is RES1 in the EL2 (non-VHE) regime */
#define PTE_AP_RO_EL2 (3ULL << 6)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF BIT(10)
#define PTE_XN BIT(54)

/* Size mapped by one entry at a level: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline uint64_t pgt_level_size(unsigned int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

struct pgtable {
	uint64_t root_pa;
	unsigned int start_level;	/* 0 for a 48-bit input range */
	unsigned int root_entries;	/* 512, or more for concatenated stage-2 roots */
	unsigned int min_block_level;	/* smallest level number allowed to hold a block: 1 */
	bool no_blocks;			/* map with 4 KiB pages only */
	/* A zeroed, page-aligned table; returns its PA or 0 when out of memory. */
	uint64_t (*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, uint64_t pa); /* may be NULL: tables are then leaked */
	void *(*pa_to_ptr)(void *ctx, uint64_t pa);
	void *ctx;
};

enum { PGT_OK = 0, PGT_ENOMEM = -1, PGT_EINVAL = -2 };

/*
 * Map [va, va+size) to [pa, pa+size) with the leaf attributes attr (no type or address
 * bits), replacing what was there, using the largest blocks alignment allows. Blocks
 * partly covered are split first, keeping their old mapping elsewhere. va, pa and size must
 * be page aligned. Does no TLB maintenance: the caller owns break-before-make.
 */
int pgt_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr);

/* Make [va, va+size) invalid, splitting blocks that are only partly removed. */
int pgt_unmap(struct pgtable *pt, uint64_t va, uint64_t size);

/* Unmap everything and free every table below the root (the root stays the caller's).
 * pgt_unmap only frees tables whose whole range it removes. */
void pgt_free_tables(struct pgtable *pt);

/* Where the leaf descriptor translating va lives (NULL if none), its level through *level:
 * for changing attribute bits that need no break-before-make (the access flag). */
uint64_t *pgt_leaf_ptr(const struct pgtable *pt, uint64_t va, unsigned int *level);

/* The leaf descriptor translating va (0 if none) and its level through *level. */
uint64_t pgt_lookup(const struct pgtable *pt, uint64_t va, unsigned int *level);

#endif
