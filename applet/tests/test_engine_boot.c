/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_boot.c
 *  Install, reset and TERMINAL PROFILE: which proactive commands the engine
 *  queues for each terminal, byte for byte against test-vectors/cat/.
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

static void tp(struct fx *x, const char *hex)
{
	mi_u8 b[32];
	mi_u16 n;

	fx_hex(hex, b, &n);
	assert_int_equal(mi_applet_terminal_profile(&x->a, b, n), MI_OK);
}

static void test_install_finds_active_slot(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 1); /* EF_IMSI holds slot 1's IMSI */
	assert_int_equal(X.nv.pinned_slot, 0);
	assert_int_equal(X.nv.last_mcc, MI_MCC_NONE);
	assert_int_equal(X.nv.set_seq, 1);
	assert_int_equal(X.port.commits, 1); /* EF.MI_STATE written */
	assert_int_equal(X.port.file[MI_FILE_STATE].data[0], 0x4D);
	assert_int_equal(X.port.file[MI_FILE_STATE].data[2], MI_EF_TYPE_STATE);
	/* reset reloads the same state from EF.MI_STATE */
	memset(&X.nv, 0xEE, sizeof(X.nv));
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.last_mcc, MI_MCC_NONE);
	assert_int_equal(X.ram.mode, MI_MODE_RULES);
	assert_int_equal(X.ram.enabled, 0x0F);
	assert_int_equal(X.ram.bootstrap, 0x01);
	assert_int_equal(X.ram.rules_nr, 6);
	assert_int_equal(X.ram.rules_np, 7);
}

/* mi_nv_save() writes the EF.MI_STATE header from constants instead of
 * calling mi_ef_seal() (card image size): the file must be byte for byte
 * what mi_ef_seal() makes of the same body, with a seq and fields that are
 * not all zero. */
static void test_state_header_as_sealed(void **state)
{
	mi_u8 want[MI_EF_HDR_LEN + MI_NV_BODY_LEN];
	const mi_u8 *got = X.port.file[MI_FILE_STATE].data;

	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_write_set(&X, &S, 1, 0x01020304u); /* bank B, newer: a 4-byte seq */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 0x01020304u);
	X.nv.switches = 0xBEEF; /* differs from the file: forces a write */
	X.nv.failed = 0x0205;
	{
		struct mi_nv nv = X.nv;

		X.nv.switches = 0;
		assert_int_equal(mi_nv_commit(&X.a, &nv), MI_OK);
	}
	memcpy(want, got, sizeof(want));
	memset(want, 0, MI_EF_HDR_LEN);
	assert_int_equal(
	    mi_ef_seal(want, sizeof(want), MI_EF_TYPE_STATE, 0x01020304u, MI_NV_BODY_LEN),
	    (int)sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(mi_ef_check(got, sizeof(want), MI_EF_TYPE_STATE, NULL), (int)sizeof(want));
	assert_int_equal(got[MI_EF_HDR_LEN + 9], 0xBE); /* switches (mi_state.h), big endian */
	/* and reset reads it back */
	memset(&X.nv, 0, sizeof(X.nv));
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.switches, 0xBEEF);
	assert_int_equal(X.nv.failed, 0x0205);
}

static void test_install_unknown_imsi(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	X.port.file[MI_FILE_IMSI].data[8] ^= 0x10; /* not any slot's IMSI */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 0);
}

/* Installed before its EF set was written (the simulator's and a real
 * card's personalisation order): STATE says "slot unknown". At the reset
 * with the new set the active slot is the one in EF_IMSI, and its first
 * normal service in 262-01 (where it is the best) needs no switch and no
 * REFRESH (issue: spurious REFRESH 04 at first service). */
static void test_new_set_finds_active_slot(void **state)
{
	struct mi_slot t;
	mi_u8 imsi[9];

	(void)state;
	fx_default_set(&S);
	fx_card(&X, NULL); /* no DF.MIMSI set yet */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 0);
	fx_write_set(&X, &S, 0, 1);
	memcpy(imsi, X.port.file[MI_FILE_IMSI].data, 9);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_RULES);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.set_seq, 0); /* adopted at the first event */
	tp(&X, TP_FULL);
	assert_int_equal(X.nv.set_seq, 1);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_fetch(&X), 0); /* no REFRESH */
	assert_int_equal(X.nv.switches, 0);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9);
	/* a newer set numbering the slots differently: EF_IMSI decides again */
	t = S.slot[0];
	S.slot[0] = S.slot[1];
	S.slot[0].slot = 1;
	S.slot[1] = t;
	S.slot[1].slot = 2; /* Own, whose IMSI is in EF_IMSI, is now slot 2 */
	fx_write_set(&X, &S, 1, 2);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	tp(&X, TP_FULL); /* the first event adopts the set */
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.switches, 0); /* the same IMSI: no switch */
}

/* EF_IMSI holds no slot's IMSI: the first service adopts the best slot by
 * a switch. */
static void test_unknown_imsi_adopts_best(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	X.port.file[MI_FILE_IMSI].data[8] ^= 0x10; /* not any slot's IMSI */
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.nv.active_slot, 0);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 1);
	assert_int_equal(X.ram.refresh_qual, 0x04); /* REFRESH owed */
}

static void test_tp_full(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	tp(&X, TP_FULL);
	assert_int_equal(X.ram.caps, MI_CAP_REFRESH | MI_CAP_SELECT_ITEM | MI_CAP_SETUP_MENU |
					 MI_CAP_PLI | MI_CAP_EVENTS | MI_CAP_TIMER);
	/* one at a time: SET UP EVENT LIST, TIMER 1 (rotation), TIMER 4
	 * (re-evaluation, 23:59:59 max), SET UP MENU */
	fx_expect(&X, "setup_event_list");
	assert_int_equal(fx_fetch(&X), 0); /* nothing more until the TR */
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_expect(&X, "timer_start_180s");
	assert_int_equal(fx_tr(&X, 0x00, "A40101"), MI_OK);
	fx_expect(&X, "timer_start_reeval");
	assert_int_equal(fx_tr(&X, 0x00, "A40104"), MI_OK);
	fx_expect(&X, "setup_menu");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(fx_fetch(&X), 0);
	assert_int_equal(X.ram.timer_run, 0x09);
	assert_int_equal(X.port.commits, 1); /* only install wrote NV */
}

static void test_tp_no_timer(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	tp(&X, TP_NO_TIMER);
	assert_false(X.ram.caps & MI_CAP_TIMER);
	fx_expect(&X, "setup_event_list");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_expect(&X, "setup_menu");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(fx_fetch(&X), 0);
	/* the rotation clock still runs, on STATUS polls */
	assert_int_equal(X.ram.deadline[MI_TIMER_ROTATE - 1], 180);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.now_s, 30);
}

static void test_tp_no_menu(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	tp(&X, TP_NO_MENU);
	assert_false(X.ram.caps & (MI_CAP_SETUP_MENU | MI_CAP_SELECT_ITEM));
	fx_expect(&X, "setup_event_list");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_expect(&X, "timer_start_180s");
	assert_int_equal(fx_tr(&X, 0x00, "A40101"), MI_OK);
	fx_expect(&X, "timer_start_reeval");
	assert_int_equal(fx_tr(&X, 0x00, "A40104"), MI_OK);
	assert_int_equal(fx_fetch(&X), 0);
}

static void test_tp_menu_disabled_in_cfg(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.flags &= (mi_u8) ~(MI_CFG_F_MENU | MI_CFG_F_RETURN_HOME);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.port.sends, 2); /* event list + rotation timer only */
}

static void test_tp_no_events(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.flags = 0;
	fx_card(&X, &S);
	fx_boot(&X, "2800800000000001");   /* REFRESH and timers, no event list */
	assert_int_equal(X.port.sends, 0); /* without location events: no blind rotation */
	assert_int_equal(X.ram.deadline[MI_TIMER_ROTATE - 1], 0);
}

static void test_timer_refused_falls_back_to_status(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	tp(&X, TP_FULL);
	fx_expect(&X, "setup_event_list");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_expect(&X, "timer_start_180s");
	assert_int_equal(fx_tr(&X, 0x30, ""), MI_OK); /* beyond terminal capabilities */
	assert_false(X.ram.caps & MI_CAP_TIMER);
	fx_expect(&X, "setup_menu"); /* the timer 4 start was dropped too */
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(fx_fetch(&X), 0);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.now_s, 30);
}

static void test_tp_bad(void **state)
{
	mi_u8 b[1] = {0};

	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_terminal_profile(&X.a, b, 0), MI_ERR_TRUNCATED);
	assert_int_equal(mi_applet_terminal_profile(&X.a, NULL, 1), MI_ERR_PARAM);
	assert_int_equal(mi_applet_terminal_profile(NULL, b, 1), MI_ERR_PARAM);
	assert_int_equal(mi_applet_reset(NULL), MI_ERR_PARAM);
	assert_int_equal(mi_applet_status(NULL), MI_ERR_PARAM);
}

static void test_busy_port_keeps_queue(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	X.port.cmd_len = 5; /* the card OS has its own command pending */
	tp(&X, TP_FULL);
	assert_int_equal(X.port.sends, 0);
	assert_int_equal(X.ram.pend_type, 0);
	X.port.cmd_len = 0;
	assert_int_equal(mi_applet_status(&X.a), MI_OK); /* retried on the next event */
	fx_expect(&X, "setup_event_list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_install_finds_active_slot),
	    cmocka_unit_test(test_install_unknown_imsi),
	    cmocka_unit_test(test_new_set_finds_active_slot),
	    cmocka_unit_test(test_unknown_imsi_adopts_best),
	    cmocka_unit_test(test_tp_full),
	    cmocka_unit_test(test_tp_no_timer),
	    cmocka_unit_test(test_tp_no_menu),
	    cmocka_unit_test(test_tp_menu_disabled_in_cfg),
	    cmocka_unit_test(test_tp_no_events),
	    cmocka_unit_test(test_timer_refused_falls_back_to_status),
	    cmocka_unit_test(test_tp_bad),
	    cmocka_unit_test(test_busy_port_keeps_queue),
	    cmocka_unit_test(test_state_header_as_sealed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
