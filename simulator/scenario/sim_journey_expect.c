/* SPDX-License-Identifier: Apache-2.0 */
/* The expectations of a journey: what a run must show, at a time or over
 * the whole journey. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "mimsi/mi_config.h"
#include "scenario/sim_journey_int.h"

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
    {"swaps", SIM_EXP_SWAPS, 0},
    {"swap_service_max_s", SIM_EXP_SWAP_SERVICE_MAX_S, 0},
    {"crossing_optimal_max_s", SIM_EXP_CROSSING_OPT_MAX_S, 0},
    {"cost_vs_static_max", SIM_EXP_COST_VS_STATIC_MAX, 0},
    {"timeouts", SIM_EXP_TIMEOUTS, 0},
    {"pors_lost", SIM_EXP_PORS_LOST, 0},
    {"stock_alerts_min", SIM_EXP_STOCK_ALERTS_MIN, 0},
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

int sim_journey_expect(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
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
					   "swaps",
					   "swap_service_max_s",
					   "crossing_optimal_max_s",
					   "cost_vs_static_max",
					   "timeouts",
					   "pors_lost",
					   "stock_alerts_min",
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
	if (e->kind >= SIM_EXP_SWAPS && !j->dyn)
		return mc_json_fail(p, path, "\"%s\" measures the planner in the loop: the journey needs \"dynamic\"",
				    key);
	e->at = -1;
	at = json_object_get(o, "at");
	mc_json_path_key(sp, sizeof(sp), path, "at");
	if (at && !timed)
		return mc_json_fail(p, sp, "\"%s\" is a whole-journey metric: no \"at\"", key);
	if (at && !(json_is_string(at) && strcmp(json_string_value(at), "end") == 0)) {
		if (sim_json_time(p, path, o, "at", &e->at, 1) < 0)
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
		if (!s || sim_json_plmn(p, sp, s, &id) < 0)
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
	case SIM_EXP_COST_VS_STATIC_MAX:
		return mc_json_num(p, path, o, key, &e->dval, 0, 1e9, 1) < 0 ? -1 : 0;
	default:
		return mc_json_int(p, path, o, key, &e->ival, 0, 100000000L, 1) < 0 ? -1 : 0;
	}
}
