/* SPDX-License-Identifier: Apache-2.0 */
/* An emulated PL011 per VM: the guest's console (docs/guest-abi.md). */
#ifndef FTVISOR_CORE_VUART_PL011_H
#define FTVISOR_CORE_VUART_PL011_H

#include "core/mmio.h"

#define VUART_IPA 0x09000000ULL
#define VUART_SIZE 0x1000ULL

struct vconsole;

struct vuart_pl011 {
	struct vconsole *console;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc;
};

/* Attach an emulated PL011 at VUART_IPA to the bus, writing to console. */
bool vuart_pl011_attach(struct mmio_bus *bus, struct vuart_pl011 *u, struct vconsole *console);
/* Registers back to their reset values (VM reset). */
void vuart_pl011_reset(struct vuart_pl011 *u);

#endif
