/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_badinput.c
 *  Every malformed input is refused with a negative mi_err and no state
 *  change (test-vectors/cat/bad_input.data); terminal TLVs are accepted
 *  with and without the comprehension-required bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"
#include "vec.h"

static struct fx X;
static struct fx_set S;

static void boot(void)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
}

static void test_vectors(void **state)
{
	struct vec_file vf;
	struct vec_case c;
	struct fx_snap s;
	mi_u8 buf[300], files[sizeof(X.port.file)];
	long want;
	int n, rc, cases = 0;

	(void)state;
	assert_int_equal(vec_open(&vf, "test-vectors/cat/bad_input.data"), 0);
	while ((rc = vec_next(&vf, &c)) == 1) {
		if (c.nargs != 2 || vec_int(c.arg[1], &want) < 0)
			fail_msg("%s:%d: bad case", c.path, c.line);
		n = vec_hex_decode(c.arg[0], buf, sizeof(buf));
		assert_true(n >= 0);
		boot();
		if (strcmp(c.func, "tr") == 0) {
			assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* switch: REFRESH */
			fx_expect(&X, "refresh_uicc_reset");
		}
		fx_snap(&X, &s);
		memcpy(files, X.port.file, sizeof(files));
		if (strcmp(c.func, "tr") == 0)
			rc = mi_applet_terminal_response(&X.a, buf, (mi_u16)n);
		else
			rc = mi_applet_envelope(&X.a, buf, (mi_u16)n);
		if (rc != want)
			fail_msg("%s:%d: got %d (%s), want %ld", c.path, c.line, rc,
				 mi_strerror(rc), want);
		if (want < 0) {
			fx_same(&X, &s);
			assert_memory_equal(files, X.port.file, sizeof(files));
		}
		cases++;
	}
	assert_int_equal(rc, 0);
	vec_close(&vf);
	assert_true(cases >= 30);
}

/* The same location event with the CR bit clear (as terminals send it)
 * and set: same outcome. */
static void test_cr_bit_both_ways(void **state)
{
	(void)state;
	boot();
	assert_int_equal(fx_env_file(&X, "env_location_normal_262_01"), MI_OK);
	assert_int_equal(X.nv.last_mcc, 262);
	boot();
	assert_int_equal(fx_env_file(&X, "env_location_normal_262_01_cr"), MI_OK);
	assert_int_equal(X.nv.last_mcc, 262);
	boot();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_true(fx_fetch(&X) > 0);
	assert_int_equal(fx_tr_file(&X, "tr_refresh_ok_no_cr"), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	/* an unknown TLV without CR is skipped */
	assert_int_equal(fx_env_file(&X, "env_location_limited_extra_tlv"), MI_OK);
	assert_int_equal(X.ram.service, 0x01);
}

static void test_timer_expiry_vector(void **state)
{
	(void)state;
	boot(); /* timer 1 (rotation) runs in the terminal */
	assert_int_equal(fx_env_file(&X, "env_timer_1_expired"), MI_OK);
	assert_int_equal(X.nv.active_slot, 4); /* no service for 180 s: global [1,4] */
	/* the same expiry again: timer 1 was not restarted yet in the terminal */
	assert_int_equal(fx_env_file(&X, "env_timer_1_expired"), MI_ERR_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_cr_bit_both_ways),
	    cmocka_unit_test(test_timer_expiry_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
