/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data abort decoding for MMIO emulation. Encodings: Arm ARM C4.1.4 "Loads and Stores"
 * (the encoding index) and the C6.2 instruction pages; syndrome: D19 ESR_EL2, "ISS encoding
 * for an exception from a Data Abort".
 */
#include "arch/arm64/mmio_decode.h"

/* ESR_EL2 fields. */
#define ESR_EC_DABT_LOW 0x24
#define ISS_ISV BIT(24)
#define ISS_SSE BIT(21)
#define ISS_SF BIT(15)
#define ISS_AR BIT(14)
#define ISS_CM BIT(8)
#define ISS_S1PTW BIT(7)
#define ISS_WNR BIT(6)

static int64_t sext(uint64_t v, unsigned int bits)
{
	uint64_t m = BIT(bits - 1);

	v &= (m << 1) - 1;
	return (int64_t)((v ^ m) - m);
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? UINT64_MAX : BIT(size * 8) - 1;
}

int mmio_decode_esr(uint64_t esr, struct mmio_access *a)
{
	struct mmio_access d = { 0 };

	if (BITS(esr, 31, 26) != ESR_EC_DABT_LOW || !(esr & ISS_ISV))
		return -1;
	/* DC/IC by VA report WnR=1 but transfer no data; a table walk is not the access. */
	if (esr & (ISS_CM | ISS_S1PTW))
		return -1;
	d.size = (uint8_t)(1u << BITS(esr, 23, 22));
	d.write = esr & ISS_WNR;
	d.rt = (uint8_t)BITS(esr, 20, 16);
	d.sf = esr & ISS_SF;
	/* SSE is for loads; keep it only where it changes the value (narrower than rt). */
	d.sign_extend = !d.write && (esr & ISS_SSE) && d.size < (d.sf ? 8 : 4);
	d.acq_rel = esr & ISS_AR;
	d.from_iss = true;
	if (d.size == 8 && !d.sf)
		return -1;
	*a = d;
	return 0;
}

/*
 * size (bits 31:30) and opc (23:22) of the single-register classes (C4.1.4): opc 00 store,
 * 01 zero-extending load, 10 sign-extending load to X (LDRSB/LDRSH/LDRSW; PRFM or
 * unallocated for size 11), 11 sign-extending load to W (bytes and halfwords only).
 */
static int single_opc(uint32_t insn, struct mmio_access *d)
{
	unsigned int size = BITS(insn, 31, 30), opc = BITS(insn, 23, 22);

	d->size = (uint8_t)(1u << size);
	switch (opc) {
	case 0:
		d->write = true;
		d->sf = size == 3;
		break;
	case 1:
		d->sf = size == 3;
		break;
	case 2:
		if (size == 3)
			return -1;
		d->sign_extend = true;
		d->sf = true;
		break;
	default:
		if (size >= 2)
			return -1;
		d->sign_extend = true;
		break;
	}
	return 0;
}

/* Common fields of the classes with Rt in 4:0 and Rn in 9:5. */
static void rt_rn(uint32_t insn, struct mmio_access *d)
{
	d->rt = (uint8_t)BITS(insn, 4, 0);
	d->rn = (uint8_t)BITS(insn, 9, 5);
}

/* A writeback form whose base is also a transfer register is CONSTRAINED UNPREDICTABLE. */
static bool wb_clash(const struct mmio_access *d)
{
	if (!d->writeback || d->rn == MMIO_REG_SP)
		return false;
	return d->rt == d->rn || (d->pair && d->rt2 == d->rn);
}

/*
 * Load/store register, bits 29:27 = 111, 25:24 = 0x (C4.1.4): unsigned immediate (24 = 1);
 * otherwise by bit 21 and 11:10: unscaled (LDUR), post-index, unprivileged (LDTR),
 * pre-index, or register offset / atomics / LDRAA / LDAPR.
 */
static int decode_single(uint32_t insn, struct mmio_access *d)
{
	unsigned int size = BITS(insn, 31, 30);

	if (insn & BIT(26)) /* V: SIMD&FP register */
		return -1;
	rt_rn(insn, d);
	if (insn & BIT(24)) {
		/* Unsigned offset: imm12 (21:10) scaled by the access size. */
		d->offset = (int64_t)(BITS(insn, 21, 10) << size);
		return single_opc(insn, d);
	}
	if (!(insn & BIT(21))) {
		/* imm9 (20:12) forms, by bits 11:10. */
		d->offset = sext(BITS(insn, 20, 12), 9);
		switch (BITS(insn, 11, 10)) {
		case 1:
			d->post_index = true;
			d->writeback = true;
			break;
		case 3:
			d->writeback = true;
			break;
		default: /* 00 unscaled, 10 unprivileged: plain accesses */
			break;
		}
		return single_opc(insn, d);
	}
	if (BITS(insn, 11, 10) == 2) {
		/* Register offset: option (15:13) must be x1x; S (12) scales by the size. */
		unsigned int option = BITS(insn, 15, 13);

		if (!(option & 2))
			return -1;
		d->reg_offset = true;
		d->rm = (uint8_t)BITS(insn, 20, 16);
		d->extend = (uint8_t)option;
		d->shift = (uint8_t)((insn & BIT(12)) ? size : 0);
		return single_opc(insn, d);
	}
	/* LDAPR{B,H} (FEAT_LRCPC): Rs = 11111, o3:opc = 1100 in the atomic memory space. */
	if ((insn & 0x3ffffc00) == 0x38bfc000) {
		d->size = (uint8_t)(1u << size);
		d->sf = size == 3;
		d->acq_rel = true;
		return 0;
	}
	return -1; /* atomics, LDRAA/LDRAB */
}

/*
 * Load/store pair, bits 29:27 = 101, 25 = 0 (C4.1.4): opc (31:30), V (26), index (24:23:
 * 00 non-temporal, 01 post, 10 signed offset, 11 pre), L (22), imm7 (21:15), Rt2 (14:10).
 */
static int decode_pair(uint32_t insn, struct mmio_access *d)
{
	unsigned int opc = BITS(insn, 31, 30), idx = BITS(insn, 24, 23);
	bool load = insn & BIT(22);

	if (insn & BIT(26))
		return -1;
	switch (opc) {
	case 0:
		d->size = 4;
		break;
	case 1:
		/* LDPSW; STGP (L = 0) and the non-temporal LDPSW slot are not plain pairs. */
		if (!load || idx == 0)
			return -1;
		d->size = 4;
		d->sign_extend = true;
		d->sf = true;
		break;
	case 2:
		d->size = 8;
		d->sf = true;
		break;
	default:
		return -1;
	}
	rt_rn(insn, d);
	d->write = !load;
	d->pair = true;
	d->rt2 = (uint8_t)BITS(insn, 14, 10);
	d->offset = sext(BITS(insn, 21, 15), 7) * d->size;
	d->writeback = idx & 1;
	d->post_index = idx == 1;
	/* A load pair into one register is CONSTRAINED UNPREDICTABLE (C6.2 LDP). */
	if (load && d->rt == d->rt2)
		return -1;
	return 0;
}

/*
 * Load/store ordered, bits 29:23 = 0010001, o1 (21) = 0 (C4.1.4): LDAR/STLR (o0 = 1) and
 * LDLAR/STLLR (o0 = 0, FEAT_LOR), L = bit 22. Rs and Rt2 are should-be-one fields.
 */
static int decode_ordered(uint32_t insn, struct mmio_access *d)
{
	unsigned int size = BITS(insn, 31, 30);

	if ((insn & BIT(21)) || BITS(insn, 20, 16) != 31 || BITS(insn, 14, 10) != 31)
		return -1;
	rt_rn(insn, d);
	d->size = (uint8_t)(1u << size);
	d->write = !(insn & BIT(22));
	d->sf = size == 3;
	d->acq_rel = true;
	return 0;
}

/*
 * LDAPUR/STLUR (FEAT_LRCPC2), bits 29:24 = 011001, 21 = 0, 11:10 = 00: size/opc as the
 * other single-register classes, imm9 (20:12) unscaled, no writeback.
 */
static int decode_rcpc_unscaled(uint32_t insn, struct mmio_access *d)
{
	rt_rn(insn, d);
	d->offset = sext(BITS(insn, 20, 12), 9);
	d->acq_rel = true;
	return single_opc(insn, d);
}

int mmio_decode_insn(uint32_t insn, struct mmio_access *a)
{
	struct mmio_access d = { 0 };
	int r;

	if ((insn & 0x3a000000) == 0x38000000)
		r = decode_single(insn, &d);
	else if ((insn & 0x3a000000) == 0x28000000)
		r = decode_pair(insn, &d);
	else if ((insn & 0x3f800000) == 0x08800000)
		r = decode_ordered(insn, &d);
	else if ((insn & 0x3f200c00) == 0x19000000)
		r = decode_rcpc_unscaled(insn, &d);
	else
		r = -1; /* literal loads, exclusives, SIMD structures, tags, non-memory */
	if (r || wb_clash(&d))
		return -1;
	*a = d;
	return 0;
}

int64_t mmio_reg_offset(const struct mmio_access *a, uint64_t rm_value)
{
	uint64_t v;

	switch (a->extend) {
	case MMIO_EXT_UXTW:
		v = rm_value & 0xffffffffu;
		break;
	case MMIO_EXT_SXTW:
		v = (uint64_t)sext(rm_value, 32);
		break;
	default: /* LSL/UXTX, SXTX: all 64 bits */
		v = rm_value;
		break;
	}
	return (int64_t)(v << (a->shift & 63));
}

uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw)
{
	uint64_t v = raw & size_mask(a->size);

	if (a->sign_extend && a->size < 8)
		v = (uint64_t)sext(v, a->size * 8u);
	if (!a->sf)
		v &= 0xffffffffu;
	return v;
}

uint64_t mmio_store_value(const struct mmio_access *a, const uint64_t x[31], unsigned int which)
{
	unsigned int r = which ? a->rt2 : a->rt;

	if (r >= MMIO_REG_ZR)
		return 0;
	return x[r] & size_mask(a->size);
}

void mmio_complete(const struct mmio_access *a, uint64_t x[31], uint64_t *sp, uint64_t value,
		   uint64_t value2)
{
	uint64_t *base;

	if (!a->write) {
		if (a->rt < MMIO_REG_ZR)
			x[a->rt] = mmio_load_value(a, value);
		if (a->pair && a->rt2 < MMIO_REG_ZR)
			x[a->rt2] = mmio_load_value(a, value2);
	}
	if (a->writeback) {
		base = a->rn >= MMIO_REG_SP ? sp : &x[a->rn];
		*base += (uint64_t)a->offset;
	}
}
