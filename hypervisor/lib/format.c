/* SPDX-License-Identifier: Apache-2.0 */
/*
 * printf-style formatting for EL2: integers, characters and strings only, no floating point,
 * no allocation, no recursion. Follows C99/glibc output for everything format.h lists, with
 * these choices where the standard leaves room:
 *  - '0' with %c %s %p, '#' with %d %i %u %c %s, '+' and ' ' with unsigned conversions and
 *    precision with %c are ignored (as glibc does);
 *  - %p is always "0x" and 16 hex digits; only width and '-' apply;
 *  - %b is binary, '#' prefixes "0b" to a non-zero value (as C23);
 *  - a NULL %s is the string "(null)", so a precision may cut it;
 *  - an unknown conversion, or a spec cut by the end of the format, is copied literally
 *    (any '*' arguments it named have been consumed);
 *  - when the full length would not fit an int the result is -1 (the output is still
 *    written, truncated and terminated).
 */
#include "lib/format.h"

#define FMT_INT_MAX ((size_t)0x7fffffff)

#define FL_LEFT		(1u << 0)	/* '-' */
#define FL_ZERO		(1u << 1)	/* '0' */
#define FL_PLUS		(1u << 2)	/* '+' */
#define FL_SPACE	(1u << 3)	/* ' ' */
#define FL_ALT		(1u << 4)	/* '#' */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct out {
	char *buf;
	size_t size;
	size_t pos;	/* length so far of the full output; may exceed size */
};

struct spec {
	unsigned int flags;
	size_t width;
	bool has_prec;
	size_t prec;
	enum length len;
};

static void put_char(struct out *o, char c)
{
	/* Leave the last byte for the terminator. */
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_mem(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_char(o, s[i]);
}

/* n copies of c; only the part that fits is written, so a huge width costs nothing. */
static void put_fill(struct out *o, char c, size_t n)
{
	size_t room = o->pos + 1 < o->size ? o->size - 1 - o->pos : 0;
	size_t i, w = MIN(n, room);

	for (i = 0; i < w; i++)
		o->buf[o->pos + i] = c;
	o->pos += n;
}

/* Decimal digits at *p, saturated just past INT_MAX (the result is then -1 anyway). */
static size_t parse_num(const char **p)
{
	size_t v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v <= FMT_INT_MAX / 10)
			v = v * 10 + (size_t)(**p - '0');
		else
			v = FMT_INT_MAX + 1;
		(*p)++;
	}
	return v;
}

/* A field of len bytes, padded with spaces to the width on the side '-' selects. */
static void put_padded(struct out *o, const struct spec *sp, const char *s, size_t len)
{
	size_t pad = sp->width > len ? sp->width - len : 0;

	if (!(sp->flags & FL_LEFT))
		put_fill(o, ' ', pad);
	put_mem(o, s, len);
	if (sp->flags & FL_LEFT)
		put_fill(o, ' ', pad);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t mag, bool neg,
		       unsigned int base, bool upper, bool is_signed)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[64];		/* 64 binary digits at most */
	char sign = 0;
	const char *prefix = "";
	size_t nd = 0, zeros = 0, plen, len, pad = 0;
	unsigned int shift = base == 16 ? 4 : base == 8 ? 3 : 1;

	/* Digits, least significant first. Precision 0 with value 0 prints none. */
	if (mag || !sp->has_prec || sp->prec) {
		uint64_t v = mag;

		do {
			if (base == 10) {
				tmp[nd++] = digits[v % 10];
				v /= 10;
			} else {
				tmp[nd++] = digits[v & (base - 1)];
				v >>= shift;
			}
		} while (v);
	}

	if (is_signed) {
		if (neg)
			sign = '-';
		else if (sp->flags & FL_PLUS)
			sign = '+';
		else if (sp->flags & FL_SPACE)
			sign = ' ';
	}
	if ((sp->flags & FL_ALT) && mag) {
		if (base == 16)
			prefix = upper ? "0X" : "0x";
		else if (base == 2)
			prefix = "0b";
	}

	if (sp->has_prec && sp->prec > nd)
		zeros = sp->prec - nd;
	/* '#' with octal: the first digit must be a 0, raising the precision if needed. */
	if (base == 8 && (sp->flags & FL_ALT) && !zeros && (nd == 0 || mag))
		zeros = 1;

	plen = prefix[0] ? 2 : 0;
	len = (sign ? 1 : 0) + plen + zeros + nd;
	if (sp->width > len)
		pad = sp->width - len;
	/* '0' pads with zeros after sign and prefix, unless '-' or a precision overrides it. */
	if ((sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) && !sp->has_prec) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & FL_LEFT))
		put_fill(o, ' ', pad);
	if (sign)
		put_char(o, sign);
	put_mem(o, prefix, plen);
	put_fill(o, '0', zeros);
	while (nd)
		put_char(o, tmp[--nd]);
	if (sp->flags & FL_LEFT)
		put_fill(o, ' ', pad);
}

static int64_t arg_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:	/* the signed type of size_t's width */
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:	/* the unsigned type of ptrdiff_t's width */
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Flags, width, precision and length of the spec after '%'; *p ends on the conversion. */
static void parse_spec(const char **p, struct spec *sp, va_list *ap)
{
	const char *f = *p;

	sp->flags = 0;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= FL_LEFT;
		else if (*f == '0')
			sp->flags |= FL_ZERO;
		else if (*f == '+')
			sp->flags |= FL_PLUS;
		else if (*f == ' ')
			sp->flags |= FL_SPACE;
		else if (*f == '#')
			sp->flags |= FL_ALT;
		else
			break;
	}

	if (*f == '*') {
		int w = va_arg(*ap, int);

		f++;
		/* A negative '*' width is a '-' flag; go through unsigned for INT_MIN. */
		if (w < 0) {
			sp->flags |= FL_LEFT;
			sp->width = (size_t)(0u - (unsigned int)w);
		} else {
			sp->width = (size_t)w;
		}
	} else {
		sp->width = parse_num(&f);
	}

	sp->has_prec = false;
	sp->prec = 0;
	if (*f == '.') {
		f++;
		sp->has_prec = true;
		if (*f == '*') {
			int pr = va_arg(*ap, int);

			f++;
			/* A negative '*' precision counts as none. */
			if (pr < 0)
				sp->has_prec = false;
			else
				sp->prec = (size_t)pr;
		} else {
			sp->prec = parse_num(&f);
		}
	}

	sp->len = LEN_NONE;
	switch (*f) {
	case 'h':
		f++;
		sp->len = LEN_H;
		if (*f == 'h') {
			f++;
			sp->len = LEN_HH;
		}
		break;
	case 'l':
		f++;
		sp->len = LEN_L;
		if (*f == 'l') {
			f++;
			sp->len = LEN_LL;
		}
		break;
	case 'z':
		f++;
		sp->len = LEN_Z;
		break;
	case 't':
		f++;
		sp->len = LEN_T;
		break;
	case 'j':
		f++;
		sp->len = LEN_J;
		break;
	default:
		break;
	}
	*p = f;
}

int ft_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	struct spec sp;
	const char *p = fmt;
	va_list args;

	/* A copy, so its address can be passed down portably (va_list may be an array). */
	va_copy(args, ap);
	while (*p) {
		const char *start;

		if (*p != '%') {
			put_char(&o, *p++);
			continue;
		}
		start = p++;
		parse_spec(&p, &sp, &args);

		switch (*p) {
		case '%':
			put_char(&o, '%');
			break;
		case 'c': {
			char c = (char)va_arg(args, int);

			put_padded(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n = 0;

			if (!s)
				s = "(null)";
			/* Read no further than the precision: s need not be terminated then. */
			while ((!sp.has_prec || n < sp.prec) && s[n])
				n++;
			put_padded(&o, &sp, s, n);
			break;
		}
		case 'd':
		case 'i': {
			int64_t v = arg_signed(sp.len, &args);
			/* Negate in unsigned arithmetic: INT64_MIN has no positive int64_t. */
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

			put_number(&o, &sp, mag, v < 0, 10, false, true);
			break;
		}
		case 'u':
			put_number(&o, &sp, arg_unsigned(sp.len, &args), false, 10, false, false);
			break;
		case 'x':
		case 'X':
			put_number(&o, &sp, arg_unsigned(sp.len, &args), false, 16, *p == 'X',
				   false);
			break;
		case 'o':
			put_number(&o, &sp, arg_unsigned(sp.len, &args), false, 8, false, false);
			break;
		case 'b':
			put_number(&o, &sp, arg_unsigned(sp.len, &args), false, 2, false, false);
			break;
		case 'p': {
			uint64_t v = (uintptr_t)va_arg(args, void *);
			char tmp[18];
			int k;

			/* Fixed width so addresses line up; only width and '-' apply. */
			tmp[0] = '0';
			tmp[1] = 'x';
			for (k = 0; k < 16; k++)
				tmp[2 + k] = "0123456789abcdef"[(v >> (60 - 4 * k)) & 0xf];
			put_padded(&o, &sp, tmp, sizeof(tmp));
			break;
		}
		default:
			/* Unknown (or the format ended): copy the spec as written. */
			put_mem(&o, start, (size_t)(p - start) + (*p ? 1 : 0));
			if (!*p)
				goto done;
			break;
		}
		p++;
	}
done:
	va_end(args);

	if (size)
		buf[MIN(o.pos, size - 1)] = '\0';
	return o.pos > FMT_INT_MAX ? -1 : (int)o.pos;
}

int ft_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = ft_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
