/* SPDX-License-Identifier: Apache-2.0 */
/* The simulated card's toolkit framework (simulator/uicc/sim_toolkit.c)
 * owning the applet's events, menu and timers (ETSI TS 102 241), through
 * APDUs only: after TERMINAL PROFILE the applet's TIMER MANAGEMENT carries
 * the framework's ids, the framework sends SET UP EVENT LIST and SET UP MENU
 * itself (after the applet's commands, answered by the card OS), and an
 * envelope reaches the applet only for what it registered. With the
 * applet owning them, nothing changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim_test_util.h"

struct cmd {
	int type;
	uint8_t b[300];
	size_t len;
};

/* FETCH and answer every command the card announces after \a sw (OK, or
 * "terminated by the user" for SELECT ITEM); keep them in \a out.
 * \returns how many. */
static int session(struct sim_card *c, int sw, struct cmd *out, int max)
{
	int n = 0;

	while ((sw >> 8) == 0x91 && n < max) {
		uint8_t tr[64] = {0x80, 0x14, 0x00, 0x00, 0, 0x81, 0x03};
		size_t k = 10, i;
		struct cmd *m = &out[n++];

		m->type = st_fetch(c, sw, m->b, &m->len);
		assert_true(m->type > 0);
		memcpy(tr + 7, m->b + 4, 3);
		memcpy(tr + k, "\x82\x02\x82\x81\x83\x01\x00", 7);
		if (m->type == 0x24)
			tr[k + 6] = 0x10; /* SELECT ITEM: the user backs out (§8.12) */
		k += 7;
		for (i = 2; m->type == 0x27 && i + 2 < m->len; i += 2u + m->b[i + 1])
			if ((m->b[i] & 0x7F) == 0x24) { /* timer identifier back */
				memcpy(tr + k, m->b + i, 3);
				k += 3;
				break;
			}
		tr[4] = (uint8_t)(k - 5);
		sw = st_xmit_raw(c, tr, k, NULL, NULL);
	}
	assert_int_equal(sw, 0x9000);
	return n;
}

/* The timer identifier of a TIMER MANAGEMENT (§8.37), or -1. */
static int timer_id(const struct cmd *m)
{
	size_t i;

	for (i = 2; m->type == 0x27 && i + 2 < m->len; i += 2u + m->b[i + 1])
		if ((m->b[i] & 0x7F) == 0x24)
			return m->b[i + 2];
	return -1;
}

static struct sim_card *card(int framework, uint8_t timers, uint8_t first, uint8_t item,
			     struct cmd *cmds, int *n)
{
	struct sim_toolkit_cfg t = {framework, timers, first, item};
	struct sim_card *c = st_card_with_set();
	int sw;

	assert_non_null(c);
	assert_int_equal(sim_card_set_toolkit(c, &t), SIM_OK);
	sw = st_xmit(c, "801000000AFFFFFFFFFFFFFFFFFFFF", NULL, NULL);
	*n = session(c, sw, cmds, 16);
	return c;
}

static void test_applet_owned(void **state)
{
	struct cmd cmds[16];
	struct sim_card *c;
	int n, k, timers = 0;

	(void)state;
	c = card(0, 0, 0, 0, cmds, &n);
	assert_int_equal(cmds[0].type, 0x05); /* the applet's SET UP EVENT LIST first */
	for (k = 0; k < n; k++)
		if (cmds[k].type == 0x27) {
			assert_true(timer_id(&cmds[k]) >= 1 && timer_id(&cmds[k]) <= 4);
			timers++;
		}
	assert_true(timers >= 1);
	assert_int_equal(cmds[n - 1].type, 0x25);
	assert_true(st_match(cmds[n - 1].b, cmds[n - 1].len, "D01E8103012500820281828505*"));
	/* every envelope reaches the applet: an item that is not its 01 is
	 * refused by it (6A80) */
	assert_int_equal(st_xmit(c, "80C2000009D30782020181900102", NULL, NULL), 0x6A80);
	sim_card_free(c);
}

static void test_framework_owned(void **state)
{
	struct cmd cmds[16];
	struct sim_card *c;
	uint8_t rsp[64];
	size_t rl = sizeof(rsp);
	int n, k, ev = -1, menu = -1, timers = 0, sw;

	(void)state;
	c = card(1, 4, 5, 2, cmds, &n);
	for (k = 0; k < n; k++) {
		if (cmds[k].type == 0x27) {
			assert_true(timer_id(&cmds[k]) >= 5 && timer_id(&cmds[k]) <= 8);
			assert_true(ev < 0 && menu < 0); /* the applet's chain first */
			timers++;
		} else if (cmds[k].type == 0x05) {
			ev = k;
		} else if (cmds[k].type == 0x25) {
			menu = k;
		}
	}
	assert_true(timers >= 1);
	/* the framework's: event list 03 (§8.25), menu item 02 "IMSI choice" */
	assert_true(ev >= 0 && menu > ev);
	assert_true(st_match(cmds[ev].b, cmds[ev].len, "D00C810301050082028182990103"));
	assert_true(st_match(cmds[menu].b, cmds[menu].len,
			     "D01E81030125008202818285056D696D73698F0C02494D53492063686F696365"));
	/* routing: an unallocated timer, an unregistered event, another item:
	 * the framework drops them (9000, nothing for the applet to say) */
	assert_int_equal(st_xmit(c, "80C200000ED70C82028281A40101A503000000", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "80C200000AD6089901128202828175", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "80C2000009D30782020181900101", NULL, NULL), 0x9000);
	/* its own menu item reaches it: SELECT ITEM follows */
	sw = st_xmit(c, "80C2000009D30782020181900102", rsp, &rl);
	assert_int_equal(sw >> 8, 0x91);
	n = session(c, sw, cmds, 4);
	assert_int_equal(n, 1);
	assert_int_equal(cmds[0].type, 0x24);
	sim_card_free(c);
}

/* Fewer timers than the applet's roles: no TIMER MANAGEMENT at all. */
static void test_framework_two_timers(void **state)
{
	struct cmd cmds[16];
	struct sim_card *c;
	int n, k;

	(void)state;
	c = card(1, 2, 3, 2, cmds, &n);
	for (k = 0; k < n; k++)
		assert_int_not_equal(cmds[k].type, 0x27);
	assert_true(n >= 2); /* the framework's two come last */
	assert_int_equal(cmds[n - 2].type, 0x05);
	assert_int_equal(cmds[n - 1].type, 0x25);
	sim_card_free(c);
}

/* Settings out of range are refused. */
static void test_bad_settings(void **state)
{
	struct sim_toolkit_cfg t = {1, 9, 1, 1};
	struct sim_card *c = st_card_with_set();

	(void)state;
	assert_int_equal(sim_card_set_toolkit(c, &t), SIM_ERR_PARAM);
	t.timers = 4;
	t.first_timer = 9;
	assert_int_equal(sim_card_set_toolkit(c, &t), SIM_ERR_PARAM);
	assert_int_equal(sim_card_set_toolkit(NULL, &t), SIM_ERR_PARAM);
	sim_card_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_applet_owned),
	    cmocka_unit_test(test_framework_owned),
	    cmocka_unit_test(test_framework_two_timers),
	    cmocka_unit_test(test_bad_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
