/* SPDX-License-Identifier: Apache-2.0 */
/* The world of a journey: countries, networks, agreements, FX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "mimsi/mi_config.h"
#include "scenario/sim_journey_int.h"

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
	if (sim_json_plmn(p, sp, s, &pl->id) < 0)
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

int sim_journey_world(struct mc_json *p, const char *path, json_t *o, void *arg)
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
