/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inter-VM channels for the bare-metal guests (docs/ivc.md, include/ftvisor/ivc.h,
 * include/ftvisor/ivc_proto.h).
 *
 * The device: each channel the VM belongs to is a PCI endpoint on bus 0 of an ECAM host
 * bridge (slots 1..IVC_MAX_SLOTS). ivc_open() finds the k-th one, reads the BARs the
 * hypervisor programmed, turns memory decoding on and routes its INTx (a level SPI) to this
 * vCPU through the virtual GIC, which it sets up as gic_init_simple() does: interrupts stay
 * masked at PSTATE, ivc_wait() sleeps in WFI and takes the doorbell by polling ICC_IAR1_EL1,
 * with the virtual timer (PPI 27) as its time-out. Single vCPU, one open channel at a time
 * waits (the IAR poll would take the other channel's interrupt).
 *
 * The protocol: two members (IDs 0 and 1); member m writes only half m of the shared memory
 * (struct ivc_half, then a byte ring from IVC_PROTO_HDR). ivc_proto_*() below run it:
 * pings, commands, and a stream through the ring with flow control. Waiting always clears
 * INTRSTATUS before it looks at the shared memory, so a doorbell that comes between the
 * look and the sleep still ends the sleep.
 */
#ifndef GUEST_IVC_H
#define GUEST_IVC_H

#include "ftvisor/ivc.h"
#include "ftvisor/ivc_proto.h"
#include "gic.h"
#include "lib/compiler.h"
#include "pci.h"

struct ivc_dev {
	struct pci_fn pci;
	unsigned int slot;     /* 1..IVC_MAX_SLOTS */
	uint64_t regs;	       /* BAR0 */
	volatile uint8_t *shm; /* BAR2 */
	uint64_t shm_size;
	uint32_t id;	    /* IVPOSITION: this member's ID */
	uint32_t members;   /* bit i: member i exists */
	uint32_t flags;	    /* IVC_FLAG_* */
	uint32_t channel;   /* index in the system configuration */
	unsigned int intid; /* INTA's SPI */
};

/* 32-bit register access (single LDR/STR). */
static inline uint32_t ivc_reg(const struct ivc_dev *d, unsigned int off)
{
	return pci_read32(d->regs + off);
}

static inline void ivc_reg_write(const struct ivc_dev *d, unsigned int off, uint32_t v)
{
	pci_write32(d->regs + off, v);
}

/* The ECAM window (device tree, else IVC_ECAM_IPA). */
uint64_t ivc_ecam_base(void);

/*
 * Number of IVC endpoints (vendor/device/subsystem IDs match) in slots 1..IVC_MAX_SLOTS.
 * Touches config space only.
 */
unsigned int ivc_count(void);

/*
 * Opens the k-th IVC endpoint (from 0, in slot order): BARs, memory decoding on, INTx
 * enabled (command bit 10 clear), INTRMASK bit 0 set, its SPI enabled in the virtual GIC,
 * INTRSTATUS cleared. false with a one-line reason in *why when anything is off (no such
 * endpoint, BARs not programmed, BAR2 size != IVC_REG_SHM_SIZE, bad magic, ...).
 */
bool ivc_open(unsigned int k, struct ivc_dev *d, const char **why);

/* Doorbell to member peer (DOORBELL = peer << 16, vector 0); earlier stores complete first
 * (dsb st). */
void ivc_ring(const struct ivc_dev *d, unsigned int peer);

/* Reads (and so clears) INTRSTATUS; bit 0 = a doorbell arrived since the last read. */
static inline uint32_t ivc_ack(const struct ivc_dev *d)
{
	return ivc_reg(d, IVC_REG_INTRSTATUS);
}

/*
 * Sleeps (WFI) until the endpoint's interrupt is taken or timeout_us passes (0: no
 * time-out). Returns true on the interrupt (INTRSTATUS read, which lowers the line, before the
 * EOI), false on time-out. Callers re-check the shared memory afterwards either way: read
 * INTRSTATUS (ivc_ack), look, and only then wait.
 */
bool ivc_wait(const struct ivc_dev *d, uint64_t timeout_us);

/* The lowest member ID other than this one, or -1. */
int ivc_other_member(const struct ivc_dev *d);

/* ---- the ivc_proto.h protocol ---- */

struct ivc_chan {
	struct ivc_dev *dev;
	unsigned int peer;
	volatile struct ivc_half *me, *other;
	volatile uint8_t *my_ring, *peer_ring;
	uint64_t ring_size; /* bytes in each ring: shm_size / 2 - IVC_PROTO_HDR */
	uint64_t chunk;	    /* doorbell every this many bytes of a stream */
	uint64_t rx_pos;    /* next byte to consume from the peer's ring (counter) */
};

/* Barriers of the protocol (ivc_proto.h). */
#define ivc_publish_barrier() asm volatile("dmb oshst" ::: "memory")
#define ivc_consume_barrier() asm volatile("dmb oshld" ::: "memory")

/*
 * Takes half d->id (cleared, then owner, then magic last) for a conversation with member
 * peer. Both this member and peer must be 0 or 1 and differ, and this member writable.
 */
bool ivc_proto_init(struct ivc_chan *c, struct ivc_dev *d, unsigned int peer, const char **why);

/* Whether the peer's half carries IVC_PROTO_MAGIC. */
bool ivc_proto_peer_ready(const struct ivc_chan *c);

/* Waits up to timeout_us for the peer's magic; then resynchronises with what the peer's half
 * says (our ping and cmd_seq continue from its pong and cmd_done, our consumed from its
 * produced), so a peer that outlived an earlier client is not confused. */
bool ivc_proto_wait_peer(struct ivc_chan *c, uint64_t timeout_us);

/* One ping: bumps ping, rings, waits for the peer's pong to match. false on time-out. */
bool ivc_proto_ping(struct ivc_chan *c, uint64_t timeout_us);

/* Posts a command (cmd, arg, then cmd_seq + 1) and rings; returns the new cmd_seq. */
uint64_t ivc_proto_command(struct ivc_chan *c, enum ivc_cmd cmd, uint64_t arg);

/* Whether the peer has carried out command seq (its cmd_done == seq). */
bool ivc_proto_command_done(const struct ivc_chan *c, uint64_t seq);

/*
 * Server side, one pass: answers a pending ping, carries out a new command (a stream blocks
 * here until it is all produced, answering pings meanwhile; a flood rings the peer arg
 * times). Returns true when it did something; *out tells what. The caller loops:
 * ivc_ack(); if (!ivc_proto_serve()) ivc_wait(). Commands the peer posted before this member
 * initialised its half are ignored (ivc_proto_init takes the peer's cmd_seq as done).
 */
enum ivc_served_status {
	IVC_SERVED_OK,
	IVC_SERVED_UNKNOWN,   /* not a known command: marked done, nothing else */
	IVC_SERVED_ABANDONED, /* stream: the peer went away, posted a new command or
			       * its consumed counter is out of range */
};
struct ivc_served {
	unsigned int pings; /* answered in this pass */
	uint32_t cmd;	    /* enum ivc_cmd carried out, IVC_CMD_NONE for none */
	uint64_t seq, arg;
	enum ivc_served_status status;
	uint64_t done;		/* stream: bytes produced; flood: doorbells rung */
	uint64_t us;		/* time it took */
	uint32_t sum;		/* stream: checksum */
	uint32_t sent, limited; /* flood: SENT and LIMITED afterwards */
	unsigned int doorbells; /* stream: rung to the peer */
};
#define IVC_FLOOD_MAX 10000000u /* larger flood requests are cut to this */
bool ivc_proto_serve(struct ivc_chan *c, struct ivc_served *out);

/*
 * Client side of IVC_CMD_STREAM_TO_ME: asks for len bytes, consumes and checks every byte
 * against ivc_pattern(), rings the peer every chunk consumed, then checks stream_len and
 * stream_sum. timeout_us bounds every wait without progress. 0 on success, else a negative
 * IVC_STREAM_E_* with the details in *res.
 */
struct ivc_stream_result {
	uint64_t received;   /* bytes consumed */
	uint64_t us;	     /* from the command to the last byte checked */
	uint32_t sum;	     /* checksum of what arrived */
	uint32_t peer_sum;   /* the peer's stream_sum */
	uint64_t bad_offset; /* first byte that differs */
	uint8_t bad_got, bad_want;
	unsigned int doorbells; /* rung to the peer */
};
#define IVC_STREAM_E_TIMEOUT (-1) /* no progress for timeout_us */
#define IVC_STREAM_E_DATA    (-2) /* a byte differs from the pattern */
#define IVC_STREAM_E_SUM     (-3) /* the checksums differ */
#define IVC_STREAM_E_LEN     (-4) /* the peer's stream_len is not len */
#define IVC_STREAM_E_OVERRUN (-5) /* the peer produced more than the ring holds */
int ivc_proto_stream_to_me(struct ivc_chan *c, uint64_t len, uint64_t timeout_us,
			   struct ivc_stream_result *res);

#endif
