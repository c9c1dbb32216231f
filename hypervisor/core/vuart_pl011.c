/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vuart_pl011.h"
#include "core/vconsole.h"
#include "lib/string.h"

/* PL011 TRM (DDI 0183) 3.2: register offsets */
#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)

/* PrimeCell identification at 0xfe0-0xffc: PL011 r1p5, so Linux's AMBA bus binds it. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool uart_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct vuart_pl011 *u = dev;

	(void)v;
	(void)size;
	switch (off) {
	case FR: *val = FR_TXFE | FR_RXFE; break; /* transmit always done, nothing received */
	case IBRD: *val = u->ibrd; break;
	case FBRD: *val = u->fbrd; break;
	case LCR_H: *val = u->lcr_h; break;
	case CR: *val = u->cr; break;
	case IFLS: *val = u->ifls; break;
	case IMSC: *val = u->imsc; break;
	default:
		*val = off >= 0xfe0 && off <= 0xffc && !(off & 3) ? id_regs[(off - 0xfe0) / 4] : 0;
	}
	return true;
}

static bool uart_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct vuart_pl011 *u = dev;

	(void)v;
	(void)size;
	switch (off) {
	case DR: vconsole_putc(u->console, (char)(val & 0xff)); break;
	case IBRD: u->ibrd = (uint32_t)val & 0xffff; break;
	case FBRD: u->fbrd = (uint32_t)val & 0x3f; break;
	case LCR_H: u->lcr_h = (uint32_t)val & 0xff; break;
	case CR: u->cr = (uint32_t)val & 0xffff; break;
	case IFLS: u->ifls = (uint32_t)val & 0x3f; break;
	case IMSC: u->imsc = (uint32_t)val & 0x7ff; break;
	default: break; /* RSR/ICR and the rest: accepted and ignored */
	}
	return true;
}

void vuart_pl011_reset(struct vuart_pl011 *u)
{
	struct vconsole *console = u->console;

	memset(u, 0, sizeof(*u));
	u->console = console;
	u->cr = 0x300; /* TXE | RXE, as after reset */
}

bool vuart_pl011_attach(struct mmio_bus *bus, struct vuart_pl011 *u, struct vconsole *console)
{
	struct mmio_region r = {
		.ipa = VUART_IPA, .size = VUART_SIZE, .name = "pl011", .dev = u,
		.read = uart_read, .write = uart_write,
	};

	u->console = console;
	vuart_pl011_reset(u);
	return mmio_add(bus, &r);
}
