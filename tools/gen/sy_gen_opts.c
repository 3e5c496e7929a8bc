/* SPDX-License-Identifier: MIT */
/*
 * sy_gen_opts.c: sy-gen's command line (the issue 3 contract between sy-gen
 * and sy-analyze; docs/sy-gen.md lists every option with examples).
 *
 * Global options may appear anywhere. Each --video, --audio or --anc starts
 * a flow; the options after it, up to the next flow, belong to that flow.
 * Fault options apply to leg A unless a --leg B / --leg AB came before them
 * in the same flow. Every parse error names the option and the value.
 * Single-threaded tool code.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sy_gen.h"

#include "sy_err.h"
#include "sy_net.h"
#include "sy_time.h"

void sy_gen_opts_usage(FILE *f)
{
	fprintf(f,
"usage: sy-gen --out FILE.pcap [--sdp FILE.sdp] [--manifest FILE.json] [--seed N]\n"
"              [--tai-start SEC[.NS]] [--capture-offset-ns N] [--ptp GMID:DOMAIN] FLOW...\n"
"FLOW: --video FORMAT | --audio ENC/RATE/CH | --anc, then its options:\n"
"  video: --sampling S --depth D --packing GPM|BPM --payload BYTES --layout row|continuous\n"
"         --pattern moving|bars|bars100|black --source-id ID --frames N --frame-start K\n"
"         --colorimetry C --tcs T\n"
"         FORMAT: 720p50 1080p59.94 1080i50 2160p59.94 ... or WxH{p|i}RATE (i: field rate)\n"
"  audio: --ptime 1ms|125us|250us|333us|4ms --tone HZ --level DBFS --per-channel --silence\n"
"         --duration-ms MS --channel-order SMPTE2110.(...)\n"
"  anc:   --rate RATE --interlace --frames N --frame-start K (default: the video before it)\n"
"  any:   --dst IP:PORT --src IP[:PORT] --ssrc X --pt N --ttl N --dscp N --seq-start N\n"
"         --timing narrow|narrow-linear|wide|burst --link-gbps G\n"
"  faults (K = packet index in the flow, F = frame index, both 0-based):\n"
"         --loss RATE --loss-burst N@K --reorder K --dup K --truncate K --bad-srd-len K\n"
"         --bad-srd-offset K --wrong-pt K --wrong-ssrc K --no-marker F\n"
"         --2022-7 SKEW_MS [--dst-b IP:PORT] [--src-b IP[:PORT]] --loss-a RATE --loss-b RATE\n"
"         --leg A|B|AB   (which leg the following fault options apply to; default A)\n"
"See docs/sy-gen.md.\n");
}

struct ctx {
	int argc;
	char **argv;
	int i;
	const char *opt;
	struct sy_gen_run *run;
	struct sy_gen_flow *flow;
};

static int bad(struct ctx *c, const char *val, const char *why)
{
	fprintf(stderr, "sy-gen: %s '%s': %s\n", c->opt, val ? val : "", why);
	return -1;
}

static const char *arg(struct ctx *c)
{
	if (c->i + 1 >= c->argc) {
		fprintf(stderr, "sy-gen: %s needs a value\n", c->opt);
		return NULL;
	}
	return c->argv[++c->i];
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Decimal "[-]I[.F]" scaled by 10^digits, exactly (no float): "0.5", 6 -> 500000. */
static int parse_fixed(const char *s, unsigned digits, int64_t *out)
{
	int64_t v = 0, sign = 1;
	unsigned frac = 0;
	bool dot = false, any = false;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = true;
			continue;
		}
		if (*s < '0' || *s > '9' || v > INT64_MAX / 20)
			return -1;
		if (dot && frac == digits)
			return -1; /* more precision than representable */
		v = v * 10 + (*s - '0');
		any = true;
		if (dot)
			frac++;
	}
	if (!any)
		return -1;
	for (; frac < digits; frac++) {
		if (v > INT64_MAX / 10)
			return -1;
		v *= 10;
	}
	*out = sign * v;
	return 0;
}

/* "50", "59.94", "23.98", "29.97", "60000/1001" -> rational. */
static int parse_rate(const char *s, struct sy_rate *r)
{
	int64_t milli;
	uint64_t num, den;
	const char *slash = strchr(s, '/');

	if (slash) {
		char buf[32];

		if ((size_t)(slash - s) >= sizeof(buf))
			return -1;
		memcpy(buf, s, (size_t)(slash - s));
		buf[slash - s] = 0;
		if (parse_u64(buf, 1u << 20, &num) || parse_u64(slash + 1, 1u << 11, &den) ||
		    !num || !den)
			return -1;
		*r = (struct sy_rate){ (uint32_t)num, (uint32_t)den };
		return 0;
	}
	if (parse_fixed(s, 3, &milli) || milli <= 0 || milli > 1000000)
		return -1;
	if (milli % 1000 == 0) {
		*r = (struct sy_rate){ (uint32_t)(milli / 1000), 1 };
		return 0;
	}
	/* a 1001 rate: nominal * 1000 / 1001 within 0.01 */
	num = (uint64_t)(milli + 999) / 1000;
	{
		int64_t exact_milli = (int64_t)(num * 1000000u / 1001u);

		if (milli - exact_milli > 10 || exact_milli - milli > 10)
			return -1;
	}
	*r = (struct sy_rate){ (uint32_t)(num * 1000u), 1001 };
	return 0;
}

/* FORMAT: 1080p59.94, 1080i50, 2160p50, 320x180p25, 1920x1080i59.94 */
static int parse_video_format(const char *s, struct sy_video_format *fmt)
{
	uint64_t w = 0, h;
	const char *p = s, *pi;
	char buf[16];
	struct sy_rate r;
	bool il;

	pi = strpbrk(s, "pi");
	if (!pi || (size_t)(pi - s) >= sizeof(buf))
		return -1;
	il = *pi == 'i';
	memcpy(buf, p, (size_t)(pi - p));
	buf[pi - p] = 0;
	if (strchr(buf, 'x')) {
		char *x = strchr(buf, 'x');

		*x = 0;
		if (parse_u64(buf, 16384, &w) || parse_u64(x + 1, 16384, &h))
			return -1;
	} else {
		if (parse_u64(buf, 16384, &h))
			return -1;
		w = h == 720 ? 1280 : h == 1080 ? 1920 : h == 2160 ? 3840 : h == 4320 ? 7680 :
		    h == 576 ? 720 : h == 486 || h == 480 ? 720 : 0;
		if (!w)
			return -1;
	}
	if (parse_rate(pi + 1, &r))
		return -1;
	if (il) { /* the name carries the field rate */
		if (r.num % 2 == 0)
			r.num /= 2;
		else
			r.den *= 2;
	}
	*fmt = sy_format_make((uint32_t)w, (uint32_t)h, il, r.num, r.den, 10);
	return 0;
}

static int parse_ipport(const char *s, uint32_t *ip, uint16_t *port, bool port_required)
{
	const char *colon = strchr(s, ':');
	uint64_t p;

	if (sy_net_ip_parse(s, colon ? (size_t)(colon - s) : strlen(s), ip) < 0)
		return -1;
	if (!colon)
		return port_required ? -1 : 0;
	if (parse_u64(colon + 1, 65535, &p) || !p)
		return -1;
	*port = (uint16_t)p;
	return 1;
}

static void flow_defaults(struct sy_gen_run *run, struct sy_gen_flow *f, enum sy_gen_kind kind)
{
	unsigned n = f->idx + 1;

	f->kind = kind;
	f->dst_ip[0] = 0xEF640000u | n; /* 239.100.0.N */
	f->dst_port[0] = (uint16_t)(5004 + 2 * (n - 1));
	f->src_ip[0] = 0x0A630001u; /* 10.99.0.1 */
	f->ttl = 1;
	f->ssrc = 0x59000000u + n;
	f->pt = kind == SY_GEN_VIDEO ? 96 : kind == SY_GEN_AUDIO ? 97 : 100;
	f->dscp = kind == SY_GEN_AUDIO ? 46 : 34;
	f->timing = SY_GEN_TIMING_NARROW;
	f->fault_legs = 1;
	if (kind == SY_GEN_VIDEO) {
		f->video.payload_bytes = 1200;
		f->video.layout = SY_RFC4175_LAYOUT_ROW;
		f->video.pattern = SY_PATTERN_MOVING;
		f->video.source_id = 1;
		f->video.frames = 10;
	} else if (kind == SY_GEN_AUDIO) {
		f->audio.tone_hz = 1000;
		f->audio.level_mdbfs = -18000;
		f->audio.fmt.ptime_ns = 1000000;
	} else {
		/* follow the last video flow before it */
		for (unsigned i = f->idx; i-- > 0;) {
			const struct sy_gen_flow *v = &run->flows[i];

			if (v->kind != SY_GEN_VIDEO)
				continue;
			f->anc.rate = v->video.fmt.rate;
			f->anc.interlaced = v->video.fmt.interlaced;
			f->anc.frames = v->video.frames;
			f->anc.frame_start = v->video.frame_start;
			break;
		}
		if (!f->anc.frames)
			f->anc.frames = 10;
	}
}

static int parse_audio_spec(const char *s, struct sy_st2110_30_format *fmt)
{
	const char *a = strchr(s, '/'), *b = a ? strchr(a + 1, '/') : NULL;
	char buf[16];
	uint64_t rate, ch;

	if (!a || !b || (size_t)(b - a - 1) >= sizeof(buf))
		return -1;
	if (sy_st2110_30_encoding_parse(s, (size_t)(a - s), &fmt->encoding) < 0)
		return -1;
	memcpy(buf, a + 1, (size_t)(b - a - 1));
	buf[b - a - 1] = 0;
	if (parse_u64(buf, 192000, &rate) || parse_u64(b + 1, SY_ST2110_30_MAX_CHANNELS, &ch) ||
	    !ch)
		return -1;
	fmt->rate_hz = (uint32_t)rate;
	fmt->channels = (uint16_t)ch;
	return 0;
}

static int new_flow(struct ctx *c, enum sy_gen_kind kind)
{
	struct sy_gen_run *run = c->run;
	const char *v = NULL;

	if (run->n_flows == SY_GEN_MAX_FLOWS) {
		fprintf(stderr, "sy-gen: at most %u flows\n", SY_GEN_MAX_FLOWS);
		return -1;
	}
	c->flow = &run->flows[run->n_flows];
	c->flow->idx = run->n_flows++;
	if (kind != SY_GEN_ANC && !(v = arg(c)))
		return -1;
	flow_defaults(run, c->flow, kind);
	if (kind == SY_GEN_VIDEO && parse_video_format(v, &c->flow->video.fmt))
		return bad(c, v, "not a format (1080p59.94, 1080i50, 2160p50, 1280x720p59.94 ...)");
	if (kind == SY_GEN_AUDIO && parse_audio_spec(v, &c->flow->audio.fmt))
		return bad(c, v, "not ENC/RATE/CHANNELS (L24/48000/2, L16/48000/8; 1-64 channels)");
	return 0;
}

/* Add index v to the selected legs' list at offset off in struct sy_gen_faults. */
static int add_fault(struct ctx *c, size_t off, uint64_t v)
{
	for (unsigned leg = 0; leg < SY_GEN_LEGS; leg++) {
		if (!(c->flow->fault_legs & (1u << leg)))
			continue;
		if (sy_gen_list_add((struct sy_gen_list *)((char *)&c->flow->faults[leg] + off), v))
			return -1;
	}
	return 0;
}

static int parse_loss(struct ctx *c, const char *v, double *out)
{
	char *end;
	double r = strtod(v, &end);

	if (*end || !(r >= 0.0 && r <= 1.0))
		return bad(c, v, "not a probability in [0, 1]");
	*out = r;
	return 0;
}

#define FAULT_OPT(name, field)                                                               \
	{ name, offsetof(struct sy_gen_faults, field) }

static const struct {
	const char *name;
	size_t off;
} fault_opts[] = {
	FAULT_OPT("--reorder", reorder),	 FAULT_OPT("--dup", dup),
	FAULT_OPT("--truncate", truncate),	 FAULT_OPT("--bad-srd-len", bad_srd_len),
	FAULT_OPT("--bad-srd-offset", bad_srd_offset), FAULT_OPT("--wrong-pt", wrong_pt),
	FAULT_OPT("--wrong-ssrc", wrong_ssrc), FAULT_OPT("--no-marker", no_marker),
};

static int flow_opt(struct ctx *c)
{
	struct sy_gen_flow *f = c->flow;
	const char *o = c->opt, *v;
	uint64_t u;
	int64_t x;

	if (!strcmp(o, "--per-channel")) {
		f->audio.per_channel = true;
		return f->kind == SY_GEN_AUDIO ? 0 : bad(c, "", "audio option after a non-audio flow");
	}
	if (!strcmp(o, "--silence")) {
		f->audio.silence = true;
		return f->kind == SY_GEN_AUDIO ? 0 : bad(c, "", "audio option after a non-audio flow");
	}
	if (!strcmp(o, "--interlace")) {
		f->anc.interlaced = true;
		return f->kind == SY_GEN_ANC ? 0 : bad(c, "", "--anc option after a non-ANC flow");
	}
	if (!(v = arg(c)))
		return -1;

	for (unsigned i = 0; i < sizeof(fault_opts) / sizeof(fault_opts[0]); i++) {
		if (strcmp(o, fault_opts[i].name))
			continue;
		if (parse_u64(v, UINT32_MAX, &u))
			return bad(c, v, "not a packet (or frame) index");
		return add_fault(c, fault_opts[i].off, u);
	}
	if (!strcmp(o, "--dst") || !strcmp(o, "--dst-b")) {
		unsigned leg = o[5] == '-';
		uint32_t ip;
		uint16_t port = 0;

		if (parse_ipport(v, &ip, &port, true) < 0 || !sy_net_ip_is_multicast(ip))
			return bad(c, v, "not MULTICAST-IP:PORT");
		f->dst_ip[leg] = ip;
		f->dst_port[leg] = port;
		*(leg ? &f->have_dst_b : &f->have_dst) = true;
		return 0;
	}
	if (!strcmp(o, "--src") || !strcmp(o, "--src-b")) {
		unsigned leg = o[5] == '-';
		uint16_t port = 0;
		int rc = parse_ipport(v, &f->src_ip[leg], &port, false);

		if (rc < 0)
			return bad(c, v, "not IP or IP:PORT");
		if (rc == 1)
			f->src_port[leg] = port;
		*(leg ? &f->have_src_b : &f->have_src) = true;
		return 0;
	}
	if (!strcmp(o, "--ssrc")) {
		if (parse_u64(v, UINT32_MAX, &u))
			return bad(c, v, "not a 32-bit number (decimal or 0x...)");
		f->ssrc = (uint32_t)u;
		return 0;
	}
	if (!strcmp(o, "--pt")) {
		if (parse_u64(v, 127, &u) || u < 96)
			return bad(c, v, "not a dynamic payload type (96-127)");
		f->pt = (uint8_t)u;
		return 0;
	}
	if (!strcmp(o, "--ttl")) {
		if (parse_u64(v, 255, &u) || !u)
			return bad(c, v, "not 1-255");
		f->ttl = (uint8_t)u;
		return 0;
	}
	if (!strcmp(o, "--dscp")) {
		if (parse_u64(v, 63, &u))
			return bad(c, v, "not 0-63");
		f->dscp = (uint8_t)u;
		return 0;
	}
	if (!strcmp(o, "--seq-start")) {
		if (parse_u64(v, UINT32_MAX, &u))
			return bad(c, v, "not a 32-bit sequence number");
		f->seq_start = (uint32_t)u;
		return 0;
	}
	if (!strcmp(o, "--timing")) {
		for (unsigned t = 0; t < SY_GEN_TIMING_MAX; t++)
			if (!strcmp(v, sy_gen_timing_name(t))) {
				f->timing = t;
				return 0;
			}
		return bad(c, v, "not narrow, narrow-linear, wide or burst");
	}
	if (!strcmp(o, "--link-gbps")) {
		if (parse_u64(v, 1000, &u) || !u)
			return bad(c, v, "not 1-1000");
		f->link_gbps = (uint32_t)u;
		f->have_link = true;
		return 0;
	}
	if (!strcmp(o, "--loss")) {
		for (unsigned leg = 0; leg < SY_GEN_LEGS; leg++)
			if ((f->fault_legs & (1u << leg)) && parse_loss(c, v, &f->faults[leg].loss_rate))
				return -1;
		return 0;
	}
	if (!strcmp(o, "--loss-a"))
		return parse_loss(c, v, &f->faults[0].loss_rate);
	if (!strcmp(o, "--loss-b"))
		return parse_loss(c, v, &f->faults[1].loss_rate);
	if (!strcmp(o, "--loss-burst")) {
		const char *at = strchr(v, '@');
		char buf[24];
		uint64_t n, k;

		if (!at || (size_t)(at - v) >= sizeof(buf))
			return bad(c, v, "not N@K (N packets from index K)");
		memcpy(buf, v, (size_t)(at - v));
		buf[at - v] = 0;
		if (parse_u64(buf, UINT32_MAX, &n) || !n || parse_u64(at + 1, UINT32_MAX, &k))
			return bad(c, v, "not N@K (N packets from index K)");
		if (add_fault(c, offsetof(struct sy_gen_faults, burst_at), k) ||
		    add_fault(c, offsetof(struct sy_gen_faults, burst_len), n))
			return -1;
		return 0;
	}
	if (!strcmp(o, "--leg")) {
		if (!strcmp(v, "A") || !strcmp(v, "a"))
			f->fault_legs = 1;
		else if (!strcmp(v, "B") || !strcmp(v, "b"))
			f->fault_legs = 2;
		else if (!strcasecmp(v, "AB"))
			f->fault_legs = 3;
		else
			return bad(c, v, "not A, B or AB");
		return 0;
	}
	if (!strcmp(o, "--2022-7")) {
		if (parse_fixed(v, 6, &x) || x < 0)
			return bad(c, v, "not a skew in ms (e.g. 0, 0.5, 10)");
		f->dup7 = true;
		f->skew_ns = (uint64_t)x;
		return 0;
	}
	if (f->kind == SY_GEN_VIDEO) {
		struct sy_gen_video_cfg *vd = &f->video;

		if (!strcmp(o, "--sampling")) {
			if (sy_format_sampling_parse(v, strlen(v), &vd->fmt.sampling) < 0)
				return bad(c, v, "not YCbCr-4:2:2, YCbCr-4:4:4, YCbCr-4:2:0, RGB");
			return 0;
		}
		if (!strcmp(o, "--depth")) {
			if (parse_u64(v, 16, &u) || (u != 8 && u != 10 && u != 12 && u != 16))
				return bad(c, v, "not 8, 10, 12 or 16");
			vd->fmt.depth = (uint8_t)u;
			return 0;
		}
		if (!strcmp(o, "--packing")) {
			char tok[16];

			snprintf(tok, sizeof(tok), "2110%s", v);
			if (sy_format_packing_parse(tok, strlen(tok), &vd->fmt.packing) < 0 &&
			    sy_format_packing_parse(v, strlen(v), &vd->fmt.packing) < 0)
				return bad(c, v, "not GPM or BPM");
			return 0;
		}
		if (!strcmp(o, "--payload")) {
			if (parse_u64(v, 1440, &u) || !u)
				return bad(c, v, "not 1-1440 sample octets");
			vd->payload_bytes = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--layout")) {
			if (!strcmp(v, "row"))
				vd->layout = SY_RFC4175_LAYOUT_ROW;
			else if (!strcmp(v, "continuous"))
				vd->layout = SY_RFC4175_LAYOUT_CONTINUOUS;
			else
				return bad(c, v, "not row or continuous");
			return 0;
		}
		if (!strcmp(o, "--pattern")) {
			static const char *const pats[SY_PATTERN_MAX] = { "black", "bars", "bars100",
									   "moving" };

			for (unsigned p = 0; p < SY_PATTERN_MAX; p++)
				if (!strcmp(v, pats[p])) {
					vd->pattern = p;
					return 0;
				}
			return bad(c, v, "not moving, bars, bars100 or black");
		}
		if (!strcmp(o, "--source-id")) {
			if (parse_u64(v, 65535, &u))
				return bad(c, v, "not 0-65535");
			vd->source_id = (uint16_t)u;
			return 0;
		}
		if (!strcmp(o, "--frames")) {
			if (parse_u64(v, 1000000, &u) || !u)
				return bad(c, v, "not 1-1000000");
			vd->frames = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--frame-start")) {
			if (parse_u64(v, UINT32_MAX, &u))
				return bad(c, v, "not a 32-bit frame counter");
			vd->frame_start = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--colorimetry")) {
			if (sy_format_colorimetry_parse(v, strlen(v), &vd->fmt.colorimetry) < 0)
				return bad(c, v, "not an SDP colorimetry (BT709, BT2020, BT2100 ...)");
			return 0;
		}
		if (!strcmp(o, "--tcs")) {
			if (sy_format_tcs_parse(v, strlen(v), &vd->fmt.tcs) < 0)
				return bad(c, v, "not an SDP TCS (SDR, PQ, HLG ...)");
			return 0;
		}
	}
	if (f->kind == SY_GEN_AUDIO) {
		struct sy_gen_audio_cfg *a = &f->audio;

		if (!strcmp(o, "--ptime")) {
			int64_t us;
			size_t n = strlen(v);

			if (n > 2 && !strcmp(v + n - 2, "ms")) {
				char buf[16];

				snprintf(buf, sizeof(buf), "%.*s", (int)(n - 2), v);
				if (parse_fixed(buf, 3, &us) || us <= 0)
					return bad(c, v, "not a packet time (1ms, 125us, 0.333ms)");
			} else if (n > 2 && !strcmp(v + n - 2, "us")) {
				char buf[16];

				snprintf(buf, sizeof(buf), "%.*s", (int)(n - 2), v);
				if (parse_fixed(buf, 0, &us) || us <= 0)
					return bad(c, v, "not a packet time (1ms, 125us, 0.333ms)");
			} else {
				return bad(c, v, "not a packet time with unit (1ms, 125us)");
			}
			a->fmt.ptime_ns = (uint32_t)(us * 1000);
			return 0;
		}
		if (!strcmp(o, "--tone")) {
			if (parse_u64(v, 96000, &u) || !u)
				return bad(c, v, "not a frequency in Hz");
			a->tone_hz = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--level")) {
			if (parse_fixed(v, 3, &x) || x > 0 || x < -144000)
				return bad(c, v, "not a level in dBFS (-144 .. 0)");
			a->level_mdbfs = (int32_t)x;
			return 0;
		}
		if (!strcmp(o, "--duration-ms")) {
			if (parse_u64(v, 86400000, &u) || !u)
				return bad(c, v, "not a duration in ms");
			a->duration_ms = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--channel-order")) {
			if (sy_st2110_30_order_parse(v, strlen(v), &a->fmt.order) < 0)
				return bad(c, v, "not a channel-order (SMPTE2110.(ST,51))");
			return 0;
		}
	}
	if (f->kind == SY_GEN_ANC) {
		struct sy_gen_anc_cfg *a = &f->anc;

		if (!strcmp(o, "--rate")) {
			if (parse_rate(v, &a->rate))
				return bad(c, v, "not a frame rate (25, 29.97, 50, 59.94, 60000/1001)");
			return 0;
		}
		if (!strcmp(o, "--frames")) {
			if (parse_u64(v, 1000000, &u) || !u)
				return bad(c, v, "not 1-1000000");
			a->frames = (uint32_t)u;
			return 0;
		}
		if (!strcmp(o, "--frame-start")) {
			if (parse_u64(v, UINT32_MAX, &u))
				return bad(c, v, "not a 32-bit frame counter");
			a->frame_start = (uint32_t)u;
			return 0;
		}
	}
	c->i--; /* value not consumed */
	fprintf(stderr, "sy-gen: unknown option %s for a %s flow\n", o, sy_gen_kind_name(f->kind));
	return -1;
}

static int global_opt(struct ctx *c, bool *handled)
{
	struct sy_gen_run *run = c->run;
	const char *o = c->opt, *v;
	int64_t x;

	*handled = true;
	if (!strcmp(o, "--out") || !strcmp(o, "--sdp") || !strcmp(o, "--manifest")) {
		if (!(v = arg(c)))
			return -1;
		*(o[2] == 'o' ? &run->out_path : o[2] == 's' ? &run->sdp_path :
							      &run->manifest_path) = v;
		return 0;
	}
	if (!strcmp(o, "--seed")) {
		if (!(v = arg(c)))
			return -1;
		if (parse_u64(v, UINT64_MAX, &run->seed))
			return bad(c, v, "not a 64-bit number");
		return 0;
	}
	if (!strcmp(o, "--tai-start")) {
		if (!(v = arg(c)))
			return -1;
		if (parse_fixed(v, 9, &x) || x < 0)
			return bad(c, v, "not SECONDS[.NANOSECONDS] of TAI since the SMPTE epoch");
		run->tai_start_ns = (uint64_t)x;
		return 0;
	}
	if (!strcmp(o, "--capture-offset-ns")) {
		if (!(v = arg(c)))
			return -1;
		if (parse_fixed(v, 0, &x))
			return bad(c, v, "not an integer number of ns");
		run->capture_offset_ns = x;
		return 0;
	}
	if (!strcmp(o, "--ptp")) {
		unsigned b[8], d;

		if (!(v = arg(c)))
			return -1;
		if (sscanf(v, "%2x-%2x-%2x-%2x-%2x-%2x-%2x-%2x:%u", &b[0], &b[1], &b[2], &b[3],
			   &b[4], &b[5], &b[6], &b[7], &d) != 9 || d > 127)
			return bad(c, v, "not GMID:DOMAIN (08-00-11-FF-FE-22-33-44:127)");
		for (unsigned i = 0; i < 8; i++)
			run->ptp_gmid[i] = (uint8_t)b[i];
		run->ptp_domain = (uint8_t)d;
		return 0;
	}
	*handled = false;
	return 0;
}

static int check_flow(struct sy_gen_flow *f)
{
	struct sy_gen_faults *b = &f->faults[1];
	bool b_used = b->loss_rate > 0 || b->burst_at.n || b->reorder.n || b->dup.n ||
		      b->truncate.n || b->bad_srd_len.n || b->bad_srd_offset.n || b->wrong_pt.n ||
		      b->wrong_ssrc.n || b->no_marker.n;

	if (b_used && !f->dup7) {
		fprintf(stderr, "sy-gen: flow %u: leg B faults without --2022-7\n", f->idx + 1);
		return -1;
	}
	for (unsigned leg = 0; leg < SY_GEN_LEGS; leg++) {
		struct sy_gen_faults *fl = &f->faults[leg];

		if (f->kind != SY_GEN_VIDEO && (fl->bad_srd_len.n || fl->bad_srd_offset.n)) {
			fprintf(stderr, "sy-gen: flow %u: --bad-srd-* needs a video flow\n",
				f->idx + 1);
			return -1;
		}
		if (f->kind == SY_GEN_AUDIO && fl->no_marker.n) {
			fprintf(stderr, "sy-gen: flow %u: --no-marker: audio has no marker\n",
				f->idx + 1);
			return -1;
		}
		sy_gen_list_sort(&fl->reorder);
		sy_gen_list_sort(&fl->dup);
		sy_gen_list_sort(&fl->truncate);
		sy_gen_list_sort(&fl->bad_srd_len);
		sy_gen_list_sort(&fl->bad_srd_offset);
		sy_gen_list_sort(&fl->wrong_pt);
		sy_gen_list_sort(&fl->wrong_ssrc);
		sy_gen_list_sort(&fl->no_marker);
	}
	if (!f->src_port[0])
		f->src_port[0] = f->dst_port[0];
	if (!f->have_dst_b) {
		f->dst_ip[1] = f->dst_ip[0] + 1;
		f->dst_port[1] = f->dst_port[0];
	}
	if (!f->have_src_b)
		f->src_ip[1] = f->src_ip[0];
	if (!f->src_port[1])
		f->src_port[1] = f->dst_port[1];
	if (f->kind == SY_GEN_AUDIO && !f->audio.fmt.order.n_groups) {
		uint16_t ch = f->audio.fmt.channels;
		struct sy_st2110_30_order *o = &f->audio.fmt.order;

		o->n_groups = 1;
		o->groups[0].kind = ch == 1 ? SY_ST2110_30_GROUP_M :
				    ch == 2 ? SY_ST2110_30_GROUP_ST :
					      SY_ST2110_30_GROUP_U;
		o->groups[0].channels = (uint8_t)ch;
	}
	return 0;
}

int sy_gen_opts_parse(int argc, char **argv, struct sy_gen_run *run)
{
	static const uint8_t gmid[8] = { 0x08, 0x00, 0x11, 0xFF, 0xFE, 0x22, 0x33, 0x44 };
	struct ctx c = { .argc = argc, .argv = argv, .run = run };

	run->tai_start_ns = 1700000000ull * SY_TIME_NS_PER_S;
	memcpy(run->ptp_gmid, gmid, sizeof(gmid));
	run->ptp_domain = 127;
	for (c.i = 1; c.i < argc; c.i++) {
		bool handled;

		c.opt = argv[c.i];
		if (!strcmp(c.opt, "--help") || !strcmp(c.opt, "-h")) {
			sy_gen_opts_usage(stdout);
			return 1;
		}
		if (!strcmp(c.opt, "--video") || !strcmp(c.opt, "--audio") ||
		    !strcmp(c.opt, "--anc")) {
			if (new_flow(&c, c.opt[2] == 'v' ? SY_GEN_VIDEO :
					 c.opt[3] == 'u' ? SY_GEN_AUDIO :
							   SY_GEN_ANC) < 0)
				return -1;
			continue;
		}
		if (global_opt(&c, &handled) < 0)
			return -1;
		if (handled)
			continue;
		if (strncmp(c.opt, "--", 2)) {
			fprintf(stderr, "sy-gen: unexpected argument '%s'\n", c.opt);
			return -1;
		}
		if (!c.flow) {
			fprintf(stderr, "sy-gen: %s must follow --video, --audio or --anc\n", c.opt);
			return -1;
		}
		if (flow_opt(&c) < 0)
			return -1;
	}
	if (!run->out_path) {
		fprintf(stderr, "sy-gen: --out FILE.pcap is required (--help for usage)\n");
		return -1;
	}
	if (!run->n_flows) {
		fprintf(stderr, "sy-gen: no flow: give --video, --audio or --anc\n");
		return -1;
	}
	for (unsigned i = 0; i < run->n_flows; i++)
		if (check_flow(&run->flows[i]) < 0)
			return -1;
	return 0;
}
