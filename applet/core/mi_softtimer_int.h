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
mi_u32 mi_timer_left(const struct mi_applet *a, mi_u8 id);

#endif /* MIMSI_MI_SOFTTIMER_INT_H */
