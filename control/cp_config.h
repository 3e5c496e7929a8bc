/* SPDX-License-Identifier: MIT */
/*
 * cp_config.h: the switchyard configuration file (JSON) and the demo.
 *
 * Why strict: a studio router that silently ignores a misspelt key routes
 * the wrong picture on air. Syntax errors are reported with line:column,
 * unknown keys, wrong types and bad values with the file and the JSON path.
 * The format is documented in docs/api.md ("Configuration").
 *
 * Thread: main thread at start-up (pure parsing, no I/O except reading the
 * file in cp_config_load_file).
 */
#ifndef CP_CONFIG_H
#define CP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_switch.h"
#include "sy_format.h"
#include "sy_st2110_30.h"

#define CP_ID_MAX 32u       /* "cam1": [A-Za-z0-9_-], NUL included */
#define CP_LABEL_MAX 128u   /* UTF-8 bytes, NUL included */
#define CP_MAX_INPUTS 64u
#define CP_MAX_OUTPUTS 32u
#define CP_MAX_REGISTRIES 4u
#define CP_URL_MAX 256u
#define CP_TOKEN_MAX 128u
#define CP_PATHNAME_MAX 512u

enum cp_ess { CP_ESS_VIDEO, CP_ESS_AUDIO, CP_ESS_ANC, CP_ESS_MAX };

enum cp_internal {
	CP_INTERNAL_NONE, /* a network input */
	CP_INTERNAL_BLACK,
	CP_INTERNAL_BARS,
	CP_INTERNAL_BOX, /* moving box with burnt-in stamp */
	CP_INTERNAL_MAX
};

/* Transport of one essence: one leg, or two for ST 2022-7. */
struct cp_transport {
	uint32_t n_legs;
	struct cp_switch_leg leg[2];
	uint8_t pt;  /* RTP payload type */
	uint8_t ttl; /* outputs */
};

struct cp_essence_cfg {
	bool present;
	struct sy_video_format video; /* CP_ESS_VIDEO */
	struct sy_st2110_30_format audio; /* CP_ESS_AUDIO */
	struct cp_transport tr;
};

struct cp_input_cfg {
	char id[CP_ID_MAX];
	char label[CP_LABEL_MAX];
	enum cp_internal internal;
	struct cp_essence_cfg ess[CP_ESS_MAX];
};

struct cp_output_cfg {
	char id[CP_ID_MAX];
	char label[CP_LABEL_MAX];
	bool program; /* on-air tally (red) for what this output carries */
	struct cp_essence_cfg ess[CP_ESS_MAX];
	char initial_input[CP_ID_MAX]; /* "" none */
};

struct cp_registry_cfg {
	char url[CP_URL_MAX]; /* http://host:port (the /x-nmos/registration/v1.3 is added) */
	int32_t priority;     /* lower first, NMOS style */
};

struct cp_config {
	char origin[CP_PATHNAME_MAX]; /* file name, or "demo" */
	bool demo;
	/* http */
	char listen_host[64];
	uint16_t listen_port;
	char token[CP_TOKEN_MAX]; /* "" : writes open (loopback only is advised) */
	uint32_t request_ms;
	uint32_t max_body_bytes;
	char web_root[CP_PATHNAME_MAX]; /* "" : embedded assets */
	/* node */
	char node_label[CP_LABEL_MAX];
	char node_seed[64];   /* UUIDs are derived from it: stable across restarts */
	uint32_t interface_ip; /* host order; the origin of SDPs */
	bool has_ptp;          /* node.ptp given: SDPs carry ts-refclk + mediaclk */
	uint8_t ptp_gmid[8];   /* grandmaster EUI-64 */
	uint8_t ptp_domain;
	/* time */
	int32_t tai_utc_offset_s;
	uint32_t salvo_lead_ms; /* "now" salvos share now + this */
	/* engine */
	enum cp_switch_kind engine;
	/* persistence */
	char state_file[CP_PATHNAME_MAX]; /* "" : no persistence */
	/* registration */
	uint32_t n_registries;
	struct cp_registry_cfg registry[CP_MAX_REGISTRIES];
	uint32_t heartbeat_s;
	/* model */
	uint32_t n_inputs, n_outputs;
	struct cp_input_cfg input[CP_MAX_INPUTS];
	struct cp_output_cfg output[CP_MAX_OUTPUTS];
};

/* Defaults for every field (no inputs/outputs). */
void cp_config_defaults(struct cp_config *c);

/*
 * Parse a config document. origin names it in messages. 0, or -EINVAL with
 * err filled: "cfg.json:3:14: ..." or "cfg.json: $.outputs[0].video.depth: ...".
 */
int cp_config_parse(struct cp_config *c, const char *origin, const char *text, size_t len,
		    char *err, size_t err_cap);
/* Read and parse a file; -errno (with err) if unreadable. */
int cp_config_load_file(struct cp_config *c, const char *path, char *err, size_t err_cap);

/* The built-in demo: four internal sources, two outputs (1080p50 and
 * 1080p59.94 both appear), engine "dataplane" when linked. */
void cp_config_demo(struct cp_config *c);

/* "1080p50", "1080i59.94", "2160p59.94", "720p50" ... -> format
 * (4:2:2 10-bit SDR BT709). 0 or -EINVAL. */
int cp_config_video_shorthand(const char *s, struct sy_video_format *f);

/* Channel-order for an audio format from its channel count: M (1),
 * ST (2), else Unn. */
void cp_config_default_order(struct sy_st2110_30_format *a);

/* Valid resource id: 1..31 bytes of [A-Za-z0-9_-]. */
bool cp_config_id_ok(const char *s);

#endif
