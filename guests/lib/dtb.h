/* SPDX-License-Identifier: Apache-2.0 */
/* What the guests need from their device tree, on top of hypervisor/lib/fdt.c. */
#ifndef GUEST_DTB_H
#define GUEST_DTB_H

#include "lib/fdt.h"

/* Opens the blob the loader passed in x0; DT_OK or a negative dt_error. */
int dtb_init(const void *blob);
bool dtb_valid(void);
const struct dt *dtb_get(void);
uint64_t dtb_address(void);

/* First range of the /memory node(s). */
bool dtb_ram(uint64_t *base, uint64_t *size);
/* /chosen properties, NULL when absent. */
const char *dtb_bootargs(void);
const char *dtb_vm_name(void);
/* MMIO base of the node /chosen/stdout-path names (":options" and aliases handled). */
bool dtb_stdout_base(uint64_t *base);
/* MMIO base of the first available node with this compatible. */
bool dtb_compatible_base(const char *compat, uint64_t *base);

#endif
