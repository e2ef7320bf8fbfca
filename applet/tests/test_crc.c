/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_crc.c
 *  mi_crc32: the check value, chunked feeding, and test-vectors/codec/crc32.data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_ef.h"
#include "vec.h"

/* The CRC-32 check value (IEEE 802.3 / zlib, "CRC-32" catalogue entry). */
static void test_check_value(void **state)
{
	const mi_u8 *s = (const mi_u8 *)"123456789";

	(void)state;
	assert_int_equal(mi_crc32(0, s, 9), 0xCBF43926UL);
	assert_int_equal(mi_crc32(0, s, 0), 0);
	assert_int_equal(mi_crc32(0, NULL, 0), 0);
}

/* Feeding in chunks gives the same result as one call. */
static void test_chunks(void **state)
{
	mi_u8 buf[300];
	mi_u32 whole, part;
	mi_u16 i, cut;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (mi_u8)(i * 7u + 3u);
	whole = mi_crc32(0, buf, sizeof(buf));
	for (cut = 0; cut <= sizeof(buf); cut = (mi_u16)(cut + 37u)) {
		part = mi_crc32(0, buf, cut);
		part = mi_crc32(part, buf + cut, (mi_u16)(sizeof(buf) - cut));
		assert_int_equal(part, whole);
	}
	/* a single flipped bit changes it */
	buf[150] ^= 0x10u;
	assert_int_not_equal(mi_crc32(0, buf, sizeof(buf)), whole);
}

static void test_vectors(void **state)
{
	static struct vec_case c;
	struct vec_file vf;
	mi_u8 in[512], want[4];
	int n, rc, count = 0;

	(void)state;
	assert_int_equal(vec_open(&vf, "test-vectors/codec/crc32.data"), 0);
	while ((rc = vec_next(&vf, &c)) == 1) {
		assert_string_equal(c.func, "crc32");
		assert_int_equal(c.nargs, 2);
		n = vec_hex_decode(c.arg[0], in, sizeof(in));
		assert_true(n >= 0);
		assert_int_equal(vec_hex_decode(c.arg[1], want, sizeof(want)), 4);
		if (mi_crc32(0, in, (mi_u16)n) != MI_GET_U32_BE(want, 0))
			fail_msg("%s:%d: crc mismatch", c.path, c.line);
		count++;
	}
	vec_close(&vf);
	assert_int_equal(rc, 0);
	assert_true(count >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_value),
	    cmocka_unit_test(test_chunks),
	    cmocka_unit_test(test_vectors),
	};

	return cmocka_run_group_tests_name("crc", tests, NULL, NULL);
}
