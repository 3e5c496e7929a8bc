/* SPDX-License-Identifier: MIT */
/*
 * sy_bench.c: sy-bench, throughput of the src/ ST 2110-20 paths on one core:
 * the packetizer (plan + write of every packet of a frame) and the receive
 * path (RTP parse + SRD parse + validate + place into a frame buffer with
 * coverage), for 2160p59.94 and 1080p59.94 4:2:2 10-bit, GPM 1200 and BPM.
 * Prints packets/s, Gbit/s of sample data and how many real-time flows of
 * that format one core keeps up with. Numbers go to docs/performance.md.
 *
 * Single-threaded tool; allocates at start only. Times with CLOCK_MONOTONIC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sy_format.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct case_def {
	const char *name;
	struct sy_video_format fmt;
	uint32_t data_max;
};

static void run(const struct case_def *c, double seconds)
{
	struct sy_rfc4175_packer pk;
	struct sy_rfc4175_plan plan;
	struct sy_rfc4175_frame fr;
	size_t fb = (size_t)sy_format_frame_bytes(&c->fmt);
	size_t cb = sy_rfc4175_coverage_bytes(&c->fmt);
	uint8_t *src = malloc(fb), *dst = malloc(fb), *cov = malloc(cb);
	uint32_t n_pkts;
	uint8_t *pkts;
	uint16_t *lens;

	if (!src || !dst || !cov || sy_rfc4175_packer_init(&pk, &c->fmt, c->data_max,
							  SY_RFC4175_LAYOUT_ROW) < 0) {
		fprintf(stderr, "%s: set-up failed\n", c->name);
		exit(1);
	}
	for (size_t i = 0; i < fb; i++)
		src[i] = (uint8_t)(i * 7);
	n_pkts = sy_rfc4175_packer_pkts_per_frame(&pk);
	pkts = malloc((size_t)n_pkts * 1500);
	lens = malloc(n_pkts * sizeof(*lens));

	/* packetizer: plan and write every packet of a frame, repeatedly */
	double t0 = now_s(), t;
	uint64_t done = 0;
	do {
		uint32_t i = 0;
		sy_rfc4175_packer_reset(&pk);
		while (sy_rfc4175_packer_next(&pk, &plan)) {
			uint8_t *p = pkts + (size_t)i * 1500;
			sy_rtp_write(p, plan.marker, 96, (uint16_t)i, 0, 1);
			lens[i] = (uint16_t)(12 + sy_rfc4175_write(&plan, src, 0, p + 12, 1488));
			i++;
		}
		done += i;
		t = now_s() - t0;
	} while (t < seconds);
	double tx_pps = (double)done / t;

	/* receive path over the packets just written */
	sy_rfc4175_frame_init(&fr, &c->fmt, dst, fb, cov, cb);
	done = 0;
	t0 = now_s();
	do {
		sy_rfc4175_frame_reset(&fr);
		for (uint32_t i = 0; i < n_pkts; i++) {
			struct sy_rtp r;
			struct sy_rfc4175_pkt pkt;
			const uint8_t *p = pkts + (size_t)i * 1500;

			if (sy_rtp_parse(p, lens[i], &r) || sy_rfc4175_parse(r.payload, r.payload_len, &pkt) ||
			    sy_rfc4175_frame_place(&fr, &pkt)) {
				fprintf(stderr, "%s: packet %u rejected\n", c->name, i);
				exit(1);
			}
		}
		done += n_pkts;
		t = now_s() - t0;
	} while (t < seconds);
	if (!sy_rfc4175_frame_complete(&fr) || memcmp(src, dst, fb)) {
		fprintf(stderr, "%s: frame not rebuilt\n", c->name);
		exit(1);
	}
	double rx_pps = (double)done / t;
	double rt_pps = (double)n_pkts * c->fmt.rate.num / c->fmt.rate.den;
	double bits_per_pkt = (double)fb * 8 / n_pkts;

	printf("%-24s %6u pkts/frame  real time %6.3f Mpps | packetize %6.2f Mpps %6.1f Gb/s = %5.1f flows"
	       " | depacketize %6.2f Mpps %6.1f Gb/s = %5.1f flows\n",
	       c->name, n_pkts, rt_pps / 1e6, tx_pps / 1e6, tx_pps * bits_per_pkt / 1e9,
	       tx_pps / rt_pps, rx_pps / 1e6, rx_pps * bits_per_pkt / 1e9, rx_pps / rt_pps);
	free(src);
	free(dst);
	free(cov);
	free(pkts);
	free(lens);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0;
	struct case_def cases[4] = {
		{ "2160p59.94 GPM 1200", sy_format_make(3840, 2160, false, 60000, 1001, 10), 1200 },
		{ "1080p59.94 GPM 1200", sy_format_make(1920, 1080, false, 60000, 1001, 10), 1200 },
		{ "1080p59.94 BPM 1260", sy_format_make(1920, 1080, false, 60000, 1001, 10), 1260 },
		{ "1080i50 GPM 1200", sy_format_make(1920, 1080, true, 25, 1, 10), 1200 },
	};

	if (argc > 1 && (!strcmp(argv[1], "--help") || seconds <= 0)) {
		printf("usage: sy-bench [SECONDS per measurement, default 1]\n");
		return 0;
	}
	cases[2].fmt.packing = SY_PACKING_BPM;
	for (int i = 0; i < 4; i++)
		run(&cases[i], seconds);
	return 0;
}
