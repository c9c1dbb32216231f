/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding of guest data aborts for MMIO emulation: from the ESR_EL2 instruction syndrome
 * when it is valid (ISV=1), otherwise from the A64 load/store instruction itself. Pure logic:
 * the caller fetches the instruction, performs the device access and advances the PC.
 *
 * Typical use:
 *	if (mmio_decode_esr(esr, &a) && (fetch(elr, &insn) || mmio_decode_insn(insn, &a)))
 *		-> not emulatable (inject an abort);
 *	if (a.reg_offset)
 *		a.offset = mmio_reg_offset(&a, a.rm == 31 ? 0 : x[a.rm]);
 *	address of the first register = FAR-derived IPA (the faulting element; for a pair the
 *	second element is at + size, and a fault on it reports that address instead);
 *	writes: mmio_store_value(&a, x, 0) (and 1 for a pair);
 *	mmio_complete(&a, x, &sp, raw, raw2);  pc += 4;
 */
#ifndef FTVISOR_ARCH_MMIO_DECODE_H
#define FTVISOR_ARCH_MMIO_DECODE_H

#include "lib/compiler.h"

/* Register number 31 in Rt/Rt2/Rm is XZR/WZR; in Rn (the base) it is SP. */
#define MMIO_REG_ZR 31
#define MMIO_REG_SP 31

/* Register-offset extend option, instruction bits 15:13 (Arm ARM C6.2, "option"). */
#define MMIO_EXT_UXTW 2
#define MMIO_EXT_LSL 3 /* = UXTX */
#define MMIO_EXT_SXTW 6
#define MMIO_EXT_SXTX 7

struct mmio_access {
	bool write;
	uint8_t size;        /* bytes per register: 1, 2, 4, 8 */
	bool sign_extend;    /* loads: sign-extend to 32 (sf=0) or 64 (sf=1) bits */
	bool sf;             /* the register is a 64-bit X register (ESR "SF") */
	bool acq_rel;        /* acquire/release semantics (ESR "AR"; LDAR, STLR, LDAPR...) */
	uint8_t rt;          /* 0..30, 31 = XZR/WZR */
	bool pair;           /* LDP/STP/LDNP/STNP/LDPSW: second register rt2 at address + size */
	uint8_t rt2;
	bool writeback;      /* base register rn is updated by offset */
	bool post_index;     /* access at rn (post) vs rn + offset (pre-index / offset) */
	uint8_t rn;          /* base register; 31 = SP */
	int64_t offset;      /* immediate offset, or mmio_reg_offset() for register-offset forms */
	bool reg_offset;     /* offset is register rm (31 = XZR), extended and shifted */
	uint8_t rm;
	uint8_t extend;      /* MMIO_EXT_*: how rm is extended */
	uint8_t shift;       /* then shifted left by this (0 or log2(size)) */
	bool from_iss;       /* decoded from the syndrome (ISV=1) rather than the instruction */
};

/*
 * ESR_EL2 of a data abort from a lower EL (EC 0x24) with a valid instruction syndrome
 * (ISV=1): SAS, SSE, SRT, SF, AR, WnR. Only rt/size/write/sign_extend/sf/acq_rel are
 * meaningful (ISV=1 is never reported for pairs or writeback forms); sign_extend is kept
 * only for loads narrower than the register, where it changes the value. Returns 0, or -1 when
 * it is not such an abort, ISV=0, the abort is on a cache maintenance instruction (CM) or on
 * a stage 1 table walk (S1PTW), or the syndrome is inconsistent (8 bytes into a W register).
 */
int mmio_decode_esr(uint64_t esr, struct mmio_access *a);

/*
 * One A64 instruction: the general-purpose-register loads and stores (all addressing forms
 * of LDR/STR{B,H}, LDRS{B,H,W}, LDUR/STUR*, LDTR/STTR*, LDP/STP/LDNP/STNP/LDPSW,
 * LDAR/STLR/LDLAR/STLLR, LDAPR, LDAPUR/STLUR*). Returns 0, or -1 for anything else:
 * SIMD&FP, exclusives, atomics, literal loads, prefetches, pointer-authenticated loads, tag
 * stores, unallocated and CONSTRAINED UNPREDICTABLE encodings (writeback with the base equal
 * to a transfer register, a load pair into one register). *a is written only on success.
 */
int mmio_decode_insn(uint32_t insn, struct mmio_access *a);

/* The offset of a register-offset form, given the value of rm (0 for rm == 31). */
int64_t mmio_reg_offset(const struct mmio_access *a, uint64_t rm_value);

/*
 * The value register rt receives from a load of `raw` (its low size bytes): sign- or
 * zero-extended; a W destination (sf=0) is zero-extended to 64 bits.
 */
uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw);

/* The data a store writes from rt (which = 0) or rt2 (which != 0): truncated; XZR is 0. */
uint64_t mmio_store_value(const struct mmio_access *a, const uint64_t x[31], unsigned int which);

/*
 * Finish the instruction in a register file x[0..30] plus *sp: for a load, rt (and rt2 of a
 * pair) get mmio_load_value() of the raw data read (value, value2), discarded for XZR; then
 * the base (x[rn], or *sp for rn == 31) is advanced by offset if the form writes back.
 */
void mmio_complete(const struct mmio_access *a, uint64_t x[31], uint64_t *sp, uint64_t value,
		   uint64_t value2);

#endif
