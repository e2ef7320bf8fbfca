/* SPDX-License-Identifier: Apache-2.0 */
/* Journey files: every shipped journey loads; every bad one fails with the
 * error (JSON path included) kept next to it in a .err file. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A typo must not become a journey that runs until killed. */
static void test_durations_bounded(void **state)
{
	sim_time_t t = 0;

	(void)state;
	assert_int_equal(sim_parse_duration("1d1d", &t), -1);
	assert_int_equal(sim_parse_duration("1h1d", &t), -1);
	assert_int_equal(sim_parse_duration("1h30", &t), -1);
	assert_int_equal(sim_parse_duration("36500d", &t), 0);
	assert_int_equal(t, SIM_DURATION_MAX);
	assert_int_equal(sim_parse_duration("36500d1s", &t), -1);
	assert_int_equal(sim_parse_duration("36501d", &t), -1);
	assert_int_equal(sim_parse_duration("9999999999d", &t), -1);
	assert_int_equal(sim_parse_duration("99999999999999999999", &t), -1);
	assert_int_equal(sim_parse_duration("3153600000", &t), 0);
	assert_int_equal(sim_parse_duration("3153600001", &t), -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* jansson's own message quotes the token near the error: an ADM typo would
 * be printed. Names with control bytes reach the terminal escaped. */
static void test_errors_quote_no_values(void **state)
{
	struct sim_journey j;
	char err[512], dir[] = "/tmp/mimsi-jerr.XXXXXX", path[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j.json", dir);
	write_file(path, "{\"name\": \"x\", \"card\": {\"adm\": \"8765432X}\n");
	assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
	assert_null(strstr(err, "8765432"));
	assert_non_null(strstr(err, "j.json:1:"));
	write_file(path, "{\"name\": \"x\", \"card\": {\"pin\": 4321x}}\n");
	assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
	assert_null(strstr(err, "4321"));
	write_file(path, "{\"name\": \"x\", \"\\u001b[2Jevil\": 1}\n");
	assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
	assert_null(strchr(err, 0x1B));
	assert_non_null(strstr(err, "\\x1B[2Jevil"));
	write_file(path, "{\"name\": \"\\u001b]0;pwned\\u0007\", \"card\": {}}\n");
	assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "name: contains a control character"));
	assert_null(strchr(err, 0x1B));
	remove(path);
	rmdir(dir);
}

/* Files a journey names are found beside it, then in $MIMSI_DATADIR, from
 * any current directory. */
static void test_paths_beside_journey_and_datadir(void **state)
{
	struct sim_journey j;
	char err[512], dir[] = "/tmp/mimsi-jpath.XXXXXX", path[4400], cwd[4096], data[4200];
	static const char body[] =
	    "{\"name\": \"p\", \"card\": {\"image\": \"default\", \"rules\": "
	    "\"rules/valid/andorra/expected\"}, \"world\": \"scenarios/worlds/europe-world.json\", "
	    "\"modem\": \"scenarios/modems/rel99.json\", \"duration\": \"1h\", "
	    "\"timeline\": [{\"at\": 0, \"country\": \"Germany\"}]}\n";

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j.json", dir);
	write_file(path, body);
	snprintf(data, sizeof(data), "%s/test-vectors", cwd);
	assert_int_equal(chdir("/"), 0);
	unsetenv("MIMSI_DATADIR");
	assert_int_equal(sim_journey_load(path, &j, err, sizeof(err)), -1);
	setenv("MIMSI_DATADIR", data, 1);
	if (sim_journey_load(path, &j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(strstr(j.rules, "/test-vectors/rules/valid/andorra/expected"));
	sim_journey_free(&j);
	/* beside the journey: a copy of the journey in the data tree */
	unsetenv("MIMSI_DATADIR");
	snprintf(path, sizeof(path), "%s/scenarios/munich-andorra.json", data);
	if (sim_journey_load(path, &j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	sim_journey_free(&j);
	assert_int_equal(chdir(cwd), 0);
	snprintf(path, sizeof(path), "%s/j.json", dir);
	remove(path);
	rmdir(dir);
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
	    cmocka_unit_test(test_durations_bounded),
	    cmocka_unit_test(test_errors_quote_no_values),
	    cmocka_unit_test(test_paths_beside_journey_and_datadir),
	    cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
