/* SPDX-License-Identifier: Apache-2.0 */
/* MCC-MNC and --at dates (the digit and Luhn checks: host/common/tests/test_mc_ids.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "st.h"

static void test_plmn(void **state)
{
	char mcc[4], mnc[4];

	(void)state;
	assert_int_equal(st_plmn_parse("213-77", mcc, mnc), 0);
	assert_string_equal(mcc, "213");
	assert_string_equal(mnc, "77");
	assert_int_equal(st_plmn_parse("302-777", mcc, mnc), 0);
	assert_string_equal(mnc, "777");
	assert_int_equal(st_plmn_parse("21377", mcc, mnc), -1);
	assert_int_equal(st_plmn_parse("213-7", mcc, mnc), -1);
	assert_int_equal(st_plmn_parse("213-7777", mcc, mnc), -1);
	assert_int_equal(st_plmn_parse("2a3-77", mcc, mnc), -1);
}

static void test_time(void **state)
{
	int64_t t;
	char buf[32];

	(void)state;
	assert_int_equal(st_time_parse("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(st_time_parse("2026-04-30", &t), 0);
	assert_int_equal(t, 1777507200);
	/* 180 days later: the end of Partner X's hold in use case 1.10 */
	st_time_format(t + 180 * 86400, buf, sizeof(buf));
	assert_string_equal(buf, "2026-10-27T00:00:00Z");
	assert_int_equal(st_time_parse("2028-02-29T23:59:59Z", &t), 0);
	st_time_format(t, buf, sizeof(buf));
	assert_string_equal(buf, "2028-02-29T23:59:59Z");
	assert_int_equal(st_time_parse("2026-03-15T12:00", &t), 0);
	assert_int_equal(t % 86400, 12 * 3600);
	assert_int_equal(st_time_parse("2027-02-29", &t), -1);
	assert_int_equal(st_time_parse("2026-13-01", &t), -1);
	assert_int_equal(st_time_parse("2026-01-01T25:00", &t), -1);
	assert_int_equal(st_time_parse("2026-01-01X", &t), -1);
	assert_int_equal(st_time_parse("yesterday", &t), -1);
	assert_int_equal(st_time_parse("now", &t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plmn),
	    cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
