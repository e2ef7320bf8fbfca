/* SPDX-License-Identifier: Apache-2.0 */
/* The "dynamic" key of a journey: a dynamic-model subscriber whose OTA swap
 * planner runs in the loop (use case 2.4-2.6, docs/scenarios.md). Only the
 * form is checked here; the stock file is read when the run builds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey_int.h"

static int fault(struct mc_json *p, const char *path, json_t *o, struct sim_dyn_fault *f)
{
	static const char *const keys[] = {"ota", "lose_sms", "delay_sms", "by", "lose_por", "delay_por", NULL};
	static const char *const one[] = {"lose_sms", "delay_sms", "lose_por", "delay_por"};
	long l;
	int i, n = 0, b;

	if (!json_is_object(o))
		return mc_json_fail(p, path, "expected an object");
	if (mc_json_keys(p, path, o, keys) < 0 || mc_json_int(p, path, o, "ota", &l, 1, 1000, 1) < 0)
		return -1;
	f->msg = (int)l;
	for (i = 0; i < 4; i++)
		if (json_object_get(o, one[i])) {
			n++;
			f->kind = (enum sim_dyn_fault_kind)i;
		}
	if (n != 1)
		return mc_json_fail(p, path, "exactly one of lose_sms, delay_sms, lose_por, delay_por");
	if ((f->kind == SIM_DYN_DELAY_SMS) != (json_object_get(o, "by") != NULL))
		return mc_json_fail(p, path, "\"by\" (how late) goes with delay_sms, and only with it");
	switch (f->kind) {
	case SIM_DYN_LOSE_SMS:
	case SIM_DYN_DELAY_SMS:
		if (mc_json_int(p, path, o, f->kind == SIM_DYN_LOSE_SMS ? "lose_sms" : "delay_sms", &l, 1,
				SIM_OTA_SMS_MAX, 1) < 0)
			return -1;
		f->sms = (int)l;
		if (f->kind == SIM_DYN_DELAY_SMS && sim_json_time(p, path, o, "by", &f->delay, 1) < 0)
			return -1;
		break;
	case SIM_DYN_LOSE_POR:
		if (mc_json_bool(p, path, o, "lose_por", &b, 1) < 0)
			return -1;
		if (!b)
			return mc_json_fail(p, path, "lose_por: true, or leave it out");
		break;
	case SIM_DYN_DELAY_POR:
		if (sim_json_time(p, path, o, "delay_por", &f->delay, 1) < 0)
			return -1;
		break;
	}
	return 0;
}

static int file_of(struct mc_json *p, const char *path, json_t *o, const char *key, char *out, size_t cap)
{
	const char *s = mc_json_str(p, path, o, key, cap, 1);
	char kp[160];

	if (!s)
		return -1;
	mc_json_path_key(kp, sizeof(kp), path, key);
	if (sim_data_path(p->file, s, out, cap) < 0)
		return mc_json_fail(p, kp, "cannot find \"%s\" (beside the journey, in $MIMSI_DATADIR or the "
					   "installed data)",
				    s);
	return 0;
}

int sim_journey_dynamic(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j)
{
	static const char *const keys[] = {"stock",	 "webhook_delay", "por_timeout", "min_stay_hours",
					   "stay_hours", "ota_cost",	  "gb_per_day",	 "faults",
					   NULL};
	struct sim_dyn_def *d;
	json_t *v, *e;
	const char *s;
	char fp[160];
	size_t i;

	if (!json_is_object(o))
		return mc_json_fail(p, path, "expected an object");
	if (j->rules[0])
		return mc_json_fail(p, path, "the card's set comes from the stock's generation: leave card.rules out");
	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	d = j->dyn = calloc(1, sizeof(*d));
	if (!d)
		return mc_json_fail(p, path, "out of memory");
	if (file_of(p, path, o, "stock", d->stock, sizeof(d->stock)) < 0)
		return -1;
	/* the MVNE's webhook comes about a minute after the registration */
	d->webhook_delay = 60;
	d->por_timeout = 15 * 60;
	if (sim_json_time(p, path, o, "webhook_delay", &d->webhook_delay, 0) < 0 ||
	    sim_json_time(p, path, o, "por_timeout", &d->por_timeout, 0) < 0)
		return -1;
	if (d->por_timeout < 1)
		return mc_json_fail(p, path, "por_timeout: at least one second");
	/* mimsi-stock plan-swap's defaults */
	d->min_stay_h = 12;
	d->stay_h = 72;
	d->gb_per_day = 0.5;
	if (mc_json_num(p, path, o, "min_stay_hours", &d->min_stay_h, 0, 12000, 0) < 0 ||
	    mc_json_num(p, path, o, "stay_hours", &d->stay_h, 0, 1e6, 0) < 0 ||
	    mc_json_num(p, path, o, "gb_per_day", &d->gb_per_day, 0, 1e6, 0) < 0)
		return -1;
	s = mc_json_str(p, path, o, "ota_cost", sizeof(d->ota_cost), 0);
	if (!s && mc_json_failed(p))
		return -1;
	snprintf(d->ota_cost, sizeof(d->ota_cost), "%s", s ? s : "0");
	if (strspn(d->ota_cost, "0123456789.") != strlen(d->ota_cost) || !d->ota_cost[0]) {
		mc_json_path_key(fp, sizeof(fp), path, "ota_cost");
		return mc_json_fail(p, fp, "a decimal string in the plan's currency, like \"0.05\"");
	}
	v = json_object_get(o, "faults");
	if (!v)
		return 0;
	mc_json_path_key(fp, sizeof(fp), path, "faults");
	if (!json_is_array(v) || json_array_size(v) > SIM_DYN_FAULTS_MAX)
		return mc_json_fail(p, fp, "expected an array of at most %d faults", SIM_DYN_FAULTS_MAX);
	json_array_foreach(v, i, e)
	{
		char ip[180];

		mc_json_path_index(ip, sizeof(ip), fp, i);
		if (fault(p, ip, e, &d->faults[d->n_faults]) < 0)
			return -1;
		d->n_faults++;
	}
	return 0;
}
