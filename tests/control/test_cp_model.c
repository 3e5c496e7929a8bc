/* SPDX-License-Identifier: MIT */
/*
 * test_cp_model.c: the switcher model (control/cp_model.c) on the sim engine
 * with a fake TAI clock: take -> pending -> landed at the frame boundary,
 * format refusal, locks and protects, salvos all-or-nothing with per-output
 * frame boundaries at 50 and 59.94, the "none" engine refusing honestly,
 * state JSON round trip, TAI string parsing edge cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cp_config.h"
#include "cp_model.h"
#include "cp_switch.h"
#include "sy_time.h"

#define T0 1795773711000000000ull /* a TAI time in 2026, on a whole second */

static uint64_t fake_now;
static uint64_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

struct fixture {
	struct cp_config cfg;
	struct cp_switch *sw;
	struct cp_model m;
	char err[CP_MODEL_ERR_MAX];
};

static void add_input(struct cp_config *c, const char *id, uint32_t num, uint32_t den)
{
	struct cp_input_cfg *ic = &c->input[c->n_inputs++];
	snprintf(ic->id, sizeof(ic->id), "%s", id);
	snprintf(ic->label, sizeof(ic->label), "%s", id);
	ic->internal = CP_INTERNAL_BARS;
	ic->ess[CP_ESS_VIDEO].present = true;
	ic->ess[CP_ESS_VIDEO].video = sy_format_make(1920, 1080, false, num, den, 10);
}

static void add_output(struct cp_config *c, const char *id, uint32_t num, uint32_t den)
{
	struct cp_output_cfg *oc = &c->output[c->n_outputs++];
	snprintf(oc->id, sizeof(oc->id), "%s", id);
	snprintf(oc->label, sizeof(oc->label), "%s", id);
	oc->ess[CP_ESS_VIDEO].present = true;
	oc->ess[CP_ESS_VIDEO].video = sy_format_make(1920, 1080, false, num, den, 10);
	oc->ess[CP_ESS_VIDEO].tr.n_legs = 1;
	oc->ess[CP_ESS_VIDEO].tr.leg[0].dst_ip = 0xef000001u;
	oc->ess[CP_ESS_VIDEO].tr.leg[0].dst_port = 5004;
}

static int setup_engine(void **state, bool sim)
{
	struct fixture *f = calloc(1, sizeof(*f));
	cp_config_defaults(&f->cfg);
	add_input(&f->cfg, "a50", 50, 1);
	add_input(&f->cfg, "b50", 50, 1);
	add_input(&f->cfg, "c5994", 60000, 1001);
	add_output(&f->cfg, "o50", 50, 1);
	add_output(&f->cfg, "o5994", 60000, 1001);
	struct sy_rate rates[2] = {{50, 1}, {60000, 1001}};
	if (sim)
		assert_int_equal(cp_switch_sim_create(3, 2, rates, &f->sw), 0);
	else
		assert_int_equal(cp_switch_none_create(&f->sw), 0);
	fake_now = T0 + 3000000; /* 3 ms into a frame */
	assert_int_equal(cp_model_init(&f->m, &f->cfg, f->sw, fake_clock, NULL), 0);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_engine(state, true);
}

static int setup_none(void **state)
{
	return setup_engine(state, false);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	cp_model_fini(&f->m);
	f->sw->ops->destroy(f->sw);
	free(f);
	return 0;
}

static void test_take_now_lands(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(cp_model_take(&f->m, 0, 1, 0, "alice", f->err), 0);
	assert_int_equal(f->m.out[0].req_in, 1);
	assert_int_equal(f->m.out[0].cur_in, -1); /* nothing on air until the engine says so */
	assert_true(f->m.out[0].pending.active);
	assert_int_equal(f->m.out[0].pending.frame_tai_ns, T0 + 20000000); /* next 50 Hz frame */
	assert_int_equal(cp_model_poll(&f->m), 1);
	assert_int_equal(f->m.out[0].cur_in, 1);
	assert_false(f->m.out[0].pending.active);
	assert_int_equal(f->m.stats.takes_done, 1);
}

static void test_take_scheduled(void **state)
{
	struct fixture *f = *state;
	uint64_t at = T0 + 500000001; /* 1 ns after a 50 Hz boundary */
	assert_int_equal(cp_model_take(&f->m, 0, 0, at, "alice", f->err), 0);
	assert_int_equal(f->m.out[0].pending.frame_tai_ns, T0 + 520000000);
	assert_int_equal(cp_model_poll(&f->m), 0); /* not due */
	fake_now = T0 + 519999999;
	assert_int_equal(cp_model_poll(&f->m), 0);
	fake_now = T0 + 520000000;
	assert_int_equal(cp_model_poll(&f->m), 1);
	assert_int_equal(f->m.out[0].cur_in, 0);
	assert_int_equal(f->m.out[0].last_take_tai_ns, T0 + 520000000);
}

static void test_take_refusals(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(cp_model_take(&f->m, 0, 2, 0, "x", f->err), -EMEDIUMTYPE);
	assert_non_null(strstr(f->err, "differs"));
	assert_int_equal(cp_model_take(&f->m, 7, 0, 0, "x", f->err), -ENOENT);
	assert_int_equal(cp_model_take(&f->m, 0, 9, 0, "x", f->err), -ENOENT);
	assert_int_equal(cp_model_take(&f->m, 0, 0, T0 - 2000000000ull, "x", f->err), -EINVAL);
	assert_int_equal(f->m.out[0].req_in, -1);
	assert_int_equal(f->m.stats.takes_refused, 4);
	assert_int_equal(cp_model_http_status(-EMEDIUMTYPE), 409);
	assert_int_equal(cp_model_http_status(-EBUSY), 423);
	assert_int_equal(cp_model_http_status(-ENODEV), 503);
}

static void test_locks(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(cp_model_lock(&f->m, 0, CP_LOCK_PROTECT, "alice", false, f->err), 0);
	assert_int_equal(cp_model_take(&f->m, 0, 0, 0, "bob", f->err), -EBUSY);
	assert_int_equal(cp_model_take(&f->m, 0, 0, 0, "alice", f->err), 0);
	assert_int_equal(cp_model_lock(&f->m, 0, CP_LOCK_NONE, "bob", false, f->err), -EBUSY);
	assert_int_equal(cp_model_lock(&f->m, 0, CP_LOCK_LOCK, "alice", false, f->err), 0);
	assert_int_equal(cp_model_take(&f->m, 0, 1, 0, "alice", f->err), -EBUSY);
	assert_int_equal(cp_model_lock(&f->m, 0, CP_LOCK_NONE, "bob", true, f->err), 0);
	assert_int_equal(f->m.out[0].lock.kind, CP_LOCK_NONE);
	assert_int_equal(cp_model_take(&f->m, 0, 1, 0, "bob", f->err), 0);
	/* every lock change is audited with its client */
	int locks = 0;
	for (uint64_t s = 1; s <= f->m.audit_seq; s++) {
		json_t *a = f->m.audit[s % CP_AUDIT_MAX];
		if (!strcmp(json_string_value(json_object_get(a, "action")), "lock"))
			locks++;
	}
	assert_int_equal(locks, 3);
}

static void test_salvo_boundaries(void **state)
{
	struct fixture *f = *state;
	struct cp_salvo s;
	memset(&s, 0, sizeof(s));
	strcpy(s.id, "s1");
	s.n_takes = 2;
	s.take[0] = (struct cp_salvo_take){0, 1};
	s.take[1] = (struct cp_salvo_take){1, 2};
	assert_int_equal(cp_model_salvo_put(&f->m, &s, "alice", f->err), 0);
	uint64_t at = T0 + 1000000000ull + 5000000; /* 5 ms after a whole second */
	uint64_t shared = 0;
	assert_int_equal(cp_model_salvo_fire(&f->m, 0, at, "alice", f->err, &shared), 0);
	assert_int_equal(shared, at);
	/* 50 Hz: next boundary at +20 ms; 59.94: frame k = ceil(t*60000/1001e9) */
	assert_int_equal(f->m.out[0].pending.frame_tai_ns, T0 + 1020000000ull);
	struct sy_time_frame fr;
	assert_int_equal(sy_time_frame_at_or_after(at, (struct sy_rate){60000, 1001}, 90000, &fr), 0);
	assert_int_equal(f->m.out[1].pending.frame_tai_ns, fr.start_ns);
	assert_true(fr.start_ns >= at && fr.start_ns - at < 16683334);
	/* all-or-nothing: lock one output, the whole salvo is refused */
	assert_int_equal(cp_model_lock(&f->m, 1, CP_LOCK_LOCK, "bob", false, f->err), 0);
	f->m.out[0].pending.active = false;
	f->m.out[0].req_in = -1;
	assert_int_equal(cp_model_salvo_fire(&f->m, 0, 0, "alice", f->err, &shared), -EBUSY);
	assert_int_equal(f->m.out[0].req_in, -1);
	/* a salvo with a format mismatch cannot even be defined */
	s.take[1] = (struct cp_salvo_take){1, 0};
	strcpy(s.id, "bad");
	assert_int_equal(cp_model_salvo_put(&f->m, &s, "alice", f->err), -EMEDIUMTYPE);
	assert_int_equal(f->m.n_salvos, 1);
	assert_int_equal(cp_model_salvo_delete(&f->m, "s1", "alice", f->err), 0);
	assert_int_equal(cp_model_salvo_delete(&f->m, "s1", "alice", f->err), -ENOENT);
}

static void test_none_engine(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(cp_model_take(&f->m, 0, 0, 0, "alice", f->err), -ENODEV);
	assert_non_null(strstr(f->err, "nothing was switched"));
	assert_int_equal(f->m.out[0].req_in, -1);
	assert_false(f->m.out[0].pending.active);
}

static void test_state_round_trip(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(cp_model_take(&f->m, 0, 1, 0, "a", f->err), 0);
	assert_int_equal(cp_model_preview(&f->m, 0, 0, "a", f->err), 0);
	assert_int_equal(cp_model_set_label(&f->m, false, 0, "机位 A", "a", f->err), 0);
	assert_int_equal(cp_model_lock(&f->m, 1, CP_LOCK_PROTECT, "zed", false, f->err), 0);
	json_t *st = cp_model_state_json(&f->m);
	struct cp_model m2;
	assert_int_equal(cp_model_init(&m2, &f->cfg, f->sw, fake_clock, NULL), 0);
	assert_int_equal(cp_model_state_restore(&m2, st, f->err), 0);
	assert_int_equal(m2.out[0].req_in, 1);
	assert_int_equal(m2.out[0].preview_in, 0);
	assert_string_equal(m2.in[0].label, "机位 A");
	assert_int_equal(m2.out[1].lock.kind, CP_LOCK_PROTECT);
	assert_string_equal(m2.out[1].lock.owner, "zed");
	json_t *st2 = cp_model_state_json(&m2);
	assert_true(json_equal(st, st2));
	json_decref(st);
	json_decref(st2);
	cp_model_fini(&m2);
	json_t *bad = json_pack("{s:i}", "version", 9);
	assert_int_equal(cp_model_state_restore(&f->m, bad, f->err), -EINVAL);
	json_decref(bad);
}

static void test_tai_strings(void **state)
{
	(void)state;
	uint64_t t;
	char b[48];
	assert_int_equal(cp_model_tai_parse("1795773711:5", &t), 0);
	assert_int_equal(t, 1795773711000000005ull);
	cp_model_tai_str(t, b, sizeof(b));
	assert_string_equal(b, "1795773711:5");
	assert_int_equal(cp_model_tai_parse("0:999999999", &t), 0);
	assert_int_equal(cp_model_tai_parse("1:1000000000", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse(":1", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse("1:", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse("1:2x", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse("-1:0", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse("99999999999999999999:0", &t), -EINVAL);
	assert_int_equal(cp_model_tai_parse("18446744073:709551615", &t), 0);
	assert_int_equal(t, UINT64_MAX);
	assert_int_equal(cp_model_tai_parse("18446744073:709551616", &t), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_take_now_lands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_scheduled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_salvo_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none_engine, setup_none, teardown),
		cmocka_unit_test_setup_teardown(test_state_round_trip, setup, teardown),
		cmocka_unit_test(test_tai_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
