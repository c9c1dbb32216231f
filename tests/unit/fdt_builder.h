/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny flattened-device-tree writer for unit tests: builds well-formed trees token by
 * token, and lets a test inject raw words or patch the result to make malformed ones.
 * Independent of hypervisor/lib/fdt.c on purpose (a test must not share the reader's bugs).
 */
#ifndef FTVISOR_TESTS_FDT_BUILDER_H
#define FTVISOR_TESTS_FDT_BUILDER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FB_STRUCT_MAX (64 * 1024)
#define FB_STRINGS_MAX (8 * 1024)
#define FB_RSV_MAX 16

struct fdtb {
	uint8_t st[FB_STRUCT_MAX];
	size_t st_len;
	char str[FB_STRINGS_MAX];
	size_t str_len;
	uint64_t rsv[FB_RSV_MAX][2];
	unsigned int n_rsv;
	uint32_t version;	/* header version; 16 drops size_dt_struct */
	int no_end;		/* leave out the final FDT_END */
	int depth;		/* nodes begun and not yet ended */
};

static inline void fb_put32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline uint32_t fb_get32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline void fb_put64(void *p, uint64_t v)
{
	fb_put32(p, (uint32_t)(v >> 32));
	fb_put32((uint8_t *)p + 4, (uint32_t)v);
}

static inline struct fdtb *fb_new(void)
{
	struct fdtb *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	b->version = 17;
	return b;
}

static inline void fb_bytes(struct fdtb *b, const void *p, size_t n)
{
	if (b->st_len + n > FB_STRUCT_MAX)
		abort();
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
}

static inline void fb_pad(struct fdtb *b)
{
	while (b->st_len & 3)
		b->st[b->st_len++] = 0;
}

/* A raw big-endian word into the structure block. */
static inline void fb_word(struct fdtb *b, uint32_t v)
{
	uint8_t w[4];

	fb_put32(w, v);
	fb_bytes(b, w, 4);
}

static inline void fb_rsv(struct fdtb *b, uint64_t addr, uint64_t size)
{
	if (b->n_rsv >= FB_RSV_MAX)
		abort();
	b->rsv[b->n_rsv][0] = addr;
	b->rsv[b->n_rsv][1] = size;
	b->n_rsv++;
}

/* Offset of name in the strings block, adding it when new. */
static inline uint32_t fb_string(struct fdtb *b, const char *name)
{
	size_t n = strlen(name) + 1, off = 0;

	while (off < b->str_len) {
		if (!strcmp(b->str + off, name))
			return (uint32_t)off;
		off += strlen(b->str + off) + 1;
	}
	if (b->str_len + n > FB_STRINGS_MAX)
		abort();
	memcpy(b->str + b->str_len, name, n);
	b->str_len += n;
	return (uint32_t)off;
}

static inline void fb_begin(struct fdtb *b, const char *name)
{
	fb_word(b, 1);
	fb_bytes(b, name, strlen(name) + 1);
	fb_pad(b);
	b->depth++;
}

static inline void fb_end(struct fdtb *b)
{
	fb_word(b, 2);
	b->depth--;
}

/* Ends every node still open. */
static inline void fb_close_all(struct fdtb *b)
{
	while (b->depth > 0)
		fb_end(b);
}

static inline void fb_nop(struct fdtb *b)
{
	fb_word(b, 4);
}

/* A property with an explicit name offset and length word (for malformed trees). */
static inline void fb_prop_raw(struct fdtb *b, uint32_t nameoff, uint32_t lenword, const void *val,
			       size_t n)
{
	fb_word(b, 3);
	fb_word(b, lenword);
	fb_word(b, nameoff);
	if (n)
		fb_bytes(b, val, n);
	fb_pad(b);
}

static inline void fb_prop(struct fdtb *b, const char *name, const void *val, size_t n)
{
	fb_prop_raw(b, fb_string(b, name), (uint32_t)n, val, n);
}

static inline void fb_prop_empty(struct fdtb *b, const char *name)
{
	fb_prop(b, name, NULL, 0);
}

static inline void fb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fb_prop(b, name, s, strlen(s) + 1);
}

/* n cells given as unsigned ints. */
static inline void fb_prop_cells(struct fdtb *b, const char *name, int n, ...)
{
	uint8_t v[256];
	va_list ap;
	int i;

	if (n * 4 > (int)sizeof(v))
		abort();
	va_start(ap, n);
	for (i = 0; i < n; i++)
		fb_put32(v + 4 * i, va_arg(ap, unsigned int));
	va_end(ap);
	fb_prop(b, name, v, (size_t)n * 4);
}

static inline void fb_prop_u32(struct fdtb *b, const char *name, uint32_t v)
{
	fb_prop_cells(b, name, 1, v);
}

/*
 * Lays out header (40 bytes), reservation map, structure and strings blocks into out, which
 * must be 8-byte aligned. Returns totalsize. Offsets of the blocks are standard:
 * rsvmap at 40, struct after it, strings after struct.
 */
static inline size_t fb_finish(struct fdtb *b, void *out, size_t cap)
{
	uint8_t *o = out;
	size_t rsv_off = 40, st_off, str_off, total, i, st_len;

	if (!b->no_end)
		fb_word(b, 9);
	st_len = b->st_len;
	st_off = rsv_off + 16 * (b->n_rsv + 1);
	str_off = st_off + st_len;
	total = str_off + b->str_len;
	if (total > cap)
		abort();
	memset(o, 0, total);
	fb_put32(o + 0, 0xd00dfeed);
	fb_put32(o + 4, (uint32_t)total);
	fb_put32(o + 8, (uint32_t)st_off);
	fb_put32(o + 12, (uint32_t)str_off);
	fb_put32(o + 16, (uint32_t)rsv_off);
	fb_put32(o + 20, b->version);
	fb_put32(o + 24, 16);
	fb_put32(o + 28, 0);
	fb_put32(o + 32, (uint32_t)b->str_len);
	fb_put32(o + 36, b->version >= 17 ? (uint32_t)st_len : 0);
	for (i = 0; i < b->n_rsv; i++) {
		fb_put64(o + rsv_off + 16 * i, b->rsv[i][0]);
		fb_put64(o + rsv_off + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(o + st_off, b->st, st_len);
	memcpy(o + str_off, b->str, b->str_len);
	if (!b->no_end)
		b->st_len -= 4; /* so the builder can be finished again after more tokens */
	return total;
}

/* ---- test data ---- */

/* Reads tests/data/dtb/<name> into a fresh 8-byte-aligned buffer (with spare room). */
static inline uint8_t *fb_load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	long n;
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/dtb/%s", TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = aligned_alloc(8, ((size_t)n + 64 + 7) & ~(size_t)7);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
