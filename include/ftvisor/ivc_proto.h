/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The message protocol ftvisor's IVC tools speak over a channel's shared memory (not part of
 * the hypervisor: any protocol works). For two members, the shared memory is cut in two
 * halves; member m writes only half m (a read-only member writes nothing). Each half starts
 * with a header page, the rest is a byte ring the owner produces into and the peer consumes.
 *
 * Ordering (the memory is mapped non-cacheable in every VM, docs/ivc.md): a writer stores
 * the data, then a barrier (dmb oshst), then the counter that publishes it, then dsb st
 * before ringing the doorbell; a reader loads the counter, then dmb oshld, then the data.
 */
#ifndef FTVISOR_IVC_PROTO_H
#define FTVISOR_IVC_PROTO_H

#include <stdint.h>

#define IVC_PROTO_MAGIC 0x31505646u	/* "FVP1" */
#define IVC_PROTO_HDR 4096		/* the ring starts one page into the half */

/* Commands a member asks of its peer (cmd, with cmd_seq bumped each time). */
enum ivc_cmd {
	IVC_CMD_NONE = 0,
	IVC_CMD_STREAM_TO_ME = 1,	/* send me arg bytes of the test pattern through your ring */
	IVC_CMD_FLOOD = 2,		/* ring my doorbell arg times as fast as you can */
};

struct ivc_half {			/* written by its owner only */
	uint32_t magic;			/* IVC_PROTO_MAGIC once the owner is ready */
	uint32_t owner;			/* the owner's member ID */
	uint64_t ping;			/* ping sequence sent to the peer */
	uint64_t pong;			/* last peer ping answered */
	uint64_t produced;		/* bytes ever written into this half's ring */
	uint64_t consumed;		/* bytes ever read from the PEER's ring */
	uint64_t stream_len;		/* bytes of the stream being produced (0: none) */
	uint32_t stream_sum;		/* checksum of the stream, valid once produced == len */
	uint32_t cmd;			/* enum ivc_cmd for the peer */
	uint64_t cmd_seq;		/* bumped with each new command */
	uint64_t cmd_arg;
	uint64_t cmd_done;		/* last peer cmd_seq carried out */
};

/* Test pattern byte i of a stream, and its checksum (Fletcher-style, order sensitive). */
static inline uint8_t ivc_pattern(uint64_t i)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ULL;

	return (uint8_t)(x >> 56 ^ i);
}

struct ivc_sum {
	uint32_t a, b;
};

static inline void ivc_sum_init(struct ivc_sum *s)
{
	s->a = 1;
	s->b = 0;
}

static inline void ivc_sum_update(struct ivc_sum *s, const volatile uint8_t *p, uint64_t n)
{
	uint32_t a = s->a, b = s->b;

	for (uint64_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521u;
		b = (b + a) % 65521u;
	}
	s->a = a;
	s->b = b;
}

static inline uint32_t ivc_sum_value(const struct ivc_sum *s)
{
	return s->b << 16 | s->a;	/* Adler-32 */
}

#endif
