/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_decide_int.h
 *  The decisions, in mi_decide.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_DECIDE_INT_H
#define MIMSI_MI_DECIDE_INT_H

#include "mi_core_int.h"

int mi_evaluate(struct mi_applet *a, struct mi_nv *nv);
int mi_location(struct mi_applet *a, mi_u8 status, const mi_u8 *plmn, mi_u16 mcc);
int mi_pli_limited(struct mi_applet *a, const mi_u8 *plmn, mi_u16 mcc);
int mi_rejected(struct mi_applet *a, mi_u16 mcc, mi_u8 cause);
int mi_timer_fire(struct mi_applet *a, mi_u8 id);

#endif /* MIMSI_MI_DECIDE_INT_H */
