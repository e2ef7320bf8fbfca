/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_timer.c
 *  Timer value codec: test-vectors/codec/timer.data, a full round trip of
 *  every second of the day, and the guard byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "mimsi/mi_timer.h"
#include "vec.h"

#define GUARD 0xA5u

static void run_case(const struct vec_case *c)
{
	mi_u8 buf[8], want[8];
	long secs, rc_want;
	mi_u32 got = 0xDEADu;
	int rc, n;

	if (c->nargs != 3 || vec_int(c->arg[2], &rc_want) < 0)
		fail_msg("%s:%d: bad case", c->path, c->line);
	memset(buf, GUARD, sizeof(buf));
	if (strcmp(c->func, "timer_encode") == 0) {
		assert_int_equal(vec_int(c->arg[0], &secs), 0);
		rc = mi_timer_encode((mi_u32)secs, buf, sizeof(buf));
		if (rc != rc_want)
			fail_msg("%s:%d: got %d want %ld", c->path, c->line, rc, rc_want);
		if (rc > 0) {
			assert_int_equal(vec_hex_decode(c->arg[1], want, sizeof(want)), 3);
			assert_memory_equal(buf, want, 3);
			assert_int_equal(buf[3], GUARD);
		} else {
			assert_int_equal(buf[0], GUARD);
		}
	} else if (strcmp(c->func, "timer_decode") == 0) {
		n = vec_hex_decode(c->arg[0], buf, sizeof(buf));
		rc = mi_timer_decode(buf, (mi_u16)n, &got);
		if (rc != rc_want)
			fail_msg("%s:%d: got %d want %ld", c->path, c->line, rc, rc_want);
		assert_int_equal(vec_int(c->arg[1], &secs), 0);
		if (rc > 0)
			assert_int_equal(got, secs);
		else
			assert_int_equal(got, 0xDEADu); /* untouched on error */
	} else {
		fail_msg("%s:%d: unknown function %s", c->path, c->line, c->func);
	}
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run("test-vectors/codec/timer.data", run_case) >= 20);
}

static void test_whole_day(void **state)
{
	mi_u8 buf[3];
	mi_u32 s, got;

	(void)state;
	for (s = 0; s <= MI_TIMER_MAX_S; s++) {
		assert_int_equal(mi_timer_encode(s, buf, 3), 3);
		assert_int_equal(mi_timer_decode(buf, 3, &got), 3);
		if (got != s)
			fail_msg("%lu came back as %lu", (unsigned long)s, (unsigned long)got);
	}
}

static void test_capacity(void **state)
{
	mi_u8 buf[4];
	mi_u32 got;

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_timer_encode(90, buf, 2), MI_ERR_CAPACITY);
	assert_int_equal(buf[0], GUARD);
	assert_int_equal(mi_timer_encode(90, NULL, 3), MI_ERR_PARAM);
	assert_int_equal(mi_timer_decode(buf, 3, NULL), MI_ERR_PARAM);
	assert_int_equal(mi_timer_decode(NULL, 3, &got), MI_ERR_PARAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_whole_day),
	    cmocka_unit_test(test_capacity),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
