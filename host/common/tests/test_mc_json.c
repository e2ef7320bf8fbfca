/* SPDX-License-Identifier: Apache-2.0 */
/* mc_json: one wording per mistake, the JSON path first, never a value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mc_json.h"

static const char *const keys[] = {"n", "s", "b", "h", "x", NULL};

/* Run one getter on {"<key>": <value>} and \returns the error text. */
static int one(const char *doc, char *err, size_t cap)
{
	struct mc_json j;
	json_error_t je;
	json_t *o = json_loads(doc, 0, &je);
	long n = -1;
	int b = -1, rc = 0;
	size_t len = 0;
	uint8_t hex[4];

	assert_non_null(o);
	mc_json_init(&j, "f.json", err, cap);
	if (mc_json_keys(&j, "$", o, keys) < 0)
		rc = -1;
	if (rc == 0 && mc_json_int(&j, "$", o, "n", &n, 1, 10, 0) < 0)
		rc = -1;
	if (rc == 0 && !mc_json_str(&j, "$", o, "s", 5, 0) && mc_json_failed(&j))
		rc = -1;
	if (rc == 0 && mc_json_bool(&j, "$", o, "b", &b, 0) < 0)
		rc = -1;
	if (rc == 0 && mc_json_hex(&j, "$", o, "h", hex, 2, 4, &len, 0) < 0)
		rc = -1;
	json_decref(o);
	return rc;
}

static void expect(const char *doc, const char *want)
{
	char err[256];

	assert_int_equal(one(doc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void test_good_values(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(one("{\"n\": 3, \"s\": \"abcd\", \"b\": true, \"h\": \"0aFf\"}", err,
			     sizeof(err)),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(one("{}", err, sizeof(err)), 0); /* all optional */
}

static void test_one_wording_per_mistake(void **state)
{
	(void)state;
	expect("{\"colour\": 1}", "f.json: $.colour: unknown key");
	expect("{\"n\": \"3\"}", "f.json: $.n: must be an integer");
	expect("{\"n\": 11}", "f.json: $.n: must be in 1..10");
	expect("{\"s\": 5}", "f.json: $.s: must be a string");
	expect("{\"s\": \"abcde\"}", "f.json: $.s: longer than 4 characters");
	expect("{\"s\": \"a\\u001bb\"}", "f.json: $.s: contains a control character");
	expect("{\"b\": 1}", "f.json: $.b: must be true or false");
	expect("{\"h\": \"0a\"}", "f.json: $.h: must be 2..4 bytes of hex");
	expect("{\"h\": \"0aXz\"}", "f.json: $.h: not hex at character 2");
}

static void test_missing_and_paths(void **state)
{
	struct mc_json j;
	char err[128], p[MC_JSON_PATH_MAX];
	json_t *o = json_object();
	long n;

	(void)state;
	mc_json_init(&j, "f.json", err, sizeof(err));
	mc_json_path_index(p, sizeof(p), "slots", 2);
	assert_int_equal(mc_json_int(&j, p, o, "index", &n, 0, 1, 1), -1);
	assert_string_equal(err, "f.json: slots[2].index: missing");
	/* the first error wins */
	assert_int_equal(mc_json_fail(&j, "", "later"), -1);
	assert_string_equal(err, "f.json: slots[2].index: missing");
	json_decref(o);
}

/* A key name with an escape sequence is escaped; a bad value is never quoted,
 * not even the token jansson names after a syntax error. */
static void test_never_a_value(void **state)
{
	char err[256], path[] = "/tmp/mc-json.XXXXXX";
	struct mc_json j;
	int fd;

	(void)state;
	expect("{\"\\u001b[2J\": 1}", "f.json: $.\\x1B[2J: unknown key");
	expect("{\"n\": 12345678}", "f.json: $.n: must be in 1..10");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"adm\": \"8765432X}\n", 19), 19);
	close(fd);
	mc_json_init(&j, path, err, sizeof(err));
	assert_null(mc_json_load_file(&j, path));
	unlink(path);
	assert_non_null(strstr(err, ":1:"));
	assert_null(strstr(err, "8765432"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_values),
	    cmocka_unit_test(test_one_wording_per_mistake),
	    cmocka_unit_test(test_missing_and_paths),
	    cmocka_unit_test(test_never_a_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
