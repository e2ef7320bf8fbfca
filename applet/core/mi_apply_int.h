/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_apply_int.h
 *  The events that lead to a decision, in mi_apply.c: each looks up the
 *  rules the decision reads, decides (mi_decide.c) and carries it out.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_APPLY_INT_H
#define MIMSI_MI_APPLY_INT_H

#include "mi_decide_int.h"

/* An event's kind (enum mi_ev_kind) and argument in one word (four
 * arguments travel in registers on the card's CPU). */
#define MI_EV(kind, arg) ((mi_u16)((mi_u16)(kind) << 8 | (mi_u8)(arg)))

/*! Event MI_EV(kind, arg) with \a plmn and \a mcc as struct mi_event holds
 *  them: the rules it needs looked up, decided on (mi_decide) and carried
 *  out. \returns MI_OK or a negative mi_err. */
int mi_event_in(struct mi_applet *a, mi_u16 ev, const mi_u8 *plmn, mi_u16 mcc);

#endif /* MIMSI_MI_APPLY_INT_H */
