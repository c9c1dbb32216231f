/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The management shell's line editor: fed one received byte at a time (from the console
 * UART's interrupt handler), it keeps the line being typed and says what to echo back.
 * No allocation, no locking (one editor per console, fed from one context), O(1) per byte
 * except Ctrl-U.
 *
 *   printable 0x20..0x7e   appended and echoed; when the line is full dropped, BEL echoed
 *   Tab                    a space
 *   Backspace, DEL         erase the last character ("\b \b"; nothing at an empty line)
 *   Ctrl-U                 erase the whole line (one "\b \b" per character)
 *   CR or LF               SHELL_LINE_DONE, echo "\r\n"; the LF right after a CR is swallowed
 *   Ctrl-C                 SHELL_LINE_CANCEL, the line is discarded, echo "^C\r\n"
 *   ESC [ params final     swallowed (arrow and function keys: params 0x20..0x3f, final
 *   ESC O x                0x40..0x7e); ESC x swallows a printable x (Alt-x). A control
 *                          character inside a sequence ends it and then acts as usual.
 *   other control chars, bytes >= 0x80: ignored
 */
#ifndef FTVISOR_CORE_SHELL_LINE_H
#define FTVISOR_CORE_SHELL_LINE_H

#include "lib/compiler.h"

#define SHELL_LINE_MAX 160 /* bytes of buf, the terminating NUL included */
/* The most one byte can echo (Ctrl-U on a full line); an echo buffer this large is never
 * short. */
#define SHELL_LINE_ECHO_MAX (3 * (SHELL_LINE_MAX - 1))

enum shell_line_event {
	SHELL_LINE_NONE,   /* keep going */
	SHELL_LINE_DONE,   /* a line was entered: l->buf, NUL-terminated, l->len bytes */
	SHELL_LINE_CANCEL, /* Ctrl-C: the line was discarded */
};

struct shell_line {
	char buf[SHELL_LINE_MAX]; /* always NUL-terminated at buf[len] */
	uint32_t len;		  /* < SHELL_LINE_MAX */
	uint8_t esc;		  /* escape sequence state (SHELL_ESC_* in shell_line.c) */
	bool after_cr;		  /* the previous byte was a CR: an LF now is swallowed */
	bool ended;		  /* the last byte ended the line: the next one starts afresh */
};

void shell_line_init(struct shell_line *l);

/*
 * Feed one byte. The bytes to write back to the terminal go to echo (*echo_len of them,
 * possibly 0); each echo unit ("\b \b", "\r\n", ...) is written whole or, when echo_cap is
 * too small for it, not at all (SHELL_LINE_ECHO_MAX is always enough). echo may be NULL
 * when echo_cap is 0, echo_len may be NULL.
 * After SHELL_LINE_DONE the line stays in l->buf until the next call, which starts a new
 * line (so copy it out first); the same after SHELL_LINE_CANCEL, with l->buf emptied.
 */
enum shell_line_event shell_line_feed(struct shell_line *l, uint8_t ch, char *echo,
				      size_t echo_cap, size_t *echo_len);

#endif
