/* SPDX-License-Identifier: MIT */
/*
 * dp_bench.c: sy-dp-bench: the switch path (rx -> classify/validate ->
 * crosspoint -> rewrite/fan-out -> tx) driven inline on one lcore, for the
 * benchmark script (run_bench.sh), which compares it with dpdk-testpmd
 * io-forward on the same ports. Not a test: it prints numbers.
 *
 *   sy-dp-bench SDP PCAP FANOUT PACKETS [EAL args...]
 *
 * Ports: 0 = net_pcap rx_pcap=PCAP,infinite_rx=1 (the input), 1 = net_null
 * no-rx (the sink). FANOUT outputs on port 1 all follow the one source.
 * Prints packets in, packets out, thread CPU ns and ns per input packet.
 * Under callgrind, collect with --toggle-collect='dp_worker_iter*'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp.h"
#include "sy_err.h"
#include "sy_sdp.h"

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static char text[65536];
	static struct dp_routes r;
	struct dp_config cfg = {0};
	struct dp_error err;
	struct sy_sdp sdp;
	struct sy_sdp_error serr;
	struct dp_stats *st = calloc(1, sizeof(*st));
	struct dp *dp;
	FILE *f;
	size_t n;

	if (argc < 5) {
		fprintf(stderr, "usage: sy-dp-bench SDP PCAP FANOUT PACKETS [EAL args...]\n");
		return 2;
	}
	unsigned fanout = (unsigned)atoi(argv[3]);
	uint64_t want = strtoull(argv[4], NULL, 10);

	f = fopen(argv[1], "rb");
	if (f == NULL)
		return perror(argv[1]), 2;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (sy_sdp_parse(text, n, &sdp, &serr) < 0 || sdp.n_media < 1 ||
	    sdp.media[0].essence != SY_SDP_VIDEO) {
		fprintf(stderr, "%s: %s\n", argv[1], serr.reason);
		return 2;
	}
	cfg.eal_args[cfg.n_eal_args++] = "sy-dp-bench";
	for (int i = 5; i < argc && cfg.n_eal_args < DP_MAX_EAL_ARGS - 4; i++)
		cfg.eal_args[cfg.n_eal_args++] = argv[i];
	cfg.n_ports = 2;
	snprintf(cfg.ports[0].devargs, DP_DEVARGS_MAX, "net_pcap0,rx_pcap=%s,infinite_rx=1",
		 argv[2]);
	snprintf(cfg.ports[1].devargs, DP_DEVARGS_MAX, "net_null0,no-rx=1");
	cfg.n_workers = 1;
	cfg.n_mbufs = 32767;
	cfg.n_hdr_mbufs = 8191;
	cfg.hold_pkts = 64;
	if (dp_create(&cfg, &dp, &err) < 0) {
		fprintf(stderr, "dp_create: %s\n", err.text);
		return 1;
	}
	const struct sy_sdp_media *m = &sdp.media[0];

	r.n_inputs = 1;
	r.inputs[0].key.dst_ip = sy_sdp_media_conn(&sdp, 0)->ip;
	r.inputs[0].key.dst_port = m->port;
	r.inputs[0].fmt.essence = DP_ESSENCE_VIDEO;
	r.inputs[0].fmt.video = m->video.fmt;
	r.inputs[0].pt = m->pt;
	r.inputs[0].ptp_locked = false; /* infinite_rx replays old timestamps */
	r.n_sources = 1;
	r.sources[0].input[0] = 0;
	for (unsigned k = 1; k < DP_GROUP_MAX_FLOWS; k++)
		r.sources[0].input[k] = -1;
	r.n_outputs = (uint16_t)fanout;
	for (unsigned o = 0; o < fanout; o++) {
		struct dp_output *out = &r.outputs[o];

		snprintf(out->name, sizeof(out->name), "out%u", o);
		out->port = 1;
		out->flow[0].fmt = r.inputs[0].fmt;
		out->flow[0].id.dst_ip = 0xEFC80001u + o;
		out->flow[0].id.dst_port = 5004;
		out->flow[0].id.src_ip = 0x0A010001u;
		out->flow[0].id.src_port = 5004;
		out->flow[0].id.ssrc = 0x1000u + o;
		out->flow[0].id.pt = 96;
		out->flow[0].id.ttl = 64;
		r.xpt[o].source = 0;
	}
	if (dp_publish(dp, &r, &err) < 0) {
		fprintf(stderr, "routes: %s\n", err.text);
		return 1;
	}
	uint64_t in = 0, t0 = cpu_ns();

	while (in < want)
		in += dp_poll(dp, 0, 64);
	uint64_t t1 = cpu_ns();

	dp_stats_read(dp, st);
	printf("fanout %u packets_in %llu packets_out %llu cpu_ns %llu ns_per_pkt %.2f\n", fanout,
	       (unsigned long long)in, (unsigned long long)st->tx_pkts,
	       (unsigned long long)(t1 - t0), (double)(t1 - t0) / (double)in);
	for (unsigned d = 0; d < DP_DROP_MAX; d++)
		if (st->drops[d])
			printf("drop %s %llu\n", dp_drop_name(d), (unsigned long long)st->drops[d]);
	dp_destroy(dp);
	free(st);
	return 0;
}
