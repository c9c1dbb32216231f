/* SPDX-License-Identifier: Apache-2.0 */
#include "core/mmio.h"
#include "lib/memrange.h"

bool mmio_add(struct mmio_bus *bus, const struct mmio_region *r)
{
	if (bus->n >= MMIO_MAX_REGIONS || !r->size)
		return false;
	for (uint32_t i = 0; i < bus->n; i++)
		if (range_overlaps(bus->regions[i].ipa, bus->regions[i].size, r->ipa, r->size))
			return false;
	bus->regions[bus->n++] = *r;
	return true;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa, uint32_t size)
{
	for (uint32_t i = 0; i < bus->n; i++) {
		const struct mmio_region *r = &bus->regions[i];

		/* The whole access must fall inside one device. */
		if (ipa >= r->ipa && ipa - r->ipa < r->size && size <= r->size - (ipa - r->ipa))
			return r;
	}
	return NULL;
}
