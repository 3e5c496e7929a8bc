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

#include <jansson.h>

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
	CP_INTERNAL_BARS75, /* 75% bars (CP_INTERNAL_BARS is 100%) */
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
	char port_name[CP_ID_MAX]; /* "port": a dataplane.ports[].name ("" : the first) */
	uint32_t dp_port;  /* its index (cp_config_dp_check) */
	bool ptp_locked;   /* "ptp_locked": RTP timestamps on the PTP media clock */
};

struct cp_output_cfg {
	char id[CP_ID_MAX];
	char label[CP_LABEL_MAX];
	bool program; /* on-air tally (red) for what this output carries */
	struct cp_essence_cfg ess[CP_ESS_MAX];
	char initial_input[CP_ID_MAX]; /* "" none */
	char port_name[CP_ID_MAX]; /* "port": a dataplane.ports[].name ("" : the first) */
	uint32_t dp_port;  /* its index (cp_config_dp_check) */
	bool restamp;      /* "restamp": continuous RTP timestamps across takes */
	bool loss_black;   /* "on_loss": "black" (else "follow"): black + silence while
			    * an input of its source is lost, back when it returns */
	bool loss_freeze;  /* "on_loss": "freeze": repeat the source's last complete
			    * video frame (audio/ANC silent) until it returns */
};

/* The "dataplane" section: how the DPDK engine starts (cp_config_dp.c). */
#define CP_DP_MAX_PORTS 8u
#define CP_DP_MAX_EAL 40u
#define CP_DP_ARG_MAX 256u
#define CP_DP_NAME_MAX 48u
#define CP_DP_DEVARGS_MAX 512u

struct cp_dp_port_cfg {
	char name[CP_DP_NAME_MAX];
	char devargs[CP_DP_DEVARGS_MAX]; /* vdev string or PCI address */
	uint8_t mac[6];                  /* all-zero: the port's own */
	uint32_t ip;                     /* host order; 0: node.interface_ip */
	uint16_t worker;
	bool rx_timestamps;
	uint32_t rx_ts_unit_ns;
	int64_t rx_ts_offset_ns;
};

struct cp_dataplane_cfg {
	bool present;
	uint32_t n_eal;
	char eal[CP_DP_MAX_EAL][CP_DP_ARG_MAX];
	uint32_t n_ports;
	struct cp_dp_port_cfg port[CP_DP_MAX_PORTS];
	uint32_t workers;
	uint32_t mbufs, hdr_mbufs;
	uint32_t hold_pkts;
	uint64_t hold_timeout_ns;
	uint32_t stats_ms; /* counter refresh period for /metrics and the API */
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
	char tls_cert[CP_PATHNAME_MAX]; /* PEM chain; "" : plain HTTP */
	char tls_key[CP_PATHNAME_MAX];  /* PEM private key */
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
	struct cp_dataplane_cfg dp;
	/* persistence */
	char state_file[CP_PATHNAME_MAX]; /* "" : no persistence */
	/* registration */
	uint32_t n_registries;
	struct cp_registry_cfg registry[CP_MAX_REGISTRIES];
	uint32_t heartbeat_s;
	bool dns_sd; /* registration.dns_sd: browse for registries, advertise the node */
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
/* The "dataplane" section (cp_config_dp.c): parse dp into c->dp; and the
 * cross-checks of inputs[].port / outputs[].port against it. Both record
 * their error in rd and return false. */
struct cp_json_rd;
bool cp_config_dp_parse(struct cp_json_rd *rd, const json_t *dp, struct cp_config *c);
bool cp_config_dp_check(struct cp_json_rd *rd, struct cp_config *c);

/* Read and parse a file; -errno (with err) if unreadable. */
int cp_config_load_file(struct cp_config *c, const char *path, char *err, size_t err_cap);

/* The built-in demo: five internal sources, two 1080p50 outputs, engine
 * "dataplane" on DPDK virtual devices when built with it (else "none"). */
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
