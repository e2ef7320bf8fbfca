/* SPDX-License-Identifier: Apache-2.0 */
/* The virtual clock: (time, sequence) order, FIFO at equal times, clamping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/sim_evq.h"

static void test_order_by_time(void **state)
{
	struct sim_evq q;
	struct sim_event ev;
	static const sim_time_t at[] = {50, 10, 30, 20, 40};
	int i;

	(void)state;
	sim_evq_init(&q);
	for (i = 0; i < 5; i++)
		assert_int_equal(sim_evq_push(&q, at[i], 1, i, 0), 0);
	assert_int_equal(sim_evq_peek_time(&q), 10);
	for (i = 1; i <= 5; i++) {
		assert_int_equal(sim_evq_pop(&q, &ev), 1);
		assert_int_equal(ev.t, i * 10);
		assert_int_equal(q.now, i * 10);
	}
	assert_int_equal(sim_evq_pop(&q, &ev), 0);
	assert_int_equal(sim_evq_peek_time(&q), -1);
	sim_evq_free(&q);
}

static void test_fifo_at_same_time(void **state)
{
	struct sim_evq q;
	struct sim_event ev;
	int i;

	(void)state;
	sim_evq_init(&q);
	for (i = 0; i < 200; i++)
		sim_evq_push(&q, 7, 2, i, (uint32_t)i);
	for (i = 0; i < 200; i++) {
		assert_int_equal(sim_evq_pop(&q, &ev), 1);
		assert_int_equal(ev.a, i);
		assert_int_equal(ev.gen, (uint32_t)i);
	}
	sim_evq_free(&q);
}

static void test_past_is_clamped_to_now(void **state)
{
	struct sim_evq q;
	struct sim_event ev;

	(void)state;
	sim_evq_init(&q);
	sim_evq_push(&q, 100, 1, 0, 0);
	sim_evq_pop(&q, &ev);
	sim_evq_push(&q, 5, 1, 1, 0); /* in the past: happens now, never before */
	sim_evq_push(&q, 100, 1, 2, 0);
	assert_int_equal(sim_evq_pop(&q, &ev), 1);
	assert_int_equal(ev.t, 100);
	assert_int_equal(ev.a, 1);
	assert_int_equal(sim_evq_pop(&q, &ev), 1);
	assert_int_equal(ev.a, 2);
	sim_evq_free(&q);
}

static void test_many_pseudo_random(void **state)
{
	struct sim_evq q;
	struct sim_event ev;
	uint32_t x = 12345;
	sim_time_t last = -1;
	uint64_t last_seq = 0;
	int i;

	(void)state;
	sim_evq_init(&q);
	for (i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		sim_evq_push(&q, (sim_time_t)(x >> 20), 0, i, 0);
	}
	for (i = 0; i < 5000; i++) {
		assert_int_equal(sim_evq_pop(&q, &ev), 1);
		assert_true(ev.t >= last);
		if (ev.t == last)
			assert_true(ev.seq > last_seq);
		last = ev.t;
		last_seq = ev.seq;
	}
	assert_int_equal(q.n, 0);
	sim_evq_free(&q);
}

/* Caller storage (the modem's effect queue): never grows, a push beyond
 * the capacity fails and changes nothing, free leaves the storage alone. */
static void test_fixed_storage(void **state)
{
	struct sim_event buf[3];
	struct sim_evq q;
	struct sim_event ev;
	int i;

	(void)state;
	sim_evq_init_fixed(&q, buf, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(sim_evq_push(&q, 0, 1, i, 0), 0);
	assert_int_equal(sim_evq_push(&q, 0, 1, 3, 0), -1);
	assert_int_equal(q.n, 3);
	assert_ptr_equal(q.heap, buf);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sim_evq_pop(&q, &ev), 1);
		assert_int_equal(ev.a, i);
	}
	assert_int_equal(sim_evq_push(&q, 0, 1, 9, 0), 0);
	assert_int_equal(sim_evq_pop(&q, &ev), 1);
	assert_int_equal(ev.a, 9);
	sim_evq_free(&q); /* not free(buf): ASan would say */
	assert_null(q.heap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_by_time),
	    cmocka_unit_test(test_fifo_at_same_time),
	    cmocka_unit_test(test_past_is_clamped_to_now),
	    cmocka_unit_test(test_many_pseudo_random),
	    cmocka_unit_test(test_fixed_storage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
