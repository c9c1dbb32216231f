/* SPDX-License-Identifier: Apache-2.0 */
#include "stats.h"

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
