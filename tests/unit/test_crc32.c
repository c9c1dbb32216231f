/* SPDX-License-Identifier: Apache-2.0 */
/* lib/crc32.c against published check values and a bit-by-bit reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/crc32.h"

/* The textbook definition, one bit at a time. */
static uint32_t crc_ref(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

static void t_check_values(void **state)
{
	(void)state;
	assert_int_equal(crc32_update(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(crc32_update(0, "The quick brown fox jumps over the lazy dog", 43),
			 0x414fa339u);
	assert_int_equal(crc32_update(0, "a", 1), 0xe8b7be43u);
	assert_int_equal(crc32_update(0, "", 0), 0);
	assert_int_equal(crc32_update(0x12345678, NULL, 0), 0x12345678);
}

static void t_chaining_and_reference(void **state)
{
	static uint8_t buf[70000];
	uint32_t seed = 1, whole, crc;
	size_t split;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	whole = crc32_update(0, buf, sizeof(buf));
	assert_int_equal(whole, crc_ref(buf, sizeof(buf)));
	for (split = 0; split <= sizeof(buf); split += 4999) {
		crc = crc32_update(0, buf, split);
		crc = crc32_update(crc, buf + split, sizeof(buf) - split);
		assert_int_equal(crc, whole);
	}
	/* Misaligned starts and every short length. */
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 40; n++)
			assert_int_equal(crc32_update(0, buf + off, n), crc_ref(buf + off, n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_check_values),
		cmocka_unit_test(t_chaining_and_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
