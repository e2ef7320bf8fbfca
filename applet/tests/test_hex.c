/* SPDX-License-Identifier: Apache-2.0 */
/* mi_hex: the host tools' shared hex text codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "mimsi/mi_hex.h"

static void test_decode_forms(void **state)
{
	static const mi_u8 want[] = {0x00, 0xA4, 0x04, 0x0C};
	mi_u8 out[8];

	(void)state;
	assert_int_equal(mi_hex_decode("00A4040C", out, sizeof(out)), 4);
	assert_memory_equal(out, want, 4);
	assert_int_equal(mi_hex_decode("00 a4\t04:0c\r\n", out, sizeof(out)), 4);
	assert_memory_equal(out, want, 4);
	assert_int_equal(mi_hex_decode("", out, sizeof(out)), 0);
}

static void test_decode_errors(void **state)
{
	mi_u8 out[3] = {0x11, 0x22, 0x33};

	(void)state;
	assert_int_equal(mi_hex_decode("0G", out, sizeof(out)), MI_ERR_DIGIT);
	assert_int_equal(mi_hex_decode("ABC", out, sizeof(out)), MI_ERR_LENGTH);
	/* capacity: two bytes fit, the third is refused and never written */
	assert_int_equal(mi_hex_decode("010203", out, 2), MI_ERR_CAPACITY);
	assert_int_equal(out[2], 0x33);
}

static void test_encode(void **state)
{
	static const mi_u8 in[] = {0x62, 0xF2, 0x10};
	char out[8];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(mi_hex_encode(in, 3, out, 7), 6);
	assert_string_equal(out, "62F210");
	/* 6 digits need 7 chars with the NUL: 6 is too small, nothing written */
	memset(out, 'x', sizeof(out));
	assert_int_equal(mi_hex_encode(in, 3, out, 6), MI_ERR_CAPACITY);
	assert_int_equal(out[0], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_forms),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
