/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-compile: sponsor tariffs in, the applet's EF files out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "mimsi_build.h"
#include "rc.h"

static const char usage_main[] =
    "usage: mimsi-compile COMMAND [ARGS]\n"
    "\n"
    "  compile PLAN RATES... -o DIR        write ef_{cfg,slots,rules}.{bin,hex} and report.json\n"
    "  explain PLAN RATES... MCC-MNC [--json]  the ordered slots, prices and reasons at one PLMN\n"
    "  decompile DIR [--json]              the EF files of DIR as a readable table\n"
    "  diff OLD_DIR NEW_DIR [--json]       changed rule rows, byte ranges, UPDATE BINARY count\n"
    "  report PLAN RATES... -o FILE.html   one self-contained page with an SVG price chart\n"
    "\n"
    "Run 'mimsi-compile COMMAND --help' for one command; --version for the version.\n"
    "See mimsi-compile(1).\n"
    "Exit codes (sysexits.h): 0 ok, 1 diff found changes, 64 usage, 65 bad input data,\n"
    "66 input missing, 70 internal, 73 cannot create output.\n";

static const char usage_compile[] =
    "usage: mimsi-compile compile PLAN.json RATES.csv... -o DIR [--base OLD_DIR]\n"
    "Validate the plan and the rate sheets, choose the slot order per PLMN and write\n"
    "DIR/ef_cfg.bin .hex, ef_slots.bin .hex, ef_rules.bin .hex and report.json.\n"
    "The set is built in DIR.tmp-PID and renamed at the end: on any error DIR is untouched.\n"
    "--base OLD_DIR keeps the profile numbering of the set in OLD_DIR, so that a small change\n"
    "rewrites few bytes on the card (see 'mimsi-compile diff').\n";
static const char usage_explain[] =
    "usage: mimsi-compile explain PLAN.json RATES.csv... MCC-MNC [--json]\n"
    "Print, for one PLMN (e.g. 213-77), the rule the card applies, the slots in order with\n"
    "each price as written and converted, the slots not preferred and why, and overrides.\n";
static const char usage_decompile[] =
    "usage: mimsi-compile decompile DIR [--json]\n"
    "Decode DIR/ef_cfg.bin, ef_slots.bin and ef_rules.bin (header, CRC, every record) and\n"
    "print them as a table (or JSON).\n";
static const char usage_diff[] =
    "usage: mimsi-compile diff OLD_DIR NEW_DIR [--json]\n"
    "Print the rule rows that changed and, per file, the minimal byte ranges to rewrite,\n"
    "the number of UPDATE BINARY commands (255 data bytes at most each) and bytes.\n"
    "Exit 0 when the sets are identical, 1 when they differ.\n";
static const char usage_report[] =
    "usage: mimsi-compile report PLAN.json RATES.csv... -o REPORT.html\n"
    "Write one self-contained HTML page: per country the chosen slot, its price, the saving\n"
    "against the home IMSI, and an inline SVG chart of price per GB by country per sponsor.\n";

static int has_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static int fail(const rc_error_t *err)
{
	static const int codes[] = {EX_DATAERR, EX_NOINPUT, EX_CANTCREAT, EX_OSERR};

	fprintf(stderr, "mimsi-compile: %s\n", err->text);
	if (err->kind < 0 || err->kind >= (int)MI_ARRAY_SIZE(codes))
		return EX_SOFTWARE;
	return codes[err->kind];
}

static int usage_err(const char *usage, const char *msg, const char *arg)
{
	fprintf(stderr, "mimsi-compile: %s%s%s%s\n%s", msg, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", usage);
	return EX_USAGE;
}

/* PLAN RATES... [-o OUT] [--json] [PLMN]: split the arguments. */
struct args {
	const char *plan;
	char **rates;
	int n_rates;
	const char *out;
	const char *base;
	const char *plmn;
	int json;
};

static int split_args(int argc, char **argv, int want_plmn, int want_out, const char *usage,
		      struct args *a)
{
	int i, n = 0;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));

	memset(a, 0, sizeof(*a));
	if (!pos)
		return EX_OSERR;
	for (i = 0; i < argc; i++) {
		if (want_out && (strcmp(argv[i], "-o") == 0 ||
				 (want_out == 2 && strcmp(argv[i], "--base") == 0))) {
			if (i + 1 >= argc) {
				free(pos);
				return usage_err(usage, "missing value of", argv[i]);
			}
			if (argv[i][1] == 'o')
				a->out = argv[++i];
			else
				a->base = argv[++i];
		} else if (!want_out && strcmp(argv[i], "--json") == 0) {
			a->json = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			free(pos);
			return usage_err(usage, "unknown option", argv[i]);
		} else {
			pos[n++] = argv[i];
		}
	}
	if (want_plmn) {
		if (n < 1) {
			free(pos);
			return usage_err(usage, "missing MCC-MNC", NULL);
		}
		a->plmn = pos[--n];
	}
	if (n < 2) {
		free(pos);
		return usage_err(usage, "need a PLAN and at least one RATES file", NULL);
	}
	if (want_out && !a->out) {
		free(pos);
		return usage_err(usage, "missing -o", NULL);
	}
	a->plan = pos[0];
	a->rates = pos + 1;
	a->n_rates = n - 1;
	return 0;
}

struct build {
	struct rc_plan plan;
	struct rc_rates rates;
	struct rc_result res;
};

/* What a command built, and its argument list (split_args allocates the
 * positional array; a->rates points one past its start). */
static void build_free(struct build *b, struct args *a)
{
	rc_result_free(&b->res);
	rc_plan_free(&b->plan);
	rc_rates_free(&b->rates);
	free(a->rates - 1);
	free(b);
}

static int cmd_compile(int argc, char **argv)
{
	struct args a;
	struct build *b;
	rc_error_t err;
	int rc;

	if (has_help(argc, argv)) {
		fputs(usage_compile, stdout);
		return 0;
	}
	if ((rc = split_args(argc, argv, 0, 2, usage_compile, &a)) != 0)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return EX_OSERR;
	rc_err_clear(&err);
	rc = rc_build_base(a.plan, a.rates, a.n_rates, a.base, &b->plan, &b->rates, &b->res, &err);
	if (rc == 0)
		rc = rc_write_dir(a.out, &b->plan, &b->rates, &b->res, &err);
	if (rc == 0)
		printf("%s: %u + %zu + %zu bytes (cfg, slots, rules), %d profiles, %zu rules, %zu "
		       "PLMNs\n",
		       a.out, b->res.cfg_len, b->res.slots_len, b->res.rules_len, b->res.n_prof,
		       b->res.n_rule, b->res.n_plmn);
	rc = rc == 0 ? 0 : fail(&err);
	build_free(b, &a);
	return rc;
}

static int cmd_explain(int argc, char **argv)
{
	struct args a;
	struct build *b;
	struct mi_plmn p;
	rc_error_t err;
	char why[128];
	int rc;

	if (has_help(argc, argv)) {
		fputs(usage_explain, stdout);
		return 0;
	}
	if ((rc = split_args(argc, argv, 1, 0, usage_explain, &a)) != 0)
		return rc;
	if (rc_plmn_text(a.plmn, &p, why, sizeof(why)) < 0) {
		free(a.rates - 1);
		return usage_err(usage_explain, why, NULL);
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return EX_OSERR;
	rc_err_clear(&err);
	rc = rc_build(a.plan, a.rates, a.n_rates, &b->plan, &b->rates, &b->res, &err);
	if (rc == 0)
		rc = rc_explain(stdout, &b->plan, &b->rates, &b->res, &p, a.json) == 0
			 ? 0
			 : EX_SOFTWARE;
	else
		rc = fail(&err);
	build_free(b, &a);
	return rc;
}

static int cmd_report(int argc, char **argv)
{
	struct args a;
	struct build *b;
	rc_error_t err;
	char tmp[4096];
	FILE *f = NULL;
	int rc;

	if (has_help(argc, argv)) {
		fputs(usage_report, stdout);
		return 0;
	}
	if ((rc = split_args(argc, argv, 0, 1, usage_report, &a)) != 0)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return EX_OSERR;
	rc_err_clear(&err);
	rc = rc_build(a.plan, a.rates, a.n_rates, &b->plan, &b->rates, &b->res, &err);
	if (rc == 0) { /* written next to the target, renamed when complete */
		rc_fmt(tmp, sizeof(tmp), "%s.tmp-%ld", a.out, (long)getpid());
		f = fopen(tmp, "w");
		if (!f || rc_report_html(f, &b->plan, &b->rates, &b->res) < 0 || fclose(f) != 0 ||
		    rename(tmp, a.out) != 0) {
			if (f)
				remove(tmp);
			rc_err_io(&err, RC_EK_CANTCREAT, "%s: cannot write the report", a.out);
			rc = fail(&err);
		}
	} else {
		rc = fail(&err);
	}
	build_free(b, &a);
	return rc;
}

/* DIR [DIR2] [--json] */
static int dirs_args(int argc, char **argv, int ndirs, const char *usage, const char **dirs,
		     int *json)
{
	int i, n = 0;

	*json = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			*json = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_err(usage, "unknown option", argv[i]);
		else if (n == ndirs)
			return usage_err(usage, "too many arguments at", argv[i]);
		else
			dirs[n++] = argv[i];
	}
	if (n != ndirs)
		return usage_err(usage, ndirs == 1 ? "missing DIR" : "need OLD_DIR and NEW_DIR",
				 NULL);
	return 0;
}

static int cmd_decompile(int argc, char **argv)
{
	const char *dir;
	struct rc_set *set;
	rc_error_t err;
	int json, rc;

	if (has_help(argc, argv)) {
		fputs(usage_decompile, stdout);
		return 0;
	}
	if ((rc = dirs_args(argc, argv, 1, usage_decompile, &dir, &json)) != 0)
		return rc;
	set = calloc(1, sizeof(*set));
	if (!set)
		return EX_OSERR;
	rc_err_clear(&err);
	if (rc_set_load(dir, set, &err) < 0)
		rc = fail(&err);
	else
		rc = rc_decompile(stdout, set, json) == 0 ? 0 : EX_SOFTWARE;
	rc_set_free(set);
	free(set);
	return rc;
}

static int cmd_diff(int argc, char **argv)
{
	const char *dirs[2];
	struct rc_set *set;
	rc_error_t err;
	int json, rc;

	if (has_help(argc, argv)) {
		fputs(usage_diff, stdout);
		return 0;
	}
	if ((rc = dirs_args(argc, argv, 2, usage_diff, dirs, &json)) != 0)
		return rc;
	set = calloc(2, sizeof(*set));
	if (!set)
		return EX_OSERR;
	rc_err_clear(&err);
	if (rc_set_load(dirs[0], &set[0], &err) < 0 || rc_set_load(dirs[1], &set[1], &err) < 0)
		rc = fail(&err);
	else {
		rc = rc_diff(stdout, &set[0], &set[1], json);
		rc = rc < 0 ? EX_SOFTWARE : rc;
	}
	rc_set_free(&set[0]);
	rc_set_free(&set[1]);
	free(set);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"compile", cmd_compile},
		    {"explain", cmd_explain},
		    {"decompile", cmd_decompile},
		    {"diff", cmd_diff},
		    {"report", cmd_report}};
	size_t i;

	if (argc < 2) {
		fputs(usage_main, stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mimsi-compile %s\n", MIMSI_VERSION);
		return 0;
	}
	for (i = 0; i < MI_ARRAY_SIZE(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "mimsi-compile: unknown command '%s'\n%s", argv[1], usage_main);
	return EX_USAGE;
}
