/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/json.c: the streaming JSON writer. Outputs are compared with exact expected strings
 * (which are valid JSON); truncation goes into exactly-sized heap buffers so ASan sees any
 * write past cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"

static char buf[4096];
static struct json j;

static void start(void)
{
	memset(buf, '#', sizeof(buf));
	json_init(&j, buf, sizeof(buf));
}

static void expect(const char *want)
{
	assert_false(j.overflow);
	assert_true(json_ok(&j));
	assert_int_equal(j.len, strlen(want));
	if (strcmp(buf, want))
		fail_msg("got  %s\nwant %s", buf, want);
}

static void test_init(void **state)
{
	start();
	assert_int_equal(j.len, 0);
	assert_string_equal(buf, "");
	assert_false(j.overflow);
	assert_true(json_ok(&j));
}

static void test_scalars(void **state)
{
	start();
	json_u64(&j, 0);
	expect("0");
	start();
	json_u64(&j, UINT64_MAX);
	expect("18446744073709551615");
	start();
	json_i64(&j, -1);
	expect("-1");
	start();
	json_i64(&j, INT64_MIN);
	expect("-9223372036854775808");
	start();
	json_i64(&j, INT64_MAX);
	expect("9223372036854775807");
	start();
	json_bool(&j, true);
	expect("true");
	start();
	json_bool(&j, false);
	expect("false");
	start();
	json_null(&j);
	expect("null");
	start();
	json_str(&j, "");
	expect("\"\"");
	start();
	json_str(&j, NULL);
	expect("null");
}

static void test_object(void **state)
{
	start();
	json_obj_begin(&j);
	json_obj_end(&j);
	expect("{}");

	start();
	json_obj_begin(&j);
	json_kv_str(&j, "name", "linux1");
	json_kv_u64(&j, "vcpus", 2);
	json_kv_bool(&j, "running", true);
	json_kv_i64(&j, "delta", -42);
	json_key(&j, "parent");
	json_null(&j);
	json_kv_fixed(&j, "load", 9357, 2);
	json_obj_end(&j);
	expect("{\"name\":\"linux1\",\"vcpus\":2,\"running\":true,\"delta\":-42,\"parent\":null,"
	       "\"load\":93.57}");
}

static void test_nesting(void **state)
{
	start();
	json_arr_begin(&j);
	json_arr_end(&j);
	expect("[]");

	/* vm list --json, roughly. */
	start();
	json_obj_begin(&j);
	json_key(&j, "vms");
	json_arr_begin(&j);
	for (int i = 0; i < 2; i++) {
		json_obj_begin(&j);
		json_kv_u64(&j, "id", (uint64_t)i);
		json_kv_str(&j, "name", i ? "bm" : "linux1");
		json_key(&j, "cpus");
		json_arr_begin(&j);
		for (int c = 0; c <= i; c++)
			json_u64(&j, (uint64_t)c);
		json_arr_end(&j);
		json_key(&j, "empty");
		json_obj_begin(&j);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_kv_bool(&j, "ok", false);
	json_obj_end(&j);
	expect("{\"vms\":[{\"id\":0,\"name\":\"linux1\",\"cpus\":[0],\"empty\":{}},"
	       "{\"id\":1,\"name\":\"bm\",\"cpus\":[0,1],\"empty\":{}}],\"ok\":false}");

	/* Arrays of arrays and mixed values. */
	start();
	json_arr_begin(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_arr_begin(&j);
	json_null(&j);
	json_arr_begin(&j);
	json_bool(&j, true);
	json_arr_end(&j);
	json_arr_end(&j);
	json_str(&j, "x");
	json_fixed(&j, -5, 2);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	expect("[[],[null,[true]],\"x\",-0.05,{}]");
}

static void test_max_depth(void **state)
{
	char want[2 * JSON_MAX_DEPTH + 1];

	start();
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_begin(&j);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_end(&j);
	memset(want, '[', JSON_MAX_DEPTH);
	memset(want + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
	want[2 * JSON_MAX_DEPTH] = '\0';
	expect(want);

	/* One deeper: flagged, output stops. */
	start();
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_begin(&j);
	json_u64(&j, 1);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_end(&j);
	assert_true(j.overflow);
	assert_false(json_ok(&j));
	assert_int_equal(strlen(buf), j.len);
	assert_true(j.len <= JSON_MAX_DEPTH + 1);
}

static void test_misuse(void **state)
{
	/* Closing what is not open. */
	start();
	json_obj_end(&j);
	assert_true(j.overflow);
	assert_string_equal(buf, "");

	/* Left open. */
	start();
	json_obj_begin(&j);
	assert_false(j.overflow);
	assert_false(json_ok(&j));

	/* A key without a value. */
	start();
	json_obj_begin(&j);
	json_key(&j, "k");
	json_obj_end(&j);
	assert_true(j.overflow);
	assert_false(json_ok(&j));
}

static void test_escaping(void **state)
{
	start();
	json_str(&j, "say \"hi\"\\ \n\r\t\b\f\x01\x1f\x7f end/");
	expect("\"say \\\"hi\\\"\\\\ \\n\\r\\t\\u0008\\u000c\\u0001\\u001f\\u007f end/\"");

	/* Bytes >= 0x80 come out as \u00XX: the output is pure ASCII. */
	start();
	json_str(&j, "caf\xc3\xa9\xff");
	expect("\"caf\\u00c3\\u00a9\\u00ff\"");

	/* Keys are escaped the same way. */
	start();
	json_obj_begin(&j);
	json_kv_str(&j, "a\"b", "\\");
	json_kv_str(&j, "", "");
	json_obj_end(&j);
	expect("{\"a\\\"b\":\"\\\\\",\"\":\"\"}");

	/* Every output byte is printable ASCII for every input byte. */
	{
		char in[256];

		for (int i = 1; i < 256; i++)
			in[i - 1] = (char)i;
		in[255] = '\0';
		start();
		json_str(&j, in);
		assert_false(j.overflow);
		for (size_t i = 0; i < j.len; i++)
			assert_true(buf[i] >= 0x20 && buf[i] <= 0x7e);
	}
}

static void test_fixed(void **state)
{
	static const struct {
		int64_t v;
		unsigned int d;
		const char *want;
	} cases[] = {
		{ 9357, 2, "93.57" },
		{ -9357, 2, "-93.57" },
		{ 5, 2, "0.05" },
		{ -5, 2, "-0.05" },
		{ 0, 2, "0.00" },
		{ 100, 2, "1.00" },
		{ -100, 2, "-1.00" },
		{ 10000, 2, "100.00" },
		{ 7, 0, "7" },
		{ -7, 0, "-7" },
		{ 0, 0, "0" },
		{ 1, 3, "0.001" },
		{ 12345, 1, "1234.5" },
		{ -1, 1, "-0.1" },
		{ INT64_MAX, 2, "92233720368547758.07" },
		{ INT64_MIN, 2, "-92233720368547758.08" },
		{ INT64_MIN, 18, "-9.223372036854775808" },
		{ 1, 18, "0.000000000000000001" },
		{ 1, 25, "0.000000000000000001" }, /* at most 18 decimals */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		start();
		json_fixed(&j, cases[i].v, cases[i].d);
		if (strcmp(buf, cases[i].want))
			fail_msg("%lld/10^%u: %s, want %s", (long long)cases[i].v, cases[i].d, buf,
				 cases[i].want);
		assert_int_equal(j.len, strlen(cases[i].want));
		assert_false(j.overflow);
	}
}

/*
 * Write a document into an exactly cap-byte heap buffer; check it never writes past cap,
 * stays terminated, and is a prefix of the full output.
 */
static void write_doc(struct json *w)
{
	json_obj_begin(w);
	json_kv_str(w, "name", "linux\"1\n");
	json_key(w, "list");
	json_arr_begin(w);
	json_u64(w, 12345);
	json_i64(w, -678);
	json_fixed(w, -5, 2);
	json_bool(w, true);
	json_null(w);
	json_arr_end(w);
	json_kv_bool(w, "x", false);
	json_obj_end(w);
}

static void test_truncation(void **state)
{
	static const char full[] = "{\"name\":\"linux\\\"1\\n\",\"list\":[12345,-678,-0.05,true,"
				   "null],\"x\":false}";

	start();
	write_doc(&j);
	expect(full);

	for (size_t cap = 0; cap <= sizeof(full) + 2; cap++) {
		char *b = malloc(cap + 1);
		struct json w;

		assert_non_null(b);
		memset(b, '#', cap + 1);
		json_init(&w, cap ? b : NULL, cap);
		write_doc(&w);
		assert_int_equal((unsigned char)b[cap], '#'); /* the guard byte */
		if (cap == 0) {
			assert_true(w.overflow);
			assert_int_equal(w.len, 0);
			free(b);
			continue;
		}
		assert_true(w.len < cap);
		assert_int_equal(b[w.len], '\0');
		assert_int_equal(strlen(b), w.len);
		assert_memory_equal(b, full, w.len);
		if (cap >= sizeof(full)) {
			assert_false(w.overflow);
			assert_true(json_ok(&w));
			assert_string_equal(b, full);
		} else {
			assert_true(w.overflow);
			assert_false(json_ok(&w));
			assert_int_equal(w.len, cap - 1); /* filled up to the end */
		}
		free(b);
	}

	/* cap 1: only the NUL. */
	{
		char one[2] = { '#', '#' };
		struct json w;

		json_init(&w, one, 1);
		json_str(&w, "x");
		assert_true(w.overflow);
		assert_int_equal(one[0], '\0');
		assert_int_equal(one[1], '#');
	}
}

/* After an overflow nothing more is written, even what would fit. */
static void test_overflow_sticky(void **state)
{
	char small[8];
	struct json w;

	json_init(&w, small, sizeof(small));
	json_arr_begin(&w);
	json_str(&w, "toolongforthis");
	assert_true(w.overflow);
	assert_string_equal(small, "[\"toolo");
	json_u64(&w, 1);
	json_arr_end(&w);
	assert_string_equal(small, "[\"toolo");
	assert_int_equal(w.len, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_max_depth),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_overflow_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
