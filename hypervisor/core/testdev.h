/* SPDX-License-Identifier: Apache-2.0 */
/* The ftvisor test device (docs/guest-abi.md): lets guests check MMIO emulation. */
#ifndef FTVISOR_CORE_TESTDEV_H
#define FTVISOR_CORE_TESTDEV_H

#include "core/mmio.h"

#define TESTDEV_IPA 0x0a000000ULL
#define TESTDEV_SIZE 0x1000ULL
#define TESTDEV_ID 0x46545644u /* "FTVD" */

struct testdev {
	uint64_t scratch;
	uint64_t accesses;
};

bool testdev_attach(struct mmio_bus *bus, struct testdev *t);
void testdev_reset(struct testdev *t);

#endif
