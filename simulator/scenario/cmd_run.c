/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-sim run / compare: the journey runner's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "scenario/sim_cmds.h"
#include "scenario/sim_modes.h"
#include "scenario/sim_run.h"

#define EXIT_EXPECT 1 /* a broken expectation: like a failed test */

static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: mimsi-sim run JOURNEY [--naive | --rules-only] [--modem PROFILE]\n"
		"                            [--failover on|off] [--toolkit OWNER] [--json]\n"
		"                            [--trace F.pcap] [--svg F.svg] [--quiet] [--verbose]\n"
		"Replay a journey (test-vectors/scenarios/*.json) in virtual time: the virtual\n"
		"modem speaks APDUs to the simulated card, the virtual network charges per GB.\n"
		"Prints the timeline and metrics, checks the expectations.\n"
		"  --naive     write the applet's naive (round-robin) flag into CFG first\n"
		"  --rules-only  clear the failover flag in CFG: rules-driven rotation only\n"
		"  --modem P   modem profile instead of the journey's: a name of\n"
		"              test-vectors/scenarios/modems/ (e.g. rel99-failover, no-failover)\n"
		"              or a file\n"
		"  --failover on|off  give the modem the failover aids (NETWORK REJECTION\n"
		"              event, PROVIDE LOCAL INFORMATION) or take them away\n"
		"  --toolkit applet|framework[,timers=N][,first=ID][,menu=ITEM|off]\n"
		"              who owns the applet's toolkit resources (default applet, or\n"
		"              $MIMSI_TOOLKIT): the applet sends SET UP EVENT LIST and SET UP\n"
		"              MENU and runs timers 1..4; the card's toolkit framework (ETSI\n"
		"              TS 102 241) registers them, grants N timers (default 4) from\n"
		"              identifier ID (default 5) and gives the menu entry item ITEM\n"
		"              (default 2; off: refused)\n"
		"  --json      metrics, expectations and timeline as JSON on stdout\n"
		"  --trace F   GSMTAP SIM trace (pcap, virtual timestamps)\n"
		"  --svg F     timeline drawing\n"
		"  --quiet     no timeline lines; --verbose: also timers and PSM\n"
		"exit: 0 ok, 1 an expectation failed, 64 usage, 65 bad journey, 70 run error,\n"
		"      73 SVG not written\n");
}

static void usage_compare(FILE *f)
{
	fprintf(f, "usage: mimsi-sim compare JOURNEY [--modem PROFILE] [--json]\n"
		   "Run the journey four ways and print them side by side:\n"
		   "  naive           round robin on the rotation timer (CFG naive flag)\n"
		   "  rules           rules-driven rotation (CFG failover flag cleared, modem\n"
		   "                  without the failover aids)\n"
		   "  failover        fast failover, modem with the NETWORK REJECTION event\n"
		   "                  and PROVIDE LOCAL INFORMATION\n"
		   "  failover-nocap  fast failover, the same modem without them\n"
		   "Time-to-service counts every stretch without service while service was\n"
		   "possible, attach times included (p95 = nearest rank).\n");
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
	json_object_set_new(o, "rejects", json_integer((json_int_t)m->rejects));
	json_object_set_new(o, "reject_events", json_integer((json_int_t)m->reject_events));
	json_object_set_new(o, "ota_sms", json_integer((json_int_t)m->ota_sms));
	json_object_set_new(o, "ota_bytes", json_integer((json_int_t)m->ota_bytes));
	json_object_set_new(o, "ota_pors", json_integer((json_int_t)m->ota_pors));
	json_object_set_new(o, "ota_apply_max_s", json_real(m->ota_apply_max_s));
	json_object_set_new(o, "data_mb", json_real(m->data_mb));
	json_object_set_new(o, "cost", json_real(m->cost));
	json_object_set_new(o, "cost_oracle", json_real(m->cost_oracle));
	json_object_set_new(o, "cost_home_imsi", json_real(m->cost_home));
	json_object_set_new(o, "home_imsi_mb", json_real(m->home_mb));
	json_object_set_new(o, "served_s", json_real(m->served_s));
	json_object_set_new(o, "possible_s", json_real(m->possible_s));
	json_object_set_new(o, "currency", json_string(m->currency));
	if (m->dyn.on)
		json_object_set_new(o, "dynamic", sim_dyn_metrics_json(&m->dyn, m->cost, m->cost_oracle));
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
	fprintf(f, "  rejects          %lu (%lu NETWORK REJECTION events to the card)\n",
		m->rejects, m->reject_events);
	if (m->ota_sms)
		fprintf(f, "  OTA              %lu SMS, %lu bytes, %lu PoR, applied within %.0f s\n",
			m->ota_sms, m->ota_bytes, m->ota_pors, m->ota_apply_max_s);
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
	if (m->dyn.on)
		sim_dyn_metrics_print(f, &m->dyn, m->cost, m->cost_oracle, m->currency);
}

struct args {
	const char *journey, *trace, *svg, *modem;
	int naive, rules_only, failover, json, quiet, verbose; /* failover: -1 as is */
	struct sim_toolkit_cfg toolkit;
};

/* "N" in 0..max into *out. \returns 0, or -1. */
static int small_int(const char *s, unsigned max, uint8_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > max)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* --toolkit / $MIMSI_TOOLKIT: "applet", or "framework" with its settings
 * ("timers=N", "first=ID", "menu=ITEM|off", comma-separated).
 * \returns 0, or -1 with a message on stderr. */
static int parse_toolkit(const char *spec, struct sim_toolkit_cfg *t)
{
	char buf[96], *item, *save = NULL;
	int first = 1, bad = 0;

	memset(t, 0, sizeof(*t));
	if (strlen(spec) >= sizeof(buf))
		bad = 1;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (item = strtok_r(buf, ",", &save); item && !bad; item = strtok_r(NULL, ",", &save)) {
		if (first) {
			first = 0;
			if (!strcmp(item, "framework")) {
				t->framework = 1;
				t->timers = 4;
				t->first_timer = 5; /* not 1: the core must not assume it */
				t->menu_item = 2;
			} else if (strcmp(item, "applet")) {
				bad = 1;
			}
		} else if (!t->framework) {
			bad = 1; /* settings are the framework's */
		} else if (!strncmp(item, "timers=", 7)) {
			bad = small_int(item + 7, 8, &t->timers) < 0;
		} else if (!strncmp(item, "first=", 6)) {
			bad = small_int(item + 6, 8, &t->first_timer) < 0 || !t->first_timer;
		} else if (!strcmp(item, "menu=off")) {
			t->menu_item = 0;
		} else if (!strncmp(item, "menu=", 5)) {
			bad = small_int(item + 5, 255, &t->menu_item) < 0 || !t->menu_item;
		} else {
			bad = 1;
		}
	}
	if (bad || first) {
		fprintf(stderr,
			"mimsi-sim: --toolkit \"%s\": want applet, or framework with timers=0..8, "
			"first=1..8, menu=1..255|off\n",
			spec);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a, int compare)
{
	const char *env;
	int i;

	memset(a, 0, sizeof(*a));
	a->failover = -1;
	env = getenv("MIMSI_TOOLKIT");
	if (env && *env && parse_toolkit(env, &a->toolkit) < 0)
		return -1;
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			compare ? usage_compare(stdout) : usage_run(stdout);
			return 1;
		} else if (!strcmp(s, "--json")) {
			a->json = 1;
		} else if (!compare && !strcmp(s, "--naive")) {
			a->naive = 1;
		} else if (!compare && !strcmp(s, "--rules-only")) {
			a->rules_only = 1;
		} else if (!strcmp(s, "--modem")) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"mimsi-sim: --modem needs a profile name or file\n");
				return -1;
			}
			a->modem = argv[++i];
		} else if (!compare && !strcmp(s, "--failover")) {
			if (i + 1 >= argc ||
			    (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off"))) {
				fprintf(stderr, "mimsi-sim: --failover needs on or off\n");
				return -1;
			}
			a->failover = !strcmp(argv[++i], "on");
		} else if (!compare && !strcmp(s, "--toolkit")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mimsi-sim: --toolkit needs applet or framework\n");
				return -1;
			}
			if (parse_toolkit(argv[++i], &a->toolkit) < 0)
				return -1;
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
	if (a->naive && a->rules_only) {
		fprintf(stderr, "mimsi-sim: --naive and --rules-only exclude each other\n");
		return -1;
	}
	return 0;
}

/* Load the journey and apply --modem / --failover. \returns an exit code. */
static int load(const char *cmd, const struct args *a, struct sim_journey *j)
{
	char err[512];

	if (sim_journey_load(a->journey, j, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim %s: %s\n", cmd, err);
		return EX_DATAERR;
	}
	if (a->modem && sim_modem_profile_load(a->modem, &j->modem, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim %s: %s\n", cmd, err);
		sim_journey_free(j);
		return EX_DATAERR;
	}
	if (a->failover >= 0)
		sim_modem_profile_failover(&j->modem, a->failover);
	return EX_OK;
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
	rc = load("run", &a, &j);
	if (rc != EX_OK)
		return rc;
	memset(&o, 0, sizeof(o));
	o.naive = a.naive;
	o.no_failover = a.rules_only;
	o.verbose = a.verbose;
	o.pcap = a.trace;
	o.timeline = a.json || a.quiet ? NULL : stdout;
	o.toolkit = a.toolkit;
	if (!a.json)
		printf("journey %s (%s mode, modem %s%s)\n", j.name,
		       a.naive	      ? "naive"
		       : a.rules_only ? "rules-only"
				      : "smart",
		       j.modem.name, a.toolkit.framework ? ", toolkit framework-owned" : "");
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
		json_object_set_new(root, "mode",
				    json_string(a.naive	       ? "naive"
						: a.rules_only ? "rules-only"
							       : "smart"));
		json_object_set_new(root, "modem", json_string(j.modem.name));
		json_object_set_new(root, "toolkit",
				    json_string(a.toolkit.framework ? "framework" : "applet"));
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

int sim_cmd_compare(int argc, char **argv)
{
	struct args a;
	struct sim_journey j;
	struct sim_run_result r[SIM_MODES];
	const struct sim_metrics *m[SIM_MODES];
	char err[512];
	int rc = parse_args(argc, argv, &a, 1), k, done = 0;

	if (rc)
		return rc > 0 ? EX_OK : EX_USAGE;
	rc = load("compare", &a, &j);
	if (rc != EX_OK)
		return rc;
	for (k = 0; k < SIM_MODES; k++, done++) {
		if (sim_run_mode(&j, k, &r[k], err, sizeof(err)) < 0) {
			fprintf(stderr, "mimsi-sim compare: %s: %s\n", sim_mode_names[k], err);
			rc = EX_SOFTWARE;
			done++;
			break;
		}
		m[k] = &r[k].m;
	}
	if (rc == EX_OK && a.json) {
		json_t *root = json_object(), *modes = json_object();

		json_object_set_new(root, "journey", json_string(j.name));
		json_object_set_new(root, "modem", json_string(j.modem.name));
		for (k = 0; k < SIM_MODES; k++)
			json_object_set_new(modes, sim_mode_names[k], metrics_json(m[k]));
		json_object_set_new(root, "modes", modes);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("\n");
		json_decref(root);
	} else if (rc == EX_OK) {
		printf("journey %s: time-to-service by mode (modem %s; failover = with the\n"
		       "NETWORK REJECTION event and PROVIDE LOCAL INFORMATION, nocap = without)\n",
		       j.name, j.modem.name);
		printf("  %-22s", "");
		for (k = 0; k < SIM_MODES; k++)
			printf(" %14s", sim_mode_names[k]);
		printf("\n  %-22s", "losses of service");
		for (k = 0; k < SIM_MODES; k++)
			printf(" %14d", m[k]->n_tts);
#define ROW(label, fmt, expr)                                                                      \
	do {                                                                                       \
		printf("\n  %-22s", label);                                                        \
		for (k = 0; k < SIM_MODES; k++)                                                    \
			printf(fmt, expr);                                                         \
	} while (0)
		ROW("time-to-service p50 s", " %14.0f", m[k]->tts_p50);
		ROW("time-to-service p95 s", " %14.0f", m[k]->tts_p95);
		ROW("time-to-service max s", " %14.0f", m[k]->tts_max);
		ROW("unrecovered at end", " %14s", m[k]->unrecovered ? "yes" : "no");
		ROW("switches", " %14lu", m[k]->switches);
		printf("\n  %-22s", "rejects (events)");
		for (k = 0; k < SIM_MODES; k++) {
			char b[32];

			snprintf(b, sizeof(b), "%lu (%lu)", m[k]->rejects, m[k]->reject_events);
			printf(" %14s", b);
		}
		ROW("REFRESH", " %14lu", m[k]->refreshes);
		ROW("APDUs", " %14lu", m[k]->apdus);
		ROW("data carried MB", " %14.1f", m[k]->data_mb);
		ROW("cost", " %14.4f", m[k]->cost);
		if (m[0]->dyn.on) {
			ROW("planner swaps", " %14lu", m[k]->dyn.swaps);
			ROW("swap -> service max s", " %14.0f", m[k]->dyn.swap_max_s);
			ROW("crossing->optimum max", " %14.0f", m[k]->dyn.cross_max_s);
			ROW("planner OTA SMS", " %14lu", m[k]->dyn.sms_sent);
			ROW("cost static profile", " %14.4f", m[k]->dyn.cost_static);
			ROW("cost vs static %", " %14.1f",
			    m[k]->dyn.cost_static > 0 ? 100.0 * m[k]->cost / m[k]->dyn.cost_static : 0.0);
		}
#undef ROW
		printf("\n  (cost in %s, least-cost oracle %.4f; failover p95 %.0f s vs rules %.0f "
		       "s)\n",
		       m[0]->currency, m[SIM_MODE_FAST]->cost_oracle, m[SIM_MODE_FAST]->tts_p95,
		       m[SIM_MODE_RULES]->tts_p95);
	}
	for (k = 0; k < done && k < SIM_MODES; k++)
		sim_run_result_free(&r[k]);
	sim_journey_free(&j);
	return rc;
}
