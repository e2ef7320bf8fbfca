/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_plmn.c
 *  PLMN codecs: test-vectors/codec/plmn.data plus format, equality,
 *  capacity and exhaustive round-trip cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "vec.h"

#define GUARD 0xA5u

static void check_rc(const struct vec_case *c, int rc, const char *arg)
{
	long want;

	if (vec_int(arg, &want) < 0)
		fail_msg("%s:%d: bad result token", c->path, c->line);
	if (rc != want)
		fail_msg("%s:%d: %s returned %d, want %ld", c->path, c->line, c->func, rc, want);
}

static void check_text(const struct vec_case *c, const struct mi_plmn *p, const char *want)
{
	char text[8];

	assert_true(mi_plmn_format(p, text, sizeof(text)) > 0);
	if (strcmp(text, want) != 0)
		fail_msg("%s:%d: got %s, want %s", c->path, c->line, text, want);
}

static void parse_ok(const char *text, struct mi_plmn *p)
{
	assert_int_equal(mi_plmn_parse(text, (mi_u16)strlen(text), p), MI_OK);
}

static void run_case(const struct vec_case *c)
{
	mi_u8 out[8], want[8];
	struct mi_plmn p;
	long mcc, mnc, nd, act;
	mi_u16 got_act;
	int rc, n;

	memset(out, GUARD, sizeof(out));
	memset(&p, 0, sizeof(p));
	if (strcmp(c->func, "plmn_encode") == 0 && c->nargs == 5) {
		assert_int_equal(vec_int(c->arg[0], &mcc), 0);
		assert_int_equal(vec_int(c->arg[1], &mnc), 0);
		assert_int_equal(vec_int(c->arg[2], &nd), 0);
		p.mcc = (mi_u16)mcc;
		p.mnc = (mi_u16)mnc;
		p.mnc_digits = (mi_u8)nd;
		rc = mi_plmn_encode(&p, out, sizeof(out));
		check_rc(c, rc, c->arg[4]);
		n = vec_hex_decode(c->arg[3], want, sizeof(want));
		if (rc > 0) {
			assert_int_equal(n, 3);
			assert_memory_equal(out, want, 3);
			assert_int_equal(out[3], GUARD);
		} else {
			assert_int_equal(out[0], GUARD);
		}
	} else if (strcmp(c->func, "plmn_decode") == 0 && c->nargs == 3) {
		n = vec_hex_decode(c->arg[0], out, sizeof(out));
		rc = mi_plmn_decode(out, (mi_u16)n, &p);
		check_rc(c, rc, c->arg[2]);
		if (rc > 0)
			check_text(c, &p, c->arg[1]);
	} else if (strcmp(c->func, "plmn_parse") == 0 && c->nargs == 3) {
		rc = mi_plmn_parse(c->arg[0], (mi_u16)strlen(c->arg[0]), &p);
		check_rc(c, rc, c->arg[2]);
		if (rc == MI_OK)
			check_text(c, &p, c->arg[1]);
	} else if (strcmp(c->func, "plmnwact_encode") == 0 && c->nargs == 4) {
		parse_ok(c->arg[0], &p);
		assert_int_equal(vec_int(c->arg[1], &act), 0);
		rc = mi_plmnwact_encode(&p, (mi_u16)act, out, sizeof(out));
		check_rc(c, rc, c->arg[3]);
		if (rc > 0) {
			assert_int_equal(vec_hex_decode(c->arg[2], want, sizeof(want)), 5);
			assert_memory_equal(out, want, 5);
			assert_int_equal(out[5], GUARD);
		}
	} else if (strcmp(c->func, "plmnwact_decode") == 0 && c->nargs == 4) {
		n = vec_hex_decode(c->arg[0], out, sizeof(out));
		rc = mi_plmnwact_decode(out, (mi_u16)n, &p, &got_act);
		check_rc(c, rc, c->arg[3]);
		if (rc > 0) {
			check_text(c, &p, c->arg[1]);
			assert_int_equal(vec_int(c->arg[2], &act), 0);
			assert_int_equal(got_act, act);
		}
	} else {
		fail_msg("%s:%d: unknown function or arity %s", c->path, c->line, c->func);
	}
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run("test-vectors/codec/plmn.data", run_case) >= 50);
}

/* Every MCC with a sample of MNCs survives encode -> decode -> format -> parse. */
static void test_roundtrip_all_mcc(void **state)
{
	static const mi_u16 mncs[] = {0, 1, 9, 10, 42, 99, 100, 410, 777, 999};
	struct mi_plmn a, b, c;
	mi_u8 buf[3];
	char text[8];
	mi_u16 mcc;
	size_t i;
	mi_u8 nd;

	(void)state;
	for (mcc = 0; mcc <= 999; mcc++) {
		for (i = 0; i < sizeof(mncs) / sizeof(mncs[0]); i++) {
			for (nd = 2; nd <= 3; nd++) {
				if (nd == 2 && mncs[i] > 99)
					continue;
				a.mcc = mcc;
				a.mnc = mncs[i];
				a.mnc_digits = nd;
				assert_int_equal(mi_plmn_encode(&a, buf, 3), 3);
				assert_int_equal(mi_plmn_decode(buf, 3, &b), 3);
				assert_true(mi_plmn_equal(&a, &b));
				assert_int_equal(mi_plmn_format(&b, text, sizeof(text)), 4 + nd);
				assert_int_equal(mi_plmn_parse(text, (mi_u16)(4 + nd), &c), MI_OK);
				assert_true(mi_plmn_equal(&a, &c));
			}
		}
	}
}

static void test_format_equal_capacity(void **state)
{
	struct mi_plmn a, b;
	char text[9];
	mi_u8 buf[6];

	(void)state;
	parse_ok("302-777", &a);
	memset(text, 'X', sizeof(text));
	assert_int_equal(mi_plmn_format(&a, text, 7), MI_ERR_CAPACITY); /* needs 8 with NUL */
	assert_int_equal(text[0], 'X');
	assert_int_equal(mi_plmn_format(&a, text, 8), 7);
	assert_string_equal(text, "302-777");
	assert_int_equal(text[8], 'X');
	parse_ok("262-01", &b);
	assert_int_equal(mi_plmn_format(&b, text, 6), MI_ERR_CAPACITY);
	assert_int_equal(mi_plmn_format(&b, text, 7), 6);
	/* 001-01 and 001-001 are different networks */
	parse_ok("001-01", &a);
	parse_ok("001-001", &b);
	assert_false(mi_plmn_equal(&a, &b));
	assert_false(mi_plmn_equal(&a, NULL));
	/* encoder capacity: guard bytes untouched */
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_plmn_encode(&a, buf, 2), MI_ERR_CAPACITY);
	assert_int_equal(buf[0], GUARD);
	assert_int_equal(mi_plmnwact_encode(&a, MI_ACT_EUTRAN, buf, 4), MI_ERR_CAPACITY);
	assert_int_equal(buf[0], GUARD);
	a.mnc_digits = 4;
	assert_int_equal(mi_plmnwact_encode(&a, MI_ACT_EUTRAN, buf, 5), MI_ERR_RANGE);
	assert_int_equal(mi_plmn_format(&a, text, sizeof(text)), MI_ERR_RANGE);
	assert_int_equal(mi_plmn_parse(NULL, 3, &a), MI_ERR_PARAM);
	assert_int_equal(mi_plmn_decode(buf, 3, NULL), MI_ERR_PARAM);
	/* AcT constants of TS 31.102 §4.2.5 */
	assert_int_equal(MI_ACT_UTRAN | MI_ACT_EUTRAN | MI_ACT_GSM, 0xC080);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_roundtrip_all_mcc),
	    cmocka_unit_test(test_format_equal_capacity),
	};

	return cmocka_run_group_tests_name("plmn", tests, NULL, NULL);
}
