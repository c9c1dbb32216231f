/* SPDX-License-Identifier: Apache-2.0 */
/* An emulated PL011 per VM: the guest's console (docs/guest-abi.md). */
#ifndef FTVISOR_CORE_VUART_PL011_H
#define FTVISOR_CORE_VUART_PL011_H

#include "core/mmio.h"
#include "lib/spinlock.h"

#define VUART_IPA 0x09000000ULL
#define VUART_SIZE 0x1000ULL
#define VUART_INTID 33 /* SPI 1, level, as on QEMU's virt machine */
/* Deeper than a PL011 FIFO: a pasted line must not lose characters (the guest never sees the
 * depth, only the empty/full flags). */
#define VUART_RX_FIFO 4096

struct vconsole;
struct vm;

struct vuart_pl011 {
	struct vconsole *console;
	struct vm *vm;
	struct spinlock lock;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc;
	uint32_t ris_cleared;		/* TX interrupt acknowledged (ICR) and not re-armed */
	uint32_t rx_head, rx_tail;
	uint8_t rx[VUART_RX_FIFO];
	uint64_t rx_dropped;
};

/* Attach an emulated PL011 at VUART_IPA to the bus, writing to console. */
bool vuart_pl011_attach(struct mmio_bus *bus, struct vuart_pl011 *u, struct vconsole *console,
			struct vm *vm);
/* Registers back to their reset values (VM reset). */
void vuart_pl011_reset(struct vuart_pl011 *u);
/* A byte typed on the physical console for this VM. */
void vuart_pl011_receive(struct vuart_pl011 *u, uint8_t ch);

#endif
