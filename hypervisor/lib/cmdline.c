/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/cmdline.h"
#include "lib/string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t val_len)
{
	size_t klen = strlen(key);
	bool found = false;
	const char *p = cmdline;

	if (!klen)
		return false;
	while (*p) {
		const char *w = p, *end;

		while (*p && !is_space(*p))
			p++;
		end = p;
		while (*p && is_space(*p))
			p++;
		if ((size_t)(end - w) < klen || strncmp(w, key, klen) != 0)
			continue;
		if (w + klen == end || w[klen] == '=') {
			const char *v = w + klen + (w + klen < end);
			size_t n = (size_t)(end - v);

			if (val_len) {
				if (n >= val_len)
					n = val_len - 1;
				memcpy(val, v, n);
				val[n] = '\0';
			}
			found = true;
		}
	}
	return found;
}
