/* SPDX-License-Identifier: Apache-2.0 */
#include "ivc.h"
#include "counter.h"
#include "lib/string.h"

#define PRIO_IVC      0x80
#define PRIO_TIMER    0x80
#define CHUNK_MAX     KiB(64) /* stream doorbell granularity */
#define SERVE_POLL_US 100000  /* a stream re-checks the peer this often without news */
#define ADLER_MOD     65521u
#define ADLER_NMAX    5552u		    /* zlib: bytes before 32-bit b can overflow */
#define PATTERN_K     0x9e3779b97f4a7c15ULL /* ivc_pattern's multiplier */

static struct gic gic;
static uint64_t gic_rd;
static bool gic_ready;

/* ---- the device ---- */

uint64_t ivc_ecam_base(void)
{
	return pci_ecam_base(IVC_ECAM_IPA);
}

static bool is_ivc(const struct pci_fn *f)
{
	uint32_t id = pci_cfg_read(f, PCI_VENDOR_ID);

	if ((id & 0xffff) == PCI_VENDOR_NONE ||
	    id != ((uint32_t) IVC_PCI_DEVICE << 16 | IVC_PCI_VENDOR))
		return false;
	return pci_cfg_read(f, PCI_SUBSYSTEM) ==
	       ((uint32_t) IVC_PCI_SUBDEVICE << 16 | IVC_PCI_SUBVENDOR);
}

/* The slot of the k-th endpoint, 0 when there are fewer. */
static unsigned int find_slot(uint64_t ecam, unsigned int k)
{
	unsigned int slot, n = 0;

	for (slot = 1; slot <= IVC_MAX_SLOTS; slot++) {
		struct pci_fn f = {.ecam = ecam, .dev = slot, .fn = 0};

		if (is_ivc(&f) && n++ == k)
			return slot;
	}
	return 0;
}

unsigned int ivc_count(void)
{
	uint64_t ecam = ivc_ecam_base();
	unsigned int slot, n = 0;

	for (slot = 1; slot <= IVC_MAX_SLOTS; slot++) {
		struct pci_fn f = {.ecam = ecam, .dev = slot, .fn = 0};

		n += is_ivc(&f);
	}
	return n;
}

static void set_level(unsigned int intid)
{
	uint64_t cfg = gic.gicd + GICD_ICFGR + 4 * (intid / 16);

	/* Bit 1 of the interrupt's two: 0 = level-sensitive. */
	gic_write32(cfg, gic_read32(cfg) & ~(2u << 2 * (intid % 16)));
}

bool ivc_open(unsigned int k, struct ivc_dev *d, const char **why)
{
	struct pci_bar bar0, bar2;
	uint32_t magic, shm_reg;

	memset(d, 0, sizeof(*d));
	d->pci.ecam = ivc_ecam_base();
	d->slot = find_slot(d->pci.ecam, k);
	if (!d->slot) {
		*why = "no such IVC endpoint on bus 0";
		return false;
	}
	d->pci.dev = d->slot;

	/* Sizing with decoding off, as the PCI spec asks. */
	pci_command(&d->pci, 0, PCI_COMMAND_MEMORY);
	pci_bar_probe(&d->pci, 0, &bar0);
	pci_bar_probe(&d->pci, 2, &bar2);
	if (bar0.io || bar0.is64 || bar0.size != IVC_REGS_SIZE || !bar0.addr) {
		*why = "BAR0 is not a programmed 32-bit 4 KiB memory BAR";
		return false;
	}
	if (bar2.io || !bar2.is64 || !bar2.prefetch || !bar2.size || !bar2.addr ||
	    (bar2.size & (bar2.size - 1)) || (bar2.addr & (bar2.size - 1))) {
		*why = "BAR2 is not a programmed, aligned 64-bit prefetchable memory BAR";
		return false;
	}
	pci_command(&d->pci, PCI_COMMAND_MEMORY, PCI_COMMAND_INTX_DISABLE);

	d->regs = bar0.addr;
	d->shm = (volatile uint8_t *) bar2.addr;
	d->shm_size = bar2.size;
	magic = ivc_reg(d, IVC_REG_MAGIC);
	if (magic != IVC_MAGIC) {
		*why = "IVC_REG_MAGIC is not \"FTVI\"";
		return false;
	}
	shm_reg = ivc_reg(d, IVC_REG_SHM_SIZE);
	if (shm_reg != (uint32_t) bar2.size) {
		*why = "IVC_REG_SHM_SIZE differs from BAR2's size";
		return false;
	}
	d->id = ivc_reg(d, IVC_REG_IVPOSITION);
	d->members = ivc_reg(d, IVC_REG_MEMBERS);
	d->flags = ivc_reg(d, IVC_REG_FLAGS);
	d->channel = ivc_reg(d, IVC_REG_CHANNEL);
	if (d->id >= 32 || !(d->members & 1u << d->id)) {
		*why = "IVPOSITION is not in MEMBERS";
		return false;
	}
	d->intid = IVC_INTX_BASE + d->slot - 1;

	if (!gic_ready) {
		gic_discover(&gic);
		gic_rd = gic_init_simple(&gic);
		gic_enable_irq(&gic, gic_rd, GIC_PPI_VTIMER, PRIO_TIMER);
		gic_ready = true;
	}
	set_level(d->intid);
	gic_enable_irq(&gic, gic_rd, d->intid, PRIO_IVC);

	ivc_ack(d);
	ivc_reg_write(d, IVC_REG_INTRMASK, 1);
	dsb(sy);
	return true;
}

void ivc_ring(const struct ivc_dev *d, unsigned int peer)
{
	dsb(st); /* the shared-memory stores reach memory before the doorbell */
	ivc_reg_write(d, IVC_REG_DOORBELL, (uint32_t) peer << 16);
}

bool ivc_wait(const struct ivc_dev *d, uint64_t timeout_us)
{
	uint64_t deadline = 0;
	bool got = false;

	if (timeout_us) {
		deadline = counter_read() + counter_us_to_ticks(timeout_us);
		vtimer_set(deadline, CNT_CTL_ENABLE);
	}
	for (;;) {
		uint64_t iar = gic_ack();
		uint32_t intid = ICC_IAR_INTID(iar);

		if (intid == d->intid) {
			ivc_ack(d); /* lowers the line before the EOI */
			gic_eoi(iar);
			got = true;
			break;
		}
		if (intid == GIC_PPI_VTIMER) {
			vtimer_set(0, 0); /* line down before the EOI */
			gic_eoi(iar);
			if (timeout_us && counter_read() >= deadline)
				break;
			if (timeout_us) /* early: a stale one */
				vtimer_set(deadline, CNT_CTL_ENABLE);
			continue;
		}
		if (intid != GIC_INTID_SPURIOUS) {
			gic_eoi(iar); /* not ours: ignored */
			continue;
		}
		if (timeout_us && counter_read() >= deadline)
			break;
		asm volatile("wfi" ::: "memory");
	}
	if (timeout_us)
		vtimer_set(0, 0);
	return got;
}

int ivc_other_member(const struct ivc_dev *d)
{
	unsigned int i;

	for (i = 0; i < 32; i++)
		if (i != d->id && (d->members & 1u << i))
			return (int) i;
	return -1;
}

/* ---- pattern and checksum, a 64-bit word at a time ---- */

/* ivc_pattern(i) for consecutive i: x = i * K kept up to date by addition. */
struct pattern {
	uint64_t i, x;
};

static void pattern_at(struct pattern *p, uint64_t i)
{
	p->i = i;
	p->x = i * PATTERN_K;
}

static inline uint8_t pattern_byte(struct pattern *p)
{
	uint8_t b = (uint8_t) (p->x >> 56 ^ p->i);

	p->i++;
	p->x += PATTERN_K;
	return b;
}

/* The next 8 bytes, little-endian (byte i at the lowest address). */
static inline uint64_t pattern_word(struct pattern *p)
{
	uint64_t w = 0;
	unsigned int k;

	for (k = 0; k < 64; k += 8)
		w |= (uint64_t) pattern_byte(p) << k;
	return w;
}

/* Adler-32 as ivc_sum_update, reduced only every ADLER_NMAX bytes. */
struct adler {
	uint32_t a, b, pending;
};

static void adler_init(struct adler *s)
{
	s->a = 1;
	s->b = 0;
	s->pending = 0;
}

static inline void adler_reduce(struct adler *s)
{
	s->a %= ADLER_MOD;
	s->b %= ADLER_MOD;
	s->pending = 0;
}

static inline void adler_byte(struct adler *s, uint8_t v)
{
	if (s->pending >= ADLER_NMAX)
		adler_reduce(s);
	s->a += v;
	s->b += s->a;
	s->pending++;
}

static inline void adler_word(struct adler *s, uint64_t w)
{
	uint32_t a, b;
	unsigned int k;

	if (s->pending > ADLER_NMAX - 8)
		adler_reduce(s);
	a = s->a;
	b = s->b;
	for (k = 0; k < 64; k += 8) {
		a += (uint8_t) (w >> k);
		b += a;
	}
	s->a = a;
	s->b = b;
	s->pending += 8;
}

static uint32_t adler_value(struct adler *s)
{
	adler_reduce(s);
	return s->b << 16 | s->a;
}

/* Writes n pattern bytes into ring[pos..] (wrapping at size), summing them. */
static void ring_write(volatile uint8_t *ring, uint64_t size, uint64_t pos, uint64_t n,
		       struct pattern *p, struct adler *s)
{
	while (n) {
		uint64_t idx = pos % size, span = MIN(n, size - idx);
		volatile uint8_t *q = ring + idx;
		uint64_t left = span;

		while (left && ((uint64_t) q & 7)) {
			uint8_t b = pattern_byte(p);

			adler_byte(s, b);
			*q++ = b;
			left--;
		}
		for (; left >= 8; left -= 8, q += 8) {
			uint64_t w = pattern_word(p);

			adler_word(s, w);
			*(volatile uint64_t *) q = w;
		}
		while (left--) {
			uint8_t b = pattern_byte(p);

			adler_byte(s, b);
			*q++ = b;
		}
		pos += span;
		n -= span;
	}
}

/*
 * Checks n bytes at ring[pos..] against the pattern, summing what it reads. false at the
 * first difference, with its stream offset and both values in res.
 */
static bool ring_check(const volatile uint8_t *ring, uint64_t size, uint64_t pos, uint64_t n,
		       struct pattern *p, struct adler *s, struct ivc_stream_result *res)
{
	while (n) {
		uint64_t idx = pos % size, span = MIN(n, size - idx);
		const volatile uint8_t *q = ring + idx;
		uint64_t left = span;

		while (left) {
			uint64_t at = p->i;
			uint8_t want, got;

			if (!((uint64_t) q & 7) && left >= 8) {
				uint64_t w = *(const volatile uint64_t *) q;
				struct pattern save = *p;

				if (w == pattern_word(p)) {
					adler_word(s, w);
					q += 8;
					left -= 8;
					continue;
				}
				*p = save; /* find the byte below */
			}
			want = pattern_byte(p);
			got = *q++;
			left--;
			adler_byte(s, got);
			if (got != want) {
				res->bad_offset = at;
				res->bad_got = got;
				res->bad_want = want;
				return false;
			}
		}
		pos += span;
		n -= span;
	}
	return true;
}

/* ---- the protocol ---- */

static uint64_t deadline_in(uint64_t us)
{
	return counter_read() + counter_us_to_ticks(us);
}

/* Sleeps until a doorbell or the deadline; false when the deadline has passed already. */
static bool sleep_until(const struct ivc_dev *d, uint64_t deadline)
{
	uint64_t now = counter_read();

	if (now >= deadline)
		return false;
	ivc_wait(d, MAX(counter_ticks_to_us(deadline - now), 1));
	return true;
}

/* Our loads of the peer's data complete before the consumed counter gives the room back. */
static void publish_after_loads(void)
{
	asm volatile("dmb osh" ::: "memory");
}

bool ivc_proto_init(struct ivc_chan *c, struct ivc_dev *d, unsigned int peer, const char **why)
{
	uint64_t half = d->shm_size / 2;
	volatile struct ivc_half *me;

	memset(c, 0, sizeof(*c));
	if (d->flags & IVC_FLAG_READ_ONLY) {
		*why = "this member is read-only";
		return false;
	}
	if (d->id > 1 || peer > 1 || d->id == peer || !(d->members & 1u << peer)) {
		*why = "the protocol runs between members 0 and 1 only";
		return false;
	}
	if (half < 2 * IVC_PROTO_HDR) {
		*why = "shared memory too small for the protocol";
		return false;
	}
	c->dev = d;
	c->peer = peer;
	c->me = me = (volatile struct ivc_half *) (d->shm + d->id * half);
	c->other = (volatile struct ivc_half *) (d->shm + peer * half);
	c->my_ring = d->shm + d->id * half + IVC_PROTO_HDR;
	c->peer_ring = d->shm + peer * half + IVC_PROTO_HDR;
	c->ring_size = half - IVC_PROTO_HDR;
	c->chunk = MIN(CHUNK_MAX, c->ring_size / 2);

	me->magic = 0;
	ivc_publish_barrier();
	me->owner = d->id;
	me->ping = 0;
	me->pong = 0;
	me->produced = 0;
	me->consumed = 0;
	me->stream_len = 0;
	me->stream_sum = 0;
	me->cmd = IVC_CMD_NONE;
	/* cmd_seq is kept (the memory outlives a reboot of this member): a command number the
	 * peer may still be carrying out for our previous life must not be used again. */
	me->cmd_arg = 0;
	me->cmd_done = 0;
	/* A command the peer left from before is not ours to carry out. */
	if (ivc_proto_peer_ready(c)) {
		me->cmd_done = c->other->cmd_seq;
		me->consumed = c->rx_pos = c->other->produced;
	}
	ivc_publish_barrier();
	me->magic = IVC_PROTO_MAGIC;
	dsb(st);
	return true;
}

bool ivc_proto_peer_ready(const struct ivc_chan *c)
{
	bool ready = c->other->magic == IVC_PROTO_MAGIC && c->other->owner == c->peer;

	ivc_consume_barrier();
	return ready;
}

bool ivc_proto_wait_peer(struct ivc_chan *c, uint64_t timeout_us)
{
	uint64_t deadline = deadline_in(timeout_us);
	volatile struct ivc_half *me = c->me, *other = c->other;

	for (;;) {
		ivc_ack(c->dev);
		if (ivc_proto_peer_ready(c))
			break;
		/* The peer may not ring when it comes up: look again every 10 ms. */
		if (!sleep_until(c->dev, MIN(deadline, deadline_in(10000))) &&
		    counter_read() >= deadline)
			return false;
	}
	me->ping = other->pong;
	if (other->cmd_done > me->cmd_seq)
		me->cmd_seq = other->cmd_done;
	c->rx_pos = other->produced;
	ivc_consume_barrier();
	me->consumed = c->rx_pos;
	dsb(st);
	return true;
}

bool ivc_proto_ping(struct ivc_chan *c, uint64_t timeout_us)
{
	uint64_t n = c->me->ping + 1, deadline = deadline_in(timeout_us);

	c->me->ping = n;
	ivc_ring(c->dev, c->peer);
	for (;;) {
		ivc_ack(c->dev);
		if (c->other->pong == n) {
			ivc_consume_barrier();
			return true;
		}
		if (!sleep_until(c->dev, deadline))
			return false;
	}
}

uint64_t ivc_proto_command(struct ivc_chan *c, enum ivc_cmd cmd, uint64_t arg)
{
	uint64_t seq = c->me->cmd_seq + 1;

	c->me->cmd = cmd;
	c->me->cmd_arg = arg;
	ivc_publish_barrier();
	c->me->cmd_seq = seq;
	ivc_ring(c->dev, c->peer);
	return seq;
}

bool ivc_proto_command_done(const struct ivc_chan *c, uint64_t seq)
{
	bool done = c->other->cmd_done == seq;

	ivc_consume_barrier();
	return done;
}

/* Answers the peer's ping if there is a new one; true when it did. */
static bool answer_ping(struct ivc_chan *c)
{
	uint64_t ping = c->other->ping;

	ivc_consume_barrier();
	if (ping == c->me->pong)
		return false;
	c->me->pong = ping;
	ivc_ring(c->dev, c->peer);
	return true;
}

/* Marks command seq done (after everything it published) and rings the peer. */
static void command_done(struct ivc_chan *c, uint64_t seq)
{
	ivc_publish_barrier();
	c->me->cmd_done = seq;
	ivc_ring(c->dev, c->peer);
}

static void serve_stream(struct ivc_chan *c, struct ivc_served *out)
{
	volatile struct ivc_half *me = c->me, *other = c->other;
	uint64_t len = out->arg, seq = out->seq, prod = me->produced, off = 0;
	uint64_t start = counter_read();
	struct pattern p;
	struct adler s;

	pattern_at(&p, 0);
	adler_init(&s);
	me->stream_sum = 0;
	ivc_publish_barrier();
	me->stream_len = len;
	if (!len) {
		me->stream_sum = adler_value(&s);
		command_done(c, seq);
		return;
	}
	while (off < len) {
		uint64_t cons, used, want;

		ivc_ack(c->dev);
		out->pings += answer_ping(c);
		if (!ivc_proto_peer_ready(c) || other->cmd_seq != seq) {
			out->status = IVC_SERVED_ABANDONED;
			break;
		}
		cons = other->consumed;
		ivc_consume_barrier();
		used = prod - cons;
		if (used > c->ring_size) {
			out->status = IVC_SERVED_ABANDONED;
			break;
		}
		want = MIN(c->chunk, len - off);
		if (c->ring_size - used < want) {
			ivc_wait(c->dev, SERVE_POLL_US);
			continue;
		}
		ring_write(c->my_ring, c->ring_size, prod, want, &p, &s);
		off += want;
		prod += want;
		if (off == len)
			me->stream_sum = adler_value(&s);
		ivc_publish_barrier();
		me->produced = prod;
		if (off == len) {
			/* produced, then done: a client may wait for either */
			ivc_publish_barrier();
			me->cmd_done = seq;
		}
		ivc_ring(c->dev, c->peer);
		out->doorbells++;
	}
	out->done = off;
	out->sum = me->stream_sum;
	out->us = counter_us_since(start);
	if (out->status == IVC_SERVED_ABANDONED)
		command_done(c, seq);
}

static void serve_flood(struct ivc_chan *c, struct ivc_served *out)
{
	uint64_t n = MIN(out->arg, (uint64_t) IVC_FLOOD_MAX), i, start = counter_read();

	if (!n)
		command_done(c, out->seq);
	for (i = 0; i < n; i++) {
		if (i == n - 1) { /* the last doorbell also says done */
			ivc_publish_barrier();
			c->me->cmd_done = out->seq;
			dsb(st);
		}
		ivc_reg_write(c->dev, IVC_REG_DOORBELL, (uint32_t) c->peer << 16);
	}
	out->done = n;
	out->us = counter_us_since(start);
	out->sent = ivc_reg(c->dev, IVC_REG_SENT);
	out->limited = ivc_reg(c->dev, IVC_REG_LIMITED);
}

bool ivc_proto_serve(struct ivc_chan *c, struct ivc_served *out)
{
	uint64_t seq;

	memset(out, 0, sizeof(*out));
	if (!ivc_proto_peer_ready(c))
		return false;
	out->pings = answer_ping(c);
	seq = c->other->cmd_seq;
	ivc_consume_barrier();
	if (seq == c->me->cmd_done)
		return out->pings;
	out->seq = seq;
	out->cmd = c->other->cmd;
	out->arg = c->other->cmd_arg;
	ivc_consume_barrier();
	switch (out->cmd) {
	case IVC_CMD_STREAM_TO_ME: serve_stream(c, out); break;
	case IVC_CMD_FLOOD: serve_flood(c, out); break;
	default:
		out->status = IVC_SERVED_UNKNOWN;
		command_done(c, seq);
		break;
	}
	return true;
}

int ivc_proto_stream_to_me(struct ivc_chan *c, uint64_t len, uint64_t timeout_us,
			   struct ivc_stream_result *res)
{
	volatile struct ivc_half *me = c->me, *other = c->other;
	uint64_t start, seq, off = 0, unrung = 0, deadline;
	struct pattern p;
	struct adler s;
	int err = 0;

	memset(res, 0, sizeof(*res));
	pattern_at(&p, 0);
	adler_init(&s);
	/* The ring carries nothing but streams: skip whatever is left in it. */
	c->rx_pos = other->produced;
	ivc_consume_barrier();
	me->consumed = c->rx_pos;

	start = counter_read();
	seq = ivc_proto_command(c, IVC_CMD_STREAM_TO_ME, len);
	deadline = deadline_in(timeout_us);
	while (off < len) {
		uint64_t prod, avail, n;

		ivc_ack(c->dev);
		prod = other->produced;
		ivc_consume_barrier();
		avail = prod - c->rx_pos;
		if (avail > c->ring_size) {
			err = IVC_STREAM_E_OVERRUN;
			break;
		}
		if (!avail) {
			if (unrung) { /* all read: let the producer see the room */
				publish_after_loads();
				me->consumed = c->rx_pos;
				ivc_ring(c->dev, c->peer);
				res->doorbells++;
				unrung = 0;
			}
			if (!sleep_until(c->dev, deadline)) {
				err = IVC_STREAM_E_TIMEOUT;
				break;
			}
			continue;
		}
		n = MIN(MIN(avail, len - off), c->chunk - unrung);
		if (!ring_check(c->peer_ring, c->ring_size, c->rx_pos, n, &p, &s, res)) {
			err = IVC_STREAM_E_DATA;
			break;
		}
		c->rx_pos += n;
		off += n;
		unrung += n;
		publish_after_loads();
		me->consumed = c->rx_pos;
		if (unrung >= c->chunk || off == len) {
			ivc_ring(c->dev, c->peer);
			res->doorbells++;
			unrung = 0;
		}
		deadline = deadline_in(timeout_us);
	}
	res->received = off;
	res->sum = adler_value(&s);
	if (!err) {
		for (;;) { /* the peer marks the command done with its last chunk */
			ivc_ack(c->dev);
			if (ivc_proto_command_done(c, seq))
				break;
			if (!sleep_until(c->dev, deadline)) {
				err = IVC_STREAM_E_TIMEOUT;
				break;
			}
		}
	}
	res->us = counter_us_since(start);
	res->peer_sum = other->stream_sum;
	if (!err && other->stream_len != len)
		err = IVC_STREAM_E_LEN;
	else if (!err && res->peer_sum != res->sum)
		err = IVC_STREAM_E_SUM;
	return err;
}
