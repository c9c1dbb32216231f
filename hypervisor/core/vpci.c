/* SPDX-License-Identifier: Apache-2.0 */
/* An emulated ECAM host bridge and type 0 configuration headers (core/vpci.h). */
#include "core/vpci.h"

/* Type 0 header offsets (PCI Local Bus spec 3.0, 6.1) */
#define CFG_ID 0x00
#define CFG_COMMAND 0x04	/* command, status at 0x06 */
#define CFG_CLASS_REV 0x08
#define CFG_HEADER 0x0c		/* cache line, latency timer, header type, BIST */
#define CFG_BAR0 0x10
#define CFG_BAR5 0x24
#define CFG_SUBSYSTEM 0x2c
#define CFG_INTERRUPT 0x3c	/* line, pin, min_gnt, max_lat */

#define BAR_MEM64 (2u << 1)	/* memory BAR type bits 2:1 = 0b10 */
#define BAR_PREFETCH (1u << 3)

static uint32_t bar_type_bits(uint8_t kind)
{
	return kind == VPCI_BAR_MEM64_PREF ? BAR_MEM64 | BAR_PREFETCH : 0;
}

/* What a BAR register can hold: the size-aligned address bits of its half, type bits 0. */
static uint32_t bar_addr_mask(const struct vpci_header *h, uint32_t i)
{
	switch (h->bar_kind[i]) {
	case VPCI_BAR_MEM32:
	case VPCI_BAR_MEM64_PREF:
		return (uint32_t)~(h->bar_size[i] - 1) & ~0xfu;
	case VPCI_BAR_UPPER:
		return i ? (uint32_t)(~(h->bar_size[i - 1] - 1) >> 32) : 0;
	default:
		return 0;
	}
}

void vpci_header_reset(struct vpci_header *h)
{
	h->command = 0;
	h->int_line = 0;
	for (uint32_t i = 0; i < VPCI_NR_BARS; i++) {
		switch (h->bar_kind[i]) {
		case VPCI_BAR_MEM32:
		case VPCI_BAR_MEM64_PREF:
			h->bar_reg[i] = ((uint32_t)h->bar_addr[i] & bar_addr_mask(h, i)) |
					bar_type_bits(h->bar_kind[i]);
			break;
		case VPCI_BAR_UPPER:
			h->bar_reg[i] = i ? (uint32_t)(h->bar_addr[i - 1] >> 32) : 0;
			break;
		default:
			h->bar_reg[i] = 0;
		}
	}
}

uint32_t vpci_header_read(const struct vpci_header *h, uint32_t reg, bool intx_pending)
{
	switch (reg) {
	case CFG_ID:
		return (uint32_t)h->device << 16 | h->vendor;
	case CFG_COMMAND:
		/* Status: only the interrupt status; no capabilities list (bit 4 clear). */
		return (intx_pending ? VPCI_STATUS_INTX : 0u) << 16 | h->command;
	case CFG_CLASS_REV:
		return h->class_code << 8 | h->revision;
	case CFG_HEADER:
		return 0; /* header type 0, single function, no BIST */
	case CFG_SUBSYSTEM:
		return (uint32_t)h->subdevice << 16 | h->subvendor;
	case CFG_INTERRUPT:
		return (uint32_t)h->int_pin << 8 | h->int_line;
	default:
		if (reg >= CFG_BAR0 && reg <= CFG_BAR5)
			return h->bar_reg[(reg - CFG_BAR0) / 4];
		return 0; /* CardBus CIS, expansion ROM, capabilities pointer: none */
	}
}

void vpci_header_write(struct vpci_header *h, uint32_t reg, uint32_t val, uint32_t byte_mask)
{
	uint32_t m, i, merged;

	switch (reg) {
	case CFG_COMMAND:
		/* The status half (W1C bits) has nothing a guest may clear. */
		m = byte_mask & 0xffff;
		h->command = (uint16_t)(((h->command & ~m) | (val & m)) &
					(VPCI_CMD_MEMORY | VPCI_CMD_INTX_DISABLE));
		break;
	case CFG_INTERRUPT:
		if (byte_mask & 0xff)
			h->int_line = (uint8_t)val;
		break;
	default:
		if (reg < CFG_BAR0 || reg > CFG_BAR5)
			break;
		i = (reg - CFG_BAR0) / 4;
		if (h->bar_kind[i] == VPCI_BAR_NONE)
			break;
		/* Remembered for reading back (all-ones gives the size mask), never moved. */
		merged = (h->bar_reg[i] & ~byte_mask) | (val & byte_mask);
		h->bar_reg[i] = (merged & bar_addr_mask(h, i)) | bar_type_bits(h->bar_kind[i]);
		break;
	}
}

static bool ecam_access_ok(uint64_t off, uint32_t size)
{
	return (size == 1 || size == 2 || size == 4) && !(off & (size - 1));
}

static bool ecam_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct vpci_bus *bus = dev;
	uint32_t d = (uint32_t)(off >> 15) & 31, fn = (uint32_t)(off >> 12) & 7, dw;
	uint32_t shift = (uint32_t)(off & 3) * 8;

	(void)v;
	if (!ecam_access_ok(off, size))
		return false;
	if (!bus->cfg_read(bus->ctx, d, fn, (uint32_t)off & 0xffc, &dw))
		dw = 0xffffffffu; /* no device: all-ones */
	dw >>= shift;
	*val = size == 4 ? dw : dw & ((1u << (8 * size)) - 1);
	return true;
}

static bool ecam_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct vpci_bus *bus = dev;
	uint32_t d = (uint32_t)(off >> 15) & 31, fn = (uint32_t)(off >> 12) & 7;
	uint32_t shift = (uint32_t)(off & 3) * 8;
	uint32_t mask = size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1) << shift;

	(void)v;
	if (!ecam_access_ok(off, size))
		return false;
	/* Nothing there: the write goes nowhere. */
	bus->cfg_write(bus->ctx, d, fn, (uint32_t)off & 0xffc, (uint32_t)val << shift, mask);
	return true;
}

bool vpci_attach(struct mmio_bus *mmio, struct vpci_bus *bus, uint64_t ecam_ipa, uint64_t size)
{
	struct mmio_region r = {
		.ipa = ecam_ipa, .size = size, .name = "pci-ecam", .dev = bus,
		.read = ecam_read, .write = ecam_write,
	};

	if (size > (1ULL << 20))
		return false;
	return mmio_add(mmio, &r);
}
