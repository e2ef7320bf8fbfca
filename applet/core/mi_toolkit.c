/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_toolkit.c
 *  The toolkit resources and the proactive commands of the applet's state.
 *
 *  Applet-owned (a plain card): the core sends SET UP EVENT LIST (TS 102
 *  223 §6.6.16) and SET UP MENU (§6.6.7) itself and its timers are 1..4.
 *  Framework-owned (a UICC toolkit card, ETSI TS 102 241 ToolkitRegistry):
 *  at each TERMINAL PROFILE the port registers the events and the menu entry
 *  and gives a timer identifier per role; the core never sends those two
 *  commands, and TIMER MANAGEMENT and TIMER EXPIRATION carry the
 *  framework's identifiers.
 */
#include "mi_softtimer_int.h"
#include "mi_toolkit_int.h"

/* Event list codes (TS 102 223 §8.25): location status, network rejection. */
static const mi_u8 mi_tk_events[] = {0x03, 0x12};

/* Network rejection only where the terminal reports it (TS 31.111 §5.2). */
#define MI_TK_N_EVENTS(caps) (((caps)&MI_CAP_NET_REJECT) ? 2u : 1u)

#if MI_TK_FW_PATH
mi_u8 mi_toolkit_claim(struct mi_applet *a, mi_u8 caps)
{
	mi_u8 k;

	if (!MI_TK_FW(a))
		return caps;
	if ((caps & MI_CAP_EVENTS) &&
	    mi_port_events_register(a->port, mi_tk_events, MI_TK_N_EVENTS(caps)) < 0)
		caps &= (mi_u8) ~(MI_CAP_EVENTS | MI_CAP_NET_REJECT); /* no location status */
	/* a timer for every role, allocated now (or none is used: STATUS polls) */
	for (k = 1; k <= MI_TIMER_COUNT && (caps & MI_CAP_TIMER); k++)
		if (mi_port_timer_id(a->port, k) < 1)
			caps &= (mi_u8)~MI_CAP_TIMER;
	/* the item identifier is the framework's: it routes only this entry's
	 * MENU SELECTION to the applet (TS 102 241, processToolkit) */
	if ((a->ram->cfg.flags & MI_CFG_F_MENU) && (caps & MI_CAP_SETUP_MENU) &&
	    mi_port_menu_register(a->port, mi_cat_menu_text, MI_CAT_MENU_TEXT_LEN) < 1)
		caps &= (mi_u8)~MI_CAP_SETUP_MENU; /* refused: no menu */
	return caps;
}
#endif

int mi_toolkit_send(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 role)
{
	struct mi_ram *r = a->ram;
	mi_u8 *p = mi_cat_head(r->cmd, MI_CMD_NUMBER, type, qual, MI_DEV_TERMINAL);
	int id = role;

	if (type == MI_CMD_TIMER) {
		if (MI_TK_FW_PATH && MI_TK_FW(a)) {
			id = mi_port_timer_id(a->port, role); /* the one claimed */
			if (id < 1)
				return MI_ERR_CAPACITY;
		}
		p = mi_cat_timer(p, (mi_u8)id, mi_timer_left(a, role));
	} else if (type == MI_CMD_REFRESH && qual <= 0x02u) {
		p = mi_cat_files(p); /* the modes that take a file list (§8.6) */
	} else if (type == MI_CMD_SELECT_ITEM) {
		p = mi_cat_items(p, r->enabled);
	} else if (MI_TK_APPLET_PATH && type == MI_CMD_EVENT_LIST) {
		p = mi_cat_events(p, mi_tk_events, MI_TK_N_EVENTS(r->caps));
	} else if (MI_TK_APPLET_PATH && type == MI_CMD_SETUP_MENU) {
		p = mi_cat_menu(p, MI_ITEM_MENU);
	} /* PROVIDE LOCAL INFORMATION: command details only */
	return mi_port_proactive_send(a->port, r->cmd, mi_cat_close(r->cmd, p));
}
