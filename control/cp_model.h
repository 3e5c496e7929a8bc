/* SPDX-License-Identifier: MIT */
/*
 * cp_model.h: the switcher as operators and NMOS see it: inputs, outputs,
 * crosspoints (requested and on air), preview bus, salvos, locks and
 * protects, tally, the IS-05 connection state of every sender and receiver,
 * an audit log and an event log.
 *
 * Why one model: the switcher API, IS-04, IS-05, the panel and persistence
 * all read and change the same crosspoints; each change goes through one
 * function here that checks locks and formats, asks the engine
 * (cp_switch.h), records the audit entry and announces the event. The HTTP
 * layers only translate.
 *
 * Crosspoint life: take() -> "pending" (req_in set, engine armed) -> the
 * engine reports TAKE_DONE -> cur_in set (on air). Nothing is "on air" that
 * the engine has not reported.
 *
 * Errors: 0 or -errno with a message in err (CP_MODEL_ERR_MAX):
 *   -ENOENT unknown id, -EINVAL bad argument, -EBUSY locked/protected,
 *   -EMEDIUMTYPE format mismatch, -ENODEV no engine, -EEXIST/-ENOSPC salvos.
 * cp_model_http_status() maps them to 404/400/423/409/503/409/507.
 *
 * Thread: the libuv loop thread.
 */
#ifndef CP_MODEL_H
#define CP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "cp_config.h"
#include "cp_switch.h"

#define CP_MODEL_ERR_MAX 256u
#define CP_CLIENT_MAX 64u
#define CP_MAX_SALVOS 64u
#define CP_AUDIT_MAX 1024u
#define CP_EVENTS_MAX 256u
#define CP_UUID_STR 37u

enum cp_lock_kind { CP_LOCK_NONE, CP_LOCK_LOCK, CP_LOCK_PROTECT, CP_LOCK_KIND_MAX };

struct cp_lock {
	enum cp_lock_kind kind;
	char owner[CP_CLIENT_MAX];
	uint64_t since_tai_ns;
};

struct cp_pending {
	bool active;
	int32_t in_idx;
	uint64_t at_tai_ns;    /* requested (0: next frame) */
	uint64_t frame_tai_ns; /* first frame boundary at or after it (computed) */
	char client[CP_CLIENT_MAX];
};

/* IS-05 transport parameters of one sender or receiver (RTP only). */
struct cp_conn_params {
	bool master_enable;
	uint32_t n_legs;
	struct cp_switch_leg leg[2];
	bool has_peer;              /* sender_id (receivers) / receiver_id (senders) */
	char peer_id[CP_UUID_STR];
};

enum cp_act_mode {
	CP_ACT_NONE, /* null */
	CP_ACT_IMMEDIATE,
	CP_ACT_ABSOLUTE,
	CP_ACT_RELATIVE,
	CP_ACT_MODE_MAX
};

struct cp_activation {
	enum cp_act_mode mode;
	uint64_t requested_ns; /* absolute TAI, or relative ns */
	uint64_t activation_tai_ns;
	bool has_activation_time;
};

struct cp_conn {
	struct cp_conn_params staged, active;
	struct cp_activation staged_act; /* scheduled and not yet due */
	struct cp_activation active_act;
	char *staged_sdp; /* receivers: transport_file data (malloc'd) */
	char *active_sdp;
	uint64_t version_tai_ns;
	/* receivers: the scheduled activation is armed in the engine
	 * (schedule_input), which reports when it happened: engine_done with
	 * the frame time it landed on; cp_is05_tick then makes staged active */
	bool engine_pending;
	bool engine_done;
	uint64_t engine_done_tai_ns;
};

struct cp_input {
	const struct cp_input_cfg *cfg;
	char label[CP_LABEL_MAX];
	struct cp_conn conn[CP_ESS_MAX];
	bool lost;
};

struct cp_output {
	const struct cp_output_cfg *cfg;
	char label[CP_LABEL_MAX];
	int32_t cur_in;     /* on air, reported by the engine; -1 none */
	int32_t req_in;     /* last requested (persisted) */
	int32_t preview_in; /* preview bus; -1 none */
	struct cp_pending pending;
	struct cp_lock lock;
	uint64_t last_take_tai_ns;
	uint32_t last_take_rtp;
	struct cp_conn conn[CP_ESS_MAX];
	uint64_t version_tai_ns; /* IS-04 version of the output's flows/sources */
};

struct cp_salvo_take {
	uint32_t out_idx;
	int32_t in_idx;
};

struct cp_salvo {
	char id[CP_ID_MAX];
	char label[CP_LABEL_MAX];
	uint32_t n_takes;
	struct cp_salvo_take take[CP_MAX_OUTPUTS];
};

struct cp_model_stats {
	uint64_t takes_requested;
	uint64_t takes_done;
	uint64_t takes_refused;
	uint64_t salvos_fired;
	uint64_t events;
};

/* Called for every announced change: event name ("take", "lock", ...) and a
 * JSON object (borrowed). */
typedef void (*cp_model_notify)(void *ctx, const char *event, const json_t *data);
typedef uint64_t (*cp_model_clock)(void *ctx); /* TAI ns now */

struct cp_model {
	const struct cp_config *cfg;
	struct cp_switch *sw;
	uint32_t n_in, n_out;
	struct cp_input in[CP_MAX_INPUTS];
	struct cp_output out[CP_MAX_OUTPUTS];
	uint32_t n_salvos;
	struct cp_salvo salvo[CP_MAX_SALVOS];
	json_t *audit[CP_AUDIT_MAX]; /* ring, audit_seq % CP_AUDIT_MAX */
	uint64_t audit_seq;
	json_t *events[CP_EVENTS_MAX];
	uint64_t event_seq;
	cp_model_notify notify;
	void *notify_ctx;
	cp_model_clock clock;
	void *clock_ctx;
	uint64_t dirty_gen; /* bumped on every persisted change */
	uint64_t node_version_tai_ns;
	struct cp_model_stats stats;
};

/* cfg and sw must outlive the model. */
int cp_model_init(struct cp_model *m, const struct cp_config *cfg, struct cp_switch *sw,
		  cp_model_clock clock, void *clock_ctx);
void cp_model_fini(struct cp_model *m);

uint64_t cp_model_now(const struct cp_model *m);

int cp_model_find_input(const struct cp_model *m, const char *id);
int cp_model_find_output(const struct cp_model *m, const char *id);
int cp_model_find_salvo(const struct cp_model *m, const char *id);

/* Formats compatible (a take is allowed)? Sets why on false. */
bool cp_model_compatible(const struct cp_model *m, uint32_t out_idx, uint32_t in_idx,
			 char *why, size_t cap);

/* First frame boundary of out_idx at or after t (t == 0: now). */
uint64_t cp_model_frame_at(const struct cp_model *m, uint32_t out_idx, uint64_t t_tai_ns);

/* Take in_idx (-1: nothing) onto out_idx at at_tai_ns (0 = next frame). */
int cp_model_take(struct cp_model *m, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns,
		  const char *client, char *err);
/* Preview bus: select; cut = program <- preview and preview <- old program. */
int cp_model_preview(struct cp_model *m, uint32_t out_idx, int32_t in_idx, const char *client,
		     char *err);
int cp_model_cut(struct cp_model *m, uint32_t out_idx, uint64_t at_tai_ns, const char *client,
		 char *err);

int cp_model_lock(struct cp_model *m, uint32_t out_idx, enum cp_lock_kind kind,
		  const char *client, bool force, char *err);

int cp_model_set_label(struct cp_model *m, bool output, uint32_t idx, const char *label,
		       const char *client, char *err);

/* Salvos: define (replace), delete, fire (every take at its output's first
 * frame boundary at or after one shared TAI time; all-or-nothing checks). */
int cp_model_salvo_put(struct cp_model *m, const struct cp_salvo *s, const char *client,
		       char *err);
int cp_model_salvo_delete(struct cp_model *m, const char *id, const char *client, char *err);
int cp_model_salvo_fire(struct cp_model *m, uint32_t salvo_idx, uint64_t at_tai_ns,
			const char *client, char *err, uint64_t *shared_tai_ns);

/* Drain engine events (uv timer). Returns how many were handled. */
uint32_t cp_model_poll(struct cp_model *m);

/* Append an event (and notify); data is stolen. */
void cp_model_event(struct cp_model *m, const char *name, json_t *data);
/* Append an audit entry: action + detail object (stolen). */
void cp_model_audit(struct cp_model *m, const char *client, const char *action, json_t *detail);

/* JSON views (new references). */
json_t *cp_model_input_json(const struct cp_model *m, uint32_t i);
json_t *cp_model_output_json(const struct cp_model *m, uint32_t o);
json_t *cp_model_salvo_json(const struct cp_model *m, uint32_t s);
json_t *cp_model_tally_json(const struct cp_model *m);

/* Persistence: the state document and its restore (unknown ids in a state
 * file are skipped with a warning, not fatal). */
json_t *cp_model_state_json(const struct cp_model *m);
int cp_model_state_restore(struct cp_model *m, const json_t *state, char *err);

int cp_model_http_status(int rc);

/* "sec:nsec" (NMOS TAI timestamp) <-> ns. Parse: 0 or -EINVAL. */
void cp_model_tai_str(uint64_t tai_ns, char *buf, size_t cap);
int cp_model_tai_parse(const char *s, uint64_t *tai_ns);

/* Mark the model changed for persistence and IS-04 (bumps dirty_gen). */
void cp_model_touch(struct cp_model *m);

#endif
