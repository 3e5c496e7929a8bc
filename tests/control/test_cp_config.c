/* SPDX-License-Identifier: MIT */
/*
 * test_cp_config.c: config parsing (control/cp_config.c): defaults, the
 * format shorthand (1080i50 = 25 frames, 59.94 = 60000/1001), 2022-7 legs,
 * and precise messages for every kind of mistake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cp_config.h"

static struct cp_config cfg;
static char err[512];

static int parse(const char *t)
{
	err[0] = 0;
	return cp_config_parse(&cfg, "t.json", t, strlen(t), err, sizeof(err));
}

static void test_minimal(void **state)
{
	(void)state;
	assert_int_equal(parse("{}"), 0);
	assert_string_equal(cfg.listen_host, "127.0.0.1"); /* loopback unless configured */
	assert_int_equal(cfg.listen_port, 8080);
	assert_int_equal(cfg.tai_utc_offset_s, 37);
	assert_int_equal(cfg.engine, CP_SWITCH_DATAPLANE);
	assert_int_equal(cfg.n_inputs, 0);
}

static void test_shorthand(void **state)
{
	(void)state;
	struct sy_video_format f;
	assert_int_equal(cp_config_video_shorthand("1080p59.94", &f), 0);
	assert_int_equal(f.rate.num, 60000);
	assert_int_equal(f.rate.den, 1001);
	assert_int_equal(f.width, 1920);
	assert_int_equal(cp_config_video_shorthand("1080i50", &f), 0);
	assert_true(f.interlaced);
	assert_int_equal(f.rate.num, 25);
	assert_int_equal(cp_config_video_shorthand("1080i59.94", &f), 0);
	assert_int_equal(f.rate.num, 30000);
	assert_int_equal(f.rate.den, 1001);
	assert_int_equal(cp_config_video_shorthand("2160p50", &f), 0);
	assert_int_equal(f.width, 3840);
	assert_int_equal(cp_config_video_shorthand("720i50", &f), -22);
	assert_int_equal(cp_config_video_shorthand("1080p51", &f), -22);
	assert_int_equal(cp_config_video_shorthand("p50", &f), -22);
}

static void test_full(void **state)
{
	(void)state;
	const char *t = "{\"http\":{\"listen\":\"0.0.0.0:9000\",\"token\":\"t\"},"
			"\"engine\":\"sim\",\"inputs\":[{\"id\":\"c1\",\"label\":\"摄像机\","
			"\"video\":{\"format\":\"1080p50\",\"legs\":[{\"destination\":\"239.0.0.1\","
			"\"port\":5004,\"source\":\"10.0.0.1\"},{\"destination\":\"239.0.1.1\",\"port\":5006}]},"
			"\"audio\":{\"channels\":8,\"encoding\":\"L16\",\"ptime_us\":125,"
			"\"legs\":[{\"destination\":\"239.0.0.2\",\"port\":5004}]}}],"
			"\"outputs\":[{\"id\":\"o\",\"input\":\"c1\",\"video\":{\"format\":\"1080p50\","
			"\"legs\":[{\"destination\":\"239.1.0.1\",\"port\":5004}]}}]}";
	assert_int_equal(parse(t), 0);
	assert_string_equal(cfg.listen_host, "0.0.0.0");
	assert_int_equal(cfg.listen_port, 9000);
	assert_string_equal(cfg.token, "t");
	assert_int_equal(cfg.engine, CP_SWITCH_SIM);
	assert_int_equal(cfg.input[0].ess[CP_ESS_VIDEO].tr.n_legs, 2);
	assert_int_equal(cfg.input[0].ess[CP_ESS_VIDEO].tr.leg[0].src_ip, 0x0a000001u);
	assert_int_equal(cfg.input[0].ess[CP_ESS_VIDEO].tr.leg[1].dst_port, 5006);
	assert_int_equal(cfg.input[0].ess[CP_ESS_AUDIO].audio.channels, 8);
	assert_int_equal(cfg.input[0].ess[CP_ESS_AUDIO].audio.ptime_ns, 125000);
	assert_string_equal(cfg.input[0].label, "摄像机");
	assert_string_equal(cfg.output[0].label, "o"); /* defaults to the id */
	assert_string_equal(cfg.output[0].initial_input, "c1");
}

static void expect_err(const char *t, const char *want)
{
	assert_int_not_equal(parse(t), 0);
	if (!strstr(err, want))
		fail_msg("want '%s' in '%s'", want, err);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("{\"a\":", "t.json:1:");
	expect_err("{\"http\":{\"listen\":1}}", "t.json: $.http.listen: expected string, got integer");
	expect_err("{\"http\":{\"listn\":\"x\"}}", "$.http.listn: unknown key");
	expect_err("{\"time\":{\"tai_utc_offset_s\":-1}}", "$.time.tai_utc_offset_s: -1 out of range");
	expect_err("{\"inputs\":{}}", "$.inputs: expected array, got object");
	expect_err("{\"inputs\":[1]}", "$.inputs[0]: expected object, got integer");
	expect_err("{\"inputs\":[{\"id\":\"a b\",\"internal\":\"bars\",\"video\":{\"format\":\"1080p50\"}}]}",
		   "$.inputs[0].id");
	expect_err("{\"inputs\":[{\"id\":\"a\",\"internal\":\"bars\"}]}", "$.inputs[0].video: required");
	expect_err("{\"inputs\":[{\"id\":\"a\",\"video\":{\"format\":\"1080p50\"}}]}", "needs legs");
	expect_err("{\"inputs\":[{\"id\":\"a\",\"internal\":\"bars\",\"video\":{\"format\":\"1080p50\"},"
		   "\"audio\":{\"channels\":65}}]}", "$.inputs[0].audio.channels: 65 out of range");
	expect_err("{\"inputs\":[{\"id\":\"a\",\"internal\":\"bars\",\"video\":{\"format\":\"1080p50\","
		   "\"sampling\":\"YUV\"}}]}", "$.inputs[0].video.sampling: unknown value 'YUV'");
	expect_err("{\"inputs\":[{\"id\":\"a\",\"internal\":\"bars\",\"label\":\"x\\ny\","
		   "\"video\":{\"format\":\"1080p50\"}}]}", "$.inputs[0].label: control characters");
	expect_err("{\"registration\":{\"registries\":[{\"url\":\"ftp://x\"}]}}",
		   "$.registration.registries[0].url");
	expect_err("{\"registration\":{\"dns_sd\":1}}", "$.registration.dns_sd");
	expect_err("{\"registration\":{\"dnssd\":true}}", "$.registration");
}

/* registration.dns_sd (default true) and heartbeat_s apply without registries */
static void test_registration(void **state)
{
	(void)state;
	assert_int_equal(parse("{}"), 0);
	assert_true(cfg.dns_sd);
	assert_int_equal(cfg.heartbeat_s, 5);
	assert_int_equal(parse("{\"registration\":{\"dns_sd\":false,\"heartbeat_s\":2}}"), 0);
	assert_false(cfg.dns_sd);
	assert_int_equal(cfg.heartbeat_s, 2);
	assert_int_equal(cfg.n_registries, 0);
	assert_int_equal(parse("{\"registration\":{\"heartbeat_s\":3,\"registries\":"
			       "[{\"url\":\"http://10.0.0.5:8010\",\"priority\":7}]}}"), 0);
	assert_true(cfg.dns_sd);
	assert_int_equal(cfg.heartbeat_s, 3);
	assert_int_equal(cfg.n_registries, 1);
	assert_int_equal(cfg.registry[0].priority, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_shorthand),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_registration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
