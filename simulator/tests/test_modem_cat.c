/* SPDX-License-Identifier: Apache-2.0 */
/* The modem on the real simulated card, checked at the byte level through
 * the APDU hook: TERMINAL PROFILE, T=0 GET RESPONSE, FETCH / TERMINAL
 * RESPONSE framing, the location status envelope, STATUS every 30 s. */
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

#define MAXA 4096

struct rec {
	int n;
	uint8_t cmd[MAXA][64];
	size_t len[MAXA];
	uint16_t sw[MAXA];
	sim_time_t t[MAXA];
	struct sim_evq *q;
};

static struct rec *R;
static struct sim_modem m;
static struct sim_card *card;
static struct sim_evq q;
static struct sim_journey j;

static void on_apdu(void *ctx, const uint8_t *c, size_t cl, const uint8_t *r, size_t rl)
{
	struct rec *x = ctx;

	if (x->n >= MAXA)
		return;
	memcpy(x->cmd[x->n], c, cl < 64 ? cl : 64);
	x->len[x->n] = cl;
	x->sw[x->n] = rl >= 2 ? (uint16_t)((unsigned)r[rl - 2] << 8 | r[rl - 1]) : (uint16_t)0;
	x->t[x->n] = x->q->now;
	x->n++;
}

static void run_minute(void)
{
	static struct sim_net net;
	static struct sim_hss hss;
	struct sim_slot_map map;
	struct sim_modem_hooks h = {0};
	struct sim_event ev;
	char err[512];
	int i;

	card = sim_card_new_default();
	assert_non_null(card);
	assert_int_equal(
	    sim_journey_load("test-vectors/scenarios/munich-andorra.json", &j, err, sizeof(err)),
	    0);
	assert_int_equal(sim_setup_card(card, j.rules, 0, j.adm, &map, err, sizeof(err)), 0);
	assert_int_equal(map.n, 2);
	assert_string_equal(map.slot[1].imsi, "213770000000001");
	net = j.net;
	net.country = sim_net_find_country(&net, "Germany");
	sim_hss_init(&hss, 1);
	for (i = 0; i < map.n; i++)
		sim_hss_add(&hss, map.slot[i].imsi, j.keysets[map.slot[i].keyset - 1].k,
			    j.keysets[map.slot[i].keyset - 1].opc);
	sim_evq_init(&q);
	R = calloc(1, sizeof(*R));
	R->q = &q;
	h.ctx = R;
	h.apdu = on_apdu;
	sim_modem_init(&m, &j.modem, card, &net, &hss, &q, &h);
	assert_int_equal(sim_modem_power_on(&m), 0);
	while (sim_evq_pop(&q, &ev) && ev.t <= 65)
		sim_modem_event(&m, &ev);
	assert_int_equal(m.svc, SIM_SVC_NORMAL);
	assert_string_equal(m.imsi, "262011234567890");
}

static int setup(void **state)
{
	(void)state;
	run_minute();
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

static int find(const uint8_t *prefix, size_t n, int from)
{
	int i;

	for (i = from; i < R->n; i++)
		if (R->len[i] >= n && memcmp(R->cmd[i], prefix, n) == 0)
			return i;
	return -1;
}

static void test_terminal_profile_sent(void **state)
{
	static const uint8_t tp[] = {0x80, 0x10, 0x00, 0x00};
	int i = find(tp, sizeof(tp), 0);

	(void)state;
	assert_true(i >= 0);
	/* rel99: REFRESH (3,b8), SET UP EVENT LIST + location status (5,b1 b5),
	 * TIMER MANAGEMENT (8,b1) */
	assert_true(R->cmd[i][4] >= 9);
	assert_int_equal(R->cmd[i][5 + 2] & 0x80, 0x80);
	assert_int_equal(R->cmd[i][5 + 4] & 0x11, 0x11);
	assert_int_equal(R->cmd[i][5 + 7] & 0x01, 0x01);
	/* accepted: 9000, or 91xx when the applet already has a command queued */
	assert_true(R->sw[i] == 0x9000 || (R->sw[i] & 0xFF00) == 0x9100);
}

static void test_get_response_after_61xx(void **state)
{
	int i, seen = 0;

	(void)state;
	for (i = 0; i + 1 < R->n; i++) {
		if ((R->sw[i] & 0xFF00) != 0x6100)
			continue;
		/* TS 102 221 §7.3.1.1.4: the next command is GET RESPONSE with Le = SW2 */
		assert_int_equal(R->cmd[i + 1][1], 0xC0);
		assert_int_equal(R->cmd[i + 1][4], R->sw[i] & 0xFF);
		seen++;
	}
	assert_true(seen > 0);
}

static void test_fetch_then_terminal_response(void **state)
{
	static const uint8_t fetch[] = {0x80, 0x12, 0x00, 0x00};
	int i, fetches = 0;

	(void)state;
	for (i = 0; i < R->n; i++) {
		int k;

		if (R->len[i] != 5 || memcmp(R->cmd[i], fetch, 4) != 0)
			continue;
		fetches++;
		/* FETCH follows a 91xx and asks for exactly xx bytes */
		assert_true(i > 0);
		assert_int_equal(R->sw[i - 1] & 0xFF00, 0x9100);
		assert_int_equal(R->cmd[i][4], R->sw[i - 1] & 0xFF);
		/* the TERMINAL RESPONSE that follows carries device ids 82 81 and a result
		 * (a REFRESH 04 is answered by the reset instead) */
		for (k = i + 1; k < R->n && R->cmd[k][1] != 0x14 && R->cmd[k][1] != 0x12; k++)
			;
		if (k < R->n && R->cmd[k][1] == 0x14) {
			assert_int_equal(R->cmd[k][5], 0x81);
			assert_int_equal(R->cmd[k][6], 0x03);
			assert_memory_equal(R->cmd[k] + 10, "\x82\x02\x82\x81\x83", 5);
		}
	}
	assert_true(fetches >= 3);
}

static void test_location_status_envelope(void **state)
{
	/* D6: event list 03, terminal -> UICC, normal service, 262-01 LAC 1000 CI 0001 */
	static const uint8_t env[] = {0x80, 0xC2, 0x00, 0x00, 0x15, 0xD6, 0x13, 0x99, 0x01,
				      0x03, 0x82, 0x02, 0x82, 0x81, 0x9B, 0x01, 0x00, 0x93,
				      0x07, 0x62, 0xF2, 0x10, 0x10, 0x00, 0x00, 0x01};
	int i = find(env, sizeof(env), 0);

	(void)state;
	assert_true(i >= 0);
	assert_int_equal(R->len[i], sizeof(env));
	assert_true(R->t[i] >= 2 && R->t[i] <= 10);
}

static void test_status_every_30_s(void **state)
{
	static const uint8_t st[] = {0x80, 0xF2, 0x00, 0x0C};
	int i = find(st, sizeof(st), 0), k;

	(void)state;
	assert_true(i >= 0);
	k = find(st, sizeof(st), i + 1);
	assert_true(k > i);
	assert_int_equal(R->t[k] - R->t[i], 30);
}

static void test_wrong_le_is_resent(void **state)
{
	static const uint8_t sel[7] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x6F, 0x07};
	static const uint8_t rd[5] = {0x00, 0xB0, 0x00, 0x00, 0x20};
	uint8_t r[300];
	size_t rl = sizeof(r);
	uint16_t sw = 0;
	int before;

	(void)state;
	assert_int_equal(sim_modem_xfer(&m, sel, sizeof(sel), r, &rl, &sw), 0);
	assert_int_equal(sw, 0x9000);
	before = R->n;
	rl = sizeof(r);
	/* ISO 7816-3 §10.3.4: 6Cxx, the ME sends the same command with Le = xx */
	assert_int_equal(sim_modem_xfer(&m, rd, sizeof(rd), r, &rl, &sw), 0);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(rl, 9);
	assert_memory_equal(r, "\x08\x29\x26\x10\x21\x43\x65\x87\x09", 9);
	assert_int_equal(R->n - before, 2);
	assert_int_equal(R->sw[before] & 0xFF00, 0x6C00);
	assert_int_equal(R->cmd[before + 1][4], 0x09);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_terminal_profile_sent),
	    cmocka_unit_test(test_get_response_after_61xx),
	    cmocka_unit_test(test_fetch_then_terminal_response),
	    cmocka_unit_test(test_location_status_envelope),
	    cmocka_unit_test(test_status_every_30_s),
	    cmocka_unit_test(test_wrong_le_is_resent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
