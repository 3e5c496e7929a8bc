/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze.c: sy-analyze, read ST 2110 captures (classic pcap) and report
 * per flow what is in them, using only src/ for every protocol decision.
 *
 * First version (issue 2): flows by destination and SSRC; packets, bytes,
 * rate; sequence loss/duplicates/reordering (16-bit, unwrapped); malformed
 * packets counted by reason (the sy_err name); with an SDP for the flow:
 * video frames rebuilt by the RFC 4175 depacketizer, complete/incomplete by
 * pgroup coverage, per-frame MD5 (comparable with FFmpeg's framemd5); audio
 * samples per packet and per-channel peak; ANC packets parsed and checked.
 * The full analyzer (ST 2110-21 timing, stamps, torn frames, JSON, exit
 * codes) is issue 3.
 *
 * Single-threaded command-line tool; allocates freely (not a hot path).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_err.h"
#include "sy_format.h"
#include "sy_net.h"
#include "sy_rfc4175.h"
#include "sy_rtp.h"
#include "sy_sdp.h"
#include "sy_st2110_30.h"
#include "sy_st2110_40.h"

#define MAX_FLOWS 64
#define MAX_SDPS 16
#define MAX_FRAMES_LISTED 100000

struct media_ref {
	const struct sy_sdp *sdp;
	const char *path;
	unsigned idx;
};

struct frame_rec {
	uint32_t ts;
	uint32_t packets;
	bool complete;
	bool marker;
	uint32_t rows_missing;
	char md5[33];
};

struct flow {
	struct sy_flow_key key;
	uint32_t ssrc;
	uint8_t pt;
	struct media_ref media; /* media.sdp NULL: unknown essence */
	uint64_t packets, bytes, first_ns, last_ns;
	uint64_t lost, dup, reordered;
	uint64_t highest;
	struct sy_rtp_unwrap unwrap;
	uint64_t err_count[SY_E_MAX - SY_E_BASE];
	/* video */
	struct sy_rfc4175_frame fr;
	uint8_t *fb, *cov;
	bool in_frame;
	uint32_t cur_ts;
	uint32_t cur_packets;
	bool cur_marker;
	struct frame_rec *frames;
	size_t n_frames, cap_frames;
	uint32_t srd_max;
	uint64_t ext_seq_nonzero;
	/* audio */
	uint64_t samples;
	uint32_t spp_min, spp_max;
	int32_t peak[64];
	/* anc */
	uint64_t anc_packets;
};

static struct flow flows[MAX_FLOWS];
static unsigned n_flows;
static struct sy_sdp sdps[MAX_SDPS];
static const char *sdp_paths[MAX_SDPS];
static unsigned n_sdps;
static bool opt_frames = true;

static void count_err(struct flow *f, int rc)
{
	int c = rc < 0 ? -rc : rc;

	if (c > SY_E_BASE && c < SY_E_MAX)
		f->err_count[c - SY_E_BASE]++;
	else
		f->err_count[0]++;
}

static bool media_match(const struct sy_sdp *s, unsigned i, const struct sy_flow_key *k)
{
	const struct sy_sdp_conn *c = sy_sdp_media_conn(s, i);

	return c && c->ip == k->dst_ip && s->media[i].port == k->dst_port;
}

static void flow_attach(struct flow *f)
{
	for (unsigned s = 0; s < n_sdps; s++)
		for (unsigned i = 0; i < sdps[s].n_media; i++)
			if (media_match(&sdps[s], i, &f->key)) {
				f->media = (struct media_ref){ &sdps[s], sdp_paths[s], i };
				goto found;
			}
	return;
found:
	if (f->media.sdp->media[f->media.idx].essence == SY_SDP_VIDEO) {
		const struct sy_video_format *fmt = &f->media.sdp->media[f->media.idx].video.fmt;
		size_t fb = (size_t)sy_format_frame_bytes(fmt), cb = sy_rfc4175_coverage_bytes(fmt);

		f->fb = calloc(1, fb);
		f->cov = calloc(1, cb);
		if (!f->fb || !f->cov || sy_rfc4175_frame_init(&f->fr, fmt, f->fb, fb, f->cov, cb)) {
			fprintf(stderr, "sy-analyze: cannot set up a frame buffer for %s\n",
				f->media.path);
			exit(2);
		}
	}
}

static struct flow *flow_get(const struct sy_flow_key *k, uint32_t ssrc)
{
	for (unsigned i = 0; i < n_flows; i++)
		if (flows[i].key.dst_ip == k->dst_ip && flows[i].key.dst_port == k->dst_port &&
		    flows[i].ssrc == ssrc)
			return &flows[i];
	if (n_flows == MAX_FLOWS)
		return NULL;
	struct flow *f = &flows[n_flows++];
	f->key = *k;
	f->ssrc = ssrc;
	f->spp_min = UINT32_MAX;
	flow_attach(f);
	return f;
}

static void md5_hex(const uint8_t *buf, size_t len, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(buf, len, md, &n, EVP_md5(), NULL);
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void video_end_frame(struct flow *f)
{
	struct frame_rec r = {
		.ts = f->cur_ts,
		.packets = f->cur_packets,
		.complete = sy_rfc4175_frame_complete(&f->fr),
		.marker = f->cur_marker,
		.rows_missing = sy_rfc4175_frame_rows_incomplete(&f->fr),
	};

	md5_hex(f->fb, (size_t)sy_format_frame_bytes(&f->fr.fmt), r.md5);
	if (f->n_frames == f->cap_frames) {
		f->cap_frames = f->cap_frames ? 2 * f->cap_frames : 64;
		f->frames = realloc(f->frames, f->cap_frames * sizeof(*f->frames));
		if (!f->frames) {
			perror("sy-analyze");
			exit(2);
		}
	}
	f->frames[f->n_frames++] = r;
	sy_rfc4175_frame_reset(&f->fr);
	memset(f->fb, 0, (size_t)sy_format_frame_bytes(&f->fr.fmt));
	f->in_frame = false;
	f->cur_packets = 0;
	f->cur_marker = false;
}

static void on_video(struct flow *f, const struct sy_rtp *r)
{
	struct sy_rfc4175_pkt pkt;
	int rc = sy_rfc4175_parse(r->payload, r->payload_len, &pkt);

	if (rc == 0)
		rc = sy_rfc4175_validate(&pkt, &f->fr.fmt);
	if (rc < 0) {
		count_err(f, rc);
		return;
	}
	/* frames are keyed on the timestamp; the marker is a hint */
	if (f->in_frame && r->ts != f->cur_ts)
		video_end_frame(f);
	f->in_frame = true;
	f->cur_ts = r->ts;
	f->cur_packets++;
	if (pkt.ext_seq)
		f->ext_seq_nonzero++;
	if (pkt.n_srd > f->srd_max)
		f->srd_max = pkt.n_srd;
	sy_rfc4175_frame_place(&f->fr, &pkt);
	if (r->marker) {
		f->cur_marker = true;
		/* interlaced: a frame is two fields, each with its own marker */
		if (!f->fr.fmt.interlaced || pkt.srd[pkt.n_srd - 1].field)
			video_end_frame(f);
	}
}

static void on_audio(struct flow *f, const struct sy_rtp *r)
{
	const struct sy_st2110_30_format *a = &f->media.sdp->media[f->media.idx].audio.fmt;
	uint32_t frames;
	int rc = sy_st2110_30_payload_frames(a, r->payload_len, &frames);

	if (rc < 0) {
		count_err(f, rc);
		return;
	}
	f->samples += frames;
	if (frames < f->spp_min)
		f->spp_min = frames;
	if (frames > f->spp_max)
		f->spp_max = frames;
	for (uint32_t i = 0; i < frames; i++)
		for (uint32_t c = 0; c < a->channels && c < 64; c++) {
			int32_t v = sy_st2110_30_read(r->payload, a->encoding, a->channels, i, c);
			if (v < 0)
				v = v == INT32_MIN ? INT32_MAX : -v;
			if (v > f->peak[c])
				f->peak[c] = v;
		}
}

static void on_anc(struct flow *f, const struct sy_rtp *r)
{
	struct sy_st2110_40_view v;
	struct sy_st2110_40_iter it;
	struct sy_st2110_40_anc anc;
	int rc = sy_st2110_40_parse(r->payload, r->payload_len, &v);

	if (rc < 0) {
		count_err(f, rc);
		return;
	}
	sy_st2110_40_iter_init(&v, &it);
	while (sy_st2110_40_next(&it, &anc))
		f->anc_packets++;
}

static void on_packet(const uint8_t *data, size_t len, uint64_t t_ns)
{
	struct sy_udp_view u;
	struct sy_rtp r;
	struct flow *f;
	int rc = sy_net_parse_udp(data, len, true, &u);

	if (rc < 0)
		return; /* not UDP/IPv4: not a media flow */
	rc = sy_rtp_parse(u.payload, u.payload_len, &r);
	f = flow_get(&u.key, rc == 0 ? r.ssrc : 0);
	if (!f)
		return;
	if (!f->packets)
		f->first_ns = t_ns;
	f->last_ns = t_ns;
	f->packets++;
	f->bytes += len;
	if (rc < 0) {
		count_err(f, rc);
		return;
	}
	f->pt = r.pt;
	uint64_t s = sy_rtp_unwrap16(&f->unwrap, r.seq);
	if (f->packets == 1 || s == f->highest + 1) {
		f->highest = s;
	} else if (s > f->highest) {
		f->lost += s - f->highest - 1;
		f->highest = s;
	} else if (s == f->highest) {
		f->dup++;
	} else {
		f->reordered++; /* late: it was counted lost when the gap opened */
		if (f->lost)
			f->lost--;
	}
	if (!f->media.sdp)
		return;
	if (r.pt != f->media.sdp->media[f->media.idx].pt) {
		count_err(f, -SY_E_RTP_PT);
		return;
	}
	switch (f->media.sdp->media[f->media.idx].essence) {
	case SY_SDP_VIDEO: on_video(f, &r); break;
	case SY_SDP_AUDIO: on_audio(f, &r); break;
	case SY_SDP_ANC: on_anc(f, &r); break;
	default: break;
	}
}

static int read_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							    errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (!p) {
		fprintf(stderr, "sy-analyze: %s: %s\n", path, errbuf);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "sy-analyze: %s: not an Ethernet capture\n", path);
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		on_packet(data, h->caplen,
			  (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec);
	if (rc == -1)
		fprintf(stderr, "sy-analyze: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	return rc == -1 ? -1 : 0;
}

static int load_sdp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	static char text[65536];
	struct sy_sdp_error err;
	size_t n;

	if (n_sdps == MAX_SDPS) {
		fprintf(stderr, "sy-analyze: at most %d SDP files\n", MAX_SDPS);
		return -1;
	}
	if (!fp) {
		fprintf(stderr, "sy-analyze: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text), fp);
	fclose(fp);
	if (sy_sdp_parse(text, n, &sdps[n_sdps], &err) < 0) {
		fprintf(stderr, "sy-analyze: %s: %s\n", path, err.reason);
		return -1;
	}
	for (unsigned i = 0; i < sdps[n_sdps].n_warnings; i++)
		fprintf(stderr, "sy-analyze: %s: warning: line %u: %s\n", path,
			sdps[n_sdps].warnings[i].line, sdps[n_sdps].warnings[i].text);
	sdp_paths[n_sdps++] = path;
	return 0;
}

static void report_flow(const struct flow *f)
{
	char dst[16];
	double dur = (double)(f->last_ns - f->first_ns) / 1e9;

	sy_net_ip_format(f->key.dst_ip, dst);
	printf("flow %s:%u ssrc 0x%08x pt %u", dst, f->key.dst_port, f->ssrc, f->pt);
	if (f->media.sdp) {
		const struct sy_sdp_media *m = &f->media.sdp->media[f->media.idx];
		printf("  %s (%s)", sy_sdp_essence_name(m->essence), f->media.path);
	} else {
		printf("  (no SDP: RTP checks only)");
	}
	printf("\n  packets %" PRIu64 "  bytes %" PRIu64 "  duration %.6f s", f->packets, f->bytes,
	       dur);
	if (dur > 0)
		printf("  rate %.3f Mb/s", (double)f->bytes * 8 / dur / 1e6);
	printf("\n  sequence: %" PRIu64 " lost, %" PRIu64 " duplicate, %" PRIu64 " reordered\n",
	       f->lost, f->dup, f->reordered);
	for (int e = 0; e < SY_E_MAX - SY_E_BASE; e++)
		if (f->err_count[e])
			printf("  malformed: %" PRIu64 " x %s (%s)\n", f->err_count[e],
			       e ? sy_err_name(-(SY_E_BASE + e)) : "other",
			       e ? sy_err_str(-(SY_E_BASE + e)) : "");
	if (!f->media.sdp)
		return;
	const struct sy_sdp_media *m = &f->media.sdp->media[f->media.idx];
	if (m->essence == SY_SDP_VIDEO) {
		const struct sy_video_format *v = &m->video.fmt;
		size_t complete = 0;

		for (size_t i = 0; i < f->n_frames; i++)
			complete += f->frames[i].complete;
		printf("  video %ux%u%c %u/%u %s %u-bit %s\n", v->width, v->height,
		       v->interlaced ? 'i' : 'p', v->rate.num, v->rate.den,
		       sy_format_sampling_name(v->sampling), v->depth,
		       sy_format_packing_name(v->packing));
		printf("  frames: %zu complete, %zu incomplete; up to %u SRDs per packet; "
		       "extended seq %s\n",
		       complete, f->n_frames - complete, f->srd_max,
		       f->ext_seq_nonzero ? "used" : "always 0");
		for (size_t i = 0; opt_frames && i < f->n_frames && i < MAX_FRAMES_LISTED; i++) {
			const struct frame_rec *r = &f->frames[i];
			printf("  frame %zu ts %u packets %u %s%s md5 %s\n", i, r->ts, r->packets,
			       r->complete ? "complete" : "INCOMPLETE",
			       r->marker ? "" : " (no marker)", r->md5);
			if (!r->complete)
				printf("    %u rows incomplete\n", r->rows_missing);
		}
	} else if (m->essence == SY_SDP_AUDIO) {
		const struct sy_st2110_30_format *a = &m->audio.fmt;
		uint32_t full = a->encoding == SY_ST2110_30_L24 ? 8388608u : 32768u;

		printf("  audio %s %u Hz %u ch, ptime %u us: %" PRIu64
		       " sample frames, %u..%u per packet\n",
		       sy_st2110_30_encoding_name(a->encoding), a->rate_hz, a->channels,
		       a->ptime_ns / 1000, f->samples, f->spp_min == UINT32_MAX ? 0 : f->spp_min,
		       f->spp_max);
		printf("  peak dBFS:");
		for (uint32_t c = 0; c < a->channels && c < 64; c++)
			printf(" %.1f", f->peak[c] ? 20 * log10((double)f->peak[c] / full) : -INFINITY);
		printf("\n");
	} else {
		printf("  anc: %" PRIu64 " ANC packets\n", f->anc_packets);
	}
}

static void usage(FILE *o)
{
	fprintf(o,
		"usage: sy-analyze [--sdp FILE]... [--no-frames] CAPTURE.pcap...\n"
		"Reads classic pcap captures (Ethernet, ns or us timestamps) and reports every\n"
		"UDP/RTP flow: packets, rate, sequence loss/duplicates/reordering and malformed\n"
		"packets by reason. Flows whose destination matches a media description in an\n"
		"--sdp file are decoded: ST 2110-20 frames rebuilt with per-frame completeness\n"
		"and MD5 (the MD5 FFmpeg's -c:v copy -f framemd5 prints), ST 2110-30 samples\n"
		"and peaks, ST 2110-40 ANC packets.\n"
		"  --sdp FILE     session description of flows in the captures (repeatable)\n"
		"  --no-frames    do not list frames one by one\n"
		"  --help         this text\n"
		"Exit status: 0 read and reported, 1 a capture or SDP could not be read, 2 usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sdp", required_argument, NULL, 's' },
		{ "no-frames", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "s:nh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (load_sdp(optarg) < 0)
				return 1;
			break;
		case 'n': opt_frames = false; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++)
		if (read_pcap(argv[i]) < 0)
			rc = 1;
	for (unsigned i = 0; i < n_flows; i++) {
		if (flows[i].in_frame)
			video_end_frame(&flows[i]);
		report_flow(&flows[i]);
	}
	return rc;
}
