/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory layout constants shared by assembly and C.
 *
 * Each CPU owns a 32 KiB, 32 KiB-aligned area:
 *   [0, 4K)    emergency stack, used when the normal stack has overflowed
 *   [4K, 16K)  guard, left unmapped so an overflow faults
 *   [16K, 32K) the CPU's stack (grows down from the top)
 * A valid stack pointer therefore has bit PERCPU_STACK_BIT set; exception entry tests it
 * and switches to the emergency stack when it is clear (see vectors.S).
 */
#ifndef FTVISOR_ARCH_LAYOUT_H
#define FTVISOR_ARCH_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

#define PERCPU_AREA_SHIFT 15
#define PERCPU_AREA_SIZE (1 << PERCPU_AREA_SHIFT)
#define PERCPU_STACK_BIT 14
#define PERCPU_EMERGENCY_TOP PAGE_SIZE
#define PERCPU_GUARD_START PAGE_SIZE
#define PERCPU_GUARD_END (1 << PERCPU_STACK_BIT)

/* struct exception_frame: x0..x30, sp, elr, spsr, esr, far (8 bytes each, 16-aligned) */
#define FRAME_X(n) ((n) * 8)
#define FRAME_SP (31 * 8)
#define FRAME_ELR (32 * 8)
#define FRAME_SPSR (33 * 8)
#define FRAME_ESR (34 * 8)
#define FRAME_FAR (35 * 8)
#define FRAME_SIZE (36 * 8)

/* struct pcpu: the fields exception entry and guest entry/exit use */
#define PCPU_EMERGENCY_SP 0
#define PCPU_GUEST_REGS 8	/* struct vcpu_regs * of the vCPU running here */
#define PCPU_HOST_SP 16		/* hypervisor stack pointer while a guest runs */

/* struct vcpu_regs: x0..x30, pc, pstate */
#define REGS_X(n) ((n) * 8)
#define REGS_PC (31 * 8)
#define REGS_PSTATE (32 * 8)
#define REGS_SIZE (33 * 8)

/* Why guest_enter() returned */
#define EXIT_SYNC 0
#define EXIT_IRQ 1
#define EXIT_FIQ 2
#define EXIT_SERROR 3

/* struct secondary_boot (smp.c), read by secondary CPUs with the MMU off */
#define SB_MAIR 0
#define SB_TCR 8
#define SB_TTBR0 16
#define SB_SCTLR 24
#define SB_PERCPU_BASE 32
#define SB_PCPU_ARRAY 40
#define SB_PCPU_SIZE 48

#define R_AARCH64_RELATIVE 1027

#endif
