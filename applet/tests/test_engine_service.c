/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_service.c
 *  Normal service in a PLMN: exact / MCC / global lookup, forbidden active
 *  slot (switch at once), better slot only after the minimum dwell, failed
 *  and disabled slots, and no NV write when nothing was decided.
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

static void boot(void)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
}

static void lookup(const char *plmn_hex, const char *want_pref, mi_u16 want_forbid)
{
	struct mi_profile p;
	mi_u8 plmn[3];
	mi_u16 n;
	size_t k;

	fx_hex(plmn_hex, plmn, &n);
	assert_int_equal(mi_rules_lookup(&X.a, plmn, &p), MI_OK);
	assert_int_equal(p.n_pref, strlen(want_pref));
	for (k = 0; k < strlen(want_pref); k++)
		assert_int_equal(p.pref[k], want_pref[k] - '0');
	assert_int_equal(p.forbidden, want_forbid);
}

static void test_lookup_exact_mcc_global(void **state)
{
	(void)state;
	boot();
	lookup("12F377", "21", 0x04);  /* 213-77 exact */
	lookup("12F355", "32", 0x01);  /* 213-55 exact */
	lookup("12F399", "231", 0x00); /* 213-99: MCC 213 default */
	lookup("127377", "231", 0x00); /* 213-777 (3-digit MNC): not 213-77 */
	lookup("62F210", "1", 0x0E);   /* 262-01 exact */
	lookup("62F220", "1", 0x00);   /* 262-02: MCC 262 default */
	lookup("72F630", "43", 0x01);  /* 276-03: MCC 276 default */
	lookup("44F000", "14", 0x00);  /* 440-00: global */
	lookup("00F110", "14", 0x00);  /* 001-01: global (below every key) */
	lookup("99F999", "14", 0x00);  /* 999-99: global (above every key) */
}

static void test_home_stays_and_no_wear(void **state)
{
	unsigned commits;

	(void)state;
	boot();
	commits = X.port.commits;
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.last_mcc, 262);
	assert_int_equal(X.port.commits, commits + 1); /* the MCC is remembered */
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_loc(&X, 0, "62F220"), MI_OK);
	assert_int_equal(X.port.commits, commits + 1);		  /* nothing new: no NV write */
	assert_int_equal(X.ram.deadline[MI_TIMER_ROTATE - 1], 0); /* service: no rotation */
}

static void test_better_slot_without_dwell(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* 213-77 prefers slot 2 */
	assert_int_equal(X.nv.active_slot, 2);
	fx_expect(&X, "refresh_uicc_reset");
}

static void test_mcc_default_switch(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* 213-99: [2,3,1] */
	assert_int_equal(X.nv.active_slot, 2);
}

static void test_better_slot_after_dwell_not_before(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "12F355"), MI_OK); /* 213-55 prefers 3; 2 allowed */
	assert_int_equal(X.nv.active_slot, 2);		  /* dwell: not yet */
	assert_int_equal(fx_wait(&X, 179), 179);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(fx_wait(&X, 1), 1); /* dwell over: re-evaluated */
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.switches, 2);
	fx_expect(&X, "refresh_uicc_reset");
}

static void test_better_slot_after_dwell_status_clock(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_NO_TIMER);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "12F355"), MI_OK);
	fx_wait(&X, 150); /* 5 polls x 30 s */
	assert_int_equal(X.nv.active_slot, 2);
	fx_wait(&X, 30); /* the 6th poll ends the 180 s dwell */
	assert_int_equal(X.nv.active_slot, 3);
}

static void test_forbidden_active_switches_within_dwell(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK); /* home forbids 2,3,4 */
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 2);
}

static void test_global_rule_after_dwell(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "44F000"), MI_OK); /* 440-00: global [1,4] */
	assert_int_equal(X.nv.active_slot, 2);
	fx_wait(&X, 180);
	assert_int_equal(X.nv.active_slot, 1);
}

static void test_disabled_slot_never_chosen(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.slot[1].flags = MI_SLOT_F_DISABLED;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.enabled, 0x0D);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK); /* 262-01 [1] */
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* [2,3,1] -> 3 */
	assert_int_equal(X.nv.active_slot, 1); /* optional: a dwell on the new network first */
	fx_wait(&X, 180);
	assert_int_equal(X.nv.active_slot, 3);
	fx_drain(&X);
	/* 213-77 [2,1] forbids 3: the best there is 1 (2 disabled), never 2 */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);
}

/* The failure marks belong to the episode of lost service: once service
 * is back (on slot 3), slot 2 is the best again and is tried after the
 * dwell, as a probe; a probe that brings no service is left at once on the
 * limited-service report and the next try waits a doubled dwell; a quiet
 * dwell (no switch) resets the doubling. */
static void test_failed_slot_retried_after_episode(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* 213: [2,3,1] */
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK); /* no service */
	fx_wait(&X, 180);
	assert_int_equal(X.nv.active_slot, 3); /* slot 2 failed */
	assert_int_equal(X.nv.failed, 0x02);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* service again: episode over */
	assert_int_equal(X.nv.failed, 0);
	assert_int_equal(X.nv.active_slot, 3); /* within the dwell of the switch */
	fx_wait(&X, 180);
	assert_int_equal(X.nv.active_slot, 2); /* the best again, as a probe */
	assert_int_equal(X.nv.flags & MI_NV_F_PROBE, MI_NV_F_PROBE);
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_1); /* back to the slot left */
	assert_int_equal(X.ram.deadline[MI_TIMER_DWELL - 1] - X.ram.now_s, 360);
	fx_drain(&X);
	/* still down: the first limited-service report leaves the failed
	 * probe at once, without asking PROVIDE LOCAL INFORMATION */
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.ram.queue & 0x0004, 0); /* no PLI queued */
	assert_int_equal(X.nv.failed, 0x02);
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, MI_NV_BOUNCE_MAX); /* 1: capped */
	assert_int_equal(X.ram.deadline[MI_TIMER_DWELL - 1] - X.ram.now_s, 360);
	assert_int_equal(X.nv.prev_slot, 2);
	fx_drain(&X);
	/* slot 3 serves; the next probe only after the doubled dwell */
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK);
	fx_wait(&X, 359);
	assert_int_equal(X.nv.active_slot, 3);
	fx_wait(&X, 1);
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	/* 2 serves again (its network is back): a whole dwell without a
	 * switch resets the level */
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK);
	assert_int_equal(X.nv.flags & MI_NV_F_PROBE, 0);
	fx_wait(&X, 360);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.flags & MI_NV_BOUNCE, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookup_exact_mcc_global),
	    cmocka_unit_test(test_home_stays_and_no_wear),
	    cmocka_unit_test(test_better_slot_without_dwell),
	    cmocka_unit_test(test_mcc_default_switch),
	    cmocka_unit_test(test_better_slot_after_dwell_not_before),
	    cmocka_unit_test(test_better_slot_after_dwell_status_clock),
	    cmocka_unit_test(test_forbidden_active_switches_within_dwell),
	    cmocka_unit_test(test_global_rule_after_dwell),
	    cmocka_unit_test(test_disabled_slot_never_chosen),
	    cmocka_unit_test(test_failed_slot_retried_after_episode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
