/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_toolkit_int.h
 *  Toolkit resources (event registration, the menu entry, timers) owned by
 *  the applet or by the card's framework (MI_PORT_TOOLKIT in mi_port.h),
 *  and the proactive commands built from the applet's state, in
 *  mi_toolkit.c. Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_TOOLKIT_INT_H
#define MIMSI_MI_TOOLKIT_INT_H

#include "mi_cat_int.h"

#if MI_PORT_TOOLKIT == MI_TOOLKIT_APPLET
/* The applet owns everything: the identity, no code. */
#define MI_TK_FW(a) 0
#define mi_toolkit_claim(a, caps) (caps)
#define mi_toolkit_role(a, id) (id)
#define MI_TK_ITEM_OK(a, item) ((item) == MI_ITEM_MENU)
#else
#if MI_PORT_TOOLKIT == MI_TOOLKIT_FRAMEWORK
#define MI_TK_FW(a) 1
#else
#define MI_TK_FW(a) ((mi_port_caps((a)->port) & MI_PORT_CAP_FW_TOOLKIT) != 0u)
#endif
/*! TERMINAL PROFILE with framework-owned resources: register the events
 *  and the menu entry, get a timer per role. \returns \a caps without what
 *  the framework refused (all the timers go when one is missing: the clock
 *  is then STATUS polls, as for a terminal without TIMER MANAGEMENT). */
mi_u8 mi_toolkit_claim(struct mi_applet *a, mi_u8 caps);
/*! The role (enum mi_timer_id) of timer identifier \a id; 0 if none.
 *  Inline: its one caller is TIMER EXPIRATION (mi_engine.c). */
static inline mi_u8 mi_toolkit_role(struct mi_applet *a, mi_u8 id)
{
	mi_u8 k;

	if (!MI_TK_FW(a))
		return id;
	for (k = 1; k <= MI_TIMER_COUNT; k++)
		if (mi_port_timer_id(a->port, k) == (int)id)
			return k;
	return 0;
}
/*! \a item of a MENU SELECTION is the applet's entry: its own 01, or any
 *  when the framework owns the menu (it hands over only the applet's). */
#define MI_TK_ITEM_OK(a, item) (MI_TK_FW(a) || (item) == MI_ITEM_MENU)
#endif

/*! Build the queued command (\a type, \a qual; \a role for TIMER
 *  MANAGEMENT) from the applet's state in ram->cmd and hand it to the
 *  port. \returns mi_port_proactive_send()'s answer, or a negative mi_err. */
int mi_toolkit_send(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 role);

#endif /* MIMSI_MI_TOOLKIT_INT_H */
