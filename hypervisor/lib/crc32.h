/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_LIB_CRC32_H
#define FTVISOR_LIB_CRC32_H

#include "lib/compiler.h"

/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), zlib-compatible: crc32(0, buf, len);
 * chain calls by passing the previous result. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);
/* The hypervisor: use the CPU's CRC32 instructions from now on if it has them (and they
 * agree with the table on a probe). Returns whether it does. */
bool crc32_use_instructions(void);

#endif
