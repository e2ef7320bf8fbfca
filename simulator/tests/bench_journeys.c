/* SPDX-License-Identifier: Apache-2.0 */
/* make bench: every journey smart and naive. One line of figures: journeys
 * per second, time-to-service p95 smart/naive over all journeys, cost smart
 * against the least-cost oracle (per serving network, exact: the cheapest
 * card IMSI that network accepts and prices). Targets: ratio <= 0.2 with 10
 * slots, cost <= 1.02 x the oracle on the automatic Rel-99 journeys. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario/sim_modes.h"
#include "scenario/sim_run.h"

#define DIR_J "test-vectors/scenarios"
#define MAX_TTS 65536

static double tts_s[MAX_TTS], tts_n[MAX_TTS];
static int n_s, n_n;
/* fast failover: every journey in each mode of sim_modes.h */
static double tts_m[SIM_MODES][MAX_TTS];
static int n_m[SIM_MODES], unrec_m[SIM_MODES];
static unsigned long sw_m[SIM_MODES], rej_m[SIM_MODES], ev_m[SIM_MODES];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void keep(double *dst, int *n, const struct sim_metrics *m)
{
	int i;

	for (i = 0; i < m->n_tts && *n < MAX_TTS; i++)
		dst[(*n)++] = m->tts[i];
}

int main(void)
{
	DIR *d = opendir(DIR_J);
	struct dirent *e;
	int runs = 0, journeys = 0, slots_max = 0;
	double t0, cost = 0, oracle = 0, t10_s = -1, t10_n = -1, cost_a = 0, oracle_a = 0;
	double ten_s[MAX_TTS], ten_n[MAX_TTS];
	int n10s = 0, n10n = 0;

	if (!d) {
		fprintf(stderr, "bench_journeys: no %s (run from the repository root)\n", DIR_J);
		return 1;
	}
	t0 = now_s();
	while ((e = readdir(d))) {
		struct sim_journey j;
		char path[512], err[512];
		size_t l = strlen(e->d_name);
		int naive;

		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", DIR_J, e->d_name);
		if (sim_journey_load(path, &j, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_journeys: %s\n", err);
			return 1;
		}
		journeys++;
		for (naive = 0; naive < 2; naive++) {
			struct sim_run_opts o;
			struct sim_run_result r;

			memset(&o, 0, sizeof(o));
			o.naive = naive;
			if (sim_run_journey(&j, &o, &r, err, sizeof(err)) != 0) {
				fprintf(stderr, "bench_journeys: %s: %s\n", path, err);
				return 1;
			}
			runs++;
			keep(naive ? tts_n : tts_s, naive ? &n_n : &n_s, &r.m);
			if (!naive) {
				int automatic =
				    strcmp(j.modem.name, "rel99") == 0 && !j.known_issue[0];
				int t;

				for (t = 0; t < j.n_tl; t++)
					if (j.tl[t].kind == SIM_TL_MENU)
						automatic = 0;
				cost += r.m.cost;
				oracle += r.m.cost_oracle;
				if (automatic) {
					cost_a += r.m.cost;
					oracle_a += r.m.cost_oracle;
				}
			}
			if (strstr(j.name, "ten-slot")) {
				keep(naive ? ten_n : ten_s, naive ? &n10n : &n10s, &r.m);
				slots_max = 10;
			}
			sim_run_result_free(&r);
		}
		for (naive = 0; naive < SIM_MODES; naive++) {
			struct sim_run_result r;

			if (sim_run_mode(&j, naive, &r, err, sizeof(err)) != 0) {
				fprintf(stderr, "bench_journeys: %s: %s: %s\n", path,
					sim_mode_names[naive], err);
				return 1;
			}
			runs++;
			keep(tts_m[naive], &n_m[naive], &r.m);
			unrec_m[naive] += r.m.unrecovered;
			sw_m[naive] += r.m.switches;
			rej_m[naive] += r.m.rejects;
			ev_m[naive] += r.m.reject_events;
			sim_run_result_free(&r);
		}
		sim_journey_free(&j);
	}
	closedir(d);
	t0 = now_s() - t0;
	if (n10s && n10n) {
		t10_s = sim_percentile(ten_s, n10s, 95);
		t10_n = sim_percentile(ten_n, n10n, 95);
	}
	printf("bench_journeys: %d journeys x6 (smart+naive, then 4 failover modes) in %.3f s = "
	       "%.1f runs/s; "
	       "TTS p95 smart %.0f s / naive %.0f s = ratio %.2f",
	       journeys, t0, runs / t0, sim_percentile(tts_s, n_s, 95),
	       sim_percentile(tts_n, n_n, 95),
	       sim_percentile(tts_n, n_n, 95) > 0
		   ? sim_percentile(tts_s, n_s, 95) / sim_percentile(tts_n, n_n, 95)
		   : 0);
	if (slots_max == 10)
		printf(" (10-slot journey: %.0f s / %.0f s = %.2f, target <= 0.2)", t10_s, t10_n,
		       t10_n > 0 ? t10_s / t10_n : 0);
	else
		printf(" (no 10-slot journey)");
	printf("; cost smart %.2f vs per-network oracle %.2f EUR = %.3f (%+.1f%%) over all journeys, "
	       "%.3f (%+.1f%%) over the automatic rel99 ones without a known issue (target <= 1.02)\n",
	       cost, oracle, oracle > 0 ? cost / oracle : 0,
	       oracle > 0 ? 100.0 * (cost - oracle) / oracle : 0,
	       oracle_a > 0 ? cost_a / oracle_a : 0,
	       oracle_a > 0 ? 100.0 * (cost_a - oracle_a) / oracle_a : 0);
	printf("bench_journeys: time-to-service over all %d journeys (fast failover, attach times "
	       "included; target failover p95 <= 60 s, nocap no worse than rules)\n"
	       "  %-15s %7s %7s %7s %7s %7s %9s %9s\n",
	       journeys, "mode", "losses", "p50 s", "p95 s", "max s", "unrec", "switches",
	       "rej(ev)");
	for (int k = 0; k < SIM_MODES; k++) {
		char b[32];

		snprintf(b, sizeof(b), "%lu(%lu)", rej_m[k], ev_m[k]);
		printf("  %-15s %7d %7.0f %7.0f %7.0f %7d %9lu %9s\n", sim_mode_names[k], n_m[k],
		       sim_percentile(tts_m[k], n_m[k], 50), sim_percentile(tts_m[k], n_m[k], 95),
		       sim_percentile(tts_m[k], n_m[k], 100), unrec_m[k], sw_m[k], b);
	}
	return 0;
}
