/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read-only, bounds-checked flattened device tree (DTB) reader.
 *
 * dt_open() checks the header and walks the whole structure block once (nesting, token
 * bounds, property lengths, name offsets), but every accessor still bounds-checks what it
 * reads, so no offset or length taken from the blob is ever used unchecked.
 *
 * The blob must start on an 8-byte boundary (the DT spec and the arm64 boot protocol require
 * it). All multi-byte values are read byte by byte: EL2 runs this with the MMU off, where an
 * unaligned access faults.
 *
 * Nodes and properties are named by their offset (>= 0) inside the structure block; functions
 * returning an offset return a negative dt_error instead when there is none. No recursion, no
 * allocation: walks keep explicit depth counters bounded by DT_MAX_DEPTH, and every token
 * advances by at least 4 bytes, so a walk ends within size_dt_struct / 4 steps.
 *
 * Symbols use the dt_ prefix so host tools can link libfdt alongside.
 */
#ifndef FTVISOR_LIB_FDT_H
#define FTVISOR_LIB_FDT_H

#include "lib/compiler.h"

#define DT_MAGIC 0xd00dfeedU
#define DT_MAX_DEPTH 32		/* nesting levels, the root node counting as one */
#define DT_MAX_CELLS 4		/* largest #address-cells / #size-cells accepted at all */
#define DT_MAX_SIZE 0x7fffffffU	/* offsets must fit an int */

enum dt_error {
	DT_OK = 0,
	DT_ENOTFOUND = -1,	/* no such node / property / entry */
	DT_EBADMAGIC = -2,
	DT_EBADVERSION = -3,
	DT_ETRUNCATED = -4,	/* a block or header runs past totalsize or max_size */
	DT_EALIGN = -5,		/* blob or block misaligned */
	DT_EBADSTRUCT = -6,	/* bad token, nesting, name or string offset */
	DT_EDEPTH = -7,		/* nesting deeper than DT_MAX_DEPTH */
	DT_EBADVALUE = -8,	/* property present but of the wrong size or form */
	DT_EINVAL = -9,		/* bad argument from the caller */
};

/* FDT structure block tokens. */
#define DT_BEGIN_NODE 0x1U
#define DT_END_NODE 0x2U
#define DT_PROP 0x3U
#define DT_NOP 0x4U
#define DT_END 0x9U

/* An opened, validated blob. Filled by dt_open(); treat as read-only. */
struct dt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t version;
	uint32_t boot_cpuid;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
	uint32_t n_rsv;		/* /memreserve/ entries before the (0, 0) terminator */
};

/* Big-endian loads, byte by byte (never an unaligned wide access). */
static inline uint32_t dt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t dt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)dt_be32(b) << 32 | dt_be32(b + 4);
}

/*
 * Validates the blob (at most max_size bytes readable at blob, which must be 8-byte aligned):
 * magic, version >= 16 with last_comp_version <= 17, totalsize <= max_size, every block inside
 * totalsize, structure block aligned, properly nested, within DT_MAX_DEPTH, all properties
 * before subnodes, every name offset inside the strings block and NUL-terminated there, a single
 * root node and a final FDT_END. Returns DT_OK or a negative dt_error.
 */
int dt_open(struct dt *dt, const void *blob, size_t max_size);
const char *dt_strerror(int err);

/* /memreserve/ entries: DT_OK, or DT_ENOTFOUND past the last one. */
int dt_mem_rsv(const struct dt *dt, uint32_t index, uint64_t *addr, uint64_t *size);

/* ---- nodes ---- */

int dt_root(const struct dt *dt);
/* The node's name ("" for the root) and its length; NULL when node is not a node. */
const char *dt_node_name(const struct dt *dt, int node, uint32_t *len);
int dt_first_child(const struct dt *dt, int node);
int dt_next_sibling(const struct dt *dt, int node);
/*
 * Pre-order walk of the whole tree. node < 0 starts at the root (depth 0); each call returns
 * the next node and adjusts *depth by how far it went down (+1) or up (-n) to reach it.
 * Returns DT_ENOTFOUND after the last node.
 */
int dt_next_node(const struct dt *dt, int node, int *depth);

/*
 * Does a node name match name[0..len)? A name with a unit address ("memory@0") must match
 * exactly; one without also matches any unit address ("memory" matches "memory@40000000").
 */
bool dt_name_matches(const char *node_name, uint32_t node_len, const char *name, size_t len);
/* Child of parent by name: an exact match wins, else the first dt_name_matches() one. */
int dt_subnode(const struct dt *dt, int parent, const char *name, size_t len);
/* Node by absolute path ("/soc/uart@2800d000", "/memory"); components as dt_subnode(). */
int dt_path(const struct dt *dt, const char *path, size_t len);
int dt_path_str(const struct dt *dt, const char *path);

/*
 * Fills stack[0..n) with the path from the root (stack[0]) to node (stack[n-1]) and returns n,
 * or a negative dt_error. max must be >= DT_MAX_DEPTH to be sure to fit.
 */
int dt_ancestors(const struct dt *dt, int node, int *stack, int max);
int dt_parent(const struct dt *dt, int node);
/* Writes "/a/b@1" into buf (truncated, always terminated); returns the full length or error. */
int dt_node_path(const struct dt *dt, int node, char *buf, size_t len);

/* First node after `after` in tree order (after < 0: from the root) with this compatible. */
int dt_find_compatible(const struct dt *dt, int after, const char *compat);
/* The node whose "phandle" (or "linux,phandle") is ph; DT_EBADSTRUCT if two nodes claim it. */
int dt_find_phandle(const struct dt *dt, uint32_t ph);

/* ---- properties ---- */

int dt_first_prop(const struct dt *dt, int node);
int dt_next_prop(const struct dt *dt, int prop);
/* Name, value and length of the property at offset prop; DT_OK or a negative dt_error. */
int dt_prop_get(const struct dt *dt, int prop, const char **name, const void **val, uint32_t *len);
/* Value of node's property name[0..namelen) (fully inside the blob), or NULL when absent. */
const void *dt_getprop_namelen(const struct dt *dt, int node, const char *name, size_t namelen,
			       uint32_t *len);
const void *dt_getprop(const struct dt *dt, int node, const char *name, uint32_t *len);
/* Exactly one cell. */
int dt_getprop_u32(const struct dt *dt, int node, const char *name, uint32_t *out);
/* One or two cells. */
int dt_getprop_u64(const struct dt *dt, int node, const char *name, uint64_t *out);
/* A NUL-terminated string (the first of a list); DT_EBADVALUE if not terminated. */
int dt_getprop_str(const struct dt *dt, int node, const char *name, const char **out);

/* Status absent, "okay" or "ok". */
bool dt_node_is_available(const struct dt *dt, int node);
bool dt_node_is_compatible(const struct dt *dt, int node, const char *compat);

/* ---- string lists (NUL-separated, len bytes; an unterminated tail is not a string) ---- */

int dt_stringlist_count(const char *list, uint32_t len);
/* The index-th string, or NULL; *slen (may be NULL) gets its length. */
const char *dt_stringlist_get(const char *list, uint32_t len, uint32_t index, uint32_t *slen);
bool dt_stringlist_contains(const char *list, uint32_t len, const char *str);

/* ---- cells, reg, ranges ---- */

/* A number of 1 or 2 cells (DT_EBADVALUE for any other count). */
int dt_read_number(const void *cells, uint32_t ncells, uint64_t *out);
/* The node's own #address-cells / #size-cells (for its children): default 2 / 1. */
int dt_addr_cells(const struct dt *dt, int node);
int dt_size_cells(const struct dt *dt, int node);
/* The cells that apply to node's own reg: its parent's values. */
int dt_parent_addr_cells(const struct dt *dt, int node);
int dt_parent_size_cells(const struct dt *dt, int node);
/*
 * Entry index of a reg-like property laid out as (ac address cells, sc size cells) tuples:
 * ac must be 1 or 2, sc 0 to 2 (size 0 when sc is 0). DT_EBADVALUE when the length is not a
 * whole number of entries, DT_ENOTFOUND past the end or when absent.
 */
int dt_read_reg(const struct dt *dt, int node, const char *prop, uint32_t ac, uint32_t sc,
		uint32_t index, uint64_t *addr, uint64_t *size);
/* Number of entries of such a property, or a negative dt_error. */
int dt_reg_count(const struct dt *dt, int node, const char *prop, uint32_t ac, uint32_t sc);
/* reg entry index using the parent's cells, untranslated (bus address). */
int dt_reg(const struct dt *dt, int node, uint32_t index, uint64_t *addr, uint64_t *size);
/*
 * Translates a bus address of node's reg to a CPU physical address through the "ranges" of
 * every ancestor bus. An empty ranges is the identity; a bus without ranges cannot be
 * translated (DT_ENOTFOUND); nor can an address outside every range.
 */
int dt_translate(const struct dt *dt, int node, uint64_t *addr);
/* dt_reg() then dt_translate(). */
int dt_reg_translated(const struct dt *dt, int node, uint32_t index, uint64_t *addr,
		      uint64_t *size);

#endif
