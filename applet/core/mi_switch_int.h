/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_switch_int.h
 *  The switch and its REFRESH, in mi_switch.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_SWITCH_INT_H
#define MIMSI_MI_SWITCH_INT_H

#include "mi_core_int.h"

int mi_switch(struct mi_applet *a, mi_u8 slot, struct mi_nv *nv);
void mi_refresh_next(struct mi_applet *a);
void mi_refresh_result(struct mi_applet *a, mi_u8 result);

#endif /* MIMSI_MI_SWITCH_INT_H */
