/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_switch.c
 *  The switch transaction (every EF byte, key set, state), REFRESH mode
 *  choice, fallback on 3x and retry with backoff on 2x.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"
#include "vec.h"

static struct fx X;
static struct fx_set S;

static const struct {
	const char *name;
	enum mi_file f;
} files[] = {
    {"IMSI", MI_FILE_IMSI},	      {"AD", MI_FILE_AD},	    {"LOCI", MI_FILE_LOCI},
    {"PSLOCI", MI_FILE_PSLOCI},	      {"EPSLOCI", MI_FILE_EPSLOCI}, {"FPLMN", MI_FILE_FPLMN},
    {"OPLMNWACT", MI_FILE_OPLMNWACT}, {"KEYS", MI_FILE_KEYS},	    {"KEYSPS", MI_FILE_KEYSPS},
};

/* Compare the committed EFs with test-vectors/cat/NAME.txt. \returns lines checked. */
static int check_files(const struct fx *x, const char *name)
{
	char path[128], line[512], fname[32], hex[400];
	mi_u8 want[200];
	FILE *f;
	size_t k;
	int n, lines = 0;

	snprintf(path, sizeof(path), "test-vectors/cat/%s.txt", name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%31s %399s", fname, hex), 2);
		n = vec_hex_decode(hex, want, sizeof(want));
		for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
			if (strcmp(files[k].name, fname) == 0)
				break;
		assert_true(k < sizeof(files) / sizeof(files[0]));
		assert_int_equal(x->port.file[files[k].f].size, n);
		if (memcmp(x->port.file[files[k].f].data, want, (size_t)n) != 0)
			fail_msg("%s differs from %s", fname, path);
		lines++;
	}
	fclose(f);
	return lines;
}

/* Fetch commands, answering OK, until one of \a type comes. */
static void until(struct fx *x, mi_u8 type)
{
	mi_u16 off;

	while (fx_fetch(x)) {
		off = x->last[1] == 0x81 ? 3 : 2;
		if (x->last[off + 3] == type)
			return;
		assert_int_equal(fx_tr(x, 0x00, ""), MI_OK);
	}
	fail_msg("no command of type %02X", type);
}

static void boot(const char *tp)
{
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, tp);
}

static void test_switch_files(void **state)
{
	unsigned commits;

	(void)state;
	boot(TP_FULL);
	commits = X.port.commits;
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* 213-77: slot 2 preferred */
	assert_int_equal(X.port.commits, commits + 1);	  /* one transaction */
	assert_int_equal(check_files(&X, "switch_to_slot2"), 9);
	assert_int_equal(X.port.keyset, 2);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.switches, 1);
	assert_int_equal(X.nv.last_mcc, 213);
	assert_true(X.nv.flags & MI_NV_F_UNVERIFIED);
	assert_true(X.nv.flags & MI_NV_F_DWELL);
	/* EF.MI_STATE agrees: a reset reloads the same state */
	memset(&X.nv, 0, sizeof(X.nv));
	assert_int_equal(mi_applet_reset(&X.a), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.nv.switches, 1);
	assert_int_equal(X.nv.last_mcc, 213);
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 11],
			 2); /* body byte 11: active slot */
}

static void test_switch_mnc3_keeps_ad_bits(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.slot[1].mnc_len = 3;
	fx_card(&X, &S);
	X.port.file[MI_FILE_AD].data[3] = 0x52; /* RFU bits set: kept */
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.port.file[MI_FILE_AD].data[3], 0x53);
	assert_int_equal(X.port.file[MI_FILE_AD].data[0], 0x00);
}

/* A port failure inside the switch transaction aborts it (nothing of the
 * switch written), the target counts as failed in this episode, the event
 * is still answered; a new episode (service lost and back) tries it again. */
static void test_switch_nv_failure_rolls_back(void **state)
{
	mi_u8 imsi[9];

	(void)state;
	fx_default_set(&S);
	S.prof[1].n_pref = 2; /* MCC 213 [2,1] like 213-77: slot 3 is no candidate */
	S.prof[1].pref[1] = 1;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	memcpy(imsi, X.port.file[MI_FILE_IMSI].data, 9);
	X.port.fail_commit = 1;
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* 213-77: slot 2 best */
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9);
	assert_int_equal(X.port.keyset, 1);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 0);
	assert_int_equal(X.nv.flags & MI_NV_F_DWELL, 0);
	assert_int_equal(X.nv.failed, 0x02); /* slot 2 failed in MCC 213 */
	assert_int_equal(X.nv.last_mcc, 213);
	assert_int_equal(X.port.aborts, 1);
	assert_int_equal(X.ram.refresh_qual, 0xFF);	       /* no REFRESH owed */
	assert_true(X.ram.deadline[MI_TIMER_ROTATE - 1] != 0); /* the clock runs */
	/* EF.MI_STATE holds the failure (not the switch): a reset agrees */
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 6], 0x02);
	assert_int_equal(X.port.file[MI_FILE_STATE].data[MI_EF_HDR_LEN + 11], 1);
	fx_drain(&X);
	/* same episode: slot 2 is not tried again */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.port.aborts, 1);
	assert_int_equal(X.nv.active_slot, 1);
	/* a new episode (service lost, then back); a write in the middle of
	 * the switch fails */
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	X.port.fail_write = 5;
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.port.aborts, 2);
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.failed, 0x02);
	/* and the next episode succeeds */
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.port.keyset, 2);
	assert_int_equal(X.nv.failed, 0);
}

/* The card lacks key set 3 (slots 3 and 4): the rotation must not stick on
 * the slot it cannot reach; it marks it failed and moves past it at the
 * next expiry (issue: a journey whose card lacked key set 4). */
static void test_rotation_moves_past_missing_keyset(void **state)
{
	mi_u8 imsi[9];
	unsigned sends;

	(void)state;
	boot(TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* MCC 213: [2,3,1] */
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	memcpy(imsi, X.port.file[MI_FILE_IMSI].data, 9);
	X.port.refuse_keyset = 3;
	assert_int_equal(fx_loc(&X, 0x02, NULL), MI_OK); /* no service */
	/* timer 1 expires: 2 failed -> 3 (key set 3 missing) */
	assert_int_equal(fx_wait(&X, X.ram.cfg.rotation_s), X.ram.cfg.rotation_s);
	assert_int_equal(X.nv.active_slot, 2);
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9);
	assert_int_equal(X.port.keyset, 2);
	assert_int_equal(X.port.aborts, 1);
	assert_int_equal(X.nv.failed, 0x06); /* 2 and 3 */
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	/* the rotation timer was started again in the terminal */
	sends = X.port.sends;
	assert_int_equal(fx_wait(&X, X.ram.cfg.rotation_s), X.ram.cfg.rotation_s);
	assert_true(X.port.sends > sends);
	/* next expiry: [2,3,1] minus failed -> 1 */
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.port.keyset, 1);
	assert_int_equal(X.port.aborts, 1);
}

static void test_refresh_uicc_reset_then_fallback(void **state)
{
	(void)state;
	boot(TP_FULL); /* CFG default: 04, fallback 03 */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_expect(&X, "refresh_uicc_reset");	      /* the REFRESH goes first */
	assert_int_equal(fx_tr(&X, 0x30, ""), MI_OK); /* beyond terminal capabilities */
	until(&X, 0x01);
	assert_int_equal(X.last_len, 11);
	assert_int_equal(X.last[6], 0x03);	      /* NAA initialisation */
	assert_int_equal(fx_tr(&X, 0x31, ""), MI_OK); /* type not understood */
	assert_int_equal(X.ram.refresh_qual, 0xFF);   /* 04 and 03 refused: none left */
	assert_int_equal(fx_drain(&X), 2);	      /* the two timers only */
}

static void test_refresh_file_change_retry_backoff(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.refresh_pref = 0x00;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_expect(&X, "refresh_naa_init_file_change");
	assert_int_equal(fx_tr_file(&X, "tr_refresh_unable_no_service"), MI_OK); /* 20 04 */
	fx_drain(&X);
	fx_wait(&X, 29);
	assert_int_equal(X.port.cmd_len, 0);
	fx_wait(&X, 1); /* 30 s backoff */
	fx_expect(&X, "refresh_naa_init_file_change");
	assert_int_equal(fx_tr(&X, 0x21, ""), MI_OK);
	fx_drain(&X);
	fx_wait(&X, 59);
	assert_int_equal(X.port.cmd_len, 0);
	fx_wait(&X, 1); /* then 60 s */
	fx_expect(&X, "refresh_naa_init_file_change");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
}

static void test_refresh_pref_02(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.refresh_pref = 0x02;
	S.cfg.refresh_fallback = 0xFF;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_expect(&X, "refresh_naa_init_fcn");
	assert_int_equal(fx_tr(&X, 0x32, ""), MI_OK);
	until(&X, 0x01); /* no fallback configured: UICC reset as the last resort */
	assert_int_equal(X.last[6], 0x04);
	assert_int_equal(fx_tr(&X, 0x03, ""), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
}

static void test_no_refresh_in_profile(void **state)
{
	(void)state;
	boot(TP_NO_REFRESH);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2); /* files written; read at next reset */
	while (fx_fetch(&X)) {
		assert_int_not_equal(X.last[5], 0x01); /* no REFRESH */
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
}

static void test_refresh_tr_for_wrong_command(void **state)
{
	struct fx_snap s;

	(void)state;
	boot(TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	fx_expect(&X, "refresh_uicc_reset");
	fx_snap(&X, &s);
	assert_int_equal(fx_tr_file(&X, "tr_timer_ok"), MI_ERR_STATE); /* not the pending type */
	fx_same(&X, &s);
	assert_int_equal(fx_tr_file(&X, "tr_refresh_number2"), MI_ERR_STATE); /* wrong number */
	fx_same(&X, &s);
	assert_int_equal(fx_tr_file(&X, "tr_refresh_ok"), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF);
	fx_drain(&X);
	fx_snap(&X, &s);
	assert_int_equal(fx_tr_file(&X, "tr_refresh_ok"), MI_ERR_STATE); /* nothing pending */
	fx_same(&X, &s);
}

/* A TIMER MANAGEMENT start that waited in the queue while another timer's
 * expiry moved the clock past its deadline: it starts with 1 s, no error. */
/* Watchdog (docs/applet.md): a REFRESH whose TERMINAL RESPONSE never comes
 * is dropped after two rotation periods of the applet clock; it counts as
 * "not done" (switch kept, retried by the backoff) and the queue goes on. */
static void test_stuck_refresh_dropped_by_watchdog(void **state)
{
	mi_u32 t;

	(void)state;
	boot(TP_NO_TIMER); /* STATUS polls are the clock: rotation 180 s, poll 30 s */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* switch to slot 2 */
	assert_int_equal(X.nv.active_slot, 2);
	assert_int_equal(X.ram.pend_type, 0x01); /* REFRESH sent, never answered */
	t = X.ram.now_s;
	while (X.ram.now_s - t < 2u * X.ram.cfg.rotation_s - X.ram.cfg.poll_s)
		assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.pend_type, 0x01); /* one poll short: still waiting */
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.pend_type, 0);	    /* dropped */
	assert_int_equal(X.ram.refresh_qual, 0x04); /* still owed, not done */
	assert_int_equal(X.ram.backoff_s, 60);	    /* retried with the backoff */
	assert_int_equal(X.ram.deadline[MI_TIMER_RETRY - 1], X.ram.now_s + 30u);
	assert_int_equal(X.nv.active_slot, 2); /* the switch stays */
	/* the late TR is for nothing pending now */
	X.port.cmd_len = 0;
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_ERR_STATE);
	/* 30 s later the REFRESH goes out again */
	assert_int_equal(mi_applet_status(&X.a), MI_OK);
	assert_int_equal(X.ram.pend_type, 0x01);
	fx_expect(&X, "refresh_uicc_reset");
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF); /* done */
}

static void test_queued_timer_start_after_its_deadline(void **state)
{
	(void)state;
	/* the longest rotation: two periods (the TERMINAL RESPONSE watchdog)
	 * exceed the 23:59:59 jump below, so the late TR still counts */
	fx_default_set(&S);
	S.cfg.rotation_s = 65535;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* switch: REFRESH, timers 2 and 1 */
	fx_expect(&X, "refresh_uicc_reset");		  /* its TR is late */
	assert_int_equal(fx_timer(&X, 4), MI_OK);	  /* re-evaluation: clock + 23:59:59 */
	assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);	  /* REFRESH done: the queue moves */
	assert_int_equal(fx_fetch(&X), 19);
	assert_int_equal(X.last[5], 0x27);
	assert_memory_equal(X.last + 14, "\xA5\x03\x00\x00\x10", 5); /* 00:00:01 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_switch_files),
	    cmocka_unit_test(test_switch_mnc3_keeps_ad_bits),
	    cmocka_unit_test(test_switch_nv_failure_rolls_back),
	    cmocka_unit_test(test_rotation_moves_past_missing_keyset),
	    cmocka_unit_test(test_refresh_uicc_reset_then_fallback),
	    cmocka_unit_test(test_refresh_file_change_retry_backoff),
	    cmocka_unit_test(test_refresh_pref_02),
	    cmocka_unit_test(test_no_refresh_in_profile),
	    cmocka_unit_test(test_refresh_tr_for_wrong_command),
	    cmocka_unit_test(test_queued_timer_start_after_its_deadline),
	    cmocka_unit_test(test_stuck_refresh_dropped_by_watchdog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
