/* SPDX-License-Identifier: MIT */
/*
 * sy_st2110_21.h: ST 2110-21 sender timing: the model (T_RS, TRO, Cmax,
 * VRX_FULL, RTP offset window) and a streaming Cinst / VRX measurement with a
 * compliance verdict (2110TPN, 2110TPNL, 2110TPW or not compliant).
 *
 * Why: the generator paces its output by this model and the analyzer grades
 * captured streams by it, the way EBU LIST does, so both must agree to the
 * packet. Integer / rational arithmetic only: no float anywhere.
 *
 * Symbols (T_FRAME is the FIELD period for interlaced formats; N packets per
 * frame or field):
 *
 *   R_ACTIVE     gapped: progressive 1080/1125 (= 720/750 for 720p: both
 *                0.96); interlaced/PsF >= 1080 lines 1080/1125, >= 576 lines
 *                576/625, else 487/525.  linear: 1.
 *   T_RS         T_FRAME * R_ACTIVE / N                    (packet read spacing)
 *   TRO_default  x * frame period (the FRAME period even if interlaced):
 *                progressive >= 1080 lines 43/1125, else (720p) 28/750;
 *                interlaced >= 1080 lines 22/1125, >= 576 lines 26/625, else 20/525
 *   T_drain      T_FRAME / N / 1.1                          (network model, beta = 1.1)
 *   Cmax  N/W    max(4, floor(N / (43200 * R_ACTIVE * T_FRAME))) / max(16, floor(N / (21600 * T_FRAME)))
 *   VRX_FULL N/W max(8, floor(N / (27000 * T_FRAME)))       / max(720, floor(N / (300 * T_FRAME)))
 *   RTP offset   rtp_ts - rtp(frame containing the first packet), in ticks,
 *                within [-1, ceil(TRO_default * 90000) + 1]
 *
 * Units and rounding: exact values are reduced rationals in ns
 * (struct sy_st2110_21_ratio). Display values round to nearest, halves up:
 * t_rs_dns is T_RS in tenths of ns (37074 = 3707.4 ns). Limits are floors of
 * exact rationals as the formulas say. The RTP offset bound is a ceiling of
 * the exact TRO_default in ticks.
 *
 * Measurement definitions (per packet, arrival time t in TAI ns):
 *  - Cinst, as EBU LIST computes it: one leaky bucket over the whole stream.
 *    t0 = the first packet's arrival; D(t) = floor((t - t0) / T_drain) drains
 *    so far; Cinst(first) = 0; Cinst(k) = max(0, Cinst(k-1) + 1 - (D(t_k) -
 *    D(t_k-1))). Not reset at frame boundaries.
 *  - VRX (virtual receiver buffer, ST 2110-21 section 7): the receiver reads
 *    frame f's packet j at TPR0_f + j * T_RS, TPR0_f = start of frame f + TRO.
 *    reads_f(t) = clamp(floor((t - TPR0_f) / T_RS) + 1, 0, N); VRX at the
 *    arrival of a packet = arrived_f - reads_f(t) for the current frame, plus
 *    the unread backlog max(0, arrived - reads) of the previous frame. A
 *    negative VRX is an underrun (a packet later than its read). Unlike EBU
 *    LIST, reads before TPR0 are 0, not negative (a frame sent early counts as
 *    buffered packets, which is what the buffer holds).
 *    Frame f is found from the RTP timestamp (SY_ST2110_21_TPR0_RTP: the
 *    grid frame nearest to it, so a timestamp a few ticks off still names its
 *    frame) or, as EBU LIST's "ideal Tvd", from the first packet's arrival
 *    (SY_ST2110_21_TPR0_ARRIVAL: the frame containing it). VRX is computed for both read schedules at once (T_RS differs), and
 *    the verdict uses the detected one.
 *  - Schedule detection, as EBU LIST: the gap between the last packet of a
 *    frame and the first of the next is >= 10 x the frame's mean packet
 *    spacing -> gapped, else linear; the majority of frames decides.
 *
 * Verdict, as EBU LIST: Cinst peak <= Cmax narrow -> narrow (N or NL per
 * schedule), <= Cmax wide -> W, else not compliant (reason CINST); VRX min < 0
 * -> not compliant (VRX_UNDERRUN); VRX peak <= VRX_FULL narrow -> narrow,
 * <= wide -> W, else not compliant (VRX_OVERFLOW). The result is the worse.
 *
 * Bounds (else -SY_E_RANGE at init): rate num in [1, 2^18], den in [1, 2^11],
 * num >= den (>= 1 frame/s), N in [1, 2^20]. They keep every intermediate
 * product inside 128 bits.
 *
 * Context: the model is pure (any thread). A stream struct belongs to one
 * thread (the analyzer's); no allocation, no syscalls, O(1) per packet.
 */
#ifndef SY_ST2110_21_H
#define SY_ST2110_21_H

#include <stdbool.h>
#include <stdint.h>

#include "sy_format.h"

enum sy_st2110_21_schedule {
	SY_ST2110_21_GAPPED, /* packets read during active lines only */
	SY_ST2110_21_LINEAR, /* packets read evenly over the whole frame */
	SY_ST2110_21_SCHEDULE_MAX
};

/* Sender type (SDP TP=) or measured compliance class. */
enum sy_st2110_21_type {
	SY_ST2110_21_TYPE_N,  /* 2110TPN: narrow, gapped */
	SY_ST2110_21_TYPE_NL, /* 2110TPNL: narrow, linear */
	SY_ST2110_21_TYPE_W,  /* 2110TPW: wide */
	SY_ST2110_21_TYPE_NOT_COMPLIANT,
	SY_ST2110_21_TYPE_MAX
};

/* Why a stream is not compliant (the first that applies, in this order). */
enum sy_st2110_21_reason {
	SY_ST2110_21_REASON_NONE,
	SY_ST2110_21_REASON_NO_DATA,      /* no complete measurement */
	SY_ST2110_21_REASON_CINST,        /* Cinst peak > Cmax wide */
	SY_ST2110_21_REASON_VRX_UNDERRUN, /* VRX < 0: packet after its read time */
	SY_ST2110_21_REASON_VRX_OVERFLOW, /* VRX peak > VRX_FULL wide */
	SY_ST2110_21_REASON_MAX
};

/* Detail flags of a verdict (any number may be set). */
#define SY_ST2110_21_F_CINST_OVER_NARROW (1u << 0) /* peak > Cmax narrow */
#define SY_ST2110_21_F_CINST_OVER_WIDE (1u << 1)
#define SY_ST2110_21_F_VRX_OVER_NARROW (1u << 2)
#define SY_ST2110_21_F_VRX_OVER_WIDE (1u << 3)
#define SY_ST2110_21_F_VRX_UNDERRUN (1u << 4)
#define SY_ST2110_21_F_RTP_OFFSET (1u << 5)      /* an offset outside the window */
#define SY_ST2110_21_F_SCHEDULE_GUESSED (1u << 6) /* no frame pair to detect it */

/* How the VRX read start TPR0 finds its frame. */
enum sy_st2110_21_tpr0 {
	SY_ST2110_21_TPR0_RTP,     /* grid frame nearest the RTP timestamp */
	SY_ST2110_21_TPR0_ARRIVAL, /* frame containing the first packet (EBU "ideal") */
	SY_ST2110_21_TPR0_MAX
};

#define SY_ST2110_21_HIST_BUCKETS 64 /* Cinst 0..62, last bucket: >= 63 */
#define SY_ST2110_21_MAX_RATE_NUM (1u << 18)
#define SY_ST2110_21_MAX_RATE_DEN (1u << 11)
#define SY_ST2110_21_MAX_PACKETS (1u << 20)

/* An exact value num/den (reduced, den > 0). */
struct sy_st2110_21_ratio {
	uint64_t num;
	uint64_t den;
};

struct sy_st2110_21_model {
	/* inputs */
	uint32_t n_packets; /* N: per frame, or per field if interlaced */
	enum sy_st2110_21_schedule schedule;
	bool interlaced;
	uint32_t height;          /* lines of the frame */
	struct sy_rate field_rate; /* frames (or fields) per second */
	/* exact, in ns */
	struct sy_st2110_21_ratio t_frame_ns;     /* T_FRAME (field period if interlaced) */
	struct sy_st2110_21_ratio r_active;       /* dimensionless */
	struct sy_st2110_21_ratio t_rs_ns;        /* T_RS */
	struct sy_st2110_21_ratio tro_default_ns; /* TRO_default */
	struct sy_st2110_21_ratio tro_ns;         /* TRO used for VRX (default unless set) */
	struct sy_st2110_21_ratio t_drain_ns;     /* T_drain = T_FRAME / N / 1.1 */
	/* rounded to nearest, halves up */
	uint64_t t_rs_dns;             /* T_RS in 0.1 ns */
	uint64_t tro_default_round_ns; /* TRO_default in ns */
	/* limits */
	uint32_t cmax_narrow; /* uses this model's R_ACTIVE (schedule) */
	uint32_t cmax_wide;
	uint32_t vrx_full_narrow;
	uint32_t vrx_full_wide;
	int32_t rtp_offset_min_ticks; /* -1 */
	int32_t rtp_offset_max_ticks; /* ceil(TRO_default * 90 kHz) + 1 */
};

/*
 * Fill *m for fmt (height, interlaced, rate = FRAME rate), n_packets per frame
 * (per field if interlaced; sy_rfc4175 computes it) and a read schedule.
 * 0, -SY_E_RANGE (rate or N outside the bounds above, bad schedule) or
 * -SY_E_FORMAT (height 0).
 */
int sy_st2110_21_model_init(struct sy_st2110_21_model *m, const struct sy_video_format *fmt,
			    uint32_t n_packets, enum sy_st2110_21_schedule schedule);

/* Use a signalled TR offset (SDP TROFF) for VRX instead of TRO_default.
 * 0 or -SY_E_RANGE (tro_ns >= T_FRAME). */
int sy_st2110_21_model_set_tro_ns(struct sy_st2110_21_model *m, uint64_t tro_ns);

/* floor(r), and r rounded to nearest (halves up). 0 if den is 0. */
uint64_t sy_st2110_21_ratio_floor(struct sy_st2110_21_ratio r);
uint64_t sy_st2110_21_ratio_round(struct sy_st2110_21_ratio r);

/* "2110TPN", "2110TPNL", "2110TPW", "not compliant"; NULL out of range. */
const char *sy_st2110_21_type_name(enum sy_st2110_21_type t);
/* "none", "no data", "cinst", "vrx underrun", "vrx overflow"; NULL out of range. */
const char *sy_st2110_21_reason_name(enum sy_st2110_21_reason r);
/* Does a measured class satisfy a declared sender type? W accepts N, NL, W;
 * NL accepts N, NL; N accepts N; nothing accepts NOT_COMPLIANT. */
bool sy_st2110_21_type_meets(enum sy_st2110_21_type measured, enum sy_st2110_21_type declared);

/* Summary of one frame (field), complete when the next one starts. */
struct sy_st2110_21_frame {
	uint64_t index;     /* frame (field) index since the epoch used for TPR0 */
	uint32_t rtp_ts;
	uint32_t n_packets; /* packets fed for it */
	uint64_t first_ns;  /* arrival of the first / last packet */
	uint64_t last_ns;
	uint32_t cinst_max;
	int32_t vrx_min[SY_ST2110_21_SCHEDULE_MAX];
	int32_t vrx_max[SY_ST2110_21_SCHEDULE_MAX];
	int32_t rtp_offset_ticks; /* rtp_ts - rtp(frame containing first_ns) */
	int64_t latency_ns;       /* first_ns - TAI of rtp_ts (first ns of the tick) */
	/* read schedule judged from the gap to the next frame;
	 * SY_ST2110_21_SCHEDULE_MAX when flushed (no next frame) */
	enum sy_st2110_21_schedule gap_after;
};

/* What one packet measured (optional output of feed). */
struct sy_st2110_21_packet {
	uint32_t cinst;
	int32_t vrx[SY_ST2110_21_SCHEDULE_MAX]; /* 0 before the first frame start */
	bool in_frame; /* false before the first frame start (VRX not measured) */
};

struct sy_st2110_21_vrx_state {
	uint64_t tpr0_ns;  /* floor of the exact TPR0 */
	uint64_t tpr0_rem; /* exact TPR0 = tpr0_ns + tpr0_rem / tpr0_den */
	uint64_t tpr0_den;
	uint32_t arrived;
};

struct sy_st2110_21_stream {
	struct sy_st2110_21_model model[SY_ST2110_21_SCHEDULE_MAX]; /* gapped, linear */
	enum sy_st2110_21_tpr0 tpr0_mode;

	/* Cinst bucket */
	bool started;
	uint64_t t0_ns;
	uint64_t last_ns;
	uint64_t last_drained;
	uint32_t cinst;

	/* VRX, per schedule: current and previous frame */
	bool in_frame;
	bool have_prev;
	struct sy_st2110_21_vrx_state cur[SY_ST2110_21_SCHEDULE_MAX];
	struct sy_st2110_21_vrx_state prev[SY_ST2110_21_SCHEDULE_MAX];

	struct sy_st2110_21_frame frame;      /* being measured */
	struct sy_st2110_21_frame last_frame; /* the last completed one */

	/* totals */
	uint64_t n_packets;
	uint64_t n_packets_unsynced; /* before the first frame start */
	uint64_t n_frames;           /* completed */
	uint64_t n_time_backwards;   /* arrivals earlier than the previous one */
	uint64_t n_gapped;           /* frames followed by a gap */
	uint64_t n_linear;
	uint32_t cinst_max;
	int32_t vrx_min[SY_ST2110_21_SCHEDULE_MAX];
	int32_t vrx_max[SY_ST2110_21_SCHEDULE_MAX];
	int32_t rtp_offset_min_ticks;
	int32_t rtp_offset_max_ticks;
	int64_t latency_min_ns;
	int64_t latency_max_ns;
	uint64_t cinst_hist[SY_ST2110_21_HIST_BUCKETS];
};

/*
 * Prepare *s for a stream of fmt with n_packets per frame (field): both
 * schedule models, empty statistics. To use a signalled TRO, call
 * sy_st2110_21_model_set_tro_ns() on both s->model[] before feeding.
 * 0 or an error of sy_st2110_21_model_init(), or -SY_E_RANGE (mode).
 */
int sy_st2110_21_stream_init(struct sy_st2110_21_stream *s, const struct sy_video_format *fmt,
			     uint32_t n_packets, enum sy_st2110_21_tpr0 mode);

/*
 * Account one packet: arrival time (TAI ns, capture clock), whether it is the
 * first packet of a frame/field (the caller knows: previous marker, or a new
 * RTP timestamp), and its RTP timestamp. Fills *out if not NULL. Arrivals
 * earlier than the previous one are counted and treated as simultaneous.
 * Returns true when this packet completed the previous frame: its summary is
 * then in s->last_frame.
 */
bool sy_st2110_21_stream_feed(struct sy_st2110_21_stream *s, uint64_t arrival_ns,
			      bool frame_start, uint32_t rtp_ts,
			      struct sy_st2110_21_packet *out);

/* Complete the frame being measured (end of capture). True if there was one;
 * its summary is then in s->last_frame (gap_after = SCHEDULE_MAX). */
bool sy_st2110_21_stream_flush(struct sy_st2110_21_stream *s);

/* Detected read schedule: the majority of judged frames, ties to gapped;
 * SY_ST2110_21_SCHEDULE_MAX if no frame was judged yet. */
enum sy_st2110_21_schedule sy_st2110_21_stream_schedule(const struct sy_st2110_21_stream *s);

struct sy_st2110_21_verdict {
	enum sy_st2110_21_type type;     /* measured class */
	enum sy_st2110_21_reason reason; /* set when type is NOT_COMPLIANT */
	uint32_t flags;                  /* SY_ST2110_21_F_* */
	enum sy_st2110_21_schedule schedule; /* the one the limits use */
	uint32_t cinst_max;
	int32_t vrx_min;
	int32_t vrx_max;
	uint32_t cmax_narrow, cmax_wide, vrx_full_narrow, vrx_full_wide;
};

/*
 * Grade everything fed so far. schedule: SY_ST2110_21_SCHEDULE_MAX to use the
 * detected one (gapped, with F_SCHEDULE_GUESSED, if none detected), or force
 * one. No packets in a frame -> NOT_COMPLIANT / NO_DATA.
 */
void sy_st2110_21_stream_verdict(const struct sy_st2110_21_stream *s,
				 enum sy_st2110_21_schedule schedule,
				 struct sy_st2110_21_verdict *out);

#endif
