/* SPDX-License-Identifier: Apache-2.0 */
/* The stock of a dynamic journey, built with libmimsi-stock in a temporary
 * database as an operator would with mimsi-stock (docs/stock.md): sponsors,
 * batches with their K/OPc (wrapped at import by the test stock's transport
 * key), holds, the product, the profile pools (the first one is the
 * profile's, the others bring their sponsors' tariff sheets), one profile
 * generated and assigned, then the dynamic pools. The profile's set is the
 * generation's rules with the profile's IMSIs patched in (the SM-DP+'s
 * work, ld_set_patch_imsi). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_json.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_dyn_int.h"

#define NAMES_MAX 16

/* A file the stock names, beside the stock file (or the data dirs). */
static const char *ref(struct mc_json *p, const char *path, json_t *o, const char *key, char *out, size_t cap)
{
	const char *s = mc_json_str(p, path, o, key, 400, 1);
	char kp[200];

	if (!s)
		return NULL;
	mc_json_path_key(kp, sizeof(kp), path, key);
	if (sim_data_path(p->file, s, out, cap) < 0) {
		mc_json_fail(p, kp, "cannot find \"%s\"", s);
		return NULL;
	}
	return out;
}

/* A library call failed: its message, where in the stock file. */
static int lib_fail(struct mc_json *p, struct dyn_stock *s, const char *path)
{
	return mc_json_fail(p, path, "%s", s->c.err.text[0] ? s->c.err.text : "mimsi-stock failed");
}

static int arr(struct mc_json *p, json_t *o, const char *key, json_t **out, int required)
{
	*out = json_object_get(o, key);
	if (!*out && !required)
		return 0;
	if (!json_is_array(*out) || json_array_size(*out) == 0 || json_array_size(*out) > NAMES_MAX)
		return mc_json_fail(p, key, "expected an array of 1 to %d entries", NAMES_MAX);
	return 0;
}

static int sponsors(struct mc_json *p, struct dyn_stock *s, json_t *root)
{
	static const char *const keys[] = {"name", "plmns", NULL};
	json_t *a, *e, *pl;
	size_t i, k;

	if (arr(p, root, "sponsors", &a, 1) < 0)
		return -1;
	json_array_foreach(a, i, e)
	{
		char ip[64], *plmns[NAMES_MAX];
		const char *name;
		int n = 0;

		mc_json_path_index(ip, sizeof(ip), "sponsors", i);
		if (mc_json_keys(p, ip, e, keys) < 0 || !(name = mc_json_str(p, ip, e, "name", 64, 1)))
			return -1;
		pl = json_object_get(e, "plmns");
		if (!json_is_array(pl) || json_array_size(pl) > NAMES_MAX)
			return mc_json_fail(p, ip, "plmns: an array of \"MCC-MNC\"");
		for (k = 0; k < json_array_size(pl); k++)
			if (!(plmns[n++] = (char *)json_string_value(json_array_get(pl, k))))
				return mc_json_fail(p, ip, "plmns: an array of \"MCC-MNC\"");
		if (st_sponsor_add(&s->c, name, plmns, n) < 0)
			return lib_fail(p, s, ip);
	}
	return 0;
}

static int batches(struct mc_json *p, struct dyn_stock *s, json_t *root)
{
	static const char *const keys[] = {"name", "sponsor", "csv", "policy", NULL};
	json_t *a, *e;
	size_t i;

	if (arr(p, root, "batches", &a, 1) < 0)
		return -1;
	json_array_foreach(a, i, e)
	{
		struct st_batch_import b;
		char ip[64], csv[DYN_PATH];

		memset(&b, 0, sizeof(b));
		mc_json_path_index(ip, sizeof(ip), "batches", i);
		if (mc_json_keys(p, ip, e, keys) < 0 || !(b.name = mc_json_str(p, ip, e, "name", 64, 1)) ||
		    !(b.sponsor = mc_json_str(p, ip, e, "sponsor", 64, 1)) ||
		    !(b.csv = ref(p, ip, e, "csv", csv, sizeof(csv))))
			return -1;
		b.policy = mc_json_str(p, ip, e, "policy", 16, 0);
		b.key = &s->tkey; /* the CSV's K/OPc are wrapped at once */
		if (st_batch_import(&s->c, &b) < 0)
			return lib_fail(p, s, ip);
	}
	return 0;
}

static int holds(struct mc_json *p, struct dyn_stock *s, json_t *root)
{
	static const char *const keys[] = {"mcc", "days", NULL};
	json_t *a, *e;
	size_t i;

	if (arr(p, root, "holds", &a, 0) < 0 || !a)
		return mc_json_failed(p) ? -1 : 0;
	json_array_foreach(a, i, e)
	{
		const char *mcc;
		char ip[64];
		long days;

		mc_json_path_index(ip, sizeof(ip), "holds", i);
		if (mc_json_keys(p, ip, e, keys) < 0 || !(mcc = mc_json_str(p, ip, e, "mcc", 4, 1)) ||
		    mc_json_int(p, ip, e, "days", &days, 0, 3650, 1) < 0)
			return -1;
		if (st_hold_set(&s->c, mcc, days) < 0)
			return lib_fail(p, s, ip);
	}
	return 0;
}

/* The pools; the first one is the profile's and is linked to the product. */
static int pools(struct mc_json *p, struct dyn_stock *s, json_t *root, const char *product, char *first,
		 size_t cap)
{
	static const char *const keys[] = {"name", "iccid_range", "plan", "rates", NULL};
	json_t *a, *e, *r;
	size_t i, k;

	if (arr(p, root, "pools", &a, 1) < 0)
		return -1;
	json_array_foreach(a, i, e)
	{
		static char paths[NAMES_MAX][DYN_PATH];
		char ip[64], plan[DYN_PATH], *rates[NAMES_MAX];
		const char *name, *range;
		int n = 0;

		mc_json_path_index(ip, sizeof(ip), "pools", i);
		if (mc_json_keys(p, ip, e, keys) < 0 || !(name = mc_json_str(p, ip, e, "name", 64, 1)) ||
		    !(range = mc_json_str(p, ip, e, "iccid_range", 64, 1)) ||
		    !ref(p, ip, e, "plan", plan, sizeof(plan)))
			return -1;
		r = json_object_get(e, "rates");
		if (!json_is_array(r) || json_array_size(r) == 0 || json_array_size(r) > NAMES_MAX)
			return mc_json_fail(p, ip, "rates: an array of rate sheets (CSV)");
		for (k = 0; k < json_array_size(r); k++) {
			const char *f = json_string_value(json_array_get(r, k));

			if (!f || sim_data_path(p->file, f, paths[k], DYN_PATH) < 0)
				return mc_json_fail(p, ip, "rates[%zu]: cannot find the sheet", k);
			rates[n++] = paths[k];
		}
		if (st_pool_create(&s->c, name, range, plan, rates, n) < 0 ||
		    (i == 0 && st_pool_link(&s->c, name, product, 1, 0) < 0))
			return lib_fail(p, s, ip);
		if (i == 0)
			snprintf(first, cap, "%s", name);
	}
	return 0;
}

/* mimsi-compile for the generation: $MIMSI_COMPILE, else beside this
 * program (build/ or PREFIX/bin), else two levels up (a test or benchmark
 * in build/simulator/tests/), else the library's own search (PATH). */
static const char *compiler(char *buf, size_t cap)
{
	static const char *const rel[] = {"/mimsi-compile", "/../../mimsi-compile"};
	const char *env = getenv("MIMSI_COMPILE");
	ssize_t n;
	char *slash;
	size_t i;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", buf, cap - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	n = slash - buf;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		buf[n] = '\0';
		if ((size_t)n + strlen(rel[i]) < cap) {
			strcat(buf, rel[i]);
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return NULL;
}

/* One profile of the first pool, from the batches in position order. */
static int profile(struct mc_json *p, struct dyn_stock *s, json_t *root, const char *pool, const char *product)
{
	static const char *const keys[] = {"account", "batches", "others", NULL};
	json_t *o = json_object_get(root, "profile"), *b, *show, *im;
	struct st_gen_opts g;
	struct st_gen_result r;
	char exe[DYN_PATH];
	char *names[ST_MAX_POSITIONS], ld_err[200];
	const char *account;
	size_t i;

	if (!json_is_object(o))
		return mc_json_fail(p, "profile", "expected an object");
	if (mc_json_keys(p, "profile", o, keys) < 0 || !(account = mc_json_str(p, "profile", o, "account", 64, 1)))
		return -1;
	b = json_object_get(o, "batches");
	if (!json_is_array(b) || json_array_size(b) == 0 || json_array_size(b) > ST_MAX_POSITIONS)
		return mc_json_fail(p, "profile.batches", "an array of 1 to %d batch names", ST_MAX_POSITIONS);
	memset(&g, 0, sizeof(g));
	for (i = 0; i < json_array_size(b); i++)
		if (!(names[i] = (char *)json_string_value(json_array_get(b, i))))
			return mc_json_fail(p, "profile.batches", "batch names");
	g.pool = pool;
	g.batches = names;
	g.k = (int)json_array_size(b);
	g.count = 1 + (long)json_array_size(json_object_get(o, "others"));
	g.out_dir = s->dir;
	g.key = &s->tkey;
	g.compiler = compiler(exe, sizeof(exe));
	if (st_generate(&s->c, &g, &r) < 0 || st_assign(&s->c, account, NULL, product, NULL, s->iccid) < 0 ||
	    st_show(&s->c, s->iccid, &show) < 0)
		return lib_fail(p, s, "profile");
	json_array_foreach(json_object_get(show, "imsis"), i, im)
	{
		int pos = (int)json_integer_value(json_object_get(im, "position"));

		if (pos >= 1 && pos <= ST_MAX_POSITIONS) {
			snprintf(s->imsi[pos - 1], sizeof(s->imsi[0]), "%s",
				 json_string_value(json_object_get(im, "imsi")));
			if (pos > s->n_pos)
				s->n_pos = pos;
		}
	}
	json_decref(show);
	if (!r.rules_dir[0])
		return mc_json_fail(p, "pools[0]", "the profile's pool has no plan: no rule set for the card");
	/* the SM-DP+ patches each profile's IMSIs into the generation's set */
	snprintf(s->rules, sizeof(s->rules), "%s/profile-set", s->dir);
	if (sim_setup_set_imsis(r.rules_dir, s->n_pos, (const char(*)[16])s->imsi, 0, s->rules, ld_err,
				sizeof(ld_err)) < 0)
		return mc_json_fail(p, "profile", "the profile's set: %s", ld_err);
	return 0;
}

/* The dynamic pools; then other subscribers of the product take IMSIs of
 * them (profile.others: a pool that runs empty, use case 2.6). */
static int ipools(struct mc_json *p, struct dyn_stock *s, json_t *root, const char *product)
{
	static const char *const keys[] = {"name", "batch", "count", NULL};
	static const char *const okeys[] = {"account", "embed", NULL};
	json_t *a, *e, *others = json_object_get(json_object_get(root, "profile"), "others");
	size_t i;

	if (arr(p, root, "ipools", &a, 1) < 0)
		return -1;
	json_array_foreach(a, i, e)
	{
		const char *name, *batch;
		char ip[64];
		long count = 0;

		mc_json_path_index(ip, sizeof(ip), "ipools", i);
		if (mc_json_keys(p, ip, e, keys) < 0 || !(name = mc_json_str(p, ip, e, "name", 64, 1)) ||
		    !(batch = mc_json_str(p, ip, e, "batch", 64, 1)) ||
		    mc_json_int(p, ip, e, "count", &count, 1, 100000000, 0) < 0)
			return -1;
		if (st_ipool_create(&s->c, name) < 0 || st_ipool_link(&s->c, name, product, 0) < 0 ||
		    st_ipool_add(&s->c, name, batch, count) < 0)
			return lib_fail(p, s, ip);
	}
	if (others && (!json_is_array(others) || json_array_size(others) > NAMES_MAX))
		return mc_json_fail(p, "profile.others", "an array of {\"account\", \"embed\"}");
	json_array_foreach(others, i, e)
	{
		const char *acc, *pool;
		char ip[64], iccid[24], imsi[16];

		mc_json_path_index(ip, sizeof(ip), "profile.others", i);
		if (mc_json_keys(p, ip, e, okeys) < 0 || !(acc = mc_json_str(p, ip, e, "account", 64, 1)) ||
		    !(pool = mc_json_str(p, ip, e, "embed", 64, 1)))
			return -1;
		if (st_assign(&s->c, acc, NULL, product, NULL, iccid) < 0 ||
		    st_embed(&s->c, iccid, s->n_pos, pool, imsi) < 0)
			return lib_fail(p, s, ip);
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int build(struct mc_json *p, struct dyn_stock *s, json_t *root)
{
	static const char *const keys[] = {"description", "at",	     "transport_key", "key_label",
					   "ota_keys",	  "kvn",     "sponsors",      "batches",
					   "holds",	  "product", "pools",	      "profile",
					   "ipools",	  NULL};
	const char *at, *label, *product;
	char key[DYN_PATH], db[DYN_PATH + 16], pool[64];
	long kvn = 1;

	if (mc_json_keys(p, "", root, keys) < 0 || !(at = mc_json_str(p, "", root, "at", 32, 1)) ||
	    !ref(p, "", root, "transport_key", key, sizeof(key)) ||
	    !(label = mc_json_str(p, "", root, "key_label", 90, 1)) ||
	    !(product = mc_json_str(p, "", root, "product", 64, 1)))
		return -1;
	if (!ref(p, "", root, "ota_keys", s->ota_keys, sizeof(s->ota_keys)) ||
	    mc_json_int(p, "", root, "kvn", &kvn, 1, 15, 0) < 0)
		return -1;
	s->kvn = (unsigned)kvn;
	if (st_time_parse(at, &s->epoch) < 0)
		return mc_json_fail(p, "at", "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z");
	s->c.at = s->epoch;
	snprintf(db, sizeof(db), "%s/stock.db", s->dir);
	if (st_open(&s->c, db, 1) < 0 || st_key_load(&s->c, key, label, &s->tkey) < 0)
		return lib_fail(p, s, "transport_key");
	s->have_key = 1;
	if (st_key_register(&s->c, &s->tkey) < 0)
		return lib_fail(p, s, "transport_key");
	if (sponsors(p, s, root) < 0 || batches(p, s, root) < 0 || holds(p, s, root) < 0)
		return -1;
	if (st_product_add(&s->c, product, NULL) < 0)
		return lib_fail(p, s, "product");
	if (pools(p, s, root, product, pool, sizeof(pool)) < 0 || profile(p, s, root, pool, product) < 0 ||
	    ipools(p, s, root, product) < 0)
		return -1;
	return 0;
}

int dyn_stock_build(struct dyn_stock *s, const char *file, char *err, size_t err_len)
{
	const char *tmp = getenv("TMPDIR");
	struct mc_json p;
	json_t *root;
	char why[200];
	int rc;

	memset(s, 0, sizeof(*s));
	/* a database per run, never in the source tree */
	snprintf(s->dir, sizeof(s->dir), "%s/mimsi-dyn.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		snprintf(err, err_len, "%s: cannot create a temporary directory", s->dir);
		s->dir[0] = '\0';
		return -1;
	}
	snprintf(s->counters, sizeof(s->counters), "%s/counters.json", s->dir);
	s->devnull = fopen("/dev/null", "w");
	s->c.out = s->devnull;
	s->c.json = 1;
	s->c.busy_ms = 5000;
	mc_json_init(&p, file, err, err_len);
	root = mc_json_load_file(&p, file);
	if (!root || !s->devnull)
		return -1;
	rc = build(&p, s, root);
	json_decref(root);
	if (rc < 0 || mc_json_failed(&p))
		return -1;
	s->n_imsis = dyn_stock_count(s, why, sizeof(why));
	if (s->n_imsis < 0) {
		snprintf(err, err_len, "%s: %s", file, why);
		return -1;
	}
	return 0;
}

int64_t dyn_stock_count(struct dyn_stock *s, char *why, size_t cap)
{
	int64_t n = 0, bad = 0;

	/* every IMSI in exactly one state, consistent with its rows: reserved
	 * ones name their profile, embedded ones have exactly one open embedding */
	if (st_get_i64(&s->c, &bad,
		       "SELECT count(*) FROM imsi i WHERE (i.state = 'reserved') != (i.reserved_profile IS NOT "
		       "NULL) OR (i.state = 'embedded') != ((SELECT count(*) FROM embedding e WHERE "
		       "e.imsi_id = i.id AND e.to_at IS NULL) = 1) OR (SELECT count(*) FROM embedding e WHERE "
		       "e.imsi_id = i.id AND e.to_at IS NULL) > 1",
		       "") < 0 ||
	    st_get_i64(&s->c, &n,
		       "SELECT count(*) FROM imsi WHERE state IN ('available', 'reserved', 'embedded', 'hold')",
		       "") < 0) {
		snprintf(why, cap, "inventory unreadable: %s", s->c.err.text);
		return -1;
	}
	if (bad) {
		snprintf(why, cap, "%lld IMSIs in an inconsistent state", (long long)bad);
		return -1;
	}
	return n;
}

void dyn_stock_free(struct dyn_stock *s)
{
	if (s->have_key)
		st_key_wipe(&s->tkey);
	if (s->c.db)
		st_close(&s->c);
	if (s->devnull)
		fclose(s->devnull);
	if (s->dir[0])
		nftw(s->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	memset(s, 0, sizeof(*s));
}
