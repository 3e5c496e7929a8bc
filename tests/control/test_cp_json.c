/* SPDX-License-Identifier: MIT */
/*
 * test_cp_json.c: strict JSON reading (control/cp_json.c): line:column for
 * syntax errors, duplicate keys refused, JSON paths in type/range/unknown-key
 * messages, label rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp_json.h"

static void test_syntax_line_column(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "x.json");
	const char *t = "{\n  \"a\": 1,\n  \"b\": }";
	assert_null(cp_json_load(&rd, t, strlen(t), true));
	assert_true(rd.failed);
	assert_non_null(strstr(rd.err, "x.json:3:"));
}

static void test_duplicates_rejected(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "b");
	const char *t = "{\"a\":1,\"a\":2}";
	assert_null(cp_json_load(&rd, t, strlen(t), true));
	assert_non_null(strstr(rd.err, "duplicate"));
}

static void test_not_object(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "b");
	assert_null(cp_json_load(&rd, "[1]", 3, true));
	assert_non_null(strstr(rd.err, "expected an object, got array"));
}

static void test_paths(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	cp_json_rd_init(&rd, "c.json");
	const char *t = "{\"outputs\":[{\"id\":\"a\"},{\"depth\":\"10\"}]}";
	json_t *root = cp_json_load(&rd, t, strlen(t), true);
	assert_non_null(root);
	json_t *arr = cp_json_arr(&rd, root, "outputs", true);
	size_t p0 = cp_json_push_key(&rd, "outputs");
	size_t p1 = cp_json_push_idx(&rd, 1);
	int64_t d = 0;
	assert_false(cp_json_int(&rd, json_array_get(arr, 1), "depth", true, 8, 16, &d));
	assert_string_equal(rd.err, "c.json: $.outputs[1].depth: expected integer, got string");
	cp_json_pop(&rd, p1);
	cp_json_pop(&rd, p0);
	assert_string_equal(rd.path, "$");
	/* after the first error, getters are no-ops */
	char s[8];
	assert_false(cp_json_str(&rd, root, "x", false, s, sizeof(s)));
	json_decref(root);
}

static void test_range_and_unknown(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	const char *t = "{\"port\":70000,\"x\":1}";
	cp_json_rd_init(&rd, "b");
	json_t *root = cp_json_load(&rd, t, strlen(t), true);
	int64_t v;
	assert_false(cp_json_int(&rd, root, "port", true, 1, 65535, &v));
	assert_non_null(strstr(rd.err, "$.port: 70000 out of range [1, 65535]"));
	cp_json_rd_init(&rd, "b");
	static const char *const keys[] = {"port", NULL};
	assert_false(cp_json_only(&rd, root, keys));
	assert_non_null(strstr(rd.err, "$.x: unknown key"));
	cp_json_rd_init(&rd, "b");
	assert_false(cp_json_bool(&rd, root, "missing", true, &(bool){false}));
	assert_non_null(strstr(rd.err, "required key missing"));
	json_decref(root);
}

static void test_string_limits(void **state)
{
	(void)state;
	struct cp_json_rd rd;
	const char *t = "{\"s\":\"abcdefgh\"}";
	cp_json_rd_init(&rd, "b");
	json_t *root = cp_json_load(&rd, t, strlen(t), true);
	assert_non_null(root);
	char s[8];
	assert_false(cp_json_str(&rd, root, "s", true, s, sizeof(s)));
	assert_non_null(strstr(rd.err, "longer than 7"));
	json_decref(root);
	/* an escaped NUL never reaches a handler: the loader refuses it */
	const char *n = "{\"n\":\"a\\u0000b\"}";
	cp_json_rd_init(&rd, "b");
	assert_null(cp_json_load(&rd, n, strlen(n), true));
	assert_non_null(strstr(rd.err, "b:1:"));
}

static void test_labels(void **state)
{
	(void)state;
	assert_true(cp_json_label_ok("Camera 1"));
	assert_true(cp_json_label_ok("摄像机 2"));
	assert_false(cp_json_label_ok("a\tb"));
	assert_false(cp_json_label_ok("a\x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_line_column), cmocka_unit_test(test_duplicates_rejected),
		cmocka_unit_test(test_not_object),	   cmocka_unit_test(test_paths),
		cmocka_unit_test(test_range_and_unknown),  cmocka_unit_test(test_string_limits),
		cmocka_unit_test(test_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
