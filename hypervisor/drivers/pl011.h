/* SPDX-License-Identifier: Apache-2.0 */
/* Arm PrimeCell UART (PL011), as the hypervisor's own console. */
#ifndef FTVISOR_DRIVERS_PL011_H
#define FTVISOR_DRIVERS_PL011_H

#include "lib/compiler.h"

/*
 * Take over the UART at base. With a known clock and baud rate the divisors are set
 * (8N1, FIFOs on); otherwise the firmware's settings are kept.
 */
void pl011_init(uint64_t base, uint32_t clock_hz, uint32_t baud);
void pl011_putc(uint64_t base, char c);
/* A received byte, or -1 when none is waiting. */
int pl011_getc(uint64_t base);
/* Raise the UART's interrupt when bytes arrive (receive and receive-timeout). */
void pl011_enable_rx_irq(uint64_t base);

#endif
