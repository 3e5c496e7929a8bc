/* SPDX-License-Identifier: MIT */
/*
 * dp.c: dataplane set-up and the control side of the contract in dp.h:
 * EAL and ports from configuration, pools sized from config maxima, worker
 * state, RCU-protected snapshot publication, command/event rings, counters,
 * the TSC->TAI map. Runs on the control thread (never on a worker, except
 * dp_clock_tai(), which workers call once per burst).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "dp_internal.h"
#include "sy_err.h"
#include "sy_time.h"

int dp_error_set(struct dp_error *err, int code, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

/* ---- clock: TSC -> TAI (seqcount; written by control, read per burst) ----- */

/* Each call steps the map to tai_ns now; from the second call on, at least
 * 1 s after the first, the TSC rate is measured over the whole interval since
 * the first call (rte_get_tsc_hz() can be off by 0.1 % in a VM, 2 ms a
 * second: a generated frame would land a frame early), so the steps shrink
 * to the reference's own noise. */
void dp_clock_sync(struct dp *dp, uint64_t tai_ns)
{
	uint64_t hz = rte_get_tsc_hz(), tsc = rte_rdtsc();
	uint64_t mult = hz ? (SY_TIME_NS_PER_S << 32) / hz : 0;

	if (dp->clk_ref_tsc == 0 || tai_ns < dp->clk_ref_tai) {
		dp->clk_ref_tsc = tsc;
		dp->clk_ref_tai = tai_ns;
	} else if (tai_ns - dp->clk_ref_tai >= SY_TIME_NS_PER_S && tsc > dp->clk_ref_tsc) {
		mult = (uint64_t)(((unsigned __int128)(tai_ns - dp->clk_ref_tai) << 32) /
				  (tsc - dp->clk_ref_tsc));
	}
	__atomic_fetch_add(&dp->clk_seq, 1, __ATOMIC_ACQ_REL); /* odd: writing */
	dp->clk_tsc0 = tsc;
	dp->clk_tai0 = tai_ns;
	dp->clk_mult = mult;
	__atomic_fetch_add(&dp->clk_seq, 1, __ATOMIC_RELEASE);
}

uint64_t dp_clock_tai(const struct dp *dp, uint64_t tsc)
{
	uint32_t s0, s1;
	uint64_t tsc0, tai0, mult;

	do {
		s0 = __atomic_load_n(&dp->clk_seq, __ATOMIC_ACQUIRE);
		tsc0 = dp->clk_tsc0;
		tai0 = dp->clk_tai0;
		mult = dp->clk_mult;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s1 = __atomic_load_n(&dp->clk_seq, __ATOMIC_RELAXED);
	} while ((s0 & 1u) || s0 != s1);
	return tai0 + (uint64_t)(((unsigned __int128)(tsc - tsc0) * mult) >> 32);
}

/* ---- ports ------------------------------------------------------------------ */

static bool is_pci(const char *devargs)
{
	/* dddd:bb:dd.f or bb:dd.f */
	unsigned a, b, c, d;

	return sscanf(devargs, "%x:%x:%x.%x", &a, &b, &c, &d) == 4 ||
	       sscanf(devargs, "%x:%x.%x", &a, &b, &c) == 3;
}

static void dev_name(const char *devargs, char *name, size_t len)
{
	size_t n = strcspn(devargs, ",");

	if (n >= len)
		n = len - 1;
	memcpy(name, devargs, n);
	name[n] = '\0';
}

static int port_setup(struct dp *dp, unsigned i, struct dp_error *err)
{
	const struct dp_port_config *pc = &dp->cfg.ports[i];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t pid;
	int rc;

	dev_name(pc->devargs, name, sizeof(name));
	rc = rte_eth_dev_get_port_by_name(name, &pid);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u '%s': device '%s' not found (check its devargs)", i,
			    pc->name, name);
	rc = rte_eth_dev_info_get(pid, &info);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u '%s': no device info", i, pc->name);
	if (info.max_tx_queues < dp->n_workers)
		return dp_error_set(err, -SY_E_RANGE, "port %u '%s': %u tx queues, %u workers need one each",
			    i, pc->name, info.max_tx_queues, dp->n_workers);
	memset(&conf, 0, sizeof(conf));
	if (pc->rx_timestamps) {
		/* net_pcap (22.11) writes the timestamp dynamic field on every packet
		 * without advertising the offload; NICs need it enabled. The worker
		 * uses a packet's timestamp only if its dynamic flag is set. */
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP)
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
		dp->port_rx_ts[i] = true;
	}
	rc = rte_eth_dev_configure(pid, 1, (uint16_t)dp->n_workers, &conf);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u '%s': configure failed: %s", i, pc->name,
			    strerror(-rc));
	uint16_t nrx = dp->cfg.rx_desc, ntx = dp->cfg.tx_desc;

	rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nrx, &ntx);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u: descriptor counts", i);
	rc = rte_eth_rx_queue_setup(pid, 0, nrx, (unsigned)rte_eth_dev_socket_id(pid), NULL,
				    dp->pkt_pool);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u '%s': rx queue: %s", i, pc->name, strerror(-rc));
	for (unsigned q = 0; q < dp->n_workers; q++) {
		rc = rte_eth_tx_queue_setup(pid, (uint16_t)q, ntx,
					    (unsigned)rte_eth_dev_socket_id(pid), NULL);
		if (rc < 0)
			return dp_error_set(err, rc, "port %u '%s': tx queue %u: %s", i, pc->name, q,
				    strerror(-rc));
	}
	rc = rte_eth_dev_start(pid);
	if (rc < 0)
		return dp_error_set(err, rc, "port %u '%s': start: %s", i, pc->name, strerror(-rc));
	(void)rte_eth_promiscuous_enable(pid); /* multicast; not all PMDs have it */
	(void)rte_eth_allmulticast_enable(pid);
	if (rte_eth_macaddr_get(pid, &mac) == 0)
		memcpy(dp->port_mac[i], mac.addr_bytes, 6);
	if (pc->mac[0] | pc->mac[1] | pc->mac[2] | pc->mac[3] | pc->mac[4] | pc->mac[5])
		memcpy(dp->port_mac[i], pc->mac, 6);
	dp->port_id[i] = pid;
	return 0;
}

/* ---- create / destroy --------------------------------------------------------- */

static int eal_init(struct dp *dp, struct dp_error *err)
{
	char *argv[DP_MAX_EAL_ARGS + 2 * DP_MAX_PORTS + 1];
	static char opt[DP_MAX_PORTS][DP_DEVARGS_MAX + 8];
	int argc = 0, rc;

	for (unsigned i = 0; i < dp->cfg.n_eal_args; i++)
		argv[argc++] = (char *)(uintptr_t)dp->cfg.eal_args[i];
	for (unsigned i = 0; i < dp->cfg.n_ports; i++) {
		const char *d = dp->cfg.ports[i].devargs;

		snprintf(opt[i], sizeof(opt[i]), "%s", d);
		argv[argc++] = is_pci(d) ? (char *)"-a" : (char *)"--vdev";
		argv[argc++] = opt[i];
	}
	argv[argc] = NULL;
	rc = rte_eal_init(argc, argv);
	if (rc < 0)
		return dp_error_set(err, -rte_errno, "EAL initialisation failed: %s",
			    rte_strerror(rte_errno));
	dp->eal_done = true;
	return 0;
}

int dp_create(const struct dp_config *cfg, struct dp **out, struct dp_error *err)
{
	struct dp *dp;
	int rc, off;
	uint64_t flag;

	*out = NULL;
	if (cfg->n_ports == 0 || cfg->n_ports > DP_MAX_PORTS)
		return dp_error_set(err, -SY_E_RANGE, "1..%u ports needed, got %u", DP_MAX_PORTS,
			    cfg->n_ports);
	if (cfg->n_workers == 0 || cfg->n_workers > DP_MAX_WORKERS)
		return dp_error_set(err, -SY_E_RANGE, "1..%u workers needed, got %u", DP_MAX_WORKERS,
			    cfg->n_workers);
	if (cfg->n_eal_args == 0 || cfg->n_eal_args > DP_MAX_EAL_ARGS)
		return dp_error_set(err, -SY_E_RANGE, "EAL arguments: argv[0] at least");
	for (unsigned i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i].worker >= cfg->n_workers)
			return dp_error_set(err, -SY_E_RANGE, "port %u: worker %u does not exist", i,
				    cfg->ports[i].worker);
	dp = calloc(1, sizeof(*dp));
	if (dp == NULL)
		return dp_error_set(err, -ENOMEM, "out of memory");
	dp->cfg = *cfg;
	if (!dp->cfg.n_mbufs)
		dp->cfg.n_mbufs = 8191;
	if (!dp->cfg.n_hdr_mbufs)
		dp->cfg.n_hdr_mbufs = 8191;
	if (!dp->cfg.rx_desc)
		dp->cfg.rx_desc = 1024;
	if (!dp->cfg.tx_desc)
		dp->cfg.tx_desc = 1024;
	if (!dp->cfg.hold_pkts)
		dp->cfg.hold_pkts = 2048;
	if (dp->cfg.freeze_inputs && !dp->cfg.freeze_pkts)
		dp->cfg.freeze_pkts = 4320;
	if (dp->cfg.hold_pkts & (dp->cfg.hold_pkts - 1u)) {
		free(dp);
		return dp_error_set(err, -SY_E_RANGE, "hold_pkts must be a power of 2");
	}
	dp->n_workers = cfg->n_workers;
	dp->n_ports = (uint16_t)cfg->n_ports;
	dp->rx_ts_dynfield = -1;

	rc = eal_init(dp, err);
	if (rc < 0)
		goto err;
	/* the rx timestamp dynamic field/flag (net_pcap and NICs write it) */
	if (rte_mbuf_dyn_rx_timestamp_register(&off, &flag) == 0) {
		dp->rx_ts_dynfield = off;
		dp->rx_ts_dynflag = flag;
	}
	/* DP_LOSS_FREEZE: the kept frame and the one being received, per store */
	uint64_t frz_mbufs = (uint64_t)dp->n_workers * dp->cfg.freeze_inputs * 2u *
			     dp->cfg.freeze_pkts;

	if (dp->cfg.n_mbufs + frz_mbufs > UINT32_MAX / 2u) {
		rc = dp_error_set(err, -SY_E_RANGE, "freeze_inputs x freeze_pkts too large");
		goto err;
	}
	dp->pkt_pool = rte_pktmbuf_pool_create("dp_pkt", (unsigned)(dp->cfg.n_mbufs + frz_mbufs), 256, 0,
					       RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	dp->hdr_pool = rte_pktmbuf_pool_create("dp_hdr", dp->cfg.n_hdr_mbufs, 256, 0,
					       RTE_PKTMBUF_HEADROOM + 128, (int)rte_socket_id());
	dp->ind_pool = rte_pktmbuf_pool_create("dp_ind", dp->cfg.n_hdr_mbufs, 256, 0, 0,
					       (int)rte_socket_id());
	if (!dp->pkt_pool || !dp->hdr_pool || !dp->ind_pool) {
		rc = dp_error_set(err, -ENOMEM, "mbuf pools: %s (give EAL more memory: -m)",
			  rte_strerror(rte_errno));
		goto err;
	}
	for (unsigned i = 0; i < cfg->n_ports; i++) {
		rc = port_setup(dp, i, err);
		if (rc < 0)
			goto err;
	}
	size_t qsz = rte_rcu_qsbr_get_memsize(dp->n_workers);

	dp->qs = rte_zmalloc("dp_qs", qsz, RTE_CACHE_LINE_SIZE);
	if (dp->qs == NULL || rte_rcu_qsbr_init(dp->qs, dp->n_workers) != 0) {
		rc = dp_error_set(err, -ENOMEM, "RCU state");
		goto err;
	}
	unsigned lcore = rte_get_next_lcore(-1, 1, 0);

	for (unsigned w = 0; w < dp->n_workers; w++) {
		struct dp_worker *wk = rte_zmalloc("dp_worker", sizeof(*wk), RTE_CACHE_LINE_SIZE);
		char nm[32];

		if (wk == NULL) {
			rc = dp_error_set(err, -ENOMEM, "worker state");
			goto err;
		}
		dp->w[w] = wk;
		wk->dp = dp;
		wk->idx = (uint16_t)w;
		wk->lcore = lcore;
		if (lcore < RTE_MAX_LCORE)
			lcore = rte_get_next_lcore(lcore, 1, 0);
		wk->txq = (uint16_t)w;
		for (unsigned p = 0; p < cfg->n_ports; p++)
			if (cfg->ports[p].worker == w)
				wk->rxq_port[wk->n_rxq++] = (uint16_t)p;
		snprintf(nm, sizeof(nm), "dp_cmd%u", w);
		wk->cmd_ring = rte_ring_create_elem(nm, sizeof(struct dp_cmd), DP_RING_SIZE,
						    (int)rte_socket_id(),
						    RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(nm, sizeof(nm), "dp_ev%u", w);
		wk->ev_ring = rte_ring_create_elem(nm, sizeof(struct dp_event), DP_RING_SIZE,
						   (int)rte_socket_id(),
						   RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (!wk->cmd_ring || !wk->ev_ring) {
			rc = dp_error_set(err, -ENOMEM, "rings: %s", rte_strerror(rte_errno));
			goto err;
		}
		rc = dp_worker_init(wk, dp->cfg.hold_pkts);
		if (rc < 0) {
			rc = dp_error_set(err, rc, "hold queues / freeze stores: out of memory (hold_pkts %u; -m)",
				  dp->cfg.hold_pkts);
			goto err;
		}
		rte_rcu_qsbr_thread_register(dp->qs, w);
	}
	uint64_t tai;

	if (sy_time_now_tai(cfg->tai_utc_offset_s, &tai) == 0)
		dp_clock_sync(dp, tai);
	*out = dp;
	return 0;
err:
	dp_destroy(dp);
	return rc;
}

int dp_start(struct dp *dp)
{
	for (unsigned w = 0; w < dp->n_workers; w++)
		if (dp->w[w]->lcore >= RTE_MAX_LCORE)
			return -ENODEV;
	for (unsigned w = 0; w < dp->n_workers; w++) {
		int rc = rte_eal_remote_launch(dp_worker_main, dp->w[w], dp->w[w]->lcore);

		if (rc < 0) {
			dp_stop(dp);
			return rc;
		}
		dp->launched = true;
	}
	return 0;
}

unsigned dp_poll(struct dp *dp, unsigned w, unsigned max_iters)
{
	unsigned rx = 0;
	struct dp_worker *wk = dp->w[w];

	if (dp->launched)
		return 0;
	if (!wk->inline_online) {
		rte_rcu_qsbr_thread_online(dp->qs, w);
		wk->inline_online = true;
	}
	for (unsigned i = 0; i < max_iters; i++)
		dp_worker_iter(wk, &rx);
	return rx;
}

void dp_flush(struct dp *dp, unsigned w)
{
	if (!dp->launched)
		dp_worker_flush(dp->w[w]);
}

void dp_stop(struct dp *dp)
{
	if (dp == NULL || !dp->launched)
		return;
	for (unsigned w = 0; w < dp->n_workers; w++)
		__atomic_store_n(&dp->w[w]->stop, true, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
	dp->launched = false;
}

void dp_destroy(struct dp *dp)
{
	if (dp == NULL)
		return;
	dp_stop(dp);
	for (unsigned w = 0; w < dp->n_workers; w++) {
		if (dp->w[w] == NULL)
			continue;
		dp_worker_flush(dp->w[w]);
		dp_worker_fini(dp->w[w]);
		rte_ring_free(dp->w[w]->cmd_ring);
		rte_ring_free(dp->w[w]->ev_ring);
		rte_free(dp->w[w]);
	}
	if (dp->eal_done) {
		for (unsigned i = 0; i < dp->n_ports; i++) {
			rte_eth_dev_stop(dp->port_id[i]);
			rte_eth_dev_close(dp->port_id[i]);
		}
	}
	for (unsigned i = 0; i < dp->n_retired; i++)
		rte_free(dp->retired[i].snap);
	dp_gen_free_all(dp);
	rte_free((void *)(uintptr_t)dp->snap);
	rte_free(dp->qs);
	rte_mempool_free(dp->pkt_pool);
	rte_mempool_free(dp->hdr_pool);
	rte_mempool_free(dp->ind_pool);
	if (dp->eal_done)
		rte_eal_cleanup();
	free(dp);
}

/* ---- publication --------------------------------------------------------------- */

int dp_publish(struct dp *dp, const struct dp_routes *routes, struct dp_error *err)
{
	struct dp_snap *s;
	const struct dp_snap *old;
	int rc;

	if (err)
		err->code = 0;
	if (dp->n_retired == DP_RETIRED_MAX && dp_reclaim(dp) == DP_RETIRED_MAX)
		return dp_error_set(err, -EBUSY, "too many snapshots waiting for reclamation");
	s = rte_zmalloc("dp_snap", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL)
		return dp_error_set(err, -ENOMEM, "out of memory for a snapshot");
	rc = dp_snap_build(dp, routes, s, err);
	if (rc == 0)
		rc = dp_gen_attach(dp, s, err);
	if (rc < 0) {
		rte_free(s);
		return rc;
	}
	s->gen = ++dp->gen;
	old = dp->snap;
	/* release: the snapshot's contents are visible before its pointer */
	__atomic_store_n(&dp->snap, s, __ATOMIC_RELEASE);
	if (old != NULL) {
		dp->retired[dp->n_retired].snap = (struct dp_snap *)(uintptr_t)old;
		dp->retired[dp->n_retired].token = rte_rcu_qsbr_start(dp->qs);
		dp->n_retired++;
	}
	dp_reclaim(dp);
	return 0;
}

unsigned dp_reclaim(struct dp *dp)
{
	unsigned j = 0;

	for (unsigned i = 0; i < dp->n_retired; i++) {
		if (rte_rcu_qsbr_check(dp->qs, dp->retired[i].token, false) == 1)
			rte_free(dp->retired[i].snap);
		else
			dp->retired[j++] = dp->retired[i];
	}
	dp->n_retired = j;
	if (dp->n_gen_assets)
		dp_gen_gc(dp);
	return j;
}

/* ---- rings and counters ---------------------------------------------------------- */

int dp_command(struct dp *dp, unsigned w, const struct dp_cmd *cmd)
{
	if (w >= dp->n_workers)
		return -SY_E_RANGE;
	return rte_ring_sp_enqueue_elem(dp->w[w]->cmd_ring, (void *)(uintptr_t)cmd,
					sizeof(*cmd)) == 0 ? 0 : -ENOBUFS;
}

unsigned dp_events_drain(struct dp *dp, struct dp_event *ev, unsigned max)
{
	unsigned n = 0;

	for (unsigned w = 0; w < dp->n_workers && n < max; w++)
		n += rte_ring_sc_dequeue_burst_elem(dp->w[w]->ev_ring, ev + n, sizeof(*ev),
						    max - n, NULL);
	return n;
}

void dp_stats_read(struct dp *dp, struct dp_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->pool_avail[0] = rte_mempool_avail_count(dp->pkt_pool);
	out->pool_avail[1] = rte_mempool_avail_count(dp->hdr_pool);
	out->pool_avail[2] = rte_mempool_avail_count(dp->ind_pool);
	for (unsigned w = 0; w < dp->n_workers; w++) {
		const struct dp_counters *c = &dp->w[w]->cnt;

		out->rx_pkts += __atomic_load_n(&c->rx_pkts, __ATOMIC_RELAXED);
		out->tx_pkts += __atomic_load_n(&c->tx_pkts, __ATOMIC_RELAXED);
		out->events_lost += __atomic_load_n(&c->events_lost, __ATOMIC_RELAXED);
		out->host_tx_pkts += __atomic_load_n(&c->host_tx, __ATOMIC_RELAXED);
		for (unsigned d = 0; d < DP_DROP_MAX; d++)
			out->drops[d] += __atomic_load_n(&c->drops[d], __ATOMIC_RELAXED);
		for (unsigned i = 0; i < DP_MAX_INPUTS; i++) {
			const struct dp_input_stats *a = &c->in[i];
			struct dp_input_stats *b = &out->inputs[i];

			b->pkts += __atomic_load_n(&a->pkts, __ATOMIC_RELAXED);
			b->bytes += __atomic_load_n(&a->bytes, __ATOMIC_RELAXED);
			b->frames += __atomic_load_n(&a->frames, __ATOMIC_RELAXED);
			b->malformed += __atomic_load_n(&a->malformed, __ATOMIC_RELAXED);
			b->forwarded += __atomic_load_n(&a->forwarded, __ATOMIC_RELAXED);
			b->losses += __atomic_load_n(&a->losses, __ATOMIC_RELAXED);
		}
		for (unsigned o = 0; o < DP_MAX_OUTPUTS; o++) {
			for (unsigned k = 0; k < DP_GROUP_MAX_FLOWS; k++) {
				const struct dp_output_stats *a = &c->out[o][k];
				struct dp_output_stats *b = &out->outputs[o][k];

				b->pkts += __atomic_load_n(&a->pkts, __ATOMIC_RELAXED);
				b->bytes += __atomic_load_n(&a->bytes, __ATOMIC_RELAXED);
				b->frames += __atomic_load_n(&a->frames, __ATOMIC_RELAXED);
				b->takes += __atomic_load_n(&a->takes, __ATOMIC_RELAXED);
				b->held_pkts += __atomic_load_n(&a->held_pkts, __ATOMIC_RELAXED);
				b->hold_timeouts += __atomic_load_n(&a->hold_timeouts,
								    __ATOMIC_RELAXED);
				b->freeze_frames += __atomic_load_n(&a->freeze_frames,
								    __ATOMIC_RELAXED);
			}
		}
	}
}

unsigned dp_n_workers(const struct dp *dp)
{
	return dp->n_workers;
}

unsigned dp_n_ports(const struct dp *dp)
{
	return dp->n_ports;
}
