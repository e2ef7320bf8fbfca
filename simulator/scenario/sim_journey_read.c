/* SPDX-License-Identifier: Apache-2.0 */
/* What every part of a journey file shares: durations, PLMNs, and a
 * section given inline or as the name of its own file. */
#include <ctype.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "mimsi/mi_err.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey_int.h"

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

int sim_json_time(struct mc_json *p, const char *path, json_t *o, const char *key, sim_time_t *out,
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

int sim_json_plmn(struct mc_json *p, const char *path, const char *text, struct mi_plmn *out)
{
	if (mi_plmn_parse(text, (mi_u16)strlen(text), out) != MI_OK)
		return mc_json_fail(p, path, "bad PLMN \"%s\" (want MCC-MNC like \"262-01\")", text);
	return 0;
}

/* Load \a v, or the JSON file it names, and call \a fn on the object. */
int sim_json_sub_file(struct mc_json *p, const char *path, json_t *v,
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
