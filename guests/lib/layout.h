/* SPDX-License-Identifier: Apache-2.0 */
/* Constants shared by the guest library's assembly and C. */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define MAX_VCPUS 8			/* stacks and per-vCPU state, indexed by MPIDR.Aff0 */
#define STACK_SHIFT 14
#define STACK_SIZE (1 << STACK_SHIFT)	/* 16 KiB per vCPU */

/* SCTLR_EL1: the ARMv8.0 RES1 bits; MMU, caches and alignment checks off. */
#define SCTLR_EL1_BASE 0x30d00800
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

#define R_AARCH64_RELATIVE 1027

/* struct exception_frame (exception.h) */
#define FRAME_ELR 248
#define FRAME_SPSR 256
#define FRAME_ESR 264
#define FRAME_FAR 272
#define FRAME_SP 280
#define FRAME_SIZE 288

#endif
