/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-card install-params build|lint: the command line of ld_instparams.h. */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ld_instparams.h"
#include "ld_instparams_cmd.h"

#define IP_BLOB_MAX 1024

static const char usage[] =
    "usage: mimsi-card install-params build [OPTIONS]\n"
    "       mimsi-card install-params lint [--kind K] [--needs mimsi|none] [--json]\n"
    "                                      [HEX | --file F | -]\n"
    "\n"
    "build: the INSTALL [for install] parameters field for the mimsi applet\n"
    "  --form sim|uicc      sim: C9 EF{CA} (TS 102 226 §8.2.1.3.2.1, default);\n"
    "                       uicc: C9 EA{80 81} (§8.2.1.3.2.2)\n"
    "  --priority N         priority level (default 1)\n"
    "  --timers N           maximum timers (default 4: the applet's timers)\n"
    "  --menu-entries N     maximum menu entries (default 1)\n"
    "  --menu-text N        maximum menu entry text length (default 11)\n"
    "  --menu POS:ID        a menu entry's position and identifier (default 1:1),\n"
    "                       once per entry\n"
    "  --channels N         maximum channels (default 0)\n"
    "  --msl HEX            minimum security level (default none)\n"
    "  --tar HEX            a 3-byte TAR, once per TAR (default none)\n"
    "  --services N         maximum services (default: field left out)\n"
    "  --access-domain D    full, none or HEX (default full)\n"
    "  --usim-aid HEX       uicc form: give the ADF this access too\n"
    "  --volatile N, --non-volatile N   memory quotas C7/C8 in bytes\n"
    "  --app-params HEX     value of C9 (default empty)\n"
    "  --from FILE.json     the same values as a JSON object (keys as the options,\n"
    "                       '-' for '_'; \"menu\": [[pos, id], ...], \"tar\": [hex, ...])\n"
    "  --value-only         print the toolkit value alone (pySim's --install-params)\n"
    "  --needs mimsi|none   refuse values below what the applet needs (default mimsi)\n"
    "lint: explain a blob and name the causes of 6A80\n"
    "  --kind K             auto (default), apdu, data, params or value\n"
    "common:\n"
    "  --json               output as JSON\n"
    "  -h, --help, --version\n";

static int hex_arg(const char *text, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int hi = -1;

	for (; *text; text++) {
		int d;
		if (isspace((unsigned char)*text) || *text == ':')
			continue;
		if (!isxdigit((unsigned char)*text))
			return -1;
		d = isdigit((unsigned char)*text) ? *text - '0'
						  : (tolower((unsigned char)*text) - 'a' + 10);
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0)
		return -1;
	*len = n;
	return 0;
}

static int num_arg(const char *text, long max, long *out)
{
	char *end;
	long v = strtol(text, &end, 0);

	if (!*text || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---- lint -------------------------------------------------------------- */

static const char *kind_name(enum ip_kind k)
{
	static const char *const n[] = {"auto", "apdu", "data", "params", "value"};

	return n[k];
}

static int read_blob(const char *arg, const char *file, uint8_t *b, size_t *n)
{
	static char text[8 * IP_BLOB_MAX];
	size_t got = 0;
	FILE *f;

	if (arg && strcmp(arg, "-") != 0) {
		snprintf(text, sizeof(text), "%s", arg);
	} else {
		f = file ? fopen(file, "r") : stdin;
		if (!f) {
			fprintf(stderr, "mimsi-card: install-params: cannot open %s\n", file);
			return EX_NOINPUT;
		}
		got = fread(text, 1, sizeof(text) - 1, f);
		text[got] = '\0';
		if (f != stdin)
			fclose(f);
	}
	/* comments (#...) and blank space are allowed in files */
	for (char *p = text; (p = strchr(p, '#'));) {
		size_t k = strcspn(p, "\n");
		memset(p, ' ', k);
	}
	if (hex_arg(text, b, IP_BLOB_MAX, n) < 0) {
		fprintf(stderr, "mimsi-card: install-params: not hex (or over %d bytes)\n",
			IP_BLOB_MAX);
		return EX_DATAERR;
	}
	if (*n == 0) {
		fprintf(stderr, "mimsi-card: install-params: empty blob\n");
		return EX_DATAERR;
	}
	return EX_OK;
}

static void print_report(const struct ip_report *r, const uint8_t *b)
{
	unsigned k, j;

	printf("read as: %s\n", kind_name(r->kind));
	for (k = 0; k < r->nf; k++) {
		const struct ip_field *f = &r->f[k];
		printf("%4u  %-16s ", f->off, f->path);
		for (j = 0; j < f->len && j < 6; j++)
			printf("%02X", b[f->off + j]);
		printf("%s%*s %s\n", f->len > 6 ? ".." : "  ",
		       (int)(f->len < 6 ? 2 * (6 - f->len) : 0), "", f->text);
	}
	for (k = 0; k < r->nx; k++)
		printf("%s at %u [%s]: %s\n", ip_sev_name(r->x[k].sev), r->x[k].off, r->x[k].code,
		       r->x[k].text);
	printf("%s: %u error%s, %u warning%s\n",
	       r->errors ? "BAD (a card answers 6A80 or the applet fails)" : "ok", r->errors,
	       r->errors == 1 ? "" : "s", r->warnings, r->warnings == 1 ? "" : "s");
}

static void print_json(const struct ip_report *r, const uint8_t *b)
{
	json_t *o = json_object(), *fs = json_array(), *xs = json_array();
	char h[2 * IP_BLOB_MAX + 1];
	unsigned k, j;

	for (k = 0; k < r->nf; k++) {
		for (j = 0; j < r->f[k].len; j++)
			snprintf(h + 2 * j, 3, "%02X", b[r->f[k].off + j]);
		h[2 * r->f[k].len] = '\0';
		json_array_append_new(fs, json_pack("{s:i, s:s, s:s, s:s}", "offset",
						    (int)r->f[k].off, "path", r->f[k].path, "hex",
						    h, "text", r->f[k].text));
	}
	for (k = 0; k < r->nx; k++)
		json_array_append_new(xs, json_pack("{s:s, s:i, s:s, s:s}", "severity",
						    ip_sev_name(r->x[k].sev), "offset",
						    (int)r->x[k].off, "code", r->x[k].code, "text",
						    r->x[k].text));
	json_object_set_new(o, "kind", json_string(kind_name(r->kind)));
	json_object_set_new(o, "ok", json_boolean(r->errors == 0));
	json_object_set_new(o, "errors", json_integer(r->errors));
	json_object_set_new(o, "warnings", json_integer(r->warnings));
	json_object_set_new(o, "fields", fs);
	json_object_set_new(o, "findings", xs);
	json_dumpf(o, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(o);
}

static int kind_arg(const char *s, enum ip_kind *k)
{
	static const char *const n[] = {"auto", "apdu", "data", "params", "value"};
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(s, n[i])) {
			*k = (enum ip_kind)i;
			return 0;
		}
	return -1;
}

static int needs_arg(const char *s, int *use)
{
	if (!strcmp(s, "mimsi"))
		*use = 1;
	else if (!strcmp(s, "none"))
		*use = 0;
	else
		return -1;
	return 0;
}

/* ---- build ------------------------------------------------------------- */

struct build_opts {
	struct ip_spec s;
	int value_only, menus_given;
};

static int access_arg(const char *v, struct ip_spec *s)
{
	if (!strcmp(v, "full")) {
		s->access_domain[0] = 0x00;
		s->ad_len = 1;
	} else if (!strcmp(v, "none")) {
		s->access_domain[0] = 0xFF;
		s->ad_len = 1;
	} else if (hex_arg(v, s->access_domain, sizeof(s->access_domain), &s->ad_len) < 0 ||
		   !s->ad_len) {
		return -1;
	}
	return 0;
}

static int menu_arg(const char *v, struct build_opts *b)
{
	unsigned pos, id;
	char tail;

	if (sscanf(v, "%u:%u%c", &pos, &id, &tail) != 2 || pos > 255 || id > 255)
		return -1;
	if (!b->menus_given)
		b->s.menu_entries = 0;
	if (b->s.menu_entries >= IP_MAX_MENU)
		return -1;
	b->s.menu_pos[b->s.menu_entries] = (uint8_t)pos;
	b->s.menu_id[b->s.menu_entries++] = (uint8_t)id;
	b->menus_given = 1;
	return 0;
}

static int tar_arg(const char *v, struct ip_spec *s)
{
	size_t n;

	if (s->n_tar >= IP_MAX_TAR || hex_arg(v, s->tar[s->n_tar], 3, &n) < 0 || n != 3)
		return -1;
	s->n_tar++;
	return 0;
}

/* One option of build, from argv or from the JSON file (same names). */
static int build_set(struct build_opts *b, const char *name, const char *v)
{
	struct ip_spec *s = &b->s;
	long n;

	if (!strcmp(name, "form")) {
		if (strcmp(v, "sim") && strcmp(v, "uicc"))
			return -1;
		s->uicc_form = !strcmp(v, "uicc");
		return 0;
	}
	if (!strcmp(name, "access-domain"))
		return access_arg(v, s);
	if (!strcmp(name, "menu"))
		return menu_arg(v, b);
	if (!strcmp(name, "tar"))
		return tar_arg(v, s);
	if (!strcmp(name, "msl"))
		return hex_arg(v, s->msl, sizeof(s->msl), &s->msl_len);
	if (!strcmp(name, "usim-aid"))
		return hex_arg(v, s->usim_aid, sizeof(s->usim_aid), &s->usim_aid_len) < 0 ||
			       (s->usim_aid_len && s->usim_aid_len < 5)
			   ? -1
			   : 0;
	if (!strcmp(name, "app-params"))
		return hex_arg(v, s->app, sizeof(s->app), &s->app_len);
	if (!strcmp(name, "volatile") || !strcmp(name, "non-volatile")) {
		if (num_arg(v, 0x7FFFFFFFL, &n) < 0)
			return -1;
		*(name[0] == 'v' ? &s->volatile_quota : &s->nv_quota) = n;
		return 0;
	}
	if (num_arg(v, 255, &n) < 0)
		return -1;
	if (!strcmp(name, "priority"))
		s->priority = (uint8_t)n;
	else if (!strcmp(name, "timers"))
		s->timers = (uint8_t)n;
	else if (!strcmp(name, "menu-text"))
		s->menu_text = (uint8_t)n;
	else if (!strcmp(name, "menu-entries"))
		s->menu_entries = (uint8_t)n;
	else if (!strcmp(name, "channels"))
		s->channels = (uint8_t)n;
	else if (!strcmp(name, "services"))
		s->services = (int)n;
	else
		return -1;
	return 0;
}

static int json_set(struct build_opts *b, const char *key, json_t *v, char *err, size_t cap)
{
	char name[32], num[32];
	size_t i;

	snprintf(name, sizeof(name), "%s", key);
	for (i = 0; name[i]; i++)
		if (name[i] == '_')
			name[i] = '-';
	if (json_is_array(v)) {
		json_t *e;
		json_array_foreach(v, i, e)
		{
			char pair[32];
			if (json_is_array(e) && json_array_size(e) == 2 &&
			    json_is_integer(json_array_get(e, 0)) &&
			    json_is_integer(json_array_get(e, 1)))
				snprintf(pair, sizeof(pair), "%lld:%lld",
					 (long long)json_integer_value(json_array_get(e, 0)),
					 (long long)json_integer_value(json_array_get(e, 1)));
			else if (json_is_string(e))
				snprintf(pair, sizeof(pair), "%s", json_string_value(e));
			else
				pair[0] = '\0';
			if (build_set(b, name, pair) < 0) {
				snprintf(err, cap, "\"%s\": bad element %zu", key, i);
				return -1;
			}
		}
		return 0;
	}
	if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(num, sizeof(num), "%s", json_string_value(v));
	else if (json_is_null(v) && (!strcmp(name, "services")))
		return 0;
	else
		num[0] = '\0';
	if (build_set(b, name, num) < 0) {
		snprintf(err, cap, "\"%s\": bad value", key);
		return -1;
	}
	return 0;
}

static int build_from_json(struct build_opts *b, const char *path)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *v;
	const char *key;
	char err[128];

	if (!root) {
		fprintf(stderr, "mimsi-card: install-params: %s:%d:%d: %s\n", path, je.line,
			je.column, je.text);
		return EX_DATAERR;
	}
	if (!json_is_object(root)) {
		fprintf(stderr, "mimsi-card: install-params: %s: not a JSON object\n", path);
		json_decref(root);
		return EX_DATAERR;
	}
	json_object_foreach(root, key, v)
	{
		if (json_set(b, key, v, err, sizeof(err)) < 0) {
			fprintf(stderr, "mimsi-card: install-params: %s: %s\n", path, err);
			json_decref(root);
			return EX_DATAERR;
		}
	}
	json_decref(root);
	return EX_OK;
}

enum { O_JSON = 256, O_KIND, O_NEEDS, O_FILE, O_FROM, O_VALUE_ONLY, O_VERSION, O_SET };

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {"json", no_argument, NULL, O_JSON},
    {"kind", required_argument, NULL, O_KIND},
    {"needs", required_argument, NULL, O_NEEDS},
    {"file", required_argument, NULL, O_FILE},
    {"from", required_argument, NULL, O_FROM},
    {"value-only", no_argument, NULL, O_VALUE_ONLY},
    {"form", required_argument, NULL, O_SET},
    {"priority", required_argument, NULL, O_SET},
    {"timers", required_argument, NULL, O_SET},
    {"menu-entries", required_argument, NULL, O_SET},
    {"menu-text", required_argument, NULL, O_SET},
    {"menu", required_argument, NULL, O_SET},
    {"channels", required_argument, NULL, O_SET},
    {"msl", required_argument, NULL, O_SET},
    {"tar", required_argument, NULL, O_SET},
    {"services", required_argument, NULL, O_SET},
    {"access-domain", required_argument, NULL, O_SET},
    {"usim-aid", required_argument, NULL, O_SET},
    {"volatile", required_argument, NULL, O_SET},
    {"non-volatile", required_argument, NULL, O_SET},
    {"app-params", required_argument, NULL, O_SET},
    {NULL, 0, NULL, 0},
};

static int do_build(struct build_opts *b, int json, int use_needs)
{
	uint8_t out[IP_BLOB_MAX];
	struct ip_report r;
	struct ip_needs need;
	int n = ip_build(&b->s, b->value_only, out, sizeof(out)), i;

	if (n < 0) {
		fprintf(stderr, "mimsi-card: install-params: the values do not fit (too many menu "
				"entries, TARs or bytes)\n");
		return EX_DATAERR;
	}
	/* the built blob passes the linter's rules, or nothing is printed */
	ip_needs_mimsi(&need);
	ip_lint(out, (size_t)n, b->value_only ? IP_KIND_VALUE : IP_KIND_PARAMS,
		use_needs ? &need : NULL, &r);
	if (r.errors) {
		for (i = 0; i < (int)r.nx; i++)
			if (r.x[i].sev == IP_ERROR)
				fprintf(stderr, "mimsi-card: install-params: %s [%s]\n",
					r.x[i].text, r.x[i].code);
		return EX_DATAERR;
	}
	if (json) {
		json_t *o = json_object();
		char h[2 * IP_BLOB_MAX + 1];
		for (i = 0; i < n; i++)
			snprintf(h + 2 * i, 3, "%02X", out[i]);
		json_object_set_new(o, b->value_only ? "toolkit_value" : "install_parameters",
				    json_string(h));
		json_object_set_new(o, "length", json_integer(n));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		for (i = 0; i < n; i++)
			printf("%02X", out[i]);
		putchar('\n');
	}
	return EX_OK;
}

int ld_instparams_main(int argc, char **argv)
{
	struct build_opts b;
	enum ip_kind kind = IP_KIND_AUTO;
	const char *file = NULL, *from = NULL, *sub;
	int json = 0, use_needs = 1, c, idx;
	int rc;

	memset(&b, 0, sizeof(b));
	ip_spec_mimsi(&b.s);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			fputs(usage, stdout);
			return EX_OK;
		}
		if (argc >= 2 && !strcmp(argv[1], "--version")) {
			puts("mimsi-card install-params 1");
			return EX_OK;
		}
		fputs(usage, stderr);
		return EX_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "build") && strcmp(sub, "lint")) {
		fprintf(stderr,
			"mimsi-card: install-params: unknown action \"%s\" (build or lint)\n", sub);
		return EX_USAGE;
	}
	/* the action is argv[0] of getopt's view; optind 0 re-initialises it */
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, &idx)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EX_OK;
		case O_VERSION:
			puts("mimsi-card install-params 1");
			return EX_OK;
		case O_JSON:
			json = 1;
			break;
		case O_KIND:
			if (kind_arg(optarg, &kind) < 0)
				goto bad;
			break;
		case O_NEEDS:
			if (needs_arg(optarg, &use_needs) < 0)
				goto bad;
			break;
		case O_FILE:
			file = optarg;
			break;
		case O_FROM:
			from = optarg;
			break;
		case O_VALUE_ONLY:
			b.value_only = 1;
			break;
		case O_SET:
			if (build_set(&b, long_opts[idx].name, optarg) < 0)
				goto bad;
			break;
		default:
			fprintf(stderr,
				"mimsi-card: install-params: unknown option or missing value: %s\n",
				argv[optind - 1]);
			return EX_USAGE;
		}
	}
	if (!strcmp(sub, "build")) {
		if (optind < argc) {
			fprintf(stderr, "mimsi-card: install-params build takes no arguments\n");
			return EX_USAGE;
		}
		if (from) {
			/* the file first, then the command line's options over it */
			struct build_opts cli = b;
			ip_spec_mimsi(&b.s);
			b.menus_given = 0;
			rc = build_from_json(&b, from);
			if (rc != EX_OK)
				return rc;
			optind = 0;
			while ((c = getopt_long(argc, argv, "h", long_opts, &idx)) != -1)
				if (c == O_SET)
					(void)build_set(&b, long_opts[idx].name, optarg);
			b.value_only = cli.value_only;
		}
		return do_build(&b, json, use_needs);
	}
	{
		uint8_t blob[IP_BLOB_MAX];
		size_t n = 0;
		struct ip_report *r;
		struct ip_needs need;

		if (optind + 1 < argc || (optind < argc && file)) {
			fprintf(stderr,
				"mimsi-card: install-params lint takes one HEX, --file F or -\n");
			return EX_USAGE;
		}
		rc = read_blob(optind < argc ? argv[optind] : NULL, file, blob, &n);
		if (rc != EX_OK)
			return rc;
		r = malloc(sizeof(*r));
		if (!r)
			return EX_OSERR;
		ip_needs_mimsi(&need);
		ip_lint(blob, n, kind, use_needs ? &need : NULL, r);
		if (json)
			print_json(r, blob);
		else
			print_report(r, blob);
		rc = r->errors ? EX_DATAERR : EX_OK;
		free(r);
		return rc;
	}
bad:
	fprintf(stderr, "mimsi-card: install-params: bad value for --%s: %s\n", long_opts[idx].name,
		optarg);
	return EX_USAGE;
}
