/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_softtimer.c
 *  The soft timer unit (mi_softtimer.c) alone: RAM and the CFG only, no
 *  port (a->port stays NULL, so any port call would crash the test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mi_softtimer_int.h"
#include "mimsi/mi_timer.h"

struct st {
	struct mi_ram ram;
	struct mi_nv nv;
	struct mi_applet a;
};

static struct st *st_new(mi_u8 caps)
{
	static struct st s;

	memset(&s, 0, sizeof(s));
	s.a.ram = &s.ram;
	s.a.nv = &s.nv;
	s.ram.caps = caps;
	s.ram.now_s = 1000;
	s.ram.cfg.rotation_s = 180;
	s.ram.cfg.min_dwell_s = 300;
	s.ram.cfg.reeval_min = 60;
	return &s;
}

/* Armed: due at now + seconds, clamped to 1 s .. 23:59:59 (TS 102 223
 * §8.38); queued for TIMER MANAGEMENT only with timers in the profile. */
static void test_arm_clamps_and_queues(void **state)
{
	struct st *s = st_new(MI_CAP_TIMER);

	(void)state;
	mi_timer_arm(&s->a, MI_TIMER_DWELL, 0);
	assert_int_equal(s->ram.deadline[MI_TIMER_DWELL - 1u], 1001);
	assert_true(s->ram.queue & MI_Q_TIMER(MI_TIMER_DWELL));
	mi_timer_arm(&s->a, MI_TIMER_RETRY, 200000);
	assert_int_equal(s->ram.deadline[MI_TIMER_RETRY - 1u], 1000 + MI_TIMER_MAX_S);
	s = st_new(0);
	mi_timer_arm(&s->a, MI_TIMER_ROTATE, 60);
	assert_int_equal(s->ram.deadline[MI_TIMER_ROTATE - 1u], 1060);
	assert_int_equal(s->ram.queue, 0); /* STATUS polls count instead */
}

static void test_cancel_and_left(void **state)
{
	struct st *s = st_new(MI_CAP_TIMER);

	(void)state;
	mi_timer_arm(&s->a, MI_TIMER_REEVAL, 90);
	assert_int_equal(mi_timer_left(&s->a, MI_TIMER_REEVAL), 90);
	s->ram.now_s = 2000; /* passed while its start waited: at least 1 s */
	assert_int_equal(mi_timer_left(&s->a, MI_TIMER_REEVAL), 1);
	mi_timer_cancel(&s->a, MI_TIMER_REEVAL);
	assert_int_equal(s->ram.deadline[MI_TIMER_REEVAL - 1u], 0);
	assert_false(s->ram.queue & MI_Q_TIMER(MI_TIMER_REEVAL));
}

/* Backoff: the rotation doubles per failed round, the dwell per
 * back-and-forth; re-evaluation is reeval_min x 60, capped at 23:59:59. */
static void test_periods(void **state)
{
	struct st *s = st_new(0);

	(void)state;
	assert_int_equal(mi_rotation_s(&s->a), 180);
	s->nv.flags = (mi_u8)(2u << MI_NV_ROUND_SHIFT);
	assert_int_equal(mi_rotation_s(&s->a), 720);
	assert_int_equal(mi_dwell_s(&s->a), 300);
	s->nv.flags |= MI_NV_BOUNCE_1;
	assert_int_equal(mi_dwell_s(&s->a), 600);
	assert_int_equal(mi_reeval_s(&s->a), 3600);
	s->ram.cfg.reeval_min = 1440;
	assert_int_equal(mi_reeval_s(&s->a), MI_TIMER_MAX_S);
	mi_rotate_arm(&s->a);
	assert_int_equal(s->ram.deadline[MI_TIMER_ROTATE - 1u], 1720);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arm_clamps_and_queues),
	    cmocka_unit_test(test_cancel_and_left),
	    cmocka_unit_test(test_periods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
