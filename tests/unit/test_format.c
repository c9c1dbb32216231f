/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ft_vsnprintf/ft_snprintf against the host's snprintf: a fixed table and randomized
 * flag/width/precision/length combinations (fixed seed), every one also cut to smaller
 * buffers. %p, %b and the choices format.c documents are checked against literal strings.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/format.h"

#define BUF 512
#define GUARD 0x5a

/* No format attribute: lets the tests pass formats -Wformat would (rightly) reject. */
static int ftv(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = ft_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: cheap, and the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* What the single (non-%%) conversion of a format takes as its argument. */
enum argt {
	A_INT, A_UINT, A_LONG, A_ULONG, A_LL, A_ULL, A_SIZE, A_PTRDIFF, A_INTMAX, A_UINTMAX,
	A_CHAR, A_STR, A_PTR,
};

struct fmt_info {
	enum argt type;
	int nstar;
	char conv;
};

static struct fmt_info classify(const char *fmt)
{
	struct fmt_info fi = { A_INT, 0, 0 };
	const char *p = fmt;
	int specs = 0;
	char len[3] = "";

	while ((p = strchr(p, '%'))) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		specs++;
		while (*p && strchr("-0+ #", *p))
			p++;
		if (*p == '*') {
			fi.nstar++;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				fi.nstar++;
				p++;
			}
			while (*p >= '0' && *p <= '9')
				p++;
		}
		memset(len, 0, sizeof(len));
		if (strchr("hlztj", *p)) {
			len[0] = *p++;
			if ((len[0] == 'h' || len[0] == 'l') && *p == len[0])
				len[1] = *p++;
		}
		fi.conv = *p++;
	}
	assert_int_equal(specs, 1);

	switch (fi.conv) {
	case 'd':
	case 'i':
		fi.type = !strcmp(len, "l") ? A_LONG : !strcmp(len, "ll") ? A_LL :
			  (!strcmp(len, "z") || !strcmp(len, "t")) ? A_PTRDIFF :
			  !strcmp(len, "j") ? A_INTMAX : A_INT;
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
	case 'b':
		fi.type = !strcmp(len, "l") ? A_ULONG : !strcmp(len, "ll") ? A_ULL :
			  !strcmp(len, "z") ? A_SIZE : !strcmp(len, "t") ? A_PTRDIFF :
			  !strcmp(len, "j") ? A_UINTMAX : A_UINT;
		break;
	case 'c':
		fi.type = A_CHAR;
		break;
	case 's':
		fi.type = A_STR;
		break;
	case 'p':
		fi.type = A_PTR;
		break;
	default:
		fail_msg("bad test format %s", fmt);
	}
	return fi;
}

/* Same argument list to both: the '*' values, then the one conversion argument. */
#define CALL_STARS(fn, buf, size, fmt, nstar, s1, s2, arg)                          \
	((nstar) == 0 ? fn(buf, size, fmt, arg) :                                   \
	 (nstar) == 1 ? fn(buf, size, fmt, s1, arg) : fn(buf, size, fmt, s1, s2, arg))

#define CALL_TYPED(fn, buf, size, fmt, fi, s1, s2, v, str)                              \
	((fi).type == A_INT ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (int)(v)) : \
	 (fi).type == A_UINT ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,            \
					  (unsigned int)(v)) :                                 \
	 (fi).type == A_LONG ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (long)(v)) : \
	 (fi).type == A_ULONG ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,           \
					   (unsigned long)(v)) :                               \
	 (fi).type == A_LL ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,              \
					(long long)(v)) :                                      \
	 (fi).type == A_ULL ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,             \
					 (unsigned long long)(v)) :                            \
	 (fi).type == A_SIZE ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (size_t)(v)) : \
	 (fi).type == A_PTRDIFF ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,         \
					     (ptrdiff_t)(v)) :                                 \
	 (fi).type == A_INTMAX ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,          \
					    (intmax_t)(v)) :                                   \
	 (fi).type == A_UINTMAX ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2,         \
					     (uintmax_t)(v)) :                                 \
	 (fi).type == A_CHAR ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (int)(v)) : \
	 (fi).type == A_STR ? CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (str)) :      \
	 CALL_STARS(fn, buf, size, fmt, (fi).nstar, s1, s2, (void *)(uintptr_t)(v)))

static unsigned long compared;

/* Run fmt through both at buffer size `size`; compare results, contents and guard bytes. */
static void compare_one(const char *fmt, size_t size, int s1, int s2, uint64_t v, const char *str)
{
	struct fmt_info fi = classify(fmt);
	char hbuf[BUF + 16], fbuf[BUF + 16];
	int hr, fr;

	assert_true(size <= BUF);
	memset(hbuf, GUARD, sizeof(hbuf));
	memset(fbuf, GUARD, sizeof(fbuf));
	hr = CALL_TYPED(snprintf, size ? hbuf : NULL, size, fmt, fi, s1, s2, v, str);
	fr = CALL_TYPED(ftv, size ? fbuf : NULL, size, fmt, fi, s1, s2, v, str);
	if (hr != fr || memcmp(hbuf, fbuf, sizeof(fbuf))) {
		print_error("fmt \"%s\" size %zu stars %d %d value %#llx str %s\n"
			    "  host %d \"%.*s\"\n  ours %d \"%.*s\"\n",
			    fmt, size, s1, s2, (unsigned long long)v, str ? str : "-", hr,
			    (int)MIN(size, (size_t)BUF), hbuf, fr, (int)MIN(size, (size_t)BUF), fbuf);
		fail();
	}
	compared++;
}

/* Full size, then a few truncated sizes including 0 (NULL buffer) and 1. */
static void compare_sizes(const char *fmt, int s1, int s2, uint64_t v, const char *str)
{
	struct fmt_info fi = classify(fmt);
	char tmp[BUF];
	int full = CALL_TYPED(snprintf, tmp, sizeof(tmp), fmt, fi, s1, s2, v, str);

	assert_true(full >= 0 && full < BUF);
	compare_one(fmt, BUF, s1, s2, v, str);
	compare_one(fmt, 0, s1, s2, v, str);
	compare_one(fmt, 1, s1, s2, v, str);
	compare_one(fmt, (size_t)full, s1, s2, v, str);
	compare_one(fmt, (size_t)full + 1, s1, s2, v, str);
	compare_one(fmt, 1 + rnd_below((unsigned int)full + 2), s1, s2, v, str);
}

/* The tables leave out '*' arguments a format does not take. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct int_case {
	const char *fmt;
	uint64_t v;
	int s1, s2;
};

static const struct int_case int_table[] = {
	{ "%d", 0 }, { "%d", 1 }, { "%d", (uint64_t)-1 }, { "%d", 2147483647 },
	{ "%d", (uint64_t)INT_MIN }, { "%i", (uint64_t)-12345 }, { "%u", 4294967295u },
	{ "%u", 0 }, { "%x", 0xdeadbeef }, { "%X", 0xdeadbeef }, { "%o", 8 }, { "%o", 0 },
	{ "%5d", 42 }, { "%-5d|", 42 }, { "%05d", 42 }, { "%05d", (uint64_t)-42 },
	{ "%+d", 42 }, { "%+d", 0 }, { "%+d", (uint64_t)-42 }, { "% d", 42 }, { "% d", (uint64_t)-42 },
	{ "%+ d", 42 }, { "% +d", 42 }, { "%.0d", 0 }, { "%.0d", 1 }, { "%5.0d|", 0 },
	{ "%+.0d", 0 }, { "% .0d", 0 }, { "%.3d", 7 }, { "%.3d", (uint64_t)-7 }, { "%8.3d", (uint64_t)-7 },
	{ "%-8.3d|", (uint64_t)-7 }, { "%08.3d", 7 }, { "%-08d|", 7 }, { "%010d", (uint64_t)INT_MIN },
	{ "%#x", 0 }, { "%#x", 255 }, { "%#X", 255 }, { "%#o", 0 }, { "%#o", 8 }, { "%#.0o", 0 },
	{ "%#.0x", 0 }, { "%#.3o", 8 }, { "%#.5o", 8 }, { "%#5o", 8 }, { "%#05o", 8 },
	{ "%#08x", 0xab }, { "%#-8x|", 0xab }, { "%#8.4x", 0xab }, { "%#.0X", 1 },
	{ "%hhd", 300 }, { "%hhd", 128 }, { "%hhd", 255 }, { "%hhu", (uint64_t)-1 }, { "%hhx", 0x1ff },
	{ "%hd", 70000 }, { "%hd", 32768 }, { "%hu", (uint64_t)-1 }, { "%hx", 0x12345 }, { "%ho", 0xffff },
	{ "%ld", (uint64_t)LONG_MIN }, { "%ld", LONG_MAX }, { "%lu", ULONG_MAX }, { "%lx", ULONG_MAX },
	{ "%lld", (uint64_t)INT64_MIN }, { "%lld", INT64_MAX }, { "%llu", UINT64_MAX },
	{ "%llo", UINT64_MAX }, { "%llX", 0x0123456789abcdefULL }, { "%lli", (uint64_t)INT64_MIN },
	{ "%+lld", (uint64_t)INT64_MIN }, { "%25lld|", (uint64_t)INT64_MIN },
	{ "%-25lld|", (uint64_t)INT64_MIN }, { "%025lld", (uint64_t)INT64_MIN },
	{ "%.22lld", (uint64_t)INT64_MIN }, { "%jd", (uint64_t)INT64_MIN }, { "%ju", UINT64_MAX },
	{ "%zd", (uint64_t)-5 }, { "%zu", SIZE_MAX }, { "%zx", SIZE_MAX }, { "%td", (uint64_t)-5 },
	{ "%tx", (uint64_t)-1 }, { "%tu", (uint64_t)-1 }, { "%+u", 5 }, { "% u", 5 }, { "%+x", 5 },
	{ "%#d", 5 }, { "%#u", 5 }, { "%*d", 3, 6 }, { "%*d", 3, -6 }, { "%-*d|", 3, 6 },
	{ "%.*d", 3, 5 }, { "%.*d", 3, -5 }, { "%0.*d", 3, -5 }, { "%0*d", 3, 6 }, { "%0*d", 3, -6 },
	{ "%*.*d", 3, 8, 5 }, { "%*.*d", (uint64_t)-3, -8, 5 }, { "%0*.*x", 0xab, 8, 4 },
	{ "%-*.*o|", 0777, 10, 6 }, { "%1d", 12345 }, { "%40.30llx", UINT64_MAX },
	{ "%---5d|", 1 }, { "%00005d", 1 }, { "%-+ #0d|", 9 },
	{ "x%%y%dz%%", 3 }, { "%%%d%%", (uint64_t)-3 }, { "%c", 'a' }, { "%5c|", 'a' }, { "%-5c|", 'a' },
	{ "%05c", 'b' }, { "%c", 0x141 }, { "%*c", 'q', -4 }, { "[%c]", 0 }, { "%%%%%u", 7 },
};

static void test_int_table(void **state)
{
	size_t i;

	rng_state = 0x1234567887654321ULL;
	for (i = 0; i < ARRAY_SIZE(int_table); i++) {
		const struct int_case *c = &int_table[i];

		compare_sizes(c->fmt, c->s1, c->s2, c->v, NULL);
	}
}

struct str_case {
	const char *fmt;
	const char *s;
	int s1, s2;
};

static const struct str_case str_table[] = {
	{ "%s", "" }, { "%s", "hello" }, { "[%10s]", "hello" }, { "[%-10s]", "hello" },
	{ "[%.3s]", "hello" }, { "[%.0s]", "hello" }, { "[%.10s]", "hello" }, { "[%10.2s]", "hello" },
	{ "[%-10.2s]", "hello" }, { "[%2s]", "hello" }, { "[%*s]", "ab", 6 }, { "[%*s]", "ab", -6 },
	{ "[%.*s]", "abcdef", 2 }, { "[%.*s]", "abcdef", -2 }, { "[%*.*s]", "abcdef", -8, 3 },
	{ "[%05s]", "ab" }, { "[%+5s]", "ab" }, { "[% s]", "ab" }, { "[%#s]", "ab" },
	{ "%s and more text", "some" }, { "%s", "tab\there\nnewline" }, { "%s", "\xff\x80 high" },
	{ "[%.6s]", NULL }, { "[%s]", NULL }, { "[%10s]", NULL },
};

static void test_str_table(void **state)
{
	size_t i;

	rng_state = 0x5555aaaa5555aaaaULL;
	for (i = 0; i < ARRAY_SIZE(str_table); i++)
		compare_sizes(str_table[i].fmt, str_table[i].s1, str_table[i].s2, 0, str_table[i].s);
}

/* Arguments for an integer conversion: edges, small numbers, random magnitudes. */
static uint64_t rnd_value(void)
{
	static const uint64_t edges[] = {
		0, 1, (uint64_t)-1, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256,
		32767, 32768, 65535, 65536, INT_MAX, (uint64_t)INT_MIN, UINT_MAX,
		(uint64_t)UINT_MAX + 1, INT64_MAX, (uint64_t)INT64_MIN, UINT64_MAX,
		(uint64_t)INT64_MIN + 1, 999999999, 1000000000, 10000000000000000000ULL,
	};
	unsigned int bits;
	uint64_t v;

	switch (rnd_below(4)) {
	case 0:
		return edges[rnd_below(ARRAY_SIZE(edges))];
	case 1:
		return (uint64_t)((int64_t)rnd_below(41) - 20);
	default:
		bits = 1 + rnd_below(64);
		v = rnd() >> (64 - bits);
		return rnd_below(2) ? v : 0 - v;
	}
}

static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };

/* Random flags (possibly repeated), width and precision, literal or '*'. */
static int rnd_spec_head(char *f, int *nst, int *s1, int *s2, bool allow_prec)
{
	int n = 0, i, nflags = (int)rnd_below(5);
	int stars[2];

	*nst = 0;
	for (i = 0; i < nflags; i++)
		f[n++] = "-0+ #"[rnd_below(5)];
	switch (rnd_below(4)) {
	case 0:
		break;
	case 1:
		n += sprintf(f + n, "%u", 1 + rnd_below(30));
		break;
	case 2:
		f[n++] = '*';
		stars[(*nst)++] = (int)rnd_below(61) - 30;
		break;
	default:
		n += sprintf(f + n, "%u", 1 + rnd_below(3));
		break;
	}
	switch (allow_prec ? rnd_below(5) : 0) {
	case 0:
		break;
	case 1:
		f[n++] = '.';
		break;
	case 2:
		n += sprintf(f + n, ".%u", rnd_below(30));
		break;
	case 3:
		f[n++] = '.';
		f[n++] = '*';
		stars[(*nst)++] = (int)rnd_below(36) - 5;
		break;
	default:
		n += sprintf(f + n, ".%u", rnd_below(3));
		break;
	}
	*s1 = *nst > 0 ? stars[0] : 0;
	*s2 = *nst > 1 ? stars[1] : 0;
	return n;
}

static bool host_has_binary(void)
{
	char b[8];
	const char *f = "%b";

	/* glibc >= 2.35 implements C23 %b; older ones print it literally. */
	return snprintf(b, sizeof(b), f, 5u) == 3 && !strcmp(b, "101");
}

static void test_random_ints(void **state)
{
	const char *convs = host_has_binary() ? "diuxXob" : "diuxXo";
	int iter;

	rng_state = 0x0123456789abcdefULL;
	compared = 0;
	for (iter = 0; iter < 40000; iter++) {
		char f[64];
		int n, nst, s1, s2;

		n = 0;
		if (rnd_below(3) == 0)
			f[n++] = '<';
		f[n++] = '%';
		n += rnd_spec_head(f + n, &nst, &s1, &s2, true);
		n += sprintf(f + n, "%s%c", lengths[rnd_below(ARRAY_SIZE(lengths))],
			     convs[rnd_below((unsigned int)strlen(convs))]);
		if (rnd_below(3) == 0)
			f[n++] = '>';
		f[n] = '\0';
		compare_sizes(f, s1, s2, rnd_value(), NULL);
	}
	print_message("      %lu integer comparisons\n", compared);
}

static void test_random_strings(void **state)
{
	static const char *const strs[] = {
		"", "a", "hello", "hello, world", "0123456789abcdefghij", "with\nnewline",
		"%d not a spec",
	};
	int iter;

	rng_state = 0xfeedfacecafebeefULL;
	compared = 0;
	for (iter = 0; iter < 20000; iter++) {
		char f[64];
		int n = 0, nst, s1, s2;
		bool is_c = rnd_below(3) == 0;
		const char *s = strs[rnd_below(ARRAY_SIZE(strs))];

		f[n++] = '%';
		/* Precision with %c is undefined; glibc and format.c both ignore it, keep it rare. */
		n += rnd_spec_head(f + n, &nst, &s1, &s2, !is_c || rnd_below(4) == 0);
		f[n++] = is_c ? 'c' : 's';
		f[n] = '\0';
		compare_sizes(f, s1, s2, is_c ? 32 + rnd_below(95) : 0, s);
	}
	print_message("      %lu string comparisons\n", compared);
}

/* Formats with several conversions, written out (the dispatcher handles one). */
static void test_multi_vs_host(void **state)
{
	char h[BUF], f[BUF];
	size_t sizes[] = { BUF, 0, 1, 5, 17, 40 };
	size_t i;

#define MULTI(...)                                                                  \
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {                                   \
		memset(h, GUARD, sizeof(h));                                        \
		memset(f, GUARD, sizeof(f));                                        \
		assert_int_equal(snprintf(sizes[i] ? h : NULL, sizes[i], __VA_ARGS__), \
				 ft_snprintf(sizes[i] ? f : NULL, sizes[i], __VA_ARGS__)); \
		assert_memory_equal(h, f, sizeof(h));                               \
	}

	MULTI("%s=%08x (%d%%) %c|%-6s|%lld", "reg", 0xbeefu, -17, 'z', "ab", (long long)INT64_MIN);
	MULTI("%hhu.%hhu.%hhu.%hhu:%hu", (unsigned char)192, (unsigned char)168, (unsigned char)1,
	      (unsigned char)254, (unsigned short)8080);
	MULTI("[%*d] [%-*d] [%.*s]", 6, 42, 6, 42, 3, "abcdef");
	MULTI("%zu bytes at %#llx, %td left, %jd", (size_t)4096, 0x40000000ULL, (ptrdiff_t)-3,
	      (intmax_t)INTMAX_MIN);
	MULTI("%%|%d|%c%c%c", 1, 'a', 'b', 'c');
	MULTI("%s", "");
	MULTI("plain text, no conversions at all");
	MULTI("100%% of %s, %%%u%%", "it", 5u);
#undef MULTI
}

static void expect(const char *want, int want_ret, const char *fmt, ...)
{
	char buf[BUF];
	va_list ap;
	int r;

	memset(buf, GUARD, sizeof(buf));
	va_start(ap, fmt);
	r = ft_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) || r != want_ret) {
		print_error("fmt \"%s\": want %d \"%s\", got %d \"%s\"\n", fmt, want_ret, want, r, buf);
		fail();
	}
}

#define EXPECT(want, ...) expect(want, (int)strlen(want), __VA_ARGS__)

static void test_pointer(void **state)
{
	EXPECT("0x0000000000000000", "%p", NULL);
	EXPECT("0x0000000040001000", "%p", (void *)0x40001000);
	EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	EXPECT("0xdeadbeefcafef00d", "%p", (void *)0xdeadbeefcafef00dULL);
	EXPECT("[  0x0000000000000010]", "[%20p]", (void *)16);
	EXPECT("[0x0000000000000010  ]", "[%-20p]", (void *)16);
	EXPECT("[  0x0000000000000010]", "[%*p]", 20, (void *)16);
	EXPECT("[0x0000000000000010  ]", "[%*p]", -20, (void *)16);
	EXPECT("[0x0000000000000010]", "[%5p]", (void *)16);
	/* '0', '#', '+', ' ' and precision do not change %p. */
	expect("[  0x0000000000000010]", 22, "[%020p]", (void *)16);
	expect("0x0000000000000010", 18, "%#+ .3p", (void *)16);
	expect("0x0000000000000010", 18, "%lp", (void *)16);
	EXPECT("a 0x0000000000000001 b 0x0000000000000002", "a %p b %p", (void *)1, (void *)2);
}

static void test_binary(void **state)
{
	char ones[65];

	memset(ones, '1', 64);
	ones[64] = '\0';
	EXPECT("0", "%b", 0u);
	EXPECT("1", "%b", 1u);
	EXPECT("101", "%b", 5u);
	EXPECT("0b101", "%#b", 5u);
	EXPECT("0", "%#b", 0u);
	EXPECT("", "%.0b", 0u);
	EXPECT("00000101", "%08b", 5u);
	EXPECT("0b00000101", "%#010b", 5u);
	EXPECT("   0b101", "%#8b", 5u);
	EXPECT("0b101   |", "%#-8b|", 5u);
	EXPECT("0001", "%.4b", 1u);
	EXPECT("  0001", "%6.4b", 1u);
	EXPECT("11111111", "%hhb", 0x1ffu);
	EXPECT("1111111111111111", "%hb", 0xffffffffu);
	EXPECT("11111111111111111111111111111111", "%b", 0xffffffffu);
	EXPECT(ones, "%llb", UINT64_MAX);
	EXPECT(ones, "%jb", UINTMAX_MAX);
	EXPECT(ones, "%zb", (size_t)SIZE_MAX);
	EXPECT("1000000000000000000000000000000000000000000000000000000000000000", "%lb",
	       (unsigned long)INT64_MIN);
	/* Signed-only flags are ignored, as for the other unsigned conversions. */
	EXPECT("101", "%+ b", 5u);
}

static void test_int64_min(void **state)
{
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("-9223372036854775808", "%jd", (intmax_t)INT64_MIN);
	EXPECT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT("-9223372036854775808", "%zd", (ptrdiff_t)INT64_MIN);
	EXPECT("-0009223372036854775808", "%023lld", (long long)INT64_MIN);
	EXPECT("-0009223372036854775808", "%.22lld", (long long)INT64_MIN);
	EXPECT("8000000000000000", "%llx", (unsigned long long)INT64_MIN);
	EXPECT("1000000000000000000000", "%llo", (unsigned long long)INT64_MIN);
	EXPECT("9223372036854775807", "%lld", (long long)INT64_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("-128", "%hhd", -128);
	EXPECT("-32768", "%hd", -32768);
	EXPECT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
}

static void test_string_precision(void **state)
{
	/* Exactly 4 heap bytes, no terminator: ASan fails the test on any read past them. */
	char *s = malloc(4);

	assert_non_null(s);
	memcpy(s, "abcd", 4);
	EXPECT("abcd", "%.4s", s);
	EXPECT("ab", "%.2s", s);
	EXPECT("", "%.0s", s);
	EXPECT("abcd", "%.*s", 4, s);
	EXPECT("[       abc]", "[%10.3s]", s);
	EXPECT("[abc       ]", "[%-10.3s]", s);
	free(s);

	/* Precision larger than the string stops at the terminator. */
	EXPECT("hi", "%.100s", "hi");
	/* A NULL string is "(null)"; a precision cuts it like any other string. */
	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("(nu", "%.3s", (char *)NULL);
	EXPECT("[  (null)]", "[%8s]", (char *)NULL);
	EXPECT("[(null)  ]", "[%-8s]", (char *)NULL);
}

static void test_truncation(void **state)
{
	char buf[64];

	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 5, "hello world"), 11);
	assert_string_equal(buf, "hell");
	assert_int_equal((unsigned char)buf[5], GUARD);

	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 1, "hello %d", 5), 7);
	assert_int_equal(buf[0], '\0');
	assert_int_equal((unsigned char)buf[1], GUARD);

	/* Size 0: nothing written, buf may be NULL; the length is still computed. */
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 0, "hello %s", "world"), 11);
	assert_int_equal((unsigned char)buf[0], GUARD);
	assert_int_equal(ft_snprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(ft_snprintf(NULL, 0, "%-100s|%lld", "x", (long long)INT64_MIN), 121);
	assert_int_equal(ftv(NULL, 0, ""), 0);

	/* Width larger than the buffer, on either side. */
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 10, "%100d", 5), 100);
	assert_string_equal(buf, "         ");
	assert_int_equal((unsigned char)buf[10], GUARD);
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 10, "%-100d|", 5), 101);
	assert_string_equal(buf, "5        ");
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 10, "%0100d", -5), 100);
	assert_string_equal(buf, "-00000000");
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 8, "%.50x", 0xabu), 50);
	assert_string_equal(buf, "0000000");
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(ft_snprintf(buf, 8, "%40s", "abc"), 40);
	assert_string_equal(buf, "       ");
	assert_int_equal((unsigned char)buf[8], GUARD);

	/* Cut inside a prefix or sign. */
	assert_int_equal(ft_snprintf(buf, 2, "%#x", 0xabu), 4);
	assert_string_equal(buf, "0");
	assert_int_equal(ft_snprintf(buf, 2, "%+d", 7), 2);
	assert_string_equal(buf, "+");
}

static void test_huge_width(void **state)
{
	char buf[16];

	/* Padding past the buffer is only counted, so this is fast. */
	assert_int_equal(ft_snprintf(buf, sizeof(buf), "%1000000000d", 1), 1000000000);
	assert_string_equal(buf, "               ");
	assert_int_equal(ft_snprintf(buf, sizeof(buf), "%2147483647d", 1), INT_MAX);
	assert_int_equal(ft_snprintf(buf, sizeof(buf), "%.2147483647d", 1), INT_MAX);
	/* Past INT_MAX the length cannot be returned: -1, buffer still terminated. */
	assert_int_equal(ftv(buf, sizeof(buf), "%2147483648d", 1), -1);
	assert_int_equal(ftv(buf, sizeof(buf), "%99999999999999999999999d", 1), -1);
	assert_int_equal(ftv(buf, sizeof(buf), "%2147483647d%d", 1, 2), -1);
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_int_equal(ftv(buf, sizeof(buf), "%*d", INT_MIN, 1), -1);
	assert_int_equal(buf[0], '1');
	assert_int_equal(ft_snprintf(buf, sizeof(buf), "%*d", INT_MAX, 1), INT_MAX);
}

static void test_literal_and_unknown(void **state)
{
	char buf[64];

	expect("%y", 2, "%y");
	expect("[%-5y]", 6, "[%-5y]");
	expect("abc%", 4, "abc%");
	expect("%5", 2, "%5");
	expect("%ll", 3, "%ll");
	expect("%#.3", 4, "%#.3");
	expect("%n", 2, "%n");	/* no writes through an argument, ever */
	expect("%f %e %g", 8, "%f %e %g");
	expect("%B", 2, "%B");
	expect("%hhh", 4, "%hhh");
	expect("%Lq", 3, "%Lq");
	expect("%", 1, "%");
	expect("%", 1, "%%");
	expect("%", 1, "%5%");
	expect("100%", 4, "%d%%", 100);
	/* '*' arguments of an unknown spec are consumed; the next spec reads the one after. */
	expect("%*y 7", 5, "%*y %d", 3, 7);
	expect("", 0, "");
	/* Each byte of a non-ASCII literal is copied. */
	expect("\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9");

	/* Cut in the middle of an unknown spec. */
	assert_int_equal(ftv(buf, 3, "%-5y"), 4);
	assert_string_equal(buf, "%-");
}

/* ft_vsnprintf leaves the caller's va_list usable for its own va_end. */
static int twice(char *a, char *b, size_t n, const char *fmt, ...)
{
	va_list ap, ap2;
	int r1, r2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	r1 = ft_vsnprintf(a, n, fmt, ap);
	r2 = ft_vsnprintf(b, n, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	assert_int_equal(r1, r2);
	return r1;
}

static void test_vsnprintf(void **state)
{
	char a[32], b[32];

	assert_int_equal(twice(a, b, sizeof(a), "%s-%d-%c", "x", 42, 'y'), 6);
	assert_string_equal(a, "x-42-y");
	assert_string_equal(b, "x-42-y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_table),
		cmocka_unit_test(test_str_table),
		cmocka_unit_test(test_random_ints),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_multi_vs_host),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_int64_min),
		cmocka_unit_test(test_string_precision),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_huge_width),
		cmocka_unit_test(test_literal_and_unknown),
		cmocka_unit_test(test_vsnprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
