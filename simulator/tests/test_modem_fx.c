/* SPDX-License-Identifier: Apache-2.0 */
/* The modem's effect queue (sim_modem_int.h) on the real simulated card,
 * with a modem that refuses REFRESH UICC reset and NAA init + file change
 * (the refresh-fallbacks journey): the REFRESH NAA init that switches to the
 * sponsor IMSI in Andorra is answered first, and its PLMN selection (an
 * effect the CAT file posts for the selection file) happens after the
 * TERMINAL RESPONSE and before the next card exchange, the FETCH of the
 * applet's next command; no effect is ever pending while the modem talks
 * to the card or when it hands control back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "modem/sim_modem_int.h"
#include "scenario/sim_journey.h"
#include "scenario/sim_setup.h"

#define MAXA 8192

/* Per APDU: the command head, and the modem's state when it was sent. */
struct rec {
	int n;
	uint8_t cmd[MAXA][20];
	enum sim_service svc[MAXA];
	uint32_t sel_gen[MAXA];
	size_t fx_pending[MAXA];
	struct sim_modem *m;
};

static struct rec *R;
static struct sim_modem m;
static struct sim_card *card;
static struct sim_evq q;
static struct sim_journey j;
static struct sim_net net;
static struct sim_hss hss;
static size_t fx_after_event_max;

static void on_apdu(void *ctx, const uint8_t *c, size_t cl, const uint8_t *r, size_t rl)
{
	struct rec *x = ctx;

	(void)r;
	(void)rl;
	if (x->n >= MAXA)
		return;
	memcpy(x->cmd[x->n], c, cl < 20 ? cl : 20);
	x->svc[x->n] = x->m->svc;
	x->sel_gen[x->n] = x->m->sel_gen;
	x->fx_pending[x->n] = x->m->fx.n;
	x->n++;
}

static void run_until(sim_time_t end)
{
	struct sim_event ev;

	while (sim_evq_peek_time(&q) >= 0 && sim_evq_peek_time(&q) <= end &&
	       sim_evq_pop(&q, &ev)) {
		sim_modem_event(&m, &ev);
		if (m.fx.n > fx_after_event_max)
			fx_after_event_max = m.fx.n;
	}
}

static int setup(void **state)
{
	struct sim_slot_map map;
	struct sim_modem_hooks h = {0};
	char err[512];
	int i;

	(void)state;
	card = sim_card_new_default();
	assert_non_null(card);
	assert_int_equal(
	    sim_journey_load("test-vectors/scenarios/refresh-fallbacks.json", &j, err, sizeof(err)),
	    0);
	assert_int_equal(sim_setup_card(card, j.rules, 0, j.adm, &map, err, sizeof(err)), 0);
	net = j.net;
	net.country = sim_net_find_country(&net, "Germany");
	sim_hss_init(&hss, 1);
	for (i = 0; i < map.n; i++)
		sim_hss_add(&hss, map.slot[i].imsi, j.keysets[map.slot[i].keyset - 1].k,
			    j.keysets[map.slot[i].keyset - 1].opc);
	sim_evq_init(&q);
	R = calloc(1, sizeof(*R));
	assert_non_null(R);
	R->m = &m;
	h.ctx = R;
	h.apdu = on_apdu;
	sim_modem_init(&m, &j.modem, card, &net, &hss, &q, &h);
	assert_int_equal(sim_modem_power_on(&m), 0);
	run_until(600);
	assert_int_equal(m.svc, SIM_SVC_NORMAL);
	assert_string_equal(m.imsi, "262011234567890");
	/* to Andorra: the applet prefers Partner X there and sends REFRESH */
	net.country = sim_net_find_country(&net, "Andorra");
	sim_modem_net_changed(&m);
	run_until(600 + 3600);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_modem_power_off(&m);
	sim_evq_free(&q);
	sim_card_free(card);
	sim_journey_free(&j);
	free(R);
	return 0;
}

/* The TERMINAL RESPONSE "performed" to REFRESH NAA init (TS 102 223 §6.8:
 * 81 03 nn 01 03, 82 02 82 81, 83 01 00). */
static int find_refresh_tr(int from)
{
	static const uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x00, 0x01,
				     0x03, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
	int i;

	for (i = from; i < R->n; i++)
		if (memcmp(R->cmd[i], tr, 7) == 0 && memcmp(R->cmd[i] + 8, tr + 8, sizeof(tr) - 8) == 0)
			return i;
	return -1;
}

static void test_switched_to_the_sponsor(void **state)
{
	(void)state;
	assert_true(m.refreshes >= 1);
	assert_string_equal(m.imsi, "213770000000001");
	assert_int_equal(m.svc, SIM_SVC_NORMAL);
}

static void test_reselection_after_the_terminal_response(void **state)
{
	int tr = find_refresh_tr(0);

	(void)state;
	assert_true(tr > 0);
	/* answered while the old registration still stands ... */
	assert_int_equal(R->svc[tr], SIM_SVC_NORMAL);
	assert_int_equal(R->sel_gen[tr], R->sel_gen[tr - 1]);
	/* ... and the next card exchange, the FETCH of the applet's next
	 * command, already sees the new selection */
	assert_true(tr + 1 < R->n);
	assert_int_equal(R->cmd[tr + 1][1], 0x12);
	assert_int_equal(R->svc[tr + 1], SIM_SVC_SEARCHING);
	assert_true(R->sel_gen[tr + 1] > R->sel_gen[tr]);
}

static void test_no_effect_pending_at_any_apdu(void **state)
{
	int i;

	(void)state;
	assert_true(R->n > 100);
	for (i = 0; i < R->n; i++)
		assert_int_equal(R->fx_pending[i], 0);
	assert_int_equal(fx_after_event_max, 0);
	assert_int_equal(m.fx.n, 0);
}

/* An effect posted outside the modem's own dispatch waits, in order, for
 * it: the queue is the modem's, not the world's. */
static void test_effects_keep_their_order(void **state)
{
	struct sim_event a, b;

	(void)state;
	sim_modem_fx_post(&m, SIM_FX_CAT, 1, 0);
	sim_modem_fx_post(&m, SIM_FX_RESELECT, 2, 0);
	assert_int_equal(m.fx.n, 2);
	assert_int_equal(sim_evq_pop(&m.fx, &a), 1);
	assert_int_equal(sim_evq_pop(&m.fx, &b), 1);
	assert_int_equal(a.type, SIM_FX_CAT);
	assert_int_equal(b.type, SIM_FX_RESELECT);
	assert_int_equal(sim_evq_pop(&m.fx, &a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_switched_to_the_sponsor),
	    cmocka_unit_test(test_reselection_after_the_terminal_response),
	    cmocka_unit_test(test_no_effect_pending_at_any_apdu),
	    cmocka_unit_test(test_effects_keep_their_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
