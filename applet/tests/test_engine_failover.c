/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_failover.c
 *  Fast failover under limited service: PROVIDE LOCAL
 *  INFORMATION tells the camped PLMN; the rules of that country decide at
 *  once; a cap per hour stops a misbehaving modem from spinning the IMSIs;
 *  without PROVIDE LOCAL INFORMATION the rotation is the only way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"

static struct fx X;
static struct fx_set S;

static void boot(void)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
}

/* Limited service reported; the engine asks where the terminal is camped. */
static void limited(void)
{
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	fx_expect(&X, "pli_location");
}

static int pli_answer(const char *plmn_hex)
{
	char hex[64];

	snprintf(hex, sizeof(hex), "9307%s00010002", plmn_hex);
	return fx_tr(&X, 0x06, hex);
}

static void test_new_country_switches_at_once(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	limited(); /* at the border: the Own IMSI is not served in Andorra */
	assert_int_equal(fx_tr_file(&X, "tr_pli_limited_213_77"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2); /* 213-77: [2,1], without waiting 180 s */
	assert_int_equal(X.nv.last_mcc, 213);
	assert_int_equal(X.nv.failed, 0x01);
	assert_int_equal(X.nv.fo_count, 1);
	fx_expect(&X, "refresh_uicc_reset");
	/* normal service ends the episode */
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.fo_count, 0);
}

static void test_home_outage_no_switch(void **state)
{
	unsigned commits;

	(void)state;
	fx_default_set(&S);
	S.prof[4].forbidden = 0x0E; /* MCC 262: [1], forbid 2,3,4 */
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	commits = X.port.commits;
	limited(); /* 262-01 down: camped on 262-02, which refuses us */
	assert_int_equal(fx_tr_file(&X, "tr_pli_limited_262_02"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);	   /* the rules allow only slot 1 here */
	assert_int_equal(X.port.commits, commits); /* same MCC: nothing to write */
	fx_wait(&X, 3600);			   /* and the rotation stays too */
	assert_int_equal(X.nv.switches, 0);
}

static void test_cap_per_hour(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.failover_max_per_hour = 2;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	limited();
	assert_int_equal(pli_answer("12F377"), MI_OK); /* 213-77 -> slot 2 */
	fx_drain(&X);
	limited();
	assert_int_equal(pli_answer("72F610"), MI_OK); /* 276-01 -> slot 4 */
	fx_drain(&X);
	assert_int_equal(X.nv.active_slot, 4);
	/* a storm of rejections: no more immediate switches this hour */
	limited();
	assert_int_equal(pli_answer("12F355"), MI_OK); /* 213-55 would want 3 */
	limited();
	assert_int_equal(pli_answer("12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 4);
	assert_int_equal(X.nv.switches, 2);
	assert_int_equal(X.nv.fo_count, 2);
	/* the rotation stays the backstop (MCC 213 [2,3,1]: 3 next) */
	fx_drain(&X);
	fx_wait(&X, 180);
	assert_int_equal(X.nv.switches, 3);
}

static void test_no_decision_without_location(void **state)
{
	struct fx_snap s;

	(void)state;
	boot();
	limited();
	assert_int_equal(fx_tr_file(&X, "tr_pli_no_service"), MI_OK); /* 20 04 */
	assert_int_equal(X.nv.active_slot, 1);
	limited();
	assert_int_equal(fx_tr(&X, 0x06, ""), MI_OK); /* 06 without location */
	assert_int_equal(X.nv.active_slot, 1);
	limited();
	fx_snap(&X, &s);
	assert_int_equal(fx_tr(&X, 0x06, "9303 12F377"), MI_ERR_LENGTH);
	fx_same(&X, &s);
	assert_int_equal(fx_tr(&X, 0x06, "9307 1AF37700010002"), MI_ERR_DIGIT);
	fx_same(&X, &s);
	assert_int_equal(pli_answer("12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
}

static void test_pinned_and_disabled_failover(void **state)
{
	(void)state;
	boot();
	X.nv.pinned_slot = 1;
	limited();
	assert_int_equal(pli_answer("12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1); /* pinned: the user decides */
	assert_int_equal(X.nv.last_mcc, 213);  /* but the country is remembered */
	fx_default_set(&S);
	S.cfg.flags = MI_CFG_F_MENU; /* failover off in the CFG */
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	while (fx_fetch(&X)) { /* no PROVIDE LOCAL INFORMATION */
		assert_int_not_equal(X.last[5], 0x26);
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
}

/* A terminal without PROVIDE LOCAL INFORMATION: the country is unknown,
 * so after the allowed slots the rotation also tries the forbidden ones. */
static void test_no_pli_rotates_blind(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.prof[4].forbidden = 0x0E;
	fx_card(&X, &S);
	fx_boot(&X, "2800802111000001"); /* TP_FULL without PLI (byte 4 b7) */
	assert_int_equal(fx_loc(&X, 0, "62F220"), MI_OK);
	assert_int_equal(fx_loc(&X, 1, NULL), MI_OK);
	while (fx_fetch(&X)) { /* the rotation timer, no PROVIDE LOCAL INFORMATION */
		assert_int_equal(X.last[5], 0x27);
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
	fx_wait(&X, 180);
	fx_drain(&X);
	assert_int_equal(X.nv.active_slot, 2);
}

/* ---- NETWORK REJECTION event -------------------------------------------- */

#define TP_REJECT                                                                                  \
	"2800806111000001"                                                                         \
	"00000000000000000000000000000000"                                                         \
	"50"

static int fx_hex_env(const char *hex)
{
	mi_u8 env[64];
	mi_u16 n;

	fx_hex(hex, env, &n);
	return mi_applet_envelope(&X.a, env, n);
}

static void boot_reject(void)
{
	mi_u8 tp[32];
	mi_u16 n;

	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	fx_hex(TP_REJECT, tp, &n);
	assert_int_equal(mi_applet_terminal_profile(&X.a, tp, n), MI_OK);
	fx_expect(&X, "setup_event_list_reject"); /* location status + network rejection */
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_drain(&X);
}

/* A rejection envelope from the TAI of \a plmn_hex with \a cause. */
static int reject(const char *plmn_hex, mi_u8 cause)
{
	char hex[128];
	mi_u8 env[64];
	mi_u16 n;

	snprintf(hex, sizeof(hex), "D617 990112 82028281 7D05%s0001 3F0108 740109 7501%02X",
		 plmn_hex, cause);
	fx_hex(hex, env, &n);
	return mi_applet_envelope(&X.a, env, n);
}

static void test_reject_permanent_switches_at_once(void **state)
{
	(void)state;
	boot_reject();
	assert_true(X.ram.caps & MI_CAP_NET_REJECT);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_env_file(&X, "env_reject_11_213_77"), MI_OK); /* #11 in 213-77 */
	assert_int_equal(X.nv.active_slot, 2); /* MCC 213 [2,3,1] minus failed 1 */
	assert_int_equal(X.nv.last_mcc, 213);
	assert_int_equal(X.nv.failed, 0x01);
	assert_int_equal(X.nv.fo_count, 1);
	/* a second rejection before the REFRESH is done concerns the old IMSI */
	assert_int_equal(reject("12F377", 13), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	fx_expect(&X, "refresh_uicc_reset");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	/* now the new IMSI is rejected too (#13): next candidate 3 */
	assert_int_equal(reject("12F377", 13), MI_OK);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.failed, 0x03);
}

static void test_reject_temporary_keeps_timer(void **state)
{
	static const mi_u8 temporary[] = {17, 22, 0, 16, 42, 111};
	size_t k;

	(void)state;
	boot_reject();
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	for (k = 0; k < sizeof(temporary); k++)
		assert_int_equal(reject("12F377", temporary[k]), MI_OK);
	assert_int_equal(X.nv.switches, 0);
	assert_true(X.ram.deadline[MI_TIMER_ROTATE - 1] != 0); /* the normal timer runs */
}

static void test_reject_storm_is_capped(void **state)
{
	int k;

	(void)state;
	boot_reject();
	for (k = 0; k < 20; k++) {
		/* every IMSI refused everywhere, the modem reports each at once */
		assert_int_equal(reject(k & 1 ? "12F377" : "72F610", 11), MI_OK);
		fx_drain(&X); /* REFRESH done: the next report is about the new IMSI */
	}
	assert_int_equal(X.nv.switches, 6); /* failover_max_per_hour */
	assert_int_equal(X.nv.fo_count, 6);
	/* the backstop stays: normal service resets the count */
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(X.nv.fo_count, 0);
}

static void test_reject_bad_input(void **state)
{
	static const char *bad[] = {
	    "D614 990112 82028281 7D0512F3770001 3F0108 740109",	/* no cause */
	    "D616 990112 82028281 7D0412F37700 3F0108 740109 75010B",	/* TAI too short */
	    "D617 990112 82028281 7D051AF3770001 3F0108 740109 75010B", /* bad PLMN */
	    "D60D 990112 82028281 3F0108 75010B",			/* no area */
	    "D617 990112 82028182 7D0512F3770001 3F0108 740109 75010B", /* device ids */
	};
	static const int want[] = {MI_ERR_TAG, MI_ERR_LENGTH, MI_ERR_DIGIT, MI_ERR_TAG, MI_ERR_TAG};
	struct fx_snap s;
	mi_u8 env[64];
	mi_u16 n;
	size_t k;

	(void)state;
	boot_reject();
	fx_snap(&X, &s);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		fx_hex(bad[k], env, &n);
		assert_int_equal(mi_applet_envelope(&X.a, env, n), want[k]);
		fx_same(&X, &s);
	}
	/* routing area identification (GERAN/UTRAN) works as well */
	assert_int_equal(fx_hex_env("D612 990112 82028281 730612F37700011A 75010D"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
}

/* The modem's vectors (written for the virtual modem's failover profiles) decode
 * and act as the causes say. */
static void test_reject_modem_vectors(void **state)
{
	(void)state;
	boot_reject();
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_env_file(&X, "env_network_rejection_17"), MI_OK);	    /* #17 */
	assert_int_equal(fx_env_file(&X, "env_network_rejection_22_utran"), MI_OK); /* #22, RAI */
	assert_int_equal(X.nv.switches, 0);
	/* #13 in 213-55 (TA update): the next candidate of MCC 213's rules
	 * [2,3,1] (the country, not the one network that refused) -> slot 2 */
	assert_int_equal(fx_env_file(&X, "env_network_rejection_13_ta_update"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.last_mcc, 213);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_country_switches_at_once),
	    cmocka_unit_test(test_home_outage_no_switch),
	    cmocka_unit_test(test_cap_per_hour),
	    cmocka_unit_test(test_no_decision_without_location),
	    cmocka_unit_test(test_pinned_and_disabled_failover),
	    cmocka_unit_test(test_no_pli_rotates_blind),
	    cmocka_unit_test(test_reject_permanent_switches_at_once),
	    cmocka_unit_test(test_reject_temporary_keeps_timer),
	    cmocka_unit_test(test_reject_storm_is_capped),
	    cmocka_unit_test(test_reject_bad_input),
	    cmocka_unit_test(test_reject_modem_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
