/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch/arm64/mmio_decode.c: instruction and syndrome decoding for MMIO emulation.
 *
 * The instruction tables were made by assembling each line of source text with
 * `aarch64-linux-gnu-as -march=armv8.5-a+memtag` (binutils 2.40) and reading the words back
 * with objcopy; the expected fields of each accepted line were derived from its assembly text
 * (mnemonic, register names, written offsets), not from the encoding. The same text-derived
 * oracle was run against objdump's disassembly of ~1.4M random load/store-space words with no
 * disagreement (the ordered forms with should-be-one Rs/Rt2 fields not all ones, which
 * objdump prints and the decoder refuses, excepted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/arm64/mmio_decode.h"

/* Flags of an expected decode. */
enum {
	C_WRITE = 1 << 0,
	C_SIGN = 1 << 1,	/* sign_extend */
	C_SF = 1 << 2,		/* 64-bit register */
	C_ACQ = 1 << 3,		/* acq_rel */
	C_PAIR = 1 << 4,
	C_WB = 1 << 5,		/* writeback */
	C_POST = 1 << 6,	/* post_index */
	C_REG = 1 << 7,		/* reg_offset */
};

struct insn_case {
	uint32_t insn;
	unsigned int flags;
	uint8_t size, rt, rt2, rn;
	int64_t offset;
	uint8_t rm, extend, shift;
	const char *text;
};

struct reject_case {
	uint32_t insn;
	const char *text;
};

/* One-letter names for the table only (#undef after it). */
#define W C_WRITE
#define S C_SIGN
#define X C_SF
#define A C_ACQ
#define P C_PAIR
#define B C_WB
#define O C_POST
#define R C_REG

/* Generated: aarch64-linux-gnu-as -march=armv8.5-a+memtag, then objcopy -O binary. */
static const struct insn_case accept_cases[] = {
	/*  insn      flags     sz rt rt2  rn offset  rm ex sh  source */
	/* unsigned offset, scaled imm12 */
	{ 0xf9400020, X,         8,  0,  0,  1,     0,  0, 0, 0, "ldr x0, [x1]" },
	{ 0xf9400462, X,         8,  2,  0,  3,     8,  0, 0, 0, "ldr x2, [x3, #8]" },
	{ 0xf97fffe4, X,         8,  4,  0, 31, 32760,  0, 0, 0, "ldr x4, [sp, #32760]" },
	{ 0xf94803be, X,         8, 30,  0, 29,  4096,  0, 0, 0, "ldr x30, [x29, #4096]" },
	{ 0xb94004c5, 0,         4,  5,  0,  6,     4,  0, 0, 0, "ldr w5, [x6, #4]" },
	{ 0xb97ffd07, 0,         4,  7,  0,  8, 16380,  0, 0, 0, "ldr w7, [x8, #16380]" },
	{ 0xb9400d3f, 0,         4, 31,  0,  9,    12,  0, 0, 0, "ldr wzr, [x9, #12]" },
	{ 0xf94003ff, X,         8, 31,  0, 31,     0,  0, 0, 0, "ldr xzr, [sp]" },
	{ 0x39400149, 0,         1,  9,  0, 10,     0,  0, 0, 0, "ldrb w9, [x10]" },
	{ 0x397ffd8b, 0,         1, 11,  0, 12,  4095,  0, 0, 0, "ldrb w11, [x12, #4095]" },
	{ 0x794005cd, 0,         2, 13,  0, 14,     2,  0, 0, 0, "ldrh w13, [x14, #2]" },
	{ 0x797fffef, 0,         2, 15,  0, 31,  8190,  0, 0, 0, "ldrh w15, [sp, #8190]" },
	{ 0x39c00630, S,         1, 16,  0, 17,     1,  0, 0, 0, "ldrsb w16, [x17, #1]" },
	{ 0x39bffe72, S|X,       1, 18,  0, 19,  4095,  0, 0, 0, "ldrsb x18, [x19, #4095]" },
	{ 0x79c006b4, S,         2, 20,  0, 21,     2,  0, 0, 0, "ldrsh w20, [x21, #2]" },
	{ 0x79bffef6, S|X,       2, 22,  0, 23,  8190,  0, 0, 0, "ldrsh x22, [x23, #8190]" },
	{ 0xb9800738, S|X,       4, 24,  0, 25,     4,  0, 0, 0, "ldrsw x24, [x25, #4]" },
	{ 0xb9bffffa, S|X,       4, 26,  0, 31, 16380,  0, 0, 0, "ldrsw x26, [sp, #16380]" },
	{ 0xf900079b, W|X,       8, 27,  0, 28,     8,  0, 0, 0, "str x27, [x28, #8]" },
	{ 0xf9000800, W|X,       8,  0,  0,  0,    16,  0, 0, 0, "str x0, [x0, #16]" },
	{ 0xb9000041, W,         4,  1,  0,  2,     0,  0, 0, 0, "str w1, [x2]" },
	{ 0xb93ffc83, W,         4,  3,  0,  4, 16380,  0, 0, 0, "str w3, [x4, #16380]" },
	{ 0x393ffcc5, W,         1,  5,  0,  6,  4095,  0, 0, 0, "strb w5, [x6, #4095]" },
	{ 0x793ffd07, W,         2,  7,  0,  8,  8190,  0, 0, 0, "strh w7, [x8, #8190]" },
	{ 0xf93ffd3f, W|X,       8, 31,  0,  9, 32760,  0, 0, 0, "str xzr, [x9, #32760]" },
	{ 0xb90007ff, W,         4, 31,  0, 31,     4,  0, 0, 0, "str wzr, [sp, #4]" },
	{ 0x39000d5f, W,         1, 31,  0, 10,     3,  0, 0, 0, "strb wzr, [x10, #3]" },
	{ 0x79000d7f, W,         2, 31,  0, 11,     6,  0, 0, 0, "strh wzr, [x11, #6]" },
	/* unscaled imm9 */
	{ 0xf85f8020, X,         8,  0,  0,  1,    -8,  0, 0, 0, "ldur x0, [x1, #-8]" },
	{ 0xf8500062, X,         8,  2,  0,  3,  -256,  0, 0, 0, "ldur x2, [x3, #-256]" },
	{ 0xf84ff0a4, X,         8,  4,  0,  5,   255,  0, 0, 0, "ldur x4, [x5, #255]" },
	{ 0xf85ff3e6, X,         8,  6,  0, 31,    -1,  0, 0, 0, "ldur x6, [sp, #-1]" },
	{ 0xb85fc107, 0,         4,  7,  0,  8,    -4,  0, 0, 0, "ldur w7, [x8, #-4]" },
	{ 0xb8401149, 0,         4,  9,  0, 10,     1,  0, 0, 0, "ldur w9, [x10, #1]" },
	{ 0x385ff18b, 0,         1, 11,  0, 12,    -1,  0, 0, 0, "ldurb w11, [x12, #-1]" },
	{ 0x785fe1cd, 0,         2, 13,  0, 14,    -2,  0, 0, 0, "ldurh w13, [x14, #-2]" },
	{ 0x38d8020f, S,         1, 15,  0, 16,  -128,  0, 0, 0, "ldursb w15, [x16, #-128]" },
	{ 0x3887f251, S|X,       1, 17,  0, 18,   127,  0, 0, 0, "ldursb x17, [x18, #127]" },
	{ 0x78dfd293, S,         2, 19,  0, 20,    -3,  0, 0, 0, "ldursh w19, [x20, #-3]" },
	{ 0x788052d5, S|X,       2, 21,  0, 22,     5,  0, 0, 0, "ldursh x21, [x22, #5]" },
	{ 0xb89f4317, S|X,       4, 23,  0, 24,   -12,  0, 0, 0, "ldursw x23, [x24, #-12]" },
	{ 0xf81f0359, W|X,       8, 25,  0, 26,   -16,  0, 0, 0, "stur x25, [x26, #-16]" },
	{ 0xb810039b, W,         4, 27,  0, 28,  -256,  0, 0, 0, "stur w27, [x28, #-256]" },
	{ 0x380ff3dd, W,         1, 29,  0, 30,   255,  0, 0, 0, "sturb w29, [x30, #255]" },
	{ 0x781fe3e0, W,         2,  0,  0, 31,    -2,  0, 0, 0, "sturh w0, [sp, #-2]" },
	{ 0xf81f803f, W|X,       8, 31,  0,  1,    -8,  0, 0, 0, "stur xzr, [x1, #-8]" },
	{ 0xf840705f, X,         8, 31,  0,  2,     7,  0, 0, 0, "ldur xzr, [x2, #7]" },
	{ 0xf8403083, X,         8,  3,  0,  4,     3,  0, 0, 0, "ldr x3, [x4, #3]" },
	{ 0xf85f80c5, X,         8,  5,  0,  6,    -8,  0, 0, 0, "ldr x5, [x6, #-8]" },
	{ 0x385ff107, 0,         1,  7,  0,  8,    -1,  0, 0, 0, "ldrb w7, [x8, #-1]" },
	/* pre-index */
	{ 0xf8408c20, X|B,       8,  0,  0,  1,     8,  0, 0, 0, "ldr x0, [x1, #8]!" },
	{ 0xf8500c62, X|B,       8,  2,  0,  3,  -256,  0, 0, 0, "ldr x2, [x3, #-256]!" },
	{ 0xf84ffca4, X|B,       8,  4,  0,  5,   255,  0, 0, 0, "ldr x4, [x5, #255]!" },
	{ 0xb85fcce6, B,         4,  6,  0,  7,    -4,  0, 0, 0, "ldr w6, [x7, #-4]!" },
	{ 0x38401d28, B,         1,  8,  0,  9,     1,  0, 0, 0, "ldrb w8, [x9, #1]!" },
	{ 0x785fed6a, B,         2, 10,  0, 11,    -2,  0, 0, 0, "ldrh w10, [x11, #-2]!" },
	{ 0x38dffdac, S|B,       1, 12,  0, 13,    -1,  0, 0, 0, "ldrsb w12, [x13, #-1]!" },
	{ 0x38803dee, S|X|B,     1, 14,  0, 15,     3,  0, 0, 0, "ldrsb x14, [x15, #3]!" },
	{ 0x78c02e30, S|B,       2, 16,  0, 17,     2,  0, 0, 0, "ldrsh w16, [x17, #2]!" },
	{ 0x789fae72, S|X|B,     2, 18,  0, 19,    -6,  0, 0, 0, "ldrsh x18, [x19, #-6]!" },
	{ 0xb8804eb4, S|X|B,     4, 20,  0, 21,     4,  0, 0, 0, "ldrsw x20, [x21, #4]!" },
	{ 0xf81f8ef6, W|X|B,     8, 22,  0, 23,    -8,  0, 0, 0, "str x22, [x23, #-8]!" },
	{ 0xb8004f38, W|B,       4, 24,  0, 25,     4,  0, 0, 0, "str w24, [x25, #4]!" },
	{ 0x381fff7a, W|B,       1, 26,  0, 27,    -1,  0, 0, 0, "strb w26, [x27, #-1]!" },
	{ 0x78002fbc, W|B,       2, 28,  0, 29,     2,  0, 0, 0, "strh w28, [x29, #2]!" },
	{ 0xf81f0ffe, W|X|B,     8, 30,  0, 31,   -16,  0, 0, 0, "str x30, [sp, #-16]!" },
	{ 0xf85f0fe0, X|B,       8,  0,  0, 31,   -16,  0, 0, 0, "ldr x0, [sp, #-16]!" },
	{ 0xf8008c3f, W|X|B,     8, 31,  0,  1,     8,  0, 0, 0, "str xzr, [x1, #8]!" },
	{ 0xf85f8c5f, X|B,       8, 31,  0,  2,    -8,  0, 0, 0, "ldr xzr, [x2, #-8]!" },
	{ 0xf9400063, X,         8,  3,  0,  3,     0,  0, 0, 0, "ldr x3, [x3]" },
	/* post-index */
	{ 0xf8408420, X|B|O,     8,  0,  0,  1,     8,  0, 0, 0, "ldr x0, [x1], #8" },
	{ 0xf8500462, X|B|O,     8,  2,  0,  3,  -256,  0, 0, 0, "ldr x2, [x3], #-256" },
	{ 0xf84ff4a4, X|B|O,     8,  4,  0,  5,   255,  0, 0, 0, "ldr x4, [x5], #255" },
	{ 0xb85fc4e6, B|O,       4,  6,  0,  7,    -4,  0, 0, 0, "ldr w6, [x7], #-4" },
	{ 0x38401528, B|O,       1,  8,  0,  9,     1,  0, 0, 0, "ldrb w8, [x9], #1" },
	{ 0x785fe56a, B|O,       2, 10,  0, 11,    -2,  0, 0, 0, "ldrh w10, [x11], #-2" },
	{ 0x38dff5ac, S|B|O,     1, 12,  0, 13,    -1,  0, 0, 0, "ldrsb w12, [x13], #-1" },
	{ 0x388035ee, S|X|B|O,   1, 14,  0, 15,     3,  0, 0, 0, "ldrsb x14, [x15], #3" },
	{ 0x78c02630, S|B|O,     2, 16,  0, 17,     2,  0, 0, 0, "ldrsh w16, [x17], #2" },
	{ 0x789fa672, S|X|B|O,   2, 18,  0, 19,    -6,  0, 0, 0, "ldrsh x18, [x19], #-6" },
	{ 0xb88046b4, S|X|B|O,   4, 20,  0, 21,     4,  0, 0, 0, "ldrsw x20, [x21], #4" },
	{ 0xf81f86f6, W|X|B|O,   8, 22,  0, 23,    -8,  0, 0, 0, "str x22, [x23], #-8" },
	{ 0xb8004738, W|B|O,     4, 24,  0, 25,     4,  0, 0, 0, "str w24, [x25], #4" },
	{ 0x381ff77a, W|B|O,     1, 26,  0, 27,    -1,  0, 0, 0, "strb w26, [x27], #-1" },
	{ 0x780027bc, W|B|O,     2, 28,  0, 29,     2,  0, 0, 0, "strh w28, [x29], #2" },
	{ 0xf84107fe, X|B|O,     8, 30,  0, 31,    16,  0, 0, 0, "ldr x30, [sp], #16" },
	{ 0xf81e07e0, W|X|B|O,   8,  0,  0, 31,   -32,  0, 0, 0, "str x0, [sp], #-32" },
	{ 0xb810043f, W|B|O,     4, 31,  0,  1,  -256,  0, 0, 0, "str wzr, [x1], #-256" },
	{ 0xb840045f, B|O,       4, 31,  0,  2,     0,  0, 0, 0, "ldr wzr, [x2], #0" },
	/* register offset */
	{ 0xf8626820, X|R,       8,  0,  0,  1,     0,  2, 3, 0, "ldr x0, [x1, x2]" },
	{ 0xf8657883, X|R,       8,  3,  0,  4,     0,  5, 3, 3, "ldr x3, [x4, x5, lsl #3]" },
	{ 0xf86848e6, X|R,       8,  6,  0,  7,     0,  8, 2, 0, "ldr x6, [x7, w8, uxtw]" },
	{ 0xf86b5949, X|R,       8,  9,  0, 10,     0, 11, 2, 3, "ldr x9, [x10, w11, uxtw #3]" },
	{ 0xf86ec9ac, X|R,       8, 12,  0, 13,     0, 14, 6, 0, "ldr x12, [x13, w14, sxtw]" },
	{ 0xf871da0f, X|R,       8, 15,  0, 16,     0, 17, 6, 3, "ldr x15, [x16, w17, sxtw #3]" },
	{ 0xf874ea72, X|R,       8, 18,  0, 19,     0, 20, 7, 0, "ldr x18, [x19, x20, sxtx]" },
	{ 0xf877fad5, X|R,       8, 21,  0, 22,     0, 23, 7, 3, "ldr x21, [x22, x23, sxtx #3]" },
	{ 0xf8796bf8, X|R,       8, 24,  0, 31,     0, 25, 3, 0, "ldr x24, [sp, x25]" },
	{ 0xf87f6b7a, X|R,       8, 26,  0, 27,     0, 31, 3, 0, "ldr x26, [x27, xzr]" },
	{ 0xb8626820, R,         4,  0,  0,  1,     0,  2, 3, 0, "ldr w0, [x1, x2]" },
	{ 0xb8657883, R,         4,  3,  0,  4,     0,  5, 3, 2, "ldr w3, [x4, x5, lsl #2]" },
	{ 0xb86858e6, R,         4,  6,  0,  7,     0,  8, 2, 2, "ldr w6, [x7, w8, uxtw #2]" },
	{ 0xb86bc949, R,         4,  9,  0, 10,     0, 11, 6, 0, "ldr w9, [x10, w11, sxtw]" },
	{ 0xb86ef9ac, R,         4, 12,  0, 13,     0, 14, 7, 2, "ldr w12, [x13, x14, sxtx #2]" },
	{ 0x38626820, R,         1,  0,  0,  1,     0,  2, 3, 0, "ldrb w0, [x1, x2]" },
	{ 0x38657883, R,         1,  3,  0,  4,     0,  5, 3, 0, "ldrb w3, [x4, x5, lsl #0]" },
	{ 0x386848e6, R,         1,  6,  0,  7,     0,  8, 2, 0, "ldrb w6, [x7, w8, uxtw]" },
	{ 0x386bd949, R,         1,  9,  0, 10,     0, 11, 6, 0, "ldrb w9, [x10, w11, sxtw #0]" },
	{ 0x386ee9ac, R,         1, 12,  0, 13,     0, 14, 7, 0, "ldrb w12, [x13, x14, sxtx]" },
	{ 0x78626820, R,         2,  0,  0,  1,     0,  2, 3, 0, "ldrh w0, [x1, x2]" },
	{ 0x78657883, R,         2,  3,  0,  4,     0,  5, 3, 1, "ldrh w3, [x4, x5, lsl #1]" },
	{ 0x786858e6, R,         2,  6,  0,  7,     0,  8, 2, 1, "ldrh w6, [x7, w8, uxtw #1]" },
	{ 0x786bc949, R,         2,  9,  0, 10,     0, 11, 6, 0, "ldrh w9, [x10, w11, sxtw]" },
	{ 0x38e26820, S|R,       1,  0,  0,  1,     0,  2, 3, 0, "ldrsb w0, [x1, x2]" },
	{ 0x38a5c883, S|X|R,     1,  3,  0,  4,     0,  5, 6, 0, "ldrsb x3, [x4, w5, sxtw]" },
	{ 0x78e878e6, S|R,       2,  6,  0,  7,     0,  8, 3, 1, "ldrsh w6, [x7, x8, lsl #1]" },
	{ 0x78abd949, S|X|R,     2,  9,  0, 10,     0, 11, 6, 1, "ldrsh x9, [x10, w11, sxtw #1]" },
	{ 0xb8ae79ac, S|X|R,     4, 12,  0, 13,     0, 14, 3, 2, "ldrsw x12, [x13, x14, lsl #2]" },
	{ 0xb8b15a0f, S|X|R,     4, 15,  0, 16,     0, 17, 2, 2, "ldrsw x15, [x16, w17, uxtw #2]" },
	{ 0xb8b4ca72, S|X|R,     4, 18,  0, 19,     0, 20, 6, 0, "ldrsw x18, [x19, w20, sxtw]" },
	{ 0xf8216be0, W|X|R,     8,  0,  0, 31,     0,  1, 3, 0, "str x0, [sp, x1]" },
	{ 0xf8247862, W|X|R,     8,  2,  0,  3,     0,  4, 3, 3, "str x2, [x3, x4, lsl #3]" },
	{ 0xb82758c5, W|R,       4,  5,  0,  6,     0,  7, 2, 2, "str w5, [x6, w7, uxtw #2]" },
	{ 0x382a6928, W|R,       1,  8,  0,  9,     0, 10, 3, 0, "strb w8, [x9, x10]" },
	{ 0x382dc98b, W|R,       1, 11,  0, 12,     0, 13, 6, 0, "strb w11, [x12, w13, sxtw]" },
	{ 0x783079ee, W|R,       2, 14,  0, 15,     0, 16, 3, 1, "strh w14, [x15, x16, lsl #1]" },
	{ 0xf8326a3f, W|X|R,     8, 31,  0, 17,     0, 18, 3, 0, "str xzr, [x17, x18]" },
	{ 0xf8336a73, W|X|R,     8, 19,  0, 19,     0, 19, 3, 0, "str x19, [x19, x19]" },
	/* unprivileged */
	{ 0xf8400820, X,         8,  0,  0,  1,     0,  0, 0, 0, "ldtr x0, [x1]" },
	{ 0xf85f8862, X,         8,  2,  0,  3,    -8,  0, 0, 0, "ldtr x2, [x3, #-8]" },
	{ 0xb84ffbe4, 0,         4,  4,  0, 31,   255,  0, 0, 0, "ldtr w4, [sp, #255]" },
	{ 0x384018c5, 0,         1,  5,  0,  6,     1,  0, 0, 0, "ldtrb w5, [x6, #1]" },
	{ 0x785fe907, 0,         2,  7,  0,  8,    -2,  0, 0, 0, "ldtrh w7, [x8, #-2]" },
	{ 0x38d00949, S,         1,  9,  0, 10,  -256,  0, 0, 0, "ldtrsb w9, [x10, #-256]" },
	{ 0x3880198b, S|X,       1, 11,  0, 12,     1,  0, 0, 0, "ldtrsb x11, [x12, #1]" },
	{ 0x78c029cd, S,         2, 13,  0, 14,     2,  0, 0, 0, "ldtrsh w13, [x14, #2]" },
	{ 0x789fea0f, S|X,       2, 15,  0, 16,    -2,  0, 0, 0, "ldtrsh x15, [x16, #-2]" },
	{ 0xb8804a51, S|X,       4, 17,  0, 18,     4,  0, 0, 0, "ldtrsw x17, [x18, #4]" },
	{ 0xf8008a93, W|X,       8, 19,  0, 20,     8,  0, 0, 0, "sttr x19, [x20, #8]" },
	{ 0xb81fcad5, W,         4, 21,  0, 22,    -4,  0, 0, 0, "sttr w21, [x22, #-4]" },
	{ 0x38001b17, W,         1, 23,  0, 24,     1,  0, 0, 0, "sttrb w23, [x24, #1]" },
	{ 0x78000b3f, W,         2, 31,  0, 25,     0,  0, 0, 0, "sttrh wzr, [x25]" },
	/* pairs */
	{ 0xa9400440, X|P,       8,  0,  1,  2,     0,  0, 0, 0, "ldp x0, x1, [x2]" },
	{ 0xa96010a3, X|P,       8,  3,  4,  5,  -512,  0, 0, 0, "ldp x3, x4, [x5, #-512]" },
	{ 0xa95f9d06, X|P,       8,  6,  7,  8,   504,  0, 0, 0, "ldp x6, x7, [x8, #504]" },
	{ 0x29602969, P,         4,  9, 10, 11,  -256,  0, 0, 0, "ldp w9, w10, [x11, #-256]" },
	{ 0x295fb5cc, P,         4, 12, 13, 14,   252,  0, 0, 0, "ldp w12, w13, [x14, #252]" },
	{ 0xa9c143ef, X|P|B,     8, 15, 16, 31,    16,  0, 0, 0, "ldp x15, x16, [sp, #16]!" },
	{ 0x29ff4a71, P|B,       4, 17, 18, 19,    -8,  0, 0, 0, "ldp w17, w18, [x19, #-8]!" },
	{ 0xa8c17bfd, X|P|B|O,   8, 29, 30, 31,    16,  0, 0, 0, "ldp x29, x30, [sp], #16" },
	{ 0x28e056d4, P|B|O,     4, 20, 21, 22,  -256,  0, 0, 0, "ldp w20, w21, [x22], #-256" },
	{ 0xa9405f1f, X|P,       8, 31, 23, 24,     0,  0, 0, 0, "ldp xzr, x23, [x24]" },
	{ 0xa9c0ff59, X|P|B,     8, 25, 31, 26,     8,  0, 0, 0, "ldp x25, xzr, [x26, #8]!" },
	{ 0xa9bf7bfd, W|X|P|B,   8, 29, 30, 31,   -16,  0, 0, 0, "stp x29, x30, [sp, #-16]!" },
	{ 0xa91f8440, W|X|P,     8,  0,  1,  2,   504,  0, 0, 0, "stp x0, x1, [x2, #504]" },
	{ 0x288110a3, W|P|B|O,   4,  3,  4,  5,     8,  0, 0, 0, "stp w3, w4, [x5], #8" },
	{ 0x29bf9d06, W|P|B,     4,  6,  7,  8,    -4,  0, 0, 0, "stp w6, w7, [x8, #-4]!" },
	{ 0xa9007d3f, W|X|P,     8, 31, 31,  9,     0,  0, 0, 0, "stp xzr, xzr, [x9]" },
	{ 0x2900a97f, W|P,       4, 31, 10, 11,     4,  0, 0, 0, "stp wzr, w10, [x11, #4]" },
	{ 0xa8a031ac, W|X|P|B|O, 8, 12, 12, 13,  -512,  0, 0, 0, "stp x12, x12, [x13], #-512" },
	{ 0xa9003dce, W|X|P,     8, 14, 15, 14,     0,  0, 0, 0, "stp x14, x15, [x14]" },
	{ 0x69400440, S|X|P,     4,  0,  1,  2,     0,  0, 0, 0, "ldpsw x0, x1, [x2]" },
	{ 0x696010a3, S|X|P,     4,  3,  4,  5,  -256,  0, 0, 0, "ldpsw x3, x4, [x5, #-256]" },
	{ 0x69df9d06, S|X|P|B,   4,  6,  7,  8,   252,  0, 0, 0, "ldpsw x6, x7, [x8, #252]!" },
	{ 0x68ffa969, S|X|P|B|O, 4,  9, 10, 11,    -4,  0, 0, 0, "ldpsw x9, x10, [x11], #-4" },
	{ 0x694137ec, S|X|P,     4, 12, 13, 31,     8,  0, 0, 0, "ldpsw x12, x13, [sp, #8]" },
	{ 0xa8410440, X|P,       8,  0,  1,  2,    16,  0, 0, 0, "ldnp x0, x1, [x2, #16]" },
	{ 0x287f10a3, P,         4,  3,  4,  5,    -8,  0, 0, 0, "ldnp w3, w4, [x5, #-8]" },
	{ 0xa8201fe6, W|X|P,     8,  6,  7, 31,  -512,  0, 0, 0, "stnp x6, x7, [sp, #-512]" },
	{ 0x281fa548, W|P,       4,  8,  9, 10,   252,  0, 0, 0, "stnp w8, w9, [x10, #252]" },
	/* load-acquire / store-release (FEAT_LOR, FEAT_LRCPC, FEAT_LRCPC2) */
	{ 0xc8dffc20, X|A,       8,  0,  0,  1,     0,  0, 0, 0, "ldar x0, [x1]" },
	{ 0x88dfffe2, A,         4,  2,  0, 31,     0,  0, 0, 0, "ldar w2, [sp]" },
	{ 0x08dffc83, A,         1,  3,  0,  4,     0,  0, 0, 0, "ldarb w3, [x4]" },
	{ 0x48dffcc5, A,         2,  5,  0,  6,     0,  0, 0, 0, "ldarh w5, [x6]" },
	{ 0xc89ffd07, W|X|A,     8,  7,  0,  8,     0,  0, 0, 0, "stlr x7, [x8]" },
	{ 0x889ffd49, W|A,       4,  9,  0, 10,     0,  0, 0, 0, "stlr w9, [x10]" },
	{ 0x089ffd8b, W|A,       1, 11,  0, 12,     0,  0, 0, 0, "stlrb w11, [x12]" },
	{ 0x489ffdbf, W|A,       2, 31,  0, 13,     0,  0, 0, 0, "stlrh wzr, [x13]" },
	{ 0xc8df7dee, X|A,       8, 14,  0, 15,     0,  0, 0, 0, "ldlar x14, [x15]" },
	{ 0x08df7e30, A,         1, 16,  0, 17,     0,  0, 0, 0, "ldlarb w16, [x17]" },
	{ 0x889f7e72, W|A,       4, 18,  0, 19,     0,  0, 0, 0, "stllr w18, [x19]" },
	{ 0x489f7eb4, W|A,       2, 20,  0, 21,     0,  0, 0, 0, "stllrh w20, [x21]" },
	{ 0xf8bfc2f6, X|A,       8, 22,  0, 23,     0,  0, 0, 0, "ldapr x22, [x23]" },
	{ 0xb8bfc3f8, A,         4, 24,  0, 31,     0,  0, 0, 0, "ldapr w24, [sp]" },
	{ 0x38bfc359, A,         1, 25,  0, 26,     0,  0, 0, 0, "ldaprb w25, [x26]" },
	{ 0x78bfc39b, A,         2, 27,  0, 28,     0,  0, 0, 0, "ldaprh w27, [x28]" },
	{ 0xd95f8020, X|A,       8,  0,  0,  1,    -8,  0, 0, 0, "ldapur x0, [x1, #-8]" },
	{ 0x994ff062, A,         4,  2,  0,  3,   255,  0, 0, 0, "ldapur w2, [x3, #255]" },
	{ 0x194000a4, A,         1,  4,  0,  5,     0,  0, 0, 0, "ldapurb w4, [x5]" },
	{ 0x595000e6, A,         2,  6,  0,  7,  -256,  0, 0, 0, "ldapurh w6, [x7, #-256]" },
	{ 0x19c01128, S|A,       1,  8,  0,  9,     1,  0, 0, 0, "ldapursb w8, [x9, #1]" },
	{ 0x199ff16a, S|X|A,     1, 10,  0, 11,    -1,  0, 0, 0, "ldapursb x10, [x11, #-1]" },
	{ 0x59c021ac, S|A,       2, 12,  0, 13,     2,  0, 0, 0, "ldapursh w12, [x13, #2]" },
	{ 0x599fe1ee, S|X|A,     2, 14,  0, 15,    -2,  0, 0, 0, "ldapursh x14, [x15, #-2]" },
	{ 0x998043f0, S|X|A,     4, 16,  0, 31,     4,  0, 0, 0, "ldapursw x16, [sp, #4]" },
	{ 0xd9008251, W|X|A,     8, 17,  0, 18,     8,  0, 0, 0, "stlur x17, [x18, #8]" },
	{ 0x991fc293, W|A,       4, 19,  0, 20,    -4,  0, 0, 0, "stlur w19, [x20, #-4]" },
	{ 0x190032d5, W|A,       1, 21,  0, 22,     3,  0, 0, 0, "stlurb w21, [x22, #3]" },
	{ 0x591fa317, W|A,       2, 23,  0, 24,    -6,  0, 0, 0, "stlurh w23, [x24, #-6]" },
};

static const struct reject_case reject_cases[] = {
	/* SIMD&FP */
	{ 0x3dc00020, "ldr q0, [x1]" },
	{ 0xfd400462, "ldr d2, [x3, #8]" },
	{ 0xbc4044a4, "ldr s4, [x5], #4" },
	{ 0x7c5fece6, "ldr h6, [x7, #-2]!" },
	{ 0x3c6a6928, "ldr b8, [x9, x10]" },
	{ 0x3d8007eb, "str q11, [sp, #16]" },
	{ 0xfc1f81ac, "stur d12, [x13, #-8]" },
	{ 0xad400440, "ldp q0, q1, [x2]" },
	{ 0x6dc113e3, "ldp d3, d4, [sp, #16]!" },
	{ 0x2c8118e5, "stp s5, s6, [x7], #8" },
	{ 0xac402548, "ldnp q8, q9, [x10]" },
	{ 0x4c407000, "ld1 {v0.16b}, [x0]" },
	{ 0x4c9fa861, "st1 {v1.4s, v2.4s}, [x3], #32" },
	{ 0x4d40c4a4, "ld1r {v4.8h}, [x5]" },
	/* exclusives */
	{ 0xc85f7c20, "ldxr x0, [x1]" },
	{ 0x885f7c62, "ldxr w2, [x3]" },
	{ 0x085f7ca4, "ldxrb w4, [x5]" },
	{ 0x485f7ce6, "ldxrh w6, [x7]" },
	{ 0xc85ffd28, "ldaxr x8, [x9]" },
	{ 0xc80a7d8b, "stxr w10, x11, [x12]" },
	{ 0x880dfdee, "stlxr w13, w14, [x15]" },
	{ 0x08107e51, "stxrb w16, w17, [x18]" },
	{ 0xc87f52b3, "ldxp x19, x20, [x21]" },
	{ 0x887fdf16, "ldaxp w22, w23, [x24]" },
	{ 0xc8396f9a, "stxp w25, x26, x27, [x28]" },
	{ 0x88208861, "stlxp w0, w1, w2, [x3]" },
	/* atomics (FEAT_LSE) */
	{ 0xc8a07c41, "cas x0, x1, [x2]" },
	{ 0x88e3fca4, "casal w3, w4, [x5]" },
	{ 0x08a67d07, "casb w6, w7, [x8]" },
	{ 0x48207c82, "casp x0, x1, x2, x3, [x4]" },
	{ 0xf8200041, "ldadd x0, x1, [x2]" },
	{ 0xb8e300a4, "ldaddal w3, w4, [x5]" },
	{ 0xf8261107, "ldclr x6, x7, [x8]" },
	{ 0xb829216a, "ldeor w9, w10, [x11]" },
	{ 0xf82c31cd, "ldset x12, x13, [x14]" },
	{ 0xb82f4230, "ldsmax w15, w16, [x17]" },
	{ 0xf8327293, "ldumin x18, x19, [x20]" },
	{ 0xf83582f6, "swp x21, x22, [x23]" },
	{ 0x38f88359, "swpalb w24, w25, [x26]" },
	{ 0xf820003f, "stadd x0, [x1]" },
	{ 0xb862107f, "stclrl w2, [x3]" },
	/* literal loads and prefetches */
	{ 0x58000000, "ldr x0, ." },
	{ 0x18000041, "ldr w1, . + 8" },
	{ 0x98ffffe2, "ldrsw x2, . - 4" },
	{ 0x9c000003, "ldr q3, ." },
	{ 0xd8000000, "prfm pldl1keep, ." },
	{ 0xf9800000, "prfm pldl1keep, [x0]" },
	{ 0xf9800433, "prfm pstl2strm, [x1, #8]" },
	{ 0xf8a37840, "prfm pldl1keep, [x2, x3, lsl #3]" },
	{ 0xf89ff080, "prfum pldl1keep, [x4, #-1]" },
	/* pointer authentication, memory tagging */
	{ 0xf8200420, "ldraa x0, [x1]" },
	{ 0xf8a01c62, "ldrab x2, [x3, #8]!" },
	{ 0x69000440, "stgp x0, x1, [x2]" },
	{ 0xd9201883, "stg x3, [x4, #16]" },
	{ 0xd96000c5, "ldg x5, [x6]" },
	{ 0xd9a02507, "st2g x7, [x8], #32" },
	/* branches, system, data processing */
	{ 0x14000000, "b ." },
	{ 0x94000010, "bl . + 64" },
	{ 0xd61f0000, "br x0" },
	{ 0xd63f0020, "blr x1" },
	{ 0xd65f03c0, "ret" },
	{ 0xb4000002, "cbz x2, ." },
	{ 0x37080003, "tbnz w3, #1, ." },
	{ 0x54000000, "b.eq ." },
	{ 0xd503201f, "nop" },
	{ 0xd503207f, "wfi" },
	{ 0xd4000001, "svc #0" },
	{ 0xd4000002, "hvc #0" },
	{ 0xd4000003, "smc #0" },
	{ 0xd69f03e0, "eret" },
	{ 0xd50b7e20, "dc civac, x0" },
	{ 0xd50b7421, "dc zva, x1" },
	{ 0xd50b7522, "ic ivau, x2" },
	{ 0xd5381003, "mrs x3, sctlr_el1" },
	{ 0xd51bd044, "msr tpidr_el0, x4" },
	{ 0x8b020020, "add x0, x1, x2" },
	{ 0xd10043ff, "sub sp, sp, #16" },
	{ 0xd2800025, "mov x5, #1" },
	{ 0xf2a24686, "movk x6, #0x1234, lsl #16" },
	{ 0x10000007, "adr x7, ." },
	{ 0x90000008, "adrp x8, ." },
	{ 0x12001d49, "and w9, w10, #0xff" },
	{ 0x9b0d398b, "madd x11, x12, x13, x14" },
	{ 0x1e622820, "fadd d0, d1, d2" },
	/* CONSTRAINED UNPREDICTABLE: writeback into a transfer register, a load pair into one */
	{ 0xf8408c00, "ldr x0, [x0, #8]!" },
	{ 0xb85fc421, "ldr w1, [x1], #-4" },
	{ 0x38401c42, "ldrb w2, [x2, #1]!" },
	{ 0x78802463, "ldrsh x3, [x3], #2" },
	{ 0xf8008484, "str x4, [x4], #8" },
	{ 0x781feca5, "strh w5, [x5, #-2]!" },
	{ 0xa8c11cc6, "ldp x6, x7, [x6], #16" },
	{ 0xa9ff2528, "ldp x8, x9, [x9, #-16]!" },
	{ 0xa9812d4a, "stp x10, x11, [x10, #16]!" },
	{ 0x288135ac, "stp w12, w13, [x13], #8" },
	{ 0x68c13dee, "ldpsw x14, x15, [x15], #8" },
	{ 0xa9404230, "ldp x16, x16, [x17]" },
	{ 0x28c14a72, "ldp w18, w18, [x19], #8" },
	{ 0xa84052b4, "ldnp x20, x20, [x21]" },
	{ 0x69415af6, "ldpsw x22, x22, [x23, #8]" },
};
#define HAS(c, f) (((c)->flags & (f)) != 0)
#undef W
#undef S
#undef X
#undef A
#undef P
#undef B
#undef O
#undef R

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd32(void)
{
	/* xorshift64*: the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint64_t rnd64(void)
{
	return (uint64_t)rnd32() << 32 | rnd32();
}

static const struct insn_case *find_case(const char *text)
{
	for (size_t i = 0; i < ARRAY_SIZE(accept_cases); i++)
		if (!strcmp(accept_cases[i].text, text))
			return &accept_cases[i];
	fail_msg("no table entry \"%s\"", text);
	return NULL;
}

static struct mmio_access decode_ok(const char *text)
{
	struct mmio_access a;

	if (mmio_decode_insn(find_case(text)->insn, &a))
		fail_msg("\"%s\" rejected", text);
	return a;
}

static void check_case(const struct insn_case *c, const struct mmio_access *a)
{
#define FIELD(f, want)                                                                   \
	do {                                                                             \
		if ((int64_t)a->f != (int64_t)(want))                                    \
			fail_msg("%08x \"%s\": %s = %lld, expected %lld", c->insn, c->text, \
				 #f, (long long)a->f, (long long)(want));                 \
	} while (0)
	FIELD(write, HAS(c, C_WRITE));
	FIELD(size, c->size);
	FIELD(sign_extend, HAS(c, C_SIGN));
	FIELD(sf, HAS(c, C_SF));
	FIELD(acq_rel, HAS(c, C_ACQ));
	FIELD(rt, c->rt);
	FIELD(pair, HAS(c, C_PAIR));
	FIELD(rt2, c->rt2);
	FIELD(writeback, HAS(c, C_WB));
	FIELD(post_index, HAS(c, C_POST));
	FIELD(rn, c->rn);
	FIELD(offset, c->offset);
	FIELD(reg_offset, HAS(c, C_REG));
	FIELD(rm, c->rm);
	FIELD(extend, c->extend);
	FIELD(shift, c->shift);
	FIELD(from_iss, false);
#undef FIELD
}

static void test_accept_table(void **state)
{
	struct mmio_access a;

	assert_true(ARRAY_SIZE(accept_cases) >= 150);
	for (size_t i = 0; i < ARRAY_SIZE(accept_cases); i++) {
		const struct insn_case *c = &accept_cases[i];

		memset(&a, 0xa5, sizeof(a));
		if (mmio_decode_insn(c->insn, &a))
			fail_msg("%08x \"%s\" rejected", c->insn, c->text);
		check_case(c, &a);
	}
}

/* Refused, and *a left alone. */
static void expect_reject(uint32_t insn, const char *what)
{
	struct mmio_access a, before;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	if (!mmio_decode_insn(insn, &a))
		fail_msg("%08x \"%s\" accepted (size %u rt %u rn %u)", insn, what, a.size, a.rt,
			 a.rn);
	assert_memory_equal(&a, &before, sizeof(a));
}

static void test_reject_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(reject_cases); i++)
		expect_reject(reject_cases[i].insn, reject_cases[i].text);
}

static uint32_t set_field(uint32_t insn, unsigned int lo, unsigned int width, uint32_t v)
{
	uint32_t m = ((1u << width) - 1) << lo;

	return (insn & ~m) | ((v << lo) & m);
}

/* Every accepted writeback form with its base moved onto rt (or rt2) is refused. */
static void test_writeback_clash(void **state)
{
	struct mmio_access a;
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(accept_cases); i++) {
		const struct insn_case *c = &accept_cases[i];
		uint32_t w;

		if (c->rt != 31) {
			w = set_field(c->insn, 5, 5, c->rt);
			if (HAS(c, C_WB)) {
				expect_reject(w, c->text);
				n++;
			} else if (!(HAS(c, C_PAIR) && !HAS(c, C_WRITE) && c->rt == c->rt2)) {
				/* Without writeback the same base is fine. */
				assert_int_equal(mmio_decode_insn(w, &a), 0);
				assert_int_equal(a.rn, c->rt);
			}
		}
		if (HAS(c, C_PAIR) && HAS(c, C_WB) && c->rt2 != 31) {
			expect_reject(set_field(c->insn, 5, 5, c->rt2), c->text);
			n++;
		}
		/* rt = 31 (XZR) with base 31 (SP) are different registers. */
		if (HAS(c, C_WB) && !HAS(c, C_PAIR)) {
			w = set_field(set_field(c->insn, 0, 5, 31), 5, 5, 31);
			assert_int_equal(mmio_decode_insn(w, &a), 0);
			assert_int_equal(a.rt, 31);
			assert_int_equal(a.rn, 31);
			assert_true(a.writeback);
		}
		/* A load pair into one register is refused with or without writeback. */
		if (HAS(c, C_PAIR) && !HAS(c, C_WRITE)) {
			w = set_field(c->insn, 10, 5, c->rt);
			expect_reject(w, c->text);
		}
		/* Stores of one register twice are fine. */
		if (HAS(c, C_PAIR) && HAS(c, C_WRITE) && !HAS(c, C_WB)) {
			w = set_field(c->insn, 10, 5, c->rt);
			assert_int_equal(mmio_decode_insn(w, &a), 0);
			assert_int_equal(a.rt2, c->rt);
		}
	}
	assert_true(n >= 50);
}

/* Hand-built unallocated and reserved encodings next to accepted ones. */
static void test_reject_unallocated(void **state)
{
	struct mmio_access a;
	uint32_t ldr_reg = find_case("ldr x0, [x1, x2]")->insn;
	uint32_t ldr_post = find_case("ldr x0, [x1], #8")->insn;
	uint32_t ldr_uimm = find_case("ldr x2, [x3, #8]")->insn;
	uint32_t ldur = find_case("ldur x0, [x1, #-8]")->insn;
	uint32_t ldp = find_case("ldp x0, x1, [x2]")->insn;
	uint32_t ldnp = find_case("ldnp x0, x1, [x2, #16]")->insn;
	uint32_t ldar = find_case("ldar x0, [x1]")->insn;
	uint32_t ldapr = find_case("ldapr x22, [x23]")->insn;
	uint32_t ldapur = find_case("ldapur x0, [x1, #-8]")->insn;

	/* Register offset: option<1> = 0 is unallocated (C6.2 LDR (register)). */
	for (uint32_t opt = 0; opt < 8; opt++) {
		uint32_t w = set_field(ldr_reg, 13, 3, opt);

		if (opt & 2) {
			assert_int_equal(mmio_decode_insn(w, &a), 0);
			assert_int_equal(a.extend, opt);
		} else {
			expect_reject(w, "register offset, option<1> = 0");
		}
	}
	/* size 11 opc 10 is PRFM/PRFUM or unallocated, in every addressing form. */
	expect_reject(set_field(ldr_reg, 22, 2, 2), "prfm (register)");
	expect_reject(set_field(ldr_post, 22, 2, 2), "size 11 opc 10 post-index");
	expect_reject(set_field(ldr_uimm, 22, 2, 2), "prfm (immediate)");
	expect_reject(set_field(ldur, 22, 2, 2), "prfum");
	expect_reject(set_field(ldapur, 22, 2, 2), "ldapur size 11 opc 10");
	/* opc 11 only exists for bytes and halfwords (LDRS* into W). */
	for (uint32_t size = 0; size < 4; size++) {
		uint32_t w = set_field(set_field(ldr_post, 30, 2, size), 22, 2, 3);

		if (size < 2)
			assert_int_equal(mmio_decode_insn(w, &a), 0);
		else
			expect_reject(w, "opc 11 with size 1x");
		w = set_field(set_field(ldapur, 30, 2, size), 22, 2, 3);
		if (size < 2)
			assert_int_equal(mmio_decode_insn(w, &a), 0);
		else
			expect_reject(w, "ldapur opc 11 with size 1x");
	}
	/* Register-offset space with bits 11:10 != 10: atomics and LDRAA/LDRAB. */
	for (uint32_t op = 0; op < 4; op++)
		if (op != 2)
			expect_reject(set_field(ldr_reg, 10, 2, op), "atomic / pac space");
	/* Pairs: opc 11, STGP, the non-temporal LDPSW slot. */
	expect_reject(set_field(ldp, 30, 2, 3), "pair opc 11");
	expect_reject(set_field(set_field(ldp, 30, 2, 1), 22, 1, 0), "stgp");
	expect_reject(set_field(ldnp, 30, 2, 1), "ldnp opc 01");
	/* SIMD&FP (V, bit 26) in every accepted class that has it. */
	for (size_t i = 0; i < ARRAY_SIZE(accept_cases); i++) {
		uint32_t w = accept_cases[i].insn;

		if ((w & 0x3a000000) == 0x38000000 || (w & 0x3a000000) == 0x28000000)
			expect_reject(w | (1u << 26), accept_cases[i].text);
	}
	/* Ordered: o1 = 1 is CAS; the Rs and Rt2 fields must be all ones. */
	expect_reject(ldar | (1u << 21), "cas space");
	expect_reject(set_field(ldar, 16, 5, 0), "ldar Rs != 31");
	expect_reject(set_field(ldar, 10, 5, 0), "ldar Rt2 != 31");
	expect_reject(set_field(ldar, 23, 1, 0), "ldaxr (o2 = 0)");
	/* LDAPR: every other Rs / o3:opc is an atomic. */
	for (uint32_t bit = 10; bit <= 20; bit++)
		expect_reject(ldapr ^ (1u << bit), "ldapr neighbour");
	expect_reject(ldapur | (1u << 21), "stg space");
	expect_reject(set_field(ldapur, 10, 2, 2), "ldapur bits 11:10 = 10");
}

/* The A64 load/store group is op0 = x1x0 (bits 28:25, C4.1): nothing outside it decodes. */
static void test_reject_outside_group(void **state)
{
	struct mmio_access a;
	unsigned int tried = 0;

	for (unsigned int i = 0; i < 200000; i++) {
		uint32_t w = rnd32();

		if ((w & (1u << 27)) && !(w & (1u << 25)))
			continue;
		tried++;
		if (!mmio_decode_insn(w, &a))
			fail_msg("%08x outside the load/store group accepted", w);
	}
	assert_true(tried > 100000);
}

/* Structural invariants over random words from the load/store group. */
static void test_random_invariants(void **state)
{
	struct mmio_access a;
	unsigned int accepted = 0;

	for (unsigned int i = 0; i < 400000; i++) {
		uint32_t w = (rnd32() | (1u << 27)) & ~(1u << 25);

		if (i & 1)
			w &= ~(1u << 26);
		if (mmio_decode_insn(w, &a))
			continue;
		accepted++;
		assert_true(a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8);
		assert_int_equal(a.rt, w & 31);
		assert_int_equal(a.rn, (w >> 5) & 31);
		assert_false(w & (1u << 26));
		assert_false(a.from_iss);
		if (a.pair) {
			assert_true(a.size == 4 || a.size == 8);
			assert_int_equal(a.rt2, (w >> 10) & 31);
			assert_int_equal(a.offset % a.size, 0);
			assert_true(a.offset >= -64 * a.size && a.offset <= 63 * a.size);
			if (!a.write)
				assert_int_not_equal(a.rt, a.rt2);
		}
		if (a.write)
			assert_false(a.sign_extend);
		if (a.sign_extend)
			assert_true(a.size < 8 && (a.sf || a.size < 4));
		if (a.size == 8)
			assert_true(a.sf);
		if (a.post_index)
			assert_true(a.writeback);
		if (a.writeback) {
			assert_false(a.reg_offset);
			assert_false(a.acq_rel);
			assert_true(a.rn == 31 || (a.rt != a.rn && (!a.pair || a.rt2 != a.rn)));
		}
		if (a.reg_offset) {
			assert_int_equal(a.offset, 0);
			assert_true(a.extend == MMIO_EXT_UXTW || a.extend == MMIO_EXT_LSL ||
				    a.extend == MMIO_EXT_SXTW || a.extend == MMIO_EXT_SXTX);
			assert_true(a.shift == 0 || (1u << a.shift) == a.size);
		} else {
			assert_true(a.offset >= -512 && a.offset <= 4095 * 8);
		}
	}
	assert_true(accepted > 50000);
}

static void test_reg_offset(void **state)
{
	const uint64_t v = 0xfedcba9880000001ull;
	struct mmio_access a;

	a = decode_ok("ldr x0, [x1, x2]");
	assert_int_equal(mmio_reg_offset(&a, v), (int64_t)v);
	assert_int_equal(mmio_reg_offset(&a, (uint64_t)-24), -24);
	a = decode_ok("ldr x3, [x4, x5, lsl #3]");
	assert_int_equal(mmio_reg_offset(&a, 5), 40);
	assert_int_equal(mmio_reg_offset(&a, (uint64_t)-3), -24);
	a = decode_ok("ldr x6, [x7, w8, uxtw]");
	assert_int_equal(mmio_reg_offset(&a, v), 0x80000001);
	a = decode_ok("ldr x9, [x10, w11, uxtw #3]");
	assert_int_equal(mmio_reg_offset(&a, v), 0x400000008ll);
	a = decode_ok("ldr x12, [x13, w14, sxtw]");
	assert_int_equal(mmio_reg_offset(&a, v), -0x7fffffffll);
	assert_int_equal(mmio_reg_offset(&a, 0x123456789ull), 0x23456789);
	a = decode_ok("ldr x15, [x16, w17, sxtw #3]");
	assert_int_equal(mmio_reg_offset(&a, 0xfffffffeull), -16);
	a = decode_ok("ldr x18, [x19, x20, sxtx]");
	assert_int_equal(mmio_reg_offset(&a, v), (int64_t)v);
	a = decode_ok("ldr x21, [x22, x23, sxtx #3]");
	assert_int_equal(mmio_reg_offset(&a, (uint64_t)-2), -16);
	a = decode_ok("ldrh w3, [x4, x5, lsl #1]");
	assert_int_equal(mmio_reg_offset(&a, 7), 14);
	a = decode_ok("ldrh w6, [x7, w8, uxtw #1]");
	assert_int_equal(mmio_reg_offset(&a, 0xffffffffull), 0x1fffffffell);
	a = decode_ok("ldrsh x9, [x10, w11, sxtw #1]");
	assert_int_equal(mmio_reg_offset(&a, 0xffffffffull), -2);
	a = decode_ok("ldr w3, [x4, x5, lsl #2]");
	assert_int_equal(mmio_reg_offset(&a, 3), 12);
	a = decode_ok("ldrsw x18, [x19, w20, sxtw]");
	assert_int_equal(mmio_reg_offset(&a, 0x80000000ull), -0x80000000ll);
	a = decode_ok("ldrb w3, [x4, x5, lsl #0]");
	assert_int_equal(mmio_reg_offset(&a, 9), 9);
	a = decode_ok("ldrb w9, [x10, w11, sxtw #0]");
	assert_int_equal(mmio_reg_offset(&a, 0xffffffffull), -1);
	a = decode_ok("ldr x26, [x27, xzr]");
	assert_int_equal(a.rm, 31);
	assert_int_equal(mmio_reg_offset(&a, 0), 0);
}

struct load_case {
	const char *text;
	uint64_t raw, expect;
};

static void test_load_value(void **state)
{
	static const struct load_case cases[] = {
		{ "ldrb w9, [x10]", 0xffffffffffffff80ull, 0x80 },
		{ "ldrsb w16, [x17, #1]", 0x80, 0xffffff80 },
		{ "ldrsb w16, [x17, #1]", 0x123456789abcde7full, 0x7f },
		{ "ldrsb x18, [x19, #4095]", 0x80, 0xffffffffffffff80ull },
		{ "ldrsb x18, [x19, #4095]", 0xff00, 0 },
		{ "ldrh w13, [x14, #2]", 0xabcd8001ull, 0x8001 },
		{ "ldrsh w20, [x21, #2]", 0x8001, 0xffff8001 },
		{ "ldrsh w20, [x21, #2]", 0xffff7fffull, 0x7fff },
		{ "ldrsh x22, [x23, #8190]", 0x8001, 0xffffffffffff8001ull },
		{ "ldr w5, [x6, #4]", 0xdeadbeefcafef00dull, 0xcafef00d },
		{ "ldrsw x24, [x25, #4]", 0x80000000, 0xffffffff80000000ull },
		{ "ldrsw x24, [x25, #4]", 0xffffffff7fffffffull, 0x7fffffff },
		{ "ldr x0, [x1]", 0xdeadbeefcafef00dull, 0xdeadbeefcafef00dull },
		{ "ldpsw x0, x1, [x2]", 0xfffffffeull, 0xfffffffffffffffeull },
		{ "ldp w9, w10, [x11, #-256]", 0x1ffffffffull, 0xffffffff },
		{ "ldapursb w8, [x9, #1]", 0xfe, 0xfffffffe },
		{ "ldapursh x14, [x15, #-2]", 0x8000, 0xffffffffffff8000ull },
		{ "ldarb w3, [x4]", 0x1ff, 0xff },
		{ "ldtrsw x17, [x18, #4]", 0x87654321, 0xffffffff87654321ull },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mmio_access a = decode_ok(cases[i].text);
		uint64_t got = mmio_load_value(&a, cases[i].raw);

		if (got != cases[i].expect)
			fail_msg("\"%s\" raw %#llx: %#llx, expected %#llx", cases[i].text,
				 (unsigned long long)cases[i].raw, (unsigned long long)got,
				 (unsigned long long)cases[i].expect);
	}
}

static void fill_regs(uint64_t x[31])
{
	for (unsigned int i = 0; i < 31; i++)
		x[i] = 0x1122334455667700ull + i * 0x0101010101010101ull;
}

static void test_store_value(void **state)
{
	uint64_t x[31];
	struct mmio_access a;

	fill_regs(x);
	a = decode_ok("str x27, [x28, #8]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[27]);
	a = decode_ok("str w1, [x2]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[1] & 0xffffffff);
	a = decode_ok("strb w5, [x6, #4095]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[5] & 0xff);
	a = decode_ok("strh w7, [x8, #8190]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[7] & 0xffff);
	a = decode_ok("str xzr, [x9, #32760]");
	assert_int_equal(mmio_store_value(&a, x, 0), 0);
	a = decode_ok("strh wzr, [x11, #6]");
	assert_int_equal(mmio_store_value(&a, x, 0), 0);
	a = decode_ok("stlrb w11, [x12]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[11] & 0xff);
	a = decode_ok("stp x29, x30, [sp, #-16]!");
	assert_int_equal(mmio_store_value(&a, x, 0), x[29]);
	assert_int_equal(mmio_store_value(&a, x, 1), x[30]);
	a = decode_ok("stp w3, w4, [x5], #8");
	assert_int_equal(mmio_store_value(&a, x, 0), x[3] & 0xffffffff);
	assert_int_equal(mmio_store_value(&a, x, 1), x[4] & 0xffffffff);
	a = decode_ok("stp wzr, w10, [x11, #4]");
	assert_int_equal(mmio_store_value(&a, x, 0), 0);
	assert_int_equal(mmio_store_value(&a, x, 1), x[10] & 0xffffffff);
	a = decode_ok("stp xzr, xzr, [x9]");
	assert_int_equal(mmio_store_value(&a, x, 0), 0);
	assert_int_equal(mmio_store_value(&a, x, 1), 0);
	/* A store whose base is also the data register stores the old value. */
	a = decode_ok("str x0, [x0, #16]");
	assert_int_equal(mmio_store_value(&a, x, 0), x[0]);
}

/* mmio_complete() on a copy of a filled register file; returns the copy for comparison. */
static void complete(const char *text, uint64_t x[31], uint64_t *sp, uint64_t v, uint64_t v2)
{
	struct mmio_access a = decode_ok(text);

	fill_regs(x);
	*sp = 0x40001000;
	mmio_complete(&a, x, sp, v, v2);
}

/* x matches fill_regs() except at the listed registers (terminated by -1). */
static void regs_unchanged_except(const uint64_t x[31], int r1, int r2, int r3)
{
	uint64_t ref[31];

	fill_regs(ref);
	for (int i = 0; i < 31; i++)
		if (i != r1 && i != r2 && i != r3 && x[i] != ref[i])
			fail_msg("x%d changed", i);
}

static void test_complete(void **state)
{
	uint64_t x[31], sp;

	complete("ldr x0, [x1]", x, &sp, 0xdeadbeefcafef00dull, 0);
	assert_int_equal(x[0], 0xdeadbeefcafef00dull);
	assert_int_equal(sp, 0x40001000);
	regs_unchanged_except(x, 0, -1, -1);

	complete("ldrsb w16, [x17, #1]", x, &sp, 0xf0, 0);
	assert_int_equal(x[16], 0xfffffff0);
	regs_unchanged_except(x, 16, -1, -1);

	complete("ldrsb x18, [x19, #4095]", x, &sp, 0xf0, 0);
	assert_int_equal(x[18], 0xfffffffffffffff0ull);

	complete("ldr w5, [x6, #4]", x, &sp, 0xffffffffffffffffull, 0);
	assert_int_equal(x[5], 0xffffffff);

	/* XZR destinations discard, with and without writeback. */
	complete("ldr xzr, [sp]", x, &sp, 0x1234, 0);
	assert_int_equal(sp, 0x40001000);
	regs_unchanged_except(x, -1, -1, -1);
	complete("ldr xzr, [x2, #-8]!", x, &sp, 0x1234, 0);
	regs_unchanged_except(x, 2, -1, -1);
	assert_int_equal(x[2], 0x1122334455667700ull + 2 * 0x0101010101010101ull - 8);

	/* SP base writeback, pre and post. */
	complete("ldr x30, [sp], #16", x, &sp, 0xabc, 0);
	assert_int_equal(x[30], 0xabc);
	assert_int_equal(sp, 0x40001010);
	regs_unchanged_except(x, 30, -1, -1);
	complete("str x30, [sp, #-16]!", x, &sp, 0x999, 0);
	assert_int_equal(sp, 0x40000ff0);
	regs_unchanged_except(x, -1, -1, -1);
	complete("str x0, [sp], #-32", x, &sp, 0, 0);
	assert_int_equal(sp, 0x40000fe0);
	complete("ldr x0, [sp, #-16]!", x, &sp, 7, 0);
	assert_int_equal(x[0], 7);
	assert_int_equal(sp, 0x40000ff0);

	/* General register base writeback; no writeback for offset forms. */
	complete("ldr x2, [x3, #-256]!", x, &sp, 5, 0);
	assert_int_equal(x[2], 5);
	assert_int_equal(x[3], 0x1122334455667700ull + 3 * 0x0101010101010101ull - 256);
	regs_unchanged_except(x, 2, 3, -1);
	complete("strh w28, [x29], #2", x, &sp, 0, 0);
	assert_int_equal(x[29], 0x1122334455667700ull + 29 * 0x0101010101010101ull + 2);
	regs_unchanged_except(x, 29, -1, -1);
	complete("ldr x2, [x3, #8]", x, &sp, 5, 0);
	regs_unchanged_except(x, 2, -1, -1);
	complete("ldur x6, [sp, #-1]", x, &sp, 5, 0);
	assert_int_equal(sp, 0x40001000);

	/* Pairs. */
	complete("ldp x29, x30, [sp], #16", x, &sp, 0x1111, 0x2222);
	assert_int_equal(x[29], 0x1111);
	assert_int_equal(x[30], 0x2222);
	assert_int_equal(sp, 0x40001010);
	regs_unchanged_except(x, 29, 30, -1);
	complete("ldp w17, w18, [x19, #-8]!", x, &sp, 0xffffffff80000000ull, 0x1ffffffffull);
	assert_int_equal(x[17], 0x80000000);
	assert_int_equal(x[18], 0xffffffff);
	assert_int_equal(x[19], 0x1122334455667700ull + 19 * 0x0101010101010101ull - 8);
	regs_unchanged_except(x, 17, 18, 19);
	complete("ldpsw x3, x4, [x5, #-256]", x, &sp, 0x80000000, 0x7fffffff);
	assert_int_equal(x[3], 0xffffffff80000000ull);
	assert_int_equal(x[4], 0x7fffffff);
	regs_unchanged_except(x, 3, 4, -1);
	complete("ldp xzr, x23, [x24]", x, &sp, 1, 2);
	assert_int_equal(x[23], 2);
	regs_unchanged_except(x, 23, -1, -1);
	complete("ldp x25, xzr, [x26, #8]!", x, &sp, 1, 2);
	assert_int_equal(x[25], 1);
	assert_int_equal(x[26], 0x1122334455667700ull + 26 * 0x0101010101010101ull + 8);
	regs_unchanged_except(x, 25, 26, -1);
	complete("stp x12, x12, [x13], #-512", x, &sp, 1, 2);
	assert_int_equal(x[13], 0x1122334455667700ull + 13 * 0x0101010101010101ull - 512);
	regs_unchanged_except(x, 13, -1, -1);
	complete("stp x29, x30, [sp, #-16]!", x, &sp, 1, 2);
	assert_int_equal(sp, 0x40000ff0);
	regs_unchanged_except(x, -1, -1, -1);
	complete("ldnp x0, x1, [x2, #16]", x, &sp, 1, 2);
	assert_int_equal(x[0], 1);
	assert_int_equal(x[1], 2);
	regs_unchanged_except(x, 0, 1, -1);
}

/* ESR_EL2 for a data abort from a lower EL: EC 0x24, IL, ISV, then the given ISS fields. */
static uint64_t esr_dabt(unsigned int sas, bool sse, unsigned int srt, bool sf, bool ar, bool wnr)
{
	return (0x24ull << 26) | (1ull << 25) | (1ull << 24) | ((uint64_t)sas << 22) |
	       ((uint64_t)sse << 21) | ((uint64_t)srt << 16) | ((uint64_t)sf << 15) |
	       ((uint64_t)ar << 14) | ((uint64_t)wnr << 6) | 0x10 /* DFSC */;
}

static void expect_esr_reject(uint64_t esr)
{
	struct mmio_access a, before;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	if (!mmio_decode_esr(esr, &a))
		fail_msg("ESR %#llx accepted", (unsigned long long)esr);
	assert_memory_equal(&a, &before, sizeof(a));
}

static void test_esr_all_combinations(void **state)
{
	unsigned int accepted = 0;

	for (unsigned int v = 0; v < 4 * 2 * 32 * 2 * 2 * 2; v++) {
		unsigned int sas = v & 3, srt = (v >> 2) & 31;
		bool sse = v & 128, sf = v & 256, ar = v & 512, wnr = v & 1024;
		uint64_t esr = esr_dabt(sas, sse, srt, sf, ar, wnr);
		struct mmio_access a;

		/* Unrelated ISS bits and ISS2 must not matter: FnV, EA, VNCR, SET, DFSC. */
		esr |= (uint64_t)(rnd32() & 0x3f) | ((uint64_t)(rnd32() & 1) << 10) |
		       ((uint64_t)(rnd32() & 1) << 9) | ((uint64_t)(rnd32() & 1) << 13) |
		       ((uint64_t)(rnd32() & 3) << 11) | ((uint64_t)(rnd32() & 0xffffff) << 32);
		if (sas == 3 && !sf) {
			/* 8 bytes into a W register: no instruction does that. */
			expect_esr_reject(esr);
			continue;
		}
		memset(&a, 0xa5, sizeof(a));
		assert_int_equal(mmio_decode_esr(esr, &a), 0);
		accepted++;
		assert_true(a.from_iss);
		assert_int_equal(a.size, 1u << sas);
		assert_int_equal(a.write, wnr);
		assert_int_equal(a.sign_extend, sse && !wnr && (sf ? sas < 3 : sas < 2));
		assert_int_equal(a.rt, srt);
		assert_int_equal(a.sf, sf);
		assert_int_equal(a.acq_rel, ar);
		assert_false(a.pair);
		assert_false(a.writeback);
		assert_false(a.post_index);
		assert_false(a.reg_offset);
		assert_int_equal(a.offset, 0);
		/* ISV = 0, and the same syndrome with another class. */
		expect_esr_reject(esr & ~(1ull << 24));
		expect_esr_reject((esr & ~(0x3full << 26)) | (0x25ull << 26));
		expect_esr_reject((esr & ~(0x3full << 26)) | (0x20ull << 26));
		expect_esr_reject((esr & ~(0x3full << 26)) | (0x04ull << 26));
		/* Cache maintenance and stage 1 table walks are not data accesses. */
		expect_esr_reject(esr | (1ull << 8));
		expect_esr_reject(esr | (1ull << 7));
	}
	assert_int_equal(accepted, 4 * 2 * 32 * 2 * 2 * 2 - 2 * 32 * 2 * 2);
	expect_esr_reject(0);
	expect_esr_reject(0x24ull << 26);
}

static void test_esr_semantics(void **state)
{
	uint64_t x[31], sp = 0x8000;
	struct mmio_access a;

	fill_regs(x);
	/* LDRSH W5 from the syndrome: sign-extended to 32 bits, then zero-extended. */
	assert_int_equal(mmio_decode_esr(esr_dabt(1, true, 5, false, false, false), &a), 0);
	mmio_complete(&a, x, &sp, 0x8000, 0);
	assert_int_equal(x[5], 0xffff8000);
	/* LDRSB X7. */
	assert_int_equal(mmio_decode_esr(esr_dabt(0, true, 7, true, false, false), &a), 0);
	mmio_complete(&a, x, &sp, 0x80, 0);
	assert_int_equal(x[7], 0xffffffffffffff80ull);
	/* LDRSW X8. */
	assert_int_equal(mmio_decode_esr(esr_dabt(2, true, 8, true, false, false), &a), 0);
	mmio_complete(&a, x, &sp, 0xfffffffe, 0);
	assert_int_equal(x[8], 0xfffffffffffffffeull);
	/* LDR XZR: discarded; SP is never a transfer register. */
	fill_regs(x);
	assert_int_equal(mmio_decode_esr(esr_dabt(3, false, 31, true, false, false), &a), 0);
	mmio_complete(&a, x, &sp, 0x1234, 0);
	regs_unchanged_except(x, -1, -1, -1);
	assert_int_equal(sp, 0x8000);
	/* STRH W9 and STR XZR. */
	assert_int_equal(mmio_decode_esr(esr_dabt(1, false, 9, false, false, true), &a), 0);
	assert_int_equal(mmio_store_value(&a, x, 0), x[9] & 0xffff);
	assert_int_equal(mmio_decode_esr(esr_dabt(3, false, 31, true, true, true), &a), 0);
	assert_int_equal(mmio_store_value(&a, x, 0), 0);
	assert_true(a.acq_rel);
}

/*
 * What hardware reports in the syndrome for an instruction that can have ISV = 1 (single
 * register, no writeback) decodes to the same access as the instruction itself.
 */
static void test_esr_matches_insn(void **state)
{
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(accept_cases); i++) {
		const struct insn_case *c = &accept_cases[i];
		struct mmio_access ai, ae;
		unsigned int sas = c->size == 1 ? 0 : c->size == 2 ? 1 : c->size == 4 ? 2 : 3;

		if (HAS(c, C_PAIR) || HAS(c, C_WB))
			continue;
		assert_int_equal(mmio_decode_insn(c->insn, &ai), 0);
		assert_int_equal(mmio_decode_esr(esr_dabt(sas, HAS(c, C_SIGN), c->rt, HAS(c, C_SF),
							  HAS(c, C_ACQ), HAS(c, C_WRITE)), &ae), 0);
		assert_int_equal(ae.write, ai.write);
		assert_int_equal(ae.size, ai.size);
		assert_int_equal(ae.sign_extend, ai.sign_extend);
		assert_int_equal(ae.sf, ai.sf);
		assert_int_equal(ae.acq_rel, ai.acq_rel);
		assert_int_equal(ae.rt, ai.rt);
		for (unsigned int k = 0; k < 8; k++) {
			uint64_t raw = rnd64();

			assert_int_equal(mmio_load_value(&ae, raw), mmio_load_value(&ai, raw));
		}
		n++;
	}
	assert_true(n >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_table),
		cmocka_unit_test(test_reject_table),
		cmocka_unit_test(test_writeback_clash),
		cmocka_unit_test(test_reject_unallocated),
		cmocka_unit_test(test_reject_outside_group),
		cmocka_unit_test(test_random_invariants),
		cmocka_unit_test(test_reg_offset),
		cmocka_unit_test(test_load_value),
		cmocka_unit_test(test_store_value),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_esr_all_combinations),
		cmocka_unit_test(test_esr_semantics),
		cmocka_unit_test(test_esr_matches_insn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
