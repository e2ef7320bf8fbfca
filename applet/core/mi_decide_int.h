/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_decide_int.h
 *  The decisions, in mi_decide.c: state + rules view + event -> decision,
 *  a pure function (no port call, no NV write, nothing sent). mi_apply.c
 *  looks up the rules the decision reads and carries the decision out.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_DECIDE_INT_H
#define MIMSI_MI_DECIDE_INT_H

#include "mi_core_int.h"

/* What happened. */
enum mi_ev_kind {
	MI_EV_LOCATION = 0, /*!< location status arg (TS 102 223 §8.27); normal: plmn, mcc */
	MI_EV_PLI = 1,	    /*!< PROVIDE LOCAL INFORMATION: limited service camped on plmn, mcc */
	MI_EV_REJECT = 2,   /*!< NETWORK REJECTION by a network of mcc, cause arg */
	MI_EV_TIMER = 3,    /*!< soft timer arg expired */
	MI_EV_AUTO = 4	    /*!< menu "Automatic": unpinned, the serving PLMN looked at again */
};

/* The kinds up to MI_EV_REJECT carry the MCC of the network they concern. */
#define MI_EV_HAS_MCC(kind) ((kind) <= MI_EV_REJECT)

struct mi_event {
	const mi_u8 *plmn; /*!< 3 bytes (TS 24.008 §10.5.1.13): location normal, PLI */
	mi_u16 mcc;	   /*!< location normal, PLI, rejection */
	mi_u8 kind;	   /*!< enum mi_ev_kind */
	mi_u8 arg;	   /*!< location status, rejection cause, timer id */
};

/* The rules the decision reads, looked up before it. */
struct mi_view {
	struct mi_profile here;	   /*!< the event's PLMN (or the serving one): exact, MCC, global */
	struct mi_profile country; /*!< MCC default (or global) of the country the decision is in */
};

#define MI_TBIT(id) ((mi_u8)(1u << ((id)-1u))) /* soft timer id as a bit of arm */
#define MI_ARM_FO_HOUR 0x80u /* arm: a new failover hour starts now (ram->fo_window) */

struct mi_decision {
	struct mi_nv nv;   /*!< in: the state; out: the state to commit (with the switch) */
	mi_u8 queue;	   /*!< proactive commands owed now (MI_Q_PLI, MI_Q_REFRESH: low bits) */
	mi_u8 slot;	   /*!< switch to this slot; 0: none (optional: nv.flags MI_NV_F_PROBE) */
	mi_u8 stop;	   /*!< timer id stopped before the state is written; 0: none */
	mi_u8 arm;	   /*!< MI_TBIT: timers started after it (own periods); MI_ARM_FO_HOUR */
	mi_u8 fo_armed;	   /*!< ram->fo_armed after the event (MI_FO_*) */
	struct mi_event e; /*!< in: the event */
	struct mi_view v;  /*!< in: the rules the decision reads (last: short offsets first) */
};

void mi_decide(const struct mi_ram *r, struct mi_decision *d);

#endif /* MIMSI_MI_DECIDE_INT_H */
