/* SPDX-License-Identifier: MIT */
/*
 * cp_main.c: the switchyard executable: options, config, engine, the libuv
 * loop, clean shutdown on SIGTERM/SIGINT.
 *
 * Thread: main (the loop thread).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "cp_app.h"
#include "cp_config.h"
#include "cp_switch.h"

static void usage(FILE *f)
{
	fputs("usage: switchyard [options]\n"
	      "\n"
	      "Software SMPTE ST 2110 switcher. With no --config it starts the demo: internal\n"
	      "sources and the operator panel on http://127.0.0.1:8080/.\n"
	      "\n"
	      "  -c, --config FILE     JSON configuration (format: docs/api.md, \"Configuration\").\n"
	      "                        Syntax errors are reported with line:column, unknown keys\n"
	      "                        and wrong types with the JSON path.\n"
	      "      --check-config    parse the configuration, print a summary and exit (0 = valid)\n"
	      "  -l, --listen IP:PORT  HTTP listen address (overrides http.listen; default\n"
	      "                        127.0.0.1:8080; port 0 picks a free port, printed at start)\n"
	      "  -e, --engine KIND     dataplane | none (overrides \"engine\").\n"
	      "                        dataplane: switch media with the DPDK dataplane, which\n"
	      "                        runs in this process (config section \"dataplane\");\n"
	      "                        none: API only, operations that need an engine answer 503\n"
#ifdef CP_TEST_BUILD
	      "                        sim: TEST BUILD ONLY: no media, takes land on the\n"
	      "                        computed frame boundary (every API says engine \"sim\")\n"
#endif
	      "  -s, --state FILE      state file for crosspoints, salvos, labels, locks and\n"
	      "                        receiver connections (overrides \"state_file\")\n"
	      "  -t, --token-file FILE bearer token (first line) required for every write\n"
	      "                        (overrides http.token)\n"
	      "      --tai-offset S    TAI-UTC offset in seconds (overrides time.tai_utc_offset_s;\n"
	      "                        default 37)\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "APIs: /x-nmos/node/v1.3/ (IS-04), /x-nmos/connection/v1.1/ (IS-05),\n"
	      "/x-switchyard/v1/ (switcher), /metrics (Prometheus). See docs/api.md.\n"
	      "Signals: SIGTERM/SIGINT stop cleanly (state written synchronously).\n",
	      f);
}

struct main_ctx {
	struct cp_app app;
	uv_signal_t sigterm, sigint;
	bool stopping;
};

static void on_signal(uv_signal_t *s, int signum)
{
	struct main_ctx *mc = s->data;
	if (mc->stopping)
		return;
	mc->stopping = true;
	fprintf(stderr, "switchyard: signal %d, stopping\n", signum);
	cp_app_stop(&mc->app);
	uv_close((uv_handle_t *)&mc->sigterm, NULL);
	uv_close((uv_handle_t *)&mc->sigint, NULL);
}

static int parse_engine(const char *s, enum cp_switch_kind *k)
{
	if (!strcmp(s, "none"))
		*k = CP_SWITCH_NONE;
#ifdef CP_TEST_BUILD
	else if (!strcmp(s, "sim"))
		*k = CP_SWITCH_SIM;
#endif
	else if (!strcmp(s, "dataplane"))
		*k = CP_SWITCH_DATAPLANE;
	else
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	/* libuv does not ignore SIGPIPE: a client closing mid-write would kill us */
	signal(SIGPIPE, SIG_IGN);
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check-config", no_argument, NULL, 'C'},
		{"listen", required_argument, NULL, 'l'},
		{"engine", required_argument, NULL, 'e'},
		{"state", required_argument, NULL, 's'},
		{"token-file", required_argument, NULL, 't'},
		{"tai-offset", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *config = NULL, *listen = NULL, *engine = NULL, *state = NULL, *token_file = NULL,
		   *tai = NULL;
	bool check = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:l:e:s:t:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': check = true; break;
		case 'l': listen = optarg; break;
		case 'e': engine = optarg; break;
		case 's': state = optarg; break;
		case 't': token_file = optarg; break;
		case 'T': tai = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("switchyard 0.1.0"); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "switchyard: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	struct cp_config *cfg = calloc(1, sizeof(*cfg));
	struct main_ctx *mc = calloc(1, sizeof(*mc));
	int ret = 1;
	if (!cfg || !mc)
		goto out;
	char err[1024];
	if (config) {
		if (cp_config_load_file(cfg, config, err, sizeof(err)) < 0) {
			fprintf(stderr, "switchyard: %s\n", err);
			ret = 1;
			goto out;
		}
	} else {
		cp_config_demo(cfg);
	}
	if (listen) {
		char host[64];
		const char *colon = strrchr(listen, ':');
		char *end;
		unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
		if (!colon || *end || port > 65535 || (size_t)(colon - listen) >= sizeof(host)) {
			fprintf(stderr, "switchyard: --listen wants IPv4:PORT, e.g. 127.0.0.1:8080\n");
			ret = 2;
			goto out;
		}
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = 0;
		snprintf(cfg->listen_host, sizeof(cfg->listen_host), "%s", host);
		cfg->listen_port = (uint16_t)port;
	}
	if (engine && parse_engine(engine, &cfg->engine) < 0) {
		fprintf(stderr, "switchyard: --engine must be dataplane or none\n");
		ret = 2;
		goto out;
	}
	if (state)
		snprintf(cfg->state_file, sizeof(cfg->state_file), "%s", state);
	if (tai) {
		char *end;
		long v = strtol(tai, &end, 10);
		if (*end || v < 0 || v > 100) {
			fprintf(stderr, "switchyard: --tai-offset wants 0..100 seconds\n");
			ret = 2;
			goto out;
		}
		cfg->tai_utc_offset_s = (int32_t)v;
	}
	if (token_file) {
		FILE *f = fopen(token_file, "r");
		if (!f || !fgets(cfg->token, sizeof(cfg->token), f)) {
			if (f)
				fclose(f);
			fprintf(stderr, "switchyard: cannot read token from %s\n", token_file);
			ret = 1;
			goto out;
		}
		fclose(f);
		cfg->token[strcspn(cfg->token, "\r\n")] = 0;
		if (!cfg->token[0]) {
			fprintf(stderr, "switchyard: %s: empty token\n", token_file);
			ret = 1;
			goto out;
		}
	}
	if (check) {
		printf("%s: valid: %u inputs, %u outputs, engine %s, listen %s:%u\n", cfg->origin,
		       cfg->n_inputs, cfg->n_outputs, cp_switch_kind_name(cfg->engine),
		       cfg->listen_host, cfg->listen_port);
		ret = 0;
		goto out;
	}
	struct cp_switch *sw = NULL;
	int rc;
#ifndef CP_TEST_BUILD
	if (cfg->engine == CP_SWITCH_SIM) {
		fprintf(stderr, "switchyard: %s: engine 'sim' moves no media and exists only in the "
				"test build (switchyard-test); use dataplane or none\n", cfg->origin);
		ret = 1;
		goto out;
	}
#endif
#ifndef CP_WITH_DATAPLANE
	if (cfg->engine == CP_SWITCH_DATAPLANE) {
		fprintf(stderr, "switchyard: no dataplane in this build (-Ddataplane=disabled or no "
				"DPDK): running with engine 'none' (the API answers 503 to anything "
				"that needs media)\n");
		cfg->engine = CP_SWITCH_NONE;
	}
#endif
	switch (cfg->engine) {
#ifdef CP_WITH_DATAPLANE
	case CP_SWITCH_DATAPLANE:
		rc = cp_switch_dp_create(cfg, &sw, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "switchyard: %s\n", err);
			ret = 1;
			goto out;
		}
		break;
#endif
#ifdef CP_TEST_BUILD
	case CP_SWITCH_SIM: {
		struct sy_rate rates[CP_MAX_OUTPUTS];
		for (uint32_t o = 0; o < cfg->n_outputs; o++)
			rates[o] = cfg->output[o].ess[CP_ESS_VIDEO].video.rate;
		rc = cp_switch_sim_create(cfg->n_inputs, cfg->n_outputs, rates, &sw);
		break;
	}
#endif
	default:
		rc = cp_switch_none_create(&sw);
		break;
	}
	if (rc < 0)
		goto out;
	uv_loop_t *loop = uv_default_loop();
	rc = cp_app_init(&mc->app, loop, cfg, sw);
	if (rc < 0) {
		sw->ops->destroy(sw);
		fprintf(stderr, "switchyard: init: %s\n", strerror(-rc));
		ret = 1;
		goto out;
	}
	rc = cp_app_start(&mc->app, cfg->listen_host, cfg->listen_port, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "switchyard: %s\n", err);
		cp_app_stop(&mc->app);
		uv_run(loop, UV_RUN_DEFAULT);
		cp_app_fini(&mc->app);
		ret = 1;
		goto out;
	}
	uv_signal_init(loop, &mc->sigterm);
	uv_signal_init(loop, &mc->sigint);
	mc->sigterm.data = mc->sigint.data = mc;
	uv_signal_start(&mc->sigterm, on_signal, SIGTERM);
	uv_signal_start(&mc->sigint, on_signal, SIGINT);
	printf("switchyard: %s, engine %s, listening on %s://%s:%u/\n", cfg->origin,
	       mc->app.sw->ops->name, mc->app.tls ? "https" : "http", cfg->listen_host,
	       mc->app.port);
	fflush(stdout);
	uv_run(loop, UV_RUN_DEFAULT);
	cp_app_fini(&mc->app);
	uv_loop_close(loop);
	ret = 0;
out:
	free(mc);
	free(cfg);
	return ret;
}
