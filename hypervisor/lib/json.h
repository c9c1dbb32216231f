/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small streaming JSON writer into a caller's buffer, for machine-readable shell output:
 *
 *	json_init(&j, buf, sizeof(buf));
 *	json_obj_begin(&j);
 *	json_kv_str(&j, "name", "linux1");
 *	json_key(&j, "cpus");
 *	json_arr_begin(&j); json_u64(&j, 0); json_u64(&j, 1); json_arr_end(&j);
 *	json_kv_fixed(&j, "load", 9357, 2);
 *	json_obj_end(&j);
 *	-> {"name":"linux1","cpus":[0,1],"load":93.57}
 *
 * Commas and colons are placed automatically; the caller keeps the structure right (a key
 * before each value in an object, none in an array). The output is compact, pure printable
 * ASCII, and NUL-terminated whenever cap > 0. When it does not fit, or the nesting is
 * deeper than JSON_MAX_DEPTH or unbalanced, overflow is set and the output stops there
 * (truncated, possibly in the middle of a token; nothing is ever written past cap).
 */
#ifndef FTVISOR_LIB_JSON_H
#define FTVISOR_LIB_JSON_H

#include "lib/compiler.h"

#define JSON_MAX_DEPTH 16

struct json {
	char *buf;
	size_t cap, len;		   /* len < cap: buf[len] is the NUL */
	bool overflow;			   /* truncated (or misused): the output is not valid */
	uint32_t depth;			   /* open objects and arrays */
	bool need_comma[JSON_MAX_DEPTH];   /* [depth - 1]: the open container has a member */
	bool after_key;			   /* a key was written, its value comes next */
};

void json_init(struct json *j, char *buf, size_t cap);
/* Whether the output is complete and valid JSON: no overflow, every container closed. */
bool json_ok(const struct json *j);

void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);

/* An object member's name; the next call writes its value. */
void json_key(struct json *j, const char *key);

/* A string: '"' and '\\' escaped, \n \r \t, other bytes outside 0x20..0x7e as \u00XX.
 * NULL writes null. */
void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* value / 10^decimals with exactly `decimals` digits after the point (at most 18):
 * json_fixed(j, 9357, 2) is 93.57, (-5, 2) is -0.05, (7, 0) is 7. */
void json_fixed(struct json *j, int64_t value, unsigned int decimals);

/* json_key, then the value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_fixed(struct json *j, const char *key, int64_t value, unsigned int decimals);

#endif
