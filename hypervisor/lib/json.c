/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/json.h"
#include "lib/string.h"

#define JSON_MAX_DECIMALS 18

/* Append n bytes; on the first that does not fit, set overflow and stop writing for good. */
static void put(struct json *j, const char *s, size_t n)
{
	size_t room, i;

	if (j->overflow)
		return;
	room = j->cap ? j->cap - 1 - j->len : 0;
	if (n > room) {
		n = room;
		j->overflow = true;
	}
	for (i = 0; i < n; i++)
		j->buf[j->len + i] = s[i];
	j->len += n;
	if (j->cap)
		j->buf[j->len] = '\0';
}

static void put_char(struct json *j, char c)
{
	put(j, &c, 1);
}

void json_init(struct json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->cap = buf ? cap : 0;
	if (j->cap)
		buf[0] = '\0';
	else
		j->overflow = true; /* nowhere to write even the NUL */
}

bool json_ok(const struct json *j)
{
	return !j->overflow && j->depth == 0 && !j->after_key;
}

/* Before any value (a scalar, an object or an array) or a key: the comma, if one is due. */
static void before_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0 || j->depth > JSON_MAX_DEPTH)
		return;
	if (j->need_comma[j->depth - 1])
		put_char(j, ',');
	j->need_comma[j->depth - 1] = true;
}

static void begin(struct json *j, char open)
{
	before_value(j);
	put_char(j, open);
	if (j->depth >= JSON_MAX_DEPTH)
		j->overflow = true;
	else
		j->need_comma[j->depth] = false;
	j->depth++;
}

static void end(struct json *j, char close)
{
	if (!j->depth || j->after_key) {
		j->overflow = true; /* unbalanced, or a key without a value */
		return;
	}
	j->depth--;
	put_char(j, close);
}

void json_obj_begin(struct json *j)
{
	begin(j, '{');
}

void json_obj_end(struct json *j)
{
	end(j, '}');
}

void json_arr_begin(struct json *j)
{
	begin(j, '[');
}

void json_arr_end(struct json *j)
{
	end(j, ']');
}

static void put_string(struct json *j, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put_char(j, '"');
	for (; *s && !j->overflow; s++) {
		uint8_t c = (uint8_t)*s;
		char esc[6];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(j, esc, 2);
		} else if (c == '\n' || c == '\r' || c == '\t') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			put(j, esc, 2);
		} else if (c < 0x20 || c > 0x7e) {
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(j, esc, 6);
		} else {
			put_char(j, (char)c);
		}
	}
	put_char(j, '"');
}

void json_key(struct json *j, const char *key)
{
	before_value(j);
	put_string(j, key ? key : "");
	put_char(j, ':');
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	before_value(j);
	put_string(j, s);
}

/* The decimal digits of v, at least min_digits of them (zero-padded). */
static void put_digits(struct json *j, uint64_t v, unsigned int min_digits)
{
	char d[20];
	unsigned int n = 0;

	do {
		d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < min_digits);
	put(j, d + sizeof(d) - n, n);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void json_u64(struct json *j, uint64_t v)
{
	before_value(j);
	put_digits(j, v, 1);
}

void json_i64(struct json *j, int64_t v)
{
	before_value(j);
	if (v < 0)
		put_char(j, '-');
	put_digits(j, magnitude(v), 1);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void json_null(struct json *j)
{
	before_value(j);
	put(j, "null", 4);
}

void json_fixed(struct json *j, int64_t value, unsigned int decimals)
{
	uint64_t mag = magnitude(value), scale = 1;
	unsigned int i;

	if (decimals > JSON_MAX_DECIMALS)
		decimals = JSON_MAX_DECIMALS;
	for (i = 0; i < decimals; i++)
		scale *= 10;
	before_value(j);
	if (value < 0)
		put_char(j, '-');
	put_digits(j, mag / scale, 1);
	if (decimals) {
		put_char(j, '.');
		put_digits(j, mag % scale, decimals);
	}
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_i64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_fixed(struct json *j, const char *key, int64_t value, unsigned int decimals)
{
	json_key(j, key);
	json_fixed(j, value, decimals);
}
