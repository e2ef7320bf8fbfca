/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_adopt.c
 *  A set written into the A/B banks while the card runs (mi_adopt.c): it
 *  becomes active at the next event without a reset, the active slot's
 *  network-selection files come from it at once, a replaced active slot is
 *  handled as the CFG says, a torn write changes nothing, and a failed
 *  adoption is tried again at the next event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"

static struct fx X;
static struct fx_set S, T;

static void want_hex(enum mi_file f, const char *hex)
{
	mi_u8 b[80];
	mi_u16 n;

	fx_hex(hex, b, &n);
	assert_int_equal(X.port.file[f].size >= n, 1);
	assert_memory_equal(X.port.file[f].data, b, n);
}

/* Booted on the default set (seq 1, bank A), normal service at home on
 * slot 1, every pending command answered; T is a copy of the set to edit. */
static void home(void)
{
	mi_u8 b[12];
	mi_u16 n;

	fx_default_set(&S);
	fx_card(&X, &S);
	fx_hex("62F210 FFFFFF FFFFFF FFFFFF", b, &n);
	fake_file_set(&X.port, MI_FILE_EHPLMN, 12, b, n);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	fx_drain(&X);
	assert_int_equal(X.nv.active_slot, 1);
	T = S;
}

/* The active slot's lists from the new set, at the next STATUS: no reset,
 * no switch; one transaction with the state, then REFRESH file change
 * notification (TS 102 223 §6.4.7) so the terminal reads them. */
static void test_new_set_lists_applied_at_next_event(void **state)
{
	unsigned commits;
	mi_u16 n;

	(void)state;
	home();
	fx_hex("62F2104000 62F2204000", &T.slot[0].oplmn[0][0], &n);
	T.slot[0].n_oplmn = 2;
	fx_hex("12F377", &T.slot[0].fplmn[0][0], &n);
	T.slot[0].n_fplmn = 1;
	fx_hex("62F210 62F220", &T.slot[0].ehplmn[0][0], &n);
	T.slot[0].n_ehplmn = 2;
	T.cfg.rotation_s = 120;
	fx_write_set(&X, &T, 1, 2); /* bank B, seq 2: as a loader or RFM writes it */
	commits = X.port.commits;
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.port.commits, commits + 1);
	assert_int_equal(X.ram.set_seq, 2);
	assert_int_equal(X.ram.banks, 0x07);
	assert_int_equal(X.ram.cfg.rotation_s, 120);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 0);
	/* no switch: REFRESH file change notification, the terminal re-reads */
	fx_expect(&X, "refresh_file_change");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	want_hex(MI_FILE_OPLMNWACT, "62F2104000 62F2204000 FFFFFF0000");
	want_hex(MI_FILE_FPLMN, "12F377 FFFFFF");
	want_hex(MI_FILE_EHPLMN, "62F210 62F220 FFFFFF FFFFFF");
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 4], 2); /* set_seq */
	/* nothing new: the next events write nothing */
	fx_drain(&X);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(X.port.commits, commits + 1);
}

/* Without a change the check costs six 8-byte header reads per event and
 * changes nothing (the state snapshot is the same). */
static void test_no_change_no_write(void **state)
{
	struct fx_snap s;
	unsigned reads;

	(void)state;
	home();
	fx_snap(&X, &s);
	reads = X.port.reads;
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	fx_same(&X, &s);
	assert_int_equal(X.port.reads - reads, 6);
}

/* A write cut short (a writer puts each header last, mi_ef.h): bodies in
 * place, the SLOTS header not yet; the old set stays and nothing is
 * written; once the header lands the new set is adopted. */
static void test_partial_write_keeps_old_set(void **state)
{
	unsigned commits;
	mi_u8 hdr[MI_EF_HDR_LEN];

	(void)state;
	home();
	T.slot[0].n_oplmn = 0;
	fx_write_set(&X, &T, 1, 2);
	memcpy(hdr, X.port.file[MI_FILE_SLOTS_B].data, MI_EF_HDR_LEN);
	memset(X.port.file[MI_FILE_SLOTS_B].data, 0xFF, MI_EF_HDR_LEN); /* not yet written */
	commits = X.port.commits;
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.set_seq, 1);
	assert_int_equal(X.ram.banks, 0x00);
	assert_int_equal(X.port.commits, commits);
	want_hex(MI_FILE_OPLMNWACT, "62F2104000");
	memcpy(X.port.file[MI_FILE_SLOTS_B].data, hdr, MI_EF_HDR_LEN); /* the last write */
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.set_seq, 2);
	assert_int_equal(X.port.commits, commits + 1);
	want_hex(MI_FILE_OPLMNWACT, "FFFFFF0000 FFFFFF0000");
}

/* The new set numbers the slots differently: the IMSI decides, no switch. */
static void test_renumbered_slot_kept(void **state)
{
	(void)state;
	home();
	T.slot[0] = S.slot[1];
	T.slot[0].slot = 1;
	T.slot[1] = S.slot[0];
	T.slot[1].slot = 2; /* Own's IMSI, in EF_IMSI, is now slot 2 */
	T.slot[1].keyset = 3; /* and its key set moved: selected with the lists */
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.switches, 0);
	fx_expect(&X, "refresh_file_change"); /* no switch, the lists re-read */
	assert_int_equal(X.port.keyset, 3);
}

/* The active slot's IMSI replaced, CFG "replace: refresh": the new
 * identity of the same slot is written and REFRESH sent. */
static void test_replaced_slot_refresh(void **state)
{
	mi_u16 n;

	(void)state;
	home();
	fx_hex("082926104343434343", T.slot[0].imsi, &n); /* 262013434343434 */
	T.slot[0].keyset = 3;
	T.cfg.flags |= MI_CFG_F_REPLACE_REFRESH;
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 1);
	want_hex(MI_FILE_IMSI, "082926104343434343");
	assert_int_equal(X.port.keyset, 3);
	assert_int_equal(X.ram.refresh_qual, 0x04);
	assert_int_equal(fx_fetch(&X) > 0, 1); /* the REFRESH */
}

/* The same with the default policy: switch away to the next candidate of
 * the rules (here the global order [1,4] minus slot 1: slot 4). */
static void test_replaced_slot_switch_away(void **state)
{
	mi_u16 n;

	(void)state;
	home();
	fx_hex("082926104343434343", T.slot[0].imsi, &n);
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	assert_true(X.nv.active_slot != 0 && X.nv.active_slot != 1);
	assert_int_equal(X.nv.switches, 1);
	assert_int_equal(X.ram.refresh_qual, 0x04);
	assert_true(memcmp(X.port.file[MI_FILE_IMSI].data, T.slot[0].imsi, 9) != 0);
}

/* A failed adoption transaction (NV error) changes nothing and is tried
 * again at the next event. */
static void test_failed_adoption_retried(void **state)
{
	(void)state;
	home();
	T.slot[0].n_oplmn = 0;
	fx_write_set(&X, &T, 1, 2);
	X.port.fail_commit = 1;
	assert_int_equal(mi_applet_status(&X.a), MI_OK); /* the event itself succeeds */
	assert_int_equal(X.nv.set_seq, 1);
	want_hex(MI_FILE_OPLMNWACT, "62F2104000");
	assert_int_equal(X.ram.set_seq, 2); /* the set is chosen; its files are owed */
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	want_hex(MI_FILE_OPLMNWACT, "FFFFFF0000");
}

/* A terminal without REFRESH (TERMINAL PROFILE byte 3 b8): the lists are
 * written, nothing is sent; a pending switch REFRESH is not replaced. */
static void test_fcn_only_when_useful(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_NO_REFRESH);
	T = S;
	T.slot[0].n_oplmn = 0;
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	assert_int_equal(fx_fetch(&X) == 0 || X.last[X.last[1] == 0x81 ? 6 : 5] != 0x01, 1);
	/* with REFRESH: a switch owes REFRESH 04; a new set then keeps it */
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* switch to slot 2 */
	assert_int_equal(X.ram.refresh_qual, 0x04);
	T = S;
	T.slot[1].n_fplmn = 0;
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.nv.set_seq, 2);
	assert_int_equal(X.ram.refresh_qual, 0x04);
	want_hex(MI_FILE_FPLMN, "FFFFFF FFFFFF");
}

/* A switch while the file change notification is out: its answer does not
 * cancel the switch's REFRESH, which goes next. */
static void test_fcn_answer_keeps_switch_refresh(void **state)
{
	(void)state;
	home();
	T.slot[0].n_oplmn = 0;
	/* 213-77 forbids the home slot in the new set: a mandatory switch,
	 * made at once (an optional one would wait for the dwell) */
	T.prof[2].n_pref = 1;
	T.prof[2].pref[0] = 2;
	T.prof[2].forbidden = 0x0005;
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	fx_expect(&X, "refresh_file_change"); /* fetched, not yet answered */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* 213-77: switch to slot 2 */
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.ram.refresh_qual, 0x04);
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK); /* the FCN done */
	assert_int_equal(X.ram.refresh_qual, 0x04);   /* still owed */
	fx_expect(&X, "refresh_uicc_reset");
}

/* A reset between the write and the next event: the first event after it
 * (TERMINAL PROFILE) adopts the set. */
static void test_reset_then_adopt(void **state)
{
	(void)state;
	home();
	T.slot[0].n_oplmn = 0;
	fx_write_set(&X, &T, 1, 2);
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.ram.set_seq, 2);
	assert_int_equal(X.nv.set_seq, 1);
	want_hex(MI_FILE_OPLMNWACT, "62F2104000");
	{
		mi_u8 tp[16];
		mi_u16 n;

		fx_hex(TP_FULL, tp, &n);
		assert_int_equal(mi_applet_terminal_profile(&X.a, tp, n), MI_OK);
	}
	assert_int_equal(X.nv.set_seq, 2);
	want_hex(MI_FILE_OPLMNWACT, "FFFFFF0000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_set_lists_applied_at_next_event),
	    cmocka_unit_test(test_no_change_no_write),
	    cmocka_unit_test(test_partial_write_keeps_old_set),
	    cmocka_unit_test(test_renumbered_slot_kept),
	    cmocka_unit_test(test_replaced_slot_refresh),
	    cmocka_unit_test(test_replaced_slot_switch_away),
	    cmocka_unit_test(test_failed_adoption_retried),
	    cmocka_unit_test(test_fcn_only_when_useful),
	    cmocka_unit_test(test_fcn_answer_keeps_switch_refresh),
	    cmocka_unit_test(test_reset_then_adopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
