/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every guest gets. lib/start.S calls main(dtb) on vCPU 0 and secondary_main(context)
 * on vCPUs started by PSCI CPU_ON; both idle in WFI if they return.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include "console.h"
#include "counter.h"
#include "dtb.h"
#include "exception.h"
#include "hypercall.h"
#include "lib/compiler.h"
#include "lib/format.h"
#include "lib/string.h"
#include "psci.h"
#include "smccc.h"
#include "sysreg.h"
#include "test.h"

void main(void *dtb);
void secondary_main(uint64_t context);

/* Image bounds (linker script). */
extern char __image_start[], __image_end[];

/*
 * Opens the device tree, moves the console to its stdout-path UART and names the guest for
 * the DONE line. false (after a FAIL line) when the tree is unusable; the console then
 * stays at 0x09000000.
 */
bool guest_init(const char *name, void *dtb);

#endif
