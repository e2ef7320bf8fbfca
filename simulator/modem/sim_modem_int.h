/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_modem_int.h
 *  The modem's files and the one direction they call in (the tests' and
 *  the modem's own header; the runner uses sim_modem.h):
 *
 *      sim_modem.c        public entry points, the event and effect dispatch
 *        |  calls
 *        v
 *      sim_modem_sel.c    sim_modem_cat.c    sim_modem_sms.c
 *      PLMN selection     CAT (FETCH, TR,     SMS-PP download
 *      and registration   envelopes, timers)
 *        |                  |                   |
 *        v                  v                   v
 *      sim_modem_fx.c     (post an effect)
 *      sim_modem_usim.c   (APDU transport, file reads, USIM init)
 *
 *  The three middle files never call each other nor sim_modem.c. What one
 *  of them causes in another (REFRESH -> PLMN selection, service change ->
 *  location event download, SMS-PP -> the proactive commands it raised,
 *  registration reject -> NETWORK REJECTION event) it posts as an effect
 *  on the modem's own queue (m->fx, a sim_evq in the modem's storage);
 *  sim_modem.c dispatches them (scripts/core-graph.sh checks the graph).
 *
 *  Ordering guarantee: a middle-layer function posts at most one effect, as
 *  its last action, and sim_modem.c dispatches it before it calls anything
 *  else: before the next FETCH, before the next queued event, before the
 *  modem returns to its caller. So an effect happens exactly where the
 *  direct call would have (a REFRESH's reselection after its TERMINAL
 *  RESPONSE and before the card's next proactive command).
 */
#ifndef MIMSI_SIM_MODEM_INT_H
#define MIMSI_SIM_MODEM_INT_H

#include "modem/sim_modem.h"

/* Effects (m->fx event types). */
enum sim_modem_fx {
	/*! Service state changed: report the location status, run the CAT
	 *  loop, then a = what selection does next (enum sim_modem_then),
	 *  gen = its argument. */
	SIM_FX_SERVICE = 1,
	SIM_FX_CAT,	 /*!< the card may hold proactive commands: FETCH them */
	SIM_FX_RESELECT, /*!< REFRESH re-read the NAA files: select a PLMN again */
	SIM_FX_RESET,	 /*!< REFRESH UICC reset (TS 102 223 §6.4.7): reset the card */
	/*! Registration reject m->rej: the NETWORK REJECTION event, the
	 *  proactive commands it raises, then the next candidate unless the
	 *  card changed the subscription; gen = the selection it belongs to. */
	SIM_FX_REJECTED
};

/* What PLMN selection does once a service change has been reported. */
enum sim_modem_then {
	SIM_THEN_NOTHING = 0,
	SIM_THEN_SEARCH_LATER, /*!< no service: search again in retry_s */
	SIM_THEN_ATTEMPT,      /*!< first registration attempt after gen seconds */
	SIM_THEN_SELECT	       /*!< a new PLMN selection after gen seconds */
};

/* sim_modem_fx.c */
/*! Post effect \a type for sim_modem.c to dispatch. */
void sim_modem_fx_post(struct sim_modem *m, enum sim_modem_fx type, int a, uint32_t gen);

/* sim_modem_usim.c */
int sim_modem_xfer(struct sim_modem *m, const uint8_t *cmd, size_t len, uint8_t *resp,
		   size_t *resp_len, uint16_t *sw);
void sim_modem_notef(struct sim_modem *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*! send_tp: 1 = full init with TERMINAL PROFILE, 0 = NAA re-init, -1 =
 *  select ADF.USIM only. \returns 0 or -1. */
int sim_modem_usim_init(struct sim_modem *m, int send_tp);

/* sim_modem_cat.c */
/*! One FETCH (the card said 91xx) and the TERMINAL RESPONSE. */
void sim_modem_cat_fetch(struct sim_modem *m);
void sim_modem_report_location(struct sim_modem *m);
void sim_modem_send_due_timers(struct sim_modem *m);
/*! Tell the card about rejection \a r (NULL: the one the card answered
 *  9300) if it asked for the event. \returns 1 sent. */
int sim_modem_report_reject(struct sim_modem *m, const struct sim_reject *r);
/*! The MENU SELECTION envelope. \returns 0 or -1. */
int sim_modem_cat_menu(struct sim_modem *m, int item, int select);

/* sim_modem_sel.c */
void sim_modem_select_plmn(struct sim_modem *m, int delay_s);
void sim_modem_attach_done(struct sim_modem *m);
void sim_modem_set_service(struct sim_modem *m, enum sim_service svc, int plmn);
/*! Fill m->cand / m->n_cand in TS 23.122 order from the files read and the network. */
void sim_modem_build_candidates(struct sim_modem *m);
void sim_modem_periodic(struct sim_modem *m);
void sim_modem_sel_net_changed(struct sim_modem *m);
/*! After REFRESH re-read the NAA files: a new selection with the new IMSI. */
void sim_modem_sel_refresh(struct sim_modem *m);
/*! SIM_FX_SERVICE reported: go on as \a then says. */
void sim_modem_sel_then(struct sim_modem *m, enum sim_modem_then then, int arg);
/*! SIM_FX_REJECTED reported (\a sent: the card got the event). */
void sim_modem_sel_after_reject(struct sim_modem *m, uint32_t gen, int sent);

/* sim_modem_sms.c: sim_modem_sms.h */

#endif /* MIMSI_SIM_MODEM_INT_H */
