/* SPDX-License-Identifier: Apache-2.0 */
/* The choice and the outputs: tie-breaks, ceiling, coverage, overrides,
 * per-network ranking (a slot serves only where its sponsor prices the
 * network, MNC wildcard rows, no-service candidates of the country),
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
	/* an exact override refuses A here although A is usable at 213-77 */
	assert_int_equal(e->cell[1].why, RC_WHY_OVERRIDE);
	assert_non_null(e->cell[1].via);
	/* Own (home): no rate here, so the last resort after the pinned B;
	 * A, refused here, is a candidate without service in the country */
	assert_int_equal(e->cell[0].net, 0);
	assert_null(e->cell[0].via);
	assert_int_equal(e->prof.n_pref, 2);
	assert_int_equal(e->prof.pref[0], 3);
	assert_int_equal(e->prof.pref[1], 1);
	assert_int_equal(e->n_cand, 1);
	assert_int_equal(e->cand[0], 2);
	assert_int_equal(e->prof.forbidden, 0x2);
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
	    build(&w, "\"overrides\": [ { \"plmn\": \"297-01\", \"forbid\": [2] } ],",
		  HDR "Own,262,01,0.5,EUR,GB\n"
		      "A,297,*,1,EUR,GB\nB,297,03,0.5,EUR,GB\n"
		      "A,276,*,1,EUR,GB\nA,228,*,1,EUR,GB\n"),
	    0);
	/* 297-*: A everywhere (wildcard row) -> "2 > 1, forbidden 3", the
	 * profile of 228-* and 276-* too (identical profiles stored once);
	 * 297-03 (B priced, cheaper) and 297-01 (A refused by the override:
	 * the global profile) differ -> exact rules */
	assert_int_equal(w.res.n_rule, 5);
	assert_true(w.res.rule[0].key == mi_rule_key(228, 0, 2, MI_FALSE));
	assert_true(w.res.rule[1].key == mi_rule_key(276, 0, 2, MI_FALSE));
	assert_true(w.res.rule[2].key == mi_rule_key(297, 0, 2, MI_FALSE));
	assert_true(w.res.rule[3].key == mi_rule_key(297, 1, 2, MI_TRUE));
	assert_true(w.res.rule[4].key == mi_rule_key(297, 3, 2, MI_TRUE));
	assert_int_equal(w.res.rule[0].profile, w.res.rule[1].profile);
	assert_int_equal(w.res.rule[0].profile, w.res.rule[2].profile);
	assert_int_equal(w.res.prof[w.res.rule[2].profile].n_pref, 2);
	assert_int_equal(w.res.prof[w.res.rule[2].profile].pref[0], 2);
	assert_int_equal(w.res.prof[w.res.rule[2].profile].forbidden, 0x4);
	assert_int_equal(w.res.rule[3].profile, w.res.global);
	assert_int_equal(w.res.prof[w.res.rule[4].profile].pref[0], 3);
	assert_int_equal(w.res.prof[w.res.rule[4].profile].forbidden, 0);
	assert_int_equal(w.res.n_prof, 3);
	for (i = 1; i < w.res.n_rule; i++)
		assert_true(w.res.rule[i - 1].key < w.res.rule[i].key);
	/* Germany equals the global profile: no rule */
	for (k = 0; k < w.res.n_prof; k++)
		assert_true(k == w.res.global || w.res.prof[k].pref[0] != 1 ||
			    w.res.prof[k].n_pref != 1);
	drop(&w);
}

/* Does slot list m (OPLMNwACT stride 5 or FPLMN stride 3) hold plmn? */
static int in_list(const mi_u8 *v, int n, int stride, const char *plmn)
{
	struct mi_plmn p, q;
	char why[64];
	int i;

	assert_int_equal(rc_plmn_text(plmn, &p, why, sizeof(why)), 0);
	for (i = 0; i < n; i++)
		if (mi_plmn_decode(v + i * stride, 3, &q) == 3 && mi_plmn_equal(&p, &q))
			return 1;
	return 0;
}

static int explain_has(struct world *w, const char *plmn, const char *text)
{
	FILE *f = tmpfile();
	struct mi_plmn p;
	char buf[4096], why[64];
	size_t n;

	assert_non_null(f);
	assert_int_equal(rc_plmn_text(plmn, &p, why, sizeof(why)), 0);
	assert_int_equal(rc_explain(f, &w->plan, &w->rates, &w->res, &p, 0), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	if (!strstr(buf, text))
		print_message("explain %s:\n%s", plmn, buf);
	return strstr(buf, text) != NULL;
}

/* Per network: at 440-10 only Own's sheet prices the network, so A is
 * forbidden there although A is cheaper at 440-00; A stays in the order as
 * a candidate without service (ranked by 440-00), and the card's choice
 * with service is Own. The home IMSI without a rate is the last resort. */
static void test_per_network_unpriced(void **state)
{
	struct world w;
	const struct rc_plmn *e;
	const struct mi_slot *a;

	(void)state;
	assert_int_equal(
	    build(&w, "\"ceiling\": \"15.00\", \"fx\": [{\"currency\": \"USD\", "
		      "\"date\": \"2026-11-01\", \"rate\": \"0.92\"}],",
		  HDR "Own,262,01,0.5,EUR,GB\nOwn,440,10,12.00,EUR,GB\n"
		      "A,440,00,3.41,USD,GB\nA,441,01,20.00,USD,GB\nB,302,777,1,EUR,GB\n"),
	    0);
	e = at(&w, "440-10");
	assert_int_equal(e->cell[1].net, RC_WHY_NO_RATE);
	assert_int_equal(e->cell[1].why, RC_WHY_NO_RATE);
	assert_true(e->cell[1].via->conv == 3137200); /* candidate via 440-00 */
	assert_int_equal(e->prof.forbidden, 0x6);      /* A and B */
	assert_int_equal(rc_first_allowed(&e->prof), 1);
	e = at(&w, "440-00"); /* A priced; Own unpriced: last resort */
	assert_int_equal(e->prof.n_pref, 2);
	assert_int_equal(e->prof.pref[0], 2);
	assert_int_equal(e->prof.pref[1], 1);
	assert_int_equal(e->prof.forbidden, 0x4);
	assert_null(e->cell[0].via);
	e = at(&w, "441-01"); /* A over the ceiling here: forbidden */
	assert_int_equal(e->cell[1].why, RC_WHY_CEILING);
	assert_int_equal(rc_first_allowed(&e->prof), 1);
	/* rules: 302-*, 302-777, 440-* (= 440-10), 440-00, 441-* */
	assert_int_equal(w.res.n_rule, 5);
	assert_true(w.res.rule[2].key == mi_rule_key(440, 0, 2, MI_FALSE));
	assert_true(w.res.rule[3].key == mi_rule_key(440, 0, 2, MI_TRUE));
	/* A's lists: 440-00 preferred, 440-10 and 441-01 barred */
	a = &w.res.slot[1];
	assert_true(in_list(a->oplmn[0], a->n_oplmn, 5, "440-00"));
	assert_false(in_list(a->oplmn[0], a->n_oplmn, 5, "440-10"));
	assert_true(in_list(a->fplmn[0], a->n_fplmn, 3, "440-10"));
	assert_true(in_list(a->fplmn[0], a->n_fplmn, 3, "441-01"));
	assert_true(in_list(w.res.slot[0].oplmn[0], w.res.slot[0].n_oplmn, 5, "440-10"));
	assert_true(explain_has(&w, "440-10", "1. slot 1 (Own) via 440-10: 12.00 EUR/GB"));
	assert_true(explain_has(&w, "440-10",
				"slot 2 (A) at 440-00: 3.41 USD/GB x 0.92 EUR/USD = 3.1372 EUR/GB"));
	assert_true(explain_has(&w, "440-10", "without service in Japan"));
	assert_true(explain_has(&w, "440-10", "priced at 441-01: 20.00 USD/GB"));
	assert_true(explain_has(&w, "440-00", "2. slot 1 (Own): no rate here; the home IMSI"));
	drop(&w);
}

/* Over the ceiling at every network of the country: forbidden everywhere
 * there and no candidate; every network in the slot's FPLMN. */
static void test_ceiling_everywhere(void **state)
{
	struct world w;
	const struct rc_plmn *e;
	const struct mi_slot *b;
	struct rc_plmn tmp;
	struct mi_plmn p;
	char why[64];

	(void)state;
	assert_int_equal(build(&w, "\"ceiling\": \"15.00\",",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,*,1.00,EUR,GB\n"
				   "B,213,77,20.00,EUR,GB\nB,213,78,25.00,EUR,GB\n"),
			 0);
	e = at(&w, "213-77");
	assert_int_equal(e->cell[2].why, RC_WHY_CEILING);
	assert_null(e->cell[2].via);
	assert_int_equal(e->prof.n_pref, 2); /* A (wildcard), Own last resort */
	assert_int_equal(e->prof.pref[0], 2);
	assert_int_equal(e->prof.forbidden, 0x4);
	/* an MNC no input names: A's wildcard row prices it, B has none */
	assert_int_equal(rc_plmn_text("213-03", &p, why, sizeof(why)), 0);
	rc_eval_plmn(&w.plan, &w.rates, &p, &tmp);
	assert_int_equal(tmp.cell[2].why, RC_WHY_NO_RATE);
	assert_true(tmp.cell[1].via->wild);
	assert_int_equal(tmp.prof.pref[0], 2);
	assert_int_equal(w.res.n_rule, 1); /* 213-* alone: every MNC agrees */
	b = &w.res.slot[2];
	assert_int_equal(b->n_oplmn, 0);
	assert_true(in_list(b->fplmn[0], b->n_fplmn, 3, "213-77"));
	assert_true(in_list(b->fplmn[0], b->n_fplmn, 3, "213-78"));
	assert_true(explain_has(&w, "213-77", "slot 3 (B)  over ceiling: 20.00 EUR/GB"));
	assert_true(explain_has(&w, "213-03", "1. slot 2 (A) via 213-*: 1.00 EUR/GB"));
	drop(&w);
}

/* Two sponsors whose order differs between the networks of one country:
 * each network gets its own exact rule and order; a wildcard row makes
 * every network of an MCC agree (one MCC default, no exact rows). */
static void test_order_differs_per_network(void **state)
{
	struct world w;
	const struct rc_plmn *e;
	struct mi_plmn p;
	const struct mi_slot *a;
	int k;

	(void)state;
	assert_int_equal(
	    build(&w, "",
		  HDR "Own,262,01,0.5,EUR,GB\n"
		      "A,213,77,1.00,EUR,GB\nA,213,78,3.00,EUR,GB\n"
		      "B,213,77,2.00,EUR,GB\nB,213,78,0.80,EUR,GB\n"
		      "A,214,*,1.00,EUR,GB\nB,214,03,0.50,EUR,GB\n"),
	    0);
	e = at(&w, "213-77");
	assert_int_equal(e->prof.pref[0], 2);
	assert_int_equal(e->prof.pref[1], 3);
	assert_int_equal(e->prof.forbidden, 0);
	e = at(&w, "213-78");
	assert_int_equal(e->prof.pref[0], 3);
	assert_int_equal(e->prof.pref[1], 2);
	/* 213-* (unnamed: candidates B 0.80, A 1.00, Own), 213-77, 213-78;
	 * 214-* (A everywhere) and 214-03 (B cheaper there) */
	assert_int_equal(w.res.n_rule, 5);
	for (k = 0; k < 5; k++) {
		static const mi_u32 keys[5] = {0xD5000u, 0xD584Du, 0xD584Eu, 0xD6000u, 0xD6803u};

		assert_true(w.res.rule[k].key == keys[k]);
	}
	assert_int_equal(w.res.prof[w.res.rule[0].profile].forbidden, 0x6);
	assert_int_equal(w.res.prof[w.res.rule[0].profile].pref[0], 3);
	assert_int_equal(rc_first_allowed(&w.res.prof[w.res.rule[3].profile]), 2);
	assert_int_equal(w.res.prof[w.res.rule[4].profile].pref[0], 3);
	a = &w.res.slot[1]; /* A: 213-77 (1.00) before 213-78 (3.00), none barred */
	assert_int_equal(mi_plmn_decode(a->oplmn[0], 3, &p), 3);
	assert_int_equal(p.mnc, 77);
	assert_false(in_list(a->fplmn[0], a->n_fplmn, 3, "213-78"));
	a = &w.res.slot[2]; /* B: 213-78 first */
	assert_int_equal(mi_plmn_decode(a->oplmn[0], 3, &p), 3);
	assert_int_equal(p.mnc, 78);
	assert_true(explain_has(&w, "213-77", "1. slot 2 (A) via 213-77: 1.00 EUR/GB"));
	assert_true(explain_has(&w, "213-78", "1. slot 3 (B) via 213-78: 0.80 EUR/GB"));
	assert_true(explain_has(&w, "214-99", "1. slot 2 (A) via 214-*: 1.00 EUR/GB"));
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
	assert_int_equal(off + MI_EF_SET_ID_LEN, w.res.slots_len); /* then the set id */
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
	    strstr(text, "~ 213-77  order 2 > 3 > 1; forbidden none  ->  order 3 > 2 > 1; forbidden none"));
	assert_non_null(strstr(text, "ef_cfg.bin: 34 -> 34 bytes"));
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
	assert_non_null(strstr(w.err.text, "EF.MI_RULES needs 73 bytes, the plan declares 30"));
	assert_non_null(strstr(w.err.text, "213 Andorra 8 B"));
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
	assert_int_equal(a.res.n_prof, 5); /* global, "2 > 3 > 1" twice (MCC, MNC), 2 spares */
	memset(&base, 0, sizeof(base));
	base.n_prof = a.res.n_prof;
	base.global = a.res.global;
	memcpy(base.prof, a.res.prof, sizeof(a.res.prof[0]) * (size_t)a.res.n_prof);
	/* 297 now prefers B: two new profiles "3 > 2 > 1" (297-*, 297-01) */
	assert_int_equal(build(&b, "\"profile_spares\": 2,",
			       HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,2,EUR,GB\n"
				   "A,297,01,3,EUR,GB\nB,297,01,1,EUR,GB\n"),
			 0);
	assert_int_equal(rc_rebase(&b.res, &base, &b.err), 0);
	assert_int_equal(b.res.n_prof, 5); /* no growth: the spares were used */
	assert_int_equal(b.res.global, a.res.global);
	for (k = 0; k < 3; k++) /* the profiles both sets use keep their place */
		assert_memory_equal(&b.res.prof[k], &a.res.prof[k], sizeof(b.res.prof[k]));
	assert_int_equal(b.res.prof[b.res.rule[3].profile].pref[0], 3);
	assert_int_equal(b.res.rule[0].profile, a.res.rule[0].profile);
	drop(&a);
	drop(&b);
}

/* Several bootstrap slots: accepted, each flagged in EF.MI_SLOTS (the
 * applet rotates over all of them in safe mode). */
static void test_several_bootstrap(void **state)
{
	static const char plan[] =
	    "{ \"currency\": \"EUR\", \"home_plmn\": \"262-01\", \"slots\": ["
	    " { \"index\": 1, \"sponsor\": \"Own\", \"imsi\": \"262011234567890\", \"home\": true,"
	    "   \"bootstrap\": true },"
	    " { \"index\": 2, \"sponsor\": \"A\", \"imsi\": \"213770000000001\", \"bootstrap\": true },"
	    " { \"index\": 3, \"sponsor\": \"B\", \"imsi\": \"213550000000001\", \"bootstrap\": true }"
	    "] }";
	static const char csv[] = HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,55,1,EUR,GB\n";
	struct world w;
	int k;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(rc_plan_parse("p.json", plan, &w.plan, &w.err), 0);
	assert_int_equal(rc_csv_parse("r.csv", csv, strlen(csv), &w.rates, &w.err), 0);
	assert_int_equal(rc_choose(&w.plan, &w.rates, &w.res, &w.err), 0);
	for (k = 0; k < 3; k++)
		assert_true(w.res.slot[k].flags & MI_SLOT_F_BOOTSTRAP);
	drop(&w);
}

/* decompile refuses three files from two compiles (different set ids). */
static void test_mixed_set_refused(void **state)
{
	struct world a, b;
	struct rc_set set;
	int k;

	(void)state;
	assert_int_equal(build(&a, "", HDR "Own,262,01,0.5,EUR,GB\nA,213,77,1,EUR,GB\nB,213,77,3,EUR,GB\n"), 0);
	assert_int_equal(build(&b, "", HDR "Own,262,01,0.5,EUR,GB\nA,213,77,4,EUR,GB\nB,213,77,3,EUR,GB\n"), 0);
	assert_true(a.res.set_id != b.res.set_id);
	memset(&set, 0, sizeof(set));
	set.file[0] = malloc(a.res.cfg_len);
	memcpy(set.file[0], a.res.cfg, a.res.cfg_len);
	set.len[0] = a.res.cfg_len;
	set.file[1] = malloc(b.res.slots_len); /* SLOTS of the other compile */
	memcpy(set.file[1], b.res.slots_ef, b.res.slots_len);
	set.len[1] = b.res.slots_len;
	set.file[2] = malloc(a.res.rules_len);
	memcpy(set.file[2], a.res.rules_ef, a.res.rules_len);
	set.len[2] = a.res.rules_len;
	assert_int_equal(rc_set_decode(&set, "mixed", &a.err), -1);
	assert_non_null(strstr(a.err.text, "a set mixed from two compiles"));
	rc_set_free(&set);
	for (k = 0; k < 3; k++) /* one compile: one id in its three files */
		assert_true(MI_GET_U32_BE(k == 0   ? a.res.cfg + a.res.cfg_len
					  : k == 1 ? a.res.slots_ef + a.res.slots_len
						   : a.res.rules_ef + a.res.rules_len,
					  -4) == a.res.set_id);
	drop(&a);
	drop(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ties),
	    cmocka_unit_test(test_ceiling_coverage_overrides),
	    cmocka_unit_test(test_mcc_default_and_dedupe),
	    cmocka_unit_test(test_per_network_unpriced),
	    cmocka_unit_test(test_ceiling_everywhere),
	    cmocka_unit_test(test_order_differs_per_network),
	    cmocka_unit_test(test_pref_depth),
	    cmocka_unit_test(test_fx_dated),
	    cmocka_unit_test(test_row_order),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_diff_ranges),
	    cmocka_unit_test(test_write_dir_atomic),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_rebase),
	    cmocka_unit_test(test_several_bootstrap),
	    cmocka_unit_test(test_mixed_set_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
