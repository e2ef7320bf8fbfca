/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-sim run / compare: the journey runner's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "scenario/sim_cmds.h"
#include "scenario/sim_run.h"

#define EXIT_EXPECT 1 /* a broken expectation: like a failed test */

static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: mimsi-sim run JOURNEY [--naive] [--json] [--trace F.pcap] [--svg F.svg]\n"
		"                            [--quiet] [--verbose]\n"
		"Replay a journey (test-vectors/scenarios/*.json) in virtual time: the virtual\n"
		"modem speaks APDUs to the simulated card, the virtual network charges per GB.\n"
		"Prints the timeline and metrics, checks the expectations.\n"
		"  --naive     write the applet's naive (round-robin) flag into CFG first\n"
		"  --json      metrics, expectations and timeline as JSON on stdout\n"
		"  --trace F   GSMTAP SIM trace (pcap, virtual timestamps)\n"
		"  --svg F     timeline drawing\n"
		"  --quiet     no timeline lines; --verbose: also timers and PSM\n"
		"exit: 0 ok, 1 an expectation failed, 64 usage, 65 bad journey, 70 run error,\n"
		"      73 SVG not written\n");
}

static void usage_compare(FILE *f)
{
	fprintf(f, "usage: mimsi-sim compare JOURNEY [--json]\n"
		   "Run the journey smart (rules) and naive (round robin) and print both\n"
		   "side by side with the ratios naive/smart.\n");
}

static json_t *metrics_json(const struct sim_metrics *m)
{
	json_t *o = json_object(), *tts = json_array();
	int i;

	for (i = 0; i < m->n_tts; i++)
		json_array_append_new(tts, json_real(m->tts[i]));
	json_object_set_new(o, "tts_s", tts);
	json_object_set_new(o, "tts_p50_s", json_real(m->tts_p50));
	json_object_set_new(o, "tts_p95_s", json_real(m->tts_p95));
	json_object_set_new(o, "tts_max_s", json_real(m->tts_max));
	json_object_set_new(o, "unrecovered", json_boolean(m->unrecovered));
	json_object_set_new(o, "switches", json_integer((json_int_t)m->switches));
	json_object_set_new(o, "refreshes", json_integer((json_int_t)m->refreshes));
	json_object_set_new(o, "apdus", json_integer((json_int_t)m->apdus));
	json_object_set_new(o, "proactive_commands", json_integer((json_int_t)m->proactive));
	json_object_set_new(o, "data_mb", json_real(m->data_mb));
	json_object_set_new(o, "cost", json_real(m->cost));
	json_object_set_new(o, "cost_oracle", json_real(m->cost_oracle));
	json_object_set_new(o, "cost_home_imsi", json_real(m->cost_home));
	json_object_set_new(o, "home_imsi_mb", json_real(m->home_mb));
	json_object_set_new(o, "served_s", json_real(m->served_s));
	json_object_set_new(o, "possible_s", json_real(m->possible_s));
	json_object_set_new(o, "currency", json_string(m->currency));
	return o;
}

static void print_metrics(FILE *f, const struct sim_metrics *m)
{
	int i;

	fprintf(f, "metrics:\n  time-to-service  %d losses; each:", m->n_tts);
	for (i = 0; i < m->n_tts && i < 40; i++)
		fprintf(f, " %.0f", m->tts[i]);
	if (m->n_tts > 40)
		fprintf(f, " ...");
	fprintf(f, " s\n                   p50 %.0f s, p95 %.0f s, max %.0f s%s\n", m->tts_p50,
		m->tts_p95, m->tts_max, m->unrecovered ? " (last loss never recovered)" : "");
	fprintf(f, "  switches         %lu\n  REFRESH          %lu\n  APDUs            %lu\n",
		m->switches, m->refreshes, m->apdus);
	fprintf(f, "  data carried     %.1f MB in service %.1f h of %.1f h possible\n", m->data_mb,
		m->served_s / 3600, m->possible_s / 3600);
	fprintf(f,
		"  cost             %.4f %s (least-cost oracle %.4f; home IMSI alone %.4f for "
		"the %.1f MB it could carry)\n",
		m->cost, m->currency, m->cost_oracle, m->cost_home, m->home_mb);
	if (m->home_mb > 0 && m->cost_home > 0 && m->cost_home >= m->cost)
		fprintf(f, "  saving           %.4f %s against the home IMSI alone (%.0f%%)%s\n",
			m->cost_home - m->cost, m->currency,
			100.0 * (m->cost_home - m->cost) / m->cost_home,
			m->home_mb + 0.05 < m->data_mb ? " (for the traffic it could carry)" : "");
}

struct args {
	const char *journey, *trace, *svg;
	int naive, json, quiet, verbose;
};

static int parse_args(int argc, char **argv, struct args *a, int compare)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			compare ? usage_compare(stdout) : usage_run(stdout);
			return 1;
		} else if (!strcmp(s, "--json")) {
			a->json = 1;
		} else if (!compare && !strcmp(s, "--naive")) {
			a->naive = 1;
		} else if (!compare && !strcmp(s, "--quiet")) {
			a->quiet = 1;
		} else if (!compare && !strcmp(s, "--verbose")) {
			a->verbose = 1;
		} else if (!compare && (!strcmp(s, "--trace") || !strcmp(s, "--svg"))) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mimsi-sim: %s needs a file name\n", s);
				return -1;
			}
			if (!strcmp(s, "--trace"))
				a->trace = argv[++i];
			else
				a->svg = argv[++i];
		} else if (s[0] == '-') {
			fprintf(stderr, "mimsi-sim: unknown option %s\n", s);
			return -1;
		} else if (!a->journey) {
			a->journey = s;
		} else {
			fprintf(stderr, "mimsi-sim: one journey at a time\n");
			return -1;
		}
	}
	if (!a->journey) {
		compare ? usage_compare(stderr) : usage_run(stderr);
		return -1;
	}
	return 0;
}

/* argv[0] is the sub-command name ("run"). */
int sim_cmd_run(int argc, char **argv)
{
	struct args a;
	struct sim_journey j;
	struct sim_run_opts o;
	struct sim_run_result r;
	char err[512];
	int rc = parse_args(argc, argv, &a, 0), i;

	if (rc)
		return rc > 0 ? EX_OK : EX_USAGE;
	if (sim_journey_load(a.journey, &j, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim run: %s\n", err);
		return EX_DATAERR;
	}
	memset(&o, 0, sizeof(o));
	o.naive = a.naive;
	o.verbose = a.verbose;
	o.pcap = a.trace;
	o.timeline = a.json || a.quiet ? NULL : stdout;
	if (!a.json)
		printf("journey %s (%s mode, modem %s)\n", j.name, a.naive ? "naive" : "smart",
		       j.modem.name);
	if (sim_run_journey(&j, &o, &r, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim run: %s\n", err);
		sim_run_result_free(&r);
		sim_journey_free(&j);
		return EX_SOFTWARE;
	}
	rc = EX_OK;
	if (a.svg && sim_svg_write(a.svg, &j, &r) < 0) {
		fprintf(stderr, "mimsi-sim run: %s: cannot write the SVG\n", a.svg);
		rc = EX_CANTCREAT;
	}
	if (a.json) {
		json_t *root = json_object(), *lines = json_array();

		json_object_set_new(root, "journey", json_string(j.name));
		json_object_set_new(root, "mode", json_string(a.naive ? "naive" : "smart"));
		json_object_set_new(root, "modem", json_string(j.modem.name));
		json_object_set_new(root, "known_issue",
				    j.known_issue[0] ? json_string(j.known_issue) : json_null());
		json_object_set_new(root, "metrics", metrics_json(&r.m));
		json_object_set_new(root, "expectations", json_integer(j.n_exp));
		json_object_set_new(root, "expectations_failed", json_integer(r.n_exp_failed));
		json_object_set_new(root, "first_failure",
				    r.n_exp_failed ? json_string(r.first_failure) : json_null());
		for (i = 0; i < r.n_lines; i++) {
			json_t *l = json_object();

			json_object_set_new(l, "t", json_integer((json_int_t)r.line_t[i]));
			json_object_set_new(l, "line", json_string(r.lines[i]));
			json_array_append_new(lines, l);
		}
		json_object_set_new(root, "timeline", lines);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("\n");
		json_decref(root);
	} else {
		print_metrics(stdout, &r.m);
		printf("expectations: %d checked, %d failed\n", j.n_exp, r.n_exp_failed);
	}
	if (r.n_exp_failed) {
		fprintf(stderr, "mimsi-sim run: %s: EXPECTATION FAILED %s\n", j.name,
			r.first_failure);
		if (j.known_issue[0])
			fprintf(stderr, "mimsi-sim run: %s: known issue: %s\n", j.name,
				j.known_issue);
		rc = EXIT_EXPECT;
	}
	sim_run_result_free(&r);
	sim_journey_free(&j);
	return rc;
}

static double ratio(double naive, double smart)
{
	return smart > 0 ? naive / smart : 0;
}

int sim_cmd_compare(int argc, char **argv)
{
	struct args a;
	struct sim_journey j;
	struct sim_run_opts o;
	struct sim_run_result rs, rn;
	char err[512];
	int rc = parse_args(argc, argv, &a, 1);

	if (rc)
		return rc > 0 ? EX_OK : EX_USAGE;
	if (sim_journey_load(a.journey, &j, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim compare: %s\n", err);
		return EX_DATAERR;
	}
	memset(&o, 0, sizeof(o));
	if (sim_run_journey(&j, &o, &rs, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim compare: smart: %s\n", err);
		sim_run_result_free(&rs);
		sim_journey_free(&j);
		return EX_SOFTWARE;
	}
	o.naive = 1;
	if (sim_run_journey(&j, &o, &rn, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim compare: naive: %s\n", err);
		sim_run_result_free(&rs);
		sim_run_result_free(&rn);
		sim_journey_free(&j);
		return EX_SOFTWARE;
	}
	if (a.json) {
		json_t *root = json_object();

		json_object_set_new(root, "journey", json_string(j.name));
		json_object_set_new(root, "smart", metrics_json(&rs.m));
		json_object_set_new(root, "naive", metrics_json(&rn.m));
		json_object_set_new(root, "ratio_tts_p95",
				    json_real(ratio(rn.m.tts_p95, rs.m.tts_p95)));
		json_object_set_new(root, "ratio_cost", json_real(ratio(rn.m.cost, rs.m.cost)));
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("\n");
		json_decref(root);
	} else {
		const struct sim_metrics *s = &rs.m, *n = &rn.m;

		printf("journey %s: smart vs naive (modem %s)\n", j.name, j.modem.name);
		printf("  %-22s %12s %12s %12s\n", "", "smart", "naive", "naive/smart");
		printf("  %-22s %12d %12d\n", "losses of service", s->n_tts, n->n_tts);
		printf("  %-22s %12.0f %12.0f %12.2f\n", "time-to-service p50 s", s->tts_p50,
		       n->tts_p50, ratio(n->tts_p50, s->tts_p50));
		printf("  %-22s %12.0f %12.0f %12.2f\n", "time-to-service p95 s", s->tts_p95,
		       n->tts_p95, ratio(n->tts_p95, s->tts_p95));
		printf("  %-22s %12.0f %12.0f %12.2f\n", "time-to-service max s", s->tts_max,
		       n->tts_max, ratio(n->tts_max, s->tts_max));
		printf("  %-22s %12lu %12lu\n", "switches", s->switches, n->switches);
		printf("  %-22s %12lu %12lu\n", "REFRESH", s->refreshes, n->refreshes);
		printf("  %-22s %12lu %12lu %12.2f\n", "APDUs", s->apdus, n->apdus,
		       ratio((double)n->apdus, (double)s->apdus));
		printf("  %-22s %12.1f %12.1f\n", "data carried MB", s->data_mb, n->data_mb);
		printf("  %-22s %12.4f %12.4f %12.2f\n", "cost", s->cost, n->cost,
		       ratio(n->cost, s->cost));
		printf("  %-22s %12.4f %12.4f\n", "least-cost oracle", s->cost_oracle,
		       n->cost_oracle);
		printf("  (cost in %s; smart expectations: %d checked, %d failed)\n", s->currency,
		       j.n_exp, rs.n_exp_failed);
	}
	sim_run_result_free(&rs);
	sim_run_result_free(&rn);
	sim_journey_free(&j);
	return EX_OK;
}
