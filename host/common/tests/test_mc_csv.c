/* SPDX-License-Identifier: Apache-2.0 */
/* mc_csv: RFC 4180 quoting, line ends, BOM, comments, positions and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mc_csv.h"

#define ROWS_MAX 8
#define FIELDS_MAX 8

struct got {
	size_t n_rows;
	size_t n[ROWS_MAX];
	char text[ROWS_MAX][FIELDS_MAX][64];
	long line[ROWS_MAX][FIELDS_MAX], col[ROWS_MAX][FIELDS_MAX];
	int stop_at; /* row index that the callback refuses, -1 none */
};

static int collect(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err)
{
	struct got *g = ctx;
	size_t i, r = g->n_rows;

	if ((int)row->index == g->stop_at) {
		mc_csv_err_field(err, row, 1, "bad value");
		return 7;
	}
	assert_true(r < ROWS_MAX);
	g->n[r] = row->n;
	for (i = 0; i < row->n && i < FIELDS_MAX; i++) {
		snprintf(g->text[r][i], sizeof(g->text[r][i]), "%s", row->field[i]);
		g->line[r][i] = row->line[i];
		g->col[r][i] = row->col[i];
	}
	g->n_rows++;
	return 0;
}

static int parse(const char *s, struct got *g, struct mc_csv_err *e, int comments)
{
	struct mc_csv_opts o = {0};

	memset(g, 0, sizeof(*g));
	g->stop_at = -1;
	o.comments = comments;
	return mc_csv_read_mem("t.csv", s, strlen(s), &o, collect, g, e);
}

static void test_quotes_and_newlines(void **state)
{
	struct got g;
	struct mc_csv_err e;
	const char *s = "imsi,k\r\n\"21377\"\"0\",\"a,b\"\r\n\"multi\nline\",x\n";

	(void)state;
	assert_int_equal(parse(s, &g, &e, 0), 0);
	assert_int_equal(g.n_rows, 3);
	assert_string_equal(g.text[1][0], "21377\"0");
	assert_string_equal(g.text[1][1], "a,b");
	assert_string_equal(g.text[2][0], "multi\nline");
	assert_string_equal(g.text[2][1], "x");
	/* the field after an embedded newline starts on line 4 */
	assert_int_equal(g.line[2][0], 3);
	assert_int_equal(g.line[2][1], 4);
	assert_int_equal(g.col[2][1], 7);
	assert_int_equal(g.col[1][1], 12);
}

static void test_bom_blank_comments(void **state)
{
	struct got g;
	struct mc_csv_err e;
	const char *s = "\xEF\xBB\xBFimsi\n\n# a comment, with a comma\n  \n262011\n";

	(void)state;
	assert_int_equal(parse(s, &g, &e, 1), 0);
	assert_int_equal(g.n_rows, 2);
	assert_string_equal(g.text[0][0], "imsi");
	assert_int_equal(g.col[0][0], 1);
	assert_string_equal(g.text[1][0], "262011");
	assert_int_equal(g.line[1][0], 5);
	/* without comments the '#' line is a row of two fields */
	assert_int_equal(parse(s, &g, &e, 0), 0);
	assert_int_equal(g.n_rows, 3);
	assert_int_equal(g.n[1], 2);
}

static void test_utf8_columns_and_no_final_newline(void **state)
{
	struct got g;
	struct mc_csv_err e;

	(void)state;
	assert_int_equal(parse("Zürich,x\nÅ,\"y\"", &g, &e, 0), 0);
	assert_int_equal(g.n_rows, 2);
	assert_int_equal(g.col[0][1], 8);
	assert_int_equal(g.col[1][1], 3);
	assert_string_equal(g.text[1][1], "y");
}

static void test_errors_name_the_place(void **state)
{
	struct got g;
	struct mc_csv_err e;

	(void)state;
	assert_int_equal(parse("a,b\nab\"c,d\n", &g, &e, 0), -1);
	assert_string_equal(e.text, "t.csv:2:3: malformed field (a quote inside an unquoted field, "
				    "or text after a closing quote: quote the field and double its "
				    "quotes)");
	assert_int_equal(parse("a,b\n1,\"open\n", &g, &e, 0), -1);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 3);
	assert_non_null(strstr(e.text, "unterminated"));
	/* the callback's own error keeps its field's place and value */
	memset(&g, 0, sizeof(g));
	g.stop_at = 1;
	assert_int_equal(mc_csv_read_mem("t.csv", "h1,h2\n1,  22\n", 13, NULL, collect, &g, &e), 7);
	assert_string_equal(e.text, "t.csv:2:5: bad value");
}

static void test_header_lookup_and_limits(void **state)
{
	struct got g;
	struct mc_csv_err e;
	struct mc_csv_opts o = {0};
	char *f[] = {"IMSI", "k", "OPc"};
	size_t len[] = {4, 1, 3};
	long pos[] = {1, 6, 8};
	struct mc_csv_row h = {"x", 0, 3, f, len, pos, pos};

	(void)state;
	assert_int_equal(mc_csv_column(&h, "imsi"), 0);
	assert_int_equal(mc_csv_column(&h, "opc"), 2);
	assert_int_equal(mc_csv_column(&h, "ki"), -1);
	o.max_fields = 2;
	memset(&g, 0, sizeof(g));
	g.stop_at = -1;
	assert_int_equal(mc_csv_read_mem("t.csv", "a,b,c\n", 6, &o, collect, &g, &e), -1);
	assert_non_null(strstr(e.text, "t.csv:1:"));
	assert_int_equal(mc_csv_read_file("/nonexistent/x.csv", NULL, collect, &g, &e), -1);
	assert_non_null(strstr(e.text, "/nonexistent/x.csv: cannot open"));
}

static int count_rows(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err)
{
	size_t i;

	(void)err;
	/* every field has a place inside the input */
	for (i = 0; i < row->n; i++)
		if (row->line[i] < 1 || row->col[i] < 1 || strlen(row->field[i]) > row->len[i])
			return 9;
	(*(size_t *)ctx)++;
	return 0;
}

/* Random bytes from the CSV alphabet: the reader returns 0 or -1, never
 * anything else, and every error is placed in the file. */
static void test_random_input(void **state)
{
	static const char alphabet[] = "ab,\"\r\n #\xC3\xA9";
	char buf[64];
	unsigned seed = 12345;
	int i, j, rc;

	(void)state;
	for (i = 0; i < 5000; i++) {
		struct mc_csv_err e;
		struct mc_csv_opts o = {0};
		size_t rows = 0, n = (size_t)(i % 63);

		for (j = 0; j < (int)n; j++) {
			seed = seed * 1103515245u + 12345u;
			buf[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		o.comments = i & 1;
		rc = mc_csv_read_mem("r.csv", buf, n, &o, count_rows, &rows, &e);
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_int_equal(strncmp(e.text, "r.csv:", 6), 0);
		else
			assert_string_equal(e.text, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quotes_and_newlines),
	    cmocka_unit_test(test_bom_blank_comments),
	    cmocka_unit_test(test_utf8_columns_and_no_final_newline),
	    cmocka_unit_test(test_errors_name_the_place),
	    cmocka_unit_test(test_header_lookup_and_limits),
	    cmocka_unit_test(test_random_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
