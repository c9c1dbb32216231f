/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivc-ping: round trips over an ftvisor inter-VM channel (docs/ivc.md), and the server that
 * answers them and carries out the peer's commands (streams, doorbell floods).
 *
 *   ivc-ping [-c count] [-i index] [-w ms] [-p] PEER   round trips to member PEER
 *   ivc-ping -f N [-i index] [-w ms] [-p] PEER         ask PEER for N doorbells
 *   ivc-ping -s [-i index] [-p] [-q]                   serve until killed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libivc.h"

static volatile sig_atomic_t stop;
static int quiet;

static void on_signal(int sig)
{
	(void) sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ivc-ping [-c count] [-i index] [-w ms] [-p] PEER\n"
		"       ivc-ping -f doorbells [-i index] [-w ms] [-p] PEER\n"
		"       ivc-ping -s [-i index] [-p] [-q]\n"
		"  -c  round trips (default 100)      -i  the index-th IVC device (default 0)\n"
		"  -w  time-out of each wait, ms (default 2000)\n"
		"  -p  poll the shared memory instead of sleeping until the doorbell's interrupt\n"
		"  -f  ask PEER to ring this member that many times (IVC_CMD_FLOOD)\n"
		"  -s  serve: answer pings, carry out commands (streams, floods) until killed\n"
		"  -q  (with -s) no line per command\n");
	exit(2);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile p (0 < p <= 100) of sorted v[n]. */
static uint64_t percentile(const uint64_t *v, size_t n, unsigned int p)
{
	size_t rank = (n * p + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

static void log_finish(struct ivc_server *s)
{
	const char *how = s->last_abandoned ? "abandoned" : "done";
	unsigned int peer = s->c->peer;

	if (quiet)
		return;
	switch (s->last_cmd) {
	case IVC_CMD_STREAM_TO_ME:
		printf("ivc-ping: stream to member %u bytes=%" PRIu64 " of %" PRIu64
		       " sum=0x%08x %s\n",
		       peer, s->last_done, s->last_arg, s->last_sum, how);
		break;
	case IVC_CMD_FLOOD:
		printf("ivc-ping: flood to member %u doorbells=%" PRIu64 " %s\n", peer,
		       s->last_done, how);
		break;
	default: break; /* IVC_CMD_NONE: a client getting ready */
	}
	fflush(stdout);
}

static int serve(struct ivc_dev *d, struct ivc_chan *c)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct ivc_server s;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ivc_server_init(&s, c);
	printf("ivc-ping: serving as member %u (channel %u, peer %u, %s)\n", d->id, d->channel,
	       c->peer, c->poll ? "polling" : "interrupts");
	fflush(stdout);
	ivc_serve(&s, &stop, log_finish);
	if (!stop) {
		fprintf(stderr, "ivc-ping: %s\n", ivc_error());
		return 1;
	}
	printf(
	    "ivc-ping: served pings=%" PRIu64 " commands=%" PRIu64 " streams=%" PRIu64
	    " bytes=%" PRIu64 " abandoned=%" PRIu64 " floods=%" PRIu64 " interrupts=%" PRIu64 "\n",
	    s.pings, s.commands, s.streams, s.stream_bytes, s.abandoned, s.floods, d->interrupts);
	return 0;
}

static int ping(struct ivc_chan *c, unsigned int count, int timeout_ms)
{
	uint64_t *rtt = calloc(count, sizeof(*rtt));

	if (!rtt)
		return 1;
	for (unsigned int i = 0; i < count; i++) {
		uint64_t t0 = ivc_now_ns();

		if (ivc_ping(c, timeout_ms)) {
			printf("ivc-ping: peer=%u FAIL after %u round trips: %s\n", c->peer, i,
			       ivc_error());
			free(rtt);
			return 1;
		}
		rtt[i] = ivc_now_ns() - t0;
	}
	qsort(rtt, count, sizeof(*rtt), cmp_u64);
	printf("ivc-ping: peer=%u count=%u min_us=%.1f median_us=%.1f p99_us=%.1f max_us=%.1f\n",
	       c->peer, count, rtt[0] / 1e3, percentile(rtt, count, 50) / 1e3,
	       percentile(rtt, count, 99) / 1e3, rtt[count - 1] / 1e3);
	free(rtt);
	return 0;
}

static int flood(struct ivc_chan *c, uint64_t n, int timeout_ms)
{
	uint64_t received, ns;
	int err = ivc_flood(c, n, timeout_ms, &received, &ns);
	double s = ns / 1e9;

	printf("ivc-ping: peer=%u flood=%" PRIu64 " received=%" PRIu64 " interrupts=%" PRIu64
	       " seconds=%.3f rate=%.0f/s%s%s\n",
	       c->peer, n, received, c->wakeups, s, s > 0 ? received / s : 0.0, err ? " FAIL " : "",
	       err ? ivc_error() : "");
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, index = 0, timeout_ms = 2000, server = 0, poll = 0, rc;
	unsigned int count = 100, peer;
	int64_t flood_n = -1;
	struct ivc_dev d;
	struct ivc_chan c;
	char *end;

	while ((opt = getopt(argc, argv, "c:i:w:f:spqh")) != -1) {
		switch (opt) {
		case 'c':
			count = (unsigned int) strtoul(optarg, &end, 0);
			if (*end || !count || count > 10000000)
				usage();
			break;
		case 'i': index = atoi(optarg); break;
		case 'w':
			timeout_ms = atoi(optarg);
			if (timeout_ms <= 0)
				usage();
			break;
		case 'f':
			flood_n = ivc_parse_size(optarg);
			if (flood_n < 0)
				usage();
			break;
		case 's': server = 1; break;
		case 'p': poll = 1; break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	}
	if (server ? optind != argc : optind != argc - 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ivc_dev_open(&d, index, poll ? IVC_OPEN_NOIRQ : 0)) {
		fprintf(stderr, "ivc-ping: %s\n", ivc_error());
		return 1;
	}
	if (server) {
		/* Two members: the peer is the other one. */
		peer = d.id == 0 ? 1 : 0;
	} else {
		peer = (unsigned int) strtoul(argv[optind], &end, 0);
		if (*end)
			usage();
	}
	if (ivc_chan_open(&c, &d, peer)) {
		fprintf(stderr, "ivc-ping: %s\n", ivc_error());
		ivc_dev_close(&d);
		return 1;
	}
	c.poll = poll;
	if (server) {
		rc = serve(&d, &c);
	} else if (ivc_wait_peer(&c, 10000)) {
		printf("ivc-ping: peer=%u FAIL %s\n", peer, ivc_error());
		rc = 1;
	} else if (flood_n >= 0) {
		rc = flood(&c, (uint64_t) flood_n, timeout_ms);
	} else {
		rc = ping(&c, count, timeout_ms);
	}
	ivc_dev_close(&d);
	return rc;
}
