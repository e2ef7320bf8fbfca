/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_dyn.h
 *  The OTA swap planner in the loop of the virtual world (use case 2.4-2.6,
 *  docs/planner.md "In the loop"): a dynamic-model subscriber's stock in a
 *  temporary database (libmimsi-stock, in process), location events from
 *  the network after the webhook delay, the planner's provisioning events
 *  executed in order (the virtual HSS learns and forgets IMSIs, the SMS-PP
 *  go through the modem to the card, the PoR comes back), failure
 *  injection, the invariants checked at every step, and the metrics.
 */
#ifndef MIMSI_SIM_DYN_H
#define MIMSI_SIM_DYN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "modem/sim_modem.h"
#include "net/sim_hss.h"
#include "scenario/sim_journey.h"
#include "scenario/sim_setup.h"

/* the loop's event types (the runner's are < 100, the modem's 100..199) */
enum { SIM_EV_DYN_LOCATION = 200, SIM_EV_DYN_SMS, SIM_EV_DYN_POR, SIM_EV_DYN_TIMEOUT };
/* OTA message numbers of the loop (the journey's own "ota" messages are 1..) */
#define SIM_DYN_MSG_BASE 1000

#define SIM_DYN_SAMPLES 64

/*! What the loop measured (docs/scenarios.md, "Metrics"). */
struct sim_dyn_metrics {
	int on;		       /*!< a dynamic journey */
	unsigned long webhooks; /*!< location events the planner received */
	unsigned long swaps;    /*!< swaps committed on their PoR */
	unsigned long released; /*!< swaps ended by a PoR with an error */
	unsigned long timeouts; /*!< swaps ended by swap-timeout */
	unsigned long pors_lost;
	unsigned long sms_sent; /*!< SMS-PP the loop handed to the network */
	unsigned long alerts;	/*!< pool-empty stock alerts */
	int n_swap;
	double swap_s[SIM_DYN_SAMPLES]; /*!< webhook -> service on the new IMSI */
	double swap_max_s;
	int n_cross;
	double cross_s[SIM_DYN_SAMPLES]; /*!< border crossing -> service at the optimum */
	double cross_max_s;
	int cross_open; /*!< crossings never settled at the optimum */
	double cost_static; /*!< the same trip without the swaps (reference currency) */
	unsigned long broken; /*!< invariant violations */
	char broken_first[200];
};

struct sim_dyn;
/*! What the loop acts on: the runner's world. \a line writes a timeline line. */
struct sim_dyn_env {
	struct sim_card *card;
	struct sim_hss *hss;
	struct sim_evq *q;
	struct sim_modem *modem;
	struct sim_net *net;
	void (*line)(void *ctx, const char *text);
	void *ctx;
};

/*! Build the stock of \a d in a temporary directory: sponsors, batches,
 *  pools, the profile's generation and assignment, the dynamic pools. With
 *  \a planner 0 the planner never runs (the static profile for comparison).
 *  \returns the loop, or NULL with \a err set. */
struct sim_dyn *sim_dyn_new(const struct sim_dyn_def *d, int planner, char *err, size_t err_len);
/*! The profile's set (the generation's rules with its IMSIs) for the card. */
const char *sim_dyn_rules(const struct sim_dyn *y);
/*! Personalise the card's key sets of the profile's slots with the stock's
 *  K/OPc and provision them in the HSS, as the SM-DP+ and the MVNE would;
 *  record the set the card holds. \returns 0 or -1 (err). */
int sim_dyn_start(struct sim_dyn *y, const struct sim_dyn_env *env, char *err, size_t err_len);
/*! After each event: a registration in a new country queues the webhook;
 *  the slots of the card's active set go into \a slots; the invariants are
 *  checked and the metrics sampled. */
void sim_dyn_step(struct sim_dyn *y, struct sim_slot_map *slots);
/*! The country changed (a border crossing, for the metrics). */
void sim_dyn_crossing(struct sim_dyn *y, int country);
/*! An event of the loop's types popped. */
void sim_dyn_event(struct sim_dyn *y, const struct sim_event *ev);
/*! The modem forwards a PoR (the SMS-DELIVER-REPORT) of message \a msg. */
void sim_dyn_por(struct sim_dyn *y, int msg, const uint8_t *por, size_t len);
/*! At the end: the metrics (open crossings counted). */
void sim_dyn_finish(struct sim_dyn *y, struct sim_dyn_metrics *m);
/*! Close the database, remove the temporary directory. */
void sim_dyn_free(struct sim_dyn *y);

/* sim_dyn_report.c: the metrics for mimsi-sim run / compare (\a cost and
 * \a oracle: the run's cost and least-cost oracle). */
json_t *sim_dyn_metrics_json(const struct sim_dyn_metrics *d, double cost, double oracle);
void sim_dyn_metrics_print(FILE *f, const struct sim_dyn_metrics *d, double cost, double oracle,
			   const char *currency);

#endif /* MIMSI_SIM_DYN_H */
