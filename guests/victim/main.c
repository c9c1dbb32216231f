/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Victim: fills 8 MiB of its RAM with a pseudo-random pattern and re-checks its checksum
 * every 250 ms for ever, so that a write from another VM (the attacker) into this VM's
 * memory shows up as a FAIL line.
 *
 * The MMU stays off on purpose: every load goes to memory, so even a non-coherent write
 * from elsewhere is seen (a cached copy could hide it).
 */
#include "guest.h"

#define AREA_SIZE MiB(8)
#define PERIOD_US 250000
#define REPORT_ALL_ROUNDS 40	/* a line per round up to here, then every 4th */

static uint64_t area_start;

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64* (Vigna): plenty for a fill pattern. */
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void fill(uint64_t seed)
{
	volatile uint64_t *p = (volatile uint64_t *)area_start;
	uint64_t i, state = seed;

	for (i = 0; i < AREA_SIZE / 8; i++)
		p[i] = next_random(&state);
}

/* Position-dependent, so swapped or moved words change it too (FNV-1a style over words). */
static uint64_t checksum(void)
{
	const volatile uint64_t *p = (const volatile uint64_t *)area_start;
	uint64_t i, h = 0xcbf29ce484222325ULL;

	for (i = 0; i < AREA_SIZE / 8; i++) {
		h ^= p[i] + i;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* First word that differs from the pattern, or 0. */
static uint64_t first_change(uint64_t seed)
{
	const volatile uint64_t *p = (const volatile uint64_t *)area_start;
	uint64_t i, state = seed;

	for (i = 0; i < AREA_SIZE / 8; i++)
		if (p[i] != next_random(&state))
			return (uint64_t)&p[i];
	return 0;
}

void main(void *dtb)
{
	uint64_t ram_base, ram_size, ram_end, seed, reference, last, sum, next, round, t0;
	bool intact = true;

	guest_init("victim", dtb);
	if (!dtb_ram(&ram_base, &ram_size)) {
		test_fail("victim-setup", "no /memory range in the device tree");
		test_done();
	}
	ram_end = ram_base + ram_size;
	area_start = ALIGN_UP((uint64_t)__image_end, MiB(1));
	if (area_start < ram_base || area_start + AREA_SIZE > ram_end) {
		test_fail("victim-setup", "RAM 0x%lx-0x%lx has no %lu MiB above the image (0x%lx)",
			  ram_base, ram_end, AREA_SIZE >> 20, (uint64_t)__image_end);
		test_done();
	}

	seed = 0x9e3779b97f4a7c15ULL ^ ram_base;
	t0 = counter_read();
	fill(seed);
	reference = checksum();
	last = reference;
	printf("victim: pattern in 0x%lx-0x%lx, checksum 0x%016lx (%lu ms)\n", area_start,
	       area_start + AREA_SIZE, reference, counter_us_since(t0) / 1000);

	next = counter_read();
	for (round = 1;; round++) {
		next += counter_us_to_ticks(PERIOD_US);
		while ((int64_t)(counter_read() - next) < 0)
			asm volatile("yield");

		sum = checksum();
		if (sum != last) {
			uint64_t at = first_change(seed);

			/* Each change is reported once; the round lines say whether it lasts. */
			test_fail("victim-intact",
				  "checksum changed in round %lu (0x%016lx -> 0x%016lx, first changed word at 0x%lx)",
				  round, last, sum, at);
			intact = false;
			last = sum;
		}
		if (round <= REPORT_ALL_ROUNDS || round % 4 == 0)
			printf("victim: round %lu %s\n", round,
			       sum == reference ? "ok" : "CORRUPTED");
		if (round == REPORT_ALL_ROUNDS) {
			if (intact)
				test_pass("victim-intact", "rounds=%d", REPORT_ALL_ROUNDS);
			test_print_done();
		}
		/* Far behind (a slow host, a descheduled vCPU): do not try to catch up. */
		if ((int64_t)(counter_read() - next) > (int64_t)counter_us_to_ticks(PERIOD_US))
			next = counter_read();
	}
}
