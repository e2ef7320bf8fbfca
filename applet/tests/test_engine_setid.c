/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_setid.c
 *  Version-2 files carry a set id at the end of each body (mi_ef.h); one
 *  compile gives its CFG, SLOTS and RULES the same id. A bank written with
 *  three files of the same seq but two ids is a set mixed from two compiles
 *  (a loader or an OTA script cut between two sets): the card must keep the
 *  old set, at reset (mi_set_pick) and when a set is adopted while it runs
 *  (mi_adopt.c), as the loader and decompile already refuse such a set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"

#define ID_ONE 0x1EC0FFEEu
#define ID_TWO 0x2EC0FFEEu

static struct fx X;
static struct fx_set S, T;

/* Re-seal file \a f (a version-1 file of fx_write_set) as version 2 with
 * \a set_id after its payload. */
static void seal_v2(enum mi_file f, mi_u8 type, mi_u32 seq, mi_u32 set_id)
{
	static mi_u8 b[FAKE_FILE_MAX];
	struct mi_ef_header h;
	mi_u16 size = X.port.file[f].size;
	int rc;

	memcpy(b, X.port.file[f].data, size);
	assert_true(mi_ef_check(b, size, type, &h) > 0);
	assert_int_equal(h.version, 1);
	rc = mi_ef_seal_set(b, size, type, seq, h.body_len, set_id);
	assert_true(rc > 0);
	fake_file_set(&X.port, f, size, b, (mi_u16)rc);
	assert_true(mi_ef_check(b, (mi_u16)rc, type, &h) > 0);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.set_id, set_id);
}

/* Bank \a bank, seq \a seq: T as version-2 files with these ids. */
static void write_v2(int bank, mi_u32 seq, mi_u32 cfg_id, mi_u32 slots_id, mi_u32 rules_id)
{
	fx_write_set(&X, &T, bank, seq);
	seal_v2(bank ? MI_FILE_CFG_B : MI_FILE_CFG_A, MI_EF_TYPE_CFG, seq, cfg_id);
	seal_v2(bank ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A, MI_EF_TYPE_SLOTS, seq, slots_id);
	seal_v2(bank ? MI_FILE_RULES_B : MI_FILE_RULES_A, MI_EF_TYPE_RULES, seq, rules_id);
}

/* The default set as version 2 (one id) in bank A, seq 1; T edited so the
 * sets can be told apart. */
static void card_v2(void)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	T = S;
	write_v2(0, 1, ID_ONE, ID_ONE, ID_ONE);
	T.cfg.rotation_s = 60;
}

/* Sanity: version-2 files of one compile are a set like version-1 ones. */
static void test_one_id_is_adopted_at_reset(void **state)
{
	(void)state;
	card_v2();
	write_v2(1, 2, ID_TWO, ID_TWO, ID_TWO);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_RULES);
	assert_int_equal(X.ram.set_seq, 2);
	assert_int_equal(X.ram.banks, 0x07);
	assert_int_equal(X.ram.cfg.rotation_s, 60);
}

/* Bank B, seq 2: one file of the three from another compile. */
static void test_mixed_ids_keep_old_set_at_reset(void **state)
{
	static const mi_u32 ids[3][3] = {
	    {ID_ONE, ID_TWO, ID_TWO}, {ID_TWO, ID_ONE, ID_TWO}, {ID_TWO, ID_TWO, ID_ONE}};
	size_t k;

	(void)state;
	for (k = 0; k < 3; k++) {
		card_v2();
		write_v2(1, 2, ids[k][0], ids[k][1], ids[k][2]);
		assert_int_equal(mi_applet_install(&X.a), MI_OK);
		assert_int_equal(X.ram.set_seq, 1);
		assert_int_equal(X.ram.banks, 0x00);
		assert_int_equal(X.ram.cfg.rotation_s, 180);
	}
}

/* Booted on seq 1; a mixed seq 2 lands in bank B while the card runs: the
 * next event must not adopt it, and a whole seq 3 afterwards is adopted. */
static void test_mixed_ids_not_adopted_while_running(void **state)
{
	(void)state;
	card_v2();
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.ram.set_seq, 1);
	write_v2(1, 2, ID_TWO, ID_TWO, ID_ONE);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.ram.set_seq, 1);
	assert_int_equal(X.nv.set_seq, 1);
	assert_int_equal(X.ram.cfg.rotation_s, 180);
	/* the whole set, written again under a new seq, is taken */
	write_v2(1, 3, ID_TWO, ID_TWO, ID_TWO);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.ram.set_seq, 3);
	assert_int_equal(X.ram.cfg.rotation_s, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_id_is_adopted_at_reset),
	    cmocka_unit_test(test_mixed_ids_keep_old_set_at_reset),
	    cmocka_unit_test(test_mixed_ids_not_adopted_while_running),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
