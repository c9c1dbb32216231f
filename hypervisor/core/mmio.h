/* SPDX-License-Identifier: Apache-2.0 */
/* Per-VM emulated devices: guest-physical regions whose accesses trap and are dispatched. */
#ifndef FTVISOR_CORE_MMIO_H
#define FTVISOR_CORE_MMIO_H

#include "lib/compiler.h"

#define MMIO_MAX_REGIONS 8

struct vcpu;

struct mmio_region {
	uint64_t ipa, size;
	const char *name;
	void *dev;
	/* offset is from ipa; size is 1, 2, 4 or 8. Return false for a bus error. */
	bool (*read)(struct vcpu *v, void *dev, uint64_t offset, uint32_t size, uint64_t *value);
	bool (*write)(struct vcpu *v, void *dev, uint64_t offset, uint32_t size, uint64_t value);
};

struct mmio_bus {
	uint32_t n;
	struct mmio_region regions[MMIO_MAX_REGIONS];
};

bool mmio_add(struct mmio_bus *bus, const struct mmio_region *r);
const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa, uint32_t size);

#endif
