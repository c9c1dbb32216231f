/* SPDX-License-Identifier: Apache-2.0 */
#include "core/testdev.h"
#include "lib/string.h"

#define REG_ID 0x00
#define REG_SCRATCH 0x08
#define REG_ACCESSES 0x10
#define REG_SINK 0x18

static uint64_t low_bits(uint64_t v, uint32_t size)
{
	return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

static bool td_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct testdev *t = dev;

	(void)v;
	t->accesses++;
	switch (off) {
	case REG_ID: *val = TESTDEV_ID; break;
	case REG_SCRATCH: *val = low_bits(t->scratch, size); break;
	case REG_ACCESSES: *val = t->accesses; break;
	default: *val = 0; break;
	}
	*val = low_bits(*val, size);
	return true;
}

static bool td_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct testdev *t = dev;

	(void)v;
	t->accesses++;
	if (off == REG_SCRATCH)
		t->scratch = low_bits(val, size);
	return true;
}

void testdev_reset(struct testdev *t)
{
	memset(t, 0, sizeof(*t));
}

bool testdev_attach(struct mmio_bus *bus, struct testdev *t)
{
	struct mmio_region r = {
		.ipa = TESTDEV_IPA, .size = TESTDEV_SIZE, .name = "test-mmio", .dev = t,
		.read = td_read, .write = td_write,
	};

	testdev_reset(t);
	return mmio_add(bus, &r);
}
