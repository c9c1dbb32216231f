/* SPDX-License-Identifier: Apache-2.0 */
/* AArch64 system-register access and the register fields ftvisor uses at EL2. */
#ifndef FTVISOR_ARCH_SYSREG_H
#define FTVISOR_ARCH_SYSREG_H

#include "lib/compiler.h"

#define read_sysreg(r)                                          \
	({                                                      \
		uint64_t __v;                                   \
		asm volatile("mrs %0, " #r : "=r"(__v));        \
		__v;                                            \
	})
#define write_sysreg(r, v)                                              \
	do {                                                            \
		uint64_t __v = (uint64_t)(v);                           \
		asm volatile("msr " #r ", %x0" ::"rZ"(__v));            \
	} while (0)
/* GICv3 CPU-interface registers by encoding, so old assemblers need no names. */
#define read_sysreg_s(enc)                                      \
	({                                                      \
		uint64_t __v;                                   \
		asm volatile("mrs %0, " enc : "=r"(__v));       \
		__v;                                            \
	})
#define write_sysreg_s(enc, v)                                          \
	do {                                                            \
		uint64_t __v = (uint64_t)(v);                           \
		asm volatile("msr " enc ", %x0" ::"rZ"(__v));           \
	} while (0)

#define isb() asm volatile("isb" ::: "memory")
#define dsb(opt) asm volatile("dsb " #opt ::: "memory")
#define dmb(opt) asm volatile("dmb " #opt ::: "memory")
#define wfi() asm volatile("wfi" ::: "memory")
#define wfe() asm volatile("wfe" ::: "memory")
#define sev() asm volatile("sev" ::: "memory")

static inline void local_irq_enable(void) { asm volatile("msr daifclr, #2" ::: "memory"); }
static inline void local_irq_disable(void) { asm volatile("msr daifset, #2" ::: "memory"); }
static inline uint64_t local_irq_save(void)
{
	uint64_t flags = read_sysreg(daif);

	local_irq_disable();
	return flags;
}
static inline void local_irq_restore(uint64_t flags) { write_sysreg(daif, flags); }

/* CurrentEL[3:2] */
#define CURRENT_EL() (BITS(read_sysreg(CurrentEL), 3, 2))

/* MIDR_EL1 */
#define MIDR_IMPLEMENTER(m) BITS(m, 31, 24)
#define MIDR_VARIANT(m) BITS(m, 23, 20)
#define MIDR_PARTNUM(m) BITS(m, 15, 4)
#define MIDR_REVISION(m) BITS(m, 3, 0)

/* HCR_EL2 (Arm ARM D19.2.48) */
#define HCR_VM BIT(0)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_RW BIT(31)
/* No guest loaded: physical interrupts and SErrors to EL2, lower ELs AArch64. */
/* MDCR_EL2 (Arm ARM D13.2.77) */
#define MDCR_EL2_TPMCR BIT(5)
#define MDCR_EL2_TPM BIT(6)

#define HCR_HOST (HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO)

/* SCTLR_EL2 without VHE: bits 4,5,11,16,18,22,23,28,29 are RES1 */
#define SCTLR_EL2_RES1 0x30c50830ULL
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* ID_AA64MMFR0_EL1.PARange encodings -> PA bits */
static inline unsigned int parange_to_bits(unsigned int pa)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return pa < ARRAY_SIZE(bits) ? bits[pa] : 48;
}

/* ESR_ELx */
#define ESR_EC(esr) BITS(esr, 31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) BITS(esr, 24, 0)

/* GICv3 CPU interface, by op0_op1_CRn_CRm_op2 (GIC spec 12.1) */
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_DIR_EL1 "S3_0_C12_C11_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2 "S3_4_C12_C9_5"
#define ICH_VTR_EL2 "S3_4_C12_C11_1"

/* EL2 physical timer */
#define CNTHP_CTL_EL2 "S3_4_C14_C2_1"
#define CNTHP_CVAL_EL2 "S3_4_C14_C2_2"

static inline uint64_t read_cntpct(void)
{
	isb(); /* the counter read must not be hoisted above earlier instructions */
	return read_sysreg(cntpct_el0);
}

#endif
