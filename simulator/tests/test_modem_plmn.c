/* SPDX-License-Identifier: Apache-2.0 */
/* PLMN selection order (TS 23.122 §4.4.3.1.1) and TERMINAL PROFILE bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "modem/sim_modem_int.h"
#include "scenario/sim_journey.h"

static struct sim_journey j;
static struct sim_net net;
static struct sim_modem m;
static struct sim_modem_profile prof;

static struct mi_plmn P(const char *t) {
	struct mi_plmn p;

	assert_int_equal(mi_plmn_parse(t, (mi_u16)strlen(t), &p), MI_OK);
	return p;
}

static int
idx(const char *t)
{
	struct mi_plmn p = P(t);

	return sim_net_find_plmn(&net, &p);
}

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (sim_journey_load("test-vectors/scenarios/munich-andorra.json", &j, err, sizeof(err)) !=
	    0) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_journey_free(&j);
	return 0;
}

static void fresh(const char *country, const char *hplmn)
{
	net = j.net;
	net.country = sim_net_find_country(&net, country);
	sim_modem_profile_default(&prof);
	sim_modem_init(&m, &prof, NULL, &net, NULL, NULL, NULL);
	m.hplmn = P(hplmn);
}

static void expect_order(const char *const *want, int n)
{
	int i;

	sim_modem_build_candidates(&m);
	assert_int_equal(m.n_cand, n);
	for (i = 0; i < n; i++)
		assert_int_equal(m.cand[i], idx(want[i]));
}

static void test_home_first(void **state)
{
	static const char *const want[] = {"262-01", "262-02", "262-03"};

	(void)state;
	fresh("Germany", "262-01");
	m.oplmn[m.n_oplmn++] = P("262-03");
	m.oplmn[0] = P("262-03");
	/* HPLMN, then the operator list, then the rest by signal */
	{
		static const char *const w2[] = {"262-01", "262-03", "262-02"};

		expect_order(w2, 3);
	}
	m.n_oplmn = 0;
	expect_order(want, 3);
}

static void test_operator_list_in_order(void **state)
{
	static const char *const want[] = {"213-78", "213-77", "213-55"};

	(void)state;
	fresh("Andorra", "262-01"); /* HPLMN not here */
	m.oplmn[m.n_oplmn++] = P("213-78");
	m.oplmn[m.n_oplmn++] = P("213-77");
	m.oplmn[m.n_oplmn++] = P("208-01"); /* not visible: skipped */
	expect_order(want, 3);
}

static void test_others_by_signal(void **state)
{
	static const char *const want[] = {"208-01", "208-10", "208-20"};

	(void)state;
	fresh("France", "262-01");
	expect_order(want, 3); /* -70, -72, -78 dBm */
	net.plmns[idx("208-20")].signal_dbm = -50;
	{
		static const char *const w2[] = {"208-20", "208-01", "208-10"};

		expect_order(w2, 3);
	}
}

static void test_forbidden_skipped_and_rplmn_first(void **state)
{
	static const char *const want[] = {"213-55", "213-78"};

	(void)state;
	fresh("Andorra", "213-77");
	m.fplmn[m.n_fplmn++] = P("213-77"); /* even the HPLMN */
	m.have_rplmn = 1;
	m.rplmn = P("213-55");
	expect_order(want, 2);
}

static void test_outage_and_no_coverage(void **state)
{
	static const char *const want[] = {"262-02", "262-03"};

	(void)state;
	fresh("Germany", "262-01");
	net.plmns[idx("262-01")].up = 0;
	expect_order(want, 2);
	net.country = -1;
	expect_order(NULL, 0);
}

static void test_terminal_profile_bits(void **state)
{
	uint8_t tp[SIM_TP_MAX];
	size_t n;

	(void)state;
	assert_int_equal(sim_cap_from_name("refresh"), SIM_CAP_REFRESH);
	assert_int_equal(sim_cap_from_name("telepathy"), 0);
	n = sim_cap_terminal_profile(SIM_CAP_REFRESH | SIM_CAP_TIMER_MANAGEMENT |
					 SIM_CAP_EVENT_LOCATION | SIM_CAP_SET_UP_EVENT_LIST,
				     tp, sizeof(tp));
	/* TS 102 223 §5.2: REFRESH (3,b8), SET UP EVENT LIST (5,b1),
	 * location status (5,b5), TIMER MANAGEMENT (8,b1) */
	assert_int_equal(n, 8);
	assert_int_equal(tp[0], 0x01);
	assert_int_equal(tp[2], 0x80);
	assert_int_equal(tp[4], 0x11);
	assert_int_equal(tp[7], 0x01);
	n = sim_cap_terminal_profile(SIM_CAP_REFRESH, tp, sizeof(tp));
	assert_int_equal(n, 3);
	assert_int_equal(tp[7], 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_home_first),
	    cmocka_unit_test(test_operator_list_in_order),
	    cmocka_unit_test(test_others_by_signal),
	    cmocka_unit_test(test_forbidden_skipped_and_rplmn_first),
	    cmocka_unit_test(test_outage_and_no_coverage),
	    cmocka_unit_test(test_terminal_profile_bits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
