/* SPDX-License-Identifier: Apache-2.0 */
/* The swap planner's decision, without the database (docs/planner.md). */
#include <string.h>

#include "st_plan.h"

const char *st_plan_why_name(enum st_plan_why why)
{
	static const char *const names[] = {"swap",	    "best",	  "short-visit",
					    "not-worth-it", "pool-empty", "in-flight"};

	return (unsigned)why < sizeof(names) / sizeof(names[0]) ? names[why] : "?";
}

/* a before b: cheaper, then one on hold for this subscriber (use case 2.5),
 * then the first listed */
static int better(const struct st_plan_cand *a, const struct st_plan_cand *b)
{
	if (a->price != b->price)
		return a->price < b->price;
	return a->held_for > 0 && b->held_for == 0;
}

/* Saving over the stay: price difference per GB x GB used over the stay. */
static int64_t saving(const struct st_plan_in *in, int64_t price_new)
{
	__int128 gb, s;

	if (in->price_now < 0)
		return -1; /* nothing serves there now: unbounded */
	gb = (__int128)in->gb_per_day * in->stay_s / 86400;
	s = (__int128)(in->price_now - price_new) * gb / 1000000;
	return s > INT64_MAX ? INT64_MAX : (int64_t)s;
}

void st_plan_decide(const struct st_plan_in *in, struct st_plan_out *out)
{
	int i, best = -1;

	memset(out, 0, sizeof(*out));
	out->choice = -1;
	if (in->in_flight) {
		out->why = ST_PLAN_IN_FLIGHT;
		return;
	}
	for (i = 0; i < in->n_cand; i++) {
		const struct st_plan_cand *k = &in->cand[i];

		if (k->price < 0 || strcmp(k->sponsor, in->sponsor_now) == 0 ||
		    (in->price_now >= 0 && k->price >= in->price_now))
			continue;
		if (k->held_for + k->available == 0) {
			if (out->n_empty < ST_PLAN_MAX_CAND)
				out->empty[out->n_empty++] = i;
			continue;
		}
		if (best < 0 || better(k, &in->cand[best]))
			best = i;
	}
	if (best < 0) {
		out->why = out->n_empty ? ST_PLAN_EMPTY : ST_PLAN_BEST;
		return;
	}
	out->saving = saving(in, in->cand[best].price);
	if (in->stay_s < in->min_stay_s) {
		out->why = ST_PLAN_SHORT_VISIT;
		return;
	}
	if (out->saving >= 0 && out->saving <= in->ota_cost) {
		out->why = ST_PLAN_NOT_WORTH;
		return;
	}
	out->why = ST_PLAN_SWAP;
	out->choice = best;
}
