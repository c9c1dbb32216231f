/* SPDX-License-Identifier: Apache-2.0 */
/* The GICv3 virtual CPU interface control registers, ICH_*_EL2 (IHI 0069, 12.4). */
#ifndef FTVISOR_ARCH_GIC_VIF_H
#define FTVISOR_ARCH_GIC_VIF_H

#include "lib/compiler.h"

/* List register fields */
#define ICH_LR_STATE_PENDING (1ULL << 62)
#define ICH_LR_STATE_ACTIVE (1ULL << 63)
#define ICH_LR_HW (1ULL << 61)
#define ICH_LR_GROUP1 (1ULL << 60)
#define ICH_LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define ICH_LR_PINTID(i) ((uint64_t)(i) << 32)
#define ICH_LR_EOI (1ULL << 41) /* software interrupts: maintenance interrupt on EOI */

#define ICH_HCR_EN (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1) /* maintenance interrupt when (almost) no LR is valid */

uint32_t ich_nr_lrs(void);
uint64_t ich_lr_read(uint32_t n);
void ich_lr_write(uint32_t n, uint64_t v);
void ich_hcr_write(uint64_t v);
uint64_t ich_vmcr_read(void);
void ich_vmcr_write(uint64_t v);
uint64_t ich_ap1r0_read(void);
void ich_ap1r0_write(uint64_t v);
/* The guest's own ICC_SRE_EL1: system-register interface on, as the virtual GIC needs. */
void ich_guest_sre_init(void);

#endif
