/* SPDX-License-Identifier: MIT */
/*
 * sy_sdp.h: session descriptions for ST 2110-20 video, -30 audio and -40
 * ancillary flows: RFC 4566 with the ST 2110-10/-20/-30/-40 fmtp parameters,
 * RFC 7273 clocks (ts-refclk, mediaclk), RFC 4570 source filters and
 * RFC 7104 / ST 2022-7 duplication groups.
 *
 * Why: every receiver, sender, NMOS resource and tool needs the same reading
 * of an SDP, the same precise error message when it is wrong, and the same
 * canonical text when the switcher writes one.
 *
 * Parsing fills a fixed struct (no allocation) from text that need not be
 * NUL-terminated. Errors come with a line number and a reason; valid but
 * incomplete descriptions are accepted with warnings. sy_sdp_emit() writes
 * the canonical text back; parse(emit(parse(x))) equals parse(x) under
 * sy_sdp_equal(), and canonical input (the shared vectors) is reproduced
 * byte for byte. Only IPv4 connection addresses are supported.
 *
 * Control thread / tools only (not the hot path); pure; thread-safe on
 * distinct structs.
 */
#ifndef SY_SDP_H
#define SY_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sy_format.h"
#include "sy_st2110_30.h"

#define SY_SDP_MAX_MEDIA 4u
#define SY_SDP_MAX_WARNINGS 16u
#define SY_SDP_MAX_REFCLK 2u   /* ts-refclk lines per level */
#define SY_SDP_MAX_DID_SDID 16u
#define SY_SDP_NAME_MAX 128u   /* s= text, NUL included */
#define SY_SDP_TOKEN_MAX 64u   /* o= username and address, NUL included */
#define SY_SDP_MID_MAX 32u     /* a=mid token, NUL included */
#define SY_SDP_SSN_MAX 24u     /* "ST2110-20:2017", NUL included */
#define SY_SDP_TEXT_MAX 160u   /* error and warning text */

enum sy_sdp_essence {
	SY_SDP_VIDEO, /* m=video, rtpmap raw/90000 (ST 2110-20) */
	SY_SDP_AUDIO, /* m=audio, rtpmap L16 or L24 (ST 2110-30) */
	SY_SDP_ANC,   /* m=video, rtpmap smpte291/90000 (ST 2110-40) */
	SY_SDP_ESSENCE_MAX
};

enum sy_sdp_eol { SY_SDP_EOL_LF, SY_SDP_EOL_CRLF, SY_SDP_EOL_MAX };

/* ST 2110-21 sender type. */
enum sy_sdp_tp {
	SY_SDP_TP_N,  /* 2110TPN: narrow gapped */
	SY_SDP_TP_NL, /* 2110TPNL: narrow linear */
	SY_SDP_TP_W,  /* 2110TPW: wide */
	SY_SDP_TP_MAX
};

enum sy_sdp_dir {
	SY_SDP_DIR_NONE, /* no direction attribute */
	SY_SDP_DIR_SENDONLY,
	SY_SDP_DIR_RECVONLY,
	SY_SDP_DIR_SENDRECV,
	SY_SDP_DIR_INACTIVE,
	SY_SDP_DIR_MAX
};

enum sy_sdp_refclk_kind {
	SY_SDP_REFCLK_PTP,           /* ptp=IEEE1588-<ver>:<gmid>[:<domain>] */
	SY_SDP_REFCLK_PTP_TRACEABLE, /* ptp=IEEE1588-<ver>:traceable */
	SY_SDP_REFCLK_LOCALMAC,      /* localmac=<mac> */
	SY_SDP_REFCLK_KIND_MAX
};

enum sy_sdp_mediaclk_kind {
	SY_SDP_MEDIACLK_NONE,
	SY_SDP_MEDIACLK_DIRECT, /* direct[=<offset>] [rate=<num>/<den>] */
	SY_SDP_MEDIACLK_SENDER, /* sender */
	SY_SDP_MEDIACLK_KIND_MAX
};

enum sy_sdp_warn {
	SY_SDP_W_NO_REFCLK,        /* no a=ts-refclk for a media (ST 2110-10 requires it) */
	SY_SDP_W_NO_MEDIACLK,      /* no a=mediaclk */
	SY_SDP_W_PTP_NO_DOMAIN,    /* ptp gmid without :<domain> */
	SY_SDP_W_NO_SSN,           /* video fmtp without SSN */
	SY_SDP_W_SSN_UNKNOWN,      /* SSN other than ST2110-20:2017/2022 */
	SY_SDP_W_NO_TP,            /* no TP: 2110TPN assumed */
	SY_SDP_W_NO_TCS,           /* no TCS: SDR assumed (ST 2110-20 default) */
	SY_SDP_W_NO_COLORIMETRY,   /* no colorimetry: BT709 assumed */
	SY_SDP_W_NO_PM,            /* no PM: 2110GPM assumed */
	SY_SDP_W_UNKNOWN_FMTP,     /* unknown fmtp parameter, ignored */
	SY_SDP_W_NO_PTIME,         /* audio without a=ptime: 1 ms assumed */
	SY_SDP_W_NO_CHANNEL_ORDER, /* audio without channel-order: undefined channels */
	SY_SDP_W_ORDER_SHORT,      /* channel-order declares fewer channels than rtpmap */
	SY_SDP_W_NO_TTL,           /* multicast c= without /ttl */
	SY_SDP_W_FILTER_MISMATCH,  /* source-filter destination differs from c= */
	SY_SDP_W_IGNORED,          /* line or attribute form not supported, ignored */
	SY_SDP_W_MAX
};

struct sy_sdp_warning {
	uint32_t line;
	enum sy_sdp_warn code;
	char text[SY_SDP_TEXT_MAX];
};

struct sy_sdp_error {
	uint32_t line; /* 1-based; the last line for "missing at end of input" */
	int code;      /* the negative value sy_sdp_parse returned */
	char reason[SY_SDP_TEXT_MAX]; /* "line 9: fmtp width 'abc' is not a number" */
};

/* c=IN IP4 <ip>[/<ttl>] */
struct sy_sdp_conn {
	bool present;
	bool has_ttl;
	uint8_t ttl;
	uint32_t ip; /* host order */
};

/* a=source-filter: incl IN IP4 <dst|*> <src> (one source) */
struct sy_sdp_filter {
	bool present;
	bool dst_any; /* "*" */
	uint32_t dst_ip;
	uint32_t src_ip;
};

struct sy_sdp_refclk {
	enum sy_sdp_refclk_kind kind;
	uint16_t ptp_version; /* 2002, 2008 or 2019 */
	uint8_t gmid[8];      /* EUI-64, written 39-A7-94-FF-FE-07-CB-D0 */
	bool has_domain;
	uint8_t domain;
	uint8_t mac[6];       /* localmac */
};

struct sy_sdp_mediaclk {
	enum sy_sdp_mediaclk_kind kind;
	bool has_offset;
	uint32_t offset;   /* RTP timestamp at the epoch; 0 with PTP */
	bool has_rate;
	uint32_t rate_num; /* rate=<num>/<den> */
	uint32_t rate_den;
};

/* Clock attributes, at session or media level (media level wins). */
struct sy_sdp_clock {
	uint8_t n_refclk;
	struct sy_sdp_refclk refclk[SY_SDP_MAX_REFCLK];
	struct sy_sdp_mediaclk mediaclk;
};

/* ST 2110-20 fmtp. fmt holds the values with defaults for absent ones. */
struct sy_sdp_video {
	struct sy_video_format fmt;
	bool has_tcs, has_colorimetry, has_pm, has_range, has_par;
	bool has_tp, has_maxudp, has_troff, has_cmax;
	char ssn[SY_SDP_SSN_MAX]; /* "" when absent */
	enum sy_sdp_tp tp;        /* SY_SDP_TP_N when absent */
	uint32_t maxudp;          /* ST 2110-10 MAXUDP, octets */
	uint32_t troff_us;        /* ST 2110-21 TROFF, microseconds */
	uint32_t cmax;            /* ST 2110-21 CMAX, packets */
};

/* ST 2110-30 rtpmap + fmtp + ptime. fmt.ptime_ns is 1 ms if no a=ptime. */
struct sy_sdp_audio {
	struct sy_st2110_30_format fmt; /* fmt.order.n_groups == 0: no channel-order */
	bool channels_explicit;         /* rtpmap had /<channels> */
};

struct sy_sdp_did_sdid {
	uint8_t did;
	uint8_t sdid;
};

/* ST 2110-40 / RFC 8331 fmtp. */
struct sy_sdp_anc {
	uint8_t n_did_sdid;
	struct sy_sdp_did_sdid did_sdid[SY_SDP_MAX_DID_SDID];
	bool has_vpid;
	uint8_t vpid_code;
};

struct sy_sdp_media {
	enum sy_sdp_essence essence;
	uint16_t port;
	uint8_t pt;
	uint32_t clock_hz; /* rtpmap clock rate */
	struct sy_sdp_conn conn; /* media-level c=; see sy_sdp_media_conn() */
	struct sy_sdp_filter filter;
	struct sy_sdp_video video; /* valid if essence == SY_SDP_VIDEO */
	struct sy_sdp_audio audio; /* valid if essence == SY_SDP_AUDIO */
	struct sy_sdp_anc anc;     /* valid if essence == SY_SDP_ANC */
	bool has_ptime, has_maxptime, has_framecount;
	uint32_t ptime_ns, maxptime_ns, framecount;
	struct sy_sdp_clock clock;
	char mid[SY_SDP_MID_MAX]; /* "" when absent */
	enum sy_sdp_dir dir;
	uint32_t line;            /* line of m= (diagnostic, not compared) */
};

struct sy_sdp {
	/* o=<username> <sess-id> <sess-version> IN IP4|IP6 <address> */
	char username[SY_SDP_TOKEN_MAX];
	uint64_t sess_id;
	uint64_t sess_version;
	bool origin_ip6;
	char origin_addr[SY_SDP_TOKEN_MAX];
	char name[SY_SDP_NAME_MAX]; /* s= */
	uint64_t t_start, t_stop;   /* first t= */
	struct sy_sdp_conn conn;    /* session-level c= */
	struct sy_sdp_clock clock;  /* session-level ts-refclk / mediaclk */
	enum sy_sdp_dir dir;
	/* a=group:DUP <mid> <mid> ... (ST 2022-7 legs); dup_media[] resolved */
	uint8_t n_dup;
	char dup_mid[SY_SDP_MAX_MEDIA][SY_SDP_MID_MAX];
	uint8_t dup_media[SY_SDP_MAX_MEDIA];
	uint8_t n_media;
	struct sy_sdp_media media[SY_SDP_MAX_MEDIA];

	/* diagnostics of the last parse: not part of the description */
	uint16_t n_unknown; /* ignored attributes and lines (a=x-nmos-*, b=, i=, ...) */
	uint8_t n_warnings;
	bool warnings_truncated;
	struct sy_sdp_warning warnings[SY_SDP_MAX_WARNINGS];
};

/*
 * Parse text[0..len) (LF or CRLF lines; no NUL needed). *out is always
 * zeroed first, then filled. err may be NULL. Returns 0 (warnings in
 * out->warnings) or a negative code with *err filled:
 *   -SY_E_SDP_SYNTAX       line without '=', control byte, bad field layout
 *   -SY_E_SDP_VALUE        a value that is not a number, out of range, ...
 *   -SY_E_SDP_MISSING      required line/parameter absent (no m=, no rtpmap,
 *                          fmtp without width, group:DUP naming a missing mid)
 *   -SY_E_SDP_DUPLICATE    a line or fmtp parameter given twice
 *   -SY_E_SDP_UNSUPPORTED  IPv6, m=application, excl filters, > 4 media ...
 *   -SY_E_CHANNEL_ORDER, -SY_E_PTIME, -SY_E_AUDIO_CHANNELS from sy_st2110_30
 */
int sy_sdp_parse(const char *text, size_t len, struct sy_sdp *out, struct sy_sdp_error *err);

/*
 * Write the canonical text of sdp into buf (NUL-terminated). Returns the
 * length without the NUL, or -SY_E_NOSPACE (cap too small, NUL included),
 * -SY_E_SDP_VALUE if the struct holds something that cannot be written
 * (empty media list, invalid enum, channel-order).
 */
int sy_sdp_emit(const struct sy_sdp *sdp, char *buf, size_t cap, enum sy_sdp_eol eol);

/* Same description? Compares everything except the diagnostics (warnings,
 * n_unknown, media[].line). */
bool sy_sdp_equal(const struct sy_sdp *a, const struct sy_sdp *b);

/* Effective connection / clock of media i: media level if present, else the
 * session level. NULL if neither (conn) or i >= n_media. */
const struct sy_sdp_conn *sy_sdp_media_conn(const struct sy_sdp *sdp, unsigned i);
const struct sy_sdp_clock *sy_sdp_media_clock(const struct sy_sdp *sdp, unsigned i);

/* Token text of the enums; NULL if out of range. */
const char *sy_sdp_tp_name(enum sy_sdp_tp tp);     /* "2110TPN" */
const char *sy_sdp_warn_name(enum sy_sdp_warn w);  /* "NO_REFCLK" */
const char *sy_sdp_essence_name(enum sy_sdp_essence e); /* "video", "audio", "anc" */

/* --- builder: descriptions of flows we send --- */

struct sy_sdp_transport {
	uint32_t dst_ip; /* host order; c= and source-filter destination */
	uint32_t src_ip; /* source-filter source; 0: no source-filter */
	uint16_t port;
	uint8_t ttl;     /* 0: no /ttl */
	uint8_t pt;      /* 96..127 */
};

/* Empty description: v=0, o=- <sess_id> <sess_id> IN IP4 <origin>, s=<name>
 * (truncated to fit), t=0 0. */
void sy_sdp_init(struct sy_sdp *sdp, const char *name, uint64_t sess_id, uint32_t origin_ip);

/*
 * Append a media description; it gets SSN ST2110-20:2017, every video
 * parameter (TCS, colorimetry, PM, TP; RANGE/PAR when not default),
 * a channel-order when fmt has one, a=ptime for audio. Returns the media
 * index, or -SY_E_NOSPACE (4 media already), -SY_E_FORMAT (invalid
 * format), -SY_E_RANGE (pt > 127).
 */
int sy_sdp_add_video(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		     const struct sy_video_format *fmt, enum sy_sdp_tp tp);
int sy_sdp_add_audio(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		     const struct sy_st2110_30_format *fmt);
/* anc may be NULL (no fmtp). */
int sy_sdp_add_anc(struct sy_sdp *sdp, const struct sy_sdp_transport *tr,
		   const struct sy_sdp_anc *anc);

/* Media clock from PTP: ts-refclk ptp=IEEE1588-2008:<gmid>:<domain> and
 * mediaclk:direct=0 on media i (or the session when i < 0). 0 or -SY_E_RANGE. */
int sy_sdp_set_ptp(struct sy_sdp *sdp, int i, const uint8_t gmid[8], uint8_t domain);

/* Mark media a and b as the two ST 2022-7 legs: a=mid on each and
 * a=group:DUP at session level. 0, -SY_E_RANGE (bad index, a == b, mid
 * too long or with spaces). */
int sy_sdp_set_dup(struct sy_sdp *sdp, unsigned a, unsigned b, const char *mid_a,
		   const char *mid_b);

#endif
