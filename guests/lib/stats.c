/* SPDX-License-Identifier: Apache-2.0 */
#include "stats.h"
#include "console.h"
#include "lib/format.h"
#include "lib/string.h"

static void sift_down(uint64_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		uint64_t v;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[root] >= a[c])
			return;
		v = a[root];
		a[root] = a[c];
		a[c] = v;
		root = c;
	}
}

void stats_sort(uint64_t *a, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		uint64_t v = a[0];

		a[0] = a[i];
		a[i] = v;
		sift_down(a, 0, i);
	}
}

uint64_t stats_percentile(const uint64_t *sorted, unsigned int n, unsigned int pct)
{
	unsigned int rank = (pct * n + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

void stats_print_samples(const char *name, const uint64_t *sorted, unsigned int n)
{
	char line[STATS_SAMPLES_LINE];
	size_t len = 0;
	unsigned int i = 0;

	while (i < n) {
		unsigned int run = 1;
		char item[48];
		int l;

		while (i + run < n && sorted[i + run] == sorted[i])
			run++;
		l = run > 1 ? ft_snprintf(item, sizeof(item), "%lu*%u", sorted[i], run)
			    : ft_snprintf(item, sizeof(item), "%lu", sorted[i]);
		if (len && len + 1 + (size_t)l > STATS_SAMPLES_PER_LINE) {
			line[len] = 0;
			printf("SAMPLES name=%s %s\n", name, line);
			len = 0;
		}
		if (len)
			line[len++] = ',';
		memcpy(line + len, item, (size_t)l);
		len += (size_t)l;
		i += run;
	}
	if (len) {
		line[len] = 0;
		printf("SAMPLES name=%s %s\n", name, line);
	}
}
