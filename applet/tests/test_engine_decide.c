/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_decide.c
 *  Field-grade decisions: the exact serving PLMN decides (exact rules that
 *  differ from the MCC default), mandatory switches at once and optional
 *  ones after a dwell counted from the last switch and from entering the
 *  network, the back-and-forth backoff, episodes of lost service (marks
 *  cleared when service returns, the next outage starts from the best
 *  slot), and a long outage without any cell (rotation backs off, restarts
 *  when cells come back). STATE byte 15 holds the previous slot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mi_engine_int.h"
#include "mimsi/mi_err.h"

static struct fx X;
static struct fx_set S;

/* PLMNs of the tests (TS 24.008 §10.5.1.13 order). */
#define P213_77 "12F377" /* exact rule [2,1], forbid 3 */
#define P213_55 "12F355" /* exact rule [3,2], forbid 1 */
#define P213_99 "12F399" /* MCC 213 default [2,3,1] */
#define P262_01 "62F210" /* exact rule [1], forbid 2,3,4 */
#define P262_02 "62F220" /* MCC 262 default [1] */

static void boot(void)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
}

/* Normal service in \a plmn, then every command answered. */
static void served(const char *plmn)
{
	assert_int_equal(fx_loc(&X, 0, plmn), MI_OK);
	fx_drain(&X);
}

/* Let \a s seconds pass, answering what the engine sends on the way. */
static void wait(mi_u32 s)
{
	mi_u32 left = s;

	while (left) {
		left -= fx_wait(&X, left);
		fx_drain(&X);
	}
}

/* The active slot 3 is allowed by the MCC default of 213 but forbidden by
 * the exact rule of 213-77: on 213-77 it is left at once, inside the dwell
 * of the switch that brought it (mandatory); on 213-99 (MCC default) it
 * stays. The order differs too: on 213-55 slot 3 beats slot 2, on the MCC
 * default slot 2 beats 3. */
static void test_exact_plmn_decides(void **state)
{
	(void)state;
	boot();
	served(P213_55); /* [3,2] forbid 1: slot 1 forbidden, mandatory */
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.flags & MI_NV_F_PROBE, 0);
	served(P213_99); /* [2,3,1]: 2 better, but optional: the dwell first */
	assert_int_equal(X.nv.active_slot, 3);
	served(P213_77); /* exact [2,1] forbid 3: left at once, dwell or not */
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.switches, 2);
	served(P213_55); /* exact [3,2]: 3 better than the active 2 (optional) */
	assert_int_equal(X.nv.active_slot, 2);
	wait(180);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.flags & MI_NV_F_PROBE, MI_NV_F_PROBE);
	/* 3 is where the last switch came from: a back-and-forth, dwell x2 */
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_1);
}

/* Per-network rules at home: MCC 262 [1,4], 262-02 exact [4] forbid 1 (the
 * home IMSI is not priced there). A home outage moves the device to slot 4
 * on 262-02, where slot 1 is forbidden: the country's order still ranks
 * home first, so home is probed after the dwell (it attaches to 262-01)
 * instead of waiting for the re-evaluation. */
static void test_country_best_on_another_network(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.prof[4].n_pref = 2; /* MCC 262: [1,4] */
	S.prof[4].pref[1] = 4;
	S.prof[7].n_pref = 1; /* 262-02: [4], forbid 1 */
	S.prof[7].pref[0] = 4;
	S.prof[7].forbidden = 0x01;
	S.n_prof = 8;
	/* 262-02 goes after 262-01: the last rule (MCC 276) moves up one */
	S.rule[S.n_rules] = S.rule[S.n_rules - 1];
	S.rule[S.n_rules - 1].key = mi_rule_key(262, 2, 2, MI_TRUE);
	S.rule[S.n_rules - 1].profile = 7;
	S.n_rules++;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	served(P262_01);
	assert_int_equal(X.nv.active_slot, 1);
	/* 262-01 down: limited service, camped on 262-02 where 1 is forbidden */
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	assert_int_equal(fx_fetch(&X) > 0, 1);
	assert_int_equal(X.last[5], 0x26);
	assert_int_equal(fx_tr(&X, 0x06, "930762F22000010002"), MI_OK);
	assert_int_equal(X.nv.active_slot, 4); /* mandatory: at once */
	fx_drain(&X);
	served(P262_02); /* 4 is the best on 262-02 */
	wait(179);
	assert_int_equal(X.nv.active_slot, 4);
	wait(1);
	assert_int_equal(X.nv.active_slot, 1); /* home first in the country: a probe */
	assert_int_equal(X.nv.flags & MI_NV_F_PROBE, MI_NV_F_PROBE);
}

/* The serving network flips every 60, 120 and 150 s between 213-55
 * (slot 3 best) and 213-99 (slot 2 best) for 30 minutes, the active slot
 * being 2: no optional switch holds a dwell, so none happens; once the
 * flapping stops on 213-55, the switch comes one dwell later. */
static void test_flapping_network_no_switch(void **state)
{
	static const mi_u32 period[] = {60, 120, 150};
	mi_u32 t;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(period) / sizeof(period[0]); k++) {
		boot();
		served(P213_77); /* slot 2 */
		assert_int_equal(X.nv.active_slot, 2);
		wait(600); /* the dwell of the switch is over */
		for (t = 0; t < 1800; t += period[k]) {
			served((t / period[k]) % 2 ? P213_99 : P213_55);
			wait(period[k]);
		}
		assert_int_equal(X.nv.switches, 1);
		served(P213_99);
		served(P213_55);
		wait(179);
		assert_int_equal(X.nv.active_slot, 2);
		wait(1);
		assert_int_equal(X.nv.active_slot, 3);
		assert_int_equal(X.nv.switches, 2);
	}
}

/* A mandatory switch back to the slot an optional switch left doubles the
 * dwell (once: 2x), and a quiet dwell resets it. */
static void test_back_and_forth_backs_off(void **state)
{
	(void)state;
	boot();
	served(P213_77); /* [2,1]: the first service after power-up adopts 2 at once */
	assert_int_equal(X.nv.active_slot, 2);
	wait(600);
	served(P213_55); /* 3 better: after a dwell */
	wait(180);
	assert_int_equal(X.nv.active_slot, 3);
	served(P213_77); /* 3 forbidden: back to 2 at once, a return: level 1 */
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_1);
	assert_int_equal(X.ram.deadline[MI_TIMER_DWELL - 1] - X.ram.now_s, 360);
	served(P213_55);
	wait(359);
	assert_int_equal(X.nv.active_slot, 2); /* 2 x dwell */
	wait(1);
	assert_int_equal(X.nv.active_slot, 3); /* a return again: the level stays 1 */
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_MAX);
	served(P213_77);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_MAX); /* capped */
	served(P213_55);
	wait(359);
	assert_int_equal(X.nv.active_slot, 2);
	wait(1);
	assert_int_equal(X.nv.active_slot, 3);
	wait(360); /* a quiet dwell on 3: the level resets */
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, 0);
	/* the previous slot is in EF.MI_STATE body byte 15 */
	assert_int_equal(X.nv.prev_slot, 2);
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 15], 2);
}

/* Two outages in a row in 213: the first marks slot 2 failed (rotation to
 * 3); service back on 3 ends the episode; the second outage starts again
 * from the best slot instead of skipping 2. */
static void test_next_outage_starts_from_best(void **state)
{
	(void)state;
	boot();
	served(P213_99); /* 2 */
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	wait(180);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.failed, 0x02);
	served(P213_99); /* service on 3: the episode is over */
	assert_int_equal(X.nv.failed, 0);
	/* the probe to 2 (after the dwell) serves: the outage is over there too */
	wait(180);
	assert_int_equal(X.nv.active_slot, 2);
	served(P213_99);
	wait(360);
	/* second outage: 2 fails again, the rotation goes to 3, as the first */
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	wait(179);
	assert_int_equal(X.nv.active_slot, 2);
	wait(1);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.failed, 0x02);
}

/* Hours without any cell: the rotation keeps cycling, each round slower
 * (180, 360, 720, then 1440 s per slot), so 6 hours cost few switches;
 * limited service (cells again) restarts the period at 180 s. */
static void test_no_coverage_backs_off(void **state)
{
	mi_u16 sw;

	(void)state;
	boot();
	served(P213_99); /* 2; last MCC 213: candidates 2, 3, 1, then 4 */
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	wait(6 * 3600u);
	sw = X.nv.switches;
	/* 4 candidates a round (2, 3, 1, then 4): 1 + 4 in 12 min, 4 in 24 min,
	 * 4 in 48 min, then 2.5 an hour; without the backoff 121 */
	if (sw < 12 || sw > 24)
		fail_msg("%u switches in 6 h without coverage", sw);
	assert_int_equal(X.nv.flags & MI_NV_ROUND, MI_NV_ROUND);
	assert_true(X.ram.deadline[MI_TIMER_ROTATE - 1] - X.ram.now_s <= 1440);
	/* cells again, the active IMSI not served: the rotation restarts at 180 s */
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.nv.flags & MI_NV_ROUND, 0);
	assert_int_equal(X.ram.deadline[MI_TIMER_ROTATE - 1] - X.ram.now_s, 180);
	/* and normal service ends the episode */
	served(P213_99);
	assert_int_equal(X.nv.failed, 0);
}

/* A STATE written before prev_slot existed (byte 15 RFU 00, flags b2..b7
 * clear) loads as "no previous slot, no backoff". */
static void test_old_state_loads(void **state)
{
	struct mi_nv nv;

	(void)state;
	boot();
	served(P213_99);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.prev_slot, 1);
	nv = X.nv;
	nv.prev_slot = 0;
	nv.flags = MI_NV_F_DWELL;
	assert_int_equal(mi_nv_txn(&X.a, &nv, 0), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.prev_slot, 0);
	assert_int_equal(X.nv.flags, MI_NV_F_DWELL);
	assert_int_equal(X.nv.switches, 1);
}

/* The rules cannot be read (a worn EEPROM page): a location report is
 * answered with the port's error and changes nothing, neither the state
 * nor the RAM (the rules are looked up before the decision, mi_apply.c);
 * once they read again the same report is decided as usual. */
static void test_rules_unreadable_changes_nothing(void **state)
{
	struct fx_snap s;

	(void)state;
	boot();
	served(P213_77); /* slot 2 */
	wait(600);
	fx_snap(&X, &s);
	X.port.fail_read_file = MI_FILE_RULES_A + 1;
	assert_int_equal(fx_loc(&X, 0, P213_55), MI_ERR_NV);
	fx_same(&X, &s);
	X.port.fail_read_file = 0;
	assert_int_equal(fx_loc(&X, 0, P213_55), MI_OK);
	assert_int_equal(X.ram.deadline[MI_TIMER_DWELL - 1] - X.ram.now_s, 180); /* a new network */
	assert_int_equal(X.nv.active_slot, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_plmn_decides),
	    cmocka_unit_test(test_country_best_on_another_network),
	    cmocka_unit_test(test_flapping_network_no_switch),
	    cmocka_unit_test(test_back_and_forth_backs_off),
	    cmocka_unit_test(test_next_outage_starts_from_best),
	    cmocka_unit_test(test_no_coverage_backs_off),
	    cmocka_unit_test(test_old_state_loads),
	    cmocka_unit_test(test_rules_unreadable_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
