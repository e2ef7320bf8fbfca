/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_menu.c
 *  Manual choice: MENU SELECTION brings SELECT ITEM listing the slots; a
 *  chosen slot is pinned (no automatic switch) until "Automatic".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static void open_menu(void)
{
	assert_int_equal(fx_env_file(&X, "env_menu_selection"), MI_OK);
	fx_expect(&X, "select_item_slots");
}

static void test_pin_then_automatic(void **state)
{
	(void)state;
	boot();
	open_menu();
	assert_int_equal(fx_tr_file(&X, "tr_select_item_3"), MI_OK);
	assert_int_equal(X.nv.pinned_slot, 3);
	assert_int_equal(X.nv.active_slot, 3);
	fx_expect(&X, "refresh_uicc_reset");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_drain(&X);
	/* pinned: neither rules nor rotation move it */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* would prefer 2 */
	fx_wait(&X, 600);
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	fx_wait(&X, 600);
	assert_int_equal(X.nv.active_slot, 3);
	/* back to automatic: 213-77 rules apply again (no dwell left) */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	open_menu();
	assert_int_equal(fx_tr_file(&X, "tr_select_item_auto"), MI_OK);
	assert_int_equal(X.nv.pinned_slot, 0);
	assert_int_equal(X.nv.active_slot, 2);
}

/* A menu choice of a slot whose key set the card lacks: the switch is
 * aborted, the choice is not pinned (automatic goes on), and the TERMINAL
 * RESPONSE is still answered. */
static void test_pin_missing_keyset(void **state)
{
	mi_u8 imsi[9];

	(void)state;
	boot();
	memcpy(imsi, X.port.file[MI_FILE_IMSI].data, 9);
	X.port.refuse_keyset = 3;
	open_menu();
	assert_int_equal(fx_tr_file(&X, "tr_select_item_3"), MI_OK);
	assert_int_equal(X.nv.pinned_slot, 0);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.failed & 0x04, 0x04);
	assert_int_equal(X.port.aborts, 1);
	assert_int_equal(X.port.keyset, 1);
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9);
	assert_int_equal(X.ram.refresh_qual, 0xFF); /* no REFRESH */
}

static void test_pin_active_slot_no_switch(void **state)
{
	(void)state;
	boot();
	open_menu();
	assert_int_equal(fx_tr(&X, 0x00, "900101"), MI_OK); /* slot 1: already active */
	assert_int_equal(X.nv.pinned_slot, 1);
	assert_int_equal(X.nv.switches, 0);
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 12],
			 1); /* body byte 12: pinned */
}

static void test_user_cancels(void **state)
{
	struct fx_snap s;

	(void)state;
	boot();
	open_menu();
	assert_int_equal(fx_tr(&X, 0x10, ""), MI_OK); /* terminated by user */
	assert_int_equal(X.nv.pinned_slot, 0);
	assert_int_equal(X.ram.pend_type, 0);
	fx_snap(&X, &s);
	assert_int_equal(fx_tr(&X, 0x00, "900102"), MI_ERR_STATE); /* late answer */
	fx_same(&X, &s);
}

static void test_bad_item_no_change(void **state)
{
	static const char *bad[] = {"900107", "900100", "900181", "90020102", ""};
	struct fx_snap s;
	size_t k;

	(void)state;
	fx_default_set(&S);
	S.slot[1].flags = MI_SLOT_F_DISABLED;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_env_file(&X, "env_menu_selection"), MI_OK);
	assert_true(fx_fetch(&X) > 0);
	fx_snap(&X, &s);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_true(fx_tr(&X, 0x00, bad[k]) < 0);
		fx_same(&X, &s);
	}
	assert_true(fx_tr(&X, 0x00, "900102") == MI_ERR_RANGE); /* disabled slot */
	fx_same(&X, &s);
	assert_int_equal(fx_tr(&X, 0x00, "900104"), MI_OK);
	assert_int_equal(X.nv.pinned_slot, 4);
}

static void test_menu_selection_errors(void **state)
{
	struct fx_snap s;
	mi_u8 env[16];
	mi_u16 n;

	(void)state;
	boot();
	fx_snap(&X, &s);
	fx_hex("D307 82020181 900102", env, &n); /* item 2: we offered only 1 */
	assert_int_equal(mi_applet_envelope(&X.a, env, n), MI_ERR_RANGE);
	fx_hex("D307 82028281 900101", env, &n); /* source is not the keypad */
	assert_int_equal(mi_applet_envelope(&X.a, env, n), MI_ERR_TAG);
	fx_hex("D304 82020181", env, &n); /* no item */
	assert_int_equal(mi_applet_envelope(&X.a, env, n), MI_ERR_TAG);
	fx_same(&X, &s);
	fx_hex("D309 82020181 900101 1500", env, &n); /* help request: nothing to show */
	assert_int_equal(mi_applet_envelope(&X.a, env, n), MI_OK);
	assert_int_equal(X.port.cmd_len, 0);
	/* no menu set up (menu disabled in CFG) */
	fx_default_set(&S);
	S.cfg.flags = 0;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	fx_snap(&X, &s);
	assert_int_equal(fx_env_file(&X, "env_menu_selection"), MI_ERR_STATE);
	fx_same(&X, &s);
}

/* Ten slots: the items end "Slot 9" (8F 07 09 ...) and "Slot 10"
 * (8F 08 0A ... 31 30); the fuzz harness once saw "Slot 90" here. */
static void test_select_item_ten_slots(void **state)
{
	static const mi_u8 slot9[] = {0x8F, 0x07, 0x09, 'S', 'l', 'o', 't', ' ', '9'};
	static const mi_u8 slot10[] = {0x8F, 0x08, 0x0A, 'S', 'l', 'o', 't', ' ', '1', '0'};
	int i;

	(void)state;
	fx_default_set(&S);
	for (i = 4; i < (int)MI_MAX_SLOTS; i++) {
		S.slot[i] = S.slot[3];
		S.slot[i].slot = (mi_u8)(i + 1);
	}
	S.n_slots = (int)MI_MAX_SLOTS;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_env_file(&X, "env_menu_selection"), MI_OK);
	assert_true(fx_fetch(&X) > sizeof(slot9) + sizeof(slot10));
	assert_memory_equal(X.last + X.last_len - sizeof(slot10), slot10, sizeof(slot10));
	assert_memory_equal(X.last + X.last_len - sizeof(slot10) - sizeof(slot9), slot9,
			    sizeof(slot9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pin_then_automatic),
	    cmocka_unit_test(test_pin_missing_keyset),
	    cmocka_unit_test(test_pin_active_slot_no_switch),
	    cmocka_unit_test(test_user_cancels),
	    cmocka_unit_test(test_bad_item_no_change),
	    cmocka_unit_test(test_menu_selection_errors),
	    cmocka_unit_test(test_select_item_ten_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
