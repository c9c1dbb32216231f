/* SPDX-License-Identifier: Apache-2.0 */
/* libivc: ftvisor's inter-VM channels from Linux user space (libivc.h, docs/ivc.md). */
#define _GNU_SOURCE
#include "libivc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIN(a, b)		 ((a) < (b) ? (a) : (b))
#define PCI_COMMAND		 0x04
#define PCI_COMMAND_MEMORY	 0x0002
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PATTERN_K		 0x9e3779b97f4a7c15ULL /* ivc_pattern()'s multiplier */
#define ADLER_MOD		 65521u
#define ADLER_NMAX		 5552u	       /* zlib: bytes before the 32-bit b can overflow */
#define RX_MAX			 (256u * 1024) /* a consumer checks at most this much at once */
#define MAX_DEVS		 32
#define FLOOD_SETTLE_MS		 200 /* a flood is over after this long without a doorbell */

static __thread char errbuf[256];

static void seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void seterr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
}

const char *ivc_error(void)
{
	return errbuf[0] ? errbuf : "no error";
}

uint64_t ivc_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

/* Milliseconds left until deadline (ns), rounded up; 0 when it has passed. */
static int ms_left(uint64_t deadline)
{
	uint64_t now = ivc_now_ns();

	if (now >= deadline)
		return 0;
	return (int) MIN((deadline - now + 999999) / 1000000, (uint64_t) INT32_MAX);
}

static uint64_t deadline_in(int timeout_ms)
{
	return ivc_now_ns() + (uint64_t) (timeout_ms < 0 ? 0 : timeout_ms) * 1000000u;
}

/* ---- the device ---- */

static int read_hex(const char *dir, const char *file, unsigned long *v)
{
	char path[600], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	*v = strtoul(buf, NULL, 16);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int ivc_dev_list(char names[][IVC_PCI_NAME_MAX], int max)
{
	char all[MAX_DEVS][IVC_PCI_NAME_MAX], dir[512];
	unsigned long ven, dev, sven, sdev;
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(IVC_SYSFS_PCI);
	if (!d) {
		seterr("%s: %s", IVC_SYSFS_PCI, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= IVC_PCI_NAME_MAX)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", IVC_SYSFS_PCI, e->d_name);
		if (read_hex(dir, "vendor", &ven) || read_hex(dir, "device", &dev) ||
		    read_hex(dir, "subsystem_vendor", &sven) ||
		    read_hex(dir, "subsystem_device", &sdev))
			continue;
		if (ven != IVC_PCI_VENDOR || dev != IVC_PCI_DEVICE || sven != IVC_PCI_SUBVENDOR ||
		    sdev != IVC_PCI_SUBDEVICE || n == MAX_DEVS)
			continue;
		memcpy(all[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	qsort(all, (size_t) n, sizeof(all[0]), cmp_names);
	for (int i = 0; i < n && i < max; i++)
		memcpy(names[i], all[i], IVC_PCI_NAME_MAX);
	return n;
}

static int cfg_read16(int fd, unsigned int off, uint16_t *v)
{
	return pread(fd, v, 2, off) == 2 ? 0 : -1;
}

static int cfg_write16(int fd, unsigned int off, uint16_t v)
{
	return pwrite(fd, &v, 2, off) == 2 ? 0 : -1;
}

/* The uio node (N of .../uio/uioN) of a PCI device, or -1. */
static int find_uio(const char *dir)
{
	char path[600];
	struct dirent *e;
	int n = -1;
	DIR *d;

	snprintf(path, sizeof(path), "%s/uio", dir);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "uio", 3) && e->d_name[3] >= '0' && e->d_name[3] <= '9') {
			n = atoi(e->d_name + 3);
			break;
		}
	closedir(d);
	return n;
}

static void *map_file(const char *path, size_t len, bool writable)
{
	int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_SYNC | O_CLOEXEC);
	void *p;

	if (fd < 0) {
		seterr("%s: %s", path, strerror(errno));
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		seterr("mmap %s: %s", path, strerror(errno));
		return NULL;
	}
	return p;
}

int ivc_dev_open(struct ivc_dev *d, int index, unsigned int flags)
{
	char names[MAX_DEVS][IVC_PCI_NAME_MAX], dir[512], path[600];
	struct stat st;
	uint32_t magic, reg_size;
	uint16_t cmd;
	int n;

	memset(d, 0, sizeof(*d));
	d->uio = d->uio_fd = d->cfg_fd = -1;
	n = ivc_dev_list(names, MAX_DEVS);
	if (n < 0)
		return -1;
	if (index < 0 || index >= MIN(n, MAX_DEVS)) {
		seterr("no IVC device #%d (%d found with PCI IDs %04x:%04x subsystem %04x:%04x)",
		       index, n, IVC_PCI_VENDOR, IVC_PCI_DEVICE, IVC_PCI_SUBVENDOR,
		       IVC_PCI_SUBDEVICE);
		return -1;
	}
	snprintf(d->pci, sizeof(d->pci), "%s", names[index]);
	snprintf(dir, sizeof(dir), "%s/%s", IVC_SYSFS_PCI, d->pci);

	snprintf(path, sizeof(path), "%s/config", dir);
	d->cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->cfg_fd < 0 || cfg_read16(d->cfg_fd, PCI_COMMAND, &cmd)) {
		seterr("%s: %s", path, strerror(errno));
		goto fail;
	}
	/* Not bound to a driver, the device may not decode memory yet (probe-only bus). */
	if (!(cmd & PCI_COMMAND_MEMORY) &&
	    cfg_write16(d->cfg_fd, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY)) {
		seterr("%s: enabling memory decoding: %s", path, strerror(errno));
		goto fail;
	}
	d->command = (cmd | PCI_COMMAND_MEMORY) & ~PCI_COMMAND_INTX_DISABLE;

	snprintf(path, sizeof(path), "%s/resource0", dir);
	d->regs = map_file(path, IVC_REGS_SIZE, true);
	if (!d->regs)
		goto fail;
	magic = ivc_dev_reg(d, IVC_REG_MAGIC);
	if (magic != IVC_MAGIC) {
		seterr("%s: MAGIC reads 0x%08x, not 0x%08x: not an ftvisor IVC device", d->pci,
		       magic, IVC_MAGIC);
		goto fail;
	}
	d->id = ivc_dev_reg(d, IVC_REG_IVPOSITION);
	d->members = ivc_dev_reg(d, IVC_REG_MEMBERS);
	d->flags = ivc_dev_reg(d, IVC_REG_FLAGS);
	d->channel = ivc_dev_reg(d, IVC_REG_CHANNEL);

	/* Write-combining (Normal non-cacheable): exists only for a prefetchable BAR. */
	snprintf(path, sizeof(path), "%s/resource2_wc", dir);
	if (stat(path, &st) || st.st_size <= 0) {
		seterr("%s: %s (BAR2 must be a prefetchable memory BAR)", path,
		       strerror(errno ? errno : ENOENT));
		goto fail;
	}
	d->shm_size = (uint64_t) st.st_size;
	reg_size = ivc_dev_reg(d, IVC_REG_SHM_SIZE);
	if (reg_size != (uint32_t) d->shm_size) {
		seterr("%s: BAR2 is %" PRIu64 " bytes but SHM_SIZE says %" PRIu32, d->pci,
		       d->shm_size, reg_size);
		goto fail;
	}
	d->shm = map_file(path, d->shm_size,
			  !(d->flags & IVC_FLAG_READ_ONLY) || (flags & IVC_OPEN_FORCE_RW));
	if (!d->shm)
		goto fail;

	d->uio = find_uio(dir);
	if (!(flags & IVC_OPEN_NOIRQ)) {
		if (d->uio < 0) {
			seterr(
			    "%s is not bound to uio_pci_generic (insmod uio.ko uio_pci_generic.ko; "
			    "echo '%04x %04x %04x %04x' "
			    ">/sys/bus/pci/drivers/uio_pci_generic/new_id)",
			    d->pci, IVC_PCI_VENDOR, IVC_PCI_DEVICE, IVC_PCI_SUBVENDOR,
			    IVC_PCI_SUBDEVICE);
			goto fail;
		}
		snprintf(path, sizeof(path), "/dev/uio%d", d->uio);
		d->uio_fd = open(path, O_RDWR | O_CLOEXEC);
		if (d->uio_fd < 0) {
			seterr("%s: %s", path, strerror(errno));
			goto fail;
		}
	}
	/* Only a user that waits for interrupts touches them: INTRSTATUS is read-to-clear, and
	 * another process (a server) may be waiting for this doorbell. */
	if (!(flags & IVC_OPEN_NOIRQ)) {
		ivc_dev_reg_write(d, IVC_REG_INTRMASK, 1);
		d->intx_masked = true; /* an earlier user may have left it masked */
		d->open_status = ivc_dev_arm(d);
	}
	return 0;
fail:
	ivc_dev_close(d);
	return -1;
}

void ivc_dev_close(struct ivc_dev *d)
{
	if (d->shm)
		munmap((void *) (uintptr_t) d->shm, d->shm_size);
	if (d->regs)
		munmap((void *) (uintptr_t) d->regs, IVC_REGS_SIZE);
	if (d->uio_fd >= 0)
		close(d->uio_fd);
	if (d->cfg_fd >= 0)
		close(d->cfg_fd);
	d->shm = NULL;
	d->regs = NULL;
	d->uio_fd = d->cfg_fd = -1;
}

uint32_t ivc_dev_reg(const struct ivc_dev *d, unsigned int off)
{
	const volatile uint32_t *p = d->regs + off / 4;
	uint32_t v;

#if defined(__aarch64__)
	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
#else
	v = *p;
#endif
	return v;
}

void ivc_dev_reg_write(const struct ivc_dev *d, unsigned int off, uint32_t v)
{
	volatile uint32_t *p = d->regs + off / 4;

#if defined(__aarch64__)
	asm volatile("str %w0, [%1]" : : "r"(v), "r"(p) : "memory");
#else
	*p = v;
#endif
}

void ivc_dev_ring(const struct ivc_dev *d, unsigned int peer)
{
	ivc_dsb_st();
	ivc_dev_reg_write(d, IVC_REG_DOORBELL, (uint32_t) peer << 16);
}

uint32_t ivc_dev_arm(struct ivc_dev *d)
{
	uint32_t status = ivc_dev_reg(d, IVC_REG_INTRSTATUS); /* clears it, lowers INTx */

	/* uio_pci_generic masked INTx in its handler and cannot unmask it (no irqcontrol):
	 * clear the command register's INTx Disable bit through the config space file. The
	 * other bits do not change (memory decoding on, the rest unused by this device): one
	 * write, no read. */
	if (d->intx_masked && d->cfg_fd >= 0 && !cfg_write16(d->cfg_fd, PCI_COMMAND, d->command))
		d->intx_masked = false;
	return status;
}

int ivc_dev_wait(struct ivc_dev *d, int timeout_ms)
{
	struct pollfd p = {.fd = d->uio_fd, .events = POLLIN};
	uint32_t count;
	int r;

	if (d->uio_fd < 0) {
		seterr("%s: no /dev/uioN to wait on", d->pci);
		return -1;
	}
	r = poll(&p, 1, timeout_ms);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		seterr("poll /dev/uio%d: %s", d->uio, strerror(errno));
		return -1;
	}
	if (r == 0)
		return 0;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
		seterr("/dev/uio%d: no interrupt (revents 0x%x)", d->uio, p.revents);
		return -1;
	}
	if (read(d->uio_fd, &count, sizeof(count)) != sizeof(count)) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		seterr("read /dev/uio%d: %s", d->uio, strerror(errno));
		return -1;
	}
	d->intx_masked = true;
	d->interrupts++;
	return 1;
}

/* ---- the test pattern and its checksum ---- */

void ivc_sum_fast(struct ivc_sum *s, const uint8_t *p, size_t n)
{
	uint32_t a = s->a, b = s->b;

	while (n) {
		size_t k = MIN(n, (size_t) ADLER_NMAX);

		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= ADLER_MOD;
		b %= ADLER_MOD;
	}
	s->a = a;
	s->b = b;
}

void ivc_pattern_fill(uint8_t *buf, uint64_t i, size_t n)
{
	uint64_t x = i * PATTERN_K;

	for (size_t k = 0; k < n; k++, i++, x += PATTERN_K)
		buf[k] = (uint8_t) (x >> 56 ^ i);
}

size_t ivc_pattern_check(const uint8_t *buf, uint64_t i, size_t n)
{
	uint64_t x = i * PATTERN_K;
	uint8_t diff = 0;
	size_t k;

	/* Branch-free in blocks; find the byte only when a block differs. */
	for (k = 0; k + 64 <= n; k += 64) {
		for (size_t j = 0; j < 64; j++, x += PATTERN_K)
			diff |= buf[k + j] ^ (uint8_t) (x >> 56 ^ (i + k + j));
		if (diff)
			break;
	}
	for (x = (i + k) * PATTERN_K; k < n; k++, x += PATTERN_K)
		if (buf[k] != (uint8_t) (x >> 56 ^ (i + k)))
			return k;
	return n;
}

/* ---- the protocol ---- */

static void ring_put(volatile uint8_t *ring, uint64_t size, uint64_t pos, const uint8_t *src,
		     uint64_t n)
{
	uint64_t at = pos % size, first = MIN(n, size - at);

	memcpy((void *) (uintptr_t) (ring + at), src, first);
	if (n > first)
		memcpy((void *) (uintptr_t) ring, src + first, n - first);
}

static void ring_get(const volatile uint8_t *ring, uint64_t size, uint64_t pos, uint8_t *dst,
		     uint64_t n)
{
	uint64_t at = pos % size, first = MIN(n, size - at);

	memcpy(dst, (const void *) (uintptr_t) (ring + at), first);
	if (n > first)
		memcpy(dst + first, (const void *) (uintptr_t) ring, n - first);
}

int ivc_chan_init(struct ivc_chan *c, volatile void *shm, uint64_t shm_size, unsigned int me,
		  unsigned int peer, struct ivc_dev *dev)
{
	uint64_t half = shm_size / 2 & ~7ULL, ping = 0, seq = 0, done = 0, rx = 0, peer_done;
	volatile uint8_t *base = shm;
	volatile struct ivc_half *own;

	memset(c, 0, sizeof(*c));
	if (dev && (dev->flags & IVC_FLAG_READ_ONLY)) {
		seterr("member %u of channel %u is read-only: it cannot take part in the protocol",
		       me, dev->channel);
		return -1;
	}
	if (me > 1 || peer > 1 || me == peer) {
		seterr(
		    "the protocol runs between members 0 and 1 only (this is member %u, peer %u)",
		    me, peer);
		return -1;
	}
	if (dev && !(dev->members & 1u << peer)) {
		seterr("member %u is not in channel %u (MEMBERS 0x%x)", peer, dev->channel,
		       dev->members);
		return -1;
	}
	if (half < 2 * IVC_PROTO_HDR) {
		seterr("shared memory of %" PRIu64
		       " bytes is too small for the protocol (%u needed)",
		       shm_size, 4 * IVC_PROTO_HDR);
		return -1;
	}
	c->dev = dev;
	c->me = me;
	c->peer = peer;
	c->own = own = (volatile struct ivc_half *) (base + me * half);
	c->other = (volatile struct ivc_half *) (base + peer * half);
	c->own_ring = base + me * half + IVC_PROTO_HDR;
	c->peer_ring = base + peer * half + IVC_PROTO_HDR;
	c->ring_size = half - IVC_PROTO_HDR;
	c->chunk = MIN((uint64_t) IVC_CHUNK_MAX, c->ring_size / 2);

	/* A command posted by the previous user of this half may still be under way: its
	 * cmd_seq is never posted again for another command. */
	if (own->magic == IVC_PROTO_MAGIC && own->owner == me)
		seq = own->cmd_seq;
	ivc_rmb();
	own->magic = 0;
	ivc_wmb();
	own->owner = me;
	own->pong = 0;
	own->produced = 0;
	own->stream_len = 0;
	own->stream_sum = 0;
	own->cmd = IVC_CMD_NONE;
	own->cmd_arg = 0;
	/* A command the peer left is not ours to carry out, what its ring holds not ours to
	 * read; as a client, go on from where the peer is. */
	if (ivc_peer_ready(c)) {
		done = c->other->cmd_seq;
		rx = c->other->produced;
		ping = c->other->pong;
		peer_done = c->other->cmd_done;
		ivc_rmb();
		if (peer_done > seq)
			seq = peer_done;
	}
	own->cmd_done = done;
	own->consumed = c->rx_pos = rx;
	ivc_wmb(); /* cmd before cmd_seq: a server never sees a new seq with an old cmd */
	own->ping = ping;
	own->cmd_seq = seq;
	ivc_wmb();
	own->magic = IVC_PROTO_MAGIC;
	ivc_dsb_st();
	return 0;
}

int ivc_chan_open(struct ivc_chan *c, struct ivc_dev *d, unsigned int peer)
{
	return ivc_chan_init(c, d->shm, d->shm_size, d->id, peer, d);
}

void ivc_arm(struct ivc_chan *c)
{
	if (c->dev && !c->poll)
		ivc_dev_arm(c->dev);
}

int ivc_wait(struct ivc_chan *c, int timeout_ms)
{
	int r;

	if (!c->dev || c->poll) {
		sched_yield();
		return 0;
	}
	r = ivc_dev_wait(c->dev, timeout_ms);
	if (r > 0)
		c->wakeups++;
	return r;
}

void ivc_ring(struct ivc_chan *c)
{
	if (c->dev)
		ivc_dev_ring(c->dev, c->peer);
	else
		ivc_dsb_st();
	c->doorbells++;
}

bool ivc_peer_ready(struct ivc_chan *c)
{
	bool ready = c->other->magic == IVC_PROTO_MAGIC && c->other->owner == c->peer;

	ivc_rmb();
	return ready;
}

int ivc_wait_peer(struct ivc_chan *c, int timeout_ms)
{
	uint64_t deadline = deadline_in(timeout_ms);
	volatile struct ivc_half *own = c->own, *other = c->other;

	for (;;) {
		ivc_arm(c);
		if (ivc_peer_ready(c))
			break;
		if (!ms_left(deadline)) {
			seterr(
			    "member %u's half of the shared memory is not ready (no server there?)",
			    c->peer);
			return -1;
		}
		/* The peer may not ring when it comes up: look again every 10 ms. */
		if (ivc_wait(c, MIN(ms_left(deadline), 10)) < 0)
			return -1;
	}
	own->ping = other->pong;
	if (other->cmd_done > own->cmd_seq) /* see ivc_chan_init */
		own->cmd_seq = other->cmd_done;
	c->rx_pos = other->produced;
	ivc_rmb();
	own->consumed = c->rx_pos;
	ivc_dsb_st();
	return 0;
}

int ivc_ping(struct ivc_chan *c, int timeout_ms)
{
	uint64_t n = c->own->ping + 1, deadline = deadline_in(timeout_ms);

	c->own->ping = n;
	ivc_ring(c);
	for (;;) {
		ivc_arm(c);
		if (c->other->pong == n) {
			ivc_rmb();
			return 0;
		}
		if (!ms_left(deadline)) {
			seterr("no pong %" PRIu64 " from member %u within %d ms (pong is %" PRIu64
			       ")",
			       n, c->peer, timeout_ms, (uint64_t) c->other->pong);
			return -1;
		}
		if (ivc_wait(c, ms_left(deadline)) < 0)
			return -1;
	}
}

uint64_t ivc_command(struct ivc_chan *c, enum ivc_cmd cmd, uint64_t arg)
{
	uint64_t seq = c->own->cmd_seq + 1;

	c->own->cmd = cmd;
	c->own->cmd_arg = arg;
	ivc_wmb();
	c->own->cmd_seq = seq;
	ivc_ring(c);
	return seq;
}

bool ivc_command_done(struct ivc_chan *c, uint64_t seq)
{
	bool done = c->other->cmd_done == seq;

	ivc_rmb();
	return done;
}

int ivc_command_wait(struct ivc_chan *c, uint64_t seq, int timeout_ms)
{
	uint64_t deadline = deadline_in(timeout_ms);

	for (;;) {
		ivc_arm(c);
		if (ivc_command_done(c, seq))
			return 0;
		if (!ms_left(deadline)) {
			seterr("member %u did not carry out command %" PRIu64 " within %d ms "
			       "(its cmd_done is %" PRIu64 ")",
			       c->peer, seq, timeout_ms, (uint64_t) c->other->cmd_done);
			return -1;
		}
		if (ivc_wait(c, ms_left(deadline)) < 0)
			return -1;
	}
}

/* ---- the server ---- */

void ivc_server_init(struct ivc_server *s, struct ivc_chan *c)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->state = IVC_SRV_IDLE;
	s->corrupt_at = UINT64_MAX;
}

/* The command being carried out is over: done (or dropped), cmd_done says so, ring. */
static void server_finish(struct ivc_server *s, bool abandoned, bool publish)
{
	struct ivc_chan *c = s->c;

	s->finished = true;
	s->last_abandoned = abandoned;
	s->last_done = s->state == IVC_SRV_STREAM ? s->off : s->last_arg - s->flood_left;
	if (abandoned)
		s->abandoned++;
	s->state = IVC_SRV_IDLE;
	if (publish) {
		ivc_wmb();
		c->own->cmd_done = s->seq;
		ivc_ring(c);
	}
}

static void server_start(struct ivc_server *s, uint64_t seq, uint32_t cmd, uint64_t arg)
{
	volatile struct ivc_half *own = s->c->own;

	s->commands++;
	s->seq = seq;
	s->cmd = cmd;
	s->arg = arg;
	s->last_cmd = cmd;
	s->last_arg = arg;
	s->last_sum = 0;
	switch (cmd) {
	case IVC_CMD_STREAM_TO_ME:
		s->streams++;
		s->state = IVC_SRV_STREAM;
		s->len = arg;
		s->off = 0;
		s->prod = own->produced;
		ivc_sum_init(&s->sum);
		own->stream_sum = 0;
		ivc_wmb();
		own->stream_len = arg;
		if (!arg) {
			own->stream_sum = s->last_sum = ivc_sum_value(&s->sum);
			server_finish(s, false, true);
		}
		break;
	case IVC_CMD_FLOOD:
		s->floods++;
		s->state = IVC_SRV_FLOOD;
		s->last_arg = arg = MIN(arg, (uint64_t) IVC_FLOOD_MAX);
		s->flood_left = arg;
		if (!arg)
			server_finish(s, false, true);
		break;
	default: /* IVC_CMD_NONE or unknown: nothing to do but say done */
		s->state = IVC_SRV_IDLE;
		s->flood_left = 0;
		s->last_arg = 0;
		server_finish(s, false, true);
		break;
	}
}

static int server_stream(struct ivc_server *s)
{
	struct ivc_chan *c = s->c;
	volatile struct ivc_half *own = c->own;
	uint8_t buf[IVC_CHUNK_MAX];
	uint64_t cons, used, want;

	cons = c->other->consumed;
	ivc_rmb(); /* the peer's loads of what it consumed come before our stores */
	used = s->prod - cons;
	if (used > c->ring_size) { /* the peer's consumed counter is out of range */
		server_finish(s, true, true);
		return 1;
	}
	want = MIN(c->chunk, s->len - s->off);
	if (c->ring_size - used < want)
		return 0; /* wait for room */
	ivc_pattern_fill(buf, s->off, want);
	ivc_sum_fast(&s->sum, buf, want);
	if (s->corrupt_at - s->off < want)
		buf[s->corrupt_at - s->off] ^= 0x40;
	ring_put(c->own_ring, c->ring_size, s->prod, buf, want);
	s->off += want;
	s->prod += want;
	s->stream_bytes += want;
	if (s->off == s->len)
		own->stream_sum = s->last_sum = ivc_sum_value(&s->sum);
	ivc_wmb();
	own->produced = s->prod;
	if (s->off == s->len)
		server_finish(s, false, true); /* produced, then done; one doorbell for both */
	else
		ivc_ring(c);
	return 1;
}

static int server_flood(struct ivc_server *s)
{
	struct ivc_chan *c = s->c;

	/* A few at a time, so that pings and a new command are seen in between. */
	for (int i = 0; i < 256 && s->flood_left > 1; i++, s->flood_left--) {
		if (c->dev)
			ivc_dev_ring(c->dev, c->peer);
		s->flood_rings++;
	}
	if (s->flood_left == 1) { /* the last doorbell also says done */
		s->flood_left = 0;
		s->flood_rings++;
		server_finish(s, false, true);
	}
	return 1;
}

int ivc_server_step(struct ivc_server *s)
{
	struct ivc_chan *c = s->c;
	volatile struct ivc_half *own = c->own, *other = c->other;
	uint64_t ping, seq, arg;
	uint32_t cmd;
	int did = 0;

	if (!ivc_peer_ready(c)) {
		if (s->state != IVC_SRV_IDLE)
			server_finish(s, true, false); /* the peer went away */
		return 0;
	}
	ping = other->ping;
	ivc_rmb();
	if (ping != own->pong) {
		own->pong = ping;
		ivc_ring(c);
		s->pings++;
		did = 1;
	}
	seq = other->cmd_seq;
	ivc_rmb();
	if (s->state != IVC_SRV_IDLE) {
		cmd = other->cmd;
		arg = other->cmd_arg;
		/* The peer moved on: a new command, or a new client that posted another command
		 * under the same cmd_seq. */
		if (seq != s->seq || cmd != s->cmd || arg != s->arg) {
			server_finish(s, true, true);
			return 1; /* the new command in the next step (one finish per step) */
		}
	}
	if (s->state == IVC_SRV_IDLE && seq != own->cmd_done) {
		cmd = other->cmd;
		arg = other->cmd_arg;
		ivc_rmb();
		server_start(s, seq, cmd, arg);
		did = 1;
	}
	if (s->state == IVC_SRV_STREAM)
		did |= server_stream(s);
	else if (s->state == IVC_SRV_FLOOD)
		did |= server_flood(s);
	return did;
}

void ivc_serve(struct ivc_server *s, volatile sig_atomic_t *stop,
	       void (*on_finish)(struct ivc_server *s))
{
	while (!*stop) {
		int did;

		ivc_arm(s->c);
		did = ivc_server_step(s);
		if (s->finished) {
			s->finished = false;
			if (on_finish)
				on_finish(s);
		}
		if (did)
			continue;
		/* Look again now and then even without a doorbell (a peer that comes up). */
		if (ivc_wait(s->c, s->state == IVC_SRV_IDLE ? 1000 : 100) < 0)
			break;
	}
}

/* ---- the stream client ---- */

const char *ivc_stream_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case IVC_STREAM_E_TIMEOUT: return "time-out: the peer stopped producing";
	case IVC_STREAM_E_DATA: return "a byte differs from the pattern";
	case IVC_STREAM_E_SUM: return "the checksums differ";
	case IVC_STREAM_E_LEN: return "the peer's stream_len is wrong";
	case IVC_STREAM_E_OVERRUN: return "the peer produced more than its ring holds";
	case IVC_STREAM_E_PEER: return "the peer does not answer commands";
	default: return "unknown error";
	}
}

int ivc_stream_receive(struct ivc_chan *c, uint64_t len, int timeout_ms,
		       struct ivc_stream_result *r)
{
	volatile struct ivc_half *own = c->own, *other = c->other;
	uint64_t seq, off = 0, t0, deadline, d0 = c->doorbells;
	struct ivc_sum sum;
	uint8_t *buf;
	int err = 0;

	memset(r, 0, sizeof(*r));
	buf = malloc(RX_MAX);
	if (!buf) {
		seterr("out of memory");
		return IVC_STREAM_E_PEER;
	}
	ivc_sum_init(&sum);
	/* The peer drops any stream it still produces for an earlier client before it marks
	 * this done; then the ring is ours to resynchronise. */
	seq = ivc_command(c, IVC_CMD_NONE, 0);
	if (ivc_command_wait(c, seq, timeout_ms)) {
		free(buf);
		return IVC_STREAM_E_PEER;
	}
	c->rx_pos = other->produced;
	ivc_rmb();
	own->consumed = c->rx_pos; /* ivc_command's barrier orders it before cmd_seq */

	t0 = ivc_now_ns();
	seq = ivc_command(c, IVC_CMD_STREAM_TO_ME, len);
	deadline = deadline_in(timeout_ms);
	while (off < len) {
		uint64_t prod, avail, n;
		size_t bad;

		ivc_arm(c);
		prod = other->produced;
		ivc_rmb();
		avail = prod - c->rx_pos;
		if (avail > c->ring_size) {
			seterr("member %u's produced is %" PRIu64 ", %" PRIu64
			       " bytes ahead of what was consumed; its ring holds %" PRIu64,
			       c->peer, prod, avail, c->ring_size);
			err = IVC_STREAM_E_OVERRUN;
			break;
		}
		if (!avail) {
			if (!ms_left(deadline)) {
				seterr("no data from member %u for %d ms", c->peer, timeout_ms);
				err = IVC_STREAM_E_TIMEOUT;
				break;
			}
			if (ivc_wait(c, ms_left(deadline)) < 0) {
				err = IVC_STREAM_E_TIMEOUT;
				break;
			}
			continue;
		}
		n = MIN(MIN(avail, len - off), (uint64_t) RX_MAX);
		ring_get(c->peer_ring, c->ring_size, c->rx_pos, buf, n);
		bad = ivc_pattern_check(buf, off, n);
		if (bad < n) {
			r->bad_offset = off + bad;
			r->bad_got = buf[bad];
			r->bad_want = ivc_pattern(off + bad);
			seterr("byte %" PRIu64 " is 0x%02x, not 0x%02x", r->bad_offset, r->bad_got,
			       r->bad_want);
			off += bad;
			err = IVC_STREAM_E_DATA;
			break;
		}
		ivc_sum_fast(&sum, buf, n);
		c->rx_pos += n;
		off += n;
		ivc_mb(); /* our loads of the data before the counter that frees the room */
		own->consumed = c->rx_pos;
		ivc_ring(c);
		deadline = deadline_in(timeout_ms);
	}
	r->ns = ivc_now_ns() - t0;
	r->received = off;
	r->sum = ivc_sum_value(&sum);
	/* The peer published stream_sum before its last produced, cmd_done after it. */
	if (!err && ivc_command_wait(c, seq, timeout_ms))
		err = IVC_STREAM_E_TIMEOUT;
	r->peer_len = other->stream_len;
	r->peer_sum = other->stream_sum;
	if (!err && r->peer_len != len) {
		seterr("member %u's stream_len is %" PRIu64 ", not %" PRIu64, c->peer, r->peer_len,
		       len);
		err = IVC_STREAM_E_LEN;
	} else if (!err && r->peer_sum != r->sum) {
		seterr("member %u's stream_sum is 0x%08x, what arrived sums to 0x%08x", c->peer,
		       r->peer_sum, r->sum);
		err = IVC_STREAM_E_SUM;
	}
	r->doorbells = c->doorbells - d0;
	free(buf);
	return err;
}

int ivc_flood(struct ivc_chan *c, uint64_t n, int timeout_ms, uint64_t *received, uint64_t *ns)
{
	const uint64_t settle = FLOOD_SETTLE_MS * 1000000ULL;
	uint32_t r0 = c->dev ? ivc_dev_reg(c->dev, IVC_REG_RECEIVED) : 0;
	uint64_t want = MIN(n, (uint64_t) IVC_FLOOD_MAX), got = 0, seq, t0, last, now, deadline;
	bool done;

	t0 = last = ivc_now_ns();
	seq = ivc_command(c, IVC_CMD_FLOOD, n);
	deadline = deadline_in(timeout_ms);
	for (;;) {
		ivc_arm(c);
		done = ivc_command_done(c, seq);
		now = ivc_now_ns();
		if (c->dev) {
			uint64_t cur = (uint32_t) (ivc_dev_reg(c->dev, IVC_REG_RECEIVED) - r0);

			if (cur != got) {
				got = cur;
				last = now;
				deadline = deadline_in(timeout_ms);
			}
		} else if (done) {
			got = want;
			last = now;
		}
		/* Done, and no doorbell for a while: a rate-limited one that waited is in. */
		if (done && (!c->dev || now - last >= settle))
			break;
		if (!done && !ms_left(deadline)) {
			*received = got;
			*ns = last - t0;
			seterr("flood from member %u: not done after %d ms without a doorbell "
			       "(%" PRIu64 " arrived)",
			       c->peer, timeout_ms, got);
			return -1;
		}
		if (ivc_wait(c, done ? (int) ((last + settle - now) / 1000000 + 1)
				     : ms_left(deadline)) < 0)
			return -1;
	}
	*ns = last - t0;
	*received = got;
	return 0;
}

int64_t ivc_parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end || v > (unsigned long long) INT64_MAX >> shift)
		return -1;
	return (int64_t) (v << shift);
}
