/* SPDX-License-Identifier: Apache-2.0 */
/* The network's answer to a registration (TS 24.008 §4.4.4.7, TS 24.301
 * §5.5.1.2.5): accepted, or a reject
 * cause per case. No agreement for the IMSI range -> the PLMN's cause, #11
 * or #13 (world data); a country that wants local IMSIs -> the same; a
 * congested or failing core -> #22 / #17 for everyone, temporary; a
 * sponsor's core down -> #17 for that sponsor's IMSIs only; an outage -> no
 * cell at all, so no reject. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "scenario/sim_journey.h"

#define CAUSES "test-vectors/scenarios/failover-causes.json"
#define OWN "262011234567890"
#define PX "213770000000001"
#define W "901280000000001"

static struct sim_journey j;

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (sim_journey_load(CAUSES, &j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_journey_free(&j);
	return 0;
}

static int plmn(const char *text)
{
	struct mi_plmn id;
	int i;

	assert_int_equal(mi_plmn_parse(text, (mi_u16)strlen(text), &id), MI_OK);
	i = sim_net_find_plmn(&j.net, &id);
	assert_true(i >= 0);
	return i;
}

/* Agreement: accepted, whatever the PLMN's no-agreement cause. */
static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("213-77"), PX), 0);
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("213-78"), PX), 0);
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("262-01"), OWN), 0);
}

/* No agreement: #13 where the world says so (213-77), #11 elsewhere. */
static void test_no_agreement_cause_per_network(void **state)
{
	(void)state;
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("213-77"), OWN),
			 SIM_CAUSE_ROAMING_NOT_ALLOWED);
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("213-78"), OWN),
			 SIM_CAUSE_PLMN_NOT_ALLOWED);
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("295-01"), W),
			 SIM_CAUSE_ROAMING_NOT_ALLOWED);
	/* no "reject_cause" in the world: #11 */
	assert_int_equal(j.net.plmns[plmn("262-01")].no_agreement_cause,
			 SIM_CAUSE_PLMN_NOT_ALLOWED);
}

/* A country that takes local IMSIs only refuses a foreign one with the
 * PLMN's cause even if an agreement is quoted. */
static void test_local_imsi_only(void **state)
{
	int de = plmn("262-01");

	(void)state;
	assert_true(j.net.countries[j.net.plmns[de].country].local_imsi_only);
	assert_int_equal(sim_net_reject_cause(&j.net, de, PX), SIM_CAUSE_PLMN_NOT_ALLOWED);
	/* quote one for W's range: still refused */
	strcpy(j.net.plmns[de].accept[1].prefix, "90128");
	j.net.plmns[de].n_accept = 2;
	assert_int_equal(sim_net_reject_cause(&j.net, de, W), SIM_CAUSE_PLMN_NOT_ALLOWED);
	j.net.plmns[de].n_accept = 1;
}

/* Congestion and network failure: every IMSI, agreement or not, and they
 * are the temporary class; #11/#13 are not. */
static void test_temporary_causes(void **state)
{
	int x = plmn("213-77");
	double cheapest;
	const char *imsis[1] = {PX};

	(void)state;
	j.net.country = sim_net_find_country(&j.net, "Andorra");
	cheapest = sim_net_cheapest(&j.net, imsis, 1);
	assert_true(cheapest > 1.0 && cheapest < 1.02);
	j.net.plmns[x].temp_cause = SIM_CAUSE_CONGESTION;
	assert_int_equal(sim_net_reject_cause(&j.net, x, PX), SIM_CAUSE_CONGESTION);
	assert_int_equal(sim_net_reject_cause(&j.net, x, OWN), SIM_CAUSE_CONGESTION);
	j.net.plmns[plmn("213-78")].temp_cause = SIM_CAUSE_NETWORK_FAILURE;
	assert_int_equal(sim_net_reject_cause(&j.net, plmn("213-78"), PX),
			 SIM_CAUSE_NETWORK_FAILURE);
	/* nobody can be served: no service possible for the metrics */
	assert_true(sim_net_cheapest(&j.net, imsis, 1) < 0);
	j.net.plmns[x].temp_cause = 0;
	j.net.plmns[plmn("213-78")].temp_cause = 0;
	assert_int_equal(sim_net_reject_cause(&j.net, x, PX), 0);
	assert_true(sim_net_cause_temporary(SIM_CAUSE_CONGESTION));
	assert_true(sim_net_cause_temporary(SIM_CAUSE_NETWORK_FAILURE));
	assert_false(sim_net_cause_temporary(SIM_CAUSE_PLMN_NOT_ALLOWED));
	assert_false(sim_net_cause_temporary(SIM_CAUSE_ROAMING_NOT_ALLOWED));
	assert_false(sim_net_cause_temporary(0));
	j.net.country = -1;
}

/* A sponsor's core outage: its IMSIs get #17 everywhere (its home network
 * does not answer), the others are served as before, and the metrics count
 * no service possible for it; back up, accepted again. */
static void test_sponsor_core_down(void **state)
{
	int x = plmn("213-77");
	const char *imsis[1] = {PX};

	(void)state;
	j.net.country = sim_net_find_country(&j.net, "Andorra");
	assert_true(sim_net_sponsor_core(&j.net, "Partner X", 1) >= 2);
	assert_int_equal(sim_net_reject_cause(&j.net, x, PX), SIM_CAUSE_NETWORK_FAILURE);
	assert_true(sim_net_core_down(&j.net, x, PX));
	assert_false(sim_net_core_down(&j.net, x, OWN));
	assert_true(sim_net_cheapest(&j.net, imsis, 1) < 0);
	assert_int_equal(sim_net_sponsor_core(&j.net, "Partner X", 0), 2);
	assert_int_equal(sim_net_reject_cause(&j.net, x, PX), 0);
	assert_int_equal(sim_net_sponsor_core(&j.net, "nobody", 1), 0);
	j.net.country = -1;
}

/* An outage is no cell (not visible), not a reject; a bad index is #11. */
static void test_outage_and_bad_index(void **state)
{
	int x = plmn("213-77");

	(void)state;
	j.net.country = sim_net_find_country(&j.net, "213");
	assert_true(sim_net_visible(&j.net, x));
	j.net.plmns[x].up = 0;
	assert_false(sim_net_visible(&j.net, x));
	j.net.plmns[x].up = 1;
	j.net.country = -1;
	assert_int_equal(sim_net_reject_cause(&j.net, -1, PX), SIM_CAUSE_PLMN_NOT_ALLOWED);
	assert_int_equal(sim_net_reject_cause(&j.net, j.net.n_plmns, PX),
			 SIM_CAUSE_PLMN_NOT_ALLOWED);
}

/* The timeline turns congestion / network failure into temporary rejects. */
static void test_timeline_actions(void **state)
{
	int i, cong = 0, fail = 0;

	(void)state;
	for (i = 0; i < j.n_tl; i++) {
		if (j.tl[i].kind != SIM_TL_PLMN_TEMP_REJECT)
			continue;
		if (j.tl[i].b == SIM_CAUSE_CONGESTION)
			cong++;
		else if (j.tl[i].b == SIM_CAUSE_NETWORK_FAILURE)
			fail++;
		else
			fail_msg("unexpected cause %d", j.tl[i].b);
	}
	assert_int_equal(cong, 1);
	assert_int_equal(fail, 2);
}

/* Bad world/journey data: each error names its JSON path. */
static void test_bad_files(void **state)
{
	static const struct {
		const char *file, *want;
	} bad[] = {
	    {"test-vectors/scenarios/invalid/bad-reject-cause.json",
	     "plmns[0].reject_cause: 12: an IMSI without agreement gets #11 or #13"},
	    {"test-vectors/scenarios/invalid/bad-congestion-plmn.json",
	     "timeline[1].congestion: unknown PLMN \"999-99\""},
	};
	struct sim_journey b;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sim_journey_load(bad[i].file, &b, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("%s: got \"%s\"", bad[i].file, err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepted),
	    cmocka_unit_test(test_no_agreement_cause_per_network),
	    cmocka_unit_test(test_local_imsi_only),
	    cmocka_unit_test(test_temporary_causes),
	    cmocka_unit_test(test_sponsor_core_down),
	    cmocka_unit_test(test_outage_and_bad_index),
	    cmocka_unit_test(test_timeline_actions),
	    cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
