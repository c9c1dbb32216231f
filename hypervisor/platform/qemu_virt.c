/* SPDX-License-Identifier: Apache-2.0 */
/* QEMU's "virt" machine: everything comes from the generated tree; no quirks. */
#include "platform/board.h"

static const char *const qemu_virt_compat[] = { "linux,dummy-virt", NULL };

const struct board board_qemu_virt = {
	.name = "qemu-virt",
	.compatibles = qemu_virt_compat,
	.default_uart_clock_hz = 24000000,	/* the apb-pclk fixed clock of virt's PL011 */
	.default_timer_hz = 62500000,		/* QEMU's CNTFRQ for the Cortex-A models */
	.fixup = NULL,
};
