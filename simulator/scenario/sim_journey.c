/* SPDX-License-Identifier: Apache-2.0 */
/* Journey files (JSON, jansson): strict keys, errors with their JSON path.
 * The top level here; each part in its own sim_journey_*.c. */
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "scenario/sim_journey_int.h"

static int parse_journey(struct mc_json *p, json_t *o, struct sim_journey *j)
{
	static const char *const keys[] = {"name",   "description", "seed",	"card",
					   "world",  "modem",	    "duration", "timeline",
					   "expect", "known_issue", "dynamic", NULL};
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
	if (sim_journey_card(p, "card", v, j) < 0)
		return -1;
	v = json_object_get(o, "dynamic");
	if (v && sim_journey_dynamic(p, "dynamic", v, j) < 0)
		return -1;
	v = json_object_get(o, "world");
	if (!v)
		return mc_json_fail(p, "world", "missing");
	if (sim_json_sub_file(p, "world", v, sim_journey_world, &j->net) < 0)
		return -1;
	v = json_object_get(o, "modem");
	if (v) {
		if (sim_json_sub_file(p, "modem", v, sim_journey_modem, &j->modem) < 0)
			return -1;
	} else {
		sim_modem_profile_default(&j->modem);
	}
	if (sim_json_time(p, "", o, "duration", &j->duration, 1) < 0)
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
		if (sim_journey_event(p, ip, e, j, &j->tl[i]) < 0)
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
		if (sim_journey_expect(p, ip, e, j, &j->exp[i]) < 0)
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
	free(j->dyn);
	j->dyn = NULL;
	j->tl = NULL;
	j->exp = NULL;
	j->ota = NULL;
	j->n_ota = 0;
	j->n_tl = 0;
	j->n_exp = 0;
}

