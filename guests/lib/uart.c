/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PL011 TX (PrimeCell UART PL011 TRM: DR at 0x00, FR at 0x18 with TXFF bit 5). The
 * firmware or the hypervisor has set the UART up; we only write characters.
 */
#include "uart.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define FR_TXFF (1u << 5)

static uint64_t base = UART_DEFAULT_BASE;

void uart_set_base(uint64_t b)
{
	base = b;
}

uint64_t uart_base(void)
{
	return base;
}

static void putc_raw(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(base + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(base + UART_DR);

	while (*fr & FR_TXFF)
		;
	*dr = (uint8_t)c;
}

void uart_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
}
