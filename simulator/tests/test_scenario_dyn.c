/* SPDX-License-Identifier: Apache-2.0 */
/* The swap planner in the loop (scenario/sim_dyn.h): the Balkan journey
 * end to end, each failure path's outcome, the invariant checker catching
 * a card IMSI the HSS does not know, a stock file with an error, and the
 * HSS's remove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario/sim_run.h"
#include "scenario/sim_setup.h"

#define DIR "test-vectors/scenarios/"

static void run(const char *name, struct sim_run_result *r)
{
	struct sim_journey j;
	struct sim_run_opts o;
	char err[512], path[256];

	snprintf(path, sizeof(path), DIR "%s.json", name);
	if (sim_journey_load(path, &j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	memset(&o, 0, sizeof(o));
	if (sim_run_journey(&j, &o, r, err, sizeof(err)) != 0)
		fail_msg("%s: %s", name, err);
	if (r->n_exp_failed)
		fail_msg("%s: %s", name, r->first_failure);
	sim_journey_free(&j);
}

/* Use case 2.5: two swaps, each in service within 3 minutes of the webhook,
 * cheaper than the static profile, no invariant broken. */
static void test_balkan(void **state)
{
	struct sim_run_result r;
	const struct sim_dyn_metrics *d = &r.m.dyn;

	(void)state;
	run("dynamic-balkan", &r);
	assert_true(d->on);
	assert_int_equal(d->swaps, 2);
	assert_int_equal(d->n_swap, 2);
	assert_true(d->swap_max_s <= 180);
	assert_int_equal(d->timeouts, 0);
	assert_int_equal(d->broken, 0);
	assert_int_equal(d->webhooks, 4);
	assert_true(d->cost_static > 0 && r.m.cost < d->cost_static);
	assert_int_equal(d->sms_sent, r.m.ota_sms);
	sim_run_result_free(&r);
}

/* A lost PoR: one timeout, the rewrite confirmed, nothing broken. */
static void test_lost_por(void **state)
{
	struct sim_run_result r;

	(void)state;
	run("dynamic-lost-por", &r);
	assert_int_equal(r.m.dyn.pors_lost, 1);
	assert_int_equal(r.m.dyn.timeouts, 1);
	assert_int_equal(r.m.dyn.swaps, 1);
	assert_int_equal(r.m.dyn.broken, 0);
	sim_run_result_free(&r);
}

static int has_line(const struct sim_run_result *r, const char *text)
{
	int i;

	for (i = 0; i < r->n_lines; i++)
		if (strstr(r->lines[i], text))
			return 1;
	return 0;
}

/* SMS later than the timeout: the card refuses them (counter), the
 * planner refuses their PoR, no swap. */
static void test_stale_sms(void **state)
{
	struct sim_run_result r;

	(void)state;
	run("dynamic-stale-sms", &r);
	assert_int_equal(r.m.dyn.swaps, 0);
	assert_true(has_line(&r, "PoR of OTA message 1 says: counter low"));
	assert_true(has_line(&r, "PoR of OTA message 1 refused"));
	assert_int_equal(r.m.dyn.timeouts, 1);
	assert_int_equal(r.m.dyn.broken, 0);
	sim_run_result_free(&r);
}

/* An empty pool: an alert, no OTA at all. */
static void test_pool_empty(void **state)
{
	struct sim_run_result r;

	(void)state;
	run("dynamic-pool-empty", &r);
	assert_true(r.m.dyn.alerts >= 1);
	assert_int_equal(r.m.dyn.sms_sent, 0);
	assert_int_equal(r.m.dyn.swaps, 0);
	sim_run_result_free(&r);
}

/* hss-create impossible (no K/OPc in the stock): released, nothing sent. */
static void test_no_keys(void **state)
{
	struct sim_run_result r;

	(void)state;
	run("dynamic-no-keys", &r);
	assert_int_equal(r.m.dyn.released, 1);
	assert_int_equal(r.m.dyn.sms_sent, 0);
	assert_int_equal(r.m.dyn.swaps, 0);
	assert_int_equal(r.m.dyn.broken, 0);
	assert_true(has_line(&r, "NOT created"));
	sim_run_result_free(&r);
}

static void line(void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
}

/* The checker itself: the card's slot 2 IMSI leaves the HSS -> broken. */
static void test_invariant_caught(void **state)
{
	struct sim_journey j;
	struct sim_card *card;
	struct sim_hss hss;
	struct sim_evq q;
	struct sim_modem modem;
	struct sim_net net;
	struct sim_slot_map map;
	struct sim_dyn *y;
	struct sim_dyn_metrics m;
	char err[512];

	(void)state;
	assert_int_equal(sim_journey_load(DIR "dynamic-balkan.json", &j, err, sizeof(err)), 0);
	y = sim_dyn_new(j.dyn, 1, err, sizeof(err));
	if (!y)
		fail_msg("%s", err);
	card = sim_card_new_default();
	assert_non_null(card);
	assert_int_equal(sim_setup_card(card, sim_dyn_rules(y), 0, "12345678", &map, err, sizeof(err)), 0);
	sim_hss_init(&hss, 1);
	sim_evq_init(&q);
	net = j.net;
	sim_modem_init(&modem, &j.modem, card, &net, &hss, &q, NULL);
	{
		struct sim_dyn_env env = {card, &hss, &q, &modem, &net, line, NULL};

		assert_int_equal(sim_dyn_start(y, &env, err, sizeof(err)), 0);
	}
	sim_dyn_step(y, &map);
	assert_int_equal(map.n, 2);
	assert_string_equal(map.slot[1].imsi, "213559000000000");
	assert_int_equal(sim_hss_remove(&hss, "213559000000000"), 0);
	sim_dyn_step(y, &map);
	sim_dyn_step(y, &map); /* reported once while it lasts */
	sim_dyn_finish(y, &m);
	assert_int_equal(m.broken, 1);
	assert_non_null(strstr(m.broken_first, "213559000000000"));
	sim_dyn_free(y);
	sim_evq_free(&q);
	sim_card_free(card);
	sim_journey_free(&j);
}

/* A stock that names an unknown sponsor: set-up fails, naming where. */
static void test_bad_stock(void **state)
{
	struct sim_dyn_def d;
	char dir[] = "/tmp/test-dyn-XXXXXX", err[512], cwd[200];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	memset(&d, 0, sizeof(d));
	snprintf(d.stock, sizeof(d.stock), "%s/stock.json", dir);
	f = fopen(d.stock, "w");
	assert_non_null(f);
	fprintf(f, "{\"at\": \"2026-11-01\", \"transport_key\": \"%s/" DIR "stock/transport-test.key\", "
		   "\"key_label\": \"T\", \"ota_keys\": \"%s/test-vectors/ota/default-card-keys.json\", "
		   "\"sponsors\": [{\"name\": \"Own\", \"plmns\": [\"262-01\"]}], \"batches\": [{\"name\": "
		   "\"B\", \"sponsor\": \"Nobody\", \"csv\": \"%s/" DIR "stock/own.csv\"}], \"product\": \"P\", "
		   "\"pools\": [], \"profile\": {}, \"ipools\": []}\n",
		cwd, cwd, cwd);
	fclose(f);
	d.webhook_delay = 60;
	d.por_timeout = 900;
	snprintf(d.ota_cost, sizeof(d.ota_cost), "0");
	assert_null(sim_dyn_new(&d, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "batches[0]"));
	assert_non_null(strstr(err, "Nobody"));
	unlink(d.stock);
	rmdir(dir);
}

static void test_hss_remove(void **state)
{
	static const uint8_t k[16], opc[16];
	struct sim_hss h;

	(void)state;
	sim_hss_init(&h, 1);
	assert_int_equal(sim_hss_add(&h, "001010000000001", k, opc), 0);
	assert_int_equal(sim_hss_add(&h, "001010000000002", k, opc), 0);
	assert_true(sim_hss_knows(&h, "001010000000001"));
	assert_int_equal(sim_hss_remove(&h, "001010000000001"), 0);
	assert_false(sim_hss_knows(&h, "001010000000001"));
	assert_true(sim_hss_knows(&h, "001010000000002"));
	assert_int_equal(sim_hss_remove(&h, "001010000000001"), -1);
	assert_int_equal(h.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_balkan),	     cmocka_unit_test(test_lost_por),
	    cmocka_unit_test(test_stale_sms),	     cmocka_unit_test(test_pool_empty),
	    cmocka_unit_test(test_invariant_caught), cmocka_unit_test(test_bad_stock),
	    cmocka_unit_test(test_hss_remove),	     cmocka_unit_test(test_no_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
