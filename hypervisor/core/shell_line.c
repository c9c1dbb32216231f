/* SPDX-License-Identifier: Apache-2.0 */
#include "core/shell_line.h"

#define CH_CTRL_C 0x03
#define CH_BEL 0x07
#define CH_BS 0x08
#define CH_TAB 0x09
#define CH_LF 0x0a
#define CH_CR 0x0d
#define CH_CTRL_U 0x15
#define CH_ESC 0x1b
#define CH_DEL 0x7f

/* Escape sequence state. */
#define SHELL_ESC_NONE 0
#define SHELL_ESC_START 1 /* after ESC */
#define SHELL_ESC_CSI 2	  /* after ESC [ : parameter and intermediate bytes until a final */
#define SHELL_ESC_SS3 3	  /* after ESC O : one more byte */

struct echo_out {
	char *buf;
	size_t cap, len;
};

/* Append n bytes to the echo, all or (if they do not fit) none. */
static void emit(struct echo_out *e, const char *s, size_t n)
{
	size_t i;

	if (n > e->cap - e->len)
		return;
	for (i = 0; i < n; i++)
		e->buf[e->len + i] = s[i];
	e->len += n;
}

void shell_line_init(struct shell_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
	l->esc = SHELL_ESC_NONE;
	l->after_cr = false;
	l->ended = false;
}

static void erase_one(struct shell_line *l, struct echo_out *e)
{
	if (!l->len)
		return;
	l->buf[--l->len] = '\0';
	emit(e, "\b \b", 3);
}

/*
 * Inside an escape sequence: true when ch belongs to it (swallowed), false when it ends the
 * sequence without belonging to it and is to be handled as an ordinary byte.
 */
static bool escape_byte(struct shell_line *l, uint8_t ch)
{
	switch (l->esc) {
	case SHELL_ESC_START:
		if (ch == '[') {
			l->esc = SHELL_ESC_CSI;
			return true;
		}
		if (ch == 'O') {
			l->esc = SHELL_ESC_SS3;
			return true;
		}
		l->esc = SHELL_ESC_NONE;
		/* ESC x (Alt-x, or a two-byte sequence): swallow a printable x. */
		return ch >= 0x20 && ch <= 0x7e;
	case SHELL_ESC_CSI:
		if (ch >= 0x20 && ch <= 0x3f) /* parameter and intermediate bytes */
			return true;
		l->esc = SHELL_ESC_NONE;
		return ch >= 0x40 && ch <= 0x7e; /* the final byte */
	case SHELL_ESC_SS3:
	default:
		l->esc = SHELL_ESC_NONE;
		return ch >= 0x20 && ch <= 0x7e;
	}
}

enum shell_line_event shell_line_feed(struct shell_line *l, uint8_t ch, char *echo,
				      size_t echo_cap, size_t *echo_len)
{
	struct echo_out e = { .buf = echo, .cap = echo ? echo_cap : 0, .len = 0 };
	enum shell_line_event ev = SHELL_LINE_NONE;
	bool after_cr = l->after_cr;

	if (l->ended) {
		l->len = 0;
		l->buf[0] = '\0';
		l->ended = false;
	}
	l->after_cr = false;

	if (l->esc != SHELL_ESC_NONE && escape_byte(l, ch))
		goto out;

	switch (ch) {
	case CH_CR:
		l->after_cr = true;
		/* fall through */
	case CH_LF:
		if (ch == CH_LF && after_cr)
			break; /* the LF of a CR LF */
		emit(&e, "\r\n", 2);
		l->ended = true;
		ev = SHELL_LINE_DONE;
		break;
	case CH_CTRL_C:
		l->len = 0;
		l->buf[0] = '\0';
		emit(&e, "^C\r\n", 4);
		l->ended = true;
		ev = SHELL_LINE_CANCEL;
		break;
	case CH_BS:
	case CH_DEL:
		erase_one(l, &e);
		break;
	case CH_CTRL_U:
		while (l->len)
			erase_one(l, &e);
		break;
	case CH_ESC:
		l->esc = SHELL_ESC_START;
		break;
	case CH_TAB:
		ch = ' ';
		/* fall through */
	default:
		if (ch < 0x20 || ch > 0x7e)
			break; /* other control characters, bytes >= 0x80 */
		if (l->len + 1 >= SHELL_LINE_MAX) {
			emit(&e, "\a", 1);
			break;
		}
		l->buf[l->len++] = (char)ch;
		l->buf[l->len] = '\0';
		emit(&e, (const char *)&ch, 1);
		break;
	}
out:
	if (echo_len)
		*echo_len = e.len;
	return ev;
}
