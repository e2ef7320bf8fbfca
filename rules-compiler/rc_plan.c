/* SPDX-License-Identifier: Apache-2.0 */
/* The plan: strict JSON (jansson, duplicate keys rejected, unknown keys
 * rejected). Amounts are strings ("1.01") or integers, never JSON reals:
 * a real would already have passed through binary floating point. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "rc.h"

struct pctx {
	const char *file;
	rc_error_t *err;
	struct mc_json j; /* writes into err->text: one first error for both */
};

#define PATH_MAX_LEN MC_JSON_PATH_MAX

/* JSON paths are bounded: a longer one is cut, never overflowed. */
static void pathf(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pathf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

/* A string, with its path in \a sub for the caller's own checks. */
static const char *get_str(struct pctx *c, json_t *obj, const char *key, const char *path,
			   int required, char *sub)
{
	mc_json_path_key(sub, PATH_MAX_LEN, path, key);
	return mc_json_str(&c->j, path, obj, key, 0, required);
}

/* An amount: "0.92" or an integer. */
static int get_money(struct pctx *c, json_t *v, const char *sub, int64_t *out)
{
	char why[160], buf[32];

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	} else if (json_is_string(v)) {
		snprintf(buf, sizeof(buf), "%s", json_string_value(v));
	} else if (json_is_real(v)) {
		rc_err_path(c->err, c->file, sub,
			    "write amounts as strings, e.g. \"0.92\" (a JSON real is binary "
			    "floating point)");
		return -1;
	} else {
		rc_err_path(c->err, c->file, sub, "must be a decimal string like \"0.92\"");
		return -1;
	}
	if (rc_money_parse(buf, out, why, sizeof(why)) < 0) {
		rc_err_path(c->err, c->file, sub, "%s", why);
		return -1;
	}
	return 0;
}

static int valid_date(const char *s)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int i, y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int get_currency(struct pctx *c, json_t *obj, const char *key, const char *path, char out[4])
{
	char sub[PATH_MAX_LEN];
	const char *s = get_str(c, obj, key, path, 1, sub);

	if (!s)
		return -1;
	if (!rc_currency_known(s)) {
		rc_err_path(c->err, c->file, sub, "unknown currency '%s' (ISO 4217 code expected)",
			    s);
		return -1;
	}
	memcpy(out, s, 4);
	return 0;
}

static int get_plmn(struct pctx *c, json_t *obj, const char *key, const char *path,
		    struct mi_plmn *p)
{
	char sub[PATH_MAX_LEN], why[128];
	const char *s = get_str(c, obj, key, path, 1, sub);

	if (!s)
		return -1;
	if (rc_plmn_text(s, p, why, sizeof(why)) < 0) {
		rc_err_path(c->err, c->file, sub, "%s", why);
		return -1;
	}
	return 0;
}

/* "ehplmn": ["262-01", "262-02"]: the slot's equivalent home PLMNs, highest
 * priority first (TS 31.102 §4.2.84, TS 23.122 §4.4.3); absent or empty:
 * a switch to the slot clears EF_EHPLMN and home is the IMSI's PLMN. */
static int parse_ehplmn(struct pctx *c, json_t *e, const char *path, struct rc_slot *s)
{
	char sub[PATH_MAX_LEN], ip[PATH_MAX_LEN], why[128];
	json_t *arr = json_object_get(e, "ehplmn"), *v;
	size_t i;
	int k;

	if (!arr)
		return 0;
	pathf(sub, sizeof(sub), "%s.ehplmn", path);
	if (!json_is_array(arr) || json_array_size(arr) > MI_MAX_EHPLMN) {
		rc_err_path(c->err, c->file, sub, "must be an array of at most %u \"MCC-MNC\"",
			    MI_MAX_EHPLMN);
		return -1;
	}
	json_array_foreach(arr, i, v)
	{
		pathf(ip, sizeof(ip), "%s[%zu]", sub, i);
		if (!json_is_string(v) ||
		    rc_plmn_text(json_string_value(v), &s->ehplmn[i], why, sizeof(why)) < 0) {
			rc_err_path(c->err, c->file, ip, "%s",
				    json_is_string(v) ? why : "must be a string \"MCC-MNC\"");
			return -1;
		}
		for (k = 0; k < (int)i; k++)
			if (mi_plmn_equal(&s->ehplmn[k], &s->ehplmn[i])) {
				rc_err_path(c->err, c->file, ip, "%s is listed twice",
					    json_string_value(v));
				return -1;
			}
	}
	s->n_ehplmn = (int)json_array_size(arr);
	return 0;
}

static int parse_fx(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	static const char *const keys[] = {"currency", "date", "rate", NULL};
	size_t i;
	json_t *e;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.fx", "must be an array");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
		struct rc_fx *fx = &plan->fx[plan->n_fx];
		const char *date;
		json_t *rate;
		int k;

		pathf(path, sizeof(path), "$.fx[%zu]", i);
		if (plan->n_fx == RC_MAX_FX) {
			rc_err_path(c->err, c->file, path, "more than %d FX rates", RC_MAX_FX);
			return -1;
		}
		if (!json_is_object(e)) {
			rc_err_path(c->err, c->file, path, "must be an object");
			return -1;
		}
		if (mc_json_keys(&c->j, path, e, keys) < 0 ||
		    get_currency(c, e, "currency", path, fx->currency) < 0)
			return -1;
		date = get_str(c, e, "date", path, 1, sub);
		if (!date)
			return -1;
		if (!valid_date(date)) {
			rc_err_path(c->err, c->file, sub, "date '%s' must be YYYY-MM-DD", date);
			return -1;
		}
		memcpy(fx->date, date, 11);
		rate = mc_json_get(&c->j, path, e, "rate", 1, sub);
		if (!rate || get_money(c, rate, sub, &fx->rate) < 0)
			return -1;
		if (fx->rate == 0) {
			rc_err_path(c->err, c->file, sub, "an FX rate of 0 is not a rate");
			return -1;
		}
		for (k = 0; k < plan->n_fx; k++)
			if (strcmp(plan->fx[k].currency, fx->currency) == 0 &&
			    strcmp(plan->fx[k].date, fx->date) == 0) {
				rc_err_path(c->err, c->file, path, "a second %s rate for %s",
					    fx->currency, fx->date);
				return -1;
			}
		plan->n_fx++;
	}
	return 0;
}

static int imsi_check(struct pctx *c, const char *s, const char *sub)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9') {
			rc_err_path(c->err, c->file, sub,
				    "IMSI '%s' has a non-digit at position %zu", s, i + 1);
			return -1;
		}
	if (n < MI_IMSI_MIN_DIGITS || n > MI_IMSI_MAX_DIGITS) { /* TS 23.003 §2.2 */
		rc_err_path(c->err, c->file, sub, "IMSI '%s' has %zu digits, must be %u..%u", s, n,
			    MI_IMSI_MIN_DIGITS, MI_IMSI_MAX_DIGITS);
		return -1;
	}
	return 0;
}

static int parse_slot(struct pctx *c, json_t *e, const char *path, struct rc_slot *s)
{
	static const char *const keys[] = {"index",    "sponsor", "imsi",	"imsi_range",
					   "home",     "bootstrap", "disabled", "keyset",
					   "mnc_len",  "ehplmn",    NULL};
	char sub[PATH_MAX_LEN];
	const char *v;
	json_t *range;
	long x;

	memset(s, 0, sizeof(*s));
	if (!json_is_object(e)) {
		rc_err_path(c->err, c->file, path, "must be an object");
		return -1;
	}
	if (mc_json_keys(&c->j, path, e, keys) < 0)
		return -1;
	if (mc_json_int(&c->j, path, e, "index", &x, 1, MI_MAX_SLOTS, 1) < 0)
		return -1;
	s->index = (int)x;
	v = get_str(c, e, "sponsor", path, 1, sub);
	if (!v)
		return -1;
	if (!*v || strlen(v) >= RC_NAME_MAX) {
		rc_err_path(c->err, c->file, sub, "sponsor must be 1..%d characters",
			    RC_NAME_MAX - 1);
		return -1;
	}
	strcpy(s->sponsor, v);
	range = json_object_get(e, "imsi_range");
	if (range && json_object_get(e, "imsi")) {
		rc_err_path(c->err, c->file, path, "give 'imsi' or 'imsi_range', not both");
		return -1;
	}
	if (range) {
		static const char *const rkeys[] = {"first", "last", NULL};
		char rpath[PATH_MAX_LEN];
		const char *first, *last;

		pathf(rpath, sizeof(rpath), "%s.imsi_range", path);
		if (!json_is_object(range)) {
			rc_err_path(c->err, c->file, rpath, "must be an object {first, last}");
			return -1;
		}
		if (mc_json_keys(&c->j, rpath, range, rkeys) < 0)
			return -1;
		first = get_str(c, range, "first", rpath, 1, sub);
		if (!first || imsi_check(c, first, sub) < 0)
			return -1;
		last = get_str(c, range, "last", rpath, 1, sub);
		if (!last || imsi_check(c, last, sub) < 0)
			return -1;
		if (strlen(first) != strlen(last) || strcmp(first, last) > 0) {
			rc_err_path(c->err, c->file, rpath,
				    "last must have as many digits as first and not be below it");
			return -1;
		}
		strcpy(s->imsi, first);
		strcpy(s->imsi_last, last);
	} else {
		v = get_str(c, e, "imsi", path, 1, sub);
		if (!v || imsi_check(c, v, sub) < 0)
			return -1;
		strcpy(s->imsi, v);
	}
	if (mc_json_bool(&c->j, path, e, "home", &s->home, 0) < 0 ||
	    mc_json_bool(&c->j, path, e, "bootstrap", &s->bootstrap, 0) < 0 ||
	    mc_json_bool(&c->j, path, e, "disabled", &s->disabled, 0) < 0)
		return -1;
	x = s->index;
	if (mc_json_int(&c->j, path, e, "keyset", &x, 0, 255, 0) < 0)
		return -1;
	s->keyset = (int)x;
	s->plmn.mcc =
	    (mi_u16)((s->imsi[0] - '0') * 100 + (s->imsi[1] - '0') * 10 + (s->imsi[2] - '0'));
	x = rc_mcc_mnc3(s->plmn.mcc) ? 3 : 2; /* derived: ITU-T E.212 MNC lengths */
	if (mc_json_int(&c->j, path, e, "mnc_len", &x, 2, 3, 0) < 0)
		return -1;
	s->mnc_len = (int)x;
	s->plmn.mnc_digits = (mi_u8)x;
	s->plmn.mnc = (mi_u16)((s->imsi[3] - '0') * 10 + (s->imsi[4] - '0'));
	if (x == 3)
		s->plmn.mnc = (mi_u16)(s->plmn.mnc * 10 + (s->imsi[5] - '0'));
	return parse_ehplmn(c, e, path, s);
}

static int parse_slots(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	size_t i;
	json_t *e;
	int seen_home = -1, k;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.slots", "must be an array");
		return -1;
	}
	if (json_array_size(arr) == 0) {
		rc_err_path(c->err, c->file, "$.slots", "no slots: a plan needs at least one IMSI");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN];
		struct rc_slot s;
		int at;

		pathf(path, sizeof(path), "$.slots[%zu]", i);
		if (plan->n_slots == (int)MI_MAX_SLOTS) {
			rc_err_path(c->err, c->file, path, "more than %u slots", MI_MAX_SLOTS);
			return -1;
		}
		if (parse_slot(c, e, path, &s) < 0)
			return -1;
		s.json_index = (int)i;
		for (k = 0; k < plan->n_slots; k++)
			if (plan->slots[k].index == s.index) {
				rc_err_path(c->err, c->file, path, "slot index %d used twice",
					    s.index);
				return -1;
			}
		if (s.home) {
			if (seen_home >= 0) {
				rc_err_path(c->err, c->file, path,
					    "two home slots (slot %d is already home)", seen_home);
				return -1;
			}
			seen_home = s.index;
		}
		/* keep slots sorted by index */
		for (at = plan->n_slots; at > 0 && plan->slots[at - 1].index > s.index; at--)
			plan->slots[at] = plan->slots[at - 1];
		plan->slots[at] = s;
		plan->n_slots++;
	}
	/* sponsor ids: 1.. in order of first appearance by slot index */
	for (k = 0; k < plan->n_slots; k++) {
		int j;

		plan->slots[k].sponsor_id = 0;
		for (j = 0; j < k; j++)
			if (strcmp(plan->slots[j].sponsor, plan->slots[k].sponsor) == 0)
				plan->slots[k].sponsor_id = plan->slots[j].sponsor_id;
		if (!plan->slots[k].sponsor_id)
			plan->slots[k].sponsor_id = ++plan->n_sponsors;
	}
	return 0;
}

static int parse_coverage(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	size_t i;
	json_t *e;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.coverage", "must be an array of E212 codes");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN], why[128], buf[16];
		struct rc_cov *cv = &plan->cov[plan->n_cov];
		const char *s;

		pathf(path, sizeof(path), "$.coverage[%zu]", i);
		if (plan->n_cov == RC_MAX_COV) {
			rc_err_path(c->err, c->file, path, "more than %d coverage codes",
				    RC_MAX_COV);
			return -1;
		}
		if (!json_is_string(e) || strncmp(json_string_value(e), "E212-", 5) != 0) {
			rc_err_path(c->err, c->file, path,
				    "must be an E212 code like \"E212-262-01\" or \"E212-262\"");
			return -1;
		}
		s = json_string_value(e) + 5;
		if (strlen(s) == 3) {
			snprintf(buf, sizeof(buf), "%s-00", s);
			if (rc_plmn_text(buf, &cv->plmn, why, sizeof(why)) < 0) {
				rc_err_path(c->err, c->file, path, "MCC in '%s' must be 3 digits",
					    json_string_value(e));
				return -1;
			}
			cv->plmn.mnc = 0;
			cv->exact = 0;
		} else {
			if (rc_plmn_text(s, &cv->plmn, why, sizeof(why)) < 0) {
				rc_err_path(c->err, c->file, path, "%s", why);
				return -1;
			}
			cv->exact = 1;
		}
		plan->n_cov++;
	}
	return 0;
}

static int slot_list(struct pctx *c, json_t *o, const char *key, const char *path,
		     const struct rc_plan *plan, mi_u8 *out, int *n)
{
	char sub[PATH_MAX_LEN];
	json_t *arr = mc_json_get(&c->j, path, o, key, 0, sub), *e;
	size_t i;

	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, sub, "must be an array of slot numbers");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char ep[PATH_MAX_LEN];
		long long s;
		int k;

		pathf(ep, sizeof(ep), "%s[%zu]", sub, i);
		if (!json_is_integer(e)) {
			rc_err_path(c->err, c->file, ep, "must be a slot number");
			return -1;
		}
		s = json_integer_value(e);
		if (s < 1 || s > MI_MAX_SLOTS || rc_plan_slot(plan, (int)s) < 0) {
			rc_err_path(c->err, c->file, ep, "slot %lld is not a slot of this plan", s);
			return -1;
		}
		for (k = 0; k < *n; k++)
			if (out[k] == s) {
				rc_err_path(c->err, c->file, ep, "slot %lld listed twice", s);
				return -1;
			}
		out[(*n)++] = (mi_u8)s;
	}
	return 1;
}

static int parse_overrides(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	static const char *const keys[] = {"mcc",   "plmn",    "local_only", "forbid",
					   "order", "comment", NULL};
	size_t i;
	json_t *e;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.overrides", "must be an array");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN], sub[PATH_MAX_LEN], why[128], buf[16];
		struct rc_override *o = &plan->ovr[plan->n_ovr];
		mi_u8 forbid[MI_MAX_SLOTS];
		int nf, k;
		const char *mcc;

		pathf(path, sizeof(path), "$.overrides[%zu]", i);
		if (plan->n_ovr == RC_MAX_OVR) {
			rc_err_path(c->err, c->file, path, "more than %d overrides", RC_MAX_OVR);
			return -1;
		}
		memset(o, 0, sizeof(*o));
		if (!json_is_object(e)) {
			rc_err_path(c->err, c->file, path, "must be an object");
			return -1;
		}
		if (mc_json_keys(&c->j, path, e, keys) < 0)
			return -1;
		pathf(o->path, sizeof(o->path), "%s", path);
		if (json_object_get(e, "mcc") && json_object_get(e, "plmn")) {
			rc_err_path(c->err, c->file, path, "give 'mcc' or 'plmn', not both");
			return -1;
		}
		if (json_object_get(e, "plmn")) {
			if (get_plmn(c, e, "plmn", path, &o->plmn) < 0)
				return -1;
			o->exact = 1;
		} else {
			mcc = get_str(c, e, "mcc", path, 1, sub);
			if (!mcc)
				return -1;
			snprintf(buf, sizeof(buf), "%s-00", mcc);
			if (strlen(mcc) != 3 || rc_plmn_text(buf, &o->plmn, why, sizeof(why)) < 0) {
				rc_err_path(c->err, c->file, sub, "MCC '%s' must be 3 digits", mcc);
				return -1;
			}
		}
		if (mc_json_bool(&c->j, path, e, "local_only", &o->local_only, 0) < 0 ||
		    slot_list(c, e, "forbid", path, plan, forbid, &nf) < 0 ||
		    slot_list(c, e, "order", path, plan, o->order, &o->n_order) < 0)
			return -1;
		for (k = 0; k < nf; k++)
			o->forbid = (mi_u16)(o->forbid | (1u << (forbid[k] - 1)));
		if (!o->local_only && !nf && !o->n_order) {
			rc_err_path(c->err, c->file, path,
				    "an override needs local_only, forbid or order");
			return -1;
		}
		plan->n_ovr++;
	}
	return 0;
}

static int parse_prefs(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	static const char *const keys[] = {"plmn", "level", "sponsor", NULL};
	size_t i;
	json_t *e;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.preferences", "must be an array");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
		struct rc_pref *p = &plan->pref[plan->n_pref];
		const char *lv, *sp;
		int k;

		pathf(path, sizeof(path), "$.preferences[%zu]", i);
		if (plan->n_pref == RC_MAX_PREF) {
			rc_err_path(c->err, c->file, path, "more than %d preferences", RC_MAX_PREF);
			return -1;
		}
		memset(p, 0, sizeof(*p));
		if (!json_is_object(e)) {
			rc_err_path(c->err, c->file, path, "must be an object");
			return -1;
		}
		if (mc_json_keys(&c->j, path, e, keys) < 0 || get_plmn(c, e, "plmn", path, &p->plmn) < 0)
			return -1;
		lv = get_str(c, e, "level", path, 1, sub);
		if (!lv)
			return -1;
		if (strcmp(lv, "high") == 0)
			p->level = RC_LEVEL_HIGH;
		else if (strcmp(lv, "medium") == 0)
			p->level = RC_LEVEL_MEDIUM;
		else if (strcmp(lv, "low") == 0)
			p->level = RC_LEVEL_LOW;
		else {
			rc_err_path(c->err, c->file, sub, "level '%s' must be high, medium or low",
				    lv);
			return -1;
		}
		sp = get_str(c, e, "sponsor", path, 0, sub);
		if (rc_err_isset(c->err))
			return -1;
		if (sp) {
			for (k = 0; k < plan->n_slots; k++)
				if (strcmp(plan->slots[k].sponsor, sp) == 0)
					break;
			if (k == plan->n_slots) {
				rc_err_path(c->err, c->file, sub,
					    "unknown sponsor '%s' (not in any slot)", sp);
				return -1;
			}
			snprintf(p->sponsor, sizeof(p->sponsor), "%s", sp);
		}
		for (k = 0; k < plan->n_pref; k++)
			if (mi_plmn_equal(&plan->pref[k].plmn, &p->plmn) &&
			    strcmp(plan->pref[k].sponsor, p->sponsor) == 0) {
				rc_err_path(c->err, c->file, path,
					    "a second preference for this PLMN");
				return -1;
			}
		plan->n_pref++;
	}
	return 0;
}

static int parse_act(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		rc_err_path(c->err, c->file, "$.act",
			    "must be a non-empty array of eutran, utran, gsm, ngran");
		return -1;
	}
	plan->act = 0;
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN];
		const char *s = json_is_string(e) ? json_string_value(e) : "";

		pathf(path, sizeof(path), "$.act[%zu]", i);
		/* TS 31.102 §4.2.5 access technology bits */
		if (strcmp(s, "eutran") == 0)
			plan->act |= MI_ACT_EUTRAN;
		else if (strcmp(s, "utran") == 0)
			plan->act |= MI_ACT_UTRAN;
		else if (strcmp(s, "gsm") == 0)
			plan->act |= MI_ACT_GSM;
		else if (strcmp(s, "ngran") == 0)
			plan->act |= MI_ACT_NGRAN;
		else {
			rc_err_path(c->err, c->file, path, "must be eutran, utran, gsm or ngran");
			return -1;
		}
	}
	return 0;
}

static int refresh_mode(const char *s)
{
	/* TS 102 223 §8.6 command qualifiers of REFRESH */
	if (strcmp(s, "naa-init-full-fcn") == 0)
		return 0x00;
	if (strcmp(s, "naa-init-fcn") == 0)
		return 0x02;
	if (strcmp(s, "naa-init") == 0)
		return 0x03;
	if (strcmp(s, "uicc-reset") == 0)
		return 0x04;
	return -1;
}

/* "refresh_fallback": one mode, "none", or a list of up to three modes tried
 * in order after "refresh" when the terminal answers 30/31/32. */
static int parse_fallbacks(struct pctx *c, json_t *o, const char *path, struct mi_cfg *cfg)
{
	mi_u8 q[MI_REFRESH_FALLBACKS];
	char sub[PATH_MAX_LEN], ip[PATH_MAX_LEN];
	json_t *v = json_object_get(o, "refresh_fallback"), *e;
	const char *m;
	size_t i, n;
	int k;

	if (!v)
		return 0;
	pathf(sub, sizeof(sub), "%s.refresh_fallback", path);
	if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
		n = 0;
	} else if (json_is_string(v) || (json_is_array(v) && json_array_size(v) >= 1 &&
					  json_array_size(v) <= MI_REFRESH_FALLBACKS)) {
		n = json_is_string(v) ? 1 : json_array_size(v);
		for (i = 0; i < n; i++) {
			e = json_is_string(v) ? v : json_array_get(v, i);
			if (json_is_string(v))
				snprintf(ip, sizeof(ip), "%s", sub);
			else
				pathf(ip, sizeof(ip), "%s[%zu]", sub, i);
			m = json_is_string(e) ? json_string_value(e) : "";
			k = refresh_mode(m);
			if (k < 0) {
				rc_err_path(c->err, c->file, ip,
					    "'%s': use uicc-reset, naa-init, naa-init-fcn or "
					    "naa-init-full-fcn",
					    m);
				return -1;
			}
			q[i] = (mi_u8)k;
		}
	} else {
		rc_err_path(c->err, c->file, sub,
			    "must be none, a REFRESH mode, or a list of 1 to %u modes",
			    MI_REFRESH_FALLBACKS);
		return -1;
	}
	cfg->refresh_fallback = n > 0 ? q[0] : 0xFF;
	for (i = 1; i < MI_REFRESH_FALLBACKS; i++)
		cfg->refresh_more[i - 1] = i < n ? q[i] : 0xFF;
	return 0;
}

static int parse_config(struct pctx *c, json_t *o, struct rc_plan *plan)
{
	static const char *const keys[] = {
	    "rotation_s", "min_dwell_s", "reeval_min", "refresh", "refresh_fallback",	   "menu",
	    "failover",	  "return_home", "naive",      "poll_s",  "failover_max_per_hour",
	    "replace_active", NULL};
	static const struct {
		const char *key;
		mi_u8 bit;
	} flags[] = {{"naive", MI_CFG_F_NAIVE},
		     {"menu", MI_CFG_F_MENU},
		     {"failover", MI_CFG_F_FAILOVER},
		     {"return_home", MI_CFG_F_RETURN_HOME}};
	struct mi_cfg *cfg = &plan->cfg;
	const char *path = "$.config", *s;
	char sub[PATH_MAX_LEN];
	long x;
	size_t i;

	if (!json_is_object(o)) {
		rc_err_path(c->err, c->file, path, "must be an object");
		return -1;
	}
	if (mc_json_keys(&c->j, path, o, keys) < 0)
		return -1;
	x = cfg->rotation_s;
	if (mc_json_int(&c->j, path, o, "rotation_s", &x, 1, 65535, 0) < 0)
		return -1;
	cfg->rotation_s = (mi_u16)x;
	x = cfg->min_dwell_s;
	if (mc_json_int(&c->j, path, o, "min_dwell_s", &x, 0, 65535, 0) < 0)
		return -1;
	cfg->min_dwell_s = (mi_u16)x;
	x = cfg->reeval_min;
	if (mc_json_int(&c->j, path, o, "reeval_min", &x, 1, 65535, 0) < 0)
		return -1;
	cfg->reeval_min = (mi_u16)x;
	x = cfg->poll_s;
	if (mc_json_int(&c->j, path, o, "poll_s", &x, 1, 255, 0) < 0)
		return -1;
	cfg->poll_s = (mi_u8)x;
	x = cfg->failover_max_per_hour;
	if (mc_json_int(&c->j, path, o, "failover_max_per_hour", &x, 0, 255, 0) < 0)
		return -1;
	cfg->failover_max_per_hour = (mi_u8)x;
	s = get_str(c, o, "refresh", path, 0, sub);
	if (rc_err_isset(c->err))
		return -1;
	if (s) {
		int q = refresh_mode(s);

		if (q < 0) {
			rc_err_path(
			    c->err, c->file, sub,
			    "'%s': use uicc-reset, naa-init, naa-init-fcn or naa-init-full-fcn", s);
			return -1;
		}
		cfg->refresh_pref = (mi_u8)q;
	}
	if (parse_fallbacks(c, o, path, cfg) < 0)
		return -1;
	s = get_str(c, o, "replace_active", path, 0, sub);
	if (rc_err_isset(c->err))
		return -1;
	if (s && strcmp(s, "refresh") && strcmp(s, "switch")) {
		rc_err_path(c->err, c->file, sub, "'%s': use switch or refresh", s);
		return -1;
	}
	if (s && s[0] == 'r')
		cfg->flags = (mi_u8)(cfg->flags | MI_CFG_F_REPLACE_REFRESH);
	else if (s)
		cfg->flags = (mi_u8)(cfg->flags & ~MI_CFG_F_REPLACE_REFRESH);
	for (i = 0; i < MI_ARRAY_SIZE(flags); i++) {
		int b = -1;

		if (mc_json_bool(&c->j, path, o, flags[i].key, &b, 0) < 0)
			return -1;
		if (b == 1)
			cfg->flags = (mi_u8)(cfg->flags | flags[i].bit);
		else if (b == 0)
			cfg->flags = (mi_u8)(cfg->flags & ~flags[i].bit);
	}
	return 0;
}

static int parse_sizes(struct pctx *c, json_t *o, struct rc_plan *plan)
{
	static const char *const keys[] = {"cfg", "slots", "rules", NULL};
	const char *path = "$.ef_sizes";
	long x;

	if (!json_is_object(o)) {
		rc_err_path(c->err, c->file, path, "must be an object");
		return -1;
	}
	if (mc_json_keys(&c->j, path, o, keys) < 0)
		return -1;
	x = plan->size_cfg;
	if (mc_json_int(&c->j, path, o, "cfg", &x, MI_EF_HDR_LEN + MI_CFG_BODY_LEN, MI_EF_CFG_SIZE, 0) < 0)
		return -1;
	plan->size_cfg = (mi_u16)x;
	x = plan->size_slots;
	if (mc_json_int(&c->j, path, o, "slots", &x, MI_EF_HDR_LEN + 1, 65535, 0) < 0)
		return -1;
	plan->size_slots = (mi_u16)x;
	x = plan->size_rules;
	if (mc_json_int(&c->j, path, o, "rules", &x, MI_EF_HDR_LEN + MI_RULES_FIXED, 65535, 0) < 0)
		return -1;
	plan->size_rules = (mi_u16)x;
	return 0;
}

/* Sponsors of a shared catalog this plan does not use: their rows are
 * skipped (counted in the report); any other unknown sponsor is an error. */
static int parse_ignore(struct pctx *c, json_t *arr, struct rc_plan *plan)
{
	size_t i;
	json_t *e;

	if (!json_is_array(arr)) {
		rc_err_path(c->err, c->file, "$.ignore_sponsors",
			    "must be an array of sponsor names");
		return -1;
	}
	plan->ignore = calloc(json_array_size(arr) + 1, sizeof(*plan->ignore));
	if (!plan->ignore) {
		rc_err_io(c->err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		char path[PATH_MAX_LEN];
		const char *s = json_is_string(e) ? json_string_value(e) : "";
		int k;

		pathf(path, sizeof(path), "$.ignore_sponsors[%zu]", i);
		if (!*s || strlen(s) >= RC_NAME_MAX) {
			rc_err_path(c->err, c->file, path,
				    "must be a sponsor name of 1..%d characters", RC_NAME_MAX - 1);
			return -1;
		}
		for (k = 0; k < plan->n_slots; k++)
			if (strcmp(plan->slots[k].sponsor, s) == 0) {
				rc_err_path(c->err, c->file, path, "sponsor '%s' is in slot %d", s,
					    plan->slots[k].index);
				return -1;
			}
		snprintf(plan->ignore[plan->n_ignore++], RC_NAME_MAX, "%s", s);
	}
	return 0;
}

void rc_plan_free(struct rc_plan *plan)
{
	free(plan->ignore);
	plan->ignore = NULL;
	plan->n_ignore = 0;
}

static void plan_defaults(struct rc_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->seq = 1;
	plan->ceiling = -1;
	plan->act = MI_ACT_EUTRAN | MI_ACT_UTRAN | MI_ACT_GSM;
	plan->pref_depth = MI_MAX_SLOTS;
	plan->oplmn_max = MI_MAX_OPLMN;
	plan->fplmn_max = MI_MAX_FPLMN;
	mi_cfg_defaults(&plan->cfg);
	plan->size_cfg = MI_EF_CFG_SIZE;
	plan->size_slots = MI_EF_SLOTS_SIZE;
	plan->size_rules = MI_EF_RULES_SIZE;
}

/* ---- whole-plan consistency (each check names the second place) ---- */

/* The IMSI range of a slot as [first, last] (one IMSI: first twice). */
static const char *imsi_last(const struct rc_slot *s)
{
	return s->imsi_last[0] ? s->imsi_last : s->imsi;
}

/* Two slots must never hold one IMSI: the card could not tell which slot is
 * active from EF_IMSI. Ranges of equal length compare as digit strings. */
static int plan_check_imsis(struct pctx *c, const struct rc_plan *plan)
{
	int a, b;

	for (b = 0; b < plan->n_slots; b++)
		for (a = 0; a < b; a++) {
			const struct rc_slot *x = &plan->slots[a], *y = &plan->slots[b];
			char sub[PATH_MAX_LEN];

			if (strlen(x->imsi) != strlen(y->imsi) ||
			    strcmp(x->imsi, imsi_last(y)) > 0 || strcmp(y->imsi, imsi_last(x)) > 0)
				continue;
			pathf(sub, sizeof(sub), "$.slots[%d].%s", y->json_index,
			      y->imsi_last[0] ? "imsi_range" : "imsi");
			rc_err_path(c->err, c->file, sub, "slot %d has an IMSI of slot %d (%s)",
				    y->index, x->index, x->imsi);
			return -1;
		}
	return 0;
}

static int plan_check_enabled(struct pctx *c, const struct rc_plan *plan)
{
	int k;

	for (k = 0; k < plan->n_slots; k++)
		if (!plan->slots[k].disabled)
			return 0;
	rc_err_path(c->err, c->file, "$.slots",
		    "every slot is disabled: the card would have no IMSI to switch to");
	return -1;
}

/* One override per PLMN (or per MCC), and no slot both forbidden and
 * ordered by one override: either would leave the result to the order of
 * the overrides in the file. */
static int plan_check_overrides(struct pctx *c, const struct rc_plan *plan)
{
	int a, b, k;

	for (b = 0; b < plan->n_ovr; b++) {
		const struct rc_override *o = &plan->ovr[b];
		char sub[PATH_MAX_LEN], name[8];

		for (k = 0; k < o->n_order; k++)
			if (o->forbid & (1u << (o->order[k] - 1))) {
				pathf(sub, sizeof(sub), "%s.order[%d]", o->path, k);
				rc_err_path(c->err, c->file, sub,
					    "slot %d is both forbidden and ordered", o->order[k]);
				return -1;
			}
		for (a = 0; a < b; a++) {
			const struct rc_override *p = &plan->ovr[a];

			if (p->exact != o->exact ||
			    (o->exact ? !mi_plmn_equal(&p->plmn, &o->plmn)
				      : p->plmn.mcc != o->plmn.mcc))
				continue;
			if (o->exact)
				rc_plmn_str(&o->plmn, name);
			else
				snprintf(name, sizeof(name), "%03u", (unsigned)o->plmn.mcc);
			rc_err_path(c->err, c->file, o->path,
				    "a second override of %s %s (the first is %s)",
				    o->exact ? "PLMN" : "MCC", name, p->path);
			return -1;
		}
	}
	return 0;
}

static int plan_consistent(struct pctx *c, const struct rc_plan *plan)
{
	if (plan_check_imsis(c, plan) < 0 || plan_check_enabled(c, plan) < 0 ||
	    plan_check_overrides(c, plan) < 0)
		return -1;
	return 0;
}

static int plan_root(struct pctx *c, json_t *root, struct rc_plan *plan)
{
	static const char *const keys[] = {"name",	"comment",	   "seq",
					   "currency",	"home_plmn",	   "valuation_date",
					   "fx",	"slots",	   "coverage",
					   "ceiling",	"overrides",	   "preferences",
					   "act",	"pref_depth",	   "config",
					   "ef_sizes",	"forbid_unlisted", "ignore_sponsors",
					   "oplmn_max", "fplmn_max",	   "profile_spares",
					   NULL};
	char sub[PATH_MAX_LEN];
	const char *s;
	json_t *v;
	long x;
	int k;

	if (!json_is_object(root)) {
		rc_err_path(c->err, c->file, "$", "the plan must be a JSON object");
		return -1;
	}
	if (mc_json_keys(&c->j, "$", root, keys) < 0)
		return -1;
	s = get_str(c, root, "name", "$", 0, sub);
	if (rc_err_isset(c->err))
		return -1;
	snprintf(plan->name, sizeof(plan->name), "%s", s ? s : "");
	if (get_str(c, root, "comment", "$", 0, sub), rc_err_isset(c->err))
		return -1;
	x = 1;
	if (mc_json_int(&c->j, "$", root, "seq", &x, 1, 0xFFFFFFFFLL, 0) < 0)
		return -1;
	plan->seq = (mi_u32)x;
	if (get_currency(c, root, "currency", "$", plan->currency) < 0 ||
	    get_plmn(c, root, "home_plmn", "$", &plan->home_plmn) < 0)
		return -1;
	if ((v = json_object_get(root, "fx")) && parse_fx(c, v, plan) < 0)
		return -1;
	s = get_str(c, root, "valuation_date", "$", 0, sub);
	if (rc_err_isset(c->err))
		return -1;
	if (s) {
		if (!valid_date(s)) {
			rc_err_path(c->err, c->file, sub, "date '%s' must be YYYY-MM-DD", s);
			return -1;
		}
		memcpy(plan->valuation_date, s, 11);
	} else {
		for (k = 0; k < plan->n_fx; k++) /* default: the newest FX date */
			if (strcmp(plan->fx[k].date, plan->valuation_date) > 0)
				memcpy(plan->valuation_date, plan->fx[k].date, 11);
	}
	v = json_object_get(root, "slots");
	if (!v) {
		rc_err_path(c->err, c->file, "$", "missing key 'slots'");
		return -1;
	}
	if (parse_slots(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "coverage")) && parse_coverage(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "ceiling"))) {
		if (get_money(c, v, "$.ceiling", &plan->ceiling) < 0)
			return -1;
	}
	if ((v = json_object_get(root, "overrides")) && parse_overrides(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "preferences")) && parse_prefs(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "act")) && parse_act(c, v, plan) < 0)
		return -1;
	x = MI_MAX_SLOTS;
	if (mc_json_int(&c->j, "$", root, "pref_depth", &x, 1, MI_MAX_SLOTS, 0) < 0)
		return -1;
	plan->pref_depth = (int)x;
	x = plan->oplmn_max;
	if (mc_json_int(&c->j, "$", root, "oplmn_max", &x, 0, MI_MAX_OPLMN, 0) < 0)
		return -1;
	plan->oplmn_max = (int)x;
	x = plan->fplmn_max;
	if (mc_json_int(&c->j, "$", root, "fplmn_max", &x, 0, MI_MAX_FPLMN, 0) < 0)
		return -1;
	plan->fplmn_max = (int)x;
	x = 0;
	if (mc_json_int(&c->j, "$", root, "profile_spares", &x, 0, 32, 0) < 0)
		return -1;
	plan->profile_spares = (int)x;
	if (mc_json_bool(&c->j, "$", root, "forbid_unlisted", &plan->forbid_unlisted, 0) < 0)
		return -1;
	if ((v = json_object_get(root, "ignore_sponsors")) && parse_ignore(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "config")) && parse_config(c, v, plan) < 0)
		return -1;
	if ((v = json_object_get(root, "ef_sizes")) && parse_sizes(c, v, plan) < 0)
		return -1;
	return plan_consistent(c, plan);
}

int rc_plan_parse(const char *file, const char *text, struct rc_plan *plan, rc_error_t *err)
{
	struct pctx c;
	json_error_t jerr;
	json_t *root;
	const char *p;
	int rc;

	c.file = file;
	c.err = err;
	mc_json_init(&c.j, file, err->text, sizeof(err->text));
	plan_defaults(plan);
	snprintf(plan->file, sizeof(plan->file), "%s", file);
	for (p = text; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
		;
	if (!*p) {
		rc_err_at(err, file, 1, 1, "empty file (expected a JSON object)");
		return -1;
	}
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* never the token near the error: it may be part of a key */
		rc_err_at(err, file, jerr.line, jerr.column, "%s", mc_json_error_text(&jerr));
		return -1;
	}
	rc = plan_root(&c, root, plan);
	json_decref(root);
	return rc;
}

int rc_plan_load(const char *path, struct rc_plan *plan, rc_error_t *err)
{
	size_t len;
	char *text = rc_read_file(path, &len, err);
	int rc;

	if (!text)
		return -1;
	if (strlen(text) != len) {
		rc_err_at(err, path, 1, 1, "NUL byte in a text file");
		free(text);
		return -1;
	}
	rc = rc_plan_parse(path, text, plan, err);
	free(text);
	return rc;
}

int rc_plan_slot(const struct rc_plan *plan, int s)
{
	int k;

	for (k = 0; k < plan->n_slots; k++)
		if (plan->slots[k].index == s)
			return k;
	return -1;
}
