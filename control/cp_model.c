/* SPDX-License-Identifier: MIT */
/*
 * cp_model.c: crosspoints, preview bus, salvos, locks, labels, audit and
 * events (see cp_model.h).
 *
 * Thread: the libuv loop thread.
 */
#include "cp_model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_json.h"
#include "sy_time.h"

static int fail(char *err, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, CP_MODEL_ERR_MAX, fmt, ap);
	va_end(ap);
	return rc;
}

int cp_model_http_status(int rc)
{
	switch (rc) {
	case 0: return 200;
	case -ENOENT: return 404;
	case -EINVAL: return 400;
	case -EBUSY: return 423;
	case -EMEDIUMTYPE: return 409;
	case -EEXIST: return 409;
	case -ENODEV: return 503;
	case -ENOSPC: return 507;
	case -EOPNOTSUPP: return 501;
	case -ERANGE: return 409;
	case -EXDEV: return 409;
	default: return 500;
	}
}

void cp_model_tai_str(uint64_t tai_ns, char *buf, size_t cap)
{
	snprintf(buf, cap, "%" PRIu64 ":%" PRIu64, (uint64_t)(tai_ns / SY_TIME_NS_PER_S),
		 (uint64_t)(tai_ns % SY_TIME_NS_PER_S));
}

int cp_model_tai_parse(const char *s, uint64_t *tai_ns)
{
	/* ^[0-9]+:[0-9]+$, nanoseconds < 1e9, seconds fit */
	uint64_t sec = 0, ns = 0;
	const char *p = s;
	int nd = 0;
	for (; *p >= '0' && *p <= '9'; p++, nd++) {
		if (sec > (UINT64_MAX / SY_TIME_NS_PER_S) / 10)
			return -EINVAL;
		sec = sec * 10 + (uint64_t)(*p - '0');
	}
	if (nd == 0 || *p != ':')
		return -EINVAL;
	p++;
	nd = 0;
	for (; *p >= '0' && *p <= '9'; p++, nd++) {
		if (nd >= 9)
			return -EINVAL;
		ns = ns * 10 + (uint64_t)(*p - '0');
	}
	if (nd == 0 || *p)
		return -EINVAL;
	if (sec > (UINT64_MAX - ns) / SY_TIME_NS_PER_S)
		return -EINVAL;
	*tai_ns = sec * SY_TIME_NS_PER_S + ns;
	return 0;
}

uint64_t cp_model_now(const struct cp_model *m)
{
	return m->clock(m->clock_ctx);
}

void cp_model_touch(struct cp_model *m)
{
	m->dirty_gen++;
}

int cp_model_init(struct cp_model *m, const struct cp_config *cfg, struct cp_switch *sw,
		  cp_model_clock clock, void *clock_ctx)
{
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->sw = sw;
	m->clock = clock;
	m->clock_ctx = clock_ctx;
	m->n_in = cfg->n_inputs;
	m->n_out = cfg->n_outputs;
	uint64_t now = cp_model_now(m);
	m->node_version_tai_ns = now;
	for (uint32_t i = 0; i < m->n_in; i++) {
		struct cp_input *in = &m->in[i];
		in->cfg = &cfg->input[i];
		snprintf(in->label, sizeof(in->label), "%s", in->cfg->label);
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			struct cp_conn *c = &in->conn[e];
			const struct cp_transport *tr = &in->cfg->ess[e].tr;
			c->active.master_enable = tr->n_legs > 0;
			c->active.n_legs = tr->n_legs ? tr->n_legs : 1;
			memcpy(c->active.leg, tr->leg, sizeof(c->active.leg));
			c->staged = c->active;
			c->version_tai_ns = now;
		}
	}
	for (uint32_t o = 0; o < m->n_out; o++) {
		struct cp_output *out = &m->out[o];
		out->cfg = &cfg->output[o];
		snprintf(out->label, sizeof(out->label), "%s", out->cfg->label);
		out->cur_in = out->req_in = out->preview_in = -1;
		out->version_tai_ns = now;
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			struct cp_conn *c = &out->conn[e];
			const struct cp_transport *tr = &out->cfg->ess[e].tr;
			c->active.master_enable = tr->n_legs > 0;
			c->active.n_legs = tr->n_legs ? tr->n_legs : 1;
			memcpy(c->active.leg, tr->leg, sizeof(c->active.leg));
			c->staged = c->active;
			c->version_tai_ns = now;
		}
	}
	return 0;
}

void cp_model_fini(struct cp_model *m)
{
	for (size_t i = 0; i < CP_AUDIT_MAX; i++)
		json_decref(m->audit[i]);
	for (size_t i = 0; i < CP_EVENTS_MAX; i++)
		json_decref(m->events[i]);
	for (uint32_t i = 0; i < m->n_in; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			free(m->in[i].conn[e].staged_sdp);
			free(m->in[i].conn[e].active_sdp);
		}
	memset(m, 0, sizeof(*m));
}

int cp_model_find_input(const struct cp_model *m, const char *id)
{
	for (uint32_t i = 0; i < m->n_in; i++)
		if (!strcmp(m->in[i].cfg->id, id))
			return (int)i;
	return -1;
}

int cp_model_find_output(const struct cp_model *m, const char *id)
{
	for (uint32_t o = 0; o < m->n_out; o++)
		if (!strcmp(m->out[o].cfg->id, id))
			return (int)o;
	return -1;
}

int cp_model_find_salvo(const struct cp_model *m, const char *id)
{
	for (uint32_t s = 0; s < m->n_salvos; s++)
		if (!strcmp(m->salvo[s].id, id))
			return (int)s;
	return -1;
}

static bool video_equal(const struct sy_video_format *a, const struct sy_video_format *b)
{
	return a->width == b->width && a->height == b->height && a->interlaced == b->interlaced &&
	       a->segmented == b->segmented &&
	       (uint64_t)a->rate.num * b->rate.den == (uint64_t)b->rate.num * a->rate.den &&
	       a->sampling == b->sampling && a->depth == b->depth && a->tcs == b->tcs &&
	       a->colorimetry == b->colorimetry;
}

bool cp_model_compatible(const struct cp_model *m, uint32_t out_idx, uint32_t in_idx,
			 char *why, size_t cap)
{
	const struct cp_essence_cfg *oe = m->out[out_idx].cfg->ess;
	const struct cp_essence_cfg *ie = m->in[in_idx].cfg->ess;
	if (!video_equal(&oe[CP_ESS_VIDEO].video, &ie[CP_ESS_VIDEO].video)) {
		const struct sy_video_format *a = &ie[CP_ESS_VIDEO].video, *b = &oe[CP_ESS_VIDEO].video;
		snprintf(why, cap,
			 "video format of input '%s' (%ux%u%s %u/%u %u-bit) differs from output "
			 "'%s' (%ux%u%s %u/%u %u-bit)",
			 m->in[in_idx].cfg->id, a->width, a->height, a->interlaced ? "i" : "p",
			 a->rate.num, a->rate.den, a->depth, m->out[out_idx].cfg->id, b->width,
			 b->height, b->interlaced ? "i" : "p", b->rate.num, b->rate.den, b->depth);
		return false;
	}
	if (oe[CP_ESS_AUDIO].present) {
		if (!ie[CP_ESS_AUDIO].present) {
			snprintf(why, cap, "output '%s' carries audio, input '%s' has none",
				 m->out[out_idx].cfg->id, m->in[in_idx].cfg->id);
			return false;
		}
		const struct sy_st2110_30_format *a = &ie[CP_ESS_AUDIO].audio,
						 *b = &oe[CP_ESS_AUDIO].audio;
		if (a->channels != b->channels || a->rate_hz != b->rate_hz ||
		    a->encoding != b->encoding) {
			snprintf(why, cap, "audio of input '%s' (%u ch %u Hz %s) differs from output "
					   "'%s' (%u ch %u Hz %s)",
				 m->in[in_idx].cfg->id, a->channels, a->rate_hz,
				 sy_st2110_30_encoding_name(a->encoding), m->out[out_idx].cfg->id,
				 b->channels, b->rate_hz, sy_st2110_30_encoding_name(b->encoding));
			return false;
		}
	}
	return true;
}

uint64_t cp_model_frame_at(const struct cp_model *m, uint32_t out_idx, uint64_t t_tai_ns)
{
	struct sy_time_frame f;
	if (!t_tai_ns)
		t_tai_ns = cp_model_now(m);
	if (sy_time_frame_at_or_after(t_tai_ns, m->out[out_idx].cfg->ess[CP_ESS_VIDEO].video.rate,
				      SY_TIME_VIDEO_HZ, &f) < 0)
		return t_tai_ns;
	return f.start_ns;
}

static json_t *tai_json(uint64_t t)
{
	char b[48];
	cp_model_tai_str(t, b, sizeof(b));
	return json_string(b);
}

void cp_model_event(struct cp_model *m, const char *name, json_t *data)
{
	uint64_t seq = ++m->event_seq;
	json_object_set_new(data, "seq", json_integer((json_int_t)seq));
	json_object_set_new(data, "event", json_string(name));
	json_object_set_new(data, "time", tai_json(cp_model_now(m)));
	json_t **slot = &m->events[seq % CP_EVENTS_MAX];
	json_decref(*slot);
	*slot = data;
	m->stats.events++;
	if (m->notify)
		m->notify(m->notify_ctx, name, data);
}

void cp_model_audit(struct cp_model *m, const char *client, const char *action, json_t *detail)
{
	uint64_t seq = ++m->audit_seq;
	uint64_t now = cp_model_now(m);
	json_object_set_new(detail, "seq", json_integer((json_int_t)seq));
	json_object_set_new(detail, "time", tai_json(now));
	json_object_set_new(detail, "client", json_string(client ? client : ""));
	json_object_set_new(detail, "action", json_string(action));
	json_t **slot = &m->audit[seq % CP_AUDIT_MAX];
	json_decref(*slot);
	*slot = detail;
}

static const char *in_id(const struct cp_model *m, int32_t i)
{
	return i >= 0 ? m->in[i].cfg->id : NULL;
}

static json_t *id_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Lock check for a change of out_idx requested by client. */
static int check_lock(const struct cp_model *m, uint32_t out_idx, const char *client, char *err)
{
	const struct cp_lock *l = &m->out[out_idx].lock;
	if (l->kind == CP_LOCK_LOCK)
		return fail(err, -EBUSY, "output '%s' is locked by '%s'", m->out[out_idx].cfg->id,
			    l->owner);
	if (l->kind == CP_LOCK_PROTECT && strcmp(l->owner, client) != 0)
		return fail(err, -EBUSY, "output '%s' is protected by '%s'",
			    m->out[out_idx].cfg->id, l->owner);
	return 0;
}

static int check_take(const struct cp_model *m, uint32_t out_idx, int32_t in_idx,
		      const char *client, char *err)
{
	if (out_idx >= m->n_out)
		return fail(err, -ENOENT, "no such output");
	if (in_idx >= (int32_t)m->n_in || in_idx < -1)
		return fail(err, -ENOENT, "no such input");
	int rc = check_lock(m, out_idx, client, err);
	if (rc)
		return rc;
	char why[CP_MODEL_ERR_MAX];
	if (in_idx >= 0 && !cp_model_compatible(m, out_idx, (uint32_t)in_idx, why, sizeof(why)))
		return fail(err, -EMEDIUMTYPE, "%s", why);
	return 0;
}

/* Arm the engine and record the pending take; checks already done. */
static int engine_refused(struct cp_model *m, int rc, char *err)
{
	if (rc == -ENODEV)
		return fail(err, rc, "no switching engine is running (engine '%s'): nothing was "
				     "switched", m->sw->ops->name);
	const char *why = m->sw->ops->last_error ? m->sw->ops->last_error(m->sw) : "";
	return fail(err, rc, "engine refused the take: %s", why[0] ? why : strerror(-rc));
}

/* The model's side of a take the engine has accepted. */
static void record_take(struct cp_model *m, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns,
			uint64_t frame_tai_ns, const char *client, const char *via);

static int arm_take(struct cp_model *m, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns,
		    uint64_t frame_tai_ns, const char *client, char *err, const char *via)
{
	int rc = m->sw->ops->take(m->sw, out_idx, in_idx, at_tai_ns);
	if (rc < 0)
		return engine_refused(m, rc, err);
	record_take(m, out_idx, in_idx, at_tai_ns, frame_tai_ns, client, via);
	return 0;
}

static void record_take(struct cp_model *m, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns,
			uint64_t frame_tai_ns, const char *client, const char *via)
{
	struct cp_output *o = &m->out[out_idx];
	o->pending.active = true;
	o->pending.in_idx = in_idx;
	o->pending.at_tai_ns = at_tai_ns;
	o->pending.frame_tai_ns = frame_tai_ns;
	snprintf(o->pending.client, sizeof(o->pending.client), "%s", client);
	o->req_in = in_idx;
	m->stats.takes_requested++;
	cp_model_touch(m);
	json_t *d = json_object();
	json_object_set_new(d, "output", json_string(o->cfg->id));
	json_object_set_new(d, "input", id_or_null(in_id(m, in_idx)));
	json_object_set_new(d, "at", at_tai_ns ? tai_json(at_tai_ns) : json_null());
	json_object_set_new(d, "frame_at", tai_json(frame_tai_ns));
	json_object_set_new(d, "via", json_string(via));
	cp_model_audit(m, client, "take", json_deep_copy(d));
	json_object_set_new(d, "client", json_string(client));
	cp_model_event(m, "take_pending", d);
}

int cp_model_take(struct cp_model *m, uint32_t out_idx, int32_t in_idx, uint64_t at_tai_ns,
		  const char *client, char *err)
{
	int rc = check_take(m, out_idx, in_idx, client, err);
	if (rc) {
		m->stats.takes_refused++;
		return rc;
	}
	uint64_t now = cp_model_now(m);
	if (at_tai_ns && at_tai_ns + 1000000000ull < now) {
		m->stats.takes_refused++;
		return fail(err, -EINVAL, "scheduled time is more than 1 s in the past");
	}
	uint64_t frame = cp_model_frame_at(m, out_idx, at_tai_ns ? at_tai_ns : now);
	rc = arm_take(m, out_idx, in_idx, at_tai_ns, frame, client, err, "take");
	if (rc)
		m->stats.takes_refused++;
	return rc;
}

int cp_model_preview(struct cp_model *m, uint32_t out_idx, int32_t in_idx, const char *client,
		     char *err)
{
	int rc = check_take(m, out_idx, in_idx, client, err);
	if (rc)
		return rc;
	struct cp_output *o = &m->out[out_idx];
	o->preview_in = in_idx;
	cp_model_touch(m);
	json_t *d = json_object();
	json_object_set_new(d, "output", json_string(o->cfg->id));
	json_object_set_new(d, "input", id_or_null(in_id(m, in_idx)));
	cp_model_audit(m, client, "preview", json_deep_copy(d));
	cp_model_event(m, "preview", d);
	return 0;
}

int cp_model_cut(struct cp_model *m, uint32_t out_idx, uint64_t at_tai_ns, const char *client,
		 char *err)
{
	if (out_idx >= m->n_out)
		return fail(err, -ENOENT, "no such output");
	struct cp_output *o = &m->out[out_idx];
	if (o->preview_in < 0)
		return fail(err, -EINVAL, "nothing selected on the preview bus of '%s'",
			    o->cfg->id);
	int32_t old = o->req_in;
	int rc = cp_model_take(m, out_idx, o->preview_in, at_tai_ns, client, err);
	if (rc)
		return rc;
	o->preview_in = old;
	return 0;
}

int cp_model_lock(struct cp_model *m, uint32_t out_idx, enum cp_lock_kind kind,
		  const char *client, bool force, char *err)
{
	static const char *const names[CP_LOCK_KIND_MAX] = {"none", "lock", "protect"};
	if (out_idx >= m->n_out)
		return fail(err, -ENOENT, "no such output");
	if (kind >= CP_LOCK_KIND_MAX)
		return fail(err, -EINVAL, "bad lock kind");
	struct cp_output *o = &m->out[out_idx];
	if (o->lock.kind != CP_LOCK_NONE && strcmp(o->lock.owner, client) != 0 && !force)
		return fail(err, -EBUSY, "output '%s' is %sed by '%s' (use force to override)",
			    o->cfg->id, names[o->lock.kind], o->lock.owner);
	json_t *d = json_object();
	json_object_set_new(d, "output", json_string(o->cfg->id));
	json_object_set_new(d, "from", json_string(names[o->lock.kind]));
	json_object_set_new(d, "from_owner", json_string(o->lock.owner));
	json_object_set_new(d, "to", json_string(names[kind]));
	json_object_set_new(d, "force", json_boolean(force));
	o->lock.kind = kind;
	snprintf(o->lock.owner, sizeof(o->lock.owner), "%s", kind == CP_LOCK_NONE ? "" : client);
	o->lock.since_tai_ns = cp_model_now(m);
	cp_model_touch(m);
	cp_model_audit(m, client, "lock", json_deep_copy(d));
	json_object_set_new(d, "owner", json_string(o->lock.owner));
	cp_model_event(m, "lock", d);
	return 0;
}

int cp_model_set_label(struct cp_model *m, bool output, uint32_t idx, const char *label,
		       const char *client, char *err)
{
	if (idx >= (output ? m->n_out : m->n_in))
		return fail(err, -ENOENT, output ? "no such output" : "no such input");
	size_t len = strlen(label);
	if (len == 0 || len >= CP_LABEL_MAX)
		return fail(err, -EINVAL, "label must be 1..%u bytes of UTF-8", CP_LABEL_MAX - 1);
	if (!cp_json_label_ok(label))
		return fail(err, -EINVAL, "control characters are not allowed in labels");
	char *dst = output ? m->out[idx].label : m->in[idx].label;
	snprintf(dst, CP_LABEL_MAX, "%s", label);
	uint64_t now = cp_model_now(m);
	if (output)
		m->out[idx].version_tai_ns = now;
	else
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			m->in[idx].conn[e].version_tai_ns = now;
	cp_model_touch(m);
	json_t *d = json_object();
	json_object_set_new(d, output ? "output" : "input",
			    json_string(output ? m->out[idx].cfg->id : m->in[idx].cfg->id));
	json_object_set_new(d, "label", json_string(label));
	cp_model_audit(m, client, "label", json_deep_copy(d));
	cp_model_event(m, "label", d);
	return 0;
}

int cp_model_salvo_put(struct cp_model *m, const struct cp_salvo *s, const char *client,
		       char *err)
{
	if (!cp_config_id_ok(s->id))
		return fail(err, -EINVAL, "salvo id must be 1..31 of [A-Za-z0-9_-]");
	if (s->n_takes == 0 || s->n_takes > m->n_out)
		return fail(err, -EINVAL, "a salvo has 1..%u takes", m->n_out);
	for (uint32_t i = 0; i < s->n_takes; i++) {
		if (s->take[i].out_idx >= m->n_out || s->take[i].in_idx >= (int32_t)m->n_in ||
		    s->take[i].in_idx < -1)
			return fail(err, -ENOENT, "take %u: no such output or input", i);
		for (uint32_t j = 0; j < i; j++)
			if (s->take[j].out_idx == s->take[i].out_idx)
				return fail(err, -EINVAL, "output '%s' appears twice",
					    m->out[s->take[i].out_idx].cfg->id);
		char why[CP_MODEL_ERR_MAX];
		if (s->take[i].in_idx >= 0 &&
		    !cp_model_compatible(m, s->take[i].out_idx, (uint32_t)s->take[i].in_idx, why,
					 sizeof(why)))
			return fail(err, -EMEDIUMTYPE, "take %u: %s", i, why);
	}
	int idx = cp_model_find_salvo(m, s->id);
	if (idx < 0) {
		if (m->n_salvos >= CP_MAX_SALVOS)
			return fail(err, -ENOSPC, "at most %u salvos", CP_MAX_SALVOS);
		idx = (int)m->n_salvos++;
	}
	m->salvo[idx] = *s;
	if (!m->salvo[idx].label[0])
		snprintf(m->salvo[idx].label, sizeof(m->salvo[idx].label), "%s", s->id);
	cp_model_touch(m);
	cp_model_audit(m, client, "salvo_define", cp_model_salvo_json(m, (uint32_t)idx));
	cp_model_event(m, "salvo_define", cp_model_salvo_json(m, (uint32_t)idx));
	return 0;
}

int cp_model_salvo_delete(struct cp_model *m, const char *id, const char *client, char *err)
{
	int idx = cp_model_find_salvo(m, id);
	if (idx < 0)
		return fail(err, -ENOENT, "no salvo '%s'", id);
	memmove(&m->salvo[idx], &m->salvo[idx + 1],
		(m->n_salvos - (uint32_t)idx - 1) * sizeof(m->salvo[0]));
	m->n_salvos--;
	cp_model_touch(m);
	json_t *d = json_pack("{s:s}", "salvo", id);
	cp_model_audit(m, client, "salvo_delete", json_deep_copy(d));
	cp_model_event(m, "salvo_delete", d);
	return 0;
}

int cp_model_salvo_fire(struct cp_model *m, uint32_t salvo_idx, uint64_t at_tai_ns,
			const char *client, char *err, uint64_t *shared_tai_ns)
{
	if (salvo_idx >= m->n_salvos)
		return fail(err, -ENOENT, "no such salvo");
	const struct cp_salvo *s = &m->salvo[salvo_idx];
	uint64_t now = cp_model_now(m);
	if (at_tai_ns && at_tai_ns + 1000000000ull < now)
		return fail(err, -EINVAL, "scheduled time is more than 1 s in the past");
	/* all-or-nothing: check every take before arming any */
	for (uint32_t i = 0; i < s->n_takes; i++) {
		int rc = check_take(m, s->take[i].out_idx, s->take[i].in_idx, client, err);
		if (rc) {
			m->stats.takes_refused++;
			return rc;
		}
	}
	uint64_t t = at_tai_ns ? at_tai_ns : now + (uint64_t)m->cfg->salvo_lead_ms * 1000000ull;
	if (m->sw->ops->take_many) {
		/* one engine operation for the whole salvo: all or none */
		uint32_t outs[CP_MAX_OUTPUTS];
		int32_t ins[CP_MAX_OUTPUTS];
		for (uint32_t i = 0; i < s->n_takes; i++) {
			outs[i] = s->take[i].out_idx;
			ins[i] = s->take[i].in_idx;
		}
		int rc = m->sw->ops->take_many(m->sw, s->n_takes, outs, ins, t);
		if (rc < 0)
			return engine_refused(m, rc, err);
		for (uint32_t i = 0; i < s->n_takes; i++)
			record_take(m, outs[i], ins[i], t, cp_model_frame_at(m, outs[i], t), client,
				    s->id);
	} else {
		for (uint32_t i = 0; i < s->n_takes; i++) {
			uint32_t o = s->take[i].out_idx;
			/* engines without take_many (none, the test engine) refuse the
			 * first take or none: -ENODEV */
			int rc = arm_take(m, o, s->take[i].in_idx, t, cp_model_frame_at(m, o, t),
					  client, err, s->id);
			if (rc)
				return rc;
		}
	}
	m->stats.salvos_fired++;
	*shared_tai_ns = t;
	json_t *d = json_object();
	json_object_set_new(d, "salvo", json_string(s->id));
	json_object_set_new(d, "at", tai_json(t));
	cp_model_audit(m, client, "salvo_fire", json_deep_copy(d));
	cp_model_event(m, "salvo_fire", d);
	return 0;
}

uint32_t cp_model_poll(struct cp_model *m)
{
	struct cp_switch_event ev[32];
	uint32_t total = 0, n;
	uint64_t now = cp_model_now(m);
	while ((n = m->sw->ops->poll(m->sw, now, ev, 32)) > 0) { /* drain the whole ring */
		for (uint32_t k = 0; k < n; k++) {
			const struct cp_switch_event *e = &ev[k];
			json_t *d = json_object();
			if (e->kind == CP_SWITCH_EV_TAKE_DONE && e->out_idx < m->n_out) {
				struct cp_output *o = &m->out[e->out_idx];
				o->cur_in = e->in_idx;
				if (o->pending.active && o->pending.in_idx == e->in_idx)
					o->pending.active = false;
				o->last_take_tai_ns = e->tai_ns;
				o->last_take_rtp = e->rtp_ts;
				o->version_tai_ns = now > o->version_tai_ns ? now : o->version_tai_ns + 1;
				m->stats.takes_done++;
				json_object_set_new(d, "output", json_string(o->cfg->id));
				json_object_set_new(d, "input", id_or_null(in_id(m, e->in_idx)));
				json_object_set_new(d, "landed", tai_json(e->tai_ns));
				json_object_set_new(d, "rtp_ts", json_integer(e->rtp_ts));
				json_object_set_new(d, "frames_held", json_integer(e->frames_held));
				json_object_set_new(d, "frames_lost", json_integer(e->frames_lost));
				cp_model_touch(m);
				cp_model_event(m, "take_done", d);
			} else if (e->kind == CP_SWITCH_EV_TAKE_FAILED && e->out_idx < m->n_out) {
				struct cp_output *o = &m->out[e->out_idx];
				o->pending.active = false;
				json_object_set_new(d, "output", json_string(o->cfg->id));
				cp_model_event(m, "take_failed", d);
			} else if (e->kind == CP_SWITCH_EV_ACTIVATED && e->in_idx >= 0 &&
				   (uint32_t)e->in_idx < m->n_in && e->leg < CP_ESS_MAX) {
				struct cp_conn *c = &m->in[e->in_idx].conn[e->leg];
				if (c->engine_pending) { /* else: cancelled, or immediate */
					c->engine_done = true;
					c->engine_done_tai_ns = e->tai_ns;
				}
				json_decref(d);
			} else if ((e->kind == CP_SWITCH_EV_INPUT_LOST ||
				    e->kind == CP_SWITCH_EV_INPUT_OK) &&
				   e->in_idx >= 0 && (uint32_t)e->in_idx < m->n_in) {
				m->in[e->in_idx].lost = e->kind == CP_SWITCH_EV_INPUT_LOST;
				json_object_set_new(d, "input", json_string(m->in[e->in_idx].cfg->id));
				json_object_set_new(d, "leg", json_integer(e->leg));
				cp_model_event(m, e->kind == CP_SWITCH_EV_INPUT_LOST ? "input_lost"
										    : "input_ok",
					       d);
			} else {
				json_decref(d);
			}
		}
		total += n;
		if (n < 32)
			break;
	}
	return total;
}

/* ---- JSON views ---- */

static json_t *video_json(const struct sy_video_format *f)
{
	return json_pack("{s:i,s:i,s:b,s:{s:i,s:i},s:s,s:i,s:s,s:s}", "width", f->width, "height",
			 f->height, "interlaced", f->interlaced, "rate", "numerator", f->rate.num,
			 "denominator", f->rate.den, "sampling", sy_format_sampling_name(f->sampling),
			 "depth", f->depth, "colorimetry", sy_format_colorimetry_name(f->colorimetry),
			 "tcs", sy_format_tcs_name(f->tcs));
}

static json_t *format_json(const struct cp_essence_cfg *ess)
{
	json_t *f = json_object();
	json_object_set_new(f, "video", video_json(&ess[CP_ESS_VIDEO].video));
	if (ess[CP_ESS_AUDIO].present) {
		const struct sy_st2110_30_format *a = &ess[CP_ESS_AUDIO].audio;
		json_object_set_new(f, "audio",
				    json_pack("{s:i,s:i,s:s,s:i}", "channels", a->channels, "rate_hz",
					      a->rate_hz, "encoding",
					      sy_st2110_30_encoding_name(a->encoding), "ptime_us",
					      a->ptime_ns / 1000));
	}
	if (ess[CP_ESS_ANC].present)
		json_object_set_new(f, "anc", json_object());
	return f;
}

json_t *cp_model_input_json(const struct cp_model *m, uint32_t i)
{
	static const char *const kinds[CP_INTERNAL_MAX] = {"network", "black", "bars", "box",
								   "bars75"};
	const struct cp_input *in = &m->in[i];
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(in->cfg->id));
	json_object_set_new(j, "label", json_string(in->label));
	json_object_set_new(j, "kind", json_string(kinds[in->cfg->internal]));
	json_object_set_new(j, "format", format_json(in->cfg->ess));
	json_object_set_new(j, "status", json_string(in->lost ? "lost" : "ok"));
	return j;
}

json_t *cp_model_output_json(const struct cp_model *m, uint32_t o)
{
	static const char *const lk[CP_LOCK_KIND_MAX] = {"none", "lock", "protect"};
	const struct cp_output *out = &m->out[o];
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(out->cfg->id));
	json_object_set_new(j, "label", json_string(out->label));
	json_object_set_new(j, "program", json_boolean(out->cfg->program));
	json_object_set_new(j, "format", format_json(out->cfg->ess));
	json_object_set_new(j, "input", id_or_null(in_id(m, out->cur_in)));
	json_object_set_new(j, "requested_input", id_or_null(in_id(m, out->req_in)));
	json_object_set_new(j, "preview", id_or_null(in_id(m, out->preview_in)));
	if (out->pending.active) {
		json_t *p = json_object();
		json_object_set_new(p, "input", id_or_null(in_id(m, out->pending.in_idx)));
		json_object_set_new(p, "at", out->pending.at_tai_ns ? tai_json(out->pending.at_tai_ns)
								   : json_null());
		json_object_set_new(p, "frame_at", tai_json(out->pending.frame_tai_ns));
		json_object_set_new(p, "client", json_string(out->pending.client));
		json_object_set_new(j, "pending", p);
	} else {
		json_object_set_new(j, "pending", json_null());
	}
	json_object_set_new(j, "lock",
			    json_pack("{s:s,s:s}", "kind", lk[out->lock.kind], "owner",
				      out->lock.owner));
	json_object_set_new(j, "last_take",
			    out->last_take_tai_ns ? tai_json(out->last_take_tai_ns) : json_null());
	return j;
}

json_t *cp_model_salvo_json(const struct cp_model *m, uint32_t s)
{
	const struct cp_salvo *sv = &m->salvo[s];
	json_t *takes = json_array();
	for (uint32_t i = 0; i < sv->n_takes; i++)
		json_array_append_new(takes,
				      json_pack("{s:s,s:o}", "output", m->out[sv->take[i].out_idx].cfg->id,
						"input", id_or_null(in_id(m, sv->take[i].in_idx))));
	return json_pack("{s:s,s:s,s:o}", "id", sv->id, "label", sv->label, "takes", takes);
}

json_t *cp_model_tally_json(const struct cp_model *m)
{
	json_t *t = json_object();
	for (uint32_t i = 0; i < m->n_in; i++) {
		json_t *pgm = json_array(), *pvw = json_array(), *on = json_array();
		for (uint32_t o = 0; o < m->n_out; o++) {
			if (m->out[o].cur_in == (int32_t)i) {
				json_array_append_new(on, json_string(m->out[o].cfg->id));
				if (m->out[o].cfg->program)
					json_array_append_new(pgm, json_string(m->out[o].cfg->id));
			}
			if (m->out[o].preview_in == (int32_t)i)
				json_array_append_new(pvw, json_string(m->out[o].cfg->id));
		}
		const char *colour = json_array_size(pgm) ? "red" : json_array_size(pvw) ? "green" : "off";
		json_object_set_new(t, m->in[i].cfg->id,
				    json_pack("{s:s,s:o,s:o,s:o}", "tally", colour, "program", pgm,
					      "preview", pvw, "outputs", on));
	}
	return t;
}

/* ---- persistence ---- */

static json_t *legs_json(const struct cp_conn_params *p)
{
	json_t *a = json_array();
	for (uint32_t l = 0; l < p->n_legs; l++)
		json_array_append_new(a, json_pack("{s:b,s:I,s:I,s:i,s:i}", "enabled",
						   p->leg[l].enabled, "dst", (json_int_t)p->leg[l].dst_ip,
						   "src", (json_int_t)p->leg[l].src_ip, "port",
						   p->leg[l].dst_port, "src_port", p->leg[l].src_port));
	return a;
}

json_t *cp_model_state_json(const struct cp_model *m)
{
	json_t *st = json_object(), *xp = json_object(), *pv = json_object(), *locks = json_object(),
	       *ilab = json_object(), *olab = json_object(), *salvos = json_array(),
	       *recv = json_object();
	for (uint32_t o = 0; o < m->n_out; o++) {
		const struct cp_output *out = &m->out[o];
		json_object_set_new(xp, out->cfg->id, id_or_null(in_id(m, out->req_in)));
		json_object_set_new(pv, out->cfg->id, id_or_null(in_id(m, out->preview_in)));
		if (out->lock.kind != CP_LOCK_NONE)
			json_object_set_new(locks, out->cfg->id,
					    json_pack("{s:s,s:s}", "kind",
						      out->lock.kind == CP_LOCK_LOCK ? "lock" : "protect",
						      "owner", out->lock.owner));
		json_object_set_new(olab, out->cfg->id, json_string(out->label));
	}
	for (uint32_t i = 0; i < m->n_in; i++) {
		const struct cp_input *in = &m->in[i];
		json_object_set_new(ilab, in->cfg->id, json_string(in->label));
		json_t *ess = json_object();
		static const char *const en[CP_ESS_MAX] = {"video", "audio", "anc"};
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			if (!in->cfg->ess[e].present)
				continue;
			const struct cp_conn *c = &in->conn[e];
			json_t *cj = json_pack("{s:b,s:o}", "master_enable", c->active.master_enable,
					       "legs", legs_json(&c->active));
			json_object_set_new(cj, "sender_id",
					    c->active.has_peer ? json_string(c->active.peer_id)
							       : json_null());
			json_object_set_new(cj, "sdp",
					    c->active_sdp ? json_string(c->active_sdp) : json_null());
			json_object_set_new(ess, en[e], cj);
		}
		json_object_set_new(recv, in->cfg->id, ess);
	}
	json_t *snd = json_object();
	for (uint32_t o = 0; o < m->n_out; o++) {
		static const char *const en[CP_ESS_MAX] = {"video", "audio", "anc"};
		json_t *ess = json_object();
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			if (!m->out[o].cfg->ess[e].present)
				continue;
			const struct cp_conn *c = &m->out[o].conn[e];
			json_t *cj = json_pack("{s:b,s:o}", "master_enable", c->active.master_enable,
					       "legs", legs_json(&c->active));
			json_object_set_new(cj, "receiver_id",
					    c->active.has_peer ? json_string(c->active.peer_id)
							       : json_null());
			json_object_set_new(ess, en[e], cj);
		}
		json_object_set_new(snd, m->out[o].cfg->id, ess);
	}
	for (uint32_t s = 0; s < m->n_salvos; s++)
		json_array_append_new(salvos, cp_model_salvo_json(m, s));
	json_object_set_new(st, "version", json_integer(1));
	json_object_set_new(st, "crosspoints", xp);
	json_object_set_new(st, "preview", pv);
	json_object_set_new(st, "locks", locks);
	json_object_set_new(st, "input_labels", ilab);
	json_object_set_new(st, "output_labels", olab);
	json_object_set_new(st, "salvos", salvos);
	json_object_set_new(st, "receivers", recv);
	json_object_set_new(st, "senders", snd);
	return st;
}

static int idx_of(const struct cp_model *m, bool output, const json_t *v)
{
	if (!json_is_string(v))
		return -1;
	return output ? cp_model_find_output(m, json_string_value(v))
		      : cp_model_find_input(m, json_string_value(v));
}

int cp_model_state_restore(struct cp_model *m, const json_t *st, char *err)
{
	const char *k;
	json_t *v;
	if (!json_is_object(st) || json_integer_value(json_object_get(st, "version")) != 1)
		return fail(err, -EINVAL, "state: not a version 1 state document");
	json_object_foreach(json_object_get(st, "output_labels"), k, v) {
		int o = cp_model_find_output(m, k);
		if (o >= 0 && json_is_string(v) && json_string_length(v) < CP_LABEL_MAX &&
		    json_string_length(v) > 0 && cp_json_label_ok(json_string_value(v)))
			snprintf(m->out[o].label, CP_LABEL_MAX, "%s", json_string_value(v));
	}
	json_object_foreach(json_object_get(st, "input_labels"), k, v) {
		int i = cp_model_find_input(m, k);
		if (i >= 0 && json_is_string(v) && json_string_length(v) < CP_LABEL_MAX &&
		    json_string_length(v) > 0 && cp_json_label_ok(json_string_value(v)))
			snprintf(m->in[i].label, CP_LABEL_MAX, "%s", json_string_value(v));
	}
	json_object_foreach(json_object_get(st, "preview"), k, v) {
		int o = cp_model_find_output(m, k), i = idx_of(m, false, v);
		char why[CP_MODEL_ERR_MAX];
		if (o >= 0 && i >= 0 && cp_model_compatible(m, (uint32_t)o, (uint32_t)i, why, sizeof(why)))
			m->out[o].preview_in = i;
	}
	json_object_foreach(json_object_get(st, "locks"), k, v) {
		int o = cp_model_find_output(m, k);
		const char *kind = json_string_value(json_object_get(v, "kind"));
		const char *owner = json_string_value(json_object_get(v, "owner"));
		if (o < 0 || !kind || !owner)
			continue;
		m->out[o].lock.kind = !strcmp(kind, "lock") ? CP_LOCK_LOCK : CP_LOCK_PROTECT;
		snprintf(m->out[o].lock.owner, CP_CLIENT_MAX, "%s", owner);
	}
	size_t si;
	json_array_foreach(json_object_get(st, "salvos"), si, v) {
		struct cp_salvo s;
		memset(&s, 0, sizeof(s));
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *label = json_string_value(json_object_get(v, "label"));
		if (!id || strlen(id) >= CP_ID_MAX || m->n_salvos >= CP_MAX_SALVOS)
			continue;
		snprintf(s.id, sizeof(s.id), "%s", id);
		snprintf(s.label, sizeof(s.label), "%s", label ? label : id);
		size_t ti;
		json_t *t;
		bool ok = true;
		json_array_foreach(json_object_get(v, "takes"), ti, t) {
			int o = idx_of(m, true, json_object_get(t, "output"));
			json_t *iv = json_object_get(t, "input");
			int i = json_is_null(iv) ? -1 : idx_of(m, false, iv);
			if (o < 0 || (i < 0 && !json_is_null(iv)) || s.n_takes >= CP_MAX_OUTPUTS) {
				ok = false;
				break;
			}
			s.take[s.n_takes].out_idx = (uint32_t)o;
			s.take[s.n_takes].in_idx = i;
			s.n_takes++;
		}
		if (ok && s.n_takes)
			m->salvo[m->n_salvos++] = s;
	}
	for (int sender = 0; sender < 2; sender++) {
		json_object_foreach(json_object_get(st, sender ? "senders" : "receivers"), k, v) {
			int i = sender ? cp_model_find_output(m, k) : cp_model_find_input(m, k);
			static const char *const en[CP_ESS_MAX] = {"video", "audio", "anc"};
			if (i < 0)
				continue;
			for (unsigned e = 0; e < CP_ESS_MAX; e++) {
				json_t *cj = json_object_get(v, en[e]);
				bool present = sender ? m->out[i].cfg->ess[e].present
						      : m->in[i].cfg->ess[e].present;
				if (!cj || !present)
					continue;
				struct cp_conn *c = sender ? &m->out[i].conn[e] : &m->in[i].conn[e];
				struct cp_conn_params p = c->active;
				json_t *legs = json_object_get(cj, "legs"), *l;
				size_t li;
				if (!json_is_array(legs) || json_array_size(legs) != p.n_legs)
					continue; /* the config changed the leg count: keep the config */
				json_array_foreach(legs, li, l) {
					p.leg[li].enabled = json_is_true(json_object_get(l, "enabled"));
					p.leg[li].dst_ip =
						(uint32_t)json_integer_value(json_object_get(l, "dst"));
					p.leg[li].src_ip =
						(uint32_t)json_integer_value(json_object_get(l, "src"));
					p.leg[li].dst_port =
						(uint16_t)json_integer_value(json_object_get(l, "port"));
					p.leg[li].src_port =
						(uint16_t)json_integer_value(json_object_get(l, "src_port"));
				}
				p.master_enable = json_is_true(json_object_get(cj, "master_enable"));
				const char *pid = json_string_value(
					json_object_get(cj, sender ? "receiver_id" : "sender_id"));
				p.has_peer = pid && strlen(pid) == CP_UUID_STR - 1;
				p.peer_id[0] = 0;
				if (p.has_peer)
					memcpy(p.peer_id, pid, CP_UUID_STR);
				c->active = c->staged = p;
				if (!sender) {
					const char *sdp = json_string_value(json_object_get(cj, "sdp"));
					free(c->active_sdp);
					c->active_sdp = sdp ? strdup(sdp) : NULL;
				}
				/* the engine learns it when the app re-applies active connections */
			}
		}
	}
	/* crosspoints last: takes are checked against the restored locks? No:
	 * restore is the state the operators left, so apply without lock checks. */
	json_object_foreach(json_object_get(st, "crosspoints"), k, v) {
		int o = cp_model_find_output(m, k);
		int i = json_is_null(v) ? -1 : idx_of(m, false, v);
		if (o < 0 || (i < 0 && !json_is_null(v)))
			continue;
		char why[CP_MODEL_ERR_MAX];
		if (i >= 0 && !cp_model_compatible(m, (uint32_t)o, (uint32_t)i, why, sizeof(why)))
			continue;
		m->out[o].req_in = i;
	}
	return 0;
}
