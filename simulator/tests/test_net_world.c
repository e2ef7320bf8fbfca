/* SPDX-License-Identifier: Apache-2.0 */
/* The network's acceptance rules, prices and FX, from the shared world file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "net/sim_net.h"
#include "scenario/sim_journey.h"

static struct sim_journey j;

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

static int plmn(const char *text)
{
	struct mi_plmn p;

	assert_int_equal(mi_plmn_parse(text, (mi_u16)strlen(text), &p), MI_OK);
	return sim_net_find_plmn(&j.net, &p);
}

static void test_country_lookup(void **state)
{
	(void)state;
	assert_true(sim_net_find_country(&j.net, "Andorra") >= 0);
	assert_int_equal(sim_net_find_country(&j.net, "andorra"),
			 sim_net_find_country(&j.net, "213"));
	assert_int_equal(sim_net_find_country(&j.net, "999"), -1);
	assert_int_equal(sim_net_find_country(&j.net, "Narnia"), -1);
	assert_int_equal(plmn("999-99"), -1);
}

static void test_visibility_follows_country_and_outages(void **state)
{
	struct sim_net n = j.net;
	int de = sim_net_find_country(&n, "Germany"), p = plmn("262-01");

	(void)state;
	n.country = -1;
	assert_false(sim_net_visible(&n, p));
	n.country = de;
	assert_true(sim_net_visible(&n, p));
	n.plmns[p].up = 0;
	assert_false(sim_net_visible(&n, p));
	n.country = sim_net_find_country(&n, "Andorra");
	n.plmns[p].up = 1;
	assert_false(sim_net_visible(&n, p));
	assert_false(sim_net_visible(&n, -1));
	assert_false(sim_net_visible(&n, n.n_plmns));
}

static void test_acceptance_and_prices(void **state)
{
	const struct sim_accept *a;

	(void)state;
	/* 213-77 takes Partner X at 1.01 and Own at 6.00 (longest prefix wins) */
	a = sim_net_accepts(&j.net, plmn("213-77"), "213770000000001");
	assert_non_null(a);
	assert_string_equal(a->sponsor, "Partner X");
	assert_true(a->price_ref > 1.0099 && a->price_ref < 1.0101);
	a = sim_net_accepts(&j.net, plmn("213-77"), "262011234567890");
	assert_non_null(a);
	assert_true(a->price_ref > 5.99 && a->price_ref < 6.01);
	/* Partner Y's 213-55 does not take Partner X */
	assert_null(sim_net_accepts(&j.net, plmn("213-55"), "213770000000001"));
	/* USD converted with the dated rate: 1.21 USD * 0.92 */
	a = sim_net_accepts(&j.net, plmn("297-01"), "901280000000001");
	assert_non_null(a);
	assert_string_equal(a->currency, "USD");
	assert_true(a->price_ref > 1.1131 && a->price_ref < 1.1133);
	assert_null(sim_net_accepts(&j.net, plmn("297-01"), "12345"));
}

static void test_local_imsi_only_country(void **state)
{
	(void)state;
	/* Germany demands a local IMSI: W's quoted 262-02 rate is refused */
	assert_null(sim_net_accepts(&j.net, plmn("262-02"), "901280000000001"));
	assert_non_null(sim_net_accepts(&j.net, plmn("262-01"), "262011234567890"));
}

static void test_cheapest_is_the_oracle(void **state)
{
	struct sim_net n = j.net;
	const char *card[2] = {"262011234567890", "213770000000001"};

	(void)state;
	n.country = sim_net_find_country(&n, "Andorra");
	assert_true(sim_net_cheapest(&n, card, 2) > 1.0099 &&
		    sim_net_cheapest(&n, card, 2) < 1.0101);
	assert_true(sim_net_cheapest(&n, card, 1) > 5.99);
	n.plmns[plmn("213-77")].up = 0;
	n.plmns[plmn("213-78")].up = 0;
	assert_true(sim_net_cheapest(&n, card, 2) < 0);
	n.country = -1;
	assert_true(sim_net_cheapest(&n, card, 2) < 0);
}

static void test_fx(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(sim_net_to_ref(&j.net, "EUR", 2.5, &v), 0);
	assert_true(v > 2.4999 && v < 2.5001);
	assert_int_equal(sim_net_to_ref(&j.net, "USD", 100, &v), 0);
	assert_true(v > 91.999 && v < 92.001);
	assert_int_equal(sim_net_to_ref(&j.net, "GBP", 1, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_country_lookup),
	    cmocka_unit_test(test_visibility_follows_country_and_outages),
	    cmocka_unit_test(test_acceptance_and_prices),
	    cmocka_unit_test(test_local_imsi_only_country),
	    cmocka_unit_test(test_cheapest_is_the_oracle),
	    cmocka_unit_test(test_fx),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
