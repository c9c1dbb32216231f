/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivcpeer: one end of an inter-VM channel (docs/ivc.md) with the ivc_proto.h protocol, or
 * a check of the channel's isolation rules. The bootargs pick what it does:
 *
 *   ivcpeer.mode=serve     (default) `ivcpeer: member M of members 0xB serving`, then answers
 *                          pings and carries out the peer's commands for ever, sleeping in
 *                          WFI between doorbells: a stream of arg bytes of ivc_pattern through
 *                          its ring (`ivcpeer: stream done bytes= sum= us= doorbells=`), or a
 *                          flood of arg doorbells (`ivcpeer: flood done n= limited= sent=`)
 *   ivcpeer.mode=ping      client: `PASS ivc-bm-ping count=1000 min_us= median_us= p99_us=
 *                          max_us=` (round trips after 10 unmeasured ones), then asks for a
 *                          64 MiB stream, checks every byte and the checksum:
 *                          `PASS ivc-bm-stream bytes=67108864 MiB/s= sum=0x`; with
 *                          ivcpeer.flood=N it then asks for a flood of N doorbells and waits
 *                          for it to be done (`PASS ivc-bm-flood n=N received=R ...`); DONE
 *   ivcpeer.mode=flood     rings the peer as fast as it can for ever (`ivcpeer: flooding peer
 *                          P`), every second of virtual time `ivcpeer: flood sent= limited=`
 *   ivcpeer.mode=readonly  ivc-ro-flag, ivc-ro-read (peer_magic=yes when a peer's half
 *                          showed IVC_PROTO_MAGIC within 5 s), ivc-ro-write-faults, DONE
 *   ivcpeer.mode=badbell   rings a non-member and itself: ivc-bad-doorbell-counted (BAD up by
 *                          2, SENT unchanged), DONE
 *   ivcpeer.mode=outsider  for a VM in no channel: ivc-outsider-faults (loads from
 *                          IVC_PREF_IPA and IVC_MMIO32_IPA take a data abort),
 *                          ivc-outsider-no-endpoint (the ECAM window faults or shows no IVC
 *                          endpoint; `ivcpeer: ecam ...` says which), DONE
 *
 * Other words: ivcpeer.peer=N (default: the lowest other member), ivcpeer.index=K (the K-th
 * IVC endpoint, default 0), ivcpeer.count=N (ping round trips, default 1000),
 * ivcpeer.bytes=N (stream length, default 64 MiB). Numbers are decimal or 0x hex.
 *
 * Single vCPU, MMU off, interrupts masked at PSTATE (lib/ivc.h).
 */
#include "guest.h"
#include "stats.h"
#include "ivc.h"

#define DEFAULT_PINGS	  1000
#define MAX_PINGS	  10000
#define WARMUP_PINGS	  10
#define DEFAULT_BYTES	  MiB(64)
#define PEER_TIMEOUT_US	  30000000 /* for the peer's half to appear */
#define PING_TIMEOUT_US	  1000000
#define PING_SPACING_US	  100	  /* between sends: 2x the default doorbell interval */
#define STREAM_TIMEOUT_US 5000000 /* without progress */
#define FLOOD_REPORT_US	  1000000
#define RO_MAGIC_WAIT_US  5000000
#define BAD_PEER	  7

static uint64_t samples[MAX_PINGS];
static struct ivc_dev dev;
static struct ivc_chan chan;

/* ---- bootargs ---- */

/* The value of the word key=value in the bootargs (words are separated by spaces). */
static bool bootarg(const char *key, char *buf, size_t size)
{
	const char *p = dtb_bootargs();
	size_t klen = strlen(key);

	while (p && *p) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t) (end - p) : strlen(p);

		if (n > klen && p[klen] == '=' && !strncmp(p, key, klen)) {
			size_t vlen = MIN(n - klen - 1, size - 1);

			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

static bool parse_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10, digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		v = v * base + d;
	}
	*out = v;
	return digits > 0;
}

/* key=number from the bootargs, else def (a malformed number is reported and ignored). */
static uint64_t bootarg_number(const char *key, uint64_t def)
{
	char buf[24];
	uint64_t v;

	if (!bootarg(key, buf, sizeof(buf)))
		return def;
	if (parse_number(buf, &v))
		return v;
	printf("ivcpeer: ignoring %s=%s (not a number)\n", key, buf);
	return def;
}

/* ---- common ---- */

static void open_or_die(void)
{
	unsigned int index = (unsigned int) bootarg_number("ivcpeer.index", 0);
	const char *why = "";

	if (!ivc_open(index, &dev, &why)) {
		test_fail("ivc-open", "endpoint %u (%u found, ECAM 0x%lx): %s", index, ivc_count(),
			  ivc_ecam_base(), why);
		test_done();
	}
	printf("ivcpeer: slot %u channel %u member %u members 0x%x flags 0x%x shm 0x%lx+0x%lx "
	       "regs 0x%lx intid %u\n",
	       dev.slot, dev.channel, dev.id, dev.members, dev.flags, (uint64_t) dev.shm,
	       dev.shm_size, dev.regs, dev.intid);
}

static unsigned int peer_or_die(void)
{
	int other = ivc_other_member(&dev);
	uint64_t peer = bootarg_number("ivcpeer.peer", other < 0 ? 0 : (uint64_t) other);

	if (other < 0 || peer >= 32 || peer == dev.id || !(dev.members & 1u << peer)) {
		test_fail("ivc-peer", "peer %lu is not another member (members 0x%x, me %u)", peer,
			  dev.members, dev.id);
		test_done();
	}
	return (unsigned int) peer;
}

static void proto_or_die(unsigned int peer)
{
	const char *why = "";

	if (!ivc_proto_init(&chan, &dev, peer, &why)) {
		test_fail("ivc-proto-init", "member %u, peer %u: %s", dev.id, peer, why);
		test_done();
	}
}

/* ---- serve ---- */

static void __noreturn serve(void)
{
	unsigned int peer = peer_or_die();
	struct ivc_served out;

	proto_or_die(peer);
	printf("ivcpeer: member %u of members 0x%x serving\n", dev.id, dev.members);
	for (;;) {
		ivc_ack(&dev);
		if (!ivc_proto_serve(&chan, &out)) {
			ivc_wait(&dev, 0);
			continue;
		}
		if (out.cmd == IVC_CMD_NONE)
			continue; /* a ping: silent */
		if (out.status == IVC_SERVED_UNKNOWN)
			printf("ivcpeer: unknown command %u arg 0x%lx (seq %lu) ignored\n", out.cmd,
			       out.arg, out.seq);
		else if (out.cmd == IVC_CMD_STREAM_TO_ME)
			printf(
			    "ivcpeer: stream %s bytes=%lu of %lu sum=0x%08x us=%lu doorbells=%u\n",
			    out.status == IVC_SERVED_OK ? "done" : "abandoned", out.done, out.arg,
			    out.sum, out.us, out.doorbells);
		else
			printf("ivcpeer: flood done n=%lu limited=%u sent=%u\n", out.done,
			       out.limited, out.sent);
	}
}

/* ---- ping ---- */

/*
 * One ping no sooner than PING_SPACING_US after the previous one started: each side rings
 * once per round trip, and a sender above the channel's rate (default 20000/s after a short
 * burst) would have its doorbell delivered a millisecond late. The wait is not measured.
 */
static bool paced_ping(uint64_t *last, uint64_t *rtt)
{
	uint64_t spacing = counter_us_to_ticks(PING_SPACING_US), t0;

	while (counter_read() - *last < spacing)
		cpu_relax();
	t0 = counter_read();
	*last = t0;
	if (!ivc_proto_ping(&chan, PING_TIMEOUT_US))
		return false;
	*rtt = counter_read() - t0;
	return true;
}

static void ping_test(unsigned int count)
{
	uint64_t last = 0, rtt;
	unsigned int i;

	for (i = 0; i < WARMUP_PINGS; i++)
		if (!paced_ping(&last, &rtt)) {
			test_fail("ivc-bm-ping", "warm-up ping %u: no pong within %d ms (pong %lu)",
				  i + 1, PING_TIMEOUT_US / 1000, chan.other->pong);
			return;
		}
	for (i = 0; i < count; i++) {
		if (!paced_ping(&last, &samples[i])) {
			test_fail("ivc-bm-ping",
				  "ping %u of %u: no pong within %d ms (ping %lu pong %lu)", i + 1,
				  count, PING_TIMEOUT_US / 1000, chan.me->ping, chan.other->pong);
			return;
		}
	}
	stats_sort(samples, count);
	test_pass("ivc-bm-ping",
		  "count=%u min_us=%lu median_us=%lu p99_us=%lu max_us=%lu limited=%u", count,
		  counter_ticks_to_us(samples[0]),
		  counter_ticks_to_us(stats_percentile(samples, count, 50)),
		  counter_ticks_to_us(stats_percentile(samples, count, 99)),
		  counter_ticks_to_us(samples[count - 1]), ivc_reg(&dev, IVC_REG_LIMITED));
}

static void stream_test(uint64_t bytes)
{
	struct ivc_stream_result r;
	int err = ivc_proto_stream_to_me(&chan, bytes, STREAM_TIMEOUT_US, &r);
	uint64_t tenths = r.us ? bytes * 10000000 / r.us / MiB(1) : 0;

	switch (err) {
	case 0:
		test_pass("ivc-bm-stream", "bytes=%lu MiB/s=%lu.%lu sum=0x%08x us=%lu doorbells=%u",
			  bytes, tenths / 10, tenths % 10, r.sum, r.us, r.doorbells);
		break;
	case IVC_STREAM_E_DATA:
		test_fail("ivc-bm-stream", "byte %lu is 0x%02x, want 0x%02x", r.bad_offset,
			  r.bad_got, r.bad_want);
		break;
	case IVC_STREAM_E_SUM:
		test_fail("ivc-bm-stream", "sum 0x%08x, peer's stream_sum 0x%08x", r.sum,
			  r.peer_sum);
		break;
	case IVC_STREAM_E_LEN:
		test_fail("ivc-bm-stream", "peer's stream_len %lu, want %lu",
			  chan.other->stream_len, bytes);
		break;
	case IVC_STREAM_E_OVERRUN:
		test_fail("ivc-bm-stream",
			  "peer produced %lu, more than the %lu-byte ring past %lu",
			  chan.other->produced, chan.ring_size, chan.rx_pos);
		break;
	default:
		test_fail("ivc-bm-stream",
			  "no progress for %d ms at %lu of %lu bytes (produced %lu cmd_done %lu)",
			  STREAM_TIMEOUT_US / 1000, r.received, bytes, chan.other->produced,
			  chan.other->cmd_done);
		break;
	}
}

/*
 * Asks the peer for a flood of n doorbells and waits for it to say done (its last doorbell),
 * failing after STREAM_TIMEOUT_US without any doorbell: the flood takes as long as the
 * peer's n trapped writes.
 */
static void flood_command(uint64_t n)
{
	uint32_t received = ivc_reg(&dev, IVC_REG_RECEIVED);
	uint64_t start = counter_read(), seq = ivc_proto_command(&chan, IVC_CMD_FLOOD, n);
	unsigned int wakeups = 0;

	for (;;) {
		ivc_ack(&dev);
		if (ivc_proto_command_done(&chan, seq))
			break;
		if (!ivc_wait(&dev, STREAM_TIMEOUT_US)) {
			test_fail("ivc-bm-flood",
				  "no doorbell for %d ms during a flood of %lu (%u "
				  "received)",
				  STREAM_TIMEOUT_US / 1000, n,
				  ivc_reg(&dev, IVC_REG_RECEIVED) - received);
			return;
		}
		wakeups++;
	}
	test_pass("ivc-bm-flood", "n=%lu received=%u wakeups=%u us=%lu", n,
		  ivc_reg(&dev, IVC_REG_RECEIVED) - received, wakeups, counter_us_since(start));
}

static void __noreturn ping(void)
{
	unsigned int peer = peer_or_die();
	uint64_t count = bootarg_number("ivcpeer.count", DEFAULT_PINGS);
	uint64_t bytes = bootarg_number("ivcpeer.bytes", DEFAULT_BYTES);
	uint64_t floods = bootarg_number("ivcpeer.flood", 0);

	if (!count || count > MAX_PINGS)
		count = DEFAULT_PINGS;
	proto_or_die(peer);
	printf("ivcpeer: member %u pinging peer %u\n", dev.id, peer);
	if (!ivc_proto_wait_peer(&chan, PEER_TIMEOUT_US)) {
		test_fail("ivc-bm-ping", "peer %u's half never became ready (magic 0x%x)", peer,
			  chan.other->magic);
		test_done();
	}
	ping_test((unsigned int) count);
	stream_test(bytes);
	if (floods)
		flood_command(floods);
	test_done();
}

/* ---- flood ---- */

static void __noreturn flood(void)
{
	unsigned int peer = peer_or_die();
	uint64_t next = counter_read() + counter_us_to_ticks(FLOOD_REPORT_US);
	uint32_t bell = (uint32_t) peer << 16;

	printf("ivcpeer: flooding peer %u\n", peer);
	for (;;) {
		unsigned int i;

		for (i = 0; i < 64; i++)
			ivc_reg_write(&dev, IVC_REG_DOORBELL, bell);
		if (counter_read() >= next) {
			printf("ivcpeer: flood sent=%u limited=%u\n", ivc_reg(&dev, IVC_REG_SENT),
			       ivc_reg(&dev, IVC_REG_LIMITED));
			next += counter_us_to_ticks(FLOOD_REPORT_US);
		}
	}
}

/* ---- readonly ---- */

/* A 64-bit load under fault_arm; returns the fault count. */
static unsigned int guarded_load(uint64_t addr, uint64_t *value, struct fault_info *fi)
{
	uint64_t v = 0;

	fault_arm(FAULT_SKIP);
	asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	*value = v;
	return fault_disarm(fi);
}

static unsigned int guarded_store(uint64_t addr, uint64_t value, struct fault_info *fi)
{
	fault_arm(FAULT_SKIP);
	asm volatile("str %0, [%1]" ::"r"(value), "r"(addr) : "memory");
	return fault_disarm(fi);
}

static bool magic_seen(void)
{
	uint64_t half = dev.shm_size / 2, deadline;
	unsigned int m;

	deadline = counter_read() + counter_us_to_ticks(RO_MAGIC_WAIT_US);
	do {
		for (m = 0; m < 2; m++) {
			const volatile struct ivc_half *h =
			    (const volatile struct ivc_half *) (dev.shm + m * half);

			if (m != dev.id && h->magic == IVC_PROTO_MAGIC && h->owner == m)
				return true;
		}
		ivc_wait(&dev, 10000);
	} while (counter_read() < deadline);
	return false;
}

static void __noreturn readonly(void)
{
	uint64_t base = (uint64_t) dev.shm, last = base + dev.shm_size - 8, off, v, sum = 0, old;
	struct fault_info fi;
	unsigned int faults = 0;
	bool seen;

	test_result(dev.flags & IVC_FLAG_READ_ONLY, "ivc-ro-flag", "flags=0x%x", dev.flags);

	/* Every page's first word and the last word. */
	for (off = 0; off < dev.shm_size && !faults; off += 4096) {
		faults += guarded_load(base + off, &v, &fi);
		sum += v;
	}
	if (!faults)
		faults += guarded_load(last, &old, &fi);
	if (faults) {
		test_fail("ivc-ro-read", "load faulted: ESR=0x%lx FAR=0x%lx", fi.esr, fi.far);
	} else {
		seen = magic_seen();
		test_pass("ivc-ro-read", "pages=%lu peer_magic=%s", dev.shm_size / 4096,
			  seen ? "yes" : "no");
	}

	(void) guarded_load(last, &old, &fi);
	faults = guarded_store(last, ~old, &fi);
	(void) guarded_load(last, &v, NULL);
	if (!faults)
		test_fail("ivc-ro-write-faults",
			  "store to 0x%lx did not fault (now 0x%lx, was 0x%lx)", last, v, old);
	else if (ESR_EC(fi.esr) != EC_DABT_CUR)
		test_fail("ivc-ro-write-faults", "0x%lx: ESR=0x%lx (EC 0x%lx, want 0x%x) FAR=0x%lx",
			  last, fi.esr, ESR_EC(fi.esr), EC_DABT_CUR, fi.far);
	else if (v != old)
		test_fail("ivc-ro-write-faults", "0x%lx faulted but changed: 0x%lx -> 0x%lx", last,
			  old, v);
	else
		test_pass("ivc-ro-write-faults", "addr=0x%lx ESR=0x%lx FAR=0x%lx", last, fi.esr,
			  fi.far);
	test_done();
}

/* ---- badbell ---- */

static void __noreturn badbell(void)
{
	unsigned int bad = BAD_PEER, i;
	uint32_t bad0, sent0, bad1, sent1;

	while (dev.members & 1u << bad)
		bad = (bad + 1) % 16;
	bad0 = ivc_reg(&dev, IVC_REG_BAD);
	sent0 = ivc_reg(&dev, IVC_REG_SENT);
	ivc_ring(&dev, bad);
	ivc_ring(&dev, dev.id);
	/* Counted when the write is handled; allow for a deferred count all the same. */
	for (i = 0; i < 100; i++) {
		bad1 = ivc_reg(&dev, IVC_REG_BAD);
		sent1 = ivc_reg(&dev, IVC_REG_SENT);
		if (bad1 - bad0 >= 2)
			break;
		delay_us(1000);
	}
	test_result(bad1 - bad0 == 2 && sent1 == sent0, "ivc-bad-doorbell-counted",
		    "rang %u (not a member) and %u (self): BAD %u -> %u, SENT %u -> %u", bad,
		    dev.id, bad0, bad1, sent0, sent1);
	test_done();
}

/* ---- outsider ---- */

static void __noreturn outsider(void)
{
	static const uint64_t where[2] = {IVC_PREF_IPA, IVC_MMIO32_IPA};
	uint64_t esr[2] = {0, 0}, v, ecam = ivc_ecam_base(), dt_ecam;
	unsigned int i, slot, faults, found = 0;
	struct fault_info fi;
	bool ok = true;

	if (dtb_compatible_base("pci-host-ecam-generic", &dt_ecam))
		printf("ivcpeer: device tree has a pci-host-ecam-generic at 0x%lx\n", dt_ecam);
	for (i = 0; i < 2; i++) {
		faults = guarded_load(where[i], &v, &fi);
		esr[i] = fi.esr;
		if (!faults) {
			test_fail("ivc-outsider-faults", "load from 0x%lx returned 0x%lx", where[i],
				  v);
			ok = false;
		} else if (ESR_EC(fi.esr) != EC_DABT_CUR) {
			test_fail("ivc-outsider-faults", "0x%lx: ESR=0x%lx (EC 0x%lx, want 0x%x)",
				  where[i], fi.esr, ESR_EC(fi.esr), EC_DABT_CUR);
			ok = false;
		}
	}
	if (ok)
		test_pass("ivc-outsider-faults", "pref=0x%lx ESR=0x%lx mmio32=0x%lx ESR=0x%lx",
			  where[0], esr[0], where[1], esr[1]);

	for (slot = 0; slot <= IVC_MAX_SLOTS; slot++) {
		uint32_t id;

		fault_arm(FAULT_SKIP);
		id = 0xffffffff;
		asm volatile("ldr %w0, [%1]"
			     : "+r"(id)
			     : "r"(pci_cfg_addr(ecam, 0, slot, 0, PCI_VENDOR_ID))
			     : "memory");
		faults = fault_disarm(&fi);
		if (faults) {
			printf("ivcpeer: ecam 0x%lx faults (slot %u: ESR=0x%lx)\n", ecam, slot,
			       fi.esr);
			break;
		}
		if ((id & 0xffff) == PCI_VENDOR_NONE)
			continue;
		printf("ivcpeer: ecam slot %u has 0x%04x:0x%04x\n", slot, id & 0xffff, id >> 16);
		if (slot && id == ((uint32_t) IVC_PCI_DEVICE << 16 | IVC_PCI_VENDOR))
			found++;
	}
	if (!faults)
		printf("ivcpeer: ecam 0x%lx reads %s\n", ecam,
		       found ? "IVC endpoints" : "no IVC endpoint");
	test_result(!found, "ivc-outsider-no-endpoint", "ecam=%s",
		    faults  ? "faults"
		    : found ? "endpoint"
			    : "no-device");
	test_done();
}

void main(void *dtb)
{
	char mode[16] = "serve";

	guest_init("ivcpeer", dtb);
	bootarg("ivcpeer.mode", mode, sizeof(mode));
	if (!strcmp(mode, "outsider"))
		outsider();
	if (strcmp(mode, "serve") && strcmp(mode, "ping") && strcmp(mode, "flood") &&
	    strcmp(mode, "readonly") && strcmp(mode, "badbell")) {
		test_fail("ivcpeer-mode", "unknown ivcpeer.mode=%s", mode);
		test_done();
	}
	open_or_die();
	if (!strcmp(mode, "serve"))
		serve();
	if (!strcmp(mode, "ping"))
		ping();
	if (!strcmp(mode, "flood"))
		flood();
	if (!strcmp(mode, "readonly"))
		readonly();
	badbell();
}
