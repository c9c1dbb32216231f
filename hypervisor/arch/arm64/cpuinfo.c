/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/cpuinfo.h"
#include "arch/arm64/sysreg.h"
#include "platform/platform.h"

void cpu_features_read(struct cpu_features *f)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	f->midr = read_sysreg(midr_el1);
	f->parange = BITS(mmfr0, 3, 0);
	f->pa_bits = parange_to_bits(f->parange);
	f->vmid_bits = BITS(mmfr1, 7, 4) == 2 ? 16 : 8;
	f->vhe = BITS(mmfr1, 11, 8) != 0;
	f->lse = BITS(isar0, 23, 20) != 0;
	f->gic_sysregs = BITS(pfr0, 27, 24) != 0;
}

const char *midr_name(uint64_t midr)
{
	static const struct {
		uint32_t implementer, part;
		const char *name;
	} names[] = {
		{ 0x41, 0xd03, "Cortex-A53" }, { 0x41, 0xd04, "Cortex-A35" },
		{ 0x41, 0xd05, "Cortex-A55" }, { 0x41, 0xd07, "Cortex-A57" },
		{ 0x41, 0xd08, "Cortex-A72" }, { 0x41, 0xd09, "Cortex-A73" },
		{ 0x41, 0xd0b, "Cortex-A76" }, { 0x41, 0xd0c, "Neoverse-N1" },
		{ 0x41, 0xd40, "Neoverse-V1" }, { 0x41, 0xd49, "Neoverse-N2" },
		/* Phytium (implementer 'p'); FTC310 reports part 0x303 */
		{ 0x70, 0x303, "FTC310" }, { 0x70, 0x660, "FTC660" }, { 0x70, 0x661, "FTC661" },
		{ 0x70, 0x662, "FTC662" }, { 0x70, 0x663, "FTC663" }, { 0x70, 0x664, "FTC664" },
		{ 0x70, 0x862, "FTC862" }, { 0x70, 0x872, "FTC872" },
		/* QEMU's "max" CPU */
		{ 0x00, 0x051, "QEMU max" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (MIDR_IMPLEMENTER(midr) == names[i].implementer &&
		    MIDR_PARTNUM(midr) == names[i].part)
			return names[i].name;
	return "unknown";
}

static void raise_end(uint64_t *end, uint64_t base, uint64_t size)
{
	if (size && base + size > *end)
		*end = base + size;
}

uint64_t platform_pa_end(const struct platform *p)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < p->n_mem; i++)
		raise_end(&end, p->mem[i].base, p->mem[i].size);
	if (p->uart.present)
		raise_end(&end, p->uart.base, MAX(p->uart.size, 4096ULL));
	raise_end(&end, p->gic.gicd_base, MAX(p->gic.gicd_size, 0x10000ULL));
	for (uint32_t i = 0; i < p->gic.n_gicr; i++)
		raise_end(&end, p->gic.gicr[i].base, p->gic.gicr[i].size);
	return end;
}
