/* SPDX-License-Identifier: Apache-2.0 */
/* APDU scripts from test-vectors/apdu/ on a fresh default card: file
 * system, channels, TS 102 222 administration, PINs, AUTHENTICATE, the CAT
 * session, and malformed APDUs that must change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "sim_test_util.h"

static void run(const char *name)
{
	char path[256];
	struct sim_card *c = sim_card_new_default();
	unsigned checked = 0;
	int failed;

	assert_non_null(c);
	assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
	snprintf(path, sizeof(path), "test-vectors/apdu/%s.apdu", name);
	failed = st_run_script(c, path, &checked);
	printf("%s: %u APDUs checked, %d failed\n", path, checked, failed);
	sim_card_free(c);
	assert_int_equal(failed, 0);
	assert_true(checked >= 10);
}

static void test_fs(void **s) { (void)s; run("fs"); }
static void test_channel(void **s) { (void)s; run("channel"); }
static void test_admin(void **s) { (void)s; run("admin"); }
static void test_pin(void **s) { (void)s; run("pin"); }
static void test_auth(void **s) { (void)s; run("auth"); }
static void test_cat(void **s) { (void)s; run("cat"); }
static void test_malformed(void **s) { (void)s; run("malformed"); }
/* pySim-read.py's reads, replayed: it runs to the end on the default card */
static void test_pysim_read(void **s) { (void)s; run("pysim-read"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs),    cmocka_unit_test(test_channel), cmocka_unit_test(test_admin),
		cmocka_unit_test(test_pin),   cmocka_unit_test(test_auth),    cmocka_unit_test(test_cat),
		cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_pysim_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
