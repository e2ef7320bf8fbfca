/* SPDX-License-Identifier: Apache-2.0 */
/* Bench: a generated world of 1,000 PLMNs (250 countries x 4 MNCs) priced
 * by 20 sponsors, 10 of them in the plan's 10 slots. Prints compile time
 * (parse + choose + encode + write, median of 15 runs), peak memory
 * (getrusage ru_maxrss), EF bytes, and the diff after one changed rate.
 * Targets (the compiler's budget): <= 50 ms, <= 20 MB, EF bytes <= 4 KB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "rc.h"

#define N_MCC 250
#define N_MNC 4
#define N_SPONSORS 20
#define RUNS 15

static uint32_t rnd_state = 20261101u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13; /* xorshift32: same world every run */
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static mi_u16 mcc_of(int c)
{
	return (mi_u16)(202 + c * 2); /* 202..700 */
}

static int per_mnc_pct = 20; /* sponsors priced per network, else one wildcard row */

/* price in micro-units per GB; changed_row >= 0 makes that row 0.01 */
static int gen_rates(const char *path, long changed_row)
{
	FILE *f = fopen(path, "w");
	long row = 0;
	int c, s, m;

	if (!f)
		return -1;
	rnd_state = 20261101u;
	fprintf(f, "sponsor,mcc,mnc,price,currency,unit\n");
	for (c = 0; c < N_MCC; c++) {
		mi_u16 mcc = mcc_of(c);
		int mnc3 = rc_mcc_mnc3(mcc);

		for (s = 0; s < N_SPONSORS; s++) {
			uint32_t base = 100000u + rnd() % 9900000u; /* 0.10 .. 10.00 */
			int serves = rnd() % 100 < 60, per_mnc = (int)(rnd() % 100) < per_mnc_pct;

			if (s == 0 && mcc == 262)
				serves = 1;
			if (!serves)
				continue;
			/* one price for the country: a wildcard row, which prices
			 * every network of the MCC (docs/compiler.md) */
			for (m = per_mnc ? 1 : 0; m <= (per_mnc ? N_MNC : 0); m++) {
				uint32_t p = per_mnc ? 100000u + rnd() % 9900000u : base;
				char mnc[4];

				if (m == 0)
					snprintf(mnc, sizeof(mnc), "*");
				else
					snprintf(mnc, sizeof(mnc), mnc3 ? "%03d" : "%02d", m);
				if (row == changed_row)
					p = 10000u;
				fprintf(f, "S%02d,%03u,%s,%u.%06u,%s,GB\n", s + 1, mcc, mnc,
					p / 1000000u, p % 1000000u, s % 4 == 3 ? "USD" : "EUR");
				row++;
			}
		}
	}
	return fclose(f);
}

static int gen_plan(const char *path)
{
	FILE *f = fopen(path, "w");
	int s;

	if (!f)
		return -1;
	fprintf(f,
		"{ \"name\": \"bench world\", \"currency\": \"EUR\", \"home_plmn\": \"262-01\",\n"
		"  \"fx\": [ { \"currency\": \"USD\", \"date\": \"2026-11-01\", \"rate\": \"0.92\" "
		"} ],\n"
		"  \"ceiling\": \"9.00\", \"pref_depth\": 2, \"forbid_unlisted\": true,\n"
		"  \"oplmn_max\": 8, \"fplmn_max\": 4, \"profile_spares\": 4,\n  \"slots\": [\n");
	for (s = 1; s <= 10; s++)
		fprintf(f,
			"    { \"index\": %d, \"sponsor\": \"S%02d\", \"imsi\": "
			"\"9012%02d00000000%d\"%s }%s\n",
			s, s, s, s % 10, s == 1 ? ", \"home\": true, \"bootstrap\": true" : "",
			s < 10 ? "," : "");
	fprintf(f, "  ],\n  \"ignore_sponsors\": [");
	for (s = 11; s <= N_SPONSORS; s++)
		fprintf(f, "%s\"S%02d\"", s > 11 ? ", " : "", s);
	fprintf(f, "] }\n");
	return fclose(f);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int compile_once(const char *plan, char *rates, const char *out, const char *base,
			struct rc_result *keep, size_t *rows)
{
	struct rc_plan *p = calloc(1, sizeof(*p));
	struct rc_rates r;
	struct rc_result res;
	rc_error_t err;
	int rc;

	memset(&r, 0, sizeof(r));
	rc_err_clear(&err);
	rc = p ? rc_build_base(plan, &rates, 1, base, p, &r, &res, &err) : -1;
	if (rc == 0)
		rc = rc_write_dir(out, p, &r, &res, &err);
	if (rc != 0)
		fprintf(stderr, "bench: %s\n", err.text);
	if (rows)
		*rows = r.n + r.ignored;
	if (keep && rc == 0) {
		keep->n_prof = res.n_prof;
		keep->n_rule = res.n_rule;
		keep->n_plmn = res.n_plmn;
		keep->cfg_len = res.cfg_len;
		keep->slots_len = res.slots_len;
		keep->rules_len = res.rules_len;
	}
	rc_result_free(&res);
	rc_rates_free(&r);
	if (p)
		rc_plan_free(p);
	free(p);
	return rc;
}

static void ms(int64_t ns, char *out, size_t cap)
{
	snprintf(out, cap, "%lld.%03lld", (long long)(ns / 1000000), (long long)(ns / 1000 % 1000));
}

/* bench_compile --emit DIR: only write the generated world's compiled set to
 * DIR (the loader's bench writes it to a card through pcscd). */
static int emit_world(const char *dst)
{
	char dir[] = "/tmp/mimsi-world-XXXXXX", plan[96], rates[96];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	snprintf(plan, sizeof(plan), "%s/plan.json", dir);
	snprintf(rates, sizeof(rates), "%s/rates.csv", dir);
	rc = gen_plan(plan) || gen_rates(rates, -1) || compile_once(plan, rates, dst, NULL, NULL, NULL);
	unlink(plan);
	unlink(rates);
	rmdir(dir);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/mimsi-bench-XXXXXX", plan[96], rates[96], rates2[96], out[96], out2[96],
	     out3[96];
	int64_t t[RUNS];
	struct rc_result info;
	struct rc_set a, b;
	struct rusage ru;
	rc_error_t err;
	FILE *tmp;
	json_t *d;
	size_t rows = 0;
	int i, rc = 0;
	char m1[32], m2[32];

	if (argc == 3 && strcmp(argv[1], "--emit") == 0)
		return emit_world(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: bench_compile [--emit DIR]\n");
		return 64;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(plan, sizeof(plan), "%s/plan.json", dir);
	snprintf(rates, sizeof(rates), "%s/rates.csv", dir);
	snprintf(rates2, sizeof(rates2), "%s/rates2.csv", dir);
	snprintf(out, sizeof(out), "%s/set", dir);
	snprintf(out2, sizeof(out2), "%s/set2", dir);
	/* set3: the per-network table; set2 stays the one-changed-rate set
	 * (BENCH_KEEP: the OTA bench sends set2 against set) */
	snprintf(out3, sizeof(out3), "%s/set3", dir);
	if (gen_plan(plan) || gen_rates(rates, -1) || gen_rates(rates2, 1260))
		return 1;
	memset(&info, 0, sizeof(info));
	for (i = 0; i < RUNS; i++) {
		int64_t t0 = now_ns();

		if (compile_once(plan, rates, out, NULL, &info, &rows) != 0)
			return 1;
		t[i] = now_ns() - t0;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp64);
	getrusage(RUSAGE_SELF, &ru);
	ms(t[RUNS / 2], m1, sizeof(m1));
	ms(t[0], m2, sizeof(m2));
	printf("world: %zu PLMNs, %d sponsors (%zu rate rows), 10 slots, pref_depth 2, 8 OPLMN + 4 "
	       "FPLMN per slot\n",
	       info.n_plmn, N_SPONSORS, rows);
	printf("compile time: median %s ms, best %s ms over %d runs (target <= 50 ms)\n", m1, m2,
	       RUNS);
	printf("peak memory: %ld KB ru_maxrss (target <= 20480 KB)\n", ru.ru_maxrss);
	printf("EF bytes: CFG %u + SLOTS %zu + RULES %zu = %zu (RULES target <= 4096); %d "
	       "profiles, %zu rules\n",
	       info.cfg_len, info.slots_len, info.rules_len,
	       info.cfg_len + info.slots_len + info.rules_len, info.n_prof, info.n_rule);
	for (i = 0; i < 2; i++) {
		const char *how = i ? "compile --base (profile numbers kept)" : "plain compile";

		if (compile_once(plan, rates2, out2, i ? out : NULL, NULL, NULL) != 0)
			return 1;
		rc_err_clear(&err);
		if (rc_set_load(out, &a, &err) < 0 || rc_set_load(out2, &b, &err) < 0) {
			fprintf(stderr, "bench: %s\n", err.text);
			return 1;
		}
		tmp = tmpfile();
		if (!tmp || rc_diff(tmp, &a, &b, 1) < 0)
			return 1;
		rewind(tmp);
		d = json_loadf(tmp, 0, NULL);
		fclose(tmp);
		if (!d)
			return 1;
		printf("diff after one changed rate (row 1260 -> 0.01), %s: %zu rule rows, %lld "
		       "UPDATE BINARY, "
		       "%lld bytes\n",
		       how, json_array_size(json_object_get(d, "rule_rows")),
		       (long long)json_integer_value(json_object_get(d, "update_binary")),
		       (long long)json_integer_value(json_object_get(d, "bytes")));
		json_decref(d);
		rc_set_free(&a);
		rc_set_free(&b);
	}
	/* the world table at >= 800 exact rules: more sponsors priced per
	 * network (each such country needs its own rows) */
	for (per_mnc_pct = 30; per_mnc_pct <= 100; per_mnc_pct += 5) {
		memset(&info, 0, sizeof(info));
		if (gen_rates(rates2, -1) || compile_once(plan, rates2, out3, NULL, &info, NULL) != 0)
			return 1;
		if (info.n_rule >= 800)
			break;
	}
	printf("per-network world table (%d%% of sponsors priced per network): %zu rules over 10 "
	       "slots, %d profiles: RULES %zu bytes (target <= 4096)\n",
	       per_mnc_pct, info.n_rule, info.n_prof, info.rules_len);
	per_mnc_pct = 20;
	if (t[RUNS / 2] > 50000000 || ru.ru_maxrss > 20480) {
		printf("bench: OVER TARGET\n");
		rc = 0; /* figures are reported, not a test failure */
	}
	if (getenv("BENCH_KEEP")) {
		printf("kept %s\n", dir);
		return rc;
	}
	{ /* clean up our own files */
		static const char *const names[] = {"ef_cfg.bin",   "ef_cfg.hex",   "ef_slots.bin",
						    "ef_slots.hex", "ef_rules.bin", "ef_rules.hex",
						    "report.json"};
		char p[160];
		size_t k;

		for (k = 0; k < MI_ARRAY_SIZE(names); k++) {
			snprintf(p, sizeof(p), "%s/%s", out, names[k]);
			unlink(p);
			snprintf(p, sizeof(p), "%s/%s", out2, names[k]);
			unlink(p);
			snprintf(p, sizeof(p), "%s/%s", out3, names[k]);
			unlink(p);
		}
		rmdir(out);
		rmdir(out2);
		rmdir(out3);
		unlink(plan);
		unlink(rates);
		unlink(rates2);
		rmdir(dir);
	}
	return rc;
}
