/* SPDX-License-Identifier: MIT */
/*
 * test_dp_worker.c: the dataplane stages on arrays of mbufs (cmocka).
 *
 * EAL runs with --no-huge --no-pci and a unique --file-prefix; the one port
 * is a net_ring loopback, so what the worker transmits is read back from
 * the same port. Packets are built here byte by byte (a 16x2p50 10-bit
 * raster: one 40-byte row per packet, two packets per frame) and fed with
 * dp_worker_process() at chosen arrival times, which makes every take
 * deterministic. Checks: header rewrite and checksums, drop reasons, the
 * clean switch with a leading new source held, the hold timeout, fan-out
 * (header mbuf + indirect payload), format refusal, command/event rings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dp.h"
#include "dp_internal.h"
#include "sy_bytes.h"
#include "sy_err.h"
#include "sy_net.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define MS 1000000ull

static struct dp *g_dp;
static struct dp_routes g_r;
static const uint32_t IN_A = IP(239, 1, 1, 1), IN_B = IP(239, 1, 1, 2);
static const uint32_t OUT1 = IP(239, 9, 9, 1), OUT2 = IP(239, 9, 9, 2);

struct pkt {
	uint32_t dst;
	uint16_t seq;
	uint32_t ts;
	bool marker;
	uint16_t row;
	uint8_t fill;
};

static struct rte_mbuf *mk(const struct pkt *p)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(g_dp->pkt_pool);
	uint8_t *b;
	const uint16_t len = 14 + 20 + 8 + 12 + 2 + 6 + 40;

	assert_non_null(m);
	b = (uint8_t *)rte_pktmbuf_append(m, len);
	memset(b, 0, len);
	sy_net_mcast_mac(p->dst, b);
	for (unsigned i = 0; i < 6; i++)
		b[6 + i] = i == 0 ? 0x02 : i == 5 ? 0x01 : 0x00;
	b[12] = 0x08;
	b[14] = 0x45;
	sy_store_be16(b + 16, (uint16_t)(len - 14));
	b[22] = 1;
	b[23] = 17;
	sy_store_be32(b + 26, IP(10, 0, 0, 1));
	sy_store_be32(b + 30, p->dst);
	sy_store_be16(b + 24, sy_net_ipv4_csum(b + 14, 20));
	sy_store_be16(b + 34, 5004);
	sy_store_be16(b + 36, 5004);
	sy_store_be16(b + 38, (uint16_t)(len - 34));
	b[42] = 0x80;
	b[43] = (uint8_t)((p->marker ? 0x80 : 0) | 96);
	sy_store_be16(b + 44, p->seq);
	sy_store_be32(b + 46, p->ts);
	sy_store_be32(b + 50, 0x11111111);
	sy_store_be16(b + 56, 40);     /* SRD length */
	sy_store_be16(b + 58, p->row); /* F=0, row */
	sy_store_be16(b + 60, 0);      /* C=0, offset 0 */
	memset(b + 62, p->fill, 40);
	return m;
}

/* Feed one packet at arrival time t. */
static void feed(const struct pkt *p, uint64_t t)
{
	struct rte_mbuf *m = mk(p);

	dp_worker_process(g_dp->w[0], 0, &m, 1, t);
}

/* A frame (2 packets) of a source: fill byte = 16 * frame + source tag. */
static void frame_pkt(uint32_t dst, unsigned frame, unsigned i, uint64_t t)
{
	struct pkt p = {.dst = dst, .seq = (uint16_t)(frame * 2 + i), .ts = 1000u + frame * 1800u,
			.marker = i == 1, .row = (uint16_t)i,
			.fill = (uint8_t)(frame * 16 + (dst == IN_A ? 0xA : 0xB))};

	feed(&p, t);
}

/* Read everything the worker sent; returns the count. */
static unsigned drain(struct rte_mbuf **out, unsigned max)
{
	unsigned n = 0, k;

	while (n < max && (k = rte_eth_rx_burst(g_dp->port_id[0], 0, out + n,
						   (uint16_t)(max - n))) > 0)
		n += k;
	return n;
}

static void free_all(struct rte_mbuf **m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

/* Flatten an output packet (may be header + indirect payload). */
static unsigned flat(struct rte_mbuf *m, uint8_t *buf)
{
	const void *d = rte_pktmbuf_read(m, 0, m->pkt_len, buf);

	if (d != buf)
		memcpy(buf, d, m->pkt_len);
	return m->pkt_len;
}

static struct dp_format vfmt(void)
{
	struct dp_format f = {.essence = DP_ESSENCE_VIDEO};

	f.video = sy_format_make(16, 2, false, 50, 1, 10);
	return f;
}

static void routes_init(void)
{
	memset(&g_r, 0, sizeof(g_r));
	g_r.n_inputs = 2;
	for (unsigned i = 0; i < 2; i++) {
		struct dp_input *in = &g_r.inputs[i];

		snprintf(in->name, sizeof(in->name), "in%u", i);
		in->key.dst_ip = i ? IN_B : IN_A;
		in->key.dst_port = 5004;
		in->fmt = vfmt();
		in->pt = 96;
		in->ptp_locked = false; /* placed by arrival: the test sets time */
	}
	g_r.n_sources = 2;
	for (unsigned i = 0; i < 2; i++) {
		snprintf(g_r.sources[i].name, DP_NAME_MAX, "src%c", 'A' + i);
		g_r.sources[i].input[0] = (int16_t)i;
		for (unsigned k = 1; k < DP_GROUP_MAX_FLOWS; k++)
			g_r.sources[i].input[k] = -1;
	}
	g_r.n_outputs = 2;
	for (unsigned o = 0; o < 2; o++) {
		struct dp_output *out = &g_r.outputs[o];
		struct dp_identity *id = &out->flow[0].id;

		snprintf(out->name, sizeof(out->name), "out%u", o + 1);
		out->flow[0].fmt = vfmt();
		id->dst_ip = o ? OUT2 : OUT1;
		id->dst_port = 6000;
		id->src_ip = IP(10, 5, 5, 5);
		id->src_port = 7000;
		id->ssrc = o ? 0x22222222 : 0x12345678;
		id->pt = 100;
		id->dscp = 46;
		id->ttl = 7;
		out->udp_csum = DP_UDP_CSUM_ZERO;
		g_r.xpt[o].source = -1;
	}
}

static void publish(void)
{
	struct dp_error err;

	assert_int_equal(dp_publish(g_dp, &g_r, &err), 0);
}

static void take(unsigned o, int src, uint64_t not_before)
{
	g_r.xpt[o].source = (int16_t)src;
	g_r.xpt[o].take_id++;
	g_r.xpt[o].mode = DP_TAKE_IMMEDIATE;
	g_r.xpt[o].not_before_ns = not_before;
	publish();
}

static unsigned events(struct dp_event *ev, unsigned max)
{
	return dp_events_drain(g_dp, ev, max);
}

static int setup(void **state)
{
	char prefix[64];
	struct dp_config cfg = {0};
	struct dp_error err;

	(void)state;
	snprintf(prefix, sizeof(prefix), "--file-prefix=dput%d", (int)getpid());
	const char *args[] = {"test_dp_worker", "--no-pci", "--no-huge", "-m", "256", "--no-shconf",
			      "--no-telemetry", "--log-level=lib.eal:error", "-l", "0", prefix};

	cfg.n_eal_args = RTE_DIM(args);
	memcpy(cfg.eal_args, args, sizeof(args));
	cfg.n_ports = 1;
	snprintf(cfg.ports[0].devargs, sizeof(cfg.ports[0].devargs), "net_ring0");
	memcpy(cfg.ports[0].mac, "\x02\x00\x00\x00\x00\x99", 6);
	cfg.n_workers = 1;
	cfg.hold_pkts = 64;
	cfg.n_mbufs = 2047;
	cfg.n_hdr_mbufs = 1023;
	if (dp_create(&cfg, &g_dp, &err) < 0) {
		fprintf(stderr, "dp_create: %s\n", err.text);
		return -1;
	}
	routes_init();
	publish();
	/* the worker applies it: idle outputs report their (empty) take 0 */
	struct rte_mbuf *none = NULL;
	struct dp_event ev[4];

	dp_worker_process(g_dp->w[0], 0, &none, 0, 0);
	if (dp_events_drain(g_dp, ev, 4) != 2)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dp_destroy(g_dp);
	return 0;
}

/* Headers rewritten to the output identity, checksums right, payload as is. */
static void test_rewrite(void **state)
{
	struct rte_mbuf *out[64];
	struct dp_event ev[8];
	uint8_t b[256];
	unsigned n;

	(void)state;
	take(0, 0, 0);
	frame_pkt(IN_A, 0, 0, 1 * MS);
	frame_pkt(IN_A, 0, 1, 2 * MS);
	n = drain(out, 64);
	assert_int_equal(n, 2);
	for (unsigned i = 0; i < n; i++) {
		uint8_t mac[6];

		flat(out[i], b);
		sy_net_mcast_mac(OUT1, mac);
		assert_memory_equal(b, mac, 6);
		assert_memory_equal(b + 6, "\x02\x00\x00\x00\x00\x99", 6); /* port MAC */
		assert_int_equal(b[15] >> 2, 46);
		assert_int_equal(b[22], 7);
		assert_int_equal(sy_load_be32(b + 26), IP(10, 5, 5, 5));
		assert_int_equal(sy_load_be32(b + 30), OUT1);
		assert_int_equal(sy_net_csum_partial(b + 14, 20, 0), 0xffff); /* IPv4 checksum */
		assert_int_equal(sy_load_be16(b + 34), 7000);
		assert_int_equal(sy_load_be16(b + 36), 6000);
		assert_int_equal(sy_load_be16(b + 40), 0); /* UDP checksum zero */
		assert_int_equal(b[43] & 0x7f, 100);
		assert_int_equal(!!(b[43] & 0x80), i == 1); /* marker kept */
		assert_int_equal(sy_load_be16(b + 44), i);  /* output sequence from 0 */
		assert_int_equal(sy_load_be32(b + 46), 1000); /* timestamp preserved */
		assert_int_equal(sy_load_be32(b + 50), 0x12345678);
		assert_int_equal(sy_load_be16(b + 54), 0); /* extended seq (high half) */
		assert_int_equal(sy_load_be16(b + 58), i); /* SRD untouched */
		assert_int_equal(b[62], 0x0A);
	}
	free_all(out, n);
	assert_int_equal(events(ev, 8), 1);
	assert_int_equal(ev[0].kind, DP_EV_TAKE_DONE);
	assert_int_equal(ev[0].source, 0);
}

/* Every bad packet counted by reason, never forwarded. */
static void test_drops(void **state)
{
	struct dp_stats *st = calloc(1, sizeof(*st)), *st2 = calloc(1, sizeof(*st2));
	struct rte_mbuf *m, *out[8];
	uint8_t *b;
	struct pkt p = {.dst = IN_A, .seq = 50, .ts = 1000u + 1800u, .row = 0};

	(void)state;
	dp_stats_read(g_dp, st);
	p.dst = IP(239, 1, 1, 77); /* no input */
	feed(&p, 3 * MS);
	p.dst = IN_A;
	m = mk(&p);
	b = rte_pktmbuf_mtod(m, uint8_t *);
	b[42] = 0x40; /* RTP version 1 */
	dp_worker_process(g_dp->w[0], 0, &m, 1, 3 * MS);
	m = mk(&p);
	b = rte_pktmbuf_mtod(m, uint8_t *);
	sy_store_be16(b + 58, 7); /* row 7 of a 2-row raster */
	dp_worker_process(g_dp->w[0], 0, &m, 1, 3 * MS);
	m = mk(&p);
	b = rte_pktmbuf_mtod(m, uint8_t *);
	b[24] ^= 1; /* IPv4 checksum */
	dp_worker_process(g_dp->w[0], 0, &m, 1, 3 * MS);
	m = mk(&p);
	b = rte_pktmbuf_mtod(m, uint8_t *);
	b[43] = 97; /* PT */
	dp_worker_process(g_dp->w[0], 0, &m, 1, 3 * MS);
	assert_int_equal(drain(out, 8), 0);
	dp_stats_read(g_dp, st2);
	assert_int_equal(st2->drops[DP_DROP_no_flow] - st->drops[DP_DROP_no_flow], 1);
	assert_int_equal(st2->drops[DP_DROP_rtp_version] - st->drops[DP_DROP_rtp_version], 1);
	assert_int_equal(st2->drops[DP_DROP_srd_format] - st->drops[DP_DROP_srd_format], 1);
	assert_int_equal(st2->drops[DP_DROP_ip_checksum] - st->drops[DP_DROP_ip_checksum], 1);
	assert_int_equal(st2->drops[DP_DROP_rtp_pt] - st->drops[DP_DROP_rtp_pt], 1);
	assert_int_equal(st2->inputs[0].malformed - st->inputs[0].malformed, 4);
	assert_string_equal(dp_drop_name(DP_DROP_srd_format), "srd_format");
	free(st);
	free(st2);
}

/*
 * The new source leads: B's frame starts while A's frame is still running.
 * B is held until A's marker, then released: A1 A1 B1 B1, sequence
 * continuous, one frame held.
 */
static void test_switch_hold(void **state)
{
	struct rte_mbuf *out[64];
	struct dp_event ev[8];
	uint8_t b[256];
	unsigned n;

	(void)state;
	take(0, 1, 10 * MS + 50000); /* to B, not before 10.05 ms */
	frame_pkt(IN_A, 1, 0, 10 * MS);          /* A frame 1 starts */
	frame_pkt(IN_B, 1, 0, 10 * MS + 100000); /* B frame 1 starts: arms, held */
	frame_pkt(IN_B, 1, 1, 10 * MS + 150000); /* held */
	n = drain(out, 64);
	assert_int_equal(n, 1); /* only A1 p0 so far */
	free_all(out, n);
	frame_pkt(IN_A, 1, 1, 10 * MS + 200000); /* A's marker: release */
	frame_pkt(IN_A, 2, 0, 30 * MS);          /* A no longer on air */
	frame_pkt(IN_B, 2, 0, 30 * MS + 10);
	n = drain(out, 64);
	assert_int_equal(n, 4);
	const uint8_t fills[4] = {0x1A, 0x1B, 0x1B, 0x2B};

	for (unsigned i = 0; i < n; i++) {
		flat(out[i], b);
		assert_int_equal(b[62], fills[i]);
		assert_int_equal(sy_load_be16(b + 44), 3 + i); /* 0,1 then 2 (A1p0) ... */
	}
	free_all(out, n);
	assert_int_equal(events(ev, 8), 1);
	assert_int_equal(ev[0].kind, DP_EV_TAKE_DONE);
	assert_int_equal(ev[0].source, 1);
	assert_int_equal(ev[0].prev_source, 0);
	assert_int_equal(ev[0].frames_held, 1);
	assert_int_equal(ev[0].held_pkts, 2);
	assert_true(ev[0].flags & DP_TAKE_F_HELD);
	assert_int_equal(ev[0].switch_tai_ns, 10 * MS + 100000);
	frame_pkt(IN_B, 2, 1, 30 * MS + 20);
	free_all(out, drain(out, 64));
}

/* The old frame never ends (its marker lost): the held new source is
 * released after the timeout (1.5 frame periods = 30 ms at 50p). */
static void test_hold_timeout(void **state)
{
	struct rte_mbuf *out[64];
	struct dp_event ev[8];
	uint8_t b[256];
	unsigned n;

	(void)state;
	take(0, 0, 50 * MS + 50000);             /* back to A */
	frame_pkt(IN_B, 3, 0, 50 * MS);          /* B frame 3 starts (never ends) */
	frame_pkt(IN_A, 3, 0, 50 * MS + 100000); /* arms; held */
	frame_pkt(IN_A, 3, 1, 50 * MS + 200000); /* held */
	frame_pkt(IN_A, 4, 0, 70 * MS);          /* held (still within 30 ms) */
	n = drain(out, 64);
	assert_int_equal(n, 1);
	free_all(out, n);
	assert_int_equal(events(ev, 8), 0);
	frame_pkt(IN_A, 4, 1, 81 * MS); /* > 30 ms after the hold began: released */
	n = drain(out, 64);
	assert_int_equal(n, 4);
	for (unsigned i = 0; i < n; i++) {
		flat(out[i], b);
		assert_int_equal(b[62], i < 2 ? 0x3A : 0x4A);
	}
	free_all(out, n);
	assert_int_equal(events(ev, 8), 1);
	assert_true(ev[0].flags & DP_TAKE_F_TIMEOUT);
}

/* One input, two outputs: a header mbuf chained to an indirect clone for
 * one, the original for the other; same payload, own identities. */
static void test_fanout(void **state)
{
	struct rte_mbuf *out[64];
	struct dp_event ev[8];
	uint8_t b1[256], b2[256];
	unsigned n, chained = 0;

	(void)state;
	take(1, 0, 0);
	frame_pkt(IN_A, 5, 0, 100 * MS);
	frame_pkt(IN_A, 5, 1, 100 * MS + 1000);
	n = drain(out, 64);
	assert_int_equal(n, 4);
	for (unsigned i = 0; i < n; i += 2) {
		unsigned l1 = flat(out[i], b1), l2 = flat(out[i + 1], b2);

		assert_int_equal(l1, l2);
		assert_int_not_equal(sy_load_be32(b1 + 30), sy_load_be32(b2 + 30));
		assert_int_not_equal(sy_load_be32(b1 + 50), sy_load_be32(b2 + 50));
		assert_memory_equal(b1 + 56, b2 + 56, l1 - 56); /* payload */
		assert_int_equal(sy_net_csum_partial(b1 + 14, 20, 0), 0xffff);
		assert_int_equal(sy_net_csum_partial(b2 + 14, 20, 0), 0xffff);
		for (unsigned j = 0; j < 2; j++) {
			struct rte_mbuf *m = out[i + j];

			if (m->nb_segs == 2) {
				chained++;
				assert_true(RTE_MBUF_CLONED(m->next));
			}
		}
	}
	assert_int_equal(chained, 2); /* one copy per packet, the other original */
	free_all(out, n);
	assert_int_equal(events(ev, 8), 1);
}

/* A take from a source of another format is refused; nothing changes. */
static void test_refused(void **state)
{
	struct dp_error err;
	struct dp_routes *r = malloc(sizeof(*r));

	(void)state;
	memcpy(r, &g_r, sizeof(*r));
	r->inputs[1].fmt.video.rate.num = 25; /* B becomes 25p */
	r->xpt[0].source = 1;
	r->xpt[0].take_id++;
	assert_int_equal(dp_publish(g_dp, r, &err), -SY_E_FORMAT);
	assert_non_null(strstr(err.text, "take refused"));
	assert_non_null(strstr(err.text, "16x2p25"));
	free(r);
}

static void test_ping(void **state)
{
	struct dp_cmd c = {.kind = DP_CMD_PING, .cookie = 0xC0FFEE};
	struct dp_event ev[4];
	struct rte_mbuf *none = NULL;

	(void)state;
	assert_int_equal(dp_command(g_dp, 0, &c), 0);
	dp_worker_process(g_dp->w[0], 0, &none, 0, 200 * MS);
	assert_int_equal(events(ev, 4), 1);
	assert_int_equal(ev[0].kind, DP_EV_PONG);
	assert_int_equal(ev[0].cookie, 0xC0FFEE);
	assert_int_equal(dp_reclaim(g_dp), 0 + dp_reclaim(g_dp)); /* never blocks */
}

/* A scheduled take waits for its time; a newer take id waits behind it;
 * DP_CMD_CANCEL_TAKE cancels the waiting one, then the newer one runs. */
static void test_cancel(void **state)
{
	struct rte_mbuf *out[64];
	struct dp_event ev[8];
	struct dp_cmd c = {.kind = DP_CMD_CANCEL_TAKE, .output = 0};
	uint8_t b[256];
	unsigned n, n1 = 0;
	uint8_t fills[8];

	(void)state;
	g_r.xpt[0].source = 1;
	g_r.xpt[0].take_id++;
	g_r.xpt[0].mode = DP_TAKE_AT_TAI;
	g_r.xpt[0].tai_ns = 10000 * MS; /* far ahead */
	publish();
	frame_pkt(IN_A, 6, 0, 300 * MS); /* A still on air; the take waits */
	assert_int_equal(events(ev, 8), 0);
	take(0, 1, 0);                   /* immediate take to B: queued behind */
	frame_pkt(IN_A, 6, 1, 301 * MS);
	assert_int_equal(events(ev, 8), 0);
	assert_int_equal(dp_command(g_dp, 0, &c), 0);
	/* the cancel runs first; the queued take starts and this packet arms
	 * it (t_s = 320 ms): A's frame 7 starts at t_s, so it is not sent */
	frame_pkt(IN_A, 7, 0, 320 * MS);
	frame_pkt(IN_A, 7, 1, 321 * MS);
	frame_pkt(IN_B, 8, 0, 340 * MS);
	frame_pkt(IN_B, 8, 1, 341 * MS);
	n = drain(out, 64);
	for (unsigned i = 0; i < n; i++) {
		flat(out[i], b);
		if (sy_load_be32(b + 30) == OUT1 && n1 < 8)
			fills[n1++] = b[62];
	}
	free_all(out, n);
	assert_int_equal(n1, 4); /* output 2 (still on A) carries A's frames too */
	const uint8_t want[4] = {0x6A, 0x6A, 0x8B, 0x8B};

	assert_memory_equal(fills, want, 4);
	assert_int_equal(events(ev, 8), 2);
	assert_int_equal(ev[0].kind, DP_EV_TAKE_REFUSED);
	assert_int_equal(ev[0].code, -ECANCELED);
	assert_int_equal(ev[0].take_id, g_r.xpt[0].take_id - 1);
	assert_int_equal(ev[1].kind, DP_EV_TAKE_DONE);
	assert_int_equal(ev[1].take_id, g_r.xpt[0].take_id);
	assert_int_equal(ev[1].source, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_drops),
		cmocka_unit_test(test_switch_hold),
		cmocka_unit_test(test_hold_timeout),
		cmocka_unit_test(test_fanout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
