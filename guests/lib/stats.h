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

/*
 * Every sample, for histograms (`make bench`): "SAMPLES name=<name> <items>" lines, items
 * comma-separated in ascending order, "v" or "v*count" for count equal values (the multiset
 * is exact; the order of measurement is not kept). At most STATS_SAMPLES_PER_LINE characters
 * of items a line, so the line fits the hypervisor's 160-character console line.
 */
#define STATS_SAMPLES_PER_LINE 100
#define STATS_SAMPLES_LINE     (STATS_SAMPLES_PER_LINE + 1)
void stats_print_samples(const char *name, const uint64_t *sorted, unsigned int n);

#endif
