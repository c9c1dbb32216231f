/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vuart_pl011.h"
#include "core/vconsole.h"
#include "core/vgic.h"
#include "core/vm.h"
#include "lib/string.h"

/* PL011 TRM (DDI 0183) 3.2: register offsets and bits */
#define DR 0x000
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
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)

/* PrimeCell identification at 0xfe0-0xffc: PL011 r1p5, so Linux's AMBA bus binds it. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool rx_empty(const struct vuart_pl011 *u)
{
	return u->rx_head == u->rx_tail;
}

/* Output drains at once, so the transmit interrupt is raised whenever it is not being
 * acknowledged; receive and receive-timeout follow the FIFO. */
static uint32_t ris(const struct vuart_pl011 *u)
{
	uint32_t r = INT_TX & ~u->ris_cleared;

	if (!rx_empty(u))
		r |= INT_RX | INT_RT;
	return r;
}

static void update_irq(struct vuart_pl011 *u)
{
	if (u->vm)
		vgic_set_level(u->vm, VUART_INTID, ris(u) & u->imsc);
}

static bool uart_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct vuart_pl011 *u = dev;

	(void)v;
	(void)size;
	spin_lock(&u->lock);
	switch (off) {
	case DR:
		*val = 0;
		if (!rx_empty(u))
			*val = u->rx[u->rx_tail++ % VUART_RX_FIFO];
		break;
	case FR: *val = FR_TXFE | (rx_empty(u) ? FR_RXFE : 0); break;
	case IBRD: *val = u->ibrd; break;
	case FBRD: *val = u->fbrd; break;
	case LCR_H: *val = u->lcr_h; break;
	case CR: *val = u->cr; break;
	case IFLS: *val = u->ifls; break;
	case IMSC: *val = u->imsc; break;
	case RIS: *val = ris(u); break;
	case MIS: *val = ris(u) & u->imsc; break;
	default:
		*val = off >= 0xfe0 && off <= 0xffc && !(off & 3) ? id_regs[(off - 0xfe0) / 4] : 0;
	}
	spin_unlock(&u->lock);
	if (off == DR)
		update_irq(u);
	return true;
}

static bool uart_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct vuart_pl011 *u = dev;

	(void)size;
	spin_lock(&u->lock);
	switch (off) {
	case DR:
		u->ris_cleared &= ~INT_TX; /* new data: the FIFO empties again at once */
		break;
	case IBRD: u->ibrd = (uint32_t)val & 0xffff; break;
	case FBRD: u->fbrd = (uint32_t)val & 0x3f; break;
	case LCR_H: u->lcr_h = (uint32_t)val & 0xff; break;
	case CR: u->cr = (uint32_t)val & 0xffff; break;
	case IFLS: u->ifls = (uint32_t)val & 0x3f; break;
	case IMSC:
		/* Unmasking TX re-arms it: the (empty) FIFO is below any trigger level. */
		if (val & ~u->imsc & INT_TX)
			u->ris_cleared &= ~INT_TX;
		u->imsc = (uint32_t)val & 0x7ff;
		break;
	case ICR: u->ris_cleared |= (uint32_t)val & INT_TX; break;
	default: break;
	}
	spin_unlock(&u->lock);
	if (off == DR)
		vconsole_putc(u->console, (char)(val & 0xff), v ? v->index : 0);
	if (off == DR || off == IMSC || off == ICR)
		update_irq(u);
	return true;
}

void vuart_pl011_receive(struct vuart_pl011 *u, uint8_t ch)
{
	spin_lock(&u->lock);
	if (u->rx_head - u->rx_tail < VUART_RX_FIFO)
		u->rx[u->rx_head++ % VUART_RX_FIFO] = ch;
	else
		u->rx_dropped++;
	spin_unlock(&u->lock);
	update_irq(u);
}

void vuart_pl011_reset(struct vuart_pl011 *u)
{
	struct vconsole *console = u->console;
	struct vm *vm = u->vm;

	memset(u, 0, sizeof(*u));
	u->console = console;
	u->vm = vm;
	spin_lock_init(&u->lock);
	u->cr = 0x300; /* TXE | RXE, as after reset */
}

bool vuart_pl011_attach(struct mmio_bus *bus, struct vuart_pl011 *u, struct vconsole *console,
			struct vm *vm)
{
	struct mmio_region r = {
		.ipa = VUART_IPA, .size = VUART_SIZE, .name = "pl011", .dev = u,
		.read = uart_read, .write = uart_write,
	};

	u->console = console;
	u->vm = vm;
	vuart_pl011_reset(u);
	return mmio_add(bus, &r);
}
