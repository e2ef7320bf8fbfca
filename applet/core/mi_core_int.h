/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_core_int.h
 *  The words every engine unit of applet/core shares: slot bits, proactive
 *  command types, the command queue, REFRESH and fast failover states.
 */
#ifndef MIMSI_MI_CORE_INT_H
#define MIMSI_MI_CORE_INT_H

#include "mimsi/mi_applet.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MI_BIT(s) ((mi_u16)(1u << ((s)-1u))) /* slot s (1..10) as a bitmap bit */

/* Proactive command types (TS 102 223 §9.4). */
#define MI_CMD_REFRESH 0x01u
#define MI_CMD_EVENT_LIST 0x05u
#define MI_CMD_SELECT_ITEM 0x24u
#define MI_CMD_SETUP_MENU 0x25u
#define MI_CMD_PLI 0x26u
#define MI_CMD_TIMER 0x27u

/* Which toolkit paths this build carries (MI_PORT_TOOLKIT in mi_port.h):
 * compile-time constants, so a card build for one mode drops the other's
 * code. */
#define MI_TK_APPLET_PATH (MI_PORT_TOOLKIT != MI_TOOLKIT_FRAMEWORK)
#define MI_TK_FW_PATH (MI_PORT_TOOLKIT != MI_TOOLKIT_APPLET)

/* Queue of proactive commands still owed (ram->queue), sent one at a time,
 * lowest bit first: the REFRESH of a switch and the PROVIDE LOCAL INFO of
 * fast failover go before the timers. mi_q_type[] in mi_engine.c maps each
 * bit to its command. SET UP EVENT LIST and SET UP MENU are never queued
 * where the framework owns them (0 in such a build). */
#define MI_Q_EVENTS (MI_TK_APPLET_PATH ? 0x0001u : 0u)
#define MI_Q_REFRESH 0x0002u
#define MI_Q_PLI 0x0004u
#define MI_Q_TIMER(id) ((mi_u16)(0x0008u << ((id)-1u))) /* TIMER MANAGEMENT start, 1..4 */
#define MI_Q_TIMERS 0x0078u
#define MI_Q_MENU (MI_TK_APPLET_PATH ? 0x0080u : 0u)
#define MI_Q_SELECT 0x0100u

#define MI_REFRESH_NONE 0xFFu
#define MI_REFRESH_FCN 0x01u /* file change notification (TS 102 223 §8.6) */

/* ram->fo_armed bits (fast failover) */
#define MI_FO_PLI 0x01u	   /* a limited-service report awaits its PROVIDE LOCAL INFORMATION */
#define MI_FO_LOCK 0x02u   /* switched: no immediate switch until the REFRESH is done */
#define MI_ITEM_MENU 0x01u /* the one SET UP MENU item */
#define MI_ITEM_AUTO 0x80u /* SELECT ITEM "Automatic"; slots use their number */
#define MI_BACKOFF_MIN_S 30u
#define MI_BACKOFF_MAX_S 960u
#define MI_CMD_NUMBER 0x01u /* one command at a time: always number 1 */

/* Panic codes passed to mi_port_panic(). */
#define MI_PANIC_SLOT 0x0101u /* a slot chosen by the engine has no record */

#endif /* MIMSI_MI_CORE_INT_H */
