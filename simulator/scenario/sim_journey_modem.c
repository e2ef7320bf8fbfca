/* SPDX-License-Identifier: Apache-2.0 */
/* Modem profiles: a journey's "modem" section or a named profile file
 * (test-vectors/scenarios/modems/NAME.json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey_int.h"

int sim_journey_modem(struct mc_json *p, const char *path, json_t *o, void *arg)
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
	sim_journey_modem(&p, "", root, m);
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
