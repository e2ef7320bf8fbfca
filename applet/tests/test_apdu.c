/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_apdu.c
 *  Command APDU parser: test-vectors/codec/apdu.data, every Lc/length
 *  combination, and over-read checks with exact-size buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"
#include "vec.h"

static long num(const struct vec_case *c, int i)
{
	long v;

	if (i >= c->nargs || vec_int(c->arg[i], &v) < 0)
		fail_msg("%s:%d: bad argument %d", c->path, c->line, i);
	return v;
}

static void run_case(const struct vec_case *c)
{
	mi_u8 buf[300], data[300];
	struct mi_apdu a;
	int n, dn, rc;

	if (strcmp(c->func, "apdu_parse") != 0 || c->nargs != 6)
		fail_msg("%s:%d: unknown function or arity", c->path, c->line);
	n = vec_hex_decode(c->arg[0], buf, sizeof(buf));
	assert_true(n >= 0);
	rc = mi_apdu_parse(buf, (mi_u16)n, &a);
	if (rc != num(c, 1))
		fail_msg("%s:%d: got %d want %ld", c->path, c->line, rc, num(c, 1));
	if (rc != MI_OK) {
		assert_null(a.data);
		return;
	}
	assert_int_equal(a.cla, buf[0]);
	assert_int_equal(a.ins, buf[1]);
	assert_int_equal(a.p1, buf[2]);
	assert_int_equal(a.p2, buf[3]);
	if (a.apdu_case != num(c, 2) || a.lc != num(c, 3) || a.le != num(c, 4))
		fail_msg("%s:%d: case %u lc %u le %u", c->path, c->line, a.apdu_case, a.lc, a.le);
	dn = vec_hex_decode(c->arg[5], data, sizeof(data));
	assert_int_equal(dn, a.lc);
	if (dn == 0)
		assert_null(a.data);
	else
		assert_memory_equal(a.data, data, (size_t)dn);
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run("test-vectors/codec/apdu.data", run_case) >= 15);
}

/* Every Lc 1..255 and every length 5..262: exactly two lengths parse
 * (case 3 and case 4), every other one is MI_ERR_LENGTH. Buffers are
 * allocated at the exact length so ASan catches any over-read. */
static void test_all_lengths(void **state)
{
	struct mi_apdu a;
	mi_u16 lc, len;
	mi_u8 *buf;
	int rc;

	(void)state;
	for (lc = 1; lc <= 255; lc++) {
		for (len = 6; len <= 262; len++) {
			buf = malloc(len);
			assert_non_null(buf);
			memset(buf, 0x5A, len);
			buf[4] = (mi_u8)lc;
			buf[len - 1u] = 0x00;
			rc = mi_apdu_parse(buf, len, &a);
			if (len == 5u + lc) {
				assert_int_equal(rc, MI_OK);
				assert_int_equal(a.apdu_case, MI_APDU_CASE_3);
				assert_int_equal(a.le, 0);
				assert_ptr_equal(a.data, buf + 5);
			} else if (len == 6u + lc) {
				assert_int_equal(rc, MI_OK);
				assert_int_equal(a.apdu_case, MI_APDU_CASE_4);
				assert_int_equal(a.le, 256);
			} else {
				assert_int_equal(rc, MI_ERR_LENGTH);
			}
			free(buf);
		}
	}
	assert_int_equal(mi_apdu_parse(NULL, 4, &a), MI_ERR_PARAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_all_lengths),
	};

	return cmocka_run_group_tests_name("apdu", tests, NULL, NULL);
}
