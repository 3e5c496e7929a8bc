/* SPDX-License-Identifier: MIT */
/*
 * cp_config.c: strict JSON configuration and the built-in demo (see
 * cp_config.h; the format is documented in docs/api.md).
 *
 * Thread: main thread at start-up.
 */
#include "cp_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp_json.h"
#include "sy_time.h"

void cp_config_defaults(struct cp_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->origin, "defaults");
	strcpy(c->listen_host, "127.0.0.1");
	c->listen_port = 8080;
	c->request_ms = 10000;
	c->max_body_bytes = 1u << 20;
	strcpy(c->node_label, "Switchyard");
	strcpy(c->node_seed, "switchyard");
	c->interface_ip = 0x7f000001u;
	c->tai_utc_offset_s = SY_TIME_TAI_UTC_DEFAULT_S;
	c->salvo_lead_ms = 80;
	c->engine = CP_SWITCH_DATAPLANE;
	c->heartbeat_s = 5;
	c->dns_sd = true;
}

bool cp_config_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CP_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

int cp_config_video_shorthand(const char *s, struct sy_video_format *f)
{
	static const struct {
		const char *txt;
		uint32_t num, den;
	} rates[] = {{"23.98", 24000, 1001}, {"24", 24, 1},	  {"25", 25, 1},
		     {"29.97", 30000, 1001}, {"30", 30, 1},	  {"50", 50, 1},
		     {"59.94", 60000, 1001}, {"60", 60, 1}};
	char *end;
	unsigned long h = strtoul(s, &end, 10), w_any = 0;
	if (end != s && *end == 'x') {
		/* WxH{p|i}RATE: any raster (test signals such as 320x180p50) */
		w_any = h;
		const char *hs = end + 1;
		h = strtoul(hs, &end, 10);
		if (end == hs || w_any < 2 || w_any > 7680 || h < 2 || h > 4320)
			return -EINVAL;
	}
	if (end == s || (*end != 'p' && *end != 'i'))
		return -EINVAL;
	bool interlaced = *end == 'i';
	const char *r = end + 1;
	uint32_t w;
	if (w_any) {
		w = (uint32_t)w_any;
		if (interlaced && h % 2)
			return -EINVAL;
	} else {
		switch (h) {
		case 576: w = 720; break;
		case 720: w = 1280; break;
		case 1080: w = 1920; break;
		case 2160: w = 3840; break;
		default: return -EINVAL;
		}
		if (interlaced && h != 1080 && h != 576)
			return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		if (!strcmp(r, rates[i].txt)) {
			/* 1080i50 means 50 fields: 25 frames */
			uint32_t num = rates[i].num, den = rates[i].den;
			if (interlaced) {
				if (num % 2 == 0)
					num /= 2;
				else
					den *= 2;
			}
			*f = sy_format_make(w, (uint32_t)h, interlaced, num, den, 10);
			return 0;
		}
	}
	return -EINVAL;
}

static bool ip_parse(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		     uint32_t *out)
{
	char s[32] = "";
	if (!cp_json_str(rd, obj, key, required, s, sizeof(s)))
		return false;
	if (!s[0])
		return true;
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return cp_json_fail(rd, key, "'%s' is not an IPv4 address", s);
	*out = ntohl(a.s_addr);
	return true;
}

static bool parse_legs(struct cp_json_rd *rd, const json_t *ess, bool is_output,
		       struct cp_transport *tr)
{
	static const char *const leg_keys[] = {"destination", "port", "source", "source_port", NULL};
	json_t *legs = cp_json_arr(rd, ess, "legs", false);
	tr->n_legs = 0;
	if (!legs)
		return !rd->failed;
	if (json_array_size(legs) < 1 || json_array_size(legs) > 2)
		return cp_json_fail(rd, "legs", "1 leg, or 2 for ST 2022-7 (got %zu)",
				    json_array_size(legs));
	size_t p0 = cp_json_push_key(rd, "legs");
	for (size_t i = 0; i < json_array_size(legs); i++) {
		json_t *l = json_array_get(legs, i);
		size_t p1 = cp_json_push_idx(rd, i);
		struct cp_switch_leg *lg = &tr->leg[i];
		int64_t port = 0, sport = 0;
		if (!json_is_object(l)) {
			cp_json_fail(rd, NULL, "expected object, got %s", cp_json_type_name(l));
		} else if (cp_json_only(rd, l, leg_keys) &&
			   ip_parse(rd, l, "destination", true, &lg->dst_ip) &&
			   cp_json_int(rd, l, "port", true, 1, 65535, &port) &&
			   ip_parse(rd, l, "source", false, &lg->src_ip) &&
			   cp_json_int(rd, l, "source_port", false, 0, 65535, &sport)) {
			lg->dst_port = (uint16_t)port;
			lg->src_port = (uint16_t)sport;
			lg->enabled = true;
			if (!is_output && sport)
				cp_json_fail(rd, "source_port", "only outputs have a source_port");
		}
		cp_json_pop(rd, p1);
		if (rd->failed)
			break;
	}
	cp_json_pop(rd, p0);
	tr->n_legs = (uint32_t)json_array_size(legs);
	return !rd->failed;
}

static bool enum_field(struct cp_json_rd *rd, const json_t *obj, const char *key,
		       int (*parse)(const char *, size_t, void *), void *out)
{
	char s[48] = "";
	if (!cp_json_str(rd, obj, key, false, s, sizeof(s)))
		return false;
	if (s[0] && parse(s, strlen(s), out) < 0)
		return cp_json_fail(rd, key, "unknown value '%s'", s);
	return true;
}

static bool parse_video(struct cp_json_rd *rd, const json_t *v, bool is_output,
			struct cp_essence_cfg *e)
{
	static const char *const keys[] = {"format", "sampling", "depth", "colorimetry", "tcs",
					   "legs",   "pt",	"ttl",	 NULL};
	char fmt[32];
	int64_t depth = 10, pt = 96, ttl = 32;
	if (!cp_json_only(rd, v, keys) || !cp_json_str(rd, v, "format", true, fmt, sizeof(fmt)))
		return false;
	if (cp_config_video_shorthand(fmt, &e->video) < 0)
		return cp_json_fail(rd, "format", "'%s' is not a known format (e.g. 1080p50, "
					      "1080i59.94, 2160p59.94, 720p50)", fmt);
	if (!enum_field(rd, v, "sampling", (int (*)(const char *, size_t, void *))sy_format_sampling_parse,
			&e->video.sampling) ||
	    !enum_field(rd, v, "colorimetry",
			(int (*)(const char *, size_t, void *))sy_format_colorimetry_parse,
			&e->video.colorimetry) ||
	    !enum_field(rd, v, "tcs", (int (*)(const char *, size_t, void *))sy_format_tcs_parse,
			&e->video.tcs) ||
	    !cp_json_int(rd, v, "depth", false, 8, 16, &depth) ||
	    !cp_json_int(rd, v, "pt", false, 96, 127, &pt) ||
	    !cp_json_int(rd, v, "ttl", false, 1, 255, &ttl))
		return false;
	e->video.depth = (uint8_t)depth;
	if (sy_format_validate(&e->video) < 0)
		return cp_json_fail(rd, NULL, "sampling/depth/raster combination not supported");
	e->tr.pt = (uint8_t)pt;
	e->tr.ttl = (uint8_t)ttl;
	return parse_legs(rd, v, is_output, &e->tr);
}

static bool parse_audio(struct cp_json_rd *rd, const json_t *v, bool is_output,
			struct cp_essence_cfg *e)
{
	static const char *const keys[] = {"channels", "rate_hz", "encoding", "ptime_us",
					   "legs",     "pt",      "ttl",      NULL};
	int64_t ch = 2, rate = 48000, ptime = 1000, pt = 97, ttl = 32;
	char enc[8] = "L24";
	if (!cp_json_only(rd, v, keys) || !cp_json_int(rd, v, "channels", false, 1, 64, &ch) ||
	    !cp_json_int(rd, v, "rate_hz", false, 44100, 96000, &rate) ||
	    !cp_json_int(rd, v, "ptime_us", false, 125, 4000, &ptime) ||
	    !cp_json_str(rd, v, "encoding", false, enc, sizeof(enc)) ||
	    !cp_json_int(rd, v, "pt", false, 96, 127, &pt) ||
	    !cp_json_int(rd, v, "ttl", false, 1, 255, &ttl))
		return false;
	memset(&e->audio, 0, sizeof(e->audio));
	if (sy_st2110_30_encoding_parse(enc, strlen(enc), &e->audio.encoding) < 0)
		return cp_json_fail(rd, "encoding", "'%s' is not L16 or L24", enc);
	e->audio.rate_hz = (uint32_t)rate;
	e->audio.channels = (uint16_t)ch;
	e->audio.ptime_ns = (uint32_t)ptime * 1000u;
	cp_config_default_order(&e->audio);
	if (sy_st2110_30_format_validate(&e->audio) < 0)
		return cp_json_fail(rd, NULL, "audio rate/ptime/channels combination not supported");
	e->tr.pt = (uint8_t)pt;
	e->tr.ttl = (uint8_t)ttl;
	return parse_legs(rd, v, is_output, &e->tr);
}

void cp_config_default_order(struct sy_st2110_30_format *a)
{
	/* ST 2110-30 channel-order in every SDP we write: M, ST, else Unn */
	a->order.n_groups = 1;
	a->order.groups[0].kind = a->channels == 1   ? SY_ST2110_30_GROUP_M
				  : a->channels == 2 ? SY_ST2110_30_GROUP_ST
						     : SY_ST2110_30_GROUP_U;
	a->order.groups[0].channels = (uint8_t)a->channels;
}

static bool parse_anc(struct cp_json_rd *rd, const json_t *v, bool is_output,
		      struct cp_essence_cfg *e)
{
	static const char *const keys[] = {"legs", "pt", "ttl", NULL};
	int64_t pt = 100, ttl = 32;
	if (!cp_json_only(rd, v, keys) || !cp_json_int(rd, v, "pt", false, 96, 127, &pt) ||
	    !cp_json_int(rd, v, "ttl", false, 1, 255, &ttl))
		return false;
	e->tr.pt = (uint8_t)pt;
	e->tr.ttl = (uint8_t)ttl;
	return parse_legs(rd, v, is_output, &e->tr);
}

static bool parse_essences(struct cp_json_rd *rd, const json_t *o, bool is_output,
			   struct cp_essence_cfg *ess)
{
	static const char *const names[CP_ESS_MAX] = {"video", "audio", "anc"};
	bool (*fn[CP_ESS_MAX])(struct cp_json_rd *, const json_t *, bool,
			       struct cp_essence_cfg *) = {parse_video, parse_audio, parse_anc};
	for (unsigned e = 0; e < CP_ESS_MAX; e++) {
		json_t *v = cp_json_obj(rd, o, names[e], false);
		if (rd->failed)
			return false;
		if (!v)
			continue;
		size_t p = cp_json_push_key(rd, names[e]);
		ess[e].present = fn[e](rd, v, is_output, &ess[e]);
		cp_json_pop(rd, p);
		if (rd->failed)
			return false;
	}
	if (!ess[CP_ESS_VIDEO].present)
		return cp_json_fail(rd, "video", "required key missing (every input and output "
						 "has video)");
	return true;
}

static bool label_field(struct cp_json_rd *rd, const json_t *o, const char *key, char *out)
{
	if (!cp_json_str(rd, o, key, false, out, CP_LABEL_MAX))
		return false;
	if (!cp_json_label_ok(out))
		return cp_json_fail(rd, key, "control characters are not allowed in labels");
	return true;
}

static bool parse_io(struct cp_json_rd *rd, const json_t *root, struct cp_config *c,
		     bool is_output)
{
	const char *key = is_output ? "outputs" : "inputs";
	json_t *arr = cp_json_arr(rd, root, key, false);
	if (!arr)
		return !rd->failed;
	size_t max = is_output ? CP_MAX_OUTPUTS : CP_MAX_INPUTS;
	if (json_array_size(arr) > max)
		return cp_json_fail(rd, key, "at most %zu entries", max);
	size_t p0 = cp_json_push_key(rd, key);
	for (size_t i = 0; i < json_array_size(arr) && !rd->failed; i++) {
		json_t *o = json_array_get(arr, i);
		size_t p1 = cp_json_push_idx(rd, i);
		if (!json_is_object(o)) {
			cp_json_fail(rd, NULL, "expected object, got %s", cp_json_type_name(o));
			break;
		}
		if (is_output) {
			static const char *const keys[] = {"id",    "label", "program", "input",
							   "video", "audio", "anc",     "port",
							   "restamp", "on_loss", NULL};
			struct cp_output_cfg *oc = &c->output[c->n_outputs];
			char on_loss[16] = "follow";
			memset(oc, 0, sizeof(*oc));
			if (cp_json_only(rd, o, keys) &&
			    cp_json_str(rd, o, "id", true, oc->id, sizeof(oc->id)) &&
			    label_field(rd, o, "label", oc->label) &&
			    cp_json_bool(rd, o, "program", false, &oc->program) &&
			    cp_json_str(rd, o, "input", false, oc->initial_input,
					sizeof(oc->initial_input)) &&
			    cp_json_str(rd, o, "port", false, oc->port_name, sizeof(oc->port_name)) &&
			    cp_json_bool(rd, o, "restamp", false, &oc->restamp) &&
			    cp_json_str(rd, o, "on_loss", false, on_loss, sizeof(on_loss)) &&
			    parse_essences(rd, o, true, oc->ess)) {
				oc->loss_black = !strcmp(on_loss, "black");
				oc->loss_freeze = !strcmp(on_loss, "freeze");
				if (!oc->loss_black && !oc->loss_freeze && strcmp(on_loss, "follow"))
					cp_json_fail(rd, "on_loss",
						     "'%s' is not follow, black or freeze", on_loss);
				else
					c->n_outputs++;
			}
		} else {
			static const char *const keys[] = {"id",    "label", "internal", "video",
							   "audio", "anc",   "port",     "ptp_locked",
							   NULL};
			struct cp_input_cfg *ic = &c->input[c->n_inputs];
			char internal[16] = "";
			memset(ic, 0, sizeof(*ic));
			if (cp_json_only(rd, o, keys) &&
			    cp_json_str(rd, o, "id", true, ic->id, sizeof(ic->id)) &&
			    label_field(rd, o, "label", ic->label) &&
			    cp_json_str(rd, o, "internal", false, internal, sizeof(internal)) &&
			    cp_json_str(rd, o, "port", false, ic->port_name, sizeof(ic->port_name)) &&
			    cp_json_bool(rd, o, "ptp_locked", false, &ic->ptp_locked) &&
			    parse_essences(rd, o, false, ic->ess)) {
				static const char *const kinds[CP_INTERNAL_MAX] = {"", "black", "bars",
										   "box", "bars75"};
				ic->internal = CP_INTERNAL_MAX;
				for (unsigned k = 0; k < CP_INTERNAL_MAX; k++)
					if (!strcmp(internal, kinds[k]))
						ic->internal = (enum cp_internal)k;
				if (ic->internal == CP_INTERNAL_MAX)
					cp_json_fail(rd, "internal",
						     "'%s' is not black, bars, bars75 or box", internal);
				else
					c->n_inputs++;
			}
		}
		cp_json_pop(rd, p1);
	}
	cp_json_pop(rd, p0);
	return !rd->failed;
}

/* Cross-checks that need the whole document. */
static bool check_model(struct cp_json_rd *rd, struct cp_config *c)
{
	for (uint32_t i = 0; i < c->n_inputs; i++) {
		struct cp_input_cfg *ic = &c->input[i];
		char where[48];
		snprintf(where, sizeof(where), "inputs[%u].id", i);
		if (!cp_config_id_ok(ic->id))
			return cp_json_fail(rd, where, "'%s': use 1..31 of [A-Za-z0-9_-]", ic->id);
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(c->input[j].id, ic->id))
				return cp_json_fail(rd, where, "'%s' used twice", ic->id);
		if (!ic->label[0])
			memcpy(ic->label, ic->id, sizeof(ic->id));
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (ic->ess[e].present && ic->internal == CP_INTERNAL_NONE &&
			    ic->ess[e].tr.n_legs == 0)
				return cp_json_fail(rd, where,
						    "network input '%s' needs legs on each essence",
						    ic->id);
	}
	for (uint32_t o = 0; o < c->n_outputs; o++) {
		struct cp_output_cfg *oc = &c->output[o];
		char where[48];
		snprintf(where, sizeof(where), "outputs[%u].id", o);
		if (!cp_config_id_ok(oc->id))
			return cp_json_fail(rd, where, "'%s': use 1..31 of [A-Za-z0-9_-]", oc->id);
		for (uint32_t j = 0; j < o; j++)
			if (!strcmp(c->output[j].id, oc->id))
				return cp_json_fail(rd, where, "'%s' used twice", oc->id);
		if (!oc->label[0])
			memcpy(oc->label, oc->id, sizeof(oc->id));
		for (unsigned e = 0; e < CP_ESS_MAX; e++)
			if (oc->ess[e].present && oc->ess[e].tr.n_legs == 0)
				return cp_json_fail(rd, where, "output '%s' needs legs on each essence",
						    oc->id);
		if (oc->initial_input[0]) {
			bool found = false;
			for (uint32_t i = 0; i < c->n_inputs; i++)
				found |= !strcmp(c->input[i].id, oc->initial_input);
			if (!found) {
				snprintf(where, sizeof(where), "outputs[%u].input", o);
				return cp_json_fail(rd, where, "no input '%s'", oc->initial_input);
			}
		}
	}
	return true;
}

int cp_config_parse(struct cp_config *c, const char *origin, const char *text, size_t len,
		    char *err, size_t err_cap)
{
	static const char *const top[] = {"http", "node", "time", "engine", "dataplane",
					  "state_file", "registration", "inputs", "outputs", NULL};
	static const char *const http_keys[] = {"listen", "token", "request_timeout_ms",
						"max_body_bytes", "web_root", "tls", NULL};
	static const char *const tls_keys[] = {"cert", "key", NULL};
	static const char *const node_keys[] = {"label", "seed", "interface_ip", "ptp", NULL};
	static const char *const ptp_keys[] = {"gmid", "domain", NULL};
	static const char *const time_keys[] = {"tai_utc_offset_s", "salvo_lead_ms", NULL};
	static const char *const reg_keys[] = {"registries", "heartbeat_s", "dns_sd", NULL};
	static const char *const regent_keys[] = {"url", "priority", NULL};
	struct cp_json_rd rd;
	cp_config_defaults(c);
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	cp_json_rd_init(&rd, origin);
	json_t *root = cp_json_load(&rd, text, len, true);
	if (!root)
		goto fail;
	if (!cp_json_only(&rd, root, top))
		goto fail;
	json_t *h = cp_json_obj(&rd, root, "http", false);
	if (h) {
		size_t p = cp_json_push_key(&rd, "http");
		char listen[80] = "";
		int64_t ms = c->request_ms, body = c->max_body_bytes;
		if (cp_json_only(&rd, h, http_keys) &&
		    cp_json_str(&rd, h, "listen", false, listen, sizeof(listen)) &&
		    cp_json_str(&rd, h, "token", false, c->token, sizeof(c->token)) &&
		    cp_json_int(&rd, h, "request_timeout_ms", false, 100, 600000, &ms) &&
		    cp_json_int(&rd, h, "max_body_bytes", false, 1024, 64 << 20, &body) &&
		    cp_json_str(&rd, h, "web_root", false, c->web_root, sizeof(c->web_root))) {
			json_t *tls = cp_json_obj(&rd, h, "tls", false);
			if (tls) {
				size_t p2 = cp_json_push_key(&rd, "tls");
				if (cp_json_only(&rd, tls, tls_keys) &&
				    cp_json_str(&rd, tls, "cert", true, c->tls_cert,
						sizeof(c->tls_cert)) &&
				    cp_json_str(&rd, tls, "key", true, c->tls_key, sizeof(c->tls_key)) &&
				    (!c->tls_cert[0] || !c->tls_key[0]))
					cp_json_fail(&rd, NULL, "cert and key must name PEM files");
				cp_json_pop(&rd, p2);
			}
			c->request_ms = (uint32_t)ms;
			c->max_body_bytes = (uint32_t)body;
			if (listen[0]) {
				char *colon = strrchr(listen, ':');
				struct in_addr a;
				unsigned long port = colon ? strtoul(colon + 1, NULL, 10) : 0;
				if (colon)
					*colon = 0;
				if (!colon || port > 65535 || inet_pton(AF_INET, listen, &a) != 1)
					cp_json_fail(&rd, "listen", "expected IPv4:port, e.g. "
								    "127.0.0.1:8080");
				else {
					/* canonical form of the parsed address (<= 15 chars) */
					inet_ntop(AF_INET, &a, c->listen_host, sizeof(c->listen_host));
					c->listen_port = (uint16_t)port;
				}
			}
		}
		cp_json_pop(&rd, p);
	}
	json_t *n = cp_json_obj(&rd, root, "node", false);
	if (n) {
		size_t p = cp_json_push_key(&rd, "node");
		json_t *ptp;
		if (cp_json_only(&rd, n, node_keys) && label_field(&rd, n, "label", c->node_label) &&
		    cp_json_str(&rd, n, "seed", false, c->node_seed, sizeof(c->node_seed)) &&
		    ip_parse(&rd, n, "interface_ip", false, &c->interface_ip) &&
		    (ptp = cp_json_obj(&rd, n, "ptp", false)) != NULL) {
			size_t p2 = cp_json_push_key(&rd, "ptp");
			char gm[32];
			int64_t dom = 0;
			unsigned v[8];
			if (cp_json_only(&rd, ptp, ptp_keys) &&
			    cp_json_str(&rd, ptp, "gmid", true, gm, sizeof(gm)) &&
			    cp_json_int(&rd, ptp, "domain", false, 0, 127, &dom)) {
				int used = 0;
				if (strlen(gm) != 23 ||
				    sscanf(gm, "%2x-%2x-%2x-%2x-%2x-%2x-%2x-%2x%n", &v[0], &v[1], &v[2],
					   &v[3], &v[4], &v[5], &v[6], &v[7], &used) != 8 ||
				    used != 23) {
					cp_json_fail(&rd, "gmid", "expected an EUI-64 like "
								  "08-00-11-FF-FE-22-33-44");
				} else {
					for (int i = 0; i < 8; i++)
						c->ptp_gmid[i] = (uint8_t)v[i];
					c->ptp_domain = (uint8_t)dom;
					c->has_ptp = true;
				}
			}
			cp_json_pop(&rd, p2);
		}
		cp_json_pop(&rd, p);
	}
	json_t *t = cp_json_obj(&rd, root, "time", false);
	if (t) {
		size_t p = cp_json_push_key(&rd, "time");
		int64_t off = c->tai_utc_offset_s, lead = c->salvo_lead_ms;
		if (cp_json_only(&rd, t, time_keys) &&
		    cp_json_int(&rd, t, "tai_utc_offset_s", false, 0, 100, &off) &&
		    cp_json_int(&rd, t, "salvo_lead_ms", false, 0, 10000, &lead)) {
			c->tai_utc_offset_s = (int32_t)off;
			c->salvo_lead_ms = (uint32_t)lead;
		}
		cp_json_pop(&rd, p);
	}
	char engine[16] = "";
	if (cp_json_str(&rd, root, "engine", false, engine, sizeof(engine)) && engine[0]) {
		if (!strcmp(engine, "none"))
			c->engine = CP_SWITCH_NONE;
		else if (!strcmp(engine, "sim"))
			c->engine = CP_SWITCH_SIM;
		else if (!strcmp(engine, "dataplane"))
			c->engine = CP_SWITCH_DATAPLANE;
		else
			cp_json_fail(&rd, "engine", "'%s' is not dataplane, sim or none", engine);
	}
	json_t *dpj = cp_json_obj(&rd, root, "dataplane", false);
	if (dpj) {
		size_t p = cp_json_push_key(&rd, "dataplane");
		cp_config_dp_parse(&rd, dpj, c);
		cp_json_pop(&rd, p);
	}
	cp_json_str(&rd, root, "state_file", false, c->state_file, sizeof(c->state_file));
	json_t *r = cp_json_obj(&rd, root, "registration", false);
	if (r) {
		size_t p = cp_json_push_key(&rd, "registration");
		int64_t hb = c->heartbeat_s;
		json_t *regs;
		/* heartbeat_s and dns_sd apply without "registries" too (DNS-SD) */
		if (cp_json_only(&rd, r, reg_keys) &&
		    cp_json_int(&rd, r, "heartbeat_s", false, 1, 60, &hb) &&
		    cp_json_bool(&rd, r, "dns_sd", false, &c->dns_sd))
			c->heartbeat_s = (uint32_t)hb;
		if (!rd.failed && (regs = cp_json_arr(&rd, r, "registries", false)) != NULL) {
			if (json_array_size(regs) > CP_MAX_REGISTRIES)
				cp_json_fail(&rd, "registries", "at most %u", CP_MAX_REGISTRIES);
			size_t p1 = cp_json_push_key(&rd, "registries");
			for (size_t i = 0; i < json_array_size(regs) && !rd.failed; i++) {
				json_t *e = json_array_get(regs, i);
				size_t p2 = cp_json_push_idx(&rd, i);
				struct cp_registry_cfg *rc = &c->registry[c->n_registries];
				int64_t prio = 0;
				if (!json_is_object(e))
					cp_json_fail(&rd, NULL, "expected object, got %s",
						     cp_json_type_name(e));
				else if (cp_json_only(&rd, e, regent_keys) &&
					 cp_json_str(&rd, e, "url", true, rc->url, sizeof(rc->url)) &&
					 cp_json_int(&rd, e, "priority", false, 0, 100, &prio)) {
					if (strncmp(rc->url, "http://", 7) != 0 &&
					    strncmp(rc->url, "https://", 8) != 0)
						cp_json_fail(&rd, "url", "must start with http:// or https://");
					rc->priority = (int32_t)prio;
					c->n_registries++;
				}
				cp_json_pop(&rd, p2);
			}
			cp_json_pop(&rd, p1);
		}
		cp_json_pop(&rd, p);
	}
	if (!rd.failed && parse_io(&rd, root, c, false) && parse_io(&rd, root, c, true) &&
	    check_model(&rd, c))
		cp_config_dp_check(&rd, c);
fail:
	json_decref(root);
	if (rd.failed) {
		snprintf(err, err_cap, "%s", rd.err);
		return -EINVAL;
	}
	return 0;
}

int cp_config_load_file(struct cp_config *c, const char *path, char *err, size_t err_cap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(err, err_cap, "%s: %s", path, strerror(e));
		return -e;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (16u << 20)) {
				free(buf);
				fclose(f);
				snprintf(err, err_cap, "%s: larger than 16 MiB", path);
				return -EFBIG;
			}
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	int rc = cp_config_parse(c, path, buf, len, err, err_cap);
	free(buf);
	return rc;
}

static void demo_leg(struct cp_transport *tr, uint32_t dst, uint16_t port, uint8_t pt)
{
	tr->n_legs = 1;
	tr->leg[0].enabled = true;
	tr->leg[0].dst_ip = dst;
	tr->leg[0].dst_port = port;
	tr->leg[0].src_ip = 0x7f000001u;
	tr->pt = pt;
	tr->ttl = 32;
}

void cp_config_demo(struct cp_config *c)
{
	static const struct {
		const char *id, *label;
		enum cp_internal kind;
	} ins[] = {{"black", "Black", CP_INTERNAL_BLACK},
		   {"bars", "Colour bars", CP_INTERNAL_BARS},
		   {"box", "Moving box", CP_INTERNAL_BOX},
		   {"box2", "演播室 2 (Studio 2)", CP_INTERNAL_BOX}};
	cp_config_defaults(c);
	strcpy(c->origin, "demo");
	c->demo = true;
#ifdef CP_WITH_DATAPLANE
	/* The demo's sources are internal (dataplane/dp_gen.c): the real
	 * dataplane switches them on DPDK virtual devices, no NIC, no hugepages:
	 * one port on net_null (sends are counted, then discarded; no rx), one
	 * worker on lcore 1 (the EAL gets -l 0-1). */
	static const char *const eal[] = {"--no-pci", "--no-huge", "-m", "512", "--no-shconf",
					  "--no-telemetry", "--log-level=lib.eal:error",
					  "--file-prefix"};
	c->engine = CP_SWITCH_DATAPLANE;
	c->dp.present = true;
	for (unsigned k = 0; k < sizeof(eal) / sizeof(eal[0]); k++)
		snprintf(c->dp.eal[c->dp.n_eal++], CP_DP_ARG_MAX, "%s", eal[k]);
	/* its own prefix: two demos (or a demo and a test) never share one */
	snprintf(c->dp.eal[c->dp.n_eal++], CP_DP_ARG_MAX, "sy-demo-%ld", (long)getpid());
	c->dp.workers = 1;
	c->dp.n_ports = 1;
	snprintf(c->dp.port[0].name, CP_DP_NAME_MAX, "p0");
	snprintf(c->dp.port[0].devargs, CP_DP_DEVARGS_MAX, "net_null0,no-rx=1");
	c->dp.hold_pkts = 8192; /* one 1080p frame (4320 packets) can be held in a take */
#else
	c->engine = CP_SWITCH_NONE; /* no dataplane in this build: the API alone */
#endif
	for (unsigned i = 0; i < 4; i++) {
		struct cp_input_cfg *ic = &c->input[i];
		snprintf(ic->id, sizeof(ic->id), "%s", ins[i].id);
		snprintf(ic->label, sizeof(ic->label), "%s", ins[i].label);
		ic->internal = ins[i].kind;
		ic->ess[CP_ESS_VIDEO].present = true;
		ic->ess[CP_ESS_VIDEO].video = sy_format_make(1920, 1080, false, 50, 1, 10);
		ic->ess[CP_ESS_AUDIO].present = true;
		ic->ess[CP_ESS_AUDIO].audio.encoding = SY_ST2110_30_L24;
		ic->ess[CP_ESS_AUDIO].audio.rate_hz = 48000;
		ic->ess[CP_ESS_AUDIO].audio.channels = 2;
		ic->ess[CP_ESS_AUDIO].audio.ptime_ns = 1000000;
		cp_config_default_order(&ic->ess[CP_ESS_AUDIO].audio);
	}
	c->n_inputs = 4;
	static const char *const outs[2][2] = {{"pgm", "Program"}, {"aux1", "Aux 1"}};
	for (unsigned o = 0; o < 2; o++) {
		struct cp_output_cfg *oc = &c->output[o];
		snprintf(oc->id, sizeof(oc->id), "%s", outs[o][0]);
		snprintf(oc->label, sizeof(oc->label), "%s", outs[o][1]);
		oc->program = o == 0;
		oc->ess[CP_ESS_VIDEO] = c->input[0].ess[CP_ESS_VIDEO];
		oc->ess[CP_ESS_AUDIO] = c->input[0].ess[CP_ESS_AUDIO];
		demo_leg(&oc->ess[CP_ESS_VIDEO].tr, 0xef640001u + o * 16, 5004, 96);
		demo_leg(&oc->ess[CP_ESS_AUDIO].tr, 0xef640002u + o * 16, 5006, 97);
		snprintf(oc->initial_input, sizeof(oc->initial_input), "%s", o == 0 ? "bars" : "black");
	}
	c->n_outputs = 2;
}
