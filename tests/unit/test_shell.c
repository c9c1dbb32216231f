/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/shell_line.c (the management shell's line editor) and core/shell_parse.c (splitting
 * lines into commands and words, VM names, choices, numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/shell_line.h"
#include "core/shell_parse.h"

/* ---- line editor ------------------------------------------------------------------------ */

/* What feeding a byte string produced: every echo concatenated, the events in order. */
struct fed {
	char echo[4096];
	size_t echo_len;
	enum shell_line_event ev[64];
	int nev;	/* events other than SHELL_LINE_NONE */
	char line[64][SHELL_LINE_MAX]; /* l->buf at each DONE */
	enum shell_line_event last;    /* the event of the last byte */
};

static void feed_n(struct shell_line *l, const char *s, size_t n, struct fed *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		char echo[SHELL_LINE_ECHO_MAX];
		size_t elen = 12345;
		enum shell_line_event ev;

		ev = shell_line_feed(l, (uint8_t)s[i], echo, sizeof(echo), &elen);
		assert_true(elen <= sizeof(echo));
		assert_true(f->echo_len + elen < sizeof(f->echo));
		memcpy(f->echo + f->echo_len, echo, elen);
		f->echo_len += elen;
		f->echo[f->echo_len] = '\0';
		assert_true(l->len < SHELL_LINE_MAX);
		assert_int_equal(l->buf[l->len], '\0');
		assert_int_equal(strlen(l->buf), l->len);
		f->last = ev;
		if (ev != SHELL_LINE_NONE) {
			assert_true(f->nev < 64);
			if (ev == SHELL_LINE_DONE)
				strcpy(f->line[f->nev], l->buf);
			f->ev[f->nev++] = ev;
		}
	}
}

static void feed(struct shell_line *l, const char *s, struct fed *f)
{
	feed_n(l, s, strlen(s), f);
}

/* A fresh editor fed s ends with exactly one DONE whose line is want, echo echo_want. */
static void expect_line(const char *s, const char *want, const char *echo_want)
{
	struct shell_line l;
	struct fed f;

	shell_line_init(&l);
	feed(&l, s, &f);
	if (f.nev != 1 || f.ev[0] != SHELL_LINE_DONE)
		fail_msg("\"%s\": %d events, want one DONE", s, f.nev);
	if (strcmp(f.line[0], want))
		fail_msg("\"%s\": line \"%s\", want \"%s\"", s, f.line[0], want);
	if (echo_want && strcmp(f.echo, echo_want))
		fail_msg("\"%s\": echo \"%s\", want \"%s\"", s, f.echo, echo_want);
}

static void test_line_init(void **state)
{
	struct shell_line l;

	memset(&l, 0x5a, sizeof(l));
	shell_line_init(&l);
	assert_int_equal(l.len, 0);
	assert_string_equal(l.buf, "");
}

static void test_line_printable(void **state)
{
	struct shell_line l;
	struct fed f;
	char all[0x7f - 0x20 + 1];

	shell_line_init(&l);
	feed(&l, "vm list", &f);
	assert_int_equal(f.nev, 0);
	assert_int_equal(f.last, SHELL_LINE_NONE);
	assert_string_equal(l.buf, "vm list");
	assert_int_equal(l.len, 7);
	assert_string_equal(f.echo, "vm list");

	/* Every printable character goes in as itself. */
	for (int c = 0x20; c <= 0x7e; c++)
		all[c - 0x20] = (char)c;
	all[0x7f - 0x20] = '\0';
	shell_line_init(&l);
	feed(&l, all, &f);
	assert_string_equal(l.buf, all);
	assert_string_equal(f.echo, all);
}

static void test_line_cr_lf(void **state)
{
	struct shell_line l;
	struct fed f;

	expect_line("help\r", "help", "help\r\n");
	expect_line("help\n", "help", "help\r\n");
	expect_line("help\r\n", "help", "help\r\n");

	/* The LF of CR LF is swallowed: no echo, no event, and the next line starts empty. */
	shell_line_init(&l);
	feed(&l, "a\r", &f);
	assert_int_equal(f.last, SHELL_LINE_DONE);
	assert_string_equal(l.buf, "a");
	feed(&l, "\n", &f);
	assert_int_equal(f.last, SHELL_LINE_NONE);
	assert_int_equal(f.echo_len, 0);
	assert_string_equal(l.buf, "");
	feed(&l, "b\n", &f);
	assert_int_equal(f.nev, 1);
	assert_string_equal(f.line[0], "b");

	/* Sequences of line ends: CR CR, LF LF and LF CR are two lines each; CR LF LF too. */
	shell_line_init(&l);
	feed(&l, "x\r\ry\n\nz\n\rw\r\n\n", &f);
	assert_int_equal(f.nev, 8);
	const char *want[] = { "x", "", "y", "", "z", "", "w", "" };
	for (int i = 0; i < 8; i++) {
		assert_int_equal(f.ev[i], SHELL_LINE_DONE);
		assert_string_equal(f.line[i], want[i]);
	}
	assert_string_equal(f.echo, "x\r\n\r\ny\r\n\r\nz\r\n\r\nw\r\n\r\n");

	/* A CR then something else: an LF later is a line end again. */
	shell_line_init(&l);
	feed(&l, "\ra\n", &f);
	assert_int_equal(f.nev, 2);
	assert_string_equal(f.line[1], "a");

	/* An empty line. */
	expect_line("\r", "", "\r\n");
}

static void test_line_fresh_after_done(void **state)
{
	struct shell_line l;
	struct fed f;

	shell_line_init(&l);
	feed(&l, "first\r", &f);
	assert_string_equal(l.buf, "first"); /* kept until the next byte */
	assert_int_equal(l.len, 5);
	feed(&l, "2", &f);
	assert_string_equal(l.buf, "2");
	feed(&l, "\n", &f);
	assert_string_equal(f.line[0], "2");

	/* Backspace right after a line end does not reach into the old line. */
	feed(&l, "\b", &f);
	assert_int_equal(f.echo_len, 0);
	assert_string_equal(l.buf, "");
}

static void test_line_backspace(void **state)
{
	struct shell_line l;
	struct fed f;

	expect_line("abc\b\x7f" "d\r", "ad", "abc\b \b\b \bd\r\n");

	/* At an empty line: nothing, not even an echo. */
	shell_line_init(&l);
	feed(&l, "\b\x7f\b", &f);
	assert_int_equal(f.echo_len, 0);
	assert_int_equal(l.len, 0);
	expect_line("\b\bok\r", "ok", "ok\r\n");
	/* More erasures than characters. */
	expect_line("ab\b\b\b\bc\r", "c", "ab\b \b\b \bc\r\n");
}

static void test_line_ctrl_u(void **state)
{
	struct shell_line l;
	struct fed f;

	expect_line("abc\x15xy\r", "xy", "abc\b \b\b \b\b \bxy\r\n");
	shell_line_init(&l);
	feed(&l, "\x15", &f);
	assert_int_equal(f.echo_len, 0);
	assert_int_equal(l.len, 0);

	/* A full line: the largest echo of all. */
	shell_line_init(&l);
	for (int i = 0; i < SHELL_LINE_MAX - 1; i++)
		feed(&l, "q", &f);
	assert_int_equal(l.len, SHELL_LINE_MAX - 1);
	feed(&l, "\x15", &f);
	assert_int_equal(f.echo_len, SHELL_LINE_ECHO_MAX);
	for (size_t i = 0; i < f.echo_len; i += 3)
		assert_memory_equal(f.echo + i, "\b \b", 3);
	assert_int_equal(l.len, 0);
	assert_string_equal(l.buf, "");
}

static void test_line_tab_and_controls(void **state)
{
	char s[64];
	size_t n = 0;

	expect_line("vm\tlist\r", "vm list", "vm list\r\n");

	/* Control characters other than the handled ones, and bytes >= 0x80, are ignored. */
	s[n++] = 'a';
	for (int c = 0; c < 0x20; c++) {
		if (c == 0x03 || c == 0x08 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x15 ||
		    c == 0x1b)
			continue;
		s[n++] = (char)c;
	}
	s[n++] = 'b';
	s[n++] = (char)0x80;
	s[n++] = (char)0xc3;
	s[n++] = (char)0xa9;
	s[n++] = (char)0xff;
	s[n++] = 'c';
	s[n++] = '\r';
	s[n] = '\0';
	/* s has a NUL at index 1 (c == 0): feed it explicitly. */
	{
		struct shell_line l;
		struct fed f;

		shell_line_init(&l);
		feed_n(&l, s, n, &f);
		assert_int_equal(f.nev, 1);
		assert_string_equal(f.line[0], "abc");
		assert_string_equal(f.echo, "abc\r\n");
	}
}

static void test_line_escape_sequences(void **state)
{
	/* Arrows, Home/End, with modifiers, function keys, PgUp, Delete. */
	expect_line("ab\x1b[A\x1b[B\x1b[C\x1b[Dc\r", "abc", "abc\r\n");
	expect_line("a\x1b[1;5Cb\r", "ab", "ab\r\n");
	expect_line("a\x1bOPb\x1bOHc\r", "abc", "abc\r\n");
	expect_line("a\x1b[5~\x1b[3~\x1b[15;2~b\r", "ab", "ab\r\n");
	expect_line("x\x1b[?25hy\r", "xy", "xy\r\n");
	/* ESC x (Alt-x) swallows x. */
	expect_line("a\x1bxb\r", "ab", "ab\r\n");
	/* ESC ESC [ A: the second ESC starts the sequence afresh. */
	expect_line("a\x1b\x1b[Ab\r", "ab", "ab\r\n");
	/* A long parameter list is still one sequence. */
	expect_line("a\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20mb\r", "ab", "ab\r\n");
	/* A line end inside a sequence ends the sequence and the line. */
	expect_line("ab\x1b\r", "ab", "ab\r\n");
	expect_line("ab\x1b[1;\r", "ab", "ab\r\n");
	expect_line("ab\x1bO\r", "ab", "ab\r\n");
	/* Backspace inside a sequence ends it and erases. */
	expect_line("ab\x1b[\bc\r", "ac", "ab\b \bc\r\n");
}

static void test_line_escape_then_ctrl_c(void **state)
{
	struct shell_line l;
	struct fed f;

	shell_line_init(&l);
	feed(&l, "ab\x1b[1", &f);
	feed(&l, "\x03", &f);
	assert_int_equal(f.last, SHELL_LINE_CANCEL);
	/* The sequence is over: the next characters are text. */
	feed(&l, "A\r", &f);
	assert_int_equal(f.nev, 1);
	assert_string_equal(f.line[0], "A");
}

static void test_line_full(void **state)
{
	struct shell_line l;
	struct fed f;
	char want[SHELL_LINE_MAX];

	shell_line_init(&l);
	for (int i = 0; i < SHELL_LINE_MAX - 1; i++) {
		feed(&l, "x", &f);
		assert_string_equal(f.echo, "x");
	}
	assert_int_equal(l.len, SHELL_LINE_MAX - 1);
	feed(&l, "y", &f);
	assert_string_equal(f.echo, "\a");
	feed(&l, "\t", &f);
	assert_string_equal(f.echo, "\a");
	assert_int_equal(l.len, SHELL_LINE_MAX - 1);
	/* Room again after a backspace. */
	feed(&l, "\bz", &f);
	assert_string_equal(f.echo, "\b \bz");
	feed(&l, "\r", &f);
	memset(want, 'x', SHELL_LINE_MAX - 2);
	want[SHELL_LINE_MAX - 2] = 'z';
	want[SHELL_LINE_MAX - 1] = '\0';
	assert_int_equal(f.nev, 1);
	assert_string_equal(f.line[0], want);
}

static void test_line_ctrl_c(void **state)
{
	struct shell_line l;
	struct fed f;

	shell_line_init(&l);
	feed(&l, "vm stop linux1\x03", &f);
	assert_int_equal(f.nev, 1);
	assert_int_equal(f.ev[0], SHELL_LINE_CANCEL);
	assert_string_equal(f.echo, "vm stop linux1^C\r\n");
	assert_int_equal(l.len, 0);
	assert_string_equal(l.buf, "");
	feed(&l, "help\r", &f);
	assert_int_equal(f.nev, 1);
	assert_int_equal(f.ev[0], SHELL_LINE_DONE);
	assert_string_equal(f.line[0], "help");

	/* Ctrl-C at an empty line cancels too; an LF after Ctrl-C is a line of its own. */
	shell_line_init(&l);
	feed(&l, "\x03\n", &f);
	assert_int_equal(f.nev, 2);
	assert_int_equal(f.ev[0], SHELL_LINE_CANCEL);
	assert_int_equal(f.ev[1], SHELL_LINE_DONE);
	assert_string_equal(f.line[1], "");
}

static void test_line_small_echo(void **state)
{
	struct shell_line l;
	char echo[4];
	size_t elen;

	/* No echo buffer at all. */
	shell_line_init(&l);
	assert_int_equal(shell_line_feed(&l, 'a', NULL, 0, &elen), SHELL_LINE_NONE);
	assert_int_equal(elen, 0);
	assert_int_equal(shell_line_feed(&l, 'b', NULL, 0, NULL), SHELL_LINE_NONE);
	assert_string_equal(l.buf, "ab");

	/* Ctrl-U with room for one erasure only: whole units, the line still cleared. */
	memset(echo, '#', sizeof(echo));
	assert_int_equal(shell_line_feed(&l, 0x15, echo, 4, &elen), SHELL_LINE_NONE);
	assert_int_equal(elen, 3);
	assert_memory_equal(echo, "\b \b#", 4);
	assert_int_equal(l.len, 0);

	/* "^C\r\n" needs 4 bytes: with 3 it is not written in part. */
	memset(echo, '#', sizeof(echo));
	assert_int_equal(shell_line_feed(&l, 0x03, echo, 3, &elen), SHELL_LINE_CANCEL);
	assert_int_equal(elen, 0);
	assert_memory_equal(echo, "####", 4);
	assert_int_equal(shell_line_feed(&l, '\r', echo, 2, &elen), SHELL_LINE_DONE);
	assert_int_equal(elen, 2);
	assert_memory_equal(echo, "\r\n", 2);
}

/* ---- parser ----------------------------------------------------------------------------- */

struct parsed {
	char line[512];
	struct shell_cmd cmds[SHELL_MAX_CMDS];
	char err[128];
	int n;
};

static int parse(struct parsed *p, const char *s, int max_cmds)
{
	assert_true(strlen(s) < sizeof(p->line));
	memset(p, 0, sizeof(*p));
	strcpy(p->line, s);
	memset(p->err, '#', sizeof(p->err));
	p->n = shell_parse(p->line, p->cmds, max_cmds, p->err, sizeof(p->err));
	assert_non_null(memchr(p->err, '\0', sizeof(p->err)));
	assert_null(strchr(p->err, '\n'));
	if (p->n >= 0)
		assert_string_equal(p->err, "");
	for (int i = 0; i < p->n; i++) {
		struct shell_cmd *c = &p->cmds[i];

		assert_true(c->argc >= 1 && c->argc <= SHELL_MAX_ARGS);
		for (int a = 0; a < SHELL_MAX_ARGS; a++) {
			if (a >= c->argc) {
				assert_null(c->argv[a]);
				continue;
			}
			assert_true(c->argv[a] >= p->line);
			assert_true(c->argv[a] < p->line + sizeof(p->line));
			assert_true(c->argv[a][0] != '\0');
			assert_null(strpbrk(c->argv[a], " \t;"));
		}
	}
	return p->n;
}

/* cmds[i] has exactly the words of want (space-separated), and json as given. */
static void expect_cmd(const struct parsed *p, int i, const char *want, bool json)
{
	char got[512] = "";
	const struct shell_cmd *c = &p->cmds[i];

	for (int a = 0; a < c->argc; a++) {
		if (a)
			strcat(got, " ");
		strcat(got, c->argv[a]);
	}
	if (strcmp(got, want))
		fail_msg("command %d: \"%s\", want \"%s\"", i, got, want);
	assert_int_equal(c->json, json);
}

static void expect_error(const char *s, int max_cmds, const char *want)
{
	struct parsed p;

	if (parse(&p, s, max_cmds) != -1)
		fail_msg("\"%s\": %d commands, want error \"%s\"", s, p.n, want);
	if (strcmp(p.err, want))
		fail_msg("\"%s\": error \"%s\", want \"%s\"", s, p.err, want);
}

static void test_parse_blank(void **state)
{
	struct parsed p;
	const char *blank[] = { "", " ", "   \t ", ";", ";;", " ; ;  ;", "\t;\t" };

	for (size_t i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
		if (parse(&p, blank[i], SHELL_MAX_CMDS) != 0)
			fail_msg("\"%s\": %d commands, want 0", blank[i], p.n);
	}
}

static void test_parse_words(void **state)
{
	struct parsed p;

	assert_int_equal(parse(&p, "help", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "help", false);
	assert_int_equal(parse(&p, "  vm   start\tlinux1  ", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm start linux1", false);
	assert_int_equal(p.cmds[0].argc, 3);
	/* In place: the words are in the line buffer. */
	assert_ptr_equal(p.cmds[0].argv[0], p.line + 2);
	assert_ptr_equal(p.cmds[0].argv[1], p.line + 7);
	assert_ptr_equal(p.cmds[0].argv[2], p.line + 13);
	/* Single dashes and other punctuation are plain words. */
	assert_int_equal(parse(&p, "vm set -x a-b 'q' \"r\" -", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm set -x a-b 'q' \"r\" -", false);
}

static void test_parse_commands(void **state)
{
	struct parsed p;

	assert_int_equal(parse(&p, "vm stop a; vm start a", SHELL_MAX_CMDS), 2);
	expect_cmd(&p, 0, "vm stop a", false);
	expect_cmd(&p, 1, "vm start a", false);
	assert_int_equal(parse(&p, ";;a;;b c;;;d;", SHELL_MAX_CMDS), 3);
	expect_cmd(&p, 0, "a", false);
	expect_cmd(&p, 1, "b c", false);
	expect_cmd(&p, 2, "d", false);
	assert_int_equal(parse(&p, "a;b", SHELL_MAX_CMDS), 2);
	expect_cmd(&p, 0, "a", false);
	expect_cmd(&p, 1, "b", false);
	assert_int_equal(parse(&p, "vm list;", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm list", false);

	/* Exactly max_cmds commands, and one too many. */
	assert_int_equal(parse(&p, "a;b;c;d;e;f;g;h", SHELL_MAX_CMDS), 8);
	expect_cmd(&p, 7, "h", false);
	expect_error("a;b;c;d;e;f;g;h;i", SHELL_MAX_CMDS, "too many commands (at most 8)");
	/* Empty commands do not count. */
	assert_int_equal(parse(&p, "a;;b;;c", 3), 3);
	expect_error("a;b;c;d", 3, "too many commands (at most 3)");
	expect_error("a", 0, "too many commands (at most 0)");
	assert_int_equal(parse(&p, " ; ", 0), 0);
}

static void test_parse_json(void **state)
{
	struct parsed p;

	assert_int_equal(parse(&p, "vm list --json", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm list", true);
	assert_int_equal(parse(&p, "--json vm list", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm list", true);
	assert_int_equal(parse(&p, "vm --json info linux1 --json", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm info linux1", true);
	/* Per command. */
	assert_int_equal(parse(&p, "vm list --json;vm list;stats --json;", SHELL_MAX_CMDS), 3);
	expect_cmd(&p, 0, "vm list", true);
	expect_cmd(&p, 1, "vm list", false);
	expect_cmd(&p, 2, "stats", true);
	/* Only the exact word: "--json" glued to something is not it. */
	expect_error("vm list --jsonx", SHELL_MAX_CMDS, "unknown option '--jsonx'");
	assert_int_equal(parse(&p, "vm list -json x--json", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "vm list -json x--json", false);
	/* A command of "--json" alone has no verb: skipped like an empty one. */
	assert_int_equal(parse(&p, "--json; help", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "help", false);
	/* --json does not count against the word limit. */
	assert_int_equal(parse(&p, "1 2 3 --json 4 5 6 7 8", SHELL_MAX_CMDS), 1);
	expect_cmd(&p, 0, "1 2 3 4 5 6 7 8", true);
}

static void test_parse_errors(void **state)
{
	struct parsed p;

	expect_error("vm list --all", SHELL_MAX_CMDS, "unknown option '--all'");
	expect_error("vm list --", SHELL_MAX_CMDS, "unknown option '--'");
	expect_error("--help", SHELL_MAX_CMDS, "unknown option '--help'");
	/* The option ends at ';'. */
	expect_error("help; vm list --x;help", SHELL_MAX_CMDS, "unknown option '--x'");
	/* The first error wins. */
	expect_error("a --b 1 2 3 4 5 6 7 8 9", SHELL_MAX_CMDS, "unknown option '--b'");
	expect_error("a 1 2 3 4 5 6 7 8 9 --b", SHELL_MAX_CMDS, "too many arguments");

	assert_int_equal(parse(&p, "1 2 3 4 5 6 7 8", SHELL_MAX_CMDS), 1);
	assert_int_equal(p.cmds[0].argc, SHELL_MAX_ARGS);
	expect_error("1 2 3 4 5 6 7 8 9", SHELL_MAX_CMDS, "too many arguments");
	expect_error("ok; 1 2 3 4 5 6 7 8 9;ok", SHELL_MAX_CMDS, "too many arguments");

	/* A long option name is cut to the error buffer, still terminated. */
	{
		char line[200], err[16];
		struct shell_cmd cmds[1];

		memset(line, 'o', sizeof(line));
		line[0] = line[1] = '-';
		line[sizeof(line) - 1] = '\0';
		assert_int_equal(shell_parse(line, cmds, 1, err, sizeof(err)), -1);
		assert_string_equal(err, "unknown option ");
		/* With room: cut to 40 characters. */
		{
			char big[128];

			memset(line, 'o', sizeof(line));
			line[0] = line[1] = '-';
			line[sizeof(line) - 1] = '\0';
			assert_int_equal(shell_parse(line, cmds, 1, big, sizeof(big)), -1);
			assert_string_equal(big, "unknown option "
						 "'--oooooooooooooooooooooooooooooooooooooo...'");
			/* Exactly 40: not cut. */
			line[40] = '\0';
			assert_int_equal(shell_parse(line, cmds, 1, big, sizeof(big)), -1);
			assert_string_equal(big, "unknown option "
						 "'--oooooooooooooooooooooooooooooooooooooo'");
			/* Bytes the editor never passes still make a one-line message. */
			strcpy(line, "--a\nb\x01\xff");
			assert_int_equal(shell_parse(line, cmds, 1, big, sizeof(big)), -1);
			assert_string_equal(big, "unknown option '--a?b?" "?'");
		}
		/* No error buffer at all. */
		strcpy(line, "--x");
		assert_int_equal(shell_parse(line, cmds, 1, NULL, 0), -1);
		strcpy(line, "a b");
		assert_int_equal(shell_parse(line, cmds, 1, NULL, 0), 1);
	}
}

static void test_parse_full_line(void **state)
{
	/* A line as the editor gives it: up to SHELL_LINE_MAX - 1 characters. */
	char line[SHELL_LINE_MAX];
	struct shell_cmd cmds[SHELL_MAX_CMDS];
	char err[64];

	memset(line, ';', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(shell_parse(line, cmds, SHELL_MAX_CMDS, err, sizeof(err)), 0);
	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(shell_parse(line, cmds, SHELL_MAX_CMDS, err, sizeof(err)), 1);
	assert_int_equal(strlen(cmds[0].argv[0]), SHELL_LINE_MAX - 1);
}

static void test_names(void **state)
{
	const char *good[] = { "a", "linux1", "bm", "vm-0", "a_b-c", "z9",
			       "abcdefghijklmnopqrstuvwxyz01234" /* 31 */ };
	const char *bad[] = { "", "1vm", "-a", "_a", "Linux", "lInux", "a b", "a.b", "a/b",
			      "abcdefghijklmnopqrstuvwxyz012345" /* 32 */, "vm\n", "a;" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!shell_parse_name(good[i]))
			fail_msg("\"%s\" rejected", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (shell_parse_name(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
	}
	assert_false(shell_parse_name(NULL));
	assert_false(shell_parse_name("\xc3\xa9t\xc3\xa9"));
}

static void test_match(void **state)
{
	static const char *const verbs[] = { "list", "start", "stop", "info", NULL };
	static const char *const none[] = { NULL };

	assert_int_equal(shell_match("list", verbs), 0);
	assert_int_equal(shell_match("stop", verbs), 2);
	assert_int_equal(shell_match("info", verbs), 3);
	assert_int_equal(shell_match("sto", verbs), -1);   /* no prefixes */
	assert_int_equal(shell_match("stops", verbs), -1);
	assert_int_equal(shell_match("LIST", verbs), -1);  /* case matters */
	assert_int_equal(shell_match("", verbs), -1);
	assert_int_equal(shell_match("list", none), -1);
	assert_int_equal(shell_match(NULL, verbs), -1);
	assert_int_equal(shell_match("list", NULL), -1);
}

static void test_uint(void **state)
{
	uint64_t v = 77;

	assert_true(shell_parse_uint("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(shell_parse_uint("15", 15, &v));
	assert_int_equal(v, 15);
	assert_true(shell_parse_uint("0x1F", 100, &v));
	assert_int_equal(v, 31);
	assert_true(shell_parse_uint("007", 10, &v));
	assert_int_equal(v, 7);
	assert_true(shell_parse_uint("18446744073709551615", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
	assert_true(shell_parse_uint("0xffffffffffffffff", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);

	v = 77;
	const char *bad[] = { "", "16", "-1", "+1", " 1", "1 ", "1a", "0x", "0xg", "x1", "1.5",
			      "0b1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (shell_parse_uint(bad[i], 15, &v))
			fail_msg("\"%s\" accepted", bad[i]);
	}
	assert_false(shell_parse_uint("18446744073709551616", UINT64_MAX, &v));
	assert_false(shell_parse_uint("0x10000000000000000", UINT64_MAX, &v));
	assert_false(shell_parse_uint("99999999999999999999999", UINT64_MAX, &v));
	assert_false(shell_parse_uint(NULL, 15, &v));
	assert_int_equal(v, 77); /* untouched on failure */
}

/* The editor and the parser together: what the shell does with typed input. */
static void test_typed(void **state)
{
	struct shell_line l;
	struct fed f;
	struct parsed p;

	shell_line_init(&l);
	feed(&l, "vm lsit\b\b\bist \x1b[A--json\x1b[D; help\r\n", &f);
	assert_int_equal(f.nev, 1);
	assert_int_equal(parse(&p, f.line[0], SHELL_MAX_CMDS), 2);
	expect_cmd(&p, 0, "vm list", true);
	expect_cmd(&p, 1, "help", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_init),
		cmocka_unit_test(test_line_printable),
		cmocka_unit_test(test_line_cr_lf),
		cmocka_unit_test(test_line_fresh_after_done),
		cmocka_unit_test(test_line_backspace),
		cmocka_unit_test(test_line_ctrl_u),
		cmocka_unit_test(test_line_tab_and_controls),
		cmocka_unit_test(test_line_escape_sequences),
		cmocka_unit_test(test_line_escape_then_ctrl_c),
		cmocka_unit_test(test_line_full),
		cmocka_unit_test(test_line_ctrl_c),
		cmocka_unit_test(test_line_small_echo),
		cmocka_unit_test(test_parse_blank),
		cmocka_unit_test(test_parse_words),
		cmocka_unit_test(test_parse_commands),
		cmocka_unit_test(test_parse_json),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_full_line),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_typed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
