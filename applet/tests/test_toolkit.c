/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_toolkit.c
 *  Toolkit resources owned by the card's framework (ETSI TS 102 241, the
 *  capability of mi_port.h): the core registers its events and menu entry
 *  with the port, runs its timers under the framework's identifiers and
 *  maps them back to roles at TIMER EXPIRATION, and degrades when the
 *  framework refuses (fewer timers than roles, no menu entry, no events).
 *  Applet-owned, the port is never asked.
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

/* A card whose framework grants \a timers timers from id \a first and
 * gives the menu entry item \a item (0 = refused); booted with \a tp. */
static void boot_fw(mi_u8 timers, mi_u8 first, mi_u8 item, const char *tp)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fake_port_framework(&X.port, timers, first, item);
	fx_boot(&X, tp);
}

/* The fetched command's type (TS 102 223 §8.6), 0 when none. */
static mi_u8 fetch_type(void)
{
	mi_u16 off;

	if (!fx_fetch(&X))
		return 0;
	off = X.last[1] == 0x81 ? 3 : 2;
	return X.last[off + 3];
}

static int menu_selection(mi_u8 item)
{
	mi_u8 env[] = {0xD3, 0x07, 0x82, 0x02, 0x01, 0x81, 0x90, 0x01, item};

	return mi_applet_envelope(&X.a, env, sizeof(env));
}

/* Applet-owned (the default port): SET UP EVENT LIST and SET UP MENU are
 * the core's own commands, timers 1..4, and the port's registry is never
 * asked. */
static void test_applet_owned_never_asks(void **state)
{
	mi_u8 tp[32];
	mi_u16 n;

	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	fx_hex(TP_FULL, tp, &n);
	assert_int_equal(mi_applet_terminal_profile(&X.a, tp, n), MI_OK);
	fx_expect(&X, "setup_event_list");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	fx_drain(&X);
	assert_true(X.t_exp[MI_TIMER_ROTATE] > 0); /* timer id = role */
	assert_int_equal(X.port.fw_event_regs, 0);
	assert_int_equal(X.port.fw_menu_regs, 0);
	assert_int_equal(X.port.fw_timer_asks, 0);
	assert_int_equal(menu_selection(MI_ITEM_MENU), MI_OK);
	assert_int_equal(fetch_type(), MI_CMD_SELECT_ITEM);
}

/* Framework-owned: the events and the menu entry are registered, one timer
 * per role is allocated, and the core sends neither SET UP EVENT LIST nor
 * SET UP MENU; TIMER MANAGEMENT carries the framework's ids (5..8 here). */
static void test_framework_registers(void **state)
{
	mi_u8 tp[32];
	mi_u16 n;
	mi_u8 type;
	int k;

	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fake_port_framework(&X.port, 4, 5, 0x21);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	fx_hex(TP_FULL, tp, &n);
	assert_int_equal(mi_applet_terminal_profile(&X.a, tp, n), MI_OK);
	while ((type = fetch_type()) != 0) {
		assert_int_not_equal(type, MI_CMD_EVENT_LIST);
		assert_int_not_equal(type, MI_CMD_SETUP_MENU);
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
	assert_int_equal(X.port.fw_event_regs, 1);
	assert_int_equal(X.port.fw_n_events, 1); /* no network rejection in TP_FULL */
	assert_int_equal(X.port.fw_events[0], 0x03);
	assert_int_equal(X.port.fw_menu_regs, 1);
	assert_int_equal(X.port.fw_menu_len, 11);
	assert_memory_equal(X.port.fw_menu_text, "IMSI choice", 11);
	for (k = 1; k <= (int)MI_TIMER_COUNT; k++)
		assert_int_equal(X.port.fw_timer_id[k], 4 + k);
	/* rotation (role 1) and re-evaluation (role 4) started as 5 and 8 */
	for (k = 1; k <= 4; k++)
		assert_int_equal(X.t_exp[k], 0);
	assert_true(X.t_exp[5] > 0);
	assert_true(X.t_exp[8] > 0);
	assert_true(X.ram.caps & MI_CAP_TIMER);
}

/* With network rejection in the TERMINAL PROFILE (byte 25 b7), both events. */
static void test_framework_two_events(void **state)
{
	(void)state;
	boot_fw(4, 1, 1, TP_FULL "0000000000000000000000000000000040");
	assert_int_equal(X.port.fw_n_events, 2);
	assert_memory_equal(X.port.fw_events, "\x03\x12", 2);
}

/* TIMER EXPIRATION: the framework's id maps back to the role; an id the
 * framework gave to no role of ours, or a role's own number, is refused
 * with nothing changed. */
static void test_framework_timer_ids_map_back(void **state)
{
	struct fx_snap snap;

	(void)state;
	boot_fw(4, 3, 2, TP_FULL);
	/* roles 1..4 are ids 3..6: rotation runs as id 3 */
	assert_true(X.ram.timer_run & (1u << (MI_TIMER_ROTATE - 1u)));
	fx_snap(&X, &snap);
	assert_int_equal(fx_timer(&X, 1), MI_ERR_RANGE); /* the role's number, not its id */
	fx_same(&X, &snap);
	assert_int_equal(fx_timer(&X, 7), MI_ERR_RANGE); /* never given */
	fx_same(&X, &snap);
	/* the rotation timer expires: the active slot failed, the next one
	 * is tried (a switch: its REFRESH goes out) */
	assert_int_equal(fx_wait(&X, X.ram.cfg.rotation_s), X.ram.cfg.rotation_s);
	assert_false(X.ram.timer_run & (1u << (MI_TIMER_ROTATE - 1u)));
	assert_int_equal(fetch_type(), MI_CMD_REFRESH);
	assert_int_not_equal(X.nv.active_slot, 1);
}

/* Fewer timers than roles: no timer is used at all, the clock is STATUS
 * polls (as for a terminal without TIMER MANAGEMENT), the rest works. */
static void test_framework_fewer_timers(void **state)
{
	(void)state;
	boot_fw(2, 5, 2, TP_FULL);
	assert_false(X.ram.caps & MI_CAP_TIMER);
	assert_int_equal(X.port.sends, 0); /* no TIMER MANAGEMENT, nothing else */
	assert_true(X.ram.deadline[MI_TIMER_ROTATE - 1u] > 0);
	assert_int_equal(fx_wait(&X, X.ram.cfg.rotation_s), X.ram.cfg.rotation_s);
	assert_int_equal(fetch_type(), MI_CMD_REFRESH); /* rotated on polls */
	assert_int_equal(X.ram.now_s, X.ram.cfg.rotation_s);
}

/* Menu entry refused: no menu (a MENU SELECTION is refused with nothing
 * changed), everything else works. */
static void test_framework_menu_refused(void **state)
{
	struct fx_snap snap;

	(void)state;
	boot_fw(4, 5, 0, TP_FULL);
	assert_int_equal(X.port.fw_menu_regs, 1);
	assert_false(X.ram.caps & MI_CAP_SETUP_MENU);
	assert_true(X.ram.caps & MI_CAP_TIMER);
	assert_true(X.ram.caps & MI_CAP_EVENTS);
	fx_snap(&X, &snap);
	assert_true(menu_selection(MI_ITEM_MENU) < 0);
	fx_same(&X, &snap);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* Andorra: switches to slot 2 */
	assert_int_equal(fetch_type(), MI_CMD_REFRESH);
	assert_int_equal(X.nv.active_slot, 2);
}

/* The menu entry's item identifier is the framework's, and the framework
 * hands the applet only its own entry's MENU SELECTION (TS 102 241): the
 * item it gave (42 here) opens SELECT ITEM. Applet-owned, only 01 does. */
static void test_framework_menu_item(void **state)
{
	struct fx_snap snap;

	(void)state;
	boot_fw(4, 5, 0x42, TP_FULL);
	assert_int_equal(menu_selection(0x42), MI_OK);
	assert_int_equal(fetch_type(), MI_CMD_SELECT_ITEM);
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	fx_snap(&X, &snap);
	assert_int_equal(menu_selection(0x42), MI_ERR_RANGE);
	fx_same(&X, &snap);
}

/* Event registration refused: no location status will come, so no
 * rotation clock (it would rotate blind), as without the event. */
static void test_framework_events_refused(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fake_port_framework(&X.port, 4, 5, 2);
	X.port.fw_refuse_events = 1;
	fx_boot(&X, TP_FULL);
	assert_false(X.ram.caps & MI_CAP_EVENTS);
	assert_int_equal(X.ram.deadline[MI_TIMER_ROTATE - 1u], 0);
	assert_int_equal(X.t_exp[5], 0);
}

/* A new CAT session (TERMINAL PROFILE again) registers again and gets the
 * same timer ids. */
static void test_framework_same_ids_next_session(void **state)
{
	mi_u8 tp[32];
	mi_u16 n;

	(void)state;
	boot_fw(4, 5, 2, TP_FULL);
	fx_hex(TP_FULL, tp, &n);
	assert_int_equal(mi_applet_terminal_profile(&X.a, tp, n), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.port.fw_event_regs, 2);
	assert_int_equal(X.port.fw_menu_regs, 2);
	assert_int_equal(X.port.fw_n_timers, 4);
	assert_int_equal(X.port.fw_timer_id[MI_TIMER_REEVAL], 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_applet_owned_never_asks),
	    cmocka_unit_test(test_framework_registers),
	    cmocka_unit_test(test_framework_two_events),
	    cmocka_unit_test(test_framework_timer_ids_map_back),
	    cmocka_unit_test(test_framework_fewer_timers),
	    cmocka_unit_test(test_framework_menu_refused),
	    cmocka_unit_test(test_framework_menu_item),
	    cmocka_unit_test(test_framework_events_refused),
	    cmocka_unit_test(test_framework_same_ids_next_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
