/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-stock: sponsor IMSI batches, eSIM profile pools, generation of the
 * SM-DP+ input, lifecycle, holds, stock and audit on one SQLite file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "st.h"
#include "st_plan.h"
#include "ota.h"
#include "rc.h"

#define MULTI_MAX 16

struct cli {
	const char *db, *at, *sponsor, *range, *csv, *policy, *key_file, *key_label, *coverage;
	const char *iccid_range, *plan, *priority, *count, *out, *compiler, *pool, *product, *iccid;
	const char *from, *position, *ipool, *profiles, *imsis, *generation, *busy;
	const char *min_stay, *stay, *ota_cost, *gb_per_day, *por, *spi2;
	const char *ota_keys, *kvn, *counters, *base, *bank, *bank_holds, *keep_set;
	char *plmn[MULTI_MAX], *rates[MULTI_MAX], *batch[MULTI_MAX];
	int n_plmn, n_rates, n_batch;
	int json, help, version, cards, history;
	char **pos; /* argv-sized */
	int n_pos;
	const struct cmd *cmd; /* the command, its words taken out of pos */
};

struct cmd {
	const char *name, *sub; /* sub NULL: a one-word command */
	const char *usage;
	int (*fn)(struct st_ctx *, struct cli *);
	int needs_db; /* 2 = creates it */
};

static const struct cmd cmds[]; /* the table, after the handlers */

static const char head[] =
    "usage: mimsi-stock [--db FILE] [--at DATE] [--json] COMMAND [ARGS]\n"
    "\n"
    "Sponsor IMSI batches, eSIM profile pools, SM-DP+ input generation, lifecycle, holds,\n"
    "stock and audit, on one SQLite file (docs/stock.md, mimsi-stock(1)).\n"
    "\n"
    "options:\n"
    "  --db FILE         the database (default $MIMSI_STOCK_DB, else mimsi-stock.db)\n"
    "  --at DATE         the time of the operation: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z\n"
    "                    (UTC; default now)\n"
    "  --json            output as JSON\n"
    "  --busy-timeout MS wait this long for another mimsi-stock (default 60000)\n"
    "  --key-file FILE   the transport key (hex; or $MIMSI_STOCK_KEY_FILE); never on argv\n"
    "  --key-label L     its label, recorded with its check value ($MIMSI_STOCK_KEY_LABEL)\n"
    "  -h, --help        this text (COMMAND --help: that command)\n"
    "  --version         version, schema version, SQLite version\n"
    "\n"
    "commands:\n";

static void usage(FILE *f, const struct cmd *only)
{
	const struct cmd *c;

	if (!only)
		fputs(head, f);
	for (c = cmds; c->name; c++)
		if (!only || (strcmp(only->name, c->name) == 0 &&
			      (!only->sub || (c->sub && strcmp(only->sub, c->sub) == 0))))
			fprintf(f, "  %s\n", c->usage);
	if (!only)
		fputs("\nexit: 0 ok; 1 stock below a threshold (stock); sysexits codes otherwise\n", f);
}

/* ---- output ---------------------------------------------------------------- */

static void text_value(FILE *f, json_t *v, int indent);

static void text_object(FILE *f, json_t *o, int indent)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		fprintf(f, "%*s%s:", indent, "", k);
		if (json_is_object(v) || json_is_array(v)) {
			fputc('\n', f);
			text_value(f, v, indent + 2);
		} else {
			fputc(' ', f);
			text_value(f, v, 0);
			fputc('\n', f);
		}
	}
}

static void text_value(FILE *f, json_t *v, int indent)
{
	size_t i;
	json_t *x;

	switch (json_typeof(v)) {
	case JSON_OBJECT: text_object(f, v, indent); break;
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			fprintf(f, "%*s(none)\n", indent, "");
		json_array_foreach(v, i, x)
		{
			if (json_is_object(x)) {
				fprintf(f, "%*s-\n", indent, "");
				text_object(f, x, indent + 2);
			} else {
				fprintf(f, "%*s- ", indent, "");
				text_value(f, x, 0);
				fputc('\n', f);
			}
		}
		break;
	case JSON_STRING: fputs(json_string_value(v), f); break;
	case JSON_INTEGER: fprintf(f, "%lld", (long long)json_integer_value(v)); break;
	case JSON_TRUE: fputs("yes", f); break;
	case JSON_FALSE: fputs("no", f); break;
	case JSON_NULL: fputs("-", f); break;
	default: break;
	}
}

static int emit(struct st_ctx *c, json_t *j)
{
	if (c->json) {
		json_dumpf(j, c->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', c->out);
	} else {
		text_value(c->out, j, 0);
	}
	json_decref(j);
	return 0;
}

static int ok_line(struct st_ctx *c, const char *what, const char *name)
{
	if (c->json)
		emit(c, json_pack("{s:s, s:s}", "ok", what, "name", name ? name : ""));
	else
		fprintf(c->out, "%s: %s\n", what, name ? name : "");
	return 0;
}

/* ---- argument helpers ------------------------------------------------------ */

static int need_pos(struct st_ctx *c, const struct cli *o, int n, const struct cmd *cmd)
{
	if (o->n_pos == n)
		return 0;
	return st_fail(c, ST_E_USAGE, "usage: mimsi-stock %s", cmd->usage);
}

static int num(struct st_ctx *c, const char *opt, const char *s, int64_t min, int64_t max,
	       int64_t *out)
{
	char *end;
	long long v;

	if (!s)
		return st_fail(c, ST_E_USAGE, "%s is needed", opt);
	v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return st_fail(c, ST_E_USAGE, "%s %s: a whole number %lld..%lld", opt, s,
			       (long long)min, (long long)max);
	*out = v;
	return 0;
}

static int load_key(struct st_ctx *c, const struct cli *o, struct st_key *k)
{
	return st_key_load(c, o->key_file, o->key_label, k);
}

/* ---- commands ---------------------------------------------------------------- */

static int c_init(struct st_ctx *c, struct cli *o)
{
	(void)o;
	if (c->json)
		return emit(c, json_pack("{s:s, s:i}", "db", c->path, "schema",
					 st_schema_version(c)));
	fprintf(c->out, "%s: schema version %d\n", c->path, st_schema_version(c));
	return 0;
}

static int c_sponsor_add(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0 ||
	    st_sponsor_add(c, o->pos[0], o->plmn, o->n_plmn) < 0)
		return c->err.rc;
	return ok_line(c, "sponsor added", o->pos[0]);
}

static int c_batch_import(struct st_ctx *c, struct cli *o)
{
	struct st_batch_import b;
	struct st_key key;
	char first[32] = "", last[32] = "";
	int rc;

	memset(&b, 0, sizeof(b));
	if (need_pos(c, o, 1, o->cmd) < 0)
		return c->err.rc;
	b.name = o->pos[0];
	b.sponsor = o->sponsor;
	b.policy = o->policy;
	b.csv = o->csv;
	if (o->range) {
		const char *dash = strchr(o->range, '-');
		if (!dash || (size_t)(dash - o->range) >= sizeof(first))
			return st_fail(c, ST_E_USAGE, "--range FIRST-LAST (two IMSIs)");
		memcpy(first, o->range, (size_t)(dash - o->range));
		snprintf(last, sizeof(last), "%s", dash + 1);
		b.first = first;
		b.last = last;
	}
	if (o->key_file || getenv("MIMSI_STOCK_KEY_FILE")) {
		if (load_key(c, o, &key) < 0)
			return c->err.rc;
		b.key = &key;
	}
	rc = st_batch_import(c, &b);
	if (b.key)
		st_key_wipe(&key);
	return rc;
}

static int c_batch_policy(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 2, o->cmd) < 0 || st_batch_policy(c, o->pos[0], o->pos[1]) < 0)
		return c->err.rc;
	return ok_line(c, "batch policy set", o->pos[0]);
}

static int c_batch_cancel(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0)
		return c->err.rc;
	return st_batch_cancel(c, o->pos[0]);
}

static int c_batch_remove(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0 || st_batch_remove(c, o->pos[0]) < 0)
		return c->err.rc;
	return ok_line(c, "batch removed", o->pos[0]);
}

static int c_hold_set(struct st_ctx *c, struct cli *o)
{
	int64_t days;

	if (need_pos(c, o, 2, o->cmd) < 0 || num(c, "DAYS", o->pos[1], 0, 36500, &days) < 0 ||
	    st_hold_set(c, o->pos[0], days) < 0)
		return c->err.rc;
	return ok_line(c, "hold set for MCC", o->pos[0]);
}

static int c_product_add(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0 || st_product_add(c, o->pos[0], o->coverage) < 0)
		return c->err.rc;
	return ok_line(c, "product added", o->pos[0]);
}

static int c_pool_create(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0 ||
	    st_pool_create(c, o->pos[0], o->iccid_range, o->plan, o->rates, o->n_rates) < 0)
		return c->err.rc;
	return ok_line(c, "pool created", o->pos[0]);
}

static int c_pool_link(struct st_ctx *c, struct cli *o)
{
	int64_t prio = 0;

	if (need_pos(c, o, 2, o->cmd) < 0 ||
	    (o->priority && num(c, "--priority", o->priority, -1000000, 1000000, &prio) < 0) ||
	    st_pool_link(c, o->pos[0], o->pos[1], prio, strcmp(o->cmd->sub, "unlink") == 0) < 0)
		return c->err.rc;
	return ok_line(c, strcmp(o->cmd->sub, "unlink") ? "pool serves product"
							     : "pool no longer serves product",
		       o->pos[1]);
}

static int c_ipool_create(struct st_ctx *c, struct cli *o)
{
	if (need_pos(c, o, 1, o->cmd) < 0 || st_ipool_create(c, o->pos[0]) < 0)
		return c->err.rc;
	return ok_line(c, "IMSI pool created", o->pos[0]);
}

static int c_ipool_link(struct st_ctx *c, struct cli *o)
{
	int un = strcmp(o->cmd->sub, "unlink") == 0;

	if (need_pos(c, o, 2, o->cmd) < 0 || st_ipool_link(c, o->pos[0], o->pos[1], un) < 0)
		return c->err.rc;
	return ok_line(c, un ? "IMSI pool no longer for product" : "IMSI pool for product",
		       o->pos[1]);
}

static int c_ipool_add(struct st_ctx *c, struct cli *o)
{
	int64_t n = 0;

	if (need_pos(c, o, 1, o->cmd) < 0)
		return c->err.rc;
	if (o->n_batch != 1)
		return st_fail(c, ST_E_USAGE, "ipool add IPOOL --batch B [--count N]");
	if (o->count && num(c, "--count", o->count, 1, 100000000, &n) < 0)
		return c->err.rc;
	return st_ipool_add(c, o->pos[0], o->batch[0], n);
}

static int c_threshold(struct st_ctx *c, struct cli *o)
{
	int64_t p = -1, i = -1;

	if (need_pos(c, o, 2, o->cmd) < 0 ||
	    (o->profiles && num(c, "--profiles", o->profiles, 0, 1000000000, &p) < 0) ||
	    (o->imsis && num(c, "--imsis", o->imsis, 0, 1000000000, &i) < 0) ||
	    st_threshold_set(c, o->pos[0], o->pos[1], p, i) < 0)
		return c->err.rc;
	return ok_line(c, "threshold set", o->pos[1]);
}

static int gen_report(struct st_ctx *c, const struct st_gen_result *r)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "generation",
			      (json_int_t)r->generation, "profiles", (json_int_t)r->count,
			      "iccid_first", r->iccid_first, "iccid_last", r->iccid_last, "smdp_input",
			      r->smdp, "personalisation", r->perso);
	if (r->cards[0])
		json_object_set_new(j, "cards_csv", json_string(r->cards));
	if (r->rules_dir[0]) {
		json_object_set_new(j, "rules_dir", json_string(r->rules_dir));
		json_object_set_new(j, "rules_sha256", json_string(r->rules_sha256));
	}
	return emit(c, j);
}

static int c_generate(struct st_ctx *c, struct cli *o)
{
	struct st_gen_opts g;
	struct st_gen_result r;
	struct st_key key;
	int rc;

	memset(&g, 0, sizeof(g));
	if (need_pos(c, o, 0, o->cmd) < 0 ||
	    num(c, "--count", o->count, 1, 10000000, &g.count) < 0)
		return c->err.rc;
	if (!o->pool || !o->out)
		return st_fail(c, ST_E_USAGE, "usage: mimsi-stock %s", o->cmd->usage);
	g.pool = o->pool;
	g.batches = o->batch;
	g.k = o->n_batch;
	g.out_dir = o->out;
	g.compiler = o->compiler;
	g.cards = o->cards;
	if (load_key(c, o, &key) < 0)
		return c->err.rc;
	g.key = &key;
	rc = st_generate(c, &g, &r);
	st_key_wipe(&key);
	if (rc < 0)
		return rc;
	return gen_report(c, &r);
}

static int c_export(struct st_ctx *c, struct cli *o)
{
	struct st_gen_result r;
	struct st_key key;
	int64_t gen;
	int rc;

	if (need_pos(c, o, 0, o->cmd) < 0 ||
	    num(c, "--generation", o->generation, 1, INT64_MAX, &gen) < 0)
		return c->err.rc;
	if (!o->out)
		return st_fail(c, ST_E_USAGE, "usage: mimsi-stock %s", o->cmd->usage);
	if (load_key(c, o, &key) < 0)
		return c->err.rc;
	rc = st_export(c, gen, o->out, o->cards, &key, &r);
	st_key_wipe(&key);
	if (rc < 0)
		return rc;
	return gen_report(c, &r);
}

static int c_assign(struct st_ctx *c, struct cli *o)
{
	char iccid[24];
	int swap = strcmp(o->cmd->name, "swap") == 0;

	if (need_pos(c, o, 1, o->cmd) < 0)
		return c->err.rc;
	if ((swap ? st_swap(c, o->pos[0], o->from, o->iccid, o->product, o->pool, iccid)
		  : st_assign(c, o->pos[0], o->iccid, o->product, o->pool, iccid)) < 0)
		return c->err.rc;
	if (c->json)
		return emit(c, json_pack("{s:s, s:s}", "account", o->pos[0], "iccid", iccid));
	fprintf(c->out, "account '%s': profile %s assigned%s\n", o->pos[0], iccid,
		swap ? " (old profile disposed)" : "");
	return 0;
}

static int c_dispose(struct st_ctx *c, struct cli *o)
{
	if (o->n_pos < 1)
		return st_fail(c, ST_E_USAGE, "usage: mimsi-stock %s", o->cmd->usage);
	if (st_dispose(c, o->pos, o->n_pos) < 0)
		return c->err.rc;
	if (c->json)
		return emit(c, json_pack("{s:i}", "disposed", o->n_pos));
	fprintf(c->out, "%d profile%s disposed\n", o->n_pos, o->n_pos == 1 ? "" : "s");
	return 0;
}

static int c_dynamic(struct st_ctx *c, struct cli *o)
{
	const char *n = o->cmd->name;
	char imsi[16];
	int64_t pos;

	if (need_pos(c, o, 1, o->cmd) < 0 ||
	    num(c, "--position", o->position, 1, ST_MAX_POSITIONS, &pos) < 0)
		return c->err.rc;
	if (!strcmp(n, "reserve"))
		return st_reserve(c, o->pos[0], (int)pos, o->ipool, imsi);
	if (!strcmp(n, "embed"))
		return st_embed(c, o->pos[0], (int)pos, o->ipool, imsi);
	if (!strcmp(n, "commit"))
		return st_commit(c, o->pos[0], (int)pos);
	if (!strcmp(n, "release")) {
		if (st_release(c, o->pos[0], (int)pos) < 0)
			return c->err.rc;
		return ok_line(c, "reservation released", o->pos[0]);
	}
	if (st_unembed(c, o->pos[0], (int)pos) < 0)
		return c->err.rc;
	return ok_line(c, "IMSI unembedded from", o->pos[0]);
}

/* A decimal option ("1.5") in micro-units, with its default. */
static int micro(struct st_ctx *c, const char *name, const char *v, int64_t def, int64_t *out)
{
	char why[128];

	*out = def;
	if (v && (rc_money_parse(v, out, why, sizeof(why)) < 0 || *out < 0))
		return st_fail(c, ST_E_USAGE, "%s %s: a non-negative decimal number", name, v);
	return 0;
}

/* --ota-keys and its companions; \returns 1 given, 0 not, <0 error. */
static int ota_opts(struct st_ctx *c, const struct cli *o, struct st_plan_ota *ota, int build)
{
	int64_t kvn;

	memset(ota, 0, sizeof(*ota));
	if (!o->ota_keys)
		return (o->kvn || o->counters || o->base || o->bank || o->bank_holds || o->keep_set)
			   ? st_fail(c, ST_E_USAGE, "--kvn, --counters, --base, --bank, --keep-set need --ota-keys")
			   : 0;
	if (num(c, "--kvn", o->kvn, 1, 15, &kvn) < 0)
		return c->err.rc;
	if (build && (!o->counters || !o->base))
		return st_fail(c, ST_E_USAGE, "--ota-keys needs --counters FILE and --base DIR (the card's set)");
	if (o->bank && strcmp(o->bank, "A") && strcmp(o->bank, "B"))
		return st_fail(c, ST_E_USAGE, "--bank A or B");
	ota->keys = o->ota_keys;
	ota->kvn = (unsigned)kvn;
	ota->counters = o->counters;
	ota->base = o->base;
	ota->bank_holds = o->bank_holds;
	ota->keep_dir = o->keep_set;
	ota->bank = o->bank && !strcmp(o->bank, "A") ? 0 : 1;
	return 1;
}

static int c_plan_swap(struct st_ctx *c, struct cli *o)
{
	struct st_plan_opts po;
	struct st_plan_ota ota;
	struct st_key tkey;
	json_error_t je;
	json_t *ev, *j;
	int64_t h;
	int rc, with_key = 0;

	if (need_pos(c, o, 1, o->cmd) < 0 || micro(c, "--min-stay", o->min_stay, 12000000, &h) < 0)
		return c->err.rc;
	po.min_stay_s = h * 3600 / 1000000;
	if (micro(c, "--stay", o->stay, 72000000, &h) < 0 ||
	    micro(c, "--ota-cost", o->ota_cost, 0, &po.ota_cost) < 0 ||
	    micro(c, "--gb-per-day", o->gb_per_day, 500000, &po.gb_per_day) < 0)
		return c->err.rc;
	po.default_stay_s = h * 3600 / 1000000;
	if ((rc = ota_opts(c, o, &ota, 1)) < 0)
		return rc;
	po.ota = rc ? &ota : NULL;
	if (po.ota && (o->key_file || getenv("MIMSI_STOCK_KEY_FILE"))) {
		if (load_key(c, o, &tkey) < 0)
			return c->err.rc;
		ota.tkey = &tkey;
		with_key = 1;
	}
	ev = json_load_file(o->pos[0], JSON_REJECT_DUPLICATES, &je);
	if (!ev)
		rc = st_fail(c, ST_E_DATA, "%s:%d:%d: %s", o->pos[0], je.line, je.column, je.text);
	else
		rc = st_plan_swap(c, ev, &po, &j);
	json_decref(ev);
	if (with_key)
		st_key_wipe(&tkey);
	return rc < 0 ? rc : emit(c, j);
}

static int c_swap_end(struct st_ctx *c, struct cli *o)
{
	unsigned char pkt[400];
	unsigned char spi2;
	struct st_plan_ota ota;
	int64_t pos;
	json_t *j;
	int n, keyed;

	if (need_pos(c, o, 1, o->cmd) < 0 ||
	    num(c, "--position", o->position, 1, ST_MAX_POSITIONS, &pos) < 0)
		return c->err.rc;
	if (!strcmp(o->cmd->name, "swap-timeout")) {
		if (st_plan_timeout(c, o->pos[0], (int)pos, &j) < 0)
			return c->err.rc;
		return emit(c, j);
	}
	if ((keyed = ota_opts(c, o, &ota, 0)) < 0)
		return c->err.rc;
	/* mimsi-ota's SPI2 19 with keys (PoR ciphered with CC), else 01 (PoR
	 * always, no RC/CC): TS 102 225 §5.1.1 */
	spi2 = keyed ? ST_PLAN_SPI2 : 0x01;
	if (o->spi2 && ota_hex_decode(o->spi2, &spi2, 1) != 1)
		return st_fail(c, ST_E_USAGE, "--spi2 %s: one hex byte", o->spi2);
	if (!o->por || (n = ota_hex_decode(o->por, pkt, sizeof(pkt))) < 1)
		return st_fail(c, ST_E_USAGE, "--por: the response packet in hex, from its UDH 02 71 00");
	if (st_plan_por(c, o->pos[0], (int)pos, pkt, (size_t)n, spi2, keyed ? &ota : NULL, &j) < 0)
		return c->err.rc;
	return emit(c, j);
}

static int c_recycle(struct st_ctx *c, struct cli *o)
{
	int64_t a = 0, e = 0;
	int rc;

	if (need_pos(c, o, 0, o->cmd) < 0)
		return c->err.rc;
	/* st_begin already ends the holds due; count them in their own pass */
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return st_fail_db(c, "begin");
	rc = st_sweep(c, &a, &e);
	if ((rc = st_end(c, rc < 0 ? rc : ST_OK)) < 0)
		return rc;
	return emit(c, json_pack("{s:I, s:I}", "to_available", (json_int_t)a, "to_end_of_life",
				 (json_int_t)e));
}

static void stock_text(FILE *f, json_t *j)
{
	size_t i;
	json_t *e;

	fprintf(f, "stock at %s\n\nIMSI sponsor view       profiles  dynamic IMSIs  IMSIs for "
		   "generation  on hold\n",
		json_string_value(json_object_get(j, "at")));
	json_array_foreach(json_object_get(j, "sponsors"), i, e)
		fprintf(f, "  %-22s %9lld %14lld %21lld %8lld\n",
			json_string_value(json_object_get(e, "sponsor")),
			(long long)json_integer_value(json_object_get(e, "profiles_available")),
			(long long)json_integer_value(json_object_get(e, "imsis_dynamic_available")),
			(long long)json_integer_value(json_object_get(e, "imsis_for_generation")),
			(long long)json_integer_value(json_object_get(e, "imsis_on_hold")));
	fprintf(f, "\nproduct view                      profiles  dynamic IMSIs\n");
	json_array_foreach(json_object_get(j, "products"), i, e)
		fprintf(f, "  %-32s %9lld %14lld\n", json_string_value(json_object_get(e, "product")),
			(long long)json_integer_value(json_object_get(e, "profiles_available")),
			(long long)json_integer_value(json_object_get(e, "imsis_dynamic_available")));
	if (json_array_size(json_object_get(j, "alerts")) == 0) {
		fprintf(f, "\nalerts: none\n");
		return;
	}
	fprintf(f, "\nalerts:\n");
	json_array_foreach(json_object_get(j, "alerts"), i, e)
		fprintf(f, "  %s '%s': %s %lld below the threshold %lld\n",
			json_string_value(json_object_get(e, "kind")),
			json_string_value(json_object_get(e, "name")),
			json_string_value(json_object_get(e, "figure")),
			(long long)json_integer_value(json_object_get(e, "value")),
			(long long)json_integer_value(json_object_get(e, "threshold")));
}

static int c_stock(struct st_ctx *c, struct cli *o)
{
	json_t *j;
	int alerts = 0, rc;

	if (need_pos(c, o, 0, o->cmd) < 0)
		return c->err.rc;
	/* end the holds due first, so the figures are those of --at */
	if ((rc = st_begin(c)) < 0 || (rc = st_end(c, ST_OK)) < 0)
		return rc;
	if (st_stock(c, &j, &alerts) < 0)
		return c->err.rc;
	if (c->json) {
		emit(c, j);
	} else {
		stock_text(c->out, j);
		json_decref(j);
	}
	return alerts ? 1 : 0;
}

static int c_audit(struct st_ctx *c, struct cli *o)
{
	json_t *j;

	if (need_pos(c, o, 1, o->cmd) < 0 || st_audit(c, o->pos[0], o->history, &j) < 0)
		return c->err.rc;
	return emit(c, j);
}

static int c_show(struct st_ctx *c, struct cli *o)
{
	json_t *j;

	if (need_pos(c, o, 1, o->cmd) < 0 || st_show(c, o->pos[0], &j) < 0)
		return c->err.rc;
	return emit(c, j);
}

static int c_list(struct st_ctx *c, struct cli *o)
{
	json_t *j;

	if (need_pos(c, o, 1, o->cmd) < 0 || st_list(c, o->pos[0], &j) < 0)
		return c->err.rc;
	return emit(c, j);
}

static const struct cmd cmds[] = {
    {"init", NULL, "init                                   create or migrate the database", c_init, 2},
    {"sponsor", "add", "sponsor add NAME --plmn MCC-MNC...        an IMSI sponsor and the PLMNs of its IMSIs", c_sponsor_add, 1},
    {"batch", "import", "batch import NAME --sponsor S (--range FIRST-LAST | --csv FILE)\n"
			"      [--policy recycle|eol] [--key-file F --key-label L]   CSV: imsi[,k,opc]", c_batch_import, 1},
    {"batch", "policy", "batch policy NAME recycle|eol      what IMSIs do after their hold", c_batch_policy, 1},
    {"batch", "cancel", "batch cancel NAME                  unused IMSIs to end of life now, the rest after hold", c_batch_cancel, 1},
    {"batch", "remove", "batch remove NAME                  only when all its IMSIs are at end of life", c_batch_remove, 1},
    {"hold", "set", "hold set MCC DAYS                      hold after use, per country of the IMSI", c_hold_set, 1},
    {"product", "add", "product add NAME [--coverage E212-MCC[-MNC],...]", c_product_add, 1},
    {"pool", "create", "pool create NAME --iccid-range FIRST-LAST [--plan PLAN.json --rates R.csv...]\n"
		       "                                         a profile pool; ICCIDs without check digit", c_pool_create, 1},
    {"pool", "link", "pool link POOL PRODUCT [--priority N]  the pool serves the product (higher N first)", c_pool_link, 1},
    {"pool", "unlink", "pool unlink POOL PRODUCT", c_pool_link, 1},
    {"ipool", "create", "ipool create NAME                      a dynamic IMSI pool", c_ipool_create, 1},
    {"ipool", "link", "ipool link IPOOL PRODUCT               the pool serves the product's embedding", c_ipool_link, 1},
    {"ipool", "unlink", "ipool unlink IPOOL PRODUCT", c_ipool_link, 1},
    {"ipool", "add", "ipool add IPOOL --batch B [--count N]   IMSIs of a batch join the pool", c_ipool_add, 1},
    {"threshold", NULL, "threshold sponsor|product NAME [--profiles N] [--imsis N]   stock alerts below N", c_threshold, 1},
    {"generate", NULL, "generate --pool P --batch B1 [--batch B2...] --count N --out DIR\n"
		       "      --key-file F --key-label L [--cards] [--compiler PATH]   position i from the i-th --batch", c_generate, 1},
    {"export", NULL, "export --generation N --out DIR --key-file F --key-label L [--cards]   the files again", c_export, 1},
    {"assign", NULL, "assign ACCOUNT (--iccid I | --product P | --pool P)", c_assign, 1},
    {"swap", NULL, "swap ACCOUNT (--iccid I | --product P | --pool P) [--from OLD]   dispose old, assign new", c_assign, 1},
    {"dispose", NULL, "dispose ICCID...                       its IMSIs go on hold (one transaction)", c_dispose, 1},
    {"reserve", NULL, "reserve ICCID --position N --ipool P   an IMSI for an OTA swap (on hold for the account first)", c_dynamic, 1},
    {"commit", NULL, "commit ICCID --position N              PoR received: reserved -> embedded, old -> hold", c_dynamic, 1},
    {"release", NULL, "release ICCID --position N             the OTA swap failed: undo the reservation", c_dynamic, 1},
    {"embed", NULL, "embed ICCID --position N --ipool P     reserve + commit", c_dynamic, 1},
    {"unembed", NULL, "unembed ICCID --position N             the IMSI leaves the profile (hold)", c_dynamic, 1},
    {"plan-swap", NULL, "plan-swap EVENT.json [--min-stay H] [--stay H] [--ota-cost MONEY] [--gb-per-day GB]\n"
			"      [--ota-keys F --kvn N --counters F --base DIR [--bank A|B] [--bank-holds D] [--key-file F]\n"
			"      [--keep-set DIR]]  a location event: keep, or reserve an IMSI and print the HSS events\n"
			"      and OTA packets (the set they carry into DIR: the next --base once the PoR confirms it)", c_plan_swap, 1},
    {"swap-por", NULL, "swap-por ICCID --position N --por HEX [--spi2 XX] [--ota-keys F --kvn N]\n"
		       "      the PoR: commit (status 00) or release (an error)", c_swap_end, 1},
    {"swap-timeout", NULL, "swap-timeout ICCID --position N        no PoR in time: release, undo events", c_swap_end, 1},
    {"recycle", NULL, "recycle                                end the holds due at --at", c_recycle, 1},
    {"stock", NULL, "stock                                  per sponsor and product; exit 1 when below a threshold", c_stock, 1},
    {"audit", NULL, "audit IMSI [--history]                 who had the IMSI at --at (or ever)", c_audit, 1},
    {"show", NULL, "show ICCID                             a profile, its IMSIs, its wrapped keys", c_show, 1},
    {"list", NULL, "list sponsors|batches|pools|products|ipools|holds|keys", c_list, 1},
    {NULL, NULL, NULL, NULL, 0}};

static const struct cmd *find_cmd(const struct cli *o)
{
	const struct cmd *c;

	if (o->n_pos < 1)
		return NULL;
	for (c = cmds; c->name; c++)
		if (strcmp(c->name, o->pos[0]) == 0 &&
		    (!c->sub || (o->n_pos >= 2 && strcmp(c->sub, o->pos[1]) == 0)))
			return c;
	return NULL;
}

/* ---- command line ------------------------------------------------------------ */

#define O(field) offsetof(struct cli, field)

static int parse(int argc, char **argv, struct cli *o, struct st_ctx *c)
{
	static const struct {
		const char *name;
		size_t off;
	} vals[] = {{"--db", O(db)},
		    {"--at", O(at)},
		    {"--sponsor", O(sponsor)},
		    {"--range", O(range)},
		    {"--csv", O(csv)},
		    {"--policy", O(policy)},
		    {"--key-file", O(key_file)},
		    {"--key-label", O(key_label)},
		    {"--coverage", O(coverage)},
		    {"--iccid-range", O(iccid_range)},
		    {"--plan", O(plan)},
		    {"--priority", O(priority)},
		    {"--count", O(count)},
		    {"--out", O(out)},
		    {"-o", O(out)},
		    {"--compiler", O(compiler)},
		    {"--pool", O(pool)},
		    {"--product", O(product)},
		    {"--iccid", O(iccid)},
		    {"--from", O(from)},
		    {"--position", O(position)},
		    {"--ipool", O(ipool)},
		    {"--profiles", O(profiles)},
		    {"--imsis", O(imsis)},
		    {"--generation", O(generation)},
		    {"--busy-timeout", O(busy)},
		    {"--min-stay", O(min_stay)},
		    {"--stay", O(stay)},
		    {"--ota-cost", O(ota_cost)},
		    {"--gb-per-day", O(gb_per_day)},
		    {"--por", O(por)},
		    {"--spi2", O(spi2)},
		    {"--ota-keys", O(ota_keys)},
		    {"--kvn", O(kvn)},
		    {"--counters", O(counters)},
		    {"--base", O(base)},
		    {"--bank", O(bank)},
		    {"--bank-holds", O(bank_holds)},
		    {"--keep-set", O(keep_set)}};
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	o->pos = calloc((size_t)argc + 1, sizeof(*o->pos));
	if (!o->pos)
		return st_fail(c, ST_E_SOFTWARE, "out of memory");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int *n_multi = NULL;

		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			o->help = 1;
			continue;
		}
		if (!strcmp(a, "--version")) {
			o->version = 1;
			continue;
		}
		if (!strcmp(a, "--cards")) {
			o->cards = 1;
			continue;
		}
		if (!strcmp(a, "--history")) {
			o->history = 1;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0') {
			o->pos[o->n_pos++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--plmn")) {
			n_multi = &o->n_plmn;
		} else if (!strcmp(a, "--rates")) {
			n_multi = &o->n_rates;
		} else if (!strcmp(a, "--batch")) {
			n_multi = &o->n_batch;
		}
		if (i + 1 >= argc)
			return st_fail(c, ST_E_USAGE, "%s needs a value", a);
		if (n_multi) {
			char **arr = !strcmp(a, "--plmn") ? o->plmn : !strcmp(a, "--rates") ? o->rates
											    : o->batch;
			if (*n_multi >= MULTI_MAX)
				return st_fail(c, ST_E_USAGE, "%s given more than %d times", a,
					       MULTI_MAX);
			arr[(*n_multi)++] = argv[++i];
			continue;
		}
		for (k = 0; k < sizeof(vals) / sizeof(vals[0]); k++)
			if (!strcmp(a, vals[k].name))
				break;
		if (k == sizeof(vals) / sizeof(vals[0]))
			return st_fail(c, ST_E_USAGE, "unknown option %s (see --help)", a);
		*(const char **)((char *)o + vals[k].off) = argv[++i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct st_ctx c;
	struct cli o;
	const struct cmd *cmd;
	int rc = 0;
	int64_t busy = 60000;

	memset(&c, 0, sizeof(c));
	c.out = stdout;
	if (parse(argc, argv, &o, &c) < 0) {
		fprintf(stderr, "mimsi-stock: %s\n", c.err.text);
		return EX_USAGE;
	}
	if (o.version) {
		printf("mimsi-stock %s (schema %d, SQLite %s)\n", ST_VERSION, st_schema_latest(),
		       sqlite3_libversion());
		return 0;
	}
	cmd = find_cmd(&o);
	if (o.help || o.n_pos == 0) {
		usage(o.help ? stdout : stderr, cmd);
		return o.help ? 0 : EX_USAGE;
	}
	if (!cmd) {
		fprintf(stderr, "mimsi-stock: unknown command '%s%s%s' (see --help)\n", o.pos[0],
			o.n_pos > 1 ? " " : "", o.n_pos > 1 ? o.pos[1] : "");
		return EX_USAGE;
	}
	/* the command words are not arguments */
	memmove(o.pos, o.pos + (cmd->sub ? 2 : 1),
		sizeof(o.pos[0]) * (size_t)(o.n_pos - (cmd->sub ? 2 : 1)));
	o.n_pos -= cmd->sub ? 2 : 1;
	c.json = o.json;
	if (o.at && st_time_parse(o.at, &c.at) < 0) {
		fprintf(stderr, "mimsi-stock: --at %s: expected YYYY-MM-DD or "
				"YYYY-MM-DDTHH:MM[:SS][Z] (UTC), or now\n",
			o.at);
		return EX_USAGE;
	}
	if (!o.at)
		st_time_parse("now", &c.at);
	if (o.busy && num(&c, "--busy-timeout", o.busy, 0, 3600000, &busy) < 0) {
		fprintf(stderr, "mimsi-stock: %s\n", c.err.text);
		return EX_USAGE;
	}
	c.busy_ms = (int)busy;
	if (!o.db)
		o.db = getenv("MIMSI_STOCK_DB");
	if (!o.db || !*o.db)
		o.db = "mimsi-stock.db";
	o.cmd = cmd;
	if (st_open(&c, o.db, cmd->needs_db == 2) == 0)
		rc = cmd->fn(&c, &o);
	st_close(&c);
	free(o.pos);
	if (c.err.text[0]) {
		fprintf(stderr, "mimsi-stock: %s\n", c.err.text);
		return st_exit_code(c.err.rc ? c.err.rc : ST_E_SOFTWARE);
	}
	return rc > 0 ? rc : 0;
}
