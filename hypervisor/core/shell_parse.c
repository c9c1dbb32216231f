/* SPDX-License-Identifier: Apache-2.0 */
#include "core/shell_parse.h"
#include "core/bundle.h"
#include "lib/format.h"
#include "lib/string.h"

static bool is_sep(char c)
{
	return c == ' ' || c == '\t';
}

/* err = "unknown option 'w'", w cut to 40 characters and made printable (one line). */
static void unknown_option(const char *w, char *err, size_t err_len)
{
	char opt[48];
	size_t i;

	for (i = 0; w[i] && i < 40; i++)
		opt[i] = w[i] >= 0x20 && w[i] <= 0x7e ? w[i] : '?';
	if (w[i]) {
		opt[i++] = '.';
		opt[i++] = '.';
		opt[i++] = '.';
	}
	opt[i] = '\0';
	ft_snprintf(err, err_len, "unknown option '%s'", opt);
}

/* Split the command [p, end) (end is its NUL) into words. 0, or -1 with err set. */
static int split_words(char *p, const char *end, struct shell_cmd *cmd, char *err,
		       size_t err_len)
{
	while (p < end) {
		char *w;

		if (is_sep(*p)) {
			*p++ = '\0';
			continue;
		}
		w = p;
		while (p < end && !is_sep(*p))
			p++;
		*p = '\0'; /* p == end is the command's NUL already */
		if (p < end)
			p++;
		if (!strcmp(w, "--json")) {
			cmd->json = true;
		} else if (w[0] == '-' && w[1] == '-') {
			unknown_option(w, err, err_len);
			return -1;
		} else if (cmd->argc == SHELL_MAX_ARGS) {
			ft_snprintf(err, err_len, "too many arguments");
			return -1;
		} else {
			cmd->argv[cmd->argc++] = w;
		}
	}
	return 0;
}

int shell_parse(char *line, struct shell_cmd *cmds, int max_cmds, char *err, size_t err_len)
{
	char dummy[1];
	int ncmds = 0;
	char *p = line;

	if (!err) {
		err = dummy;
		err_len = 0;
	}
	if (err_len)
		err[0] = '\0';
	if (max_cmds < 0)
		max_cmds = 0;

	while (*p) {
		struct shell_cmd cmd = { 0 };
		char *start = p;
		bool more;

		while (*p && *p != ';')
			p++;
		more = *p == ';';
		*p = '\0';
		if (split_words(start, p, &cmd, err, err_len))
			return -1;
		if (more)
			p++;
		if (!cmd.argc)
			continue; /* an empty command (or only "--json") */
		if (ncmds == max_cmds) {
			ft_snprintf(err, err_len, "too many commands (at most %d)", max_cmds);
			return -1;
		}
		cmds[ncmds++] = cmd;
	}
	return ncmds;
}

bool shell_parse_name(const char *s)
{
	size_t i;

	if (!s || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (i >= BUNDLE_NAME_LEN - 1)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int shell_match(const char *word, const char *const *choices)
{
	int i;

	if (!word || !choices)
		return -1;
	for (i = 0; choices[i]; i++) {
		if (!strcmp(word, choices[i]))
			return i;
	}
	return -1;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool shell_parse_uint(const char *s, uint64_t max, uint64_t *val)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (!s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = digit_value(*s);

		if (d >= (int)base)
			return false;
		if (__builtin_mul_overflow(v, base, &v) || add_overflows(v, (uint64_t)d, &v))
			return false;
	}
	if (v > max)
		return false;
	*val = v;
	return true;
}
