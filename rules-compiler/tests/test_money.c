/* SPDX-License-Identifier: Apache-2.0 */
/* Exact money: parse and convert, driven by test-vectors/rules/money.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc.h"

#define MONEY_VECTORS "test-vectors/rules/money.txt"

static void test_money_vectors(void **state)
{
	FILE *f = fopen(MONEY_VECTORS, "r");
	char line[256];
	int n_parse = 0, n_conv = 0, lineno = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char op[16], a[64], b[64], c[64], why[160];
		int64_t got = -1;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%15s %63s %63s %63s", op, a, b, c) < 3)
			fail_msg("%s:%d: bad line", MONEY_VECTORS, lineno);
		if (strcmp(op, "parse") == 0) {
			int rc = rc_money_parse(a, &got, why, sizeof(why));

			if (b[0] == '!') {
				if (rc != -1 || !strstr(why, b + 1))
					fail_msg("%s:%d: '%s' accepted or wrong message '%s'",
						 MONEY_VECTORS, lineno, a, why);
			} else if (rc != 0 || got != strtoll(b, NULL, 10)) {
				fail_msg("%s:%d: '%s' -> %lld", MONEY_VECTORS, lineno, a,
					 (long long)got);
			}
			n_parse++;
		} else if (strcmp(op, "convert") == 0) {
			int rc = rc_money_convert(strtoll(a, NULL, 10), strtoll(b, NULL, 10), &got);

			if (strcmp(c, "overflow") == 0)
				assert_int_equal(rc, -1);
			else if (rc != 0 || got != strtoll(c, NULL, 10))
				fail_msg("%s:%d: convert -> %lld", MONEY_VECTORS, lineno,
					 (long long)got);
			n_conv++;
		} else {
			fail_msg("%s:%d: unknown op %s", MONEY_VECTORS, lineno, op);
		}
	}
	fclose(f);
	assert_true(n_parse >= 15);
	assert_true(n_conv >= 8);
}

static void test_money_format(void **state)
{
	char b[40];

	(void)state;
	rc_money_format(1010000, b, sizeof(b));
	assert_string_equal(b, "1.01");
	rc_money_format(1113200, b, sizeof(b));
	assert_string_equal(b, "1.1132");
	rc_money_format(0, b, sizeof(b));
	assert_string_equal(b, "0.00");
	rc_money_format(1, b, sizeof(b));
	assert_string_equal(b, "0.000001");
	rc_money_format(-2500000, b, sizeof(b));
	assert_string_equal(b, "-2.50");
}

/* Every parse/format pair round-trips exactly over a sweep of values. */
static void test_money_roundtrip(void **state)
{
	int64_t v, got;
	char b[40], why[160];

	(void)state;
	for (v = 0; v < 3000000; v += 997) {
		rc_money_format(v, b, sizeof(b));
		assert_int_equal(rc_money_parse(b, &got, why, sizeof(why)), 0);
		assert_true(got == v);
	}
}

static void test_money_convert_rejects(void **state)
{
	int64_t out = 7;

	(void)state;
	assert_int_equal(rc_money_convert(-1, RC_SCALE, &out), -1);
	assert_int_equal(rc_money_convert(1, -1, &out), -1);
	assert_int_equal(rc_money_convert(RC_MONEY_MAX + 1, 1, &out), -1);
	assert_true(out == 7); /* untouched on error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_money_vectors),
	    cmocka_unit_test(test_money_format),
	    cmocka_unit_test(test_money_roundtrip),
	    cmocka_unit_test(test_money_convert_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
