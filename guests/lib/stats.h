/* SPDX-License-Identifier: Apache-2.0 */
/* Summaries of latency samples: sort them, then read percentiles (min = [0], max = [n-1]). */
#ifndef GUEST_STATS_H
#define GUEST_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Ascending, in place (heapsort: no recursion, no allocation). */
void stats_sort(uint64_t *a, size_t n);
/* Nearest rank: the smallest sample with at least pct% of the samples at or below it. */
uint64_t stats_percentile(const uint64_t *sorted, unsigned int n, unsigned int pct);

#endif
