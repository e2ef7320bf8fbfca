/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_journey_int.h
 *  Inside the journey reader: one file per part of a journey file.
 *  sim_journey.c reads the top level and calls the part readers (world,
 *  modem, card, timeline, expectations); they share only the helpers of
 *  sim_journey_read.c, never each other, so no two files call in a circle.
 *  Every reader \returns 0, or -1 with the error set in \a p (mc_json.h).
 */
#ifndef MIMSI_SIM_JOURNEY_INT_H
#define MIMSI_SIM_JOURNEY_INT_H

#include <jansson.h>

#include "mc_json.h"
#include "mimsi/mi_plmn.h"
#include "scenario/sim_journey.h"

/* sim_journey_read.c */
/*! Seconds or a duration ("90s", "1d6h"); \returns 1 set, 0 absent, -1 error. */
int sim_json_time(struct mc_json *p, const char *path, json_t *o, const char *key, sim_time_t *out,
		  int required);
/*! "MCC-MNC" into \a out. */
int sim_json_plmn(struct mc_json *p, const char *path, const char *text, struct mi_plmn *out);
/*! Call \a fn on \a v, or on the JSON file \a v names (found beside the
 *  journey, in $MIMSI_DATADIR or the installed data). */
int sim_json_sub_file(struct mc_json *p, const char *path, json_t *v,
		      int (*fn)(struct mc_json *, const char *, json_t *, void *), void *arg);

/*! sim_journey_world.c: \a arg is the struct sim_net to fill. */
int sim_journey_world(struct mc_json *p, const char *path, json_t *o, void *arg);
/*! sim_journey_modem.c: \a arg is the struct sim_modem_profile to fill. */
int sim_journey_modem(struct mc_json *p, const char *path, json_t *o, void *arg);
/*! sim_journey_card.c */
int sim_journey_card(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j);
/*! sim_journey_timeline.c: one timeline entry (the world is already read). */
int sim_journey_event(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
		      struct sim_tl *t);
/*! sim_journey_expect.c: one expectation. */
int sim_journey_expect(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j,
		       struct sim_exp *e);

/*! sim_journey_dyn.c: the "dynamic" key (the card's set then comes from its stock). */
int sim_journey_dynamic(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j);

#endif /* MIMSI_SIM_JOURNEY_INT_H */
