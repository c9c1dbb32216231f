/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the boot bundle: bundle_validate() on the input as it is, then again
 * with its header and image CRCs recomputed (so mutations reach the checks behind the CRCs).
 * Every failure must give a reason, every success an empty one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/bundle_builder.h"
#include "core/bundle.h"

#define MAX_INPUT (256 * 1024)

static void check(const uint8_t *buf, size_t size)
{
	char err[160], tiny[4];
	int r;

	memset(err, 'x', sizeof(err));
	r = bundle_validate(buf, size, err, sizeof(err));
	if (r == 0 ? err[0] != '\0' : (r != -1 || !err[0] || !memchr(err, 0, sizeof(err))))
		abort();
	/* the same answer with a truncating or absent message buffer */
	if (bundle_validate(buf, size, tiny, sizeof(tiny)) != r || !memchr(tiny, 0, sizeof(tiny)) ||
	    bundle_validate(buf, size, NULL, 0) != r)
		abort();
	/* a valid bundle stays valid when exactly total_size bytes are available */
	if (r == 0 && bundle_validate(buf, bb_get64(buf + BB_HDR(total_size)), NULL, 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *mem;
	uint8_t *buf;

	if (size > MAX_INPUT)
		return 0;
	/* 4 KiB aligned as at boot, exactly size bytes so ASan sees any read past the end */
	if (posix_memalign(&mem, BUNDLE_ALIGN, size ? size : 1))
		return 0;
	buf = mem;
	memcpy(buf, data, size);
	check(buf, size);
	bb_fix_crcs(buf, size);
	check(buf, size);
	free(buf);
	return 0;
}
