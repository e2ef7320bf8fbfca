/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_set.c
 *  A/B set selection at reset: the highest seq that CFG, SLOTS and RULES
 *  all carry in a valid bank; torn or corrupt banks are passed over; no
 *  valid set means safe mode; a new set forgets earlier failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_set.h"

static struct fx X;
static struct fx_set S, T;

static void setup_two_sets(void)
{
	fx_default_set(&S);
	fx_card(&X, &S); /* bank A, seq 1 */
	T = S;
	T.cfg.rotation_s = 60; /* tell the sets apart */
	T.prof[0].pref[0] = 4; /* global [4,1] */
	T.prof[0].pref[1] = 1;
	fx_write_set(&X, &T, 1, 2); /* bank B, seq 2 */
}

static void tp(struct fx *x, const char *hex)
{
	mi_u8 b[64];
	mi_u16 n;

	fx_hex(hex, b, &n);
	assert_int_equal(mi_applet_terminal_profile(&x->a, b, n), MI_OK);
}

static void test_newest_set_wins(void **state)
{
	(void)state;
	setup_two_sets();
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_RULES);
	assert_int_equal(X.ram.set_seq, 2);
	assert_int_equal(X.ram.banks, 0x07);
	assert_int_equal(X.ram.cfg.rotation_s, 60);
	assert_int_equal(X.nv.set_seq, 2);
}

static void test_torn_bank_keeps_old_set(void **state)
{
	static const enum mi_file bfiles[] = {MI_FILE_CFG_B, MI_FILE_SLOTS_B, MI_FILE_RULES_B};
	size_t k;

	(void)state;
	for (k = 0; k < 3; k++) {
		setup_two_sets();
		/* a loader cut mid-write: the tail of the body is still FF */
		memset(X.port.file[bfiles[k]].data + 20, 0xFF, 8);
		assert_int_equal(mi_applet_install(&X.a), MI_OK);
		assert_int_equal(X.ram.set_seq, 1);
		assert_int_equal(X.ram.banks, 0x00);
		assert_int_equal(X.ram.cfg.rotation_s, 180);
	}
}

static void test_mixed_banks(void **state)
{
	(void)state;
	setup_two_sets();
	/* seq 3: CFG in B, SLOTS in A, RULES in B (files are independent) */
	fx_write_set(&X, &T, 1, 3);
	fx_write_set(&X, &T, 0, 3);
	X.port.file[MI_FILE_CFG_A].data[0] = 0;	    /* bad magic */
	X.port.file[MI_FILE_SLOTS_B].data[13] ^= 1; /* CRC */
	X.port.file[MI_FILE_RULES_A].data[3] = 9;   /* version */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.set_seq, 3);
	assert_int_equal(X.ram.banks, 0x05);
	assert_int_equal(X.ram.mode, MI_MODE_RULES);
}

static void test_no_common_seq_is_safe_mode(void **state)
{
	(void)state;
	setup_two_sets();
	X.port.file[MI_FILE_RULES_A].data[30] ^= 1; /* seq 1 lacks RULES */
	X.port.file[MI_FILE_SLOTS_B].data[30] ^= 1; /* seq 2 lacks SLOTS */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	assert_int_equal(X.ram.set_seq, 0);
	/* safe mode still knows the slots (newest valid SLOTS, bank A) and CFG B */
	assert_int_equal(X.ram.enabled, 0x0F);
	assert_int_equal(X.ram.cfg.rotation_s, 60);
}

static void test_bad_content_rejected(void **state)
{
	(void)state;
	/* a slot number repeated: CRC fine, content invalid */
	fx_default_set(&S);
	S.slot[2].slot = 2;
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	/* rule keys out of order */
	fx_default_set(&S);
	S.rule[0].key = mi_rule_key(300, 0, 2, MI_FALSE);
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	/* a rule pointing past the profiles */
	fx_default_set(&S);
	S.rule[1].profile = 7;
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	/* global profile index past the profiles */
	fx_default_set(&S);
	S.global = 7;
	fx_card(&X, &S);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
}

static void test_new_set_forgets_failures(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK);
	fx_drain(&X);
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	fx_wait(&X, 180);
	assert_int_equal(X.nv.failed, 0x02);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.failed, 0x02); /* same set: kept across resets */
	fx_write_set(&X, &S, 1, 2);	     /* a loader brings seq 2 */
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.failed, 0);
	assert_int_equal(X.nv.active_slot, 3);
	assert_int_equal(X.nv.set_seq, 1); /* not yet adopted: at the first event */
	tp(&X, TP_FULL);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.nv.active_slot, 3);
}

static void test_lost_state_recovered_from_imsi(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	X.port.file[MI_FILE_STATE].data[20] ^= 0xFF; /* EF.MI_STATE corrupt */
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 2); /* found by EF_IMSI */
	assert_int_equal(X.nv.pinned_slot, 0);
}

/* The host-callable rule (mi_set.h): the bytes of the six banks read
 * through callbacks, as the loader and the journey runner do. */
static int mem_read(struct mi_port *p, enum mi_file f, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	if ((mi_u32)off + len > p->file[f].size)
		return MI_ERR_RANGE;
	memcpy(buf, p->file[f].data + off, len);
	return MI_OK;
}

static mi_s32 mem_size(struct mi_port *p, enum mi_file f)
{
	return p->file[f].size ? (mi_s32)p->file[f].size : MI_ERR_NOT_FOUND;
}

static int pick(struct mi_set_pick *o)
{
	static mi_u8 scratch[MI_CMD_BUF];
	struct mi_files fs = {mem_read, mem_size, &X.port, scratch};

	return mi_set_pick(&fs, o);
}

/* A bank with a good CRC and bad contents is not active, for the applet and
 * for mi_set_pick alike: RULES B of seq 2 gets a global profile index out of
 * range and a recomputed CRC. */
static void test_good_crc_bad_contents(void **state)
{
	struct mi_set_pick o;
	mi_u8 *f;

	(void)state;
	setup_two_sets();
	assert_int_equal(pick(&o), MI_OK);
	assert_int_equal(o.set_seq, 2);
	assert_int_equal(o.banks, 0x07);
	f = X.port.file[MI_FILE_RULES_B].data;
	f[MI_EF_HDR_LEN + 1] = f[MI_EF_HDR_LEN]; /* global = np: out of range */
	assert_true(mi_ef_reseal(f, X.port.file[MI_FILE_RULES_B].size, 2) > 0);
	assert_true(mi_ef_check(f, X.port.file[MI_FILE_RULES_B].size, MI_EF_TYPE_RULES, NULL) > 0);
	assert_int_equal(pick(&o), MI_OK);
	assert_int_equal(o.set_seq, 1); /* seq 2 lacks a valid RULES */
	assert_int_equal(o.banks, 0x00);
	assert_int_equal(o.valid, 0x1F);
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.set_seq, 1);
	assert_int_equal(X.ram.banks, 0x00);
	/* and without seq 1 there is no set at all: safe mode for both */
	X.port.file[MI_FILE_RULES_A].data[30] ^= 1;
	assert_int_equal(pick(&o), MI_ERR_NOT_FOUND);
	assert_int_equal(o.use, 0x03);	 /* CFG and SLOTS for safe mode */
	assert_int_equal(o.banks, 0x03); /* both from B, the newest */
	assert_int_equal(mi_applet_install(&X.a), MI_OK);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_crc_bad_contents),
	    cmocka_unit_test(test_newest_set_wins),
	    cmocka_unit_test(test_torn_bank_keeps_old_set),
	    cmocka_unit_test(test_mixed_banks),
	    cmocka_unit_test(test_no_common_seq_is_safe_mode),
	    cmocka_unit_test(test_bad_content_rejected),
	    cmocka_unit_test(test_new_set_forgets_failures),
	    cmocka_unit_test(test_lost_state_recovered_from_imsi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
