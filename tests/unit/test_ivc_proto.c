/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux IVC tools' protocol (tools/ivc/libivc.c over include/ftvisor/ivc_proto.h) on the
 * host: a server process (member 1, what `ivc-ping -s` runs) and this process (member 0, what
 * ivc-ping and ivc-stream run) share an mmap'd file as the channel's memory and poll instead
 * of waiting for doorbells. Pings, a 64 MiB stream checked byte by byte and by checksum
 * against ivc_proto.h's own reference functions, odd ring sizes (wrap-around, flow control),
 * corruption detection, clients that give up half-way, floods.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libivc.h"

#define TIMEOUT_MS 20000
#define MiB	   (1024u * 1024u)

/* ---- reference values from ivc_proto.h alone ---- */

static uint32_t ref_sum(const uint8_t *p, size_t n)
{
	struct ivc_sum s;

	ivc_sum_init(&s);
	ivc_sum_update(&s, p, n);
	return ivc_sum_value(&s);
}

/* Adler-32 of the first n bytes of the test pattern, with the header's functions. */
static uint32_t ref_stream_sum(uint64_t n)
{
	static uint8_t b[4096];
	struct ivc_sum s;

	ivc_sum_init(&s);
	for (uint64_t off = 0; off < n; off += sizeof(b)) {
		size_t m = n - off < sizeof(b) ? (size_t) (n - off) : sizeof(b);

		for (size_t k = 0; k < m; k++)
			b[k] = ivc_pattern(off + k);
		ivc_sum_update(&s, b, m);
	}
	return ivc_sum_value(&s);
}

/* ---- the shared memory and the server process ---- */

static volatile uint8_t *shm_new(uint64_t size)
{
	char name[] = "/tmp/ivc-proto-test-XXXXXX";
	int fd = mkstemp(name);
	void *p;

	assert_true(fd >= 0);
	unlink(name);
	assert_int_equal(ftruncate(fd, (off_t) size), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(p != MAP_FAILED);
	return p;
}

static void shm_free(volatile uint8_t *shm, uint64_t size)
{
	munmap((void *) (uintptr_t) shm, size);
}

static volatile sig_atomic_t child_stop;

static void on_term(int sig)
{
	(void) sig;
	child_stop = 1;
}

/* Forks the server: member 1 of shm, serving until SIGTERM (or this process's death). */
static pid_t server_start(volatile uint8_t *shm, uint64_t size, uint64_t corrupt_at)
{
	sigset_t term, old;
	pid_t pid;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_term};
		struct ivc_server s;
		struct ivc_chan c;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigaction(SIGTERM, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (ivc_chan_init(&c, shm, size, 1, 0, NULL))
			_exit(3);
		ivc_server_init(&s, &c);
		s.corrupt_at = corrupt_at;
		ivc_serve(&s, &child_stop, NULL);
		_exit(0);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static void server_stop(pid_t pid)
{
	int status;

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* This process as member 0 of shm, talking to member 1 once it is there. */
static void client_init(struct ivc_chan *c, volatile uint8_t *shm, uint64_t size)
{
	assert_int_equal(ivc_chan_init(c, shm, size, 0, 1, NULL), 0);
	assert_int_equal(ivc_wait_peer(c, TIMEOUT_MS), 0);
}

static void stream_ok(struct ivc_chan *c, uint64_t n)
{
	struct ivc_stream_result r;
	int err = ivc_stream_receive(c, n, TIMEOUT_MS, &r);

	if (err)
		print_error("stream of %llu bytes: %s: %s\n", (unsigned long long) n,
			    ivc_stream_strerror(err), ivc_error());
	assert_int_equal(err, 0);
	assert_int_equal(r.received, n);
	assert_int_equal(r.peer_len, n);
	assert_int_equal(r.sum, r.peer_sum);
	assert_int_equal(r.sum, ref_stream_sum(n));
}

/* ---- tests ---- */

static void t_checksum(void **state)
{
	static uint8_t buf[200000];
	uint32_t seed = 7;
	struct ivc_sum s;

	(void) state;
	/* Adler-32's published check values. */
	assert_int_equal(ref_sum((const uint8_t *) "Wikipedia", 9), 0x11e60398u);
	assert_int_equal(ref_sum((const uint8_t *) "", 0), 1);
	memset(buf, 0xff, sizeof(buf)); /* the worst case for the deferred modulo */
	for (size_t n = 0; n <= sizeof(buf); n = n < 6000 ? n + 1 : n * 3 + 1) {
		ivc_sum_init(&s);
		ivc_sum_fast(&s, buf, n);
		assert_int_equal(ivc_sum_value(&s), ref_sum(buf, n));
	}
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t) (seed >> 16);
	}
	for (size_t split = 0; split <= sizeof(buf); split += 5551) {
		ivc_sum_init(&s);
		ivc_sum_fast(&s, buf, split);
		ivc_sum_fast(&s, buf + split, sizeof(buf) - split);
		assert_int_equal(ivc_sum_value(&s), ref_sum(buf, sizeof(buf)));
	}
}

static void t_pattern(void **state)
{
	static const uint64_t starts[] = {0, 1, 255, 4095, 1ULL << 32, (1ULL << 40) + 3};
	uint8_t buf[1000];

	(void) state;
	for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		uint64_t i0 = starts[s];

		ivc_pattern_fill(buf, i0, sizeof(buf));
		for (size_t k = 0; k < sizeof(buf); k++)
			assert_int_equal(buf[k], ivc_pattern(i0 + k));
		assert_int_equal(ivc_pattern_check(buf, i0, sizeof(buf)), sizeof(buf));
		/* Every position of a wrong byte is found, first one first. */
		for (size_t bad = 0; bad < sizeof(buf); bad += 37) {
			buf[bad] ^= 1;
			assert_int_equal(ivc_pattern_check(buf, i0, sizeof(buf)), bad);
			if (bad + 5 < sizeof(buf)) {
				buf[bad + 5] ^= 0x80;
				assert_int_equal(ivc_pattern_check(buf, i0, sizeof(buf)), bad);
				buf[bad + 5] ^= 0x80;
			}
			buf[bad] ^= 1;
		}
		assert_int_not_equal(ivc_pattern_check(buf, i0 + 1, sizeof(buf)), sizeof(buf));
	}
}

static void t_parse_size(void **state)
{
	(void) state;
	assert_int_equal(ivc_parse_size("64M"), 64 << 20);
	assert_int_equal(ivc_parse_size("4k"), 4096);
	assert_int_equal(ivc_parse_size("1G"), 1 << 30);
	assert_int_equal(ivc_parse_size("1000"), 1000);
	assert_int_equal(ivc_parse_size("0x10K"), 16 << 10);
	assert_int_equal(ivc_parse_size(""), -1);
	assert_int_equal(ivc_parse_size("M"), -1);
	assert_int_equal(ivc_parse_size("12MB"), -1);
	assert_int_equal(ivc_parse_size("-1"), -1);
}

static void t_layout(void **state)
{
	const uint64_t size = 64 * 1024;
	volatile uint8_t *shm = shm_new(size);
	struct ivc_chan a, b;

	(void) state;
	assert_int_not_equal(ivc_chan_init(&a, shm, size, 0, 0, NULL), 0);
	assert_int_not_equal(ivc_chan_init(&a, shm, size, 2, 0, NULL), 0);
	assert_int_not_equal(ivc_chan_init(&a, shm, 4 * IVC_PROTO_HDR - 8, 0, 1, NULL), 0);
	assert_int_equal(ivc_chan_init(&a, shm, size, 0, 1, NULL), 0);
	/* Half m at m * size / 2, its ring one page in. */
	assert_ptr_equal(a.own, shm);
	assert_ptr_equal(a.other, shm + size / 2);
	assert_ptr_equal(a.own_ring, shm + IVC_PROTO_HDR);
	assert_ptr_equal(a.peer_ring, shm + size / 2 + IVC_PROTO_HDR);
	assert_int_equal(a.ring_size, size / 2 - IVC_PROTO_HDR);
	assert_int_equal(a.chunk, (size / 2 - IVC_PROTO_HDR) / 2);
	assert_int_equal(a.own->magic, IVC_PROTO_MAGIC);
	assert_int_equal(a.own->owner, 0);
	assert_false(ivc_peer_ready(&a));
	assert_int_not_equal(ivc_wait_peer(&a, 50), 0);

	/* The second member takes what the first left as done and consumed. */
	a.own->cmd_seq = 7;
	a.own->produced = 12345;
	a.own->pong = 99;
	a.own->cmd_done = 5;
	assert_int_equal(ivc_chan_init(&b, shm, size, 1, 0, NULL), 0);
	assert_int_equal(b.own->magic, IVC_PROTO_MAGIC);
	assert_int_equal(b.own->owner, 1);
	assert_int_equal(b.own->cmd_done, 7);
	assert_int_equal(b.own->consumed, 12345);
	assert_int_equal(b.own->ping, 99);
	assert_int_equal(b.own->cmd_seq, 5);
	assert_true(ivc_peer_ready(&a));
	assert_true(ivc_peer_ready(&b));
	shm_free(shm, size);
}

static void t_ping(void **state)
{
	const uint64_t size = MiB;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	struct ivc_chan c;
	uint64_t first;

	(void) state;
	client_init(&c, shm, size);
	first = c.own->ping;
	for (int i = 0; i < 2000; i++)
		assert_int_equal(ivc_ping(&c, TIMEOUT_MS), 0);
	assert_int_equal(c.own->ping, first + 2000);
	assert_int_equal(c.other->pong, c.own->ping);
	/* A new client (a process after another) goes on from the server's pong. */
	client_init(&c, shm, size);
	assert_int_equal(c.own->ping, first + 2000);
	assert_int_equal(ivc_ping(&c, TIMEOUT_MS), 0);
	server_stop(pid);
	shm_free(shm, size);
}

static void t_stream_64m(void **state)
{
	const uint64_t size = MiB;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	struct ivc_chan c;

	(void) state;
	client_init(&c, shm, size);
	stream_ok(&c, 64ULL * MiB);
	/* Pings and streams interleave; the counters go on. */
	assert_int_equal(ivc_ping(&c, TIMEOUT_MS), 0);
	stream_ok(&c, 3 * MiB + 1);
	assert_int_equal(ivc_ping(&c, TIMEOUT_MS), 0);
	server_stop(pid);
	shm_free(shm, size);
}

/* A ring of 5000 bytes (no power of two): the chunks wrap at every offset. */
static void t_stream_odd_ring(void **state)
{
	const uint64_t size = 2 * (IVC_PROTO_HDR + 5000);
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	struct ivc_chan c;

	(void) state;
	client_init(&c, shm, size);
	assert_int_equal(c.ring_size, 5000);
	stream_ok(&c, 0);
	stream_ok(&c, 1);
	stream_ok(&c, 4999);
	stream_ok(&c, 5001);
	stream_ok(&c, 2 * MiB + 7);
	server_stop(pid);
	shm_free(shm, size);
}

/* The consumer notices a flipped byte, where it is, and stops there. */
static void t_stream_corrupt(void **state)
{
	const uint64_t size = 256 * 1024, bad = 3 * MiB + 12345;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, bad);
	struct ivc_stream_result r;
	struct ivc_chan c;

	(void) state;
	client_init(&c, shm, size);
	assert_int_equal(ivc_stream_receive(&c, 8 * MiB, TIMEOUT_MS, &r), IVC_STREAM_E_DATA);
	assert_int_equal(r.bad_offset, bad);
	assert_int_equal(r.received, bad);
	assert_int_equal(r.bad_want, ivc_pattern(bad));
	assert_int_equal(r.bad_got, ivc_pattern(bad) ^ 0x40);
	/* A stream that ends before the bad byte is fine; the next one after the abandoned one
	 * too (the server drops the rest of the old one). */
	stream_ok(&c, MiB);
	server_stop(pid);
	shm_free(shm, size);
}

/* A client that asked for a stream and went away (its ring full), then new clients. */
static void t_stream_abandoned(void **state)
{
	const uint64_t size = 128 * 1024;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	struct ivc_chan c;
	uint64_t t;

	(void) state;
	client_init(&c, shm, size);
	ivc_command(&c, IVC_CMD_STREAM_TO_ME, 32 * MiB);
	for (t = ivc_now_ns(); c.other->produced - c.own->consumed < c.ring_size / 2;)
		assert_true(ivc_now_ns() - t < TIMEOUT_MS * 1000000ULL);
	/* The same client (NONE first drops the old stream) ... */
	stream_ok(&c, 5 * MiB);
	/* ... and a new process that finds the ring in the middle of a stream. */
	ivc_command(&c, IVC_CMD_STREAM_TO_ME, 32 * MiB);
	for (t = ivc_now_ns(); c.other->produced - c.own->consumed < c.ring_size / 2;)
		assert_true(ivc_now_ns() - t < TIMEOUT_MS * 1000000ULL);
	client_init(&c, shm, size);
	stream_ok(&c, 5 * MiB);
	server_stop(pid);
	shm_free(shm, size);
}

/*
 * A client as guests/lib/ivc.c writes it (no IVC_CMD_NONE first: it skips what the ring holds
 * and posts the stream), consuming in pieces of its own size and ringing every chunk: the
 * server must serve it just the same.
 */
static void t_stream_minimal_client(void **state)
{
	const uint64_t size = 64 * 1024, len = 3 * MiB + 3;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	uint64_t seq, off = 0, t = ivc_now_ns();
	struct ivc_sum sum;
	struct ivc_chan c;
	uint8_t buf[3000];

	(void) state;
	client_init(&c, shm, size);
	ivc_sum_init(&sum);
	c.rx_pos = c.other->produced;
	c.own->consumed = c.rx_pos;
	seq = ivc_command(&c, IVC_CMD_STREAM_TO_ME, len);
	while (off < len) {
		uint64_t avail = c.other->produced - c.rx_pos, n;

		ivc_rmb();
		assert_true(avail <= c.ring_size);
		assert_true(ivc_now_ns() - t < TIMEOUT_MS * 1000000ULL);
		if (!avail)
			continue;
		n = avail < sizeof(buf) ? avail : sizeof(buf);
		n = n < len - off ? n : len - off;
		for (uint64_t k = 0; k < n; k++)
			buf[k] = c.peer_ring[(c.rx_pos + k) % c.ring_size];
		for (uint64_t k = 0; k < n; k++)
			assert_int_equal(buf[k], ivc_pattern(off + k));
		ivc_sum_update(&sum, buf, n);
		c.rx_pos += n;
		off += n;
		ivc_mb();
		c.own->consumed = c.rx_pos;
	}
	while (!ivc_command_done(&c, seq))
		assert_true(ivc_now_ns() - t < TIMEOUT_MS * 1000000ULL);
	assert_int_equal(c.other->stream_len, len);
	assert_int_equal(c.other->stream_sum, ivc_sum_value(&sum));
	server_stop(pid);
	shm_free(shm, size);
}

static void t_flood_and_unknown(void **state)
{
	const uint64_t size = 64 * 1024;
	volatile uint8_t *shm = shm_new(size);
	pid_t pid = server_start(shm, size, UINT64_MAX);
	uint64_t received, ns, seq;
	struct ivc_chan c;

	(void) state;
	client_init(&c, shm, size);
	assert_int_equal(ivc_flood(&c, 1000, TIMEOUT_MS, &received, &ns), 0);
	assert_int_equal(received, 1000);
	assert_int_equal(ivc_flood(&c, 0, TIMEOUT_MS, &received, &ns), 0);
	/* An unknown command is marked done and nothing else. */
	seq = ivc_command(&c, (enum ivc_cmd) 77, 5);
	assert_int_equal(ivc_command_wait(&c, seq, TIMEOUT_MS), 0);
	assert_int_equal(ivc_ping(&c, TIMEOUT_MS), 0);
	stream_ok(&c, 100000);
	server_stop(pid);
	shm_free(shm, size);
}

/* A server that does not answer: the client times out instead of hanging. */
static void t_no_server(void **state)
{
	const uint64_t size = 64 * 1024;
	volatile uint8_t *shm = shm_new(size);
	struct ivc_stream_result r;
	struct ivc_chan c, dead;

	(void) state;
	assert_int_equal(ivc_chan_init(&dead, shm, size, 1, 0, NULL), 0);
	client_init(&c, shm, size);
	assert_int_not_equal(ivc_ping(&c, 100), 0);
	assert_int_equal(ivc_stream_receive(&c, 1000, 100, &r), IVC_STREAM_E_PEER);
	shm_free(shm, size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_checksum),
	    cmocka_unit_test(t_pattern),
	    cmocka_unit_test(t_parse_size),
	    cmocka_unit_test(t_layout),
	    cmocka_unit_test(t_ping),
	    cmocka_unit_test(t_stream_64m),
	    cmocka_unit_test(t_stream_odd_ring),
	    cmocka_unit_test(t_stream_corrupt),
	    cmocka_unit_test(t_stream_abandoned),
	    cmocka_unit_test(t_stream_minimal_client),
	    cmocka_unit_test(t_flood_and_unknown),
	    cmocka_unit_test(t_no_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
