/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The management shell's command-line parsing: a completed line split, in place, into
 * commands (at ';') and words (at runs of spaces and tabs). No quoting, no escapes.
 */
#ifndef FTVISOR_CORE_SHELL_PARSE_H
#define FTVISOR_CORE_SHELL_PARSE_H

#include "lib/compiler.h"

#define SHELL_MAX_ARGS 8 /* words of one command, the verb included, "--json" not counted */
#define SHELL_MAX_CMDS 8 /* commands of one line */

struct shell_cmd {
	int argc;		    /* 1..SHELL_MAX_ARGS */
	char *argv[SHELL_MAX_ARGS]; /* pointers into the line; unused entries NULL */
	bool json;		    /* the command had a "--json" word */
};

/*
 * Split line (modified: separators become NULs) into at most max_cmds commands in cmds.
 * Empty commands (a blank line, ";;", a trailing ';') are skipped. The word "--json" sets
 * cmd.json and is left out of argv; any other word starting with "--" is an error.
 * Returns the number of commands (0 for a blank line), err set to "" (when err_len > 0); or
 * -1 with a one-line message in err: "unknown option '--x'" (the option cut to 40
 * characters plus "...", bytes outside 0x20..0x7e shown as '?'), "too many arguments",
 * "too many commands (at most N)"; cmds then holds nothing useful.
 */
int shell_parse(char *line, struct shell_cmd *cmds, int max_cmds, char *err, size_t err_len);

/* A valid VM name: 1-31 characters of [a-z0-9_-] starting with a letter a-z (as in a
 * bundle, core/bundle.h). */
bool shell_parse_name(const char *s);

/* The index of the choice equal to word in choices (NULL-terminated), or -1. */
int shell_match(const char *word, const char *const *choices);

/*
 * An unsigned number: decimal, or hexadecimal after "0x"; digits only, no sign, no spaces.
 * True with *val set when s is one and at most max; false (*val unchanged) otherwise.
 */
bool shell_parse_uint(const char *s, uint64_t max, uint64_t *val);

#endif
