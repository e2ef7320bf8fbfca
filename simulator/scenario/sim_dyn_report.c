/* SPDX-License-Identifier: Apache-2.0 */
/* The planner-in-the-loop metrics as mimsi-sim run and compare print them
 * (text and --json). */
#include <stdio.h>

#include "scenario/sim_dyn.h"

json_t *sim_dyn_metrics_json(const struct sim_dyn_metrics *d, double cost, double oracle)
{
	json_t *o = json_object(), *sw = json_array(), *cr = json_array();
	int i;

	for (i = 0; i < d->n_swap; i++)
		json_array_append_new(sw, json_real(d->swap_s[i]));
	for (i = 0; i < d->n_cross; i++)
		json_array_append_new(cr, json_real(d->cross_s[i]));
	json_object_set_new(o, "webhooks", json_integer((json_int_t)d->webhooks));
	json_object_set_new(o, "swaps", json_integer((json_int_t)d->swaps));
	json_object_set_new(o, "released", json_integer((json_int_t)d->released));
	json_object_set_new(o, "timeouts", json_integer((json_int_t)d->timeouts));
	json_object_set_new(o, "pors_lost", json_integer((json_int_t)d->pors_lost));
	json_object_set_new(o, "ota_sms_sent", json_integer((json_int_t)d->sms_sent));
	json_object_set_new(o, "stock_alerts", json_integer((json_int_t)d->alerts));
	json_object_set_new(o, "swap_service_s", sw);
	json_object_set_new(o, "swap_service_max_s", json_real(d->swap_max_s));
	json_object_set_new(o, "crossing_optimal_s", cr);
	json_object_set_new(o, "crossing_optimal_max_s", json_real(d->cross_max_s));
	json_object_set_new(o, "crossings_never_optimal", json_integer(d->cross_open));
	json_object_set_new(o, "cost_static", json_real(d->cost_static));
	json_object_set_new(o, "cost_vs_static", d->cost_static > 0 ? json_real(cost / d->cost_static) : json_null());
	json_object_set_new(o, "cost_vs_oracle", oracle > 0 ? json_real(cost / oracle) : json_null());
	json_object_set_new(o, "invariant_broken", json_integer((json_int_t)d->broken));
	return o;
}

void sim_dyn_metrics_print(FILE *f, const struct sim_dyn_metrics *d, double cost, double oracle,
			   const char *currency)
{
	int i;

	fprintf(f, "  planner          %lu location events, %lu swaps, %lu released, %lu timeouts, %lu PoRs lost, "
		   "%lu stock alerts\n",
		d->webhooks, d->swaps, d->released, d->timeouts, d->pors_lost, d->alerts);
	fprintf(f, "  webhook->service");
	for (i = 0; i < d->n_swap; i++)
		fprintf(f, " %.0f", d->swap_s[i]);
	if (d->n_swap)
		fprintf(f, " s on the new IMSI (max %.0f s)\n", d->swap_max_s);
	else
		fprintf(f, " none (no new IMSI in service)\n");
	fprintf(f, "  crossing->optimum");
	for (i = 0; i < d->n_cross; i++)
		fprintf(f, " %.0f", d->cross_s[i]);
	fprintf(f, " s (max %.0f s%s)\n", d->cross_max_s, d->cross_open ? ", some never" : "");
	fprintf(f, "  OTA SMS sent     %lu by the planner\n", d->sms_sent);
	fprintf(f, "  cost vs static   %.4f %s against %.4f on the static profile (%.1f%%); oracle %.4f (%.1f%%)\n",
		cost, currency, d->cost_static, d->cost_static > 0 ? 100.0 * cost / d->cost_static : 0, oracle,
		oracle > 0 ? 100.0 * cost / oracle : 0);
	if (d->broken)
		fprintf(f, "  INVARIANT BROKEN %lu times, first: %s\n", d->broken, d->broken_first);
}
