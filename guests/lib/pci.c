/* SPDX-License-Identifier: Apache-2.0 */
#include "pci.h"
#include "dtb.h"
#include "sysreg.h"

uint64_t pci_ecam_base(uint64_t fallback)
{
	uint64_t base;

	return dtb_compatible_base("pci-host-ecam-generic", &base) ? base : fallback;
}

void pci_command(const struct pci_fn *f, uint16_t set, uint16_t clear)
{
	uint32_t cmd = pci_cfg_read(f, PCI_COMMAND) & 0xffff;

	pci_cfg_write(f, PCI_COMMAND, (cmd & ~(uint32_t) clear) | set);
	dsb(sy);
}

void pci_bar_probe(const struct pci_fn *f, unsigned int n, struct pci_bar *bar)
{
	unsigned int off = PCI_BAR0 + 4 * n;
	uint32_t lo = pci_cfg_read(f, off), hi = 0, szlo, szhi = 0xffffffff;
	uint64_t mask;

	bar->io = lo & PCI_BAR_IO;
	bar->is64 = !bar->io && (lo & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64 && n < 5;
	bar->prefetch = !bar->io && (lo & PCI_BAR_PREFETCH);

	pci_cfg_write(f, off, 0xffffffff);
	szlo = pci_cfg_read(f, off);
	pci_cfg_write(f, off, lo);
	if (bar->is64) {
		hi = pci_cfg_read(f, off + 4);
		pci_cfg_write(f, off + 4, 0xffffffff);
		szhi = pci_cfg_read(f, off + 4);
		pci_cfg_write(f, off + 4, hi);
	}
	dsb(sy);

	if (bar->io) {
		bar->addr = lo & ~3u;
		mask = (szlo & ~3u) | 0xffff0000u; /* 16-bit decoders leave 31:16 zero */
		bar->size = (szlo & ~3u) ? (uint32_t) (~mask + 1) : 0;
		return;
	}
	bar->addr = ((uint64_t) hi << 32 | lo) & PCI_BAR_MEM_MASK;
	mask = ((uint64_t) szhi << 32 | szlo) & PCI_BAR_MEM_MASK;
	if (!bar->is64)
		mask = (szlo & PCI_BAR_MEM_MASK) ? mask | 0xffffffff00000000ULL : 0;
	bar->size = mask ? ~mask + 1 : 0; /* nothing writable: no BAR */
}
