/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_bcd.c
 *  IMSI and ICCID codecs: test-vectors/codec/bcd.data plus capacity,
 *  guard-byte and round-trip cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "vec.h"

#define GUARD 0xA5u

static void run_case(const struct vec_case *c)
{
	mi_u8 ef[32], want[32];
	char digits[40];
	long rc_want;
	int rc, n;

	if (c->nargs != 3 || vec_int(c->arg[2], &rc_want) < 0)
		fail_msg("%s:%d: bad case", c->path, c->line);
	if (strcmp(c->func, "imsi_encode") == 0 || strcmp(c->func, "iccid_encode") == 0) {
		memset(ef, GUARD, sizeof(ef));
		if (c->func[1] == 'm')
			rc = mi_imsi_encode(c->arg[0], (mi_u16)strlen(c->arg[0]), ef, sizeof(ef));
		else
			rc = mi_iccid_encode(c->arg[0], (mi_u16)strlen(c->arg[0]), ef, sizeof(ef));
		if (rc != rc_want)
			fail_msg("%s:%d: %s returned %d, want %ld", c->path, c->line, c->func, rc,
				 rc_want);
		if (rc > 0) {
			n = vec_hex_decode(c->arg[1], want, sizeof(want));
			assert_int_equal(n, rc);
			if (memcmp(ef, want, (size_t)n) != 0)
				fail_msg("%s:%d: wrong bytes", c->path, c->line);
			assert_int_equal(ef[n], GUARD);
		} else {
			assert_int_equal(ef[0], GUARD); /* nothing written on error */
		}
	} else if (strcmp(c->func, "imsi_decode") == 0 || strcmp(c->func, "iccid_decode") == 0) {
		n = vec_hex_decode(c->arg[0], ef, sizeof(ef));
		assert_true(n >= 0);
		memset(digits, 'X', sizeof(digits));
		if (c->func[1] == 'm')
			rc = mi_imsi_decode(ef, (mi_u16)n, digits, sizeof(digits));
		else
			rc = mi_iccid_decode(ef, (mi_u16)n, digits, sizeof(digits));
		if (rc != rc_want)
			fail_msg("%s:%d: %s returned %d, want %ld", c->path, c->line, c->func, rc,
				 rc_want);
		if (rc >= 0)
			assert_string_equal(digits, c->arg[1]);
	} else {
		fail_msg("%s:%d: unknown function %s", c->path, c->line, c->func);
	}
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run("test-vectors/codec/bcd.data", run_case) >= 50);
}

static void test_imsi_capacity(void **state)
{
	mi_u8 ef[10];
	char d[16];

	(void)state;
	memset(ef, GUARD, sizeof(ef));
	assert_int_equal(mi_imsi_encode("262011106487504", 15, ef, 8), MI_ERR_CAPACITY);
	assert_int_equal(ef[0], GUARD);
	assert_int_equal(mi_imsi_encode("262011106487504", 15, ef, 9), 9);
	assert_int_equal(ef[9], GUARD);
	/* decode needs digits + NUL */
	memset(d, 'X', sizeof(d));
	assert_int_equal(mi_imsi_decode(ef, 9, d, 15), MI_ERR_CAPACITY);
	assert_int_equal(d[0], 'X');
	assert_int_equal(mi_imsi_decode(ef, 9, d, 16), 15);
	assert_string_equal(d, "262011106487504");
	/* ndigits counts, not the NUL: a prefix of a longer string */
	assert_int_equal(mi_imsi_encode("2620111064875049999", 15, ef, 9), 9);
	assert_int_equal(mi_imsi_decode(ef, 9, d, 16), 15);
	assert_string_equal(d, "262011106487504");
	assert_int_equal(mi_imsi_encode(NULL, 15, ef, 9), MI_ERR_PARAM);
	assert_int_equal(mi_imsi_decode(NULL, 9, d, 16), MI_ERR_PARAM);
}

/* Every length 6..15 round-trips, and the length byte is right. */
static void test_imsi_lengths(void **state)
{
	const char *src = "001019876543210";
	mi_u8 ef[9];
	char d[16];
	mi_u16 n;

	(void)state;
	for (n = 6; n <= 15; n++) {
		assert_int_equal(mi_imsi_encode(src, n, ef, sizeof(ef)), 9);
		assert_int_equal(ef[0], (n + 2) / 2);
		assert_int_equal(ef[1] & 0x0F, (n & 1) ? 0x9 : 0x1);
		assert_int_equal(mi_imsi_decode(ef, sizeof(ef), d, sizeof(d)), n);
		assert_memory_equal(d, src, n);
	}
}

static void test_iccid_capacity(void **state)
{
	mi_u8 ef[11];
	char d[21];

	(void)state;
	memset(ef, GUARD, sizeof(ef));
	assert_int_equal(mi_iccid_encode("8988211000000467343", 19, ef, 9), MI_ERR_CAPACITY);
	assert_int_equal(ef[0], GUARD);
	assert_int_equal(mi_iccid_encode("8988211000000467343", 19, ef, 10), 10);
	assert_int_equal(ef[10], GUARD);
	memset(d, 'X', sizeof(d));
	assert_int_equal(mi_iccid_decode(ef, 10, d, 19), MI_ERR_CAPACITY);
	assert_int_equal(d[0], 'X');
	assert_int_equal(mi_iccid_decode(ef, 10, d, 20), 19);
	assert_string_equal(d, "8988211000000467343");
	assert_int_equal(mi_iccid_encode(NULL, 19, ef, 10), MI_ERR_PARAM);
	assert_int_equal(mi_iccid_decode(ef, 10, NULL, 20), MI_ERR_PARAM);
}

static mi_u32 rnd_state = 12345u;

static mi_u8 rnd8(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (mi_u8)(rnd_state >> 16);
}

/* Random EF contents: decoders never read past len (ASan); any digits they
 * return re-encode to the same bytes. */
static void test_random_input(void **state)
{
	mi_u8 *ef, again[10];
	char d[21];
	mi_u16 len, i;
	int iter, n;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = (mi_u16)(rnd8() % 11u);
		ef = malloc(len + 1u);
		assert_non_null(ef);
		for (i = 0; i < len; i++)
			ef[i] = (iter & 1) ? (mi_u8)(rnd8() & 0x99u) : rnd8();
		if (len > 0 && (iter & 2))
			ef[0] = (mi_u8)(1u + rnd8() % 8u);
		n = mi_imsi_decode(ef, len, d, sizeof(d));
		if (n > 0) {
			assert_int_equal(mi_imsi_encode(d, (mi_u16)n, again, sizeof(again)), 9);
			assert_memory_equal(again, ef, 1u + ef[0]);
		}
		n = mi_iccid_decode(ef, len, d, sizeof(d));
		if (n > 0) {
			assert_int_equal(mi_iccid_encode(d, (mi_u16)n, again, sizeof(again)), 10);
			assert_memory_equal(again, ef, 10);
		}
		free(ef);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),	 cmocka_unit_test(test_imsi_capacity),
	    cmocka_unit_test(test_imsi_lengths), cmocka_unit_test(test_iccid_capacity),
	    cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests_name("bcd", tests, NULL, NULL);
}
