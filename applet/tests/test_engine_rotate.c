/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_rotate.c
 *  Limited / no service: the rotation order (rules of the last MCC without
 *  forbidden and failed slots, then bootstrap, then round robin), the
 *  rotation clock on timers and on STATUS polls, naive mode, pinning, and
 *  safe mode on corrupt or missing rules.
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
static struct fx_set S;

/* Stay without service and record the slots the engine goes through. */
static void rotation(struct fx *x, mi_u8 status, const char *want)
{
	size_t k;

	for (k = 0; want[k]; k++) {
		assert_int_equal(fx_loc(x, status, NULL), MI_OK);
		/* the period of this round: doubled after each round in which
		 * every candidate failed */
		fx_wait(x, (mi_u32)x->ram.cfg.rotation_s << (x->nv.flags >> MI_NV_ROUND_SHIFT));
		fx_drain(x);
		if (x->nv.active_slot != (mi_u8)(want[k] == 'A' ? 10 : want[k] - '0'))
			fail_msg("step %zu: slot %u, want %c", k, x->nv.active_slot, want[k]);
	}
}

static void test_order_rules_then_bootstrap_then_round_robin(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F399"), MI_OK); /* last MCC 213: [2,3,1] */
	assert_int_equal(X.nv.active_slot, 2);
	fx_drain(&X);
	/* 2 fails -> 3 -> 1 (rules order) -> 4 (round robin) -> all failed:
	 * a new round starts from the rules again */
	rotation(&X, 0x02, "3142");
	assert_int_equal(X.nv.failed, 0x08); /* new round: only slot 4 failed */
}

static void test_order_skips_forbidden(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.slot[2].flags = MI_SLOT_F_BOOTSTRAP; /* slot 3 bootstrap too */
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "72F610"), MI_OK); /* 276-01: [4,3] forbid 1 */
	assert_int_equal(X.nv.active_slot, 4);
	fx_drain(&X);
	/* 4 fails -> 3 (rules) -> bootstrap except forbidden 1: none left ->
	 * round robin without forbidden: 2 -> never the forbidden 1: a new
	 * round from the rules */
	rotation(&X, 0x02, "3243");
}

/* A home outage: the only slot the rules allow in the last MCC keeps
 * failing; the engine stays on it: no switch, no REFRESH into forbidden
 * sponsor IMSIs, and no NV write after the first failure is recorded. */
static void test_home_outage_stays(void **state)
{
	unsigned commits;

	(void)state;
	fx_default_set(&S);
	S.prof[4].forbidden = 0x0E; /* MCC 262: [1], forbid 2,3,4 */
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F220"), MI_OK); /* 262-02: MCC rule */
	rotation(&X, 0x02, "1");
	/* each round backs off (one NV write per round) up to 8 x rotation_s */
	rotation(&X, 0x02, "111");
	assert_int_equal(X.nv.flags & MI_NV_ROUND, MI_NV_ROUND);
	commits = X.port.commits;
	rotation(&X, 0x02, "1111");
	assert_int_equal(X.nv.switches, 0);
	assert_int_equal(X.port.commits, commits);
	assert_int_equal(X.port.cmd_len, 0); /* no REFRESH */
}

/* The same home outage with the CFG failover flag cleared on a terminal
 * that has PROVIDE LOCAL INFORMATION: the engine never asks it, so the
 * country under no service is unknown and the rotation must go on blind,
 * forbidden slots last (before the fix it stayed on slot 1 forever). */
static void test_failover_off_rotates_blind(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.prof[4].forbidden = 0x0E; /* MCC 262: [1], forbid 2,3,4 */
	S.cfg.flags &= (mi_u8)~MI_CFG_F_FAILOVER;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.caps & MI_CAP_PLI, 0);	  /* not used */
	assert_int_equal(fx_loc(&X, 0, "62F220"), MI_OK); /* 262-02: MCC rule */
	assert_int_equal(fx_loc(&X, 0x01, NULL), MI_OK);  /* limited service */
	while (fx_fetch(&X)) { /* TIMER 1 start only: no PROVIDE LOCAL INFO (26) */
		assert_int_equal(X.last[5], 0x27);
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
	/* 1 fails -> blind 2 -> 3 -> 4 -> all failed: a new round from the rules */
	rotation(&X, 0x02, "2341");
	assert_int_equal(X.nv.switches, 4);
}

static void test_service_cancels_rotation(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	fx_wait(&X, 100);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK); /* back before 180 s */
	fx_wait(&X, 1000);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 0);
}

static void test_rotation_starts_at_boot(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL); /* no location status yet: the clock runs */
	fx_wait(&X, 180);
	/* last MCC unknown: global [1,4]; slot 1 failed -> 4 */
	assert_int_equal(X.nv.active_slot, 4);
}

static void test_rotation_on_status_polls(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_NO_TIMER);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK); /* no service */
	fx_wait(&X, 150);
	assert_int_equal(X.nv.active_slot, 1);
	fx_wait(&X, 30);		       /* 6 polls x 30 s */
	assert_int_equal(X.nv.active_slot, 2); /* MCC 262 [1] failed; round robin after 1 */
}

static void test_naive_round_robin(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.flags = MI_CFG_F_NAIVE;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	rotation(&X, 0x02, "23412");
	/* rules ignored: home forbids 2, yet naive stays */
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	fx_wait(&X, 3600);
	assert_int_equal(X.nv.active_slot, 2);
}

static void test_pinned_never_rotates(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	X.nv.pinned_slot = 1;
	assert_int_equal(fx_loc(&X, 2, NULL), MI_OK);
	fx_wait(&X, 3600);
	assert_int_equal(X.nv.active_slot, 1);
	assert_int_equal(X.nv.switches, 0);
}

static void corrupt(struct fx *x, enum mi_file f, mi_u16 off)
{
	x->port.file[f].data[off] ^= 0x01;
}

static void test_safe_mode_corrupt_rules(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.slot[2].flags = MI_SLOT_F_BOOTSTRAP;
	fx_card(&X, &S);
	corrupt(&X, MI_FILE_RULES_A, 20); /* CRC mismatch */
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	assert_int_equal(X.nv.active_slot, 1); /* the IMSI is kept */
	assert_int_equal(X.ram.bootstrap, 0x05);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK); /* no rules: no decision */
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 1);
	/* no service: bootstrap slots only (1 and 3), never 2 or 4 */
	rotation(&X, 0x02, "3131");
}

static void test_safe_mode_bad_version(void **state)
{
	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	X.port.file[MI_FILE_CFG_A].data[3] = 0x02; /* format version 2 */
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	/* only slot 1 is bootstrap and it is the active one: it stays */
	rotation(&X, 0x02, "11");
	assert_int_equal(X.nv.switches, 0);
}

static void test_safe_mode_no_files(void **state)
{
	mi_u8 imsi[9];

	(void)state;
	fx_card(&X, NULL); /* DF.MIMSI files empty */
	memcpy(imsi, X.port.file[MI_FILE_IMSI].data, 9);
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.mode, MI_MODE_SAFE);
	assert_int_equal(X.ram.enabled, 0);
	assert_int_equal(X.nv.active_slot, 0);
	rotation(&X, 0x02, "00");
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_memory_equal(X.port.file[MI_FILE_IMSI].data, imsi, 9); /* never without an IMSI */
	assert_int_equal(X.port.panics, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_rules_then_bootstrap_then_round_robin),
	    cmocka_unit_test(test_order_skips_forbidden),
	    cmocka_unit_test(test_home_outage_stays),
	    cmocka_unit_test(test_failover_off_rotates_blind),
	    cmocka_unit_test(test_service_cancels_rotation),
	    cmocka_unit_test(test_rotation_starts_at_boot),
	    cmocka_unit_test(test_rotation_on_status_polls),
	    cmocka_unit_test(test_naive_round_robin),
	    cmocka_unit_test(test_pinned_never_rotates),
	    cmocka_unit_test(test_safe_mode_corrupt_rules),
	    cmocka_unit_test(test_safe_mode_bad_version),
	    cmocka_unit_test(test_safe_mode_no_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
