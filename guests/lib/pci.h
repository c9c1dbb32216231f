/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI configuration space through an ECAM window (PCI Express base spec, "Enhanced
 * Configuration Access Mechanism"): function (bus, dev, fn)'s 4 KiB at
 * base + (bus << 20 | dev << 15 | fn << 12). 32-bit accesses only (single LDR/STR, which
 * every emulation can decode). Only what the IVC endpoints need: header type 0 devices.
 */
#ifndef GUEST_PCI_H
#define GUEST_PCI_H

#include "lib/compiler.h"

/* Type 0 configuration header */
#define PCI_VENDOR_ID	   0x00 /* vendor 15:0, device 31:16 */
#define PCI_COMMAND	   0x04 /* command 15:0, status 31:16 (RW1C) */
#define PCI_CLASS_REVISION 0x08 /* revision 7:0, class code 31:8 */
#define PCI_HEADER	   0x0c /* header type 23:16 */
#define PCI_BAR0	   0x10 /* BARn at 0x10 + 4 * n */
#define PCI_SUBSYSTEM	   0x2c /* subsystem vendor 15:0, subsystem 31:16 */
#define PCI_INTERRUPT	   0x3c /* line 7:0, pin 15:8 */

#define PCI_COMMAND_MEMORY	 BIT(1)
#define PCI_COMMAND_MASTER	 BIT(2)
#define PCI_COMMAND_INTX_DISABLE BIT(10)

#define PCI_BAR_IO	  BIT(0)
#define PCI_BAR_TYPE_64	  (2u << 1) /* bits 2:1 = 0b10 */
#define PCI_BAR_TYPE_MASK (3u << 1)
#define PCI_BAR_PREFETCH  BIT(3)
#define PCI_BAR_MEM_MASK  (~0xfULL)

#define PCI_VENDOR_NONE 0xffff /* nothing answers at this function */

/* The generic host bridge's ECAM base: the first available "pci-host-ecam-generic" node of
 * the device tree, else fallback. */
uint64_t pci_ecam_base(uint64_t fallback);

static inline uint64_t pci_cfg_addr(uint64_t ecam, unsigned int bus, unsigned int dev,
				    unsigned int fn, unsigned int off)
{
	return ecam +
	       ((uint64_t) (bus & 0xff) << 20 | (dev & 31) << 15 | (fn & 7) << 12 | (off & 0xffc));
}

static inline uint32_t pci_read32(uint64_t addr)
{
	uint32_t v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void pci_write32(uint64_t addr, uint32_t v)
{
	asm volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

/* One function on bus 0 (the only bus the IVC host bridge has). */
struct pci_fn {
	uint64_t ecam;
	unsigned int dev, fn;
};

static inline uint32_t pci_cfg_read(const struct pci_fn *f, unsigned int off)
{
	return pci_read32(pci_cfg_addr(f->ecam, 0, f->dev, f->fn, off));
}

static inline void pci_cfg_write(const struct pci_fn *f, unsigned int off, uint32_t v)
{
	pci_write32(pci_cfg_addr(f->ecam, 0, f->dev, f->fn, off), v);
}

/* Sets (set) and clears (clear) command bits; the status half is written as 0 (RW1C). */
void pci_command(const struct pci_fn *f, uint16_t set, uint16_t clear);

struct pci_bar {
	uint64_t addr; /* as programmed (type bits masked off) */
	uint64_t size; /* 0: no BAR at this index */
	bool is64, prefetch, io;
};

/*
 * Reads BAR n (0..5; a 64-bit BAR takes n and n + 1) and sizes it the usual way: all ones
 * written, read back, the old value restored. Call with memory decoding off (pci_command).
 */
void pci_bar_probe(const struct pci_fn *f, unsigned int n, struct pci_bar *bar);

#endif
