/* SPDX-License-Identifier: Apache-2.0 */
#include "drivers/pl011.h"
#include "arch/arm64/mmio.h"

/* Register offsets and bits (PL011 TRM, section 3.2) */
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTICR 0x044

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCR_FEN (1u << 4)
#define LCR_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

void pl011_init(uint64_t base, uint32_t clock_hz, uint32_t baud)
{
	uint32_t div64;

	if (!clock_hz || !baud) {
		/* Keep the firmware's line settings; make sure TX and RX are on. */
		mmio_write32(base + UARTCR, mmio_read32(base + UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
		return;
	}
	/* Baud divisor = clock / (16 * baud) as 16.6 fixed point, rounded: 64*clock/(16*baud). */
	div64 = (uint32_t)(((uint64_t)clock_hz * 4 + baud / 2) / baud);
	while (mmio_read32(base + UARTFR) & FR_BUSY)
		;
	mmio_write32(base + UARTCR, 0);
	mmio_write32(base + UARTIBRD, div64 >> 6);
	mmio_write32(base + UARTFBRD, div64 & 0x3f);
	mmio_write32(base + UARTLCR_H, LCR_WLEN8 | LCR_FEN);
	mmio_write32(base + UARTIMSC, 0); /* polled: no interrupts yet */
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(uint64_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (uint8_t)c);
}

int pl011_getc(uint64_t base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UARTDR) & 0xff);
}

void pl011_enable_rx_irq(uint64_t base)
{
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTIMSC, (1u << 4) | (1u << 6)); /* RXIM | RTIM */
}
