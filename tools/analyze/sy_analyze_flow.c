/* SPDX-License-Identifier: MIT */
/*
 * sy_analyze_flow.c: the flow table of sy-analyze and everything checked at
 * the RTP level: packets, bytes, sequence loss / duplicates / reordering
 * (16-bit and RFC 4175 32-bit extended), payload type, SSRC, malformed
 * packets by reason (the sy_err name). Media-specific checks are handed to
 * the video / audio / anc modules once a flow is matched to an SDP media.
 *
 * A flow is one destination IP:port (an ST 2110 group carries one sender;
 * 2022-7 legs have distinct destinations, so each leg is its own flow). The
 * SSRC of its first packet is the flow's; a packet with another SSRC is a
 * "wrong SSRC" packet: counted and listed, kept in the sequence accounting
 * (it is on the wire in its place), and not used as media (a receiver
 * filtering on SSRC drops it). The same holds for a wrong payload type.
 *
 * Single-threaded (the tool's only thread).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sy_analyze.h"
#include "sy_bytes.h"
#include "sy_rfc4175.h"

struct sy_analyze_flow sy_analyze_flows[SY_ANALYZE_MAX_FLOWS];
unsigned sy_analyze_n_flows;

static struct sy_sdp sdps[SY_ANALYZE_MAX_SDPS];
static const char *sdp_paths[SY_ANALYZE_MAX_SDPS];
static unsigned n_sdps;
static bool warned_full;

/* ---- SDP ---- */

int sy_analyze_flow_load_sdp(const char *path)
{
	static char text[65536];
	struct sy_sdp_error err;
	FILE *fp;
	size_t n;

	if (n_sdps == SY_ANALYZE_MAX_SDPS) {
		fprintf(stderr, "sy-analyze: at most %u SDP files\n", SY_ANALYZE_MAX_SDPS);
		return -1;
	}
	fp = fopen(path, "rb");
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

const struct sy_sdp_media *sy_analyze_flow_media(const struct sy_analyze_flow *f)
{
	return f->sdp ? &f->sdp->media[f->media_idx] : NULL;
}

void sy_analyze_flow_dst(const struct sy_analyze_flow *f, char buf[24])
{
	char ip[16];

	sy_net_ip_format(f->key.dst_ip, ip);
	snprintf(buf, 24, "%s:%u", ip, f->key.dst_port);
}

static void flow_attach(struct sy_analyze_flow *f)
{
	for (unsigned s = 0; s < n_sdps; s++)
		for (unsigned i = 0; i < sdps[s].n_media; i++) {
			const struct sy_sdp_conn *c = sy_sdp_media_conn(&sdps[s], i);

			if (!c || c->ip != f->key.dst_ip || sdps[s].media[i].port != f->key.dst_port)
				continue;
			f->sdp = &sdps[s];
			f->sdp_path = sdp_paths[s];
			f->media_idx = i;
			for (unsigned d = 0; d < sdps[s].n_dup; d++)
				if (sdps[s].dup_media[d] == i)
					f->dup_leg = (int)d;
			goto found;
		}
	return;
found:;
	const struct sy_sdp_media *m = sy_analyze_flow_media(f);

	f->pt = m->pt;
	switch (m->essence) {
	case SY_SDP_VIDEO:
		if (sy_analyze_video_init(f, &m->video.fmt) < 0) {
			char dst[24];

			sy_analyze_flow_dst(f, dst);
			fprintf(stderr, "sy-analyze: %s: %s: video format not supported\n",
				f->sdp_path, dst);
			exit(2);
		}
		break;
	case SY_SDP_AUDIO:
		f->audio = sy_analyze_xcalloc(1, sizeof(*f->audio));
		f->audio->spp_min = UINT32_MAX;
		break;
	case SY_SDP_ANC:
		f->anc = sy_analyze_xcalloc(1, sizeof(*f->anc));
		break;
	default:
		break;
	}
}

static struct sy_analyze_flow *flow_get(const struct sy_flow_key *k)
{
	struct sy_analyze_flow *f;

	for (unsigned i = 0; i < sy_analyze_n_flows; i++)
		if (sy_analyze_flows[i].key.dst_ip == k->dst_ip &&
		    sy_analyze_flows[i].key.dst_port == k->dst_port)
			return &sy_analyze_flows[i];
	if (sy_analyze_n_flows == SY_ANALYZE_MAX_FLOWS) {
		if (!warned_full)
			fprintf(stderr, "sy-analyze: more than %u flows; the rest are ignored\n",
				SY_ANALYZE_MAX_FLOWS);
		warned_full = true;
		return NULL;
	}
	f = &sy_analyze_flows[sy_analyze_n_flows++];
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->dup_leg = -1;
	sy_analyze_seq_init(&f->seq16, 0xffffu);
	sy_analyze_seq_init(&f->seq32, 0xffffffffu);
	flow_attach(f);
	return f;
}

const char *sy_analyze_err_name(int code)
{
	const char *n = sy_err_name(code < 0 ? code : -code);

	if (!n)
		return "OTHER";
	return strncmp(n, "SY_E_", 5) ? n : n + 5;
}

void sy_analyze_flow_malformed(struct sy_analyze_flow *f, int rc, int64_t seq)
{
	int c = rc < 0 ? -rc : rc;

	if (c > SY_E_BASE && c < SY_E_MAX)
		f->err_count[c - SY_E_BASE]++;
	else
		f->err_count[0]++;
	if (seq >= 0) {
		sy_analyze_list_add(&f->malformed_seq, (uint32_t)seq);
		sy_analyze_list_add(&f->malformed_reason, (uint32_t)c);
	}
}

/*
 * A frame sy_net_parse_udp() rejects may still be an RTP packet of a known
 * flow whose tail was cut (caplen or IP/UDP lengths): find its destination
 * and, if the RTP header survived, its sequence number, so it is attributed
 * and listed instead of looking like a loss. Header offsets as sy_net.h.
 */
static bool peek_cut(const uint8_t *d, size_t len, struct sy_flow_key *k, int64_t *seq)
{
	size_t ihl, udp;

	if (len < SY_ETH_HDR_BYTES + SY_IPV4_HDR_BYTES + SY_UDP_HDR_BYTES)
		return false;
	if (sy_load_be16(d + 12) != 0x0800 || (d[14] >> 4) != 4 || d[14 + 9] != 17)
		return false;
	ihl = (size_t)(d[14] & 0xf) * 4;
	udp = SY_ETH_HDR_BYTES + ihl;
	if (ihl < SY_IPV4_HDR_BYTES || len < udp + SY_UDP_HDR_BYTES)
		return false;
	k->src_ip = sy_load_be32(d + 14 + 12);
	k->dst_ip = sy_load_be32(d + 14 + 16);
	k->src_port = sy_load_be16(d + udp);
	k->dst_port = sy_load_be16(d + udp + 2);
	*seq = -1;
	if (len >= udp + SY_UDP_HDR_BYTES + 4 && (d[udp + 8] >> 6) == 2)
		*seq = sy_load_be16(d + udp + 8 + 2);
	return true;
}

static void seq_account(struct sy_analyze_flow *f, uint16_t seq)
{
	sy_analyze_seq_feed(&f->seq16, sy_rtp_unwrap16(&f->unwrap16, seq));
}

void sy_analyze_flow_packet(const uint8_t *data, size_t caplen, size_t wire_len, uint64_t t_ns)
{
	struct sy_udp_view u;
	struct sy_rtp r;
	struct sy_analyze_flow *f;
	const struct sy_sdp_media *m;
	int rc = sy_net_parse_udp(data, caplen, true, &u);

	if (rc < 0) {
		struct sy_flow_key k;
		int64_t seq;

		if (!peek_cut(data, caplen, &k, &seq))
			return; /* not UDP/IPv4: not a media flow */
		f = flow_get(&k);
		if (!f)
			return;
		if (!f->packets)
			f->first_ns = t_ns;
		f->last_ns = t_ns;
		f->packets++;
		f->bytes += wire_len;
		if (seq >= 0 && f->rtp_packets)
			seq_account(f, (uint16_t)seq);
		sy_analyze_flow_malformed(f, rc, seq);
		return;
	}
	f = flow_get(&u.key);
	if (!f)
		return;
	if (!f->packets) {
		f->first_ns = t_ns;
		f->key.src_ip = u.key.src_ip;
		f->key.src_port = u.key.src_port;
	}
	f->last_ns = t_ns;
	f->packets++;
	f->bytes += wire_len;
	rc = sy_rtp_parse(u.payload, u.payload_len, &r);
	if (rc < 0) {
		sy_analyze_flow_malformed(f, rc, u.payload_len >= 4 ? sy_load_be16(u.payload + 2) : -1);
		return;
	}
	if (!f->rtp_packets) {
		f->ssrc = r.ssrc;
		f->first_ts = r.ts;
		if (!f->sdp)
			f->pt = r.pt;
	}
	f->rtp_packets++;
	f->last_ts = r.ts;
	f->markers += r.marker;
	if (sy_analyze_opts.packets_out) {
		char dst[24];

		sy_analyze_flow_dst(f, dst);
		fprintf(sy_analyze_opts.packets_out, "%s\t%u\t%u\t%d\n", dst, r.seq, r.ts,
			r.marker ? 1 : 0);
	}
	seq_account(f, r.seq);
	m = sy_analyze_flow_media(f);
	if (f->video)
		/* timing measures the wire: every packet of the flow */
		sy_analyze_timing_packet(f, t_ns, r.ts);
	if (r.ssrc != f->ssrc) {
		sy_analyze_list_add(&f->wrong_ssrc_seq, r.seq);
		return;
	}
	if (r.pt != f->pt) {
		sy_analyze_list_add(&f->wrong_pt_seq, r.seq);
		return;
	}
	if (!m)
		return;
	if (f->video)
		sy_analyze_video_packet(f, &r, t_ns);
	else if (f->audio)
		sy_analyze_audio_packet(f, &r, t_ns);
	else if (f->anc)
		sy_analyze_anc_packet(f, &r);
}

void sy_analyze_flow_seq32(struct sy_analyze_flow *f, uint16_t ext, uint16_t seq)
{
	if (ext)
		f->seq32_used = true;
	sy_analyze_seq_feed(&f->seq32, sy_rtp_unwrap32(&f->unwrap32, sy_rtp_seq32(ext, seq)));
}

void sy_analyze_flow_finish(void)
{
	for (unsigned i = 0; i < sy_analyze_n_flows; i++) {
		struct sy_analyze_flow *f = &sy_analyze_flows[i];

		if (f->video)
			sy_analyze_video_finish(f);
		if (f->audio)
			sy_analyze_audio_finish(f);
		sy_analyze_seq_finish(&f->seq16);
		sy_analyze_seq_finish(&f->seq32);
		const char *names[32];
		f->fault_count = sy_analyze_flow_faults(f, names, 32);
	}
}

static uint64_t malformed_total(const struct sy_analyze_flow *f)
{
	uint64_t n = 0;

	for (unsigned e = 0; e <= SY_ANALYZE_N_ERR; e++)
		n += f->err_count[e];
	return n;
}

unsigned sy_analyze_flow_faults(const struct sy_analyze_flow *f, const char **names, unsigned max)
{
	unsigned n = 0;
#define FAULT(cond, name)                 \
	do {                              \
		if ((cond) && n < max)    \
			names[n++] = name; \
	} while (0)

	FAULT(f->seq16.lost, "loss");
	FAULT(f->seq16.dup, "duplicate");
	FAULT(f->seq16.reordered || f->seq16.too_old, "reorder");
	FAULT(f->seq32_used && (f->seq32.lost || f->seq32.dup || f->seq32.reordered),
	      "sequence32");
	FAULT(malformed_total(f), "malformed");
	FAULT(f->wrong_pt_seq.total, "wrong_pt");
	FAULT(f->wrong_ssrc_seq.total, "wrong_ssrc");
	if (f->video) {
		const struct sy_analyze_video *v = f->video;

		FAULT(sy_analyze_video_complete(v) != v->n_frames, "incomplete_frame");
		FAULT(sy_analyze_video_marker_errors(v), "marker");
		FAULT(v->delta_bad, "rtp_delta");
		FAULT(v->late_packets, "late_packet");
		FAULT(v->torn, "torn_frame");
		/* ST 2110-21 compliance is graded on its own (--expect-narrow) */
	}
	if (f->audio) {
		FAULT(f->audio->ptime_bad, "ptime");
		FAULT(f->audio->ts_discont, "ts_discontinuity");
	}
	if (f->anc) {
		FAULT(f->anc->marker_errors, "marker");
		FAULT(f->anc->checksum_errors || f->anc->parity_errors, "anc_checksum");
		FAULT(f->anc->atc_errors || f->anc->atc_jumps, "atc");
	}
#undef FAULT
	return n;
}
