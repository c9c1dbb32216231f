/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libivc: ftvisor's inter-VM channels from Linux user space (docs/ivc.md).
 *
 * The device (struct ivc_dev): each channel the VM belongs to is a PCI endpoint
 * (include/ftvisor/ivc.h IDs, subsystem included) that uio_pci_generic serves. ivc_dev_open()
 * finds the k-th one in /sys/bus/pci/devices (in slot order), maps BAR0 (resource0: Device
 * memory) and BAR2 (resource2_wc: Normal non-cacheable, what the hypervisor's stage 2 makes
 * of it anyway, and unaligned accesses work) and opens /dev/uioN. uio_pci_generic masks INTx
 * (PCI command bit 10) in its interrupt handler and has no irqcontrol (write() to /dev/uioN
 * fails with ENOSYS), so INTx is unmasked again through the config space file.
 *
 * The protocol (struct ivc_chan): include/ftvisor/ivc_proto.h between members 0 and 1, the
 * same rules as the bare-metal guests' guests/lib/ivc.c, so a Linux member and a bare-metal
 * member talk to each other: member m writes only half m (shm_size / 2: a header page, then
 * its ring); a client resynchronises its ping, cmd_seq and consumed counters with the peer's
 * pong, cmd_done and produced; a server carries out the peer's command when the peer's
 * cmd_seq differs from its cmd_done. A channel without a device (dev NULL, the "memory
 * backend") runs the same code over ordinary memory with polling instead of doorbells: the
 * host unit test and `ivc-stream --local` use it.
 *
 * Waiting never loses a doorbell: ivc_arm() reads (and so clears) INTRSTATUS and unmasks
 * INTx, then the caller looks at the shared memory, and only then ivc_wait() sleeps; a
 * doorbell after the arm ends that sleep.
 *
 * Errors: functions that can fail return a negative value and leave a one-line reason in
 * ivc_error().
 */
#ifndef LIBIVC_H
#define LIBIVC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ftvisor/ivc.h"
#include "ftvisor/ivc_proto.h"

/* Barriers of the protocol (ivc_proto.h, docs/ivc.md). Elsewhere (the host unit test) C11
 * fences of the same strength. */
#if defined(__aarch64__)
#define ivc_wmb()    asm volatile("dmb oshst" ::: "memory") /* data, then the counter */
#define ivc_rmb()    asm volatile("dmb oshld" ::: "memory") /* the counter, then data */
#define ivc_mb()     asm volatile("dmb osh" ::: "memory")   /* loads of data, then a counter */
#define ivc_dsb_st() asm volatile("dsb st" ::: "memory")    /* stores, then the doorbell */
#else
#define ivc_wmb()    __atomic_thread_fence(__ATOMIC_RELEASE)
#define ivc_rmb()    __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define ivc_mb()     __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define ivc_dsb_st() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/* The last error's reason (thread-local). */
const char *ivc_error(void);

/* Monotonic time in nanoseconds (CLOCK_MONOTONIC). */
uint64_t ivc_now_ns(void);

/* ---- the device ---- */

#define IVC_SYSFS_PCI	 "/sys/bus/pci/devices"
#define IVC_PCI_NAME_MAX 64

struct ivc_dev {
	char pci[IVC_PCI_NAME_MAX]; /* sysfs name, e.g. 0000:00:01.0 */
	int uio;		    /* N of /dev/uioN; -1: not bound to uio_pci_generic */
	int uio_fd, cfg_fd;
	volatile uint32_t *regs; /* BAR0 */
	volatile uint8_t *shm;	 /* BAR2 */
	uint64_t shm_size;
	uint32_t id;	      /* IVPOSITION: this member's ID */
	uint32_t members;     /* bit i: member i exists */
	uint32_t flags;	      /* IVC_FLAG_* */
	uint32_t channel;     /* index in the system configuration */
	uint16_t command;     /* PCI command register with INTx enabled */
	bool intx_masked;     /* the kernel masked INTx (an interrupt came) */
	uint64_t interrupts;  /* interrupts taken by ivc_dev_wait() */
	uint32_t open_status; /* INTRSTATUS when opened (a doorbell from before) */
};

/*
 * Names (sysfs, sorted: slot order) of the IVC endpoints, up to max of them; returns how
 * many there are (may exceed max), or -1 when /sys/bus/pci/devices cannot be read.
 */
int ivc_dev_list(char names[][IVC_PCI_NAME_MAX], int max);

#define IVC_OPEN_NOIRQ	  1u /* no /dev/uioN, INTRSTATUS and INTx untouched: polling only */
#define IVC_OPEN_FORCE_RW 2u /* map BAR2 writable even for a read-only member (tests) */
/* Opens the index-th endpoint: maps the BARs; unless IVC_OPEN_NOIRQ, opens /dev/uioN, sets
 * INTRMASK bit 0, clears INTRSTATUS and unmasks INTx. */
int ivc_dev_open(struct ivc_dev *d, int index, unsigned int flags);
void ivc_dev_close(struct ivc_dev *d);

/* 32-bit register access to BAR0 (single LDR/STR, as the hypervisor requires). */
uint32_t ivc_dev_reg(const struct ivc_dev *d, unsigned int off);
void ivc_dev_reg_write(const struct ivc_dev *d, unsigned int off, uint32_t v);

/* Doorbell to member peer; earlier stores complete first (dsb st). */
void ivc_dev_ring(const struct ivc_dev *d, unsigned int peer);
/* Clears INTRSTATUS (returns it) and unmasks INTx if the kernel masked it. */
uint32_t ivc_dev_arm(struct ivc_dev *d);
/* Sleeps until the device's interrupt or timeout_ms (< 0: forever): 1 on the interrupt,
 * 0 on time-out or a signal, -1 on error. Needs /dev/uioN. */
int ivc_dev_wait(struct ivc_dev *d, int timeout_ms);

/* ---- the protocol (ivc_proto.h) ---- */

#define IVC_CHUNK_MAX (64u * 1024) /* stream doorbell granularity (as guests/lib/ivc.c) */
#define IVC_FLOOD_MAX 10000000u	   /* larger flood requests are cut to this */

struct ivc_chan {
	struct ivc_dev *dev; /* NULL: memory backend (no doorbells, waits poll) */
	bool poll;	     /* wait by polling even with a device */
	unsigned int me, peer;
	volatile struct ivc_half *own, *other;
	volatile uint8_t *own_ring, *peer_ring;
	uint64_t ring_size; /* bytes in each ring: shm_size / 2 - IVC_PROTO_HDR */
	uint64_t chunk;	    /* a producer writes (and rings) at most this at once */
	uint64_t rx_pos;    /* next byte of the peer's ring to consume (counter) */
	uint64_t doorbells; /* rung to the peer */
	uint64_t wakeups;   /* ivc_wait() calls that ended with a doorbell */
};

/*
 * Takes half `me` of shm (cleared, then owner, then the magic last) for a conversation with
 * member peer. When the peer's half is already there, a command it left is taken as done and
 * whatever its ring holds as consumed, and our ping and cmd_seq go on from its pong and
 * cmd_done; cmd_seq never goes below what this half held (a command the previous user of the
 * half posted may still be under way, its seq must not name another one). dev NULL: memory
 * backend. Fails when the members are not 0 and 1, the device is read-only, or the memory is
 * smaller than 4 pages.
 */
int ivc_chan_init(struct ivc_chan *c, volatile void *shm, uint64_t shm_size, unsigned int me,
		  unsigned int peer, struct ivc_dev *dev);
/* The same on an open device: me = its IVPOSITION. */
int ivc_chan_open(struct ivc_chan *c, struct ivc_dev *d, unsigned int peer);

void ivc_arm(struct ivc_chan *c);
/* 1: a doorbell, 0: time-out, poll or signal, -1: error. Callers re-check the memory. */
int ivc_wait(struct ivc_chan *c, int timeout_ms);
void ivc_ring(struct ivc_chan *c);

/* Whether the peer's half carries IVC_PROTO_MAGIC and its owner ID. */
bool ivc_peer_ready(struct ivc_chan *c);
/* Waits up to timeout_ms for the peer's half, then continues ping, cmd_seq and consumed from
 * the peer's pong, cmd_done and produced. 0, or -1 on time-out. */
int ivc_wait_peer(struct ivc_chan *c, int timeout_ms);

/* One round trip: ping + 1, ring, wait for the peer's pong to match. 0, -1 on time-out. */
int ivc_ping(struct ivc_chan *c, int timeout_ms);

/* Posts a command (cmd, arg, then cmd_seq + 1) and rings; returns the new cmd_seq. */
uint64_t ivc_command(struct ivc_chan *c, enum ivc_cmd cmd, uint64_t arg);
bool ivc_command_done(struct ivc_chan *c, uint64_t seq);
int ivc_command_wait(struct ivc_chan *c, uint64_t seq, int timeout_ms);

/* The server side: answers pings, carries out commands, one step at a time. */
struct ivc_server {
	struct ivc_chan *c;
	enum { IVC_SRV_IDLE, IVC_SRV_STREAM, IVC_SRV_FLOOD } state;
	uint64_t seq;		 /* the command being carried out: its cmd_seq, */
	uint32_t cmd;		 /* cmd */
	uint64_t arg;		 /* and cmd_arg */
	uint64_t len, off, prod; /* stream: length, bytes produced, own produced */
	struct ivc_sum sum;
	uint64_t flood_left;
	uint64_t corrupt_at; /* test aid: flip this stream byte (UINT64_MAX: none) */
	/* what was done (statistics) */
	uint64_t pings, commands, streams, stream_bytes, abandoned, floods, flood_rings;
	/* the last command finished (for a log line): */
	bool finished;
	uint32_t last_cmd;
	uint64_t last_arg, last_done;
	uint32_t last_sum;
	bool last_abandoned;
};
void ivc_server_init(struct ivc_server *s, struct ivc_chan *c);
/* One step: > 0 when it did something (call again), 0 when it has to wait for the peer. A
 * finished command sets s->finished (the caller clears it). */
int ivc_server_step(struct ivc_server *s);
/* Arm, step, wait, until *stop; on_finish (may be NULL) is called after each command. */
void ivc_serve(struct ivc_server *s, volatile sig_atomic_t *stop,
	       void (*on_finish)(struct ivc_server *s));

/* The client side of IVC_CMD_STREAM_TO_ME. */
struct ivc_stream_result {
	uint64_t received;   /* bytes consumed and checked */
	uint64_t ns;	     /* from the command to the last byte checked */
	uint32_t sum;	     /* Adler-32 of what arrived */
	uint32_t peer_sum;   /* the peer's stream_sum */
	uint64_t peer_len;   /* the peer's stream_len */
	uint64_t bad_offset; /* first byte that differs from the pattern */
	uint8_t bad_got, bad_want;
	uint64_t doorbells; /* rung to the peer */
};
#define IVC_STREAM_E_TIMEOUT (-1) /* no progress for timeout_ms */
#define IVC_STREAM_E_DATA    (-2) /* a byte differs from the pattern */
#define IVC_STREAM_E_SUM     (-3) /* the checksums differ */
#define IVC_STREAM_E_LEN     (-4) /* the peer's stream_len is not len */
#define IVC_STREAM_E_OVERRUN (-5) /* the peer produced more than the ring holds */
#define IVC_STREAM_E_PEER    (-6) /* the peer did not carry out the command to get ready */
/*
 * Asks the peer for len bytes of the pattern and checks every byte and the checksum. First an
 * IVC_CMD_NONE command, which a server carries out only once it has dropped any stream it was
 * producing (for an earlier client that went away); then whatever the ring holds is skipped
 * and IVC_CMD_STREAM_TO_ME is posted. The consumer rings the peer after every piece it
 * consumed. timeout_ms bounds every wait without progress. 0, or an IVC_STREAM_E_*.
 */
int ivc_stream_receive(struct ivc_chan *c, uint64_t len, int timeout_ms,
		       struct ivc_stream_result *r);
const char *ivc_stream_strerror(int err);

/*
 * Asks the peer for n doorbells (IVC_CMD_FLOOD) and waits until it marked the command done
 * and, with a device, no doorbell came for 200 ms (a rate-limited doorbell comes late, not
 * never; the hypervisor merges those that wait into one). 0, or -1 when the command is not
 * done after timeout_ms without a doorbell. *received: doorbells that arrived (RECEIVED's
 * growth; n without a device), *ns: from the command to the last of them.
 */
int ivc_flood(struct ivc_chan *c, uint64_t n, int timeout_ms, uint64_t *received, uint64_t *ns);

/* ---- the test pattern and its checksum (fast equivalents of ivc_proto.h's) ---- */

/* Adler-32 update, the same result as ivc_sum_update() with deferred modulo (zlib's NMAX). */
void ivc_sum_fast(struct ivc_sum *s, const uint8_t *p, size_t n);
/* buf[k] = ivc_pattern(i + k). */
void ivc_pattern_fill(uint8_t *buf, uint64_t i, size_t n);
/* Index of the first k with buf[k] != ivc_pattern(i + k), or n. */
size_t ivc_pattern_check(const uint8_t *buf, uint64_t i, size_t n);

/* "64M", "4K", "1G", "1000": bytes; -1 when malformed. */
int64_t ivc_parse_size(const char *s);

#endif
