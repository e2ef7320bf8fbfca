/* SPDX-License-Identifier: Apache-2.0 */
/* Fast failover end to end, modem and card speaking APDUs: each cause class, the
 * storm of rejections (no IMSI spinning), and the four modes compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenario/sim_modes.h"

#define CAUSES "test-vectors/scenarios/failover-causes.json"
#define STORM "test-vectors/scenarios/failover-storm.json"

static void run(const char *file, int mode, struct sim_run_result *r)
{
	struct sim_journey j;
	char err[512];

	if (sim_journey_load(file, &j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (sim_run_mode(&j, mode, r, err, sizeof(err)) != 0)
		fail_msg("%s: %s", sim_mode_names[mode], err);
	sim_journey_free(&j);
}

/* #13 switches at once (one switch, within seconds); #22 and #17 do not. */
static void test_causes_capable(void **state)
{
	struct sim_run_result r;

	(void)state;
	run(CAUSES, SIM_MODE_FAST, &r);
	assert_int_equal(r.n_exp_failed, 0);
	assert_int_equal(r.m.switches, 1);
	assert_int_equal(r.m.rejects, 6); /* #13, #22, 4 x #17 */
	assert_int_equal(r.m.reject_events, 6);
	assert_true(r.m.tts_max <= 10);
	assert_false(r.m.unrecovered);
	sim_run_result_free(&r);
}

/* Without the event the card learns nothing of the rejects and waits for
 * its rotation timer (180 s): slower, same end state. */
static void test_causes_incapable(void **state)
{
	struct sim_run_result r;

	(void)state;
	run(CAUSES, SIM_MODE_FAST_NOCAP, &r);
	assert_int_equal(r.n_exp_failed, 0);
	assert_int_equal(r.m.reject_events, 0);
	assert_true(r.m.rejects >= 6);
	assert_true(r.m.tts_max >= 180);
	assert_int_equal(r.m.switches, 1);
	sim_run_result_free(&r);
}

/* Storm: about one reject every 15 s for 6 h, each reported; the card
 * switches no more than the rotation backstop plus failover_max_per_hour
 * (6) an hour, and not more than rules-driven rotation would plus that. */
static void test_storm_no_spinning(void **state)
{
	struct sim_run_result fast, rules;
	const unsigned long hours = 6, cap = 6;

	(void)state;
	run(STORM, SIM_MODE_FAST, &fast);
	run(STORM, SIM_MODE_RULES, &rules);
	assert_int_equal(fast.n_exp_failed, 0);
	assert_true(fast.m.reject_events >= 1000);
	assert_int_equal(fast.m.reject_events, fast.m.rejects);
	assert_int_equal(rules.m.reject_events, 0);
	assert_true(rules.m.switches >= 100); /* the backstop: every 180 s */
	assert_true(fast.m.switches <= rules.m.switches + hours * cap);
	assert_true(fast.m.switches <= hours * 3600 / 180 + hours * cap);
	/* far fewer switches than events: one per attach attempt at most */
	assert_true(fast.m.switches * 10 < fast.m.reject_events);
	assert_false(fast.m.unrecovered);
	sim_run_result_free(&fast);
	sim_run_result_free(&rules);
}

/* Fast failover targets on the causes journey: failover p95 <= 60 s; incapable
 * no worse than rules; naive runs too. */
static void test_modes_targets(void **state)
{
	struct sim_run_result r[SIM_MODES];
	int k;

	(void)state;
	for (k = 0; k < SIM_MODES; k++)
		run(CAUSES, k, &r[k]);
	assert_true(r[SIM_MODE_FAST].m.tts_p95 <= 60);
	assert_true(r[SIM_MODE_FAST_NOCAP].m.tts_p95 <= r[SIM_MODE_RULES].m.tts_p95);
	assert_true(r[SIM_MODE_FAST].m.tts_p95 < r[SIM_MODE_RULES].m.tts_p95);
	for (k = 0; k < SIM_MODES; k++)
		sim_run_result_free(&r[k]);
	assert_string_equal(sim_mode_names[SIM_MODE_FAST_NOCAP], "failover-nocap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_causes_capable),
	    cmocka_unit_test(test_causes_incapable),
	    cmocka_unit_test(test_storm_no_spinning),
	    cmocka_unit_test(test_modes_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
