/* SPDX-License-Identifier: Apache-2.0 */
/* What the runner checks and measures at every step of a dynamic journey:
 * the card's active set against the HSS (the invariant), the location
 * events the network reports, webhook -> service and crossing -> optimum. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario/sim_dyn_int.h"

void dyn_broken(struct sim_dyn *y, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (y->m.broken++ == 0)
		snprintf(y->m.broken_first, sizeof(y->m.broken_first), "%s", text);
	dyn_say(y, "INVARIANT BROKEN: %s", text);
}

static void add_sample(double *v, int *n, double *max, double x)
{
	if (*n < SIM_DYN_SAMPLES)
		v[(*n)++] = x;
	if (x > *max)
		*max = x;
}

/* Served at the cheapest price any IMSI of the card has in the country. */
static int at_optimum(const struct sim_dyn *y, const struct sim_slot_map *slots)
{
	const struct sim_modem *md = y->env.modem;
	const char *imsis[SIM_SLOTS_MAX];
	const struct sim_accept *a;
	double best;
	int i;

	if (!md->powered || md->svc != SIM_SVC_NORMAL || !sim_net_visible(y->env.net, md->plmn))
		return 0;
	for (i = 0; i < slots->n; i++)
		imsis[i] = slots->slot[i].imsi;
	best = sim_net_cheapest(y->env.net, imsis, slots->n);
	a = sim_net_accepts(y->env.net, md->plmn, md->imsi);
	return a && best >= 0 && a->price_ref <= best + 1e-9;
}

void sim_dyn_step(struct sim_dyn *y, struct sim_slot_map *slots)
{
	const struct sim_modem *md = y->env.modem;
	sim_time_t now = y->env.q->now;
	struct sim_slot_map map;
	int i, bad = 0, opt;

	/* the card as it is: its active set's slots, each known to the HSS */
	if (sim_setup_active_set(y->env.card, &map, NULL, NULL) == 1) {
		for (i = 0; i < map.n; i++)
			if (!sim_hss_knows(y->env.hss, map.slot[i].imsi)) {
				if (!y->broken_prev)
					dyn_broken(y, "the card's slot %d holds IMSI %s, unknown to the HSS", map.slot[i].slot,
					       map.slot[i].imsi);
				bad = 1;
			}
		*slots = map;
	}
	y->broken_prev = bad;
	if (!y->planner)
		return;
	/* the MVNE reports a registration in a new country (the webhook) */
	if (md->powered && md->svc == SIM_SVC_NORMAL && md->plmn >= 0 &&
	    y->env.net->plmns[md->plmn].country != y->reported_country && y->n_loc < DYN_QUEUED) {
		y->reported_country = y->env.net->plmns[md->plmn].country;
		mi_plmn_format(&y->env.net->plmns[md->plmn].id, y->loc[y->n_loc], sizeof(y->loc[0]));
		dyn_say(y, "network: registered in %s: location event %s to the planner in %lld s",
		    y->env.net->countries[y->reported_country].name, y->loc[y->n_loc], (long long)y->d->webhook_delay);
		sim_evq_push(y->env.q, now + y->d->webhook_delay, SIM_EV_DYN_LOCATION, y->n_loc++, 0);
	}
	/* webhook -> service on the new IMSI */
	if (y->svc_open && md->powered && md->svc == SIM_SVC_NORMAL && !strcmp(md->imsi, y->svc_imsi)) {
		y->svc_open = 0;
		add_sample(y->m.swap_s, &y->m.n_swap, &y->m.swap_max_s, (double)(now - y->svc_from));
	}
	/* border crossing -> service at the optimum the planner settled on */
	opt = at_optimum(y, slots);
	if (opt && !y->opt_prev)
		y->opt_since = now;
	y->opt_prev = opt;
	if (y->cross_open && y->decided && opt) {
		y->cross_open = 0;
		add_sample(y->m.cross_s, &y->m.n_cross, &y->m.cross_max_s,
			   (double)((y->opt_since > y->cross_t ? y->opt_since : y->cross_t) - y->cross_t));
	}
}

void sim_dyn_crossing(struct sim_dyn *y, int country)
{
	if (!y->planner)
		return;
	if (y->cross_open)
		y->m.cross_open++; /* left before the optimum */
	y->cross_open = country >= 0;
	y->cross_country = country;
	y->cross_t = y->env.q->now;
	/* back where the planner last decided: no new location event comes */
	y->decided = country == y->reported_country && y->op.kind == OP_NONE;
}

void sim_dyn_finish(struct sim_dyn *y, struct sim_dyn_metrics *m)
{
	if (y->cross_open)
		y->m.cross_open++;
	y->cross_open = 0;
	*m = y->m;
}
