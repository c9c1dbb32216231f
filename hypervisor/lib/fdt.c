/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounds-checked FDT reader (see fdt.h). Written from the Devicetree Specification v0.4,
 * chapter 5 (flattened format) and 2.3 (standard properties).
 */
#include "lib/fdt.h"
#include "lib/string.h"

#define HDR_V16_SIZE 36U	/* v16 lacks size_dt_struct */
#define HDR_V17_SIZE 40U
#define RSV_ENTRY_SIZE 16U

/* One decoded structure-block token. */
struct tok {
	uint32_t tag;
	uint32_t next;		/* offset of the token after this one */
	uint32_t name;		/* BEGIN_NODE: name offset in the struct block; PROP: in strings */
	uint32_t name_len;
	uint32_t val;		/* PROP: value offset in the struct block */
	uint32_t len;		/* PROP: value length */
};

static const uint8_t *struct_blk(const struct dt *dt)
{
	return dt->blob + dt->off_struct;
}

static const uint8_t *strings_blk(const struct dt *dt)
{
	return dt->blob + dt->off_strings;
}

/* Index of the first NUL in p[0..max), or max when there is none. */
static uint32_t nul_index(const uint8_t *p, uint32_t max)
{
	uint32_t i;

	for (i = 0; i < max; i++)
		if (!p[i])
			return i;
	return max;
}

static bool has_char(const char *s, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

/*
 * Decodes the token at struct-block offset off. Everything it reports (name, value, next
 * offset) lies inside the struct block, and a property's name inside the strings block.
 */
static int read_tok(const struct dt *dt, int off, struct tok *t)
{
	const uint8_t *s = struct_blk(dt);
	uint32_t size = dt->size_struct, o, n;
	uint64_t next;

	if (off < 0 || (uint32_t)off > size || (off & 3) || size - (uint32_t)off < 4)
		return DT_EBADSTRUCT;
	o = (uint32_t)off;
	t->tag = dt_be32(s + o);
	t->name = t->name_len = t->val = t->len = 0;
	switch (t->tag) {
	case DT_BEGIN_NODE:
		t->name = o + 4;
		n = nul_index(s + t->name, size - t->name);
		if (n == size - t->name)
			return DT_EBADSTRUCT; /* name runs off the block */
		t->name_len = n;
		next = ALIGN_UP((uint64_t)t->name + n + 1, 4);
		break;
	case DT_PROP:
		if (size - o < 12)
			return DT_EBADSTRUCT;
		t->len = dt_be32(s + o + 4);
		t->name = dt_be32(s + o + 8);
		t->val = o + 12;
		if (t->len > size - t->val)
			return DT_EBADSTRUCT;
		/* Its name's NUL was checked once for every property by dt_open() (check_struct);
		 * finding it again on every read was most of the boot's device-tree time. */
		if (t->name >= dt->size_strings)
			return DT_EBADSTRUCT;
		next = ALIGN_UP((uint64_t)t->val + t->len, 4);
		break;
	case DT_END_NODE:
	case DT_NOP:
	case DT_END:
		next = (uint64_t)o + 4;
		break;
	default:
		return DT_EBADSTRUCT;
	}
	if (next > size)
		return DT_EBADSTRUCT;
	t->next = (uint32_t)next;
	return DT_OK;
}

/* Offset of the first non-NOP token at or after off (decoded into *t), or an error. */
static int skip_nops(const struct dt *dt, int off, struct tok *t)
{
	int err;

	for (;;) {
		err = read_tok(dt, off, t);
		if (err)
			return err;
		if (t->tag != DT_NOP)
			return off;
		off = (int)t->next;
	}
}

static int node_tok(const struct dt *dt, int node, struct tok *t)
{
	int err = read_tok(dt, node, t);

	if (err)
		return err;
	return t->tag == DT_BEGIN_NODE ? DT_OK : DT_EINVAL;
}

/* Walks the whole structure block once; see dt_open(). */
static int check_struct(const struct dt *dt)
{
	struct tok t;
	int off = 0, depth = 0, err;
	bool seen_root = false, after_child = false;

	for (;;) {
		err = read_tok(dt, off, &t);
		if (err)
			return err;
		switch (t.tag) {
		case DT_BEGIN_NODE:
			if (depth == 0 && seen_root)
				return DT_EBADSTRUCT; /* a second root */
			if (depth >= DT_MAX_DEPTH)
				return DT_EDEPTH;
			depth++;
			seen_root = true;
			after_child = false;
			break;
		case DT_END_NODE:
			if (depth == 0)
				return DT_EBADSTRUCT;
			depth--;
			after_child = true;
			break;
		case DT_PROP:
			/* Properties belong to a node and come before its subnodes. */
			if (depth == 0 || after_child)
				return DT_EBADSTRUCT;
			/* Its name must end inside the strings block (read_tok trusts this). */
			if (nul_index(strings_blk(dt) + t.name, dt->size_strings - t.name) ==
			    dt->size_strings - t.name)
				return DT_EBADSTRUCT;
			break;
		case DT_END:
			if (depth != 0 || !seen_root)
				return DT_EBADSTRUCT;
			return DT_OK;
		default: /* DT_NOP */
			break;
		}
		off = (int)t.next;
	}
}

/* A block [off, off + size) must lie after the header and inside totalsize. */
static bool block_ok(uint32_t off, uint32_t size, uint32_t hdr, uint32_t total)
{
	return off >= hdr && off <= total && size <= total - off;
}

int dt_open(struct dt *dt, const void *blob, size_t max_size)
{
	const uint8_t *b = blob;
	uint32_t total, version, last, hdr, n;
	uint64_t e;

	if (!dt || !blob)
		return DT_EINVAL;
	memset(dt, 0, sizeof(*dt));
	if ((uintptr_t)blob & 7)
		return DT_EALIGN;
	if (max_size < 8)
		return DT_ETRUNCATED;
	if (dt_be32(b) != DT_MAGIC)
		return DT_EBADMAGIC;
	total = dt_be32(b + 4);
	if (total > max_size || total > DT_MAX_SIZE || total < HDR_V16_SIZE)
		return DT_ETRUNCATED;
	version = dt_be32(b + 20);
	last = dt_be32(b + 24);
	if (version < 16 || last > 17)
		return DT_EBADVERSION;
	hdr = version >= 17 ? HDR_V17_SIZE : HDR_V16_SIZE;
	if (total < hdr)
		return DT_ETRUNCATED;

	dt->blob = b;
	dt->totalsize = total;
	dt->version = version;
	dt->boot_cpuid = dt_be32(b + 28);
	dt->off_rsvmap = dt_be32(b + 16);
	dt->off_struct = dt_be32(b + 8);
	dt->off_strings = dt_be32(b + 12);
	dt->size_strings = dt_be32(b + 32);
	if (dt->off_struct > total)
		return DT_ETRUNCATED;
	/* Before v17 the struct block size is unknown: it ends at FDT_END, within totalsize. */
	dt->size_struct = version >= 17 ? dt_be32(b + 36) : total - dt->off_struct;

	if (!block_ok(dt->off_struct, dt->size_struct, hdr, total) ||
	    !block_ok(dt->off_strings, dt->size_strings, hdr, total) ||
	    !block_ok(dt->off_rsvmap, 0, hdr, total))
		return DT_ETRUNCATED;
	if (dt->off_struct & 3 || dt->off_rsvmap & 7)
		return DT_EALIGN;

	/* The reservation map ends with an all-zero entry that must be inside the blob too. */
	for (n = 0;; n++) {
		e = dt->off_rsvmap + (uint64_t)n * RSV_ENTRY_SIZE;
		if (e + RSV_ENTRY_SIZE > total)
			return DT_ETRUNCATED;
		if (!dt_be64(b + e) && !dt_be64(b + e + 8))
			break;
	}
	dt->n_rsv = n;

	return check_struct(dt);
}

const char *dt_strerror(int err)
{
	switch (err) {
	case DT_OK: return "ok";
	case DT_ENOTFOUND: return "not found";
	case DT_EBADMAGIC: return "bad magic";
	case DT_EBADVERSION: return "unsupported version";
	case DT_ETRUNCATED: return "truncated or block outside the blob";
	case DT_EALIGN: return "misaligned";
	case DT_EBADSTRUCT: return "bad structure block";
	case DT_EDEPTH: return "nested too deep";
	case DT_EBADVALUE: return "bad property value";
	case DT_EINVAL: return "invalid argument";
	default: return "unknown error";
	}
}

int dt_mem_rsv(const struct dt *dt, uint32_t index, uint64_t *addr, uint64_t *size)
{
	const uint8_t *e;

	if (index >= dt->n_rsv)
		return DT_ENOTFOUND;
	/* dt_open() checked that entries 0..n_rsv lie inside the blob. */
	e = dt->blob + dt->off_rsvmap + (uint64_t)index * RSV_ENTRY_SIZE;
	*addr = dt_be64(e);
	*size = dt_be64(e + 8);
	return DT_OK;
}

/* ---- nodes ---- */

int dt_root(const struct dt *dt)
{
	struct tok t;
	int off = skip_nops(dt, 0, &t);

	if (off < 0)
		return off;
	return t.tag == DT_BEGIN_NODE ? off : DT_EBADSTRUCT;
}

const char *dt_node_name(const struct dt *dt, int node, uint32_t *len)
{
	struct tok t;

	if (node_tok(dt, node, &t))
		return NULL;
	if (len)
		*len = t.name_len;
	return (const char *)struct_blk(dt) + t.name;
}

int dt_first_child(const struct dt *dt, int node)
{
	struct tok t;
	int off, err = node_tok(dt, node, &t);

	if (err)
		return err;
	off = (int)t.next;
	for (;;) {
		off = skip_nops(dt, off, &t);
		if (off < 0)
			return off;
		switch (t.tag) {
		case DT_PROP:
			off = (int)t.next;
			break;
		case DT_BEGIN_NODE:
			return off;
		case DT_END_NODE:
			return DT_ENOTFOUND;
		default:
			return DT_EBADSTRUCT;
		}
	}
}

/* Offset just past node's FDT_END_NODE. */
static int skip_subtree(const struct dt *dt, int node)
{
	struct tok t;
	int off = node, depth = 0, err;

	for (;;) {
		err = read_tok(dt, off, &t);
		if (err)
			return err;
		switch (t.tag) {
		case DT_BEGIN_NODE:
			if (++depth > DT_MAX_DEPTH)
				return DT_EDEPTH;
			break;
		case DT_END_NODE:
			if (--depth <= 0)
				return depth == 0 ? (int)t.next : DT_EBADSTRUCT;
			break;
		case DT_END:
			return DT_EBADSTRUCT;
		default:
			break;
		}
		off = (int)t.next;
	}
}

int dt_next_sibling(const struct dt *dt, int node)
{
	struct tok t;
	int off, err = node_tok(dt, node, &t);

	if (err)
		return err;
	off = skip_subtree(dt, node);
	if (off < 0)
		return off;
	off = skip_nops(dt, off, &t);
	if (off < 0)
		return off;
	return t.tag == DT_BEGIN_NODE ? off : DT_ENOTFOUND;
}

int dt_next_node(const struct dt *dt, int node, int *depth)
{
	struct tok t;
	int off, err, d = depth ? *depth : 0;

	if (node < 0) {
		if (depth)
			*depth = 0;
		return dt_root(dt);
	}
	err = node_tok(dt, node, &t);
	if (err)
		return err;
	off = (int)t.next;
	for (;;) {
		err = read_tok(dt, off, &t);
		if (err)
			return err;
		switch (t.tag) {
		case DT_BEGIN_NODE:
			if (depth)
				*depth = d + 1;
			return off;
		case DT_END_NODE:
			d--;
			break;
		case DT_END:
			if (depth)
				*depth = d;
			return DT_ENOTFOUND;
		default:
			break;
		}
		off = (int)t.next;
	}
}

bool dt_name_matches(const char *node_name, uint32_t node_len, const char *name, size_t len)
{
	if (len == node_len && !memcmp(node_name, name, len))
		return true;
	if (has_char(name, len, '@'))
		return false;
	return node_len > len && node_name[len] == '@' && !memcmp(node_name, name, len);
}

int dt_subnode(const struct dt *dt, int parent, const char *name, size_t len)
{
	const char *nm;
	uint32_t nlen;
	int child, best = DT_ENOTFOUND;

	for (child = dt_first_child(dt, parent); child >= 0; child = dt_next_sibling(dt, child)) {
		nm = dt_node_name(dt, child, &nlen);
		if (!nm)
			return DT_EBADSTRUCT;
		if (nlen == len && !memcmp(nm, name, len))
			return child;
		if (best < 0 && dt_name_matches(nm, nlen, name, len))
			best = child;
	}
	if (child != DT_ENOTFOUND)
		return child;
	return best;
}

int dt_path(const struct dt *dt, const char *path, size_t len)
{
	size_t i = 1, j;
	int node;

	if (!path)
		return DT_EINVAL;
	len = strnlen(path, len);
	if (!len || path[0] != '/')
		return DT_EINVAL;
	node = dt_root(dt);
	while (node >= 0 && i < len) {
		while (i < len && path[i] == '/')
			i++;
		for (j = i; j < len && path[j] != '/'; j++)
			;
		if (j > i)
			node = dt_subnode(dt, node, path + i, j - i);
		i = j;
	}
	return node;
}

int dt_path_str(const struct dt *dt, const char *path)
{
	return dt_path(dt, path, path ? strlen(path) : 0);
}

int dt_ancestors(const struct dt *dt, int node, int *stack, int max)
{
	struct tok t;
	int off, n = 0, err;

	err = node_tok(dt, node, &t);
	if (err)
		return err;
	off = dt_root(dt);
	if (off < 0)
		return off;
	/* Node offsets grow in tree order, so stop once past the wanted one. */
	while (off <= node) {
		err = read_tok(dt, off, &t);
		if (err)
			return err;
		switch (t.tag) {
		case DT_BEGIN_NODE:
			if (n >= max || n >= DT_MAX_DEPTH)
				return DT_EDEPTH;
			stack[n++] = off;
			if (off == node)
				return n;
			break;
		case DT_END_NODE:
			if (--n <= 0)
				return DT_ENOTFOUND;
			break;
		case DT_END:
			return DT_ENOTFOUND;
		default:
			break;
		}
		off = (int)t.next;
	}
	return DT_ENOTFOUND;
}

int dt_parent(const struct dt *dt, int node)
{
	int stack[DT_MAX_DEPTH];
	int n = dt_ancestors(dt, node, stack, DT_MAX_DEPTH);

	if (n < 0)
		return n;
	return n >= 2 ? stack[n - 2] : DT_ENOTFOUND;
}

/* Appends s[0..n) at buf[*pos], truncating; *pos counts the untruncated length. */
static void put(char *buf, size_t len, size_t *pos, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, (*pos)++)
		if (*pos + 1 < len)
			buf[*pos] = s[i];
}

int dt_node_path(const struct dt *dt, int node, char *buf, size_t len)
{
	int stack[DT_MAX_DEPTH];
	int n = dt_ancestors(dt, node, stack, DT_MAX_DEPTH), i;
	size_t pos = 0;
	const char *nm;
	uint32_t nlen;

	if (n < 0)
		return n;
	if (n == 1)
		put(buf, len, &pos, "/", 1);
	for (i = 1; i < n; i++) {
		nm = dt_node_name(dt, stack[i], &nlen);
		if (!nm)
			return DT_EBADSTRUCT;
		put(buf, len, &pos, "/", 1);
		put(buf, len, &pos, nm, nlen);
	}
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos > (size_t)DT_MAX_SIZE ? DT_EBADSTRUCT : (int)pos;
}

int dt_find_compatible(const struct dt *dt, int after, const char *compat)
{
	int node = after < 0 ? dt_root(dt) : dt_next_node(dt, after, NULL);

	for (; node >= 0; node = dt_next_node(dt, node, NULL))
		if (dt_node_is_compatible(dt, node, compat))
			return node;
	return node;
}

int dt_find_phandle(const struct dt *dt, uint32_t ph)
{
	uint32_t v;
	int node, found = DT_ENOTFOUND;

	/* 0 and ~0 are never valid phandles. */
	if (ph == 0 || ph == 0xffffffffU)
		return DT_ENOTFOUND;
	for (node = dt_root(dt); node >= 0; node = dt_next_node(dt, node, NULL)) {
		if (dt_getprop_u32(dt, node, "phandle", &v) &&
		    dt_getprop_u32(dt, node, "linux,phandle", &v))
			continue;
		if (v != ph)
			continue;
		if (found >= 0)
			return DT_EBADSTRUCT; /* ambiguous */
		found = node;
	}
	if (node != DT_ENOTFOUND)
		return node;
	return found;
}

/* ---- properties ---- */

int dt_first_prop(const struct dt *dt, int node)
{
	struct tok t;
	int off, err = node_tok(dt, node, &t);

	if (err)
		return err;
	off = skip_nops(dt, (int)t.next, &t);
	if (off < 0)
		return off;
	return t.tag == DT_PROP ? off : DT_ENOTFOUND;
}

int dt_next_prop(const struct dt *dt, int prop)
{
	struct tok t;
	int off, err = read_tok(dt, prop, &t);

	if (err)
		return err;
	if (t.tag != DT_PROP)
		return DT_EINVAL;
	off = skip_nops(dt, (int)t.next, &t);
	if (off < 0)
		return off;
	return t.tag == DT_PROP ? off : DT_ENOTFOUND;
}

int dt_prop_get(const struct dt *dt, int prop, const char **name, const void **val, uint32_t *len)
{
	struct tok t;
	int err = read_tok(dt, prop, &t);

	if (err)
		return err;
	if (t.tag != DT_PROP)
		return DT_EINVAL;
	if (name)
		*name = (const char *)strings_blk(dt) + t.name;
	if (val)
		*val = struct_blk(dt) + t.val;
	if (len)
		*len = t.len;
	return DT_OK;
}

const void *dt_getprop_namelen(const struct dt *dt, int node, const char *name, size_t namelen,
			       uint32_t *len)
{
	const uint8_t *str = strings_blk(dt);
	struct tok t;
	int off;

	if (node_tok(dt, node, &t))
		return NULL;
	/* One token read per property: they follow the node's name, before its children. */
	for (off = skip_nops(dt, (int)t.next, &t); off >= 0 && t.tag == DT_PROP;
	     off = skip_nops(dt, (int)t.next, &t)) {
		if (namelen < dt->size_strings - t.name && !str[t.name + namelen] &&
		    !memcmp(str + t.name, name, namelen)) {
			if (len)
				*len = t.len;
			return struct_blk(dt) + t.val;
		}
	}
	return NULL;
}

const void *dt_getprop(const struct dt *dt, int node, const char *name, uint32_t *len)
{
	return dt_getprop_namelen(dt, node, name, strlen(name), len);
}

int dt_getprop_u32(const struct dt *dt, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *v = dt_getprop(dt, node, name, &len);

	if (!v)
		return DT_ENOTFOUND;
	if (len != 4)
		return DT_EBADVALUE;
	*out = dt_be32(v);
	return DT_OK;
}

int dt_getprop_u64(const struct dt *dt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *v = dt_getprop(dt, node, name, &len);

	if (!v)
		return DT_ENOTFOUND;
	if (len != 4 && len != 8)
		return DT_EBADVALUE;
	return dt_read_number(v, len / 4, out);
}

int dt_getprop_str(const struct dt *dt, int node, const char *name, const char **out)
{
	uint32_t len;
	const char *v = dt_getprop(dt, node, name, &len);

	if (!v)
		return DT_ENOTFOUND;
	if (!len || nul_index((const uint8_t *)v, len) == len)
		return DT_EBADVALUE;
	*out = v;
	return DT_OK;
}

bool dt_node_is_available(const struct dt *dt, int node)
{
	uint32_t len;
	const char *s = dt_getprop(dt, node, "status", &len);

	if (!s)
		return true;
	return (len == 5 && !memcmp(s, "okay", 5)) || (len == 3 && !memcmp(s, "ok", 3));
}

bool dt_node_is_compatible(const struct dt *dt, int node, const char *compat)
{
	uint32_t len;
	const char *list = dt_getprop(dt, node, "compatible", &len);

	return list && dt_stringlist_contains(list, len, compat);
}

/* ---- string lists ---- */

int dt_stringlist_count(const char *list, uint32_t len)
{
	uint32_t i;
	int n = 0;

	if (len && list[len - 1])
		return DT_EBADVALUE;
	for (i = 0; i < len; i++)
		if (!list[i])
			n++;
	return n;
}

const char *dt_stringlist_get(const char *list, uint32_t len, uint32_t index, uint32_t *slen)
{
	uint32_t pos = 0, n;

	while (pos < len) {
		n = nul_index((const uint8_t *)list + pos, len - pos);
		if (n == len - pos)
			return NULL; /* unterminated tail */
		if (!index--) {
			if (slen)
				*slen = n;
			return list + pos;
		}
		pos += n + 1;
	}
	return NULL;
}

bool dt_stringlist_contains(const char *list, uint32_t len, const char *str)
{
	size_t want = strlen(str);
	uint32_t pos = 0, n;

	while (pos < len) {
		n = nul_index((const uint8_t *)list + pos, len - pos);
		if (n == len - pos)
			return false;
		if (n == want && !memcmp(list + pos, str, n))
			return true;
		pos += n + 1;
	}
	return false;
}

/* ---- cells, reg, ranges ---- */

int dt_read_number(const void *cells, uint32_t ncells, uint64_t *out)
{
	switch (ncells) {
	case 1:
		*out = dt_be32(cells);
		return DT_OK;
	case 2:
		*out = dt_be64(cells);
		return DT_OK;
	default:
		return DT_EBADVALUE;
	}
}

static int cells_prop(const struct dt *dt, int node, const char *name, int dflt)
{
	struct tok t;
	uint32_t v;
	int err = node_tok(dt, node, &t);

	if (err)
		return err;
	err = dt_getprop_u32(dt, node, name, &v);
	if (err == DT_ENOTFOUND)
		return dflt;
	if (err)
		return err;
	return v > DT_MAX_CELLS ? DT_EBADVALUE : (int)v;
}

int dt_addr_cells(const struct dt *dt, int node)
{
	return cells_prop(dt, node, "#address-cells", 2);
}

int dt_size_cells(const struct dt *dt, int node)
{
	return cells_prop(dt, node, "#size-cells", 1);
}

int dt_parent_addr_cells(const struct dt *dt, int node)
{
	int parent = dt_parent(dt, node);

	return parent < 0 ? parent : dt_addr_cells(dt, parent);
}

int dt_parent_size_cells(const struct dt *dt, int node)
{
	int parent = dt_parent(dt, node);

	return parent < 0 ? parent : dt_size_cells(dt, parent);
}

int dt_reg_count(const struct dt *dt, int node, const char *prop, uint32_t ac, uint32_t sc)
{
	uint32_t len, entry;

	if (ac < 1 || ac > 2 || sc > 2)
		return DT_EBADVALUE;
	if (!dt_getprop(dt, node, prop, &len))
		return DT_ENOTFOUND;
	entry = (ac + sc) * 4;
	if (len % entry)
		return DT_EBADVALUE;
	return (int)(len / entry);
}

int dt_read_reg(const struct dt *dt, int node, const char *prop, uint32_t ac, uint32_t sc,
		uint32_t index, uint64_t *addr, uint64_t *size)
{
	const uint8_t *v;
	uint32_t len, entry;

	if (ac < 1 || ac > 2 || sc > 2)
		return DT_EBADVALUE;
	v = dt_getprop(dt, node, prop, &len);
	if (!v)
		return DT_ENOTFOUND;
	entry = (ac + sc) * 4;
	if (len % entry)
		return DT_EBADVALUE;
	if (index >= len / entry)
		return DT_ENOTFOUND;
	v += (size_t)index * entry;
	dt_read_number(v, ac, addr);
	*size = 0;
	if (sc)
		dt_read_number(v + ac * 4, sc, size);
	return DT_OK;
}

int dt_reg(const struct dt *dt, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
	int parent = dt_parent(dt, node), ac, sc;

	if (parent < 0)
		return parent;
	ac = dt_addr_cells(dt, parent);
	if (ac < 0)
		return ac;
	sc = dt_size_cells(dt, parent);
	if (sc < 0)
		return sc;
	return dt_read_reg(dt, node, "reg", (uint32_t)ac, (uint32_t)sc, index, addr, size);
}

/* One bus level: child address a of bus (whose parent is up) into up's address space. */
static int translate_one(const struct dt *dt, int bus, int up, uint64_t *a)
{
	const uint8_t *r;
	uint32_t len, entry, i;
	uint64_t cba, pba, l;
	int ca, pa, sc;

	r = dt_getprop(dt, bus, "ranges", &len);
	if (!r)
		return DT_ENOTFOUND; /* no ranges: not memory-mapped through this bus */
	if (!len)
		return DT_OK; /* identity */
	ca = dt_addr_cells(dt, bus);
	pa = dt_addr_cells(dt, up);
	sc = dt_size_cells(dt, bus);
	if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || sc < 1 || sc > 2)
		return DT_EBADVALUE;
	entry = (uint32_t)(ca + pa + sc) * 4;
	if (len % entry)
		return DT_EBADVALUE;
	for (i = 0; i < len / entry; i++, r += entry) {
		dt_read_number(r, (uint32_t)ca, &cba);
		dt_read_number(r + ca * 4, (uint32_t)pa, &pba);
		dt_read_number(r + (ca + pa) * 4, (uint32_t)sc, &l);
		if (*a >= cba && *a - cba < l) {
			if (add_overflows(pba, *a - cba, a))
				return DT_EBADVALUE;
			return DT_OK;
		}
	}
	return DT_ENOTFOUND;
}

int dt_translate(const struct dt *dt, int node, uint64_t *addr)
{
	int stack[DT_MAX_DEPTH];
	int n = dt_ancestors(dt, node, stack, DT_MAX_DEPTH), i, err;

	if (n < 0)
		return n;
	/* stack[i] is the bus node's reg lives on for i = n - 2; the root needs no translation. */
	for (i = n - 2; i >= 1; i--) {
		err = translate_one(dt, stack[i], stack[i - 1], addr);
		if (err)
			return err;
	}
	return DT_OK;
}

int dt_reg_translated(const struct dt *dt, int node, uint32_t index, uint64_t *addr,
		      uint64_t *size)
{
	int err = dt_reg(dt, node, index, addr, size);

	return err ? err : dt_translate(dt, node, addr);
}
