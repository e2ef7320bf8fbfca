/* SPDX-License-Identifier: Apache-2.0 */
/* Journey files (JSON, jansson): strict keys, errors with their JSON path. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_hex.h"
#include "ota.h"
#include "mc_json.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey.h"

/* Units in the order they must come, each at most once ("1d1d" is a typo,
 * not two days). */
static const struct {
	char unit;
	sim_time_t secs;
} dur_units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

int sim_parse_duration(const char *text, sim_time_t *out)
{
	sim_time_t total = 0;
	const char *s = text;
	size_t next = 0; /* first unit still allowed */

	if (!*s)
		return -1;
	while (*s) {
		sim_time_t v = 0;
		int digits = 0;
		size_t u;

		while (isdigit((unsigned char)*s)) {
			if (++digits > 10)
				return -1; /* bounded below anyway; no overflow on the way */
			v = v * 10 + (*s++ - '0');
		}
		if (!digits)
			return -1;
		if (*s == '\0') {
			if (next != 0)
				return -1; /* "1h30": the unit of 30 is a guess */
			u = sizeof(dur_units) / sizeof(dur_units[0]) - 1;
		} else {
			for (u = next; u < sizeof(dur_units) / sizeof(dur_units[0]); u++)
				if (dur_units[u].unit == *s)
					break;
			if (u == sizeof(dur_units) / sizeof(dur_units[0]))
				return -1; /* unknown, repeated or out of order */
			s++;
		}
		if (v > SIM_DURATION_MAX / dur_units[u].secs)
			return -1;
		total += v * dur_units[u].secs;
		if (total > SIM_DURATION_MAX)
			return -1;
		next = u + 1;
	}
	*out = total;
	return 0;
}

static int jtime(struct mc_json *p, const char *path, json_t *o, const char *key, sim_time_t *out,
		 int required)
{
	json_t *v = json_object_get(o, key);
	char s[160];

	mc_json_path_key(s, sizeof(s), path, key);
	if (!v)
		return required ? mc_json_fail(p, s, "missing") : 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= SIM_DURATION_MAX) {
		*out = (sim_time_t)json_integer_value(v);
		return 1;
	}
	if (json_is_string(v) && sim_parse_duration(json_string_value(v), out) == 0)
		return 1;
	return mc_json_fail(p, s,
		     "expected seconds or a duration like \"90s\", \"15m\", \"2h\", \"1d6h\" "
		     "(each unit once, largest first; at most 100 years)");
}

static int jplmn(struct mc_json *p, const char *path, const char *text, struct mi_plmn *out)
{
	if (mi_plmn_parse(text, (mi_u16)strlen(text), out) != MI_OK)
		return mc_json_fail(p, path, "bad PLMN \"%s\" (want MCC-MNC like \"262-01\")", text);
	return 0;
}

/* Load \a v, or the JSON file it names, and call \a fn on the object. */
static int jsub_file(struct mc_json *p, const char *path, json_t *v,
		     int (*fn)(struct mc_json *, const char *, json_t *, void *), void *arg)
{
	json_t *root;
	struct mc_json q;
	int rc;
	char e[400], file[SIM_PATH_MAX];

	if (json_is_object(v))
		return fn(p, path, v, arg);
	if (!json_is_string(v))
		return mc_json_fail(p, path, "expected an object or a file name");
	if (sim_data_path(p->file, json_string_value(v), file, sizeof(file)) < 0)
		return mc_json_fail(p, path, "cannot find \"%s\" (beside the journey, in $MIMSI_DATADIR "
				      "or the installed data)",
			     json_string_value(v));
	mc_json_init(&q, file, e, sizeof(e));
	root = mc_json_load_file(&q, file);
	if (!root) /* a syntax error: where in the journey, then where in the file */
		return mc_json_fail(p, path, "%s", e);
	rc = fn(&q, "", root, arg);
	json_decref(root);
	if (rc < 0 && !mc_json_failed(p))
		snprintf(p->err, p->len, "%s", e);
	return rc;
}

/* ---- world ------------------------------------------------------------ */

static int parse_accept(struct mc_json *p, const char *path, json_t *o, struct sim_net *net,
			struct sim_accept *a)
{
	static const char *const keys[] = {"imsi", "sponsor", "price_gb", "currency", NULL};
	const char *s;
	char sp[160];

	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	s = mc_json_str(p, path, o, "imsi", sizeof(a->prefix), 1);
	if (!s)
		return -1;
	mc_json_path_key(sp, sizeof(sp), path, "imsi");
	if (strlen(s) < 3 || strspn(s, "0123456789") != strlen(s))
		return mc_json_fail(p, sp, "IMSI prefix \"%s\" must be 3..15 digits", s);
	strcpy(a->prefix, s);
	s = mc_json_str(p, path, o, "sponsor", sizeof(a->sponsor), 0);
	snprintf(a->sponsor, sizeof(a->sponsor), "%s", s ? s : "");
	if (mc_json_num(p, path, o, "price_gb", &a->price, 0, 1e6, 1) < 0)
		return -1;
	s = mc_json_str(p, path, o, "currency", sizeof(a->currency), 0);
	if (mc_json_failed(p))
		return -1;
	snprintf(a->currency, sizeof(a->currency), "%s", s ? s : net->ref_currency);
	mc_json_path_key(sp, sizeof(sp), path, "currency");
	if (sim_net_to_ref(net, a->currency, a->price, &a->price_ref) < 0)
		return mc_json_fail(p, sp, "no FX rate for \"%s\"", a->currency);
	return 0;
}

static int parse_plmn(struct mc_json *p, const char *path, json_t *o, struct sim_net *net, int country)
{
	static const char *const keys[] = {"plmn",	 "name",    "signal", "lac",	      "ci",
					   "reg_time_s", "accepts", "down",   "reject_cause", NULL};
	struct sim_plmn *pl;
	const char *s;
	json_t *acc, *v;
	long l;
	size_t i;
	int down = 0;
	char sp[160];

	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	if (net->n_plmns >= SIM_NET_MAX_PLMNS)
		return mc_json_fail(p, path, "more than %d PLMNs", SIM_NET_MAX_PLMNS);
	pl = &net->plmns[net->n_plmns];
	memset(pl, 0, sizeof(*pl));
	s = mc_json_str(p, path, o, "plmn", 8, 1);
	if (!s)
		return -1;
	mc_json_path_key(sp, sizeof(sp), path, "plmn");
	if (jplmn(p, sp, s, &pl->id) < 0)
		return -1;
	if (sim_net_find_plmn(net, &pl->id) >= 0)
		return mc_json_fail(p, sp, "PLMN \"%s\" listed twice", s);
	s = mc_json_str(p, path, o, "name", sizeof(pl->name), 0);
	snprintf(pl->name, sizeof(pl->name), "%s", s ? s : "");
	pl->country = country;
	pl->signal_dbm = -80;
	if (mc_json_int(p, path, o, "signal", &l, -140, -40, 0) > 0)
		pl->signal_dbm = (int)l;
	pl->lac = (uint16_t)(0x1000 + net->n_plmns);
	if (mc_json_int(p, path, o, "lac", &l, 1, 0xFFFD, 0) > 0)
		pl->lac = (uint16_t)l;
	pl->ci = (uint16_t)(net->n_plmns + 1);
	if (mc_json_int(p, path, o, "ci", &l, 0, 0xFFFF, 0) > 0)
		pl->ci = (uint16_t)l;
	pl->reg_time_s = 2;
	if (mc_json_int(p, path, o, "reg_time_s", &l, 0, 3600, 0) > 0)
		pl->reg_time_s = (int)l;
	if (mc_json_bool(p, path, o, "down", &down, 0) < 0 || mc_json_failed(p))
		return -1;
	pl->up = !down;
	/* IMSI without agreement: #11 PLMN not allowed (default) or #13
	 * roaming not allowed in this LA/TA (TS 24.008 §10.5.3.6) */
	pl->no_agreement_cause = SIM_CAUSE_PLMN_NOT_ALLOWED;
	if (mc_json_int(p, path, o, "reject_cause", &l, 0, 255, 0) > 0) {
		mc_json_path_key(sp, sizeof(sp), path, "reject_cause");
		if (l != SIM_CAUSE_PLMN_NOT_ALLOWED && l != SIM_CAUSE_ROAMING_NOT_ALLOWED)
			return mc_json_fail(p, sp, "%ld: an IMSI without agreement gets #11 or #13", l);
		pl->no_agreement_cause = (int)l;
	}
	if (mc_json_failed(p))
		return -1;
	acc = json_object_get(o, "accepts");
	mc_json_path_key(sp, sizeof(sp), path, "accepts");
	if (acc && !json_is_array(acc))
		return mc_json_fail(p, sp, "expected an array");
	json_array_foreach(acc, i, v)
	{
		char ip[160];

		mc_json_path_index(ip, sizeof(ip), sp, i);
		if (pl->n_accept >= SIM_NET_MAX_ACCEPT)
			return mc_json_fail(p, ip, "more than %d agreements", SIM_NET_MAX_ACCEPT);
		if (parse_accept(p, ip, v, net, &pl->accept[pl->n_accept]) < 0)
			return -1;
		pl->n_accept++;
	}
	net->n_plmns++;
	return 0;
}

static int parse_world(struct mc_json *p, const char *path, json_t *o, void *arg)
{
	static const char *const keys[] = {"currency", "fx", "countries", "description", NULL};
	static const char *const ckeys[] = {"name", "mcc", "local_imsi_only", "plmns", NULL};
	static const char *const fxkeys[] = {"date", "rates", NULL};
	struct sim_net *net = arg;
	json_t *fx, *countries, *c, *v;
	const char *s, *key;
	size_t i, k;
	char sp[160];

	memset(net, 0, sizeof(*net));
	net->country = -1;
	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	s = mc_json_str(p, path, o, "currency", sizeof(net->ref_currency), 0);
	snprintf(net->ref_currency, sizeof(net->ref_currency), "%s", s ? s : "EUR");
	fx = json_object_get(o, "fx");
	if (fx) {
		json_t *rates;

		mc_json_path_key(sp, sizeof(sp), path, "fx");
		if (mc_json_keys(p, sp, fx, fxkeys) < 0)
			return -1;
		s = mc_json_str(p, sp, fx, "date", sizeof(net->fx_date), 0);
		snprintf(net->fx_date, sizeof(net->fx_date), "%s", s ? s : "");
		char rs[160];

		rates = json_object_get(fx, "rates");
		mc_json_path_key(rs, sizeof(rs), sp, "rates");
		if (rates && !json_is_object(rates))
			return mc_json_fail(p, rs, "expected an object");
		json_object_foreach(rates, key, v)
		{
			char rp[160];

			mc_json_path_key(rp, sizeof(rp), rs, key);
			if (net->n_fx >= SIM_NET_MAX_FX || strlen(key) != 3)
				return mc_json_fail(p, rp, "bad currency code or too many rates");
			if (!json_is_number(v) || json_number_value(v) <= 0)
				return mc_json_fail(p, rp, "expected a positive number");
			strcpy(net->fx[net->n_fx].currency, key);
			net->fx[net->n_fx].to_ref = json_number_value(v);
			net->n_fx++;
		}
	}
	countries = json_object_get(o, "countries");
	mc_json_path_key(sp, sizeof(sp), path, "countries");
	if (!json_is_array(countries) || json_array_size(countries) == 0)
		return mc_json_fail(p, sp, "expected a non-empty array");
	json_array_foreach(countries, i, c)
	{
		struct sim_country *ct;
		json_t *plmns, *pv;
		char cp[160], pp[160];
		int dup, lio = 0;

		mc_json_path_index(cp, sizeof(cp), sp, i);
		if (mc_json_keys(p, cp, c, ckeys) < 0)
			return -1;
		if (net->n_countries >= SIM_NET_MAX_COUNTRIES)
			return mc_json_fail(p, cp, "more than %d countries", SIM_NET_MAX_COUNTRIES);
		ct = &net->countries[net->n_countries];
		s = mc_json_str(p, cp, c, "name", sizeof(ct->name), 1);
		if (!s)
			return -1;
		snprintf(ct->name, sizeof(ct->name), "%s", s);
		s = mc_json_str(p, cp, c, "mcc", 4, 1);
		if (!s)
			return -1;
		if (strlen(s) != 3 || strspn(s, "0123456789") != 3) {
			mc_json_path_key(pp, sizeof(pp), cp, "mcc");
			return mc_json_fail(p, pp, "MCC \"%s\" must be 3 digits", s);
		}
		ct->mcc = (uint16_t)atoi(s);
		dup = sim_net_find_country(net, ct->name);
		if (mc_json_bool(p, cp, c, "local_imsi_only", &lio, 0) < 0)
			return -1;
		ct->local_imsi_only = lio;
		net->n_countries++;
		if (dup >= 0)
			return mc_json_fail(p, cp, "country \"%s\" listed twice", ct->name);
		plmns = json_object_get(c, "plmns");
		mc_json_path_key(pp, sizeof(pp), cp, "plmns");
		if (plmns && !json_is_array(plmns))
			return mc_json_fail(p, pp, "expected an array");
		json_array_foreach(plmns, k, pv)
		{
			char ip[160];

			mc_json_path_index(ip, sizeof(ip), pp, k);
			if (parse_plmn(p, ip, pv, net, net->n_countries - 1) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- modem profile ---------------------------------------------------- */

static int parse_modem(struct mc_json *p, const char *path, json_t *o, void *arg)
{
	static const char *const keys[] = {"name",
					   "description",
					   "capabilities",
					   "terminal_profile",
					   "refresh",
					   "refresh_refuse",
					   "attach_extra_s",
					   "search_s",
					   "status_poll_s",
					   "retry_s",
					   "psm",
					   "periodic_s",
					   "rat",
					   "forget_forbidden",
					   NULL};
	static const char *const psm_keys[] = {"active_s", "sleep_s", NULL};
	static const char *const modes[] = {"accept", "busy", "unsupported", "deferred"};
	struct sim_modem_profile *m = arg;
	json_t *caps, *v, *psm;
	const char *s;
	size_t i;
	long l;
	char sp[160];

	sim_modem_profile_default(m);
	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	s = mc_json_str(p, path, o, "name", sizeof(m->name), 1);
	if (!s)
		return -1;
	strcpy(m->name, s);
	caps = json_object_get(o, "capabilities");
	if (caps) {
		mc_json_path_key(sp, sizeof(sp), path, "capabilities");
		if (!json_is_array(caps))
			return mc_json_fail(p, sp, "expected an array of names");
		m->caps = 0;
		json_array_foreach(caps, i, v)
		{
			char ip[160];
			uint32_t c;

			mc_json_path_index(ip, sizeof(ip), sp, i);
			c = json_is_string(v) ? sim_cap_from_name(json_string_value(v)) : 0;
			if (!c)
				return mc_json_fail(p, ip, "unknown capability %s%s%s",
					     json_is_string(v) ? "\"" : "",
					     json_is_string(v) ? json_string_value(v)
							       : "(not a string)",
					     json_is_string(v) ? "\"" : "");
			m->caps |= c;
		}
		m->tp_len = sim_cap_terminal_profile(m->caps, m->tp, sizeof(m->tp));
	}
	if (mc_json_hex(p, path, o, "terminal_profile", m->tp, 0, sizeof(m->tp), &m->tp_len, 0) < 0)
		return -1;
	s = mc_json_str(p, path, o, "refresh", 16, 0);
	if (s) {
		int found = 0;

		for (i = 0; i < 4; i++)
			if (strcmp(s, modes[i]) == 0) {
				m->refresh = (enum sim_refresh_mode)i;
				found = 1;
			}
		mc_json_path_key(sp, sizeof(sp), path, "refresh");
		if (!found)
			return mc_json_fail(p, sp, "\"%s\" is not accept, busy, unsupported or deferred",
				     s);
	}
	v = json_object_get(o, "refresh_refuse");
	if (v) { /* REFRESH qualifiers (TS 102 223 §8.6) this modem answers with 30 */
		json_t *q;

		mc_json_path_key(sp, sizeof(sp), path, "refresh_refuse");
		if (!json_is_array(v))
			return mc_json_fail(p, sp, "expected an array of REFRESH qualifiers 0..7");
		json_array_foreach(v, i, q)
		{
			char ip[160];

			mc_json_path_index(ip, sizeof(ip), sp, i);
			if (!json_is_integer(q) || json_integer_value(q) < 0 ||
			    json_integer_value(q) > 7)
				return mc_json_fail(p, ip, "a REFRESH qualifier is 0..7 (TS 102 223 §8.6)");
			m->refresh_refuse |= (uint8_t)(1u << json_integer_value(q));
		}
	}
	if (mc_json_int(p, path, o, "attach_extra_s", &l, 0, 3600, 0) > 0)
		m->attach_extra_s = (int)l;
	if (mc_json_int(p, path, o, "search_s", &l, 0, 600, 0) > 0)
		m->search_s = (int)l;
	if (mc_json_int(p, path, o, "status_poll_s", &l, 1, 3600, 0) > 0)
		m->status_poll_s = (int)l;
	if (mc_json_int(p, path, o, "retry_s", &l, 1, 86400, 0) > 0)
		m->retry_s = (int)l;
	if (mc_json_int(p, path, o, "periodic_s", &l, 0, 7 * 86400, 0) > 0)
		m->periodic_s = (int)l;
	if (mc_json_bool(p, path, o, "forget_forbidden", &m->forget_forbidden, 0) < 0)
		return -1;
	s = mc_json_str(p, path, o, "rat", 8, 0);
	if (s) {
		mc_json_path_key(sp, sizeof(sp), path, "rat");
		if (strcmp(s, "eutran") == 0)
			m->rat = SIM_RAT_EUTRAN;
		else if (strcmp(s, "utran") == 0)
			m->rat = SIM_RAT_UTRAN;
		else
			return mc_json_fail(p, sp, "\"%s\" is not eutran or utran", s);
	}
	psm = json_object_get(o, "psm");
	if (psm) {
		mc_json_path_key(sp, sizeof(sp), path, "psm");
		if (mc_json_keys(p, sp, psm, psm_keys) < 0)
			return -1;
		if (mc_json_int(p, sp, psm, "active_s", &l, 1, 86400, 1) < 0)
			return -1;
		m->psm_active_s = (int)l;
		if (mc_json_int(p, sp, psm, "sleep_s", &l, 1, 7 * 86400, 1) < 0)
			return -1;
		m->psm_sleep_s = (int)l;
	}
	return mc_json_failed(p) ? -1 : 0;
}

int sim_modem_profile_load(const char *name_or_path, struct sim_modem_profile *m, char *err,
			   size_t err_len)
{
	char file[SIM_PATH_MAX];
	json_t *root;
	struct mc_json p;

	char name[SIM_PATH_MAX];

	/* a bare name is a profile of the data's scenarios/modems/ */
	if (strchr(name_or_path, '/') || strstr(name_or_path, ".json"))
		snprintf(name, sizeof(name), "%s", name_or_path);
	else
		snprintf(name, sizeof(name), "test-vectors/scenarios/modems/%.64s.json", name_or_path);
	(void)sim_data_path(NULL, name, file, sizeof(file));
	mc_json_init(&p, file, err, err_len);
	root = mc_json_load_file(&p, file);
	if (!root)
		return -1;
	parse_modem(&p, "", root, m);
	json_decref(root);
	return mc_json_failed(&p) ? -1 : 0;
}

/* The TERMINAL PROFILE bits of the failover aids (TS 102 223 §5.2):
 * PROVIDE LOCAL INFORMATION location (4,b7), network rejection GERAN/UTRAN
 * (25,b5) and E-UTRAN (25,b7). */
void sim_modem_profile_failover(struct sim_modem_profile *m, int on)
{
	uint32_t rej =
	    m->rat == SIM_RAT_EUTRAN ? SIM_CAP_EVENT_REJECT_EUTRAN : SIM_CAP_EVENT_REJECT_GERAN;
	uint8_t b25 = m->rat == SIM_RAT_EUTRAN ? 0x40 : 0x10;
	size_t i;

	if (on) {
		m->caps |= rej | SIM_CAP_PLI_LOCATION;
		for (i = m->tp_len; i < 25; i++)
			m->tp[i] = 0;
		if (m->tp_len < 25)
			m->tp_len = 25;
		m->tp[3] |= 0x40;
		m->tp[24] |= b25;
	} else {
		m->caps &= ~(uint32_t)(SIM_CAP_EVENT_REJECT_EUTRAN | SIM_CAP_EVENT_REJECT_GERAN |
				       SIM_CAP_PLI_LOCATION);
		if (m->tp_len >= 4)
			m->tp[3] &= (uint8_t)~0x40;
		if (m->tp_len >= 25)
			m->tp[24] &= (uint8_t)~0x50;
	}
	i = strlen(m->name);
	snprintf(m->name + (i < sizeof(m->name) - 4 ? i : sizeof(m->name) - 4), 4, "%s",
		 on ? "+fo" : "-fo");
}

/* ---- card ------------------------------------------------------------- */

/* TS 35.208 test sets 1..3: the default card's key sets (shared data). */
static const struct {
	const char *k, *opc;
} ts35208[3] = {
    {"465b5ce8b199b49faa5f0a2ee238a6bc", "cd63cb71954a9f4e48a5994e37a02baf"},
    {"0396eb317b6d1c36f19c1c84cd6ffd16", "53c15671c60a4b731c55b4a441c0bde2"},
    {"fec86ba6eb707ed08905757b1bb44b8f", "1006020f0a478bf6b699f15c062e42b3"},
};

static void hex16(const char *h, uint8_t out[16])
{
	(void)mi_hex_decode(h, out, 16); /* constants above: always 32 hex digits */
}

static int parse_card(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j)
{
	static const char *const keys[] = {"image", "rules", "pin", "adm", "keysets", NULL};
	static const char *const kkeys[] = {"ref", "k", "opc", NULL};
	json_t *ks, *v;
	const char *s;
	size_t i, n;
	char sp[160];

	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	s = mc_json_str(p, path, o, "image", sizeof(j->image), 0);
	j->image[0] = '\0';
	if (s && strcmp(s, "default") && sim_data_path(p->file, s, j->image, sizeof(j->image)) < 0)
		return mc_json_fail(p, path, "image \"%s\" not found", s);
	s = mc_json_str(p, path, o, "rules", sizeof(j->rules), 0);
	j->rules[0] = '\0';
	if (s && *s && sim_data_path(p->file, s, j->rules, sizeof(j->rules)) < 0)
		return mc_json_fail(p, path, "rules \"%s\" not found", s);
	s = mc_json_str(p, path, o, "pin", sizeof(j->pin), 0);
	snprintf(j->pin, sizeof(j->pin), "%s", s ? s : "");
	s = mc_json_str(p, path, o, "adm", sizeof(j->adm), 0);
	snprintf(j->adm, sizeof(j->adm), "%s", s ? s : "12345678");
	if (mc_json_failed(p))
		return -1;
	j->n_keysets = 3;
	for (i = 0; i < 3; i++) {
		j->keysets[i].ref = (int)i + 1;
		hex16(ts35208[i].k, j->keysets[i].k);
		hex16(ts35208[i].opc, j->keysets[i].opc);
	}
	ks = json_object_get(o, "keysets");
	if (!ks)
		return 0;
	mc_json_path_key(sp, sizeof(sp), path, "keysets");
	if (!json_is_array(ks))
		return mc_json_fail(p, sp, "expected an array");
	json_array_foreach(ks, i, v)
	{
		struct sim_keyset_def *d;
		char ip[160];
		long l;
		int k;

		mc_json_path_index(ip, sizeof(ip), sp, i);
		if (mc_json_keys(p, ip, v, kkeys) < 0)
			return -1;
		if (mc_json_int(p, ip, v, "ref", &l, 1, SIM_KEYSETS_MAX, 1) < 0)
			return -1;
		for (k = 0; k < j->n_keysets && j->keysets[k].ref != (int)l; k++)
			;
		if (k == j->n_keysets)
			j->n_keysets++; /* refs are 1..SIM_KEYSETS_MAX, so this never overflows */
		d = &j->keysets[k];
		d->ref = (int)l;
		d->custom = 1;
		if (mc_json_hex(p, ip, v, "k", d->k, 16, 16, &n, 1) < 0 ||
		    mc_json_hex(p, ip, v, "opc", d->opc, 16, 16, &n, 1) < 0)
			return mc_json_fail(p, ip, "k and opc must be 16 bytes of hex");
	}
	return 0;
}

/* ---- timeline and expectations ------------------------------------------ */

static int sponsor_known(const struct sim_net *net, const char *sponsor)
{
	int i, k;

	for (i = 0; i < net->n_plmns; i++)
		for (k = 0; k < net->plmns[i].n_accept; k++)
			if (strcmp(net->plmns[i].accept[k].sponsor, sponsor) == 0)
				return 1;
	return 0;
}

/* "alternate": ["A", "B"], "every": "2m", "until": "40m": the device is in
 * A, then B, then A ... every period from "at" until "until" (a border
 * where the serving network flips); afterwards it stays where the last
 * period left it, unless a later entry moves it. */
static int parse_alternate(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
			   struct sim_tl *t)
{
	json_t *a = json_object_get(o, "alternate"), *v;
	sim_time_t every = 0;
	char sp[160], ip[160];
	int *dst[2] = {&t->a, &t->b};
	size_t i;

	mc_json_path_key(sp, sizeof(sp), path, "alternate");
	if (!json_is_array(a) || json_array_size(a) != 2)
		return mc_json_fail(p, sp, "expected two countries (names or MCCs)");
	json_array_foreach(a, i, v)
	{
		mc_json_path_index(ip, sizeof(ip), sp, i);
		if (!json_is_string(v))
			return mc_json_fail(p, ip, "expected a country name or MCC");
		*dst[i] = sim_net_find_country(&j->net, json_string_value(v));
		if (*dst[i] < 0)
			return mc_json_fail(p, ip, "unknown country \"%s\"", json_string_value(v));
	}
	if (jtime(p, path, o, "every", &every, 1) < 0 ||
	    jtime(p, path, o, "until", &t->until, 1) < 0)
		return -1;
	mc_json_path_key(sp, sizeof(sp), path, "every");
	if (every < 1)
		return mc_json_fail(p, sp, "must be at least 1 s");
	mc_json_path_key(sp, sizeof(sp), path, "until");
	if (t->until <= t->at || t->until > j->duration)
		return mc_json_fail(p, sp, "must be after \"at\" and within the journey");
	t->kind = SIM_TL_ALTERNATE;
	t->d = (double)every;
	return 0;
}

/* "ota": ["40...", ...]: the SMS-DELIVER TPDUs of one OTA message, in order. */
static int parse_ota(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j, struct sim_tl *t)
{
	json_t *a = json_object_get(o, "ota");
	struct sim_ota_msg *m, *grown;
	char sp[160];
	size_t i;

	mc_json_path_key(sp, sizeof(sp), path, "ota");
	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > SIM_OTA_SMS_MAX)
		return mc_json_fail(p, sp, "must be an array of 1..%d SMS-DELIVER TPDUs in hex", SIM_OTA_SMS_MAX);
	grown = realloc(j->ota, (size_t)(j->n_ota + 1) * sizeof(*grown));
	if (!grown)
		return mc_json_fail(p, sp, "out of memory");
	j->ota = grown;
	m = &j->ota[j->n_ota];
	memset(m, 0, sizeof(*m));
	for (i = 0; i < json_array_size(a); i++) {
		const char *h = json_string_value(json_array_get(a, i));
		int n = h ? ota_hex_decode(h, m->tpdu[i], sizeof(m->tpdu[i])) : -1;
		struct ota_sms sms;

		if (n < 0 || ota_sms_parse(m->tpdu[i], (size_t)n, &sms) != OTA_OK)
			return mc_json_fail(p, sp, "SMS %zu is not an SMS TPDU with 8-bit data in hex", i + 1);
		m->len[i] = (size_t)n;
	}
	m->n = (int)json_array_size(a);
	t->kind = SIM_TL_OTA;
	t->a = j->n_ota++;
	return 0;
}

static int parse_tl(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
		    struct sim_tl *t)
{
	static const char *const keys[] = {"at",
					   "country",
					   "plmn_down",
					   "plmn_up",
					   "data_mb_per_hour",
					   "power",
					   "menu",
					   "select",
					   "note",
					   "congestion",
					   "network_failure",
					   "core_down",
					   "core_up",
					   "alternate",
					   "every",
					   "until",
					   "ota",
					   "write_set",
					   NULL};
	static const char *const actions[] = {
	    "country",	  "plmn_down",	     "plmn_up",	  "data_mb_per_hour", "power",	   "menu",
	    "congestion", "network_failure", "core_down", "core_up",	      "alternate", "ota",
	    "write_set"};
	const char *s;
	size_t i;
	int n = 0;
	long l;
	char sp[160];

	if (mc_json_keys(p, path, o, keys) < 0 || jtime(p, path, o, "at", &t->at, 1) < 0)
		return -1;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (json_object_get(o, actions[i]))
			n++;
	if (n != 1)
		return mc_json_fail(p, path,
			     "needs exactly one of country, plmn_down, plmn_up, "
			     "data_mb_per_hour, power, menu, congestion, network_failure, "
			     "core_down, core_up, alternate, ota, write_set");
	if (json_object_get(o, "ota"))
		return parse_ota(p, path, o, j, t);
	if (json_object_get(o, "write_set")) { /* as remote file management would */
		s = mc_json_str(p, path, o, "write_set", sizeof(t->path), 1);
		if (!s)
			return -1;
		t->kind = SIM_TL_WRITE_SET;
		mc_json_path_key(sp, sizeof(sp), path, "write_set");
		if (sim_data_path(p->file, s, t->path, sizeof(t->path)) < 0)
			return mc_json_fail(p, sp, "no such directory (beside the journey, in $MIMSI_DATADIR "
					    "or the installed data)");
		return 0;
	}
	if (!json_object_get(o, "alternate") &&
	    (json_object_get(o, "every") || json_object_get(o, "until")))
		return mc_json_fail(p, path, "\"every\" and \"until\" belong to \"alternate\"");
	if (json_object_get(o, "alternate"))
		return parse_alternate(p, path, o, j, t);
	if (json_object_get(o, "core_down") || json_object_get(o, "core_up")) {
		int down = json_object_get(o, "core_down") != NULL;
		const char *k = down ? "core_down" : "core_up";

		mc_json_path_key(sp, sizeof(sp), path, k);
		s = mc_json_str(p, path, o, k, SIM_NAME_MAX - 1, 1);
		if (!s)
			return -1;
		if (!sponsor_known(&j->net, s))
			return mc_json_fail(p, sp, "no agreement of the world names sponsor \"%s\"", s);
		t->kind = down ? SIM_TL_CORE_DOWN : SIM_TL_CORE_UP;
		snprintf(t->sponsor, sizeof(t->sponsor), "%s", s);
		return 0;
	}
	if (json_object_get(o, "country")) {
		mc_json_path_key(sp, sizeof(sp), path, "country");
		s = mc_json_str(p, path, o, "country", 64, 1);
		if (!s)
			return -1;
		t->kind = SIM_TL_COUNTRY;
		if (strcmp(s, "none") == 0) {
			t->a = -1;
			return 0;
		}
		t->a = sim_net_find_country(&j->net, s);
		if (t->a < 0)
			return mc_json_fail(p, sp, "unknown %s \"%s\"",
				     strspn(s, "0123456789") == strlen(s) ? "MCC" : "country", s);
		return 0;
	}
	if (json_object_get(o, "congestion") || json_object_get(o, "network_failure")) {
		struct mi_plmn id;
		const char *k = json_object_get(o, "congestion") ? "congestion" : "network_failure";

		mc_json_path_key(sp, sizeof(sp), path, k);
		s = mc_json_str(p, path, o, k, 8, 1);
		if (!s || jplmn(p, sp, s, &id) < 0)
			return -1;
		/* a temporary reject for every IMSI until plmn_up (TS 24.301 §5.5.1.2.5) */
		t->kind = SIM_TL_PLMN_TEMP_REJECT;
		t->b = k[0] == 'c' ? SIM_CAUSE_CONGESTION : SIM_CAUSE_NETWORK_FAILURE;
		t->a = sim_net_find_plmn(&j->net, &id);
		if (t->a < 0)
			return mc_json_fail(p, sp, "unknown PLMN \"%s\"", s);
		return 0;
	}
	if (json_object_get(o, "plmn_down") || json_object_get(o, "plmn_up")) {
		struct mi_plmn id;
		int down = json_object_get(o, "plmn_down") != NULL;

		mc_json_path_key(sp, sizeof(sp), path, down ? "plmn_down" : "plmn_up");
		s = mc_json_str(p, path, o, down ? "plmn_down" : "plmn_up", 8, 1);
		if (!s || jplmn(p, sp, s, &id) < 0)
			return -1;
		t->kind = down ? SIM_TL_PLMN_DOWN : SIM_TL_PLMN_UP;
		t->a = sim_net_find_plmn(&j->net, &id);
		if (t->a < 0)
			return mc_json_fail(p, sp, "unknown PLMN \"%s\"", s);
		return 0;
	}
	if (json_object_get(o, "data_mb_per_hour")) {
		t->kind = SIM_TL_DATA;
		return mc_json_num(p, path, o, "data_mb_per_hour", &t->d, 0, 1e6, 1) < 0 ? -1 : 0;
	}
	if (json_object_get(o, "power")) {
		mc_json_path_key(sp, sizeof(sp), path, "power");
		s = mc_json_str(p, path, o, "power", 8, 1);
		if (!s)
			return -1;
		if (strcmp(s, "off") == 0)
			t->kind = SIM_TL_POWER_OFF;
		else if (strcmp(s, "on") == 0)
			t->kind = SIM_TL_POWER_ON;
		else if (strcmp(s, "cycle") == 0)
			t->kind = SIM_TL_POWER_CYCLE;
		else
			return mc_json_fail(p, sp, "\"%s\" is not off, on or cycle", s);
		return 0;
	}
	t->kind = SIM_TL_MENU;
	if (mc_json_int(p, path, o, "menu", &l, 1, 255, 1) < 0)
		return -1;
	t->a = (int)l;
	t->b = 0;
	if (mc_json_int(p, path, o, "select", &l, 1, 255, 0) > 0)
		t->b = (int)l;
	return mc_json_failed(p) ? -1 : 0;
}

static const struct {
	const char *key;
	enum sim_exp_kind kind;
	int timed; /* 1: at "at" or at the end; 0: whole-run metric; 2: so far at "at" or whole run
		    */
} exp_keys[] = {
    {"slot", SIM_EXP_SLOT, 1},
    {"imsi", SIM_EXP_IMSI, 1},
    {"service", SIM_EXP_SERVICE, 1},
    {"plmn", SIM_EXP_PLMN, 1},
    {"ef", SIM_EXP_EF, 1},
    {"home", SIM_EXP_HOME, 1},
    {"switches_max", SIM_EXP_SWITCHES_MAX, 2},
    {"switches_min", SIM_EXP_SWITCHES_MIN, 2},
    {"refresh_min", SIM_EXP_REFRESH_MIN, 0},
    {"refresh_max", SIM_EXP_REFRESH_MAX, 0},
    {"tts_max_s", SIM_EXP_TTS_MAX_S, 0},
    {"tts_p95_max_s", SIM_EXP_TTS_P95_MAX_S, 0},
    {"cost_max", SIM_EXP_COST_MAX, 0},
    {"losses_max", SIM_EXP_LOSSES_MAX, 0},
    {"ota_pors_min", SIM_EXP_OTA_PORS_MIN, 0},
    {"ota_sms_max", SIM_EXP_OTA_SMS_MAX, 0},
};

static int parse_ef_path(const char *s, struct sim_exp *e)
{
	e->npath = 0;
	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 16);

		if (end - s != 4 || e->npath >= 4)
			return -1;
		e->path[e->npath++] = (uint16_t)v;
		s = end;
		if (*s == '/')
			s++;
		else if (*s)
			return -1;
	}
	return e->npath ? 0 : -1;
}

static int jcaps(struct mc_json *p, const char *path, json_t *o, const char *key, uint32_t *out)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;
	char sp[160], ip[160];

	*out = 0;
	if (!a)
		return 0;
	mc_json_path_key(sp, sizeof(sp), path, key);
	if (!json_is_array(a) || json_array_size(a) == 0)
		return mc_json_fail(p, sp, "expected a non-empty array of capability names");
	json_array_foreach(a, i, v)
	{
		uint32_t c = json_is_string(v) ? sim_cap_from_name(json_string_value(v)) : 0;

		mc_json_path_index(ip, sizeof(ip), sp, i);
		if (!c)
			return mc_json_fail(p, ip, "unknown capability");
		*out |= c;
	}
	return 0;
}

static int parse_exp(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
		     struct sim_exp *e)
{
	static const char *const keys[] = {"at",
					   "slot",
					   "imsi",
					   "service",
					   "plmn",
					   "ef",
					   "hex",
					   "home",
					   "switches_max",
					   "switches_min",
					   "refresh_min",
					   "refresh_max",
					   "tts_max_s",
					   "tts_p95_max_s",
					   "cost_max",
					   "losses_max",
					   "ota_pors_min",
					   "ota_sms_max",
					   "why",
					   "modem_caps",
					   "modem_lacks",
					   NULL};
	size_t i;
	int n = 0, timed = 0;
	const char *key = NULL, *s;
	char sp[160];
	json_t *at;

	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	snprintf(e->where, sizeof(e->where), "%s", path);
	for (i = 0; i < sizeof(exp_keys) / sizeof(exp_keys[0]); i++)
		if (json_object_get(o, exp_keys[i].key)) {
			n++;
			key = exp_keys[i].key;
			e->kind = exp_keys[i].kind;
			timed = exp_keys[i].timed;
		}
	if (n != 1)
		return mc_json_fail(p, path,
			     "needs exactly one check (slot, imsi, service, plmn, ef, "
			     "switches_max, refresh_min, tts_max_s, cost_max, ...)");
	/* per-modem expectations: only on a modem that has / lacks capabilities */
	if (jcaps(p, path, o, "modem_caps", &e->caps_need) < 0 ||
	    jcaps(p, path, o, "modem_lacks", &e->caps_lack) < 0)
		return -1;
	e->at = -1;
	at = json_object_get(o, "at");
	mc_json_path_key(sp, sizeof(sp), path, "at");
	if (at && !timed)
		return mc_json_fail(p, sp, "\"%s\" is a whole-journey metric: no \"at\"", key);
	if (at && !(json_is_string(at) && strcmp(json_string_value(at), "end") == 0)) {
		if (jtime(p, path, o, "at", &e->at, 1) < 0)
			return -1;
		if (e->at > j->duration)
			return mc_json_fail(p, sp, "after the end of the journey");
	}
	mc_json_path_key(sp, sizeof(sp), path, key);
	switch (e->kind) {
	case SIM_EXP_SLOT:
		return mc_json_int(p, path, o, key, &e->ival, 1, MI_MAX_SLOTS, 1) < 0 ? -1 : 0;
	case SIM_EXP_IMSI:
		s = mc_json_str(p, path, o, key, 16, 1);
		if (!s)
			return -1;
		if (strlen(s) < 6 || strspn(s, "0123456789") != strlen(s))
			return mc_json_fail(p, sp, "IMSI \"%s\" must be 6..15 digits", s);
		strcpy(e->sval, s);
		return 0;
	case SIM_EXP_SERVICE:
		s = mc_json_str(p, path, o, key, 16, 1);
		if (!s)
			return -1;
		if (strcmp(s, "normal") && strcmp(s, "limited") && strcmp(s, "none") &&
		    strcmp(s, "off"))
			return mc_json_fail(p, sp, "\"%s\" is not normal, limited, none or off", s);
		strcpy(e->sval, s);
		return 0;
	case SIM_EXP_PLMN:
	case SIM_EXP_HOME: {
		struct mi_plmn id;

		s = mc_json_str(p, path, o, key, 8, 1);
		if (!s || jplmn(p, sp, s, &id) < 0)
			return -1;
		mi_plmn_format(&id, e->sval, sizeof(e->sval));
		return 0;
	}
	case SIM_EXP_EF:
		s = mc_json_str(p, path, o, key, 32, 1);
		if (!s)
			return -1;
		if (parse_ef_path(s, e) < 0)
			return mc_json_fail(p, sp, "\"%s\" is not a path like \"7FFF/6F07\"", s);
		if (mc_json_hex(p, path, o, "hex", e->hex, 0, sizeof(e->hex), &e->hex_len, 1) < 0)
			return -1;
		return 0;
	case SIM_EXP_COST_MAX:
		return mc_json_num(p, path, o, key, &e->dval, 0, 1e9, 1) < 0 ? -1 : 0;
	default:
		return mc_json_int(p, path, o, key, &e->ival, 0, 100000000L, 1) < 0 ? -1 : 0;
	}
}

static int parse_journey(struct mc_json *p, json_t *o, struct sim_journey *j)
{
	static const char *const keys[] = {"name",   "description", "seed",	"card",
					   "world",  "modem",	    "duration", "timeline",
					   "expect", "known_issue", NULL};
	json_t *v, *e;
	const char *s;
	size_t i;
	long l;
	sim_time_t prev = 0;

	if (mc_json_keys(p, "", o, keys) < 0)
		return -1;
	s = mc_json_str(p, "", o, "name", sizeof(j->name), 1);
	if (!s)
		return -1;
	strcpy(j->name, s);
	s = mc_json_str(p, "", o, "description", sizeof(j->description), 0);
	snprintf(j->description, sizeof(j->description), "%s", s ? s : "");
	s = mc_json_str(p, "", o, "known_issue", sizeof(j->known_issue), 0);
	snprintf(j->known_issue, sizeof(j->known_issue), "%s", s ? s : "");
	j->seed = 1;
	if (mc_json_int(p, "", o, "seed", &l, 0, 0x7FFFFFFFL, 0) > 0)
		j->seed = (uint64_t)l;
	v = json_object_get(o, "card");
	if (!v)
		return mc_json_fail(p, "card", "missing");
	if (parse_card(p, "card", v, j) < 0)
		return -1;
	v = json_object_get(o, "world");
	if (!v)
		return mc_json_fail(p, "world", "missing");
	if (jsub_file(p, "world", v, parse_world, &j->net) < 0)
		return -1;
	v = json_object_get(o, "modem");
	if (v) {
		if (jsub_file(p, "modem", v, parse_modem, &j->modem) < 0)
			return -1;
	} else {
		sim_modem_profile_default(&j->modem);
	}
	if (jtime(p, "", o, "duration", &j->duration, 1) < 0)
		return -1;
	v = json_object_get(o, "timeline");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return mc_json_fail(p, "timeline", "expected a non-empty array");
	j->tl = calloc(json_array_size(v), sizeof(*j->tl));
	if (!j->tl)
		return mc_json_fail(p, "timeline", "out of memory");
	json_array_foreach(v, i, e)
	{
		char ip[40];

		mc_json_path_index(ip, sizeof(ip), "timeline", i);
		if (parse_tl(p, ip, e, j, &j->tl[i]) < 0)
			return -1;
		if (j->tl[i].at < prev)
			return mc_json_fail(p, ip, "\"at\" goes back in time");
		if (j->tl[i].at > j->duration)
			return mc_json_fail(p, ip, "after the end of the journey");
		prev = j->tl[i].at;
		j->n_tl++;
	}
	v = json_object_get(o, "expect");
	if (v && !json_is_array(v))
		return mc_json_fail(p, "expect", "expected an array");
	j->exp = calloc(json_array_size(v) + 1, sizeof(*j->exp));
	if (!j->exp)
		return mc_json_fail(p, "expect", "out of memory");
	json_array_foreach(v, i, e)
	{
		char ip[40];

		mc_json_path_index(ip, sizeof(ip), "expect", i);
		if (parse_exp(p, ip, e, j, &j->exp[i]) < 0)
			return -1;
		j->n_exp++;
	}
	return 0;
}

int sim_journey_load(const char *path, struct sim_journey *j, char *err, size_t err_len)
{
	json_t *root;
	struct mc_json p;
	int rc;

	memset(j, 0, sizeof(*j));
	mc_json_init(&p, path, err, err_len);
	root = mc_json_load_file(&p, path);
	if (!root)
		return -1;
	rc = parse_journey(&p, root, j);
	json_decref(root);
	if (rc < 0 || mc_json_failed(&p)) {
		sim_journey_free(j);
		return -1;
	}
	return 0;
}

void sim_journey_free(struct sim_journey *j)
{
	free(j->tl);
	free(j->exp);
	free(j->ota);
	j->tl = NULL;
	j->exp = NULL;
	j->ota = NULL;
	j->n_ota = 0;
	j->n_tl = 0;
	j->n_exp = 0;
}
