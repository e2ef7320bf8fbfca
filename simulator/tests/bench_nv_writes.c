/* SPDX-License-Identifier: Apache-2.0 */
/* Resource sheet (make card-check, make bench): NV writes counted by the
 * simulator port (sim_port_stats.h) over every journey of
 * test-vectors/scenarios, smart mode. Per journey one line; then the sheet:
 * per switch (a transaction that writes EF_IMSI: a switch, or the same IMSI
 * written again) and per other transaction
 * (state only), mean and worst logical writes, data bytes and NV bytes
 * (journal + commit flag + data applied), and transactions per simulated
 * day. The core opens at most one transaction per event, so the worst
 * transaction is the worst event. Figures, never asserted: exit 0 unless a
 * journey cannot run. --quiet prints the sheet only. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/sim_run.h"
#include "sim_port_stats.h"

#define DIR_J "test-vectors/scenarios"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static double per(unsigned long a, unsigned long b)
{
	return b ? (double)a / (double)b : 0.0;
}

int main(int argc, char **argv)
{
	DIR *d = opendir(DIR_J);
	struct dirent *e;
	char *names[256];
	int n = 0, i, quiet = argc > 1 && !strcmp(argv[1], "--quiet");
	struct sim_port_stats tot;
	unsigned long switches_modem = 0, apdus = 0;
	double days = 0, worst_day = 0;
	const char *worst_day_j = "";

	if (!d) {
		fprintf(stderr, "bench_nv_writes: no %s (run from the repository root)\n", DIR_J);
		return 1;
	}
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 5 && !strcmp(e->d_name + l - 5, ".json"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < n; i++) {
		struct sim_journey j;
		struct sim_run_opts o;
		struct sim_run_result r;
		const struct sim_port_stats *s;
		char path[512], err[512];
		double dj;

		snprintf(path, sizeof(path), "%s/%s", DIR_J, names[i]);
		if (sim_journey_load(path, &j, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_nv_writes: %s\n", err);
			return 1;
		}
		memset(&o, 0, sizeof(o));
		sim_port_stats_reset();
		if (sim_run_journey(&j, &o, &r, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_nv_writes: %s: %s\n", path, err);
			return 1;
		}
		s = sim_port_stats_get();
		dj = (double)j.duration / 86400.0;
		days += dj;
		switches_modem += r.m.switches;
		apdus += r.m.apdus;
		if (dj > 0 && per(s->all.commits, 1) / dj > worst_day) {
			worst_day = (double)s->all.commits / dj;
			worst_day_j = names[i];
		}
		if (!quiet)
			printf("nv-writes %-32s %6.2f d: %3lu switches, %4lu transactions "
			       "(%3lu with EF_IMSI), worst %2u writes %4u NV bytes\n",
			       names[i], dj, r.m.switches, s->all.commits, s->sw.commits,
			       s->all.max_writes, s->all.max_nv);
		/* totals: sums and worst cases over the journeys */
		tot.all.commits += s->all.commits;
		tot.all.writes += s->all.writes;
		tot.all.bytes += s->all.bytes;
		tot.all.nv += s->all.nv;
		tot.sw.commits += s->sw.commits;
		tot.sw.writes += s->sw.writes;
		tot.sw.bytes += s->sw.bytes;
		tot.sw.nv += s->sw.nv;
		tot.aborts += s->aborts;
		tot.proactive += s->proactive;
#define MAXU(f) tot.f = tot.f > s->f ? tot.f : s->f
		MAXU(all.max_writes);
		MAXU(all.max_bytes);
		MAXU(all.max_nv);
		MAXU(sw.max_writes);
		MAXU(sw.max_bytes);
		MAXU(sw.max_nv);
#undef MAXU
		sim_run_result_free(&r);
		sim_journey_free(&j);
	}
	{
		unsigned long oc = tot.all.commits - tot.sw.commits;
		printf(
		    "resource nv-per-switch: %lu transactions write EF_IMSI in %d journeys (%.1f "
		    "simulated days; the modems took %lu as IMSI changes: some ignore REFRESH): "
		    "mean %.1f writes, %.0f data bytes, %.0f NV bytes; worst %u "
		    "writes, %u data bytes, %u NV bytes\n",
		    tot.sw.commits, n, days, switches_modem, per(tot.sw.writes, tot.sw.commits),
		    per(tot.sw.bytes, tot.sw.commits), per(tot.sw.nv, tot.sw.commits),
		    tot.sw.max_writes, tot.sw.max_bytes, tot.sw.max_nv);
		printf(
		    "resource nv-per-event: at most 1 transaction per event; %lu state-only "
		    "transactions: mean %.1f writes, %.0f NV bytes; worst event (any) %u writes, "
		    "%u NV bytes; %.2f transactions per 1,000 APDUs; %lu aborted\n",
		    oc, per(tot.all.writes - tot.sw.writes, oc), per(tot.all.nv - tot.sw.nv, oc),
		    tot.all.max_writes, tot.all.max_nv, per(tot.all.commits * 1000ul, apdus),
		    tot.aborts);
		printf(
		    "resource nv-per-day: %.1f transactions per simulated day (mean), worst %.1f "
		    "(%s)\n",
		    days > 0 ? (double)tot.all.commits / days : 0.0, worst_day, worst_day_j);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return 0;
}
