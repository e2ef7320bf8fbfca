/* SPDX-License-Identifier: Apache-2.0 */
/* Rate-sheet CSV front end: BOM, CRLF, quoting, header order, locations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc.h"

static int parse(const char *text, struct rc_rates *r, rc_error_t *err)
{
	memset(r, 0, sizeof(*r));
	rc_err_clear(err);
	return rc_csv_parse("t.csv", text, strlen(text), r, err);
}

static void test_csv_bom_crlf(void **state)
{
	struct rc_rates r;
	rc_error_t err;

	(void)state;
	assert_int_equal(parse("\xEF\xBB\xBFsponsor,mcc,mnc,price,currency,unit\r\n"
			       "Partner Y,297,01,0.41,EUR,GB\r\n"
			       "Partner Y,302,777,2.41,USD,GB\r\n",
			       &r, &err),
			 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].sponsor, "Partner Y");
	assert_int_equal(r.v[0].plmn.mcc, 297);
	assert_int_equal(r.v[0].plmn.mnc, 1);
	assert_int_equal(r.v[0].plmn.mnc_digits, 2);
	assert_true(r.v[0].price == 410000);
	assert_int_equal(r.v[1].plmn.mnc_digits, 3);
	assert_string_equal(r.v[1].currency, "USD");
	assert_int_equal(r.v[1].line, 3);
	rc_rates_free(&r);
}

static void test_csv_quotes_order_mb(void **state)
{
	struct rc_rates r;
	rc_error_t err;

	(void)state;
	assert_int_equal(parse("UNIT, Price ,currency,MNC,mcc,sponsor\n"
			       "\n"
			       "MB,0.002,EUR,01,262,\"Own, \"\"the\"\" MNO\"\n",
			       &r, &err),
			 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].sponsor, "Own, \"the\" MNO");
	assert_int_equal(r.v[0].unit, RC_UNIT_MB);
	assert_true(r.v[0].per_gb == 2048000); /* 0.002 x 1024 */
	assert_int_equal(r.v[0].line, 3);
	rc_rates_free(&r);
}

struct bad {
	const char *csv;
	const char *error;
};

static void test_csv_errors(void **state)
{
	static const struct bad cases[] = {
	    {"", "t.csv:1:1: empty file"},
	    {"sponsor,mcc,mnc,price,currency\n", "t.csv:1:1: header lacks the column 'unit'"},
	    {"sponsor,mcc,mnc,price,currency,unit,mcc\n", "t.csv:1:37: column 'mcc' appears twice"},
	    {"sponsor,mcc,mnc,price,currency,unit\n\nOwn,262,01,0.5,EUR\n",
	     "t.csv:3:1: 5 fields, the header has 6"},
	    {"sponsor,mcc,mnc,price,currency,unit\nOwn,262,01,0.5,EUR,GB,x\n",
	     "t.csv:2:23: 7 fields, the header has 6"},
	    {"sponsor,mcc,mnc,price,currency,unit\nOwn,262,01,\"0,5\",EUR,GB\n",
	     "t.csv:2:12: price '0,5' uses a decimal comma"},
	    {"sponsor,mcc,mnc,price,currency,unit\nOwn,262,01,0.5,eur,GB\n",
	     "t.csv:2:16: unknown currency 'eur'"},
	    {"sponsor,mcc,mnc,price,currency,unit\nOwn,262,01,0.5,EUR,gb\n",
	     "t.csv:2:20: unit 'gb' must be GB or MB"},
	    {"sponsor,mcc,mnc,price,currency,unit\n,262,01,0.5,EUR,GB\n",
	     "t.csv:2:1: empty sponsor"},
	    {"sponsor,mcc,mnc,price,currency,unit\nO\"wn,262,01,0.5,EUR,GB\n",
	     "t.csv:2:2: malformed field (a quote inside an unquoted field"},
	    {"sponsor,mcc,mnc,price,currency,unit\n\"Own\"x,262,01,0.5,EUR,GB\n",
	     "t.csv:2:6: malformed field"},
	    {"sponsor,mcc,mnc,price,currency,unit\nOwn,262,01,0.5,EUR,GB\nOwn,262,1,0.5,EUR,GB\n",
	     "t.csv:3:9: MNC '1' must be 2 or 3 digits"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < MI_ARRAY_SIZE(cases); i++) {
		struct rc_rates r;
		rc_error_t err;

		assert_int_equal(parse(cases[i].csv, &r, &err), -1);
		if (strncmp(err.text, cases[i].error, strlen(cases[i].error)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.text, cases[i].error);
		rc_rates_free(&r);
	}
}

/* RFC 4180 §2: a quoted field may hold a line end (a spreadsheet's note in a
 * sponsor name); the next row's errors still name their own line. */
static void test_csv_quoted_line_end(void **state)
{
	struct rc_rates r;
	rc_error_t err;

	(void)state;
	assert_int_equal(parse("sponsor,mcc,mnc,price,currency,unit\r\n"
			       "\"Own\r\nMNO\",262,01,0.5,EUR,GB\r\n",
			       &r, &err),
			 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].sponsor, "Own\r\nMNO");
	rc_rates_free(&r);
	assert_int_equal(parse("sponsor,mcc,mnc,price,currency,unit\n"
			       "\"Own\nMNO\",262,01,0.5,EUR,GB\n"
			       "Own,262,1,0.5,EUR,GB\n",
			       &r, &err),
			 -1);
	assert_string_equal(err.text,
			    "t.csv:4:9: MNC '1' must be 2 or 3 digits, or '*' for every network of the MCC");
	rc_rates_free(&r);
}

static void test_csv_nul_and_long(void **state)
{
	static const char nul[] = "sponsor,mcc,mnc,price,currency,unit\nO\0wn,262,01,0.5,EUR,GB\n";
	char big[400];
	struct rc_rates r;
	rc_error_t err;

	(void)state;
	memset(&r, 0, sizeof(r));
	rc_err_clear(&err);
	assert_int_equal(rc_csv_parse("t.csv", nul, sizeof(nul) - 1, &r, &err), -1);
	assert_string_equal(err.text, "t.csv:2:1: NUL byte in a text file");
	rc_rates_free(&r);
	memset(big, 'x', sizeof(big));
	memcpy(big, "sponsor,mcc,mnc,price,currency,unit\n", 36);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &r, &err), -1);
	assert_non_null(strstr(err.text, "field longer than"));
	rc_rates_free(&r);
}

static void test_error_first_wins(void **state)
{
	rc_error_t err;

	(void)state;
	rc_err_clear(&err);
	assert_false(rc_err_isset(&err));
	rc_err_at(&err, "a.csv", 2, 3, "first %d", 1);
	rc_err_path(&err, "p.json", "$.x", "second");
	rc_err_msg(&err, "third");
	assert_string_equal(err.text, "a.csv:2:3: first 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_bom_crlf),     cmocka_unit_test(test_csv_quotes_order_mb),
	    cmocka_unit_test(test_csv_errors),	     cmocka_unit_test(test_csv_nul_and_long),
	    cmocka_unit_test(test_csv_quoted_line_end), cmocka_unit_test(test_error_first_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
