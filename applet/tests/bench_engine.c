/* SPDX-License-Identifier: Apache-2.0 */
/*! \file bench_engine.c
 *  Engine figures (printed, never asserted):
 *   - time and port reads per location event and per rules lookup, with a
 *     1,000-entry and a 10-entry rules table: the lookup is a binary
 *     search, so reads grow with log2(entries), not with entries;
 *   - the EF bytes of a world table: 800 PLMN rules x 10 slots, built with
 *     the mi_ef.h encoders (budget: EF.MI_RULES <= 4096 bytes).
 *  With --events: one pass over every mi_applet_* entry point with a
 *  1,000-rule table and no timing, for callgrind (scripts/card-check.sh
 *  counts the instructions of each call: the worst case per event).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mi_engine_int.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"

static struct fx X;
static struct fx_set S;
static mi_u8 F[FAKE_FILE_MAX];

static mi_u32 lcg(mi_u32 *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* RULES body: np profiles, then rules for MCCs from 100 up: an MCC default
 * and exact MNCs 01 and 02 per MCC until n rules. \returns the EF length. */
static int rules_file(int n, int np, mi_u8 *f, mi_u16 cap)
{
	struct mi_profile p;
	struct mi_rule r;
	mi_u32 seed = 7;
	mi_u16 off = MI_EF_HDR_LEN;
	int i, k;

	f[off++] = (mi_u8)np;
	f[off++] = 0;
	f[off++] = (mi_u8)(n >> 8);
	f[off++] = (mi_u8)n;
	for (i = 0; i < np; i++) {
		memset(&p, 0, sizeof(p));
		/* slot 1 first: evaluation never switches, the bench measures lookups */
		p.pref[p.n_pref++] = 1;
		for (k = 0; k < 3; k++) {
			mi_u8 s = (mi_u8)(2 + lcg(&seed) % 9);
			int dup = 0, j;

			for (j = 0; j < p.n_pref; j++)
				dup |= p.pref[j] == s;
			if (!dup)
				p.pref[p.n_pref++] = s;
		}
		p.forbidden = (mi_u16)(lcg(&seed) & 0x0200u);
		if (mi_profile_encode(&p, f + off, (mi_u16)(cap - off)) != 7)
			return -1;
		off = (mi_u16)(off + 7);
	}
	for (i = 0; i < n; i++) {
		r.key = mi_rule_key((mi_u16)(100 + i / 3), (mi_u16)(i % 3), 2, i % 3 != 0);
		r.profile = (mi_u8)(lcg(&seed) % (mi_u32)np);
		if (mi_rule_encode(&r, f + off, (mi_u16)(cap - off)) != 4)
			return -1;
		off = (mi_u16)(off + 4);
	}
	return mi_ef_seal(f, cap, MI_EF_TYPE_RULES, 1, (mi_u16)(off - MI_EF_HDR_LEN));
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void bench_table(int n)
{
	const long iters = 200000;
	mi_u8 plmn[3], env[32];
	struct mi_profile p;
	struct mi_plmn pl;
	unsigned reads;
	double t0, ns_lookup, ns_event, rd_lookup, rd_event;
	long i;
	int len, mcc_span = n / 3 > 0 ? n / 3 : 1;

	fx_default_set(&S);
	S.cfg.flags = 0;
	fx_card(&X, &S);
	len = rules_file(n, 8, F, sizeof(F));
	if (len < 0) {
		fprintf(stderr, "bench_engine: cannot build a %d-entry table\n", n);
		return;
	}
	fake_file_set(&X.port, MI_FILE_RULES_A, (mi_u16)len, F, (mi_u16)len); /* EF sized to fit */
	fx_boot(&X, TP_FULL);
	if (X.ram.rules_nr != n) {
		fprintf(stderr, "bench_engine: table of %d not loaded\n", n);
		return;
	}
	/* lookup alone: exact hits, MCC defaults and global misses in turn */
	reads = X.port.reads;
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		pl.mcc = (mi_u16)(100 + (i * 7) % (mcc_span + 20));
		pl.mnc = (mi_u16)(i % 3);
		pl.mnc_digits = 2;
		mi_plmn_encode(&pl, plmn, 3);
		if (mi_rules_lookup(&X.a, plmn, &p) != MI_OK)
			fprintf(stderr, "lookup failed\n");
	}
	ns_lookup = (now_ns() - t0) / (double)iters;
	rd_lookup = (double)(X.port.reads - reads) / (double)iters;
	/* whole location event (normal service), same MCC: no NV write */
	memcpy(env, "\xD6\x13\x99\x01\x03\x82\x02\x82\x81\x1B\x01\x00\x13\x07", 14);
	memcpy(env + 17, "\x00\x01\x00\x02", 4);
	pl.mcc = 100;
	reads = X.port.reads;
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		pl.mnc = (mi_u16)(i % 3);
		mi_plmn_encode(&pl, env + 14, 3);
		if (mi_applet_envelope(&X.a, env, 21) != MI_OK)
			fprintf(stderr, "event failed\n");
	}
	ns_event = (now_ns() - t0) / (double)iters;
	rd_event = (double)(X.port.reads - reads) / (double)iters;
	fflush(stderr);
	printf("bench_engine: rules %4d entries: lookup %6.1f ns, %5.2f port reads; "
	       "location event %6.1f ns, %5.2f port reads (%u switches)\n",
	       n, ns_lookup, rd_lookup, ns_event, rd_event, X.nv.switches);
}

/* 800 rules (about 200 MCC defaults + 600 MNC overrides) over 10 slots;
 * profiles are the distinct (preference, forbidden) pairs a compiler would
 * share between rules: 64 here. */
static void bench_world(void)
{
	struct fx_set w;
	struct mi_slot s;
	mi_u8 slots[FAKE_FILE_MAX];
	mi_u16 off = MI_EF_HDR_LEN + 1u;
	char imsi[16];
	int len, sl, i, rc;

	len = rules_file(800, 64, F, sizeof(F));
	memset(&w, 0, sizeof(w));
	slots[MI_EF_HDR_LEN] = 10;
	for (sl = 1; sl <= 10; sl++) {
		memset(&s, 0, sizeof(s));
		s.slot = (mi_u8)sl;
		s.keyset = (mi_u8)sl;
		s.mnc_len = 2;
		snprintf(imsi, sizeof(imsi), "9012%02d000000001", sl);
		mi_imsi_encode(imsi, 15, s.imsi, 9);
		s.n_oplmn = 8; /* eight preferred networks and four forbidden per sponsor */
		s.n_fplmn = 4;
		for (i = 0; i < 8; i++) {
			s.oplmn[i][0] = 0x12;
			s.oplmn[i][1] = 0xF3;
			s.oplmn[i][2] = (mi_u8)(0x10 + i);
			s.oplmn[i][3] = 0x40;
		}
		for (i = 0; i < 4; i++)
			memcpy(s.fplmn[i], "\x62\xF2\x10", 3);
		rc = mi_slot_encode(&s, slots + off, (mi_u16)(sizeof(slots) - off));
		if (rc < 0)
			return;
		off = (mi_u16)(off + rc);
	}
	rc = mi_ef_seal(slots, sizeof(slots), MI_EF_TYPE_SLOTS, 1, (mi_u16)(off - MI_EF_HDR_LEN));
	printf("bench_engine: world table, 800 rules x 10 slots, 64 profiles: EF.MI_RULES %d bytes "
	       "(budget 4096, %s), EF.MI_SLOTS %d bytes (8 OPLMN + 4 FPLMN per slot)\n",
	       len, len <= 4096 ? "fits" : "OVER", rc);
	(void)w;
}

/* A set written while the card runs (mi_adopt.c): what the "has a bank
 * changed?" check costs at every event, and what the adoption of a new set
 * for the active IMSI costs once (reload, lists, state). */
static void bench_adoption(void)
{
	const long iters = 200000;
	unsigned reads, writes;
	double t0, ns_poll, ns_adopt;
	long i;
	mi_u32 seq = 2;

	fx_default_set(&S);
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	reads = X.port.reads;
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		(void)mi_applet_status(&X.a);
	ns_poll = (now_ns() - t0) / (double)iters;
	reads = (X.port.reads - reads) / (unsigned)iters;
	t0 = now_ns();
	for (i = 0; i < 1000; i++, seq++) {
		S.slot[0].n_oplmn = (mi_u8)(seq & 1u); /* a different set each time */
		fx_write_set(&X, &S, (int)(~seq & 1u), seq); /* the bank not in use */
		writes = X.port.writes;
		(void)mi_applet_status(&X.a);
		fx_drain(&X);
	}
	ns_adopt = (now_ns() - t0) / 1000.0;
	writes = X.port.writes - writes;
	printf("bench_engine: set check per event %u port reads (%u bytes), STATUS %.1f ns; "
	       "adopting a new set %.1f us (incl. writing it), %u port writes, set_seq %lu\n",
	       reads, 4u * reads, ns_poll, ns_adopt / 1000.0, writes, (unsigned long)X.nv.set_seq);
}

static void env_loc(mi_u8 status, mi_u16 mcc, mi_u16 mnc)
{
	mi_u8 env[32];
	struct mi_plmn pl;

	memcpy(env, "\xD6\x13\x99\x01\x03\x82\x02\x82\x81\x1B\x01\x00\x13\x07", 14);
	env[11] = status;
	memcpy(env + 17, "\x00\x01\x00\x02", 4);
	pl.mcc = mcc;
	pl.mnc = mnc;
	pl.mnc_digits = 2;
	mi_plmn_encode(&pl, env + 14, 3);
	if (status != 0)
		env[1] = 0x09; /* no location information without normal service */
	(void)mi_applet_envelope(&X.a, env, status == 0 ? 21 : 11);
	fx_drain(&X);
}

/* Every entry point with a 1,000-rule table (slot 1 first in every
 * profile, 4 slots): boot, location events (exact hits, MCC defaults,
 * misses), a menu choice that switches, limited service until the rotation
 * timer switches, STATUS. */
static void events(void)
{
	int len, i;

	fx_default_set(&S);
	fx_card(&X, &S);
	len = rules_file(1000, 8, F, sizeof(F));
	if (len < 0)
		return;
	fake_file_set(&X.port, MI_FILE_RULES_A, (mi_u16)len, F, (mi_u16)len);
	fx_boot(&X, TP_FULL);
	for (i = 0; i < 30; i++)
		env_loc(0x00, (mi_u16)(100 + (i * 37) % 400), (mi_u16)(i % 4));
	(void)fx_env_file(&X, "env_menu_selection");
	if (fx_fetch(&X))
		(void)fx_tr_file(&X, "tr_select_item_3"); /* pin slot 3: a switch */
	fx_drain(&X);
	(void)fx_env_file(&X, "env_menu_selection");
	if (fx_fetch(&X))
		(void)fx_tr_file(&X, "tr_select_item_auto");
	fx_drain(&X);
	env_loc(0x01, 213, 77); /* limited service: rotation */
	fx_wait(&X, 1200);
	fx_drain(&X);
	for (i = 0; i < 5; i++)
		(void)mi_applet_status(&X.a);
	(void)mi_applet_reset(&X.a);
	printf("bench_engine --events: %u switches, %u rules loaded\n", X.nv.switches,
	       X.ram.rules_nr);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--events")) {
		events();
		return 0;
	}
	bench_table(10);
	bench_table(100);
	bench_table(1000);
	bench_table(2000);
	bench_world();
	bench_adoption();
	return 0;
}
