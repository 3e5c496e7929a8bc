/* SPDX-License-Identifier: MIT */
/* test_sy_err.c: the one error table: names, messages, errno passthrough. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sy_err.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sy_err_name(-SY_E_SRD_ROW), "SY_E_SRD_ROW");
	assert_string_equal(sy_err_str(-SY_E_SRD_ROW), "SRD row number beyond the picture height");
	assert_string_equal(sy_err_name(SY_E_RANGE), "SY_E_RANGE");
	assert_string_equal(sy_err_name(-EINVAL), "EINVAL");
	assert_string_equal(sy_err_name(0), "OK");
	assert_string_equal(sy_err_name(-SY_E_MAX), "E?");
	assert_string_equal(sy_err_str(-SY_E_BASE), "unknown error");
	/* every project code has a distinct, non-empty name and message */
	for (int e = SY_E_BASE + 1; e < SY_E_MAX; e++) {
		assert_true(strncmp(sy_err_name(-e), "SY_E_", 5) == 0);
		assert_true(strlen(sy_err_str(-e)) > 5);
		for (int o = e + 1; o < SY_E_MAX; o++)
			assert_string_not_equal(sy_err_name(-e), sy_err_name(-o));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
