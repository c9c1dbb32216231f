/* SPDX-License-Identifier: Apache-2.0 */
/* Options on the hypervisor's command line (/chosen/bootargs): "key=value" words. */
#ifndef FTVISOR_LIB_CMDLINE_H
#define FTVISOR_LIB_CMDLINE_H

#include "lib/compiler.h"

/*
 * Copy the value of the last "key=value" word into val (truncated, terminated) and return
 * true; a bare "key" gives an empty value. Words are separated by spaces or tabs.
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t val_len);

#endif
