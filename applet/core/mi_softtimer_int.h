/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_softtimer_int.h
 *  Soft timers, in mi_softtimer.c (RAM only).
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_SOFTTIMER_INT_H
#define MIMSI_MI_SOFTTIMER_INT_H

#include "mi_core_int.h"

void mi_timer_arm(struct mi_applet *a, mi_u8 id, mi_u32 seconds);
void mi_timer_cancel(struct mi_applet *a, mi_u8 id);
void mi_rotate_arm(struct mi_applet *a);
mi_u32 mi_rotation_s(const struct mi_applet *a);
mi_u32 mi_dwell_s(const struct mi_applet *a);
mi_u32 mi_reeval_s(const struct mi_applet *a);

/* Seconds until timer \a id is due; at least 1 (the clock may have passed
 * it while its start command waited in the queue). Inline: its one caller
 * is the TIMER MANAGEMENT builder (mi_toolkit.c). */
static inline mi_u32 mi_timer_left(const struct mi_applet *a, mi_u8 id)
{
	mi_u32 d = a->ram->deadline[id - 1u];

	return d > a->ram->now_s ? d - a->ram->now_s : 1u;
}

#endif /* MIMSI_MI_SOFTTIMER_INT_H */
