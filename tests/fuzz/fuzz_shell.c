/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the management shell's pure logic:
 *  - every input byte through the line editor (core/shell_line.c), checking the line and
 *    the echo after each byte, and every completed line through shell_parse();
 *  - the whole input, as one NUL-terminated line, through shell_parse() directly (bytes the
 *    editor never lets through: tabs, controls, >= 0x80);
 *  - the input as a program for the JSON writer (lib/json.c) into a small, exactly-sized
 *    buffer and into a large one: never past cap, always terminated, printable ASCII, the
 *    small output a prefix of the large one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/shell_line.h"
#include "core/shell_parse.h"
#include "lib/json.h"

#define check(c)                                                                           \
	do {                                                                               \
		if (!(c))                                                                  \
			__builtin_trap();                                                  \
	} while (0)

static void check_parse(char *line, size_t size, int max_cmds)
{
	struct shell_cmd cmds[SHELL_MAX_CMDS + 1];
	char err[48];
	int n;

	memset(err, 0x5a, sizeof(err));
	n = shell_parse(line, cmds, max_cmds, err, sizeof(err));
	check(memchr(err, '\0', sizeof(err)) != NULL);
	check(strchr(err, '\n') == NULL);
	check(n >= -1 && n <= max_cmds);
	if (n < 0) {
		check(err[0] != '\0');
		return;
	}
	check(err[0] == '\0');
	for (int i = 0; i < n; i++) {
		const struct shell_cmd *c = &cmds[i];

		check(c->argc >= 1 && c->argc <= SHELL_MAX_ARGS);
		for (int a = 0; a < SHELL_MAX_ARGS; a++) {
			const char *w = c->argv[a];

			if (a >= c->argc) {
				check(w == NULL);
				continue;
			}
			check(w >= line && w < line + size);
			check(w + strlen(w) < line + size);
			check(w[0] != '\0');
			check(!(w[0] == '-' && w[1] == '-')); /* --json is removed, others fail */
			check(strpbrk(w, " \t;") == NULL);
		}
	}
}

static void fuzz_line(const uint8_t *data, size_t size)
{
	struct shell_line l;
	char echo[SHELL_LINE_ECHO_MAX + 1];
	size_t cap = SHELL_LINE_ECHO_MAX;

	/* Sometimes a short echo buffer, to exercise whole-unit truncation. */
	if (size && (data[0] & 0xc0) == 0xc0)
		cap = data[0] & 7;
	enum shell_line_event prev = SHELL_LINE_NONE;

	shell_line_init(&l);
	for (size_t i = 0; i < size; i++) {
		/* After a line end the next byte starts an empty line. */
		uint32_t before = prev == SHELL_LINE_NONE ? l.len : 0;
		size_t elen = (size_t)-1;
		enum shell_line_event ev;

		echo[cap] = 0x5a;
		ev = shell_line_feed(&l, data[i], echo, cap, &elen);
		check(echo[cap] == 0x5a);
		check(elen <= cap);
		check(l.len < SHELL_LINE_MAX);
		check(l.buf[l.len] == '\0');
		check(strlen(l.buf) == l.len);
		for (uint32_t k = 0; k < l.len; k++)
			check(l.buf[k] >= 0x20 && l.buf[k] <= 0x7e);
		for (size_t k = 0; k < elen; k++)
			check((echo[k] >= 0x20 && echo[k] <= 0x7e) || echo[k] == '\b' ||
			      echo[k] == '\r' || echo[k] == '\n' || echo[k] == '\a');
		check(l.len <= before + 1);
		if (l.len == before + 1) { /* only a typed character (or tab) is appended */
			check(ev == SHELL_LINE_NONE);
			check(l.buf[before] == (data[i] == '\t' ? ' ' : (char)data[i]));
		}
		prev = ev;
		switch (ev) {
		case SHELL_LINE_DONE: {
			char copy[SHELL_LINE_MAX];

			check(data[i] == '\r' || data[i] == '\n');
			check(elen == (cap >= 2 ? 2 : 0));
			if (elen)
				check(!memcmp(echo, "\r\n", 2));
			memcpy(copy, l.buf, l.len + 1);
			check_parse(copy, l.len + 1, SHELL_MAX_CMDS);
			break;
		}
		case SHELL_LINE_CANCEL:
			check(data[i] == 0x03);
			check(l.len == 0);
			check(elen == (cap >= 4 ? 4 : 0));
			if (elen)
				check(!memcmp(echo, "^C\r\n", 4));
			break;
		case SHELL_LINE_NONE:
			break;
		default:
			check(0);
		}
	}
}

/* The JSON program: each byte an operation; strings are the next (len byte, bytes). */
struct reader {
	const uint8_t *p, *end;
};

static int next_byte(struct reader *r)
{
	return r->p < r->end ? *r->p++ : -1;
}

static void next_string(struct reader *r, char *s, size_t cap)
{
	int n = next_byte(r);
	size_t i = 0;

	if (n < 0)
		n = 0;
	while (n-- > 0 && r->p < r->end && i + 1 < cap) {
		if (*r->p)
			s[i++] = (char)*r->p;
		r->p++;
	}
	s[i] = '\0';
}

static uint64_t next_u64(struct reader *r)
{
	uint64_t v = 0;

	for (int k = 0; k < 8; k++) {
		int b = next_byte(r);

		if (b < 0)
			break;
		v = v << 8 | (uint64_t)b;
	}
	return v;
}

static void run_json(struct json *w, const uint8_t *data, size_t size)
{
	struct reader r = { data, data + size };
	char s[256];
	int op;

	while ((op = next_byte(&r)) >= 0) {
		switch (op % 14) {
		case 0: json_obj_begin(w); break;
		case 1: json_obj_end(w); break;
		case 2: json_arr_begin(w); break;
		case 3: json_arr_end(w); break;
		case 4:
			next_string(&r, s, sizeof(s));
			json_key(w, s);
			break;
		case 5:
			next_string(&r, s, sizeof(s));
			json_str(w, s);
			break;
		case 6: json_u64(w, next_u64(&r)); break;
		case 7: json_i64(w, (int64_t)next_u64(&r)); break;
		case 8: json_bool(w, op & 0x80); break;
		case 9: json_null(w); break;
		case 10: {
			int d = next_byte(&r);

			json_fixed(w, (int64_t)next_u64(&r), d < 0 ? 2 : (unsigned int)d % 24);
			break;
		}
		case 11:
			next_string(&r, s, sizeof(s));
			json_kv_str(w, s, op & 0x80 ? NULL : s);
			break;
		case 12:
			next_string(&r, s, sizeof(s));
			json_kv_fixed(w, s, (int64_t)next_u64(&r), op >> 5);
			break;
		default:
			json_str(w, NULL);
			break;
		}
		check(w->cap == 0 || (w->len < w->cap && w->buf[w->len] == '\0'));
	}
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	size_t small_cap, big_cap;
	char *small, *big;
	struct json ws, wb;

	if (size < 2)
		return;
	small_cap = data[0] % 64; /* 0 included: no buffer at all */
	data++;
	size--;
	/* Each input byte gives at most 6 output bytes (an escape); each operation at most
	 * about 48 more (two quotes, a colon, a comma, 21 digits, a sign, a point, 18 zeros). */
	big_cap = 56 * size + 64;
	small = malloc(small_cap + 1);
	big = malloc(big_cap);
	check(small && big);
	memset(small, 0x5a, small_cap + 1);
	json_init(&ws, small_cap ? small : NULL, small_cap);
	json_init(&wb, big, big_cap);
	run_json(&ws, data, size);
	run_json(&wb, data, size);

	check(small[small_cap] == 0x5a);
	check(strlen(big) == wb.len);
	for (size_t i = 0; i < wb.len; i++)
		check(big[i] >= 0x20 && big[i] <= 0x7e);
	if (small_cap) {
		check(ws.len < small_cap);
		check(small[ws.len] == '\0');
		check(strlen(small) == ws.len);
		check(ws.len <= wb.len);
		check(!memcmp(small, big, ws.len));
		/* Whatever fits the small buffer comes out the same, overflow (from misuse:
		 * the big buffer is always large enough) included. */
		if (wb.len < small_cap) {
			check(ws.overflow == wb.overflow);
			check(ws.len == wb.len);
		} else {
			check(ws.overflow);
		}
	} else {
		check(ws.overflow && ws.len == 0);
	}
	free(small);
	free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line;

	fuzz_line(data, size);

	line = malloc(size + 1);
	check(line != NULL);
	memcpy(line, data, size);
	line[size] = '\0';
	check_parse(line, size + 1, size ? data[0] % (SHELL_MAX_CMDS + 1) : SHELL_MAX_CMDS);
	free(line);

	fuzz_json(data, size);
	return 0;
}
