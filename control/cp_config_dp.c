/* SPDX-License-Identifier: MIT */
/*
 * cp_config_dp.c: the "dataplane" section of the configuration (how the
 * DPDK engine starts: EAL arguments, ports, workers, pool sizes) and the
 * check of every inputs[].port / outputs[].port against it.
 *
 * Why its own file: the DPDK engine is optional at build time, but a config
 * written for it must be checked the same strict way everywhere (an unknown
 * key or a misspelt device is an error with its JSON path, never ignored),
 * including by `switchyard --check-config` on a machine without DPDK.
 *
 *   "dataplane": {
 *     "eal": ["--no-huge", "-m", "512", "--no-pci", "-l", "0-1", "--file-prefix", "sy"],
 *     "workers": 1,
 *     "ports": [ { "name": "p0", "devargs": "net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap",
 *                  "mac": "02:00:00:00:00:01", "ip": "10.0.0.1", "worker": 0,
 *                  "rx_timestamps": true, "rx_ts_unit_ns": 1000, "rx_ts_offset_ns": 0 } ],
 *     "mbufs": 16383, "hdr_mbufs": 8191, "hold_pkts": 8192, "hold_timeout_us": 0,
 *     "stats_ms": 200 }
 *
 * Thread: main thread at start-up.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cp_config.h"
#include "cp_json.h"

/* Virtual devices this build is tested with, and the PCI form. */
static const char *const vdev_drivers[] = {"net_pcap", "net_ring",  "net_null", "net_af_packet",
					   "net_af_xdp", "net_memif", "net_tap", NULL};

static bool is_pci_addr(const char *s)
{
	/* [DDDD:]BB:DD.F, hex, optionally followed by ",args" */
	unsigned dom, bus, dev, fn;
	int used = 0;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &used) == 4 && used == 12)
		return s[used] == 0 || s[used] == ',';
	used = 0;
	if (sscanf(s, "%2x:%2x.%1x%n", &bus, &dev, &fn, &used) == 3 && used == 7)
		return s[used] == 0 || s[used] == ',';
	return false;
}

static bool devargs_ok(struct cp_json_rd *rd, const char *s, bool *pci)
{
	*pci = false;
	if (is_pci_addr(s)) {
		*pci = true;
		return true;
	}
	for (const char *const *d = vdev_drivers; *d; d++) {
		size_t n = strlen(*d);
		if (strncmp(s, *d, n) != 0)
			continue;
		const char *p = s + n;
		if (!isdigit((unsigned char)*p))
			return cp_json_fail(rd, "devargs", "'%s': a virtual device needs an instance "
							   "number, e.g. %s0", s, *d);
		while (isdigit((unsigned char)*p))
			p++;
		if (*p && *p != ',')
			return cp_json_fail(rd, "devargs", "'%s': expected ',' after the device name", s);
		for (; *p; p++)
			if (!isprint((unsigned char)*p) || *p == ' ')
				return cp_json_fail(rd, "devargs", "'%s': spaces and control characters "
								   "are not allowed", s);
		return true;
	}
	return cp_json_fail(rd, "devargs", "'%s' is neither a PCI address (0000:3b:00.0) nor a "
					   "virtual device (net_pcap0,..., net_ring0, net_null0, "
					   "net_af_packet0,iface=..., net_af_xdp0, net_memif0, net_tap0)", s);
}

static bool mac_parse(struct cp_json_rd *rd, const json_t *o, const char *key, uint8_t mac[6])
{
	char s[32] = "";
	unsigned v[6];
	int used = 0;
	if (!cp_json_str(rd, o, key, false, s, sizeof(s)))
		return false;
	if (!s[0])
		return true;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &used) !=
		    6 ||
	    used != 17 || s[used])
		return cp_json_fail(rd, key, "'%s' is not a MAC address like 02:00:00:00:00:01", s);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

static bool parse_port(struct cp_json_rd *rd, const json_t *o, struct cp_dp_port_cfg *p,
		       bool *pci)
{
	static const char *const keys[] = {"name",	    "devargs",	     "mac",
					   "ip",	    "worker",	     "rx_timestamps",
					   "rx_ts_unit_ns", "rx_ts_offset_ns", NULL};
	char ip[32] = "";
	int64_t worker = 0, unit = 1000, off = 0;
	memset(p, 0, sizeof(*p));
	if (!json_is_object(o))
		return cp_json_fail(rd, NULL, "expected object, got %s", cp_json_type_name(o));
	if (!cp_json_only(rd, o, keys) || !cp_json_str(rd, o, "name", true, p->name, sizeof(p->name)) ||
	    !cp_json_str(rd, o, "devargs", true, p->devargs, sizeof(p->devargs)) ||
	    !mac_parse(rd, o, "mac", p->mac) || !cp_json_str(rd, o, "ip", false, ip, sizeof(ip)) ||
	    !cp_json_int(rd, o, "worker", false, 0, CP_DP_MAX_PORTS - 1, &worker) ||
	    !cp_json_bool(rd, o, "rx_timestamps", false, &p->rx_timestamps) ||
	    !cp_json_int(rd, o, "rx_ts_unit_ns", false, 1, 1000000000, &unit) ||
	    !cp_json_int(rd, o, "rx_ts_offset_ns", false, INT64_MIN, INT64_MAX, &off))
		return false;
	if (!cp_config_id_ok(p->name))
		return cp_json_fail(rd, "name", "'%s': use 1..31 of [A-Za-z0-9_-]", p->name);
	if (!devargs_ok(rd, p->devargs, pci))
		return false;
	if (ip[0]) {
		struct in_addr a;
		if (inet_pton(AF_INET, ip, &a) != 1)
			return cp_json_fail(rd, "ip", "'%s' is not an IPv4 address", ip);
		p->ip = ntohl(a.s_addr);
	}
	p->worker = (uint16_t)worker;
	p->rx_ts_unit_ns = (uint32_t)unit;
	p->rx_ts_offset_ns = off;
	return true;
}

bool cp_config_dp_parse(struct cp_json_rd *rd, const json_t *dp, struct cp_config *c)
{
	static const char *const keys[] = {"eal",	"ports",	   "workers", "mbufs",
					   "hdr_mbufs", "hold_pkts",	   "hold_timeout_us",
					   "stats_ms",	NULL};
	struct cp_dataplane_cfg *d = &c->dp;
	int64_t workers = 1, mbufs = 0, hdr = 0, hold = 0, hold_us = 0, stats_ms = 200;
	memset(d, 0, sizeof(*d));
	if (!cp_json_only(rd, dp, keys))
		return false;
	json_t *eal = cp_json_arr(rd, dp, "eal", true);
	json_t *ports = eal ? cp_json_arr(rd, dp, "ports", true) : NULL;
	if (!ports)
		return false;
	if (!cp_json_int(rd, dp, "workers", false, 1, 8, &workers) ||
	    !cp_json_int(rd, dp, "mbufs", false, 0, 1 << 24, &mbufs) ||
	    !cp_json_int(rd, dp, "hdr_mbufs", false, 0, 1 << 24, &hdr) ||
	    !cp_json_int(rd, dp, "hold_pkts", false, 0, 1 << 20, &hold) ||
	    !cp_json_int(rd, dp, "hold_timeout_us", false, 0, 10000000, &hold_us) ||
	    !cp_json_int(rd, dp, "stats_ms", false, 10, 60000, &stats_ms))
		return false;
	if (hold && (hold & (hold - 1)))
		return cp_json_fail(rd, "hold_pkts", "%lld is not a power of 2", (long long)hold);
	if (json_array_size(eal) >= CP_DP_MAX_EAL)
		return cp_json_fail(rd, "eal", "at most %u arguments", CP_DP_MAX_EAL - 1);
	bool no_pci = false;
	size_t p0 = cp_json_push_key(rd, "eal");
	for (size_t i = 0; i < json_array_size(eal); i++) {
		json_t *a = json_array_get(eal, i);
		size_t p1 = cp_json_push_idx(rd, i);
		const char *s = json_string_value(a);
		if (!json_is_string(a))
			cp_json_fail(rd, NULL, "expected string, got %s", cp_json_type_name(a));
		else if (!s[0] || strlen(s) >= CP_DP_ARG_MAX)
			cp_json_fail(rd, NULL, "empty or longer than %u bytes", CP_DP_ARG_MAX - 1);
		else if (!strcmp(s, "--vdev") || !strncmp(s, "--vdev=", 7) || !strcmp(s, "-a") ||
			 !strcmp(s, "--allow") || !strncmp(s, "--allow=", 8))
			cp_json_fail(rd, NULL, "'%s': name devices in dataplane.ports, not in the EAL "
					       "arguments", s);
		else
			snprintf(d->eal[d->n_eal++], CP_DP_ARG_MAX, "%s", s);
		no_pci |= s && !strcmp(s, "--no-pci");
		cp_json_pop(rd, p1);
		if (rd->failed)
			return false;
	}
	cp_json_pop(rd, p0);
	if (json_array_size(ports) < 1 || json_array_size(ports) > CP_DP_MAX_PORTS)
		return cp_json_fail(rd, "ports", "1..%u ports (got %zu)", CP_DP_MAX_PORTS,
				    json_array_size(ports));
	p0 = cp_json_push_key(rd, "ports");
	for (size_t i = 0; i < json_array_size(ports); i++) {
		size_t p1 = cp_json_push_idx(rd, i);
		bool pci = false;
		struct cp_dp_port_cfg *p = &d->port[i];
		if (parse_port(rd, json_array_get(ports, i), p, &pci)) {
			if (pci && no_pci)
				cp_json_fail(rd, "devargs", "'%s' is a PCI device but the EAL arguments "
							    "say --no-pci", p->devargs);
			else if (p->worker >= workers)
				cp_json_fail(rd, "worker", "worker %u does not exist (workers: %lld)",
					     p->worker, (long long)workers);
			for (size_t j = 0; j < i && !rd->failed; j++)
				if (!strcmp(d->port[j].name, p->name))
					cp_json_fail(rd, "name", "'%s' used twice", p->name);
		}
		cp_json_pop(rd, p1);
		if (rd->failed)
			return false;
		d->n_ports++;
	}
	cp_json_pop(rd, p0);
	d->workers = (uint32_t)workers;
	d->mbufs = (uint32_t)mbufs;
	d->hdr_mbufs = (uint32_t)hdr;
	d->hold_pkts = (uint32_t)hold;
	d->hold_timeout_ns = (uint64_t)hold_us * 1000u;
	d->stats_ms = (uint32_t)stats_ms;
	d->present = true;
	return true;
}

static bool resolve_port(struct cp_json_rd *rd, const struct cp_config *c, const char *what,
			 uint32_t idx, const char *name, uint32_t *out)
{
	char where[48];
	snprintf(where, sizeof(where), "%s[%u].port", what, idx);
	*out = 0;
	if (!name[0])
		return true;
	if (!c->dp.present)
		return cp_json_fail(rd, where, "'%s': there is no \"dataplane\" section naming ports",
				    name);
	for (uint32_t p = 0; p < c->dp.n_ports; p++)
		if (!strcmp(c->dp.port[p].name, name)) {
			*out = p;
			return true;
		}
	return cp_json_fail(rd, where, "no dataplane port '%s'", name);
}

bool cp_config_dp_check(struct cp_json_rd *rd, struct cp_config *c)
{
	for (uint32_t i = 0; i < c->n_inputs; i++) {
		struct cp_input_cfg *ic = &c->input[i];
		/* internal inputs: the port whose worker generates them */
		if (!resolve_port(rd, c, "inputs", i, ic->port_name, &ic->dp_port))
			return false;
	}
	for (uint32_t o = 0; o < c->n_outputs; o++)
		if (!resolve_port(rd, c, "outputs", o, c->output[o].port_name, &c->output[o].dp_port))
			return false;
	return true;
}
