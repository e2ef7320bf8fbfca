/* SPDX-License-Identifier: Apache-2.0 */
/* The choice and the outputs: tie-breaks, ceiling, coverage, overrides,
 * pref_depth, row-order independence, decompile round trip, diff ranges,
 * atomic directory writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc.h"

struct world {
	struct rc_plan plan;
	struct rc_rates rates;
	struct rc_result res;
	rc_error_t err;
};

static const char plan3[] =
    "{ \"currency\": \"EUR\", \"home_plmn\": \"262-01\", %s"
    "  \"slots\": [ { \"index\": 1, \"sponsor\": \"Own\", \"imsi\": \"262011234567890\", \"home\": "
    "true },"
    "    { \"index\": 2, \"sponsor\": \"A\", \"imsi\": \"213770000000001\" },"
    "    { \"index\": 3, \"sponsor\": \"B\", \"imsi\": \"213550000000001\" } ] }";

static int build(struct world *w, const char *extra, const char *csv)
{
	char text[2048];

	memset(w, 0, sizeof(*w));
	rc_err_clear(&w->err);
	snprintf(text, sizeof(text), plan3, extra);
	if (rc_plan_parse("p.json", text, &w->plan, &w->err) < 0 ||
	    rc_csv_parse("r.csv", csv, strlen(csv), &w->rates, &w->err) < 0 ||
	    rc_choose(&w->plan, &w->rates, &w->res, &w->err) < 0 ||
	    rc_emit(&w->plan, &w->res, &w->err) < 0)
		return -1;
	return 0;
}

static void drop(struct world *w)
{
	rc_result_free(&w->res);
	rc_plan_free(&w->plan);
	rc_rates_free(&w->rates);
}

static const struct rc_plmn *at(struct world *w, const char *plmn)
{
	struct mi_plmn p;
	char why[64];

	assert_int_equal(rc_plmn_text(plmn, &p, why, sizeof(why)), 0);
	return rc_find_plmn(&w->res, &p);
}

#define HDR "sponsor,mcc,mnc,price,currency,unit\n"

static void test_ties(void **state)
{
	struct world w;
	const struct rc_plmn *e;

	(void)state;
	/* all equal: home first, then the lower slot */
	assert_int_equal(
	    build(&w, "",
		  HDR "B,213,77,2.00,EUR,GB\nA,213,77,2.00,EUR,GB\nOwn,213,77,2.00,EUR,GB\n"
		      "Own,262,01,0.5,EUR,GB\nA,262,01,0.1,EUR,GB\nB,262,01,0.1,EUR,GB\n"),
	    0);
	e = at(&w, "213-77");
	assert_non_null(e);
	assert_int_equal(e->prof.n_pref, 3);
	assert_int_equal(e->prof.pref[0], 1);
	assert_int_equal(e->prof.pref[1], 2);
	assert_int_equal(e->prof.pref[2], 3);
	/* cheaper wins over home */
	e = at(&w, "262-01");
	assert_int_equal(e->prof.pref[0], 2);
	assert_int_equal(e->prof.pref[1], 3);
	assert_int_equal(e->prof.pref[2], 1);
	drop(&w);
}

static void test_ceiling_coverage_overrides(void **state)
{
	struct world w;
	const struct rc_plmn *e;

	(void)state;
	assert_int_equal(
	    build(&w,
		  "\"ceiling\": \"2.00\", \"coverage\": [\"E212-213\", \"E212-262-01\"],"
		  "\"overrides\": [ { \"plmn\": \"213-78\", \"forbid\": [2] },"
		  "  { \"mcc\": \"213\", \"order\": [3, 2] }, { \"mcc\": \"208\", \"local_only\": "
		  "true } ],",
		  HDR "Own,262,01,0.5,EUR,GB\nA,213,77,2.00,EUR,GB\nB,213,77,1.00,EUR,GB\n"
		      "Own,213,77,2.000001,EUR,GB\nA,213,78,0.5,EUR,GB\nB,213,78,0.6,EUR,GB\n"
		      "A,214,01,0.5,EUR,GB\nA,208,01,0.5,EUR,GB\nOwn,208,01,1,EUR,GB\n"),
	    0);
	e = at(&w, "213-77");
	/* ceiling is inclusive: 2.00 allowed, 2.000001 forbidden */
	assert_int_equal(e->cell[0].why, RC_WHY_CEILING);
	assert_int_equal(e->cell[1].why, 0);
	assert_int_equal(e->prof.n_pref, 2);
	assert_int_equal(e->prof.pref[0], 3);
	assert_int_equal(e->prof.forbidden, 0x1);
	e = at(&w, "213-78");
	assert_int_equal(e->cell[1].why, RC_WHY_OVERRIDE);
	assert_int_equal(e->cell[0].why, RC_WHY_NO_RATE);
	assert_int_equal(e->prof.n_pref, 1);
	assert_int_equal(e->prof.pref[0], 3);
	e = at(&w, "214-01");
	assert_int_equal(e->cell[1].why, RC_WHY_COVERAGE);
	e = at(&w, "208-01"); /* local only: Own is not local in France either */
	assert_int_equal(e->cell[1].why, RC_WHY_LOCAL_ONLY | RC_WHY_COVERAGE);
	assert_int_equal(e->cell[0].why, RC_WHY_LOCAL_ONLY | RC_WHY_COVERAGE);
	drop(&w);
}

static void test_mcc_default_and_dedupe(void **state)
{
	struct world w;
	size_t i;
	int k;

	(void)state;
	assert_int_equal(
	    build(&w, "",
		  HDR
		  "Own,262,01,0.5,EUR,GB\n"
		  "A,297,01,1,EUR,GB\nA,297,02,1,EUR,GB\nA,297,03,1,EUR,GB\nB,297,03,0.5,EUR,GB\n"
		  "A,276,01,1,EUR,GB\nA,276,02,1,EUR,GB\n"),
	    0);
	/* 297: two MNCs agree (A only) -> MCC default; 297-03 differs -> exact
	 * 276: all agree -> one MCC default, sharing 297's profile */
	assert_int_equal(w.res.n_rule, 3);
	assert_true(w.res.rule[0].key == mi_rule_key(276, 0, 2, MI_FALSE));
	assert_true(w.res.rule[1].key == mi_rule_key(297, 0, 2, MI_FALSE));
	assert_true(w.res.rule[2].key == mi_rule_key(297, 3, 2, MI_TRUE));
	assert_int_equal(w.res.rule[0].profile, w.res.rule[1].profile);
	assert_int_equal(w.res.n_prof, 3);
	for (i = 1; i < w.res.n_rule; i++)
		assert_true(w.res.rule[i - 1].key < w.res.rule[i].key);
	/* Germany equals the global profile: no rule */
	for (k = 0; k < w.res.n_prof; k++)
		assert_true(k == w.res.global || w.res.prof[k].pref[0] != 1 ||
			    w.res.prof[k].n_pref != 1);
	drop(&w);
}

static void test_pref_depth(void **state)
{
	struct world w;
	const struct rc_plmn *e;

	(void)state;
	assert_int_equal(build(&w, "\"pref_depth\": 1,",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"),
			 0);
	e = at(&w, "213-77");
	assert_int_equal(e->prof.n_pref, 1);
	assert_int_equal(e->prof.pref[0], 2);
	assert_int_equal(e->cell[2].why, RC_WHY_DEPTH);
	assert_int_equal(e->prof.forbidden & 0x4, 0); /* not forbidden, just unlisted */
	drop(&w);
}

static void test_fx_dated(void **state)
{
	struct world w;
	const struct rc_plmn *e;

	(void)state;
	assert_int_equal(
	    build(&w,
		  "\"valuation_date\": \"2026-11-15\", \"fx\": ["
		  "{\"currency\": \"USD\", \"date\": \"2026-12-01\", \"rate\": \"2\"},"
		  "{\"currency\": \"USD\", \"date\": \"2026-11-01\", \"rate\": \"0.92\"},"
		  "{\"currency\": \"USD\", \"date\": \"2026-10-01\", \"rate\": \"0.95\"}],",
		  HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1.21,USD,GB\nB,213,77,1.1132,EUR,GB\n"),
	    0);
	e = at(&w, "213-77");
	assert_true(e->cell[1].rate->conv == 1113200); /* 1.21 x 0.92, not x 2 or x 0.95 */
	assert_true(e->cell[1].rate->fx == 920000);
	assert_int_equal(e->prof.pref[0], 2); /* equal price: lower slot */
	drop(&w);
}

/* Same bytes whatever the row order: shuffle the rows of a real vector. */
static void test_row_order(void **state)
{
	static const char *const files[] = {"test-vectors/rules/valid/balkan/rates-own.csv",
					    "test-vectors/rules/valid/balkan/rates-partner-w.csv",
					    "test-vectors/rules/valid/balkan/rates-partner-y.csv"};
	char *lines[64], *text[3];
	size_t n = 0, len, i;
	struct world ref, w;
	uint32_t seed = 12345;
	int round, f;

	(void)state;
	memset(&ref, 0, sizeof(ref));
	assert_int_equal(rc_build("test-vectors/rules/valid/balkan/plan.json", (char *const *)files,
				  3, &ref.plan, &ref.rates, &ref.res, &ref.err),
			 0);
	for (f = 0; f < 3; f++) {
		char *s, *save = NULL, *first = NULL;

		text[f] = rc_read_file(files[f], &len, &ref.err);
		assert_non_null(text[f]);
		for (s = strtok_r(text[f], "\r\n", &save); s; s = strtok_r(NULL, "\r\n", &save)) {
			if (!first) {
				first = s; /* header */
				continue;
			}
			assert_true(n < MI_ARRAY_SIZE(lines));
			lines[n++] = s;
		}
	}
	for (round = 0; round < 25; round++) {
		char csv[8192];
		size_t at_ = 0;

		for (i = n - 1; i > 0; i--) { /* Fisher-Yates with a fixed LCG */
			size_t j;
			char *t;

			seed = seed * 1103515245u + 12345u;
			j = (seed >> 8) % (i + 1);
			t = lines[i];
			lines[i] = lines[j];
			lines[j] = t;
		}
		at_ += (size_t)snprintf(csv, sizeof(csv), "sponsor,mcc,mnc,price,currency,unit\n");
		for (i = 0; i < n; i++)
			at_ += (size_t)snprintf(csv + at_, sizeof(csv) - at_, "%s\n",
						lines[i][0] == '\xEF' ? lines[i] + 3 : lines[i]);
		memset(&w, 0, sizeof(w));
		assert_int_equal(
		    rc_plan_load("test-vectors/rules/valid/balkan/plan.json", &w.plan, &w.err), 0);
		assert_int_equal(rc_csv_parse("mixed.csv", csv, at_, &w.rates, &w.err), 0);
		assert_int_equal(rc_choose(&w.plan, &w.rates, &w.res, &w.err), 0);
		assert_int_equal(rc_emit(&w.plan, &w.res, &w.err), 0);
		assert_int_equal(w.res.rules_len, ref.res.rules_len);
		assert_memory_equal(w.res.rules_ef, ref.res.rules_ef, ref.res.rules_len);
		assert_int_equal(w.res.slots_len, ref.res.slots_len);
		assert_memory_equal(w.res.slots_ef, ref.res.slots_ef, ref.res.slots_len);
		drop(&w);
	}
	for (f = 0; f < 3; f++)
		free(text[f]);
	drop(&ref);
}

/* decompile's decoder and the codec's encoders give back the same bytes. */
static void test_roundtrip(void **state)
{
	struct world w;
	struct rc_set set;
	mi_u8 buf[512];
	size_t i, off;
	int k, rc;

	(void)state;
	assert_int_equal(build(&w, "\"overrides\": [ { \"mcc\": \"213\", \"order\": [3] } ],",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"
				   "A,208,01,1,EUR,GB\nB,302,777,1,EUR,GB\n"),
			 0);
	memset(&set, 0, sizeof(set));
	set.file[0] = malloc(w.res.cfg_len);
	set.file[1] = malloc(w.res.slots_len);
	set.file[2] = malloc(w.res.rules_len);
	memcpy(set.file[0], w.res.cfg, w.res.cfg_len);
	memcpy(set.file[1], w.res.slots_ef, w.res.slots_len);
	memcpy(set.file[2], w.res.rules_ef, w.res.rules_len);
	set.len[0] = w.res.cfg_len;
	set.len[1] = w.res.slots_len;
	set.len[2] = w.res.rules_len;
	assert_int_equal(rc_set_decode(&set, "mem", &w.err), 0);
	assert_int_equal(set.n_slot, 3);
	assert_int_equal(set.n_prof, w.res.n_prof);
	assert_int_equal(set.n_rule, w.res.n_rule);
	off = MI_EF_HDR_LEN + 1;
	for (k = 0; k < set.n_slot; k++) {
		rc = mi_slot_encode(&set.slot[k], buf, sizeof(buf));
		assert_true(rc > 0);
		assert_memory_equal(buf, w.res.slots_ef + off, (size_t)rc);
		off += (size_t)rc;
	}
	assert_int_equal(off, w.res.slots_len);
	off = MI_EF_HDR_LEN + MI_RULES_FIXED;
	for (k = 0; k < set.n_prof; k++, off += MI_PROFILE_LEN) {
		assert_int_equal(mi_profile_encode(&set.prof[k], buf, sizeof(buf)), MI_PROFILE_LEN);
		assert_memory_equal(buf, w.res.rules_ef + off, MI_PROFILE_LEN);
	}
	for (i = 0; i < set.n_rule; i++, off += MI_RULE_LEN) {
		assert_int_equal(mi_rule_encode(&set.rule[i], buf, sizeof(buf)), MI_RULE_LEN);
		assert_memory_equal(buf, w.res.rules_ef + off, MI_RULE_LEN);
	}
	/* a flipped byte is caught by the CRC */
	set.file[2][MI_EF_HDR_LEN] ^= 1;
	free(set.rule);
	set.rule = NULL;
	rc_err_clear(&w.err);
	assert_int_equal(rc_set_decode(&set, "mem", &w.err), -1);
	assert_non_null(strstr(w.err.text, "ef_rules.bin: header"));
	rc_set_free(&set);
	drop(&w);
}

static void test_diff_ranges(void **state)
{
	struct world a, b;
	struct rc_set sa, sb;
	FILE *out = tmpfile();
	char text[4096];
	size_t n;

	(void)state;
	assert_int_equal(
	    build(&a, "", HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"), 0);
	assert_int_equal(
	    build(&b, "", HDR "Own,262,01,0.5,EUR,GB\nA,213,77,3,EUR,GB\nB,213,77,2,EUR,GB\n"), 0);
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sa.file[0] = malloc(a.res.cfg_len);
	memcpy(sa.file[0], a.res.cfg, a.res.cfg_len);
	sa.len[0] = a.res.cfg_len;
	sa.file[1] = malloc(a.res.slots_len);
	memcpy(sa.file[1], a.res.slots_ef, a.res.slots_len);
	sa.len[1] = a.res.slots_len;
	sa.file[2] = malloc(a.res.rules_len);
	memcpy(sa.file[2], a.res.rules_ef, a.res.rules_len);
	sa.len[2] = a.res.rules_len;
	sb.file[0] = malloc(b.res.cfg_len);
	memcpy(sb.file[0], b.res.cfg, b.res.cfg_len);
	sb.len[0] = b.res.cfg_len;
	sb.file[1] = malloc(b.res.slots_len);
	memcpy(sb.file[1], b.res.slots_ef, b.res.slots_len);
	sb.len[1] = b.res.slots_len;
	sb.file[2] = malloc(b.res.rules_len);
	memcpy(sb.file[2], b.res.rules_ef, b.res.rules_len);
	sb.len[2] = b.res.rules_len;
	assert_int_equal(rc_set_decode(&sa, "a", &a.err), 0);
	assert_int_equal(rc_set_decode(&sb, "b", &b.err), 0);
	assert_non_null(out);
	assert_int_equal(rc_diff(out, &sa, &sa, 0), 0);
	assert_int_equal(rc_diff(out, &sa, &sb, 0), 1);
	rewind(out);
	n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	fclose(out);
	assert_non_null(
	    strstr(text, "~ 213-*   order 2 > 3; forbidden 1  ->  order 3 > 2; forbidden 1"));
	assert_non_null(strstr(text, "ef_cfg.bin: 30 -> 30 bytes, 0 UPDATE BINARY, 0 bytes: none"));
	assert_non_null(strstr(text, "total: "));
	rc_set_free(&sa);
	rc_set_free(&sb);
	drop(&a);
	drop(&b);
}

static void test_write_dir_atomic(void **state)
{
	struct world w;
	char dir[64], out[96], path[160];
	struct stat st;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/rc-test-%ld", (long)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(out, sizeof(out), "%s/set", dir);
	assert_int_equal(
	    build(&w, "", HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"), 0);
	assert_int_equal(rc_write_dir(out, &w.plan, &w.rates, &w.res, &w.err), 0);
	snprintf(path, sizeof(path), "%s/ef_rules.hex", out);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, 2 * w.res.rules_len + 1);
	/* again over the existing set: replaced, no leftovers */
	assert_int_equal(rc_write_dir(out, &w.plan, &w.rates, &w.res, &w.err), 0);
	snprintf(path, sizeof(path), "%s/set.old-%ld", dir, (long)getpid());
	assert_int_not_equal(stat(path, &st), 0);
	/* a file in the way: error, nothing written */
	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(rc_write_dir(path, &w.plan, &w.rates, &w.res, &w.err), -1);
	assert_non_null(strstr(w.err.text, "exists and is not a directory"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/set/report.json", dir);
	assert_int_equal(stat(path, &st), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/set", dir);
	{
		static const char *const names[] = {"ef_cfg.bin",   "ef_cfg.hex",   "ef_slots.bin",
						    "ef_slots.hex", "ef_rules.bin", "ef_rules.hex"};
		size_t i;
		char p2[200];

		for (i = 0; i < MI_ARRAY_SIZE(names); i++) {
			snprintf(p2, sizeof(p2), "%s/%s", path, names[i]);
			assert_int_equal(unlink(p2), 0);
		}
	}
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
	drop(&w);
}

static void test_budget(void **state)
{
	struct world w;

	(void)state;
	assert_int_equal(build(&w, "\"ef_sizes\": { \"rules\": 30 },",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"
				   "A,302,777,1,EUR,GB\n"),
			 -1);
	assert_non_null(strstr(w.err.text, "EF.MI_RULES needs 47 bytes, the plan declares 30"));
	assert_non_null(strstr(w.err.text, "213 Andorra 4 B"));
	drop(&w);
}

/* compile --base: old profile numbers kept, a new profile takes a free place */
static void test_rebase(void **state)
{
	struct world a, b;
	struct rc_set base;
	int k;

	(void)state;
	assert_int_equal(build(&a, "\"profile_spares\": 2,",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"
				   "A,297,01,1,EUR,GB\nB,297,01,3,EUR,GB\n"),
			 0);
	assert_int_equal(a.res.n_spares, 2);
	assert_int_equal(a.res.n_prof, 4); /* global, "2 > 3", 2 spares */
	memset(&base, 0, sizeof(base));
	base.n_prof = a.res.n_prof;
	base.global = a.res.global;
	memcpy(base.prof, a.res.prof, sizeof(a.res.prof[0]) * (size_t)a.res.n_prof);
	/* 297-01 now prefers B: a new profile "3 > 2" */
	assert_int_equal(build(&b, "\"profile_spares\": 2,",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"
				   "A,297,01,3,EUR,GB\nB,297,01,1,EUR,GB\n"),
			 0);
	assert_int_equal(rc_rebase(&b.res, &base, &b.err), 0);
	assert_int_equal(b.res.n_prof, 4); /* no growth: the spare was used */
	assert_int_equal(b.res.global, a.res.global);
	for (k = 0; k < 2; k++) /* the profiles both sets use keep their place */
		assert_memory_equal(&b.res.prof[k], &a.res.prof[k], sizeof(b.res.prof[k]));
	assert_int_equal(b.res.prof[b.res.rule[1].profile].pref[0], 3);
	assert_int_equal(b.res.rule[0].profile, a.res.rule[0].profile);
	drop(&a);
	drop(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ties),
	    cmocka_unit_test(test_ceiling_coverage_overrides),
	    cmocka_unit_test(test_mcc_default_and_dedupe),
	    cmocka_unit_test(test_pref_depth),
	    cmocka_unit_test(test_fx_dated),
	    cmocka_unit_test(test_row_order),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_diff_ranges),
	    cmocka_unit_test(test_write_dir_atomic),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_rebase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
