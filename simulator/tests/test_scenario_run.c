/* SPDX-License-Identifier: Apache-2.0 */
/* The runner end to end on the simulated card: determinism (the GSMTAP
 * trace twice, byte for byte), metrics that hold together, naive vs smart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario/sim_run.h"
#include "scenario/sim_trace.h"

#define JOURNEY "test-vectors/scenarios/munich-andorra.json"

static long slurp(const char *path, unsigned char **out)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*out = malloc((size_t)n + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return n;
}

static void run(const char *pcap, int naive, struct sim_run_result *r, struct sim_journey *j)
{
	struct sim_run_opts o;
	char err[512];

	memset(&o, 0, sizeof(o));
	o.pcap = pcap;
	o.naive = naive;
	if (sim_journey_load(JOURNEY, j, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (sim_run_journey(j, &o, r, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void test_same_trace_twice(void **state)
{
	struct sim_run_result r1, r2;
	struct sim_journey j1, j2;
	unsigned char *a, *b;
	long na, nb;
	int i;

	(void)state;
	run("build/test-det-1.pcap", 0, &r1, &j1);
	run("build/test-det-2.pcap", 0, &r2, &j2);
	na = slurp("build/test-det-1.pcap", &a);
	nb = slurp("build/test-det-2.pcap", &b);
	assert_true(na > 1000);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, (size_t)na);
	assert_int_equal(r1.n_lines, r2.n_lines);
	for (i = 0; i < r1.n_lines; i++)
		assert_string_equal(r1.lines[i], r2.lines[i]);
	free(a);
	free(b);
	sim_run_result_free(&r1);
	sim_run_result_free(&r2);
	sim_journey_free(&j1);
	sim_journey_free(&j2);
	remove("build/test-det-1.pcap");
	remove("build/test-det-2.pcap");
}

static void test_metrics_hold_together(void **state)
{
	struct sim_run_result s, n;
	struct sim_journey js, jn;

	(void)state;
	run(NULL, 0, &s, &js);
	run(NULL, 1, &n, &jn);
	assert_int_equal(s.n_exp_failed, 0);
	/* the oracle is a lower bound for any run */
	assert_true(s.m.cost >= s.m.cost_oracle - 1e-9);
	assert_true(n.m.cost >= n.m.cost_oracle - 1e-9);
	/* the journey is built so that Partner X in Andorra is cheaper */
	assert_true(s.m.cost < n.m.cost);
	assert_true(s.m.switches >= 2 && s.m.refreshes >= 2);
	assert_true(s.m.apdus > 1000);
	assert_true(s.m.n_tts > 0);
	assert_true(s.m.tts_p50 <= s.m.tts_p95 && s.m.tts_p95 <= s.m.tts_max);
	assert_true(s.m.served_s <= s.m.possible_s + 1e-9);
	assert_true(s.n_samples > 4);
	sim_run_result_free(&s);
	sim_run_result_free(&n);
	sim_journey_free(&js);
	sim_journey_free(&jn);
}

static void test_percentile_nearest_rank(void **state)
{
	static const double v[] = {8, 4, 184, 4, 6};

	(void)state;
	assert_true(sim_percentile(v, 5, 50) == 6);
	assert_true(sim_percentile(v, 5, 95) == 184);
	assert_true(sim_percentile(v, 5, 0) == 4);
	assert_true(sim_percentile(v, 0, 50) == 0);
}

static void test_trace_masks_pins(void **state)
{
	static const uint8_t verify[13] = {0x00, 0x20, 0x00, 0x01, 0x08, '1', '2',
					   '3',	 '4',  0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t select[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	static const uint8_t ok[2] = {0x90, 0x00};
	struct sim_trace t;
	unsigned char *b;
	long n, i;
	int found_pin = 0, found_select = 0;

	(void)state;
	assert_int_equal(sim_trace_open(&t, "build/test-mask.pcap"), 0);
	sim_trace_apdu(&t, 5, verify, sizeof(verify), ok, 2);
	sim_trace_apdu(&t, 5, select, sizeof(select), ok, 2);
	assert_int_equal(t.frames, 2);
	assert_int_equal(sim_trace_close(&t), 0);
	n = slurp("build/test-mask.pcap", &b);
	/* 24 global + 2 x (16 record + 20 IP + 8 UDP + 16 GSMTAP) + APDUs */
	assert_int_equal(n, 24 + 2 * 60 + 13 + 2 + 7 + 2);
	for (i = 0; i + 4 <= n; i++) {
		if (memcmp(b + i, "1234", 4) == 0)
			found_pin = 1;
		if (memcmp(b + i, select, sizeof(select)) == 0 && i + 7 <= n)
			found_select = 1;
	}
	assert_false(found_pin);
	assert_true(found_select);
	free(b);
	remove("build/test-mask.pcap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_trace_twice),
	    cmocka_unit_test(test_metrics_hold_together),
	    cmocka_unit_test(test_percentile_nearest_rank),
	    cmocka_unit_test(test_trace_masks_pins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
