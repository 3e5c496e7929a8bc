/* SPDX-License-Identifier: MIT */
/*
 * cp_nmos.c: IS-04 Node API v1.3 built from the model.
 *
 * One Node with one Device. Per network input essence a Receiver that advertises the
 * input's format as a BCP-004-01 constraint set (a take from another format
 * is refused, so a controller can see what fits). Per output essence a
 * Sender with its own Source and Flow; the Source's and Flow's parents name
 * what the output carries now (the internal generator's Source/Flow; [] for
 * a network input whose upstream ids we do not know) and their version moves
 * with every take. BCP-002-01 group hints tie the essences of one input or
 * output together.
 *
 * Thread: the libuv loop thread.
 */
#include <stdio.h>
#include <string.h>

#include "cp_app.h"

static const char *const ess_role[CP_ESS_MAX] = {"Video", "Audio", "Data"};
static const char *const ess_name[CP_ESS_MAX] = {"video", "audio", "anc"};

static json_t *ver(uint64_t t)
{
	char b[48];
	cp_model_tai_str(t, b, sizeof(b));
	return json_string(b);
}

static json_t *tags_group(const char *group, unsigned e)
{
	char hint[CP_ID_MAX + 16];
	snprintf(hint, sizeof(hint), "%s:%s", group, ess_role[e]);
	return json_pack("{s:[s]}", "urn:x-nmos:tag:grouphint/v1.0", hint);
}

static json_t *rate_json(struct sy_rate r)
{
	return json_pack("{s:i,s:i}", "numerator", r.num, "denominator", r.den);
}

static const char *colorspace(enum sy_colorimetry c)
{
	return sy_format_colorimetry_name(c);
}

static const char *tcs_name(enum sy_tcs t)
{
	return sy_format_tcs_name(t);
}

static const char *interlace(const struct sy_video_format *f)
{
	return f->interlaced ? "interlaced_tff" : f->segmented ? "interlaced_psf" : "progressive";
}

static void href(const struct cp_app *app, char *buf, size_t cap, const char *path)
{
	snprintf(buf, cap, "%s://%s:%u%s", app->cfg->tls_cert[0] ? "https" : "http",
		 app->cfg->listen_host, app->port, path);
}

json_t *cp_nmos_self(const struct cp_app *app)
{
	char h[256];
	href(app, h, sizeof(h), "/");
	bool auth = app->cfg->token[0] != 0;
	json_t *n = json_object();
	json_object_set_new(n, "id", json_string(app->ids.node));
	json_object_set_new(n, "version", ver(app->model.node_version_tai_ns));
	json_object_set_new(n, "label", json_string(app->cfg->node_label));
	json_object_set_new(n, "description", json_string("Switchyard ST 2110 switcher"));
	json_object_set_new(n, "tags", json_object());
	json_object_set_new(n, "href", json_string(h));
	json_object_set_new(n, "hostname", json_string(app->hostname));
	json_object_set_new(n, "api",
			    json_pack("{s:[s],s:[{s:s,s:i,s:s,s:b}]}", "versions", "v1.3", "endpoints",
				      "host", app->cfg->listen_host, "port", app->port, "protocol",
				      app->cfg->tls_cert[0] ? "https" : "http", "authorization", auth));
	json_object_set_new(n, "caps", json_object());
	href(app, h, sizeof(h), "/x-switchyard/v1/");
	json_object_set_new(n, "services",
			    json_pack("[{s:s,s:s,s:b}]", "href", h, "type",
				      "urn:x-switchyard:service:switcher/v1", "authorization", auth));
	if (app->cfg->has_ptp) {
		/* the configured grandmaster; "locked" stays false until something
		 * that actually watches PTP (ptp4l via the dataplane) reports lock */
		const uint8_t *g = app->cfg->ptp_gmid;
		char gm[24];
		snprintf(gm, sizeof(gm), "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x", g[0], g[1], g[2],
			 g[3], g[4], g[5], g[6], g[7]);
		json_object_set_new(n, "clocks",
				    json_pack("[{s:s,s:s,s:b,s:s,s:s,s:b}]", "name", "clk0", "ref_type",
					      "ptp", "traceable", false, "version", "IEEE1588-2008",
					      "gmid", gm, "locked", false));
	} else {
		json_object_set_new(n, "clocks", json_pack("[{s:s,s:s}]", "name", "clk0", "ref_type",
							    "internal"));
	}
	json_object_set_new(n, "interfaces", json_array());
	return n;
}

json_t *cp_nmos_device(const struct cp_app *app)
{
	const struct cp_model *m = &app->model;
	json_t *snd = json_array(), *rcv = json_array();
	for (uint32_t o = 0; o < m->n_out; o++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (m->out[o].cfg->ess[e].present)
				json_array_append_new(snd, json_string(app->ids.out_sender[o][e]));
	for (uint32_t i = 0; i < m->n_in; i++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (m->in[i].cfg->ess[e].present && m->in[i].cfg->internal == CP_INTERNAL_NONE)
				json_array_append_new(rcv, json_string(app->ids.in_receiver[i][e]));
	char h[256];
	href(app, h, sizeof(h), "/x-nmos/connection/v1.1/");
	char h2[256];
	href(app, h2, sizeof(h2), "/x-switchyard/v1/");
	bool auth = app->cfg->token[0] != 0;
	json_t *d = json_object();
	json_object_set_new(d, "id", json_string(app->ids.device));
	json_object_set_new(d, "version", ver(m->node_version_tai_ns));
	json_object_set_new(d, "label", json_string(app->cfg->node_label));
	json_object_set_new(d, "description", json_string("ST 2110 crosspoint switcher"));
	json_object_set_new(d, "tags", json_object());
	json_object_set_new(d, "type", json_string("urn:x-nmos:device:generic"));
	json_object_set_new(d, "node_id", json_string(app->ids.node));
	json_object_set_new(d, "senders", snd);
	json_object_set_new(d, "receivers", rcv);
	json_object_set_new(d, "controls",
			    json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]", "href", h, "type",
				      "urn:x-nmos:control:sr-ctrl/v1.1", "authorization", auth, "href",
				      h2, "type", "urn:x-switchyard:control:switcher/v1",
				      "authorization", auth));
	return d;
}

static json_t *core(const char *id, uint64_t version, const char *label, const char *descr,
		    json_t *tags)
{
	json_t *r = json_object();
	json_object_set_new(r, "id", json_string(id));
	json_object_set_new(r, "version", ver(version));
	json_object_set_new(r, "label", json_string(label));
	json_object_set_new(r, "description", json_string(descr));
	json_object_set_new(r, "tags", tags ? tags : json_object());
	return r;
}

static json_t *source_json(const struct cp_app *app, const char *id, uint64_t version,
			   const char *label, const char *group, const struct cp_essence_cfg *ess,
			   unsigned e, json_t *parents)
{
	char l[CP_LABEL_MAX + 16];
	snprintf(l, sizeof(l), "%s %s", label, ess_role[e]);
	json_t *s = core(id, version, l, "", tags_group(group, e));
	json_object_set_new(s, "caps", json_object());
	json_object_set_new(s, "device_id", json_string(app->ids.device));
	json_object_set_new(s, "parents", parents);
	json_object_set_new(s, "clock_name", json_string("clk0"));
	json_object_set_new(s, "grain_rate", rate_json(ess[CP_ESS_VIDEO].video.rate));
	if (e == CP_ESS_VIDEO) {
		json_object_set_new(s, "format", json_string("urn:x-nmos:format:video"));
	} else if (e == CP_ESS_AUDIO) {
		json_t *ch = json_array();
		for (unsigned c = 0; c < ess[CP_ESS_AUDIO].audio.channels; c++) {
			char cl[16];
			snprintf(cl, sizeof(cl), "Ch %u", c + 1);
			json_array_append_new(ch, json_pack("{s:s}", "label", cl));
		}
		json_object_set_new(s, "format", json_string("urn:x-nmos:format:audio"));
		json_object_set_new(s, "channels", ch);
		json_object_del(s, "grain_rate");
	} else {
		json_object_set_new(s, "format", json_string("urn:x-nmos:format:data"));
	}
	return s;
}

static json_t *flow_json(const struct cp_app *app, const char *id, const char *source_id,
			 uint64_t version, const char *label, const char *group,
			 const struct cp_essence_cfg *ess, unsigned e, json_t *parents)
{
	char l[CP_LABEL_MAX + 16];
	snprintf(l, sizeof(l), "%s %s", label, ess_role[e]);
	json_t *f = core(id, version, l, "", tags_group(group, e));
	json_object_set_new(f, "source_id", json_string(source_id));
	json_object_set_new(f, "device_id", json_string(app->ids.device));
	json_object_set_new(f, "parents", parents);
	if (e == CP_ESS_VIDEO) {
		const struct sy_video_format *v = &ess[CP_ESS_VIDEO].video;
		uint32_t cw = v->sampling == SY_SAMPLING_YCBCR_444 || v->sampling == SY_SAMPLING_RGB
				      ? v->width
				      : v->width / 2;
		uint32_t chh = v->sampling == SY_SAMPLING_YCBCR_420 ? v->height / 2 : v->height;
		json_t *comp;
		if (v->sampling == SY_SAMPLING_RGB)
			comp = json_pack("[{s:s,s:i,s:i,s:i},{s:s,s:i,s:i,s:i},{s:s,s:i,s:i,s:i}]",
					 "name", "R", "width", v->width, "height", v->height,
					 "bit_depth", v->depth, "name", "G", "width", v->width,
					 "height", v->height, "bit_depth", v->depth, "name", "B",
					 "width", v->width, "height", v->height, "bit_depth", v->depth);
		else
			comp = json_pack("[{s:s,s:i,s:i,s:i},{s:s,s:i,s:i,s:i},{s:s,s:i,s:i,s:i}]",
					 "name", "Y", "width", v->width, "height", v->height,
					 "bit_depth", v->depth, "name", "Cb", "width", cw, "height",
					 chh, "bit_depth", v->depth, "name", "Cr", "width", cw,
					 "height", chh, "bit_depth", v->depth);
		json_object_set_new(f, "grain_rate", rate_json(v->rate));
		json_object_set_new(f, "format", json_string("urn:x-nmos:format:video"));
		json_object_set_new(f, "media_type", json_string("video/raw"));
		json_object_set_new(f, "frame_width", json_integer(v->width));
		json_object_set_new(f, "frame_height", json_integer(v->height));
		json_object_set_new(f, "interlace_mode", json_string(interlace(v)));
		json_object_set_new(f, "colorspace", json_string(colorspace(v->colorimetry)));
		json_object_set_new(f, "transfer_characteristic", json_string(tcs_name(v->tcs)));
		json_object_set_new(f, "components", comp);
	} else if (e == CP_ESS_AUDIO) {
		const struct sy_st2110_30_format *a = &ess[CP_ESS_AUDIO].audio;
		json_object_set_new(f, "format", json_string("urn:x-nmos:format:audio"));
		json_object_set_new(f, "media_type",
				    json_string(a->encoding == SY_ST2110_30_L16 ? "audio/L16"
									       : "audio/L24"));
		json_object_set_new(f, "sample_rate",
				    json_pack("{s:i,s:i}", "numerator", a->rate_hz, "denominator", 1));
		json_object_set_new(f, "bit_depth",
				    json_integer(a->encoding == SY_ST2110_30_L16 ? 16 : 24));
	} else {
		json_object_set_new(f, "grain_rate", rate_json(ess[CP_ESS_VIDEO].video.rate));
		json_object_set_new(f, "format", json_string("urn:x-nmos:format:data"));
		json_object_set_new(f, "media_type", json_string("video/smpte291"));
	}
	return f;
}

/* parents of output o's essence e: what it carries now */
static json_t *out_parents(const struct cp_app *app, uint32_t o, unsigned e, bool flows)
{
	const struct cp_model *m = &app->model;
	int32_t i = m->out[o].cur_in;
	json_t *p = json_array();
	if (i >= 0 && m->in[i].cfg->internal != CP_INTERNAL_NONE && m->in[i].cfg->ess[e].present)
		json_array_append_new(p, json_string(flows ? app->ids.in_flow[i][e]
							   : app->ids.in_source[i][e]));
	return p;
}

json_t *cp_nmos_sources(const struct cp_app *app)
{
	const struct cp_model *m = &app->model;
	json_t *a = json_array();
	for (uint32_t o = 0; o < m->n_out; o++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (m->out[o].cfg->ess[e].present)
				json_array_append_new(
					a, source_json(app, app->ids.out_source[o][e],
						       m->out[o].version_tai_ns, m->out[o].label,
						       m->out[o].cfg->id, m->out[o].cfg->ess, e,
						       out_parents(app, o, e, false)));
	for (uint32_t i = 0; i < m->n_in; i++)
		if (m->in[i].cfg->internal != CP_INTERNAL_NONE)
			for (unsigned e = 0; e < CP_ESS_MAX; e++)
				if (m->in[i].cfg->ess[e].present)
					json_array_append_new(
						a, source_json(app, app->ids.in_source[i][e],
							       m->node_version_tai_ns, m->in[i].label,
							       m->in[i].cfg->id, m->in[i].cfg->ess, e,
							       json_array()));
	return a;
}

json_t *cp_nmos_flows(const struct cp_app *app)
{
	const struct cp_model *m = &app->model;
	json_t *a = json_array();
	for (uint32_t o = 0; o < m->n_out; o++)
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (m->out[o].cfg->ess[e].present)
				json_array_append_new(
					a, flow_json(app, app->ids.out_flow[o][e],
						     app->ids.out_source[o][e], m->out[o].version_tai_ns,
						     m->out[o].label, m->out[o].cfg->id,
						     m->out[o].cfg->ess, e, out_parents(app, o, e, true)));
	for (uint32_t i = 0; i < m->n_in; i++)
		if (m->in[i].cfg->internal != CP_INTERNAL_NONE)
			for (unsigned e = 0; e < CP_ESS_MAX; e++)
				if (m->in[i].cfg->ess[e].present)
					json_array_append_new(
						a, flow_json(app, app->ids.in_flow[i][e],
							     app->ids.in_source[i][e],
							     m->node_version_tai_ns, m->in[i].label,
							     m->in[i].cfg->id, m->in[i].cfg->ess, e,
							     json_array()));
	return a;
}

static const char *transport_urn(const struct cp_conn_params *p)
{
	uint32_t top = p->leg[0].dst_ip >> 24;
	return (top >= 224 && top <= 239) ? "urn:x-nmos:transport:rtp.mcast"
					  : "urn:x-nmos:transport:rtp";
}

json_t *cp_nmos_senders(const struct cp_app *app)
{
	const struct cp_model *m = &app->model;
	json_t *a = json_array();
	for (uint32_t o = 0; o < m->n_out; o++) {
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			if (!m->out[o].cfg->ess[e].present)
				continue;
			const struct cp_conn *c = &m->out[o].conn[e];
			char l[CP_LABEL_MAX + 16], h[256], p[160];
			snprintf(l, sizeof(l), "%s %s", m->out[o].label, ess_role[e]);
			uint64_t v = c->version_tai_ns > m->out[o].version_tai_ns
					     ? c->version_tai_ns
					     : m->out[o].version_tai_ns;
			json_t *s = core(app->ids.out_sender[o][e], v, l, "",
					 tags_group(m->out[o].cfg->id, e));
			snprintf(p, sizeof(p), "/x-nmos/connection/v1.1/single/senders/%s/transportfile",
				 app->ids.out_sender[o][e]);
			href(app, h, sizeof(h), p);
			json_object_set_new(s, "flow_id", json_string(app->ids.out_flow[o][e]));
			json_object_set_new(s, "transport", json_string(transport_urn(&c->active)));
			json_object_set_new(s, "device_id", json_string(app->ids.device));
			json_object_set_new(s, "manifest_href", json_string(h));
			json_object_set_new(s, "interface_bindings", json_array());
			json_object_set_new(s, "caps", json_object());
			json_object_set_new(s, "subscription",
					    json_pack("{s:o,s:b}", "receiver_id",
						      c->active.has_peer ? json_string(c->active.peer_id)
									 : json_null(),
						      "active", c->active.master_enable));
			json_array_append_new(a, s);
		}
	}
	return a;
}

static json_t *constraint_sets(const struct cp_essence_cfg *ess, unsigned e)
{
	json_t *cs = json_object();
	if (e == CP_ESS_VIDEO) {
		const struct sy_video_format *v = &ess[CP_ESS_VIDEO].video;
		json_object_set_new(cs, "urn:x-nmos:cap:format:media_type",
				    json_pack("{s:[s]}", "enum", "video/raw"));
		json_object_set_new(cs, "urn:x-nmos:cap:format:frame_width",
				    json_pack("{s:[i]}", "enum", v->width));
		json_object_set_new(cs, "urn:x-nmos:cap:format:frame_height",
				    json_pack("{s:[i]}", "enum", v->height));
		json_object_set_new(cs, "urn:x-nmos:cap:format:grain_rate",
				    json_pack("{s:[o]}", "enum", rate_json(v->rate)));
		json_object_set_new(cs, "urn:x-nmos:cap:format:interlace_mode",
				    json_pack("{s:[s]}", "enum", interlace(v)));
		json_object_set_new(cs, "urn:x-nmos:cap:format:color_sampling",
				    json_pack("{s:[s]}", "enum", sy_format_sampling_name(v->sampling)));
		json_object_set_new(cs, "urn:x-nmos:cap:format:component_depth",
				    json_pack("{s:[i]}", "enum", v->depth));
		json_object_set_new(cs, "urn:x-nmos:cap:format:colorspace",
				    json_pack("{s:[s]}", "enum", colorspace(v->colorimetry)));
		json_object_set_new(cs, "urn:x-nmos:cap:format:transfer_characteristic",
				    json_pack("{s:[s]}", "enum", tcs_name(v->tcs)));
	} else if (e == CP_ESS_AUDIO) {
		const struct sy_st2110_30_format *a = &ess[CP_ESS_AUDIO].audio;
		json_object_set_new(cs, "urn:x-nmos:cap:format:media_type",
				    json_pack("{s:[s]}", "enum",
					      a->encoding == SY_ST2110_30_L16 ? "audio/L16" : "audio/L24"));
		json_object_set_new(cs, "urn:x-nmos:cap:format:channel_count",
				    json_pack("{s:[i]}", "enum", a->channels));
		json_object_set_new(cs, "urn:x-nmos:cap:format:sample_rate",
				    json_pack("{s:[{s:i,s:i}]}", "enum", "numerator", a->rate_hz,
					      "denominator", 1));
	} else {
		json_object_set_new(cs, "urn:x-nmos:cap:format:media_type",
				    json_pack("{s:[s]}", "enum", "video/smpte291"));
	}
	return json_pack("[o]", cs);
}

json_t *cp_nmos_receivers(const struct cp_app *app)
{
	static const char *const fmt_urn[CP_ESS_MAX] = {
		"urn:x-nmos:format:video", "urn:x-nmos:format:audio", "urn:x-nmos:format:data"};
	static const char *const media[CP_ESS_MAX] = {"video/raw", NULL, "video/smpte291"};
	const struct cp_model *m = &app->model;
	json_t *a = json_array();
	for (uint32_t i = 0; i < m->n_in; i++) {
		for (unsigned e = 0; e < CP_ESS_MAX; e++) {
			const struct cp_essence_cfg *ess = m->in[i].cfg->ess;
			if (!ess[e].present || m->in[i].cfg->internal != CP_INTERNAL_NONE)
				continue; /* internal sources are Sources/Flows, not Receivers */
			const struct cp_conn *c = &m->in[i].conn[e];
			char l[CP_LABEL_MAX + 16];
			snprintf(l, sizeof(l), "%s %s", m->in[i].label, ess_role[e]);
			json_t *r = core(app->ids.in_receiver[i][e], c->version_tai_ns, l,
"",
					 tags_group(m->in[i].cfg->id, e));
			const char *mt = media[e];
			if (e == CP_ESS_AUDIO)
				mt = ess[e].audio.encoding == SY_ST2110_30_L16 ? "audio/L16" : "audio/L24";
			json_object_set_new(r, "device_id", json_string(app->ids.device));
			json_object_set_new(r, "transport", json_string(transport_urn(&c->active)));
			json_object_set_new(r, "interface_bindings", json_array());
			json_object_set_new(r, "format", json_string(fmt_urn[e]));
			json_object_set_new(r, "caps",
					    json_pack("{s:[s],s:o}", "media_types", mt, "constraint_sets",
						      constraint_sets(ess, e)));
			json_object_set_new(r, "subscription",
					    json_pack("{s:o,s:b}", "sender_id",
						      c->active.has_peer ? json_string(c->active.peer_id)
									 : json_null(),
						      "active", c->active.master_enable));
			json_array_append_new(a, r);
		}
	}
	return a;
}

static json_t *find_by_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!strcmp(json_string_value(json_object_get(v, "id")), id))
			return json_incref(v);
	}
	return NULL;
}

void cp_nmos_handle(struct cp_app *app, const struct cp_req *rq, struct cp_http_resp *r)
{
	/* seg[0] = x-nmos, seg[1] = node */
	if (rq->n_seg == 2) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, json_pack("[s]", "v1.3/"));
		return;
	}
	if (strcmp(rq->seg[2], "v1.3") != 0) {
		cp_app_error(r, 404, "Node API version '%s' not served (v1.3 is)", rq->seg[2]);
		return;
	}
	if (rq->n_seg == 3) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200,
				    json_pack("[s,s,s,s,s,s]", "self/", "devices/", "sources/",
					      "flows/", "senders/", "receivers/"));
		return;
	}
	const char *coll = rq->seg[3];
	json_t *list = NULL;
	if (!strcmp(coll, "self")) {
		if (rq->n_seg != 4) {
			cp_app_error(r, 404, "no such resource");
			return;
		}
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, cp_nmos_self(app));
		return;
	}
	if (!strcmp(coll, "devices"))
		list = json_pack("[o]", cp_nmos_device(app));
	else if (!strcmp(coll, "sources"))
		list = cp_nmos_sources(app);
	else if (!strcmp(coll, "flows"))
		list = cp_nmos_flows(app);
	else if (!strcmp(coll, "senders"))
		list = cp_nmos_senders(app);
	else if (!strcmp(coll, "receivers"))
		list = cp_nmos_receivers(app);
	else {
		cp_app_error(r, 404, "no collection '%s' in the Node API", coll);
		return;
	}
	if (rq->n_seg == 4) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, list);
		else
			json_decref(list);
		return;
	}
	json_t *one = find_by_id(list, rq->seg[4]);
	json_decref(list);
	if (!one) {
		cp_app_error(r, 404, "no %s with id '%s'", coll, rq->seg[4]);
		return;
	}
	if (rq->n_seg == 5) {
		if (cp_app_method(rq, r, "GET"))
			cp_app_json(r, 200, one);
		else
			json_decref(one);
		return;
	}
	if (rq->n_seg == 6 && !strcmp(coll, "receivers") && !strcmp(rq->seg[5], "target")) {
		json_decref(one);
		if (!cp_app_method(rq, r, "PUT"))
			return;
		json_t *body = cp_app_body(rq, r);
		if (!body)
			return;
		/* IS-04 v1.3 deprecates target in favour of IS-05; we accept {} (leave
		 * the receiver as it is) and refuse a Sender object: a Sender resource
		 * carries no SDP, so the receiver could not be connected honestly. */
		if (json_object_size(body) == 0) {
			cp_app_json(r, 202, body);
			return;
		}
		json_decref(body);
		cp_app_error(r, 501, "connect receivers with IS-05 (PATCH "
				     "/x-nmos/connection/v1.1/single/receivers/{id}/staged with a "
				     "transport_file)");
		return;
	}
	json_decref(one);
	cp_app_error(r, 404, "no such resource");
	(void)ess_name;
}
