/* SPDX-License-Identifier: Apache-2.0 */
/* Journey files: every shipped journey loads; every bad one fails with the
 * error (JSON path included) kept next to it in a .err file. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenario/sim_journey.h"

#define DIR_OK "test-vectors/scenarios"
#define DIR_BAD "test-vectors/scenarios/invalid"

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a > b && strcmp(s + a - b, suf) == 0;
}

static void test_shipped_journeys_load(void **state)
{
	DIR *d = opendir(DIR_OK);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct sim_journey j;
		char path[512], err[512];

		if (!has_suffix(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", DIR_OK, e->d_name);
		if (sim_journey_load(path, &j, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_true(j.n_tl > 0);
		assert_true(j.duration > 0);
		sim_journey_free(&j);
		n++;
	}
	closedir(d);
	assert_true(n >= 10);
}

static void test_bad_journeys_name_their_path(void **state)
{
	DIR *d = opendir(DIR_BAD);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct sim_journey j;
		char path[512], errp[512], err[512], want[256] = "";
		FILE *f;

		if (!has_suffix(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", DIR_BAD, e->d_name);
		snprintf(errp, sizeof(errp), "%.*s.err", (int)(strlen(path) - 5), path);
		f = fopen(errp, "r");
		assert_non_null(f);
		assert_non_null(fgets(want, sizeof(want), f));
		fclose(f);
		want[strcspn(want, "\n")] = 0;
		assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
		if (!strstr(err, want))
			fail_msg("%s: got \"%s\", want \"%s\"", path, err, want);
		/* the file name leads the message */
		assert_true(strncmp(err, path, strlen(path)) == 0);
		n++;
	}
	closedir(d);
	assert_true(n >= 15);
}

static void test_durations(void **state)
{
	sim_time_t t = 0;

	(void)state;
	assert_int_equal(sim_parse_duration("90", &t), 0);
	assert_int_equal(t, 90);
	assert_int_equal(sim_parse_duration("15m", &t), 0);
	assert_int_equal(t, 900);
	assert_int_equal(sim_parse_duration("1d6h30m5s", &t), 0);
	assert_int_equal(t, 86400 + 6 * 3600 + 1800 + 5);
	assert_int_equal(sim_parse_duration("", &t), -1);
	assert_int_equal(sim_parse_duration("h", &t), -1);
	assert_int_equal(sim_parse_duration("2w", &t), -1);
	assert_int_equal(sim_parse_duration("1 h", &t), -1);
}

static void test_missing_file(void **state)
{
	struct sim_journey j;
	char err[512];

	(void)state;
	assert_int_equal(sim_journey_load("test-vectors/scenarios/none.json", &j, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "none.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_journeys_load),
	    cmocka_unit_test(test_bad_journeys_name_their_path),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
