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

/* Which paths this build carries: compile-time constants, so a card build
 * for one mode drops the other's code (--gc-sections drops its builders). */
#define MI_TK_APPLET_PATH (MI_PORT_TOOLKIT != MI_TOOLKIT_FRAMEWORK)
#define MI_TK_FW_PATH (MI_PORT_TOOLKIT != MI_TOOLKIT_APPLET)

#if MI_PORT_TOOLKIT == MI_TOOLKIT_APPLET
/* The applet owns everything: the identity, no code. */
#define MI_TK_FW(a) 0
#define mi_toolkit_claim(a, caps) (caps)
#define mi_toolkit_role(a, id) (id)
#define mi_toolkit_menu_item(a) MI_ITEM_MENU
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
/*! The role (enum mi_timer_id) of timer identifier \a id; 0 if none. */
mi_u8 mi_toolkit_role(struct mi_applet *a, mi_u8 id);
/*! The item identifier of the applet's menu entry (0: none). */
#define mi_toolkit_menu_item(a) (MI_TK_FW(a) ? (a)->ram->menu_item : MI_ITEM_MENU)
#endif

/*! Build the queued command (\a type, \a qual; \a role for TIMER
 *  MANAGEMENT) from the applet's state in ram->cmd and hand it to the
 *  port. \returns mi_port_proactive_send()'s answer, or a negative mi_err. */
int mi_toolkit_send(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 role);

#endif /* MIMSI_MI_TOOLKIT_INT_H */
