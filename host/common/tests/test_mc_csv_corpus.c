/* SPDX-License-Identifier: Apache-2.0 */
/* The CSV reader's fuzz target (fuzz/fuzz_csv.c) replayed over its seed
 * corpus fuzz/corpus/csv/ with the normal compiler, so `make check` runs its
 * properties without clang; and the seeds' source files under
 * test-vectors/csv/ read as they should. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../../fuzz/fuzz_csv.c"
#include "../../../fuzz/fuzz_replay.h"

#define CORPUS "fuzz/corpus/csv"

static void test_corpus(void **state)
{
	static uint8_t buf[4098];

	(void)state;
	assert_true(fuzz_replay_dir(CORPUS, buf, sizeof(buf)) >= 30);
}

struct count {
	size_t rows, fields;
	char last[64];
};

static int count_row(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err)
{
	struct count *c = ctx;

	(void)err;
	c->rows++;
	c->fields += row->n;
	snprintf(c->last, sizeof(c->last), "%s", row->field[0]);
	return 0;
}

static int read_vec(const char *name, int comments, unsigned char delim, struct count *c,
		    struct mc_csv_err *err)
{
	struct mc_csv_opts o = {0};
	char path[128];

	o.comments = comments;
	o.delim = delim;
	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "test-vectors/csv/%s", name);
	return mc_csv_read_file(path, &o, count_row, c, err);
}

/* What each seed file is for: read whole, or refused at its place. */
static void test_seed_files(void **state)
{
	struct mc_csv_err err;
	struct count c;

	(void)state;
	assert_int_equal(read_vec("loader-batch.csv", 0, 0, &c, &err), 0);
	assert_int_equal(c.rows, 3);
	assert_int_equal(c.fields, 18);
	assert_int_equal(read_vec("stock-import.csv", 0, 0, &c, &err), 0);
	assert_int_equal(c.rows, 3);
	/* BOM, CRLF, a quoted comma, doubled quotes and a quoted line end */
	assert_int_equal(read_vec("quoted-bom-crlf.csv", 0, 0, &c, &err), 0);
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.fields, 24);
	assert_int_equal(read_vec("comments-semicolon.csv", 1, ';', &c, &err), 0);
	assert_int_equal(c.rows, 3);
	assert_string_equal(c.last, "Own");
	assert_int_equal(read_vec("unterminated.csv", 0, 0, &c, &err), -1);
	assert_non_null(strstr(err.text, "unterminated.csv:1:3: unterminated quoted field"));
	assert_int_equal(read_vec("quote-in-field.csv", 0, 0, &c, &err), -1);
	assert_non_null(strstr(err.text, "quote-in-field.csv:1:4: malformed field"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_seed_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
