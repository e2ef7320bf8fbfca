/* SPDX-License-Identifier: Apache-2.0 */
/* The timeline of a journey: one event per entry, at a virtual time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "mimsi/mi_config.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey_int.h"
#include "ota.h"

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
	if (sim_json_time(p, path, o, "every", &every, 1) < 0 ||
	    sim_json_time(p, path, o, "until", &t->until, 1) < 0)
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

int sim_journey_event(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
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

	if (mc_json_keys(p, path, o, keys) < 0 || sim_json_time(p, path, o, "at", &t->at, 1) < 0)
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
		if (!s || sim_json_plmn(p, sp, s, &id) < 0)
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
		if (!s || sim_json_plmn(p, sp, s, &id) < 0)
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
