/* SPDX-License-Identifier: Apache-2.0 */
/* mc_ids: digit strings, IMSI and ICCID lengths, the Luhn check digit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mc_ids.h"

static void test_luhn(void **state)
{
	(void)state;
	/* ISO/IEC 7812-1 Annex B example and ICCIDs of real cards' layout */
	assert_int_equal(mc_luhn_digit("7992739871"), 3);
	assert_int_equal(mc_luhn_digit("8949102620100001234"), 3);
	assert_int_equal(mc_luhn_digit("0"), 0);
	assert_int_equal(mc_luhn_digit("9"), 1);
	assert_int_equal(mc_luhn_digit(""), -1);
	assert_int_equal(mc_luhn_digit("89x1"), -1);
	/* E.118's 21-digit example is Luhn-valid (one digit too long for EF_ICCID) */
	assert_true(mc_luhn_ok("894910262010000012345"));
	assert_true(mc_luhn_ok("89491026201000012343"));
	assert_false(mc_luhn_ok("89491026201000012344"));
	assert_false(mc_luhn_ok("8949102620100001234x"));
	assert_false(mc_luhn_ok("8"));
	assert_false(mc_luhn_ok(""));
	/* a swap of two neighbours is caught (the point of the check digit) */
	assert_false(mc_luhn_ok("89491026201000012433"));
}

static void test_digits(void **state)
{
	(void)state;
	assert_true(mc_is_digits("262019000000000", 6, 15));
	assert_false(mc_is_digits("2620190000000001", 6, 15));
	assert_false(mc_is_digits("26201", 6, 15));
	assert_false(mc_is_digits("26201a", 6, 15));
	assert_false(mc_is_digits("262 01", 1, 15));
	assert_false(mc_is_digits("-26201", 1, 15));
	assert_true(mc_is_digits("", 0, 3));
}

static void test_imsi_iccid(void **state)
{
	(void)state;
	assert_true(mc_imsi_ok("262011234567890"));
	assert_true(mc_imsi_ok("262011"));
	assert_false(mc_imsi_ok("26201"));
	assert_false(mc_imsi_ok("2620112345678901"));
	assert_false(mc_imsi_ok("26201123456789O")); /* letter O */
	assert_true(mc_iccid_ok("89491026201000012343"));
	assert_true(mc_iccid_ok("894910262010000123"));
	assert_false(mc_iccid_ok("89491026201000012"));
	assert_false(mc_iccid_ok("894910262010000012345"));
	assert_false(mc_iccid_ok("8949102620100001234F"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_luhn),
	    cmocka_unit_test(test_digits),
	    cmocka_unit_test(test_imsi_iccid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
