/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_cat_build.c
 *  The proactive command builders of mi_cat.c alone, every value an
 *  argument: test-vectors/cat/build.data byte for byte, nothing written
 *  past the command, and the one-byte length bound of mi_cat_close().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mi_cat_int.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"
#include "vec.h"

#define GUARD 0xA5u

static long num(const struct vec_case *c, int k)
{
	long v;

	if (k >= c->nargs || vec_int(c->arg[k], &v) < 0)
		fail_msg("%s:%d: argument %d is not a number", c->path, c->line, k + 1);
	return v;
}

static void run_case(const struct vec_case *c)
{
	mi_u8 buf[MI_CMD_BUF + 8], want[MI_CMD_BUF], ev[16], *p;
	mi_u8 number = (mi_u8)num(c, 0);
	int n_want, n_ev;
	mi_u16 n;

	memset(buf, GUARD, sizeof(buf));
	n_want = vec_hex_decode(c->arg[c->nargs - 1], want, sizeof(want));
	assert_true(n_want > 0);
	if (!strcmp(c->func, "cmd")) {
		p = mi_cat_head(buf, number, (mi_u8)num(c, 1), (mi_u8)num(c, 2), (mi_u8)num(c, 3));
	} else if (!strcmp(c->func, "events")) {
		n_ev = vec_hex_decode(c->arg[1], ev, sizeof(ev));
		assert_true(n_ev >= 0);
		p = mi_cat_head(buf, number, MI_CMD_EVENT_LIST, 0x00, MI_DEV_TERMINAL);
		p = mi_cat_events(p, ev, (mi_u8)n_ev);
	} else if (!strcmp(c->func, "timer")) {
		p = mi_cat_head(buf, number, MI_CMD_TIMER, 0x00, MI_DEV_TERMINAL);
		p = mi_cat_timer(p, (mi_u8)num(c, 1), (mi_u32)num(c, 2));
	} else if (!strcmp(c->func, "refresh")) {
		p = mi_cat_head(buf, number, MI_CMD_REFRESH, (mi_u8)num(c, 1), MI_DEV_TERMINAL);
		p = mi_cat_files(p);
	} else if (!strcmp(c->func, "menu")) {
		p = mi_cat_head(buf, number, MI_CMD_SETUP_MENU, 0x00, MI_DEV_TERMINAL);
		p = mi_cat_menu(p, (mi_u8)num(c, 1));
	} else if (!strcmp(c->func, "items")) {
		p = mi_cat_head(buf, number, MI_CMD_SELECT_ITEM, 0x00, MI_DEV_TERMINAL);
		p = mi_cat_items(p, (mi_u16)num(c, 1));
	} else {
		fail_msg("%s:%d: unknown builder %s", c->path, c->line, c->func);
		return;
	}
	n = mi_cat_close(buf, p);
	if (n != n_want || memcmp(buf, want, n))
		fail_msg("%s:%d: %s: %u bytes, not the %d expected (or other bytes)", c->path,
			 c->line, c->func, n, n_want);
	/* the builders write exactly the command: the byte after it is
	 * untouched, except the spare byte a short "Slot N" item may leave */
	if (strcmp(c->func, "items"))
		assert_int_equal(buf[n], GUARD);
	assert_true(n <= MI_CMD_BUF);
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run("test-vectors/cat/build.data", run_case) >= 23);
}

/* The commands already checked against tshark (the .hex files beside
 * build.data) come out of the builders unchanged. */
static void test_same_as_engine_vectors(void **state)
{
	mi_u8 buf[MI_CMD_BUF], want[MI_CMD_BUF], *p;
	int n;

	(void)state;
	p = mi_cat_head(buf, MI_CMD_NUMBER, MI_CMD_TIMER, 0x00, MI_DEV_TERMINAL);
	p = mi_cat_timer(p, 1, 180);
	n = vec_read_hex_file("test-vectors/cat/timer_start_180s.hex", want, sizeof(want));
	assert_int_equal(mi_cat_close(buf, p), n);
	assert_memory_equal(buf, want, (size_t)n);
	p = mi_cat_head(buf, MI_CMD_NUMBER, MI_CMD_SETUP_MENU, 0x00, MI_DEV_TERMINAL);
	p = mi_cat_menu(p, MI_ITEM_MENU);
	n = vec_read_hex_file("test-vectors/cat/setup_menu.hex", want, sizeof(want));
	assert_int_equal(mi_cat_close(buf, p), n);
	assert_memory_equal(buf, want, (size_t)n);
}

/* A body of 128 bytes or more would need a two-byte length: refused with
 * 0 (the port refuses a 0-byte command), nothing written. */
static void test_close_bound(void **state)
{
	mi_u8 buf[MI_CMD_BUF + 8];

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_cat_close(buf, buf + 2 + 127), 129);
	assert_int_equal(buf[0], MI_BTAG_PROACTIVE);
	assert_int_equal(buf[1], 127);
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_cat_close(buf, buf + 2 + 128), 0);
	assert_int_equal(buf[0], GUARD);
	assert_int_equal(buf[1], GUARD);
}

/* The menu text the framework-owned path registers is the SET UP MENU item's. */
static void test_menu_text(void **state)
{
	mi_u8 buf[MI_CMD_BUF], *p;

	(void)state;
	p = mi_cat_menu(buf, 0x07);
	assert_int_equal(p - buf, 2 + 5 + 2 + 1 + MI_CAT_MENU_TEXT_LEN);
	assert_int_equal(buf[9], 0x07);
	assert_memory_equal(buf + 10, mi_cat_menu_text, MI_CAT_MENU_TEXT_LEN);
	assert_memory_equal(mi_cat_menu_text, "IMSI choice", MI_CAT_MENU_TEXT_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_same_as_engine_vectors),
	    cmocka_unit_test(test_close_bound),
	    cmocka_unit_test(test_menu_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
