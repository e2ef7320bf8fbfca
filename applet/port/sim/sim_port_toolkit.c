/* SPDX-License-Identifier: Apache-2.0 */
/* The framework-owned toolkit resources of mi_port.h for the simulated card:
 * a ToolkitRegistry (ETSI TS 102 241) for the one applet. The card OS
 * (simulator/uicc/sim_toolkit.c) sends the SET UP EVENT LIST and SET UP MENU
 * these registrations owe the terminal and routes the envelopes by them. */
#include <string.h>

#include "mimsi/mi_err.h"
#include "sim_port.h"

void sim_port_toolkit(struct mi_port *port, int framework, uint8_t timers, uint8_t first_timer,
		      uint8_t menu_item)
{
	memset(&port->tk, 0, sizeof(port->tk));
	port->tk.framework = framework ? 1u : 0u;
	port->tk.max_timers = timers;
	port->tk.first_timer = first_timer;
	port->tk.menu_item = menu_item;
}

mi_u8 mi_port_caps(struct mi_port *port)
{
	return port->tk.framework ? MI_PORT_CAP_FW_TOOLKIT : 0u;
}

int mi_port_events_register(struct mi_port *port, const mi_u8 *events, mi_u8 n)
{
	if (!port->tk.framework || n > SIM_TK_EVENTS_MAX)
		return MI_ERR_UNSUPPORTED;
	memcpy(port->tk.events, events, n);
	port->tk.n_events = n;
	port->tk.owed |= SIM_TK_OWE_EVENTS;
	return MI_OK;
}

int mi_port_menu_register(struct mi_port *port, const mi_u8 *text, mi_u8 len)
{
	if (!port->tk.framework || !port->tk.menu_item || len == 0 || len > SIM_TK_MENU_MAX)
		return MI_ERR_UNSUPPORTED;
	memcpy(port->tk.menu_text, text, len);
	port->tk.menu_len = len;
	port->tk.owed |= SIM_TK_OWE_MENU;
	return port->tk.menu_item;
}

/* allocateTimer(): the next free identifier the first time a role asks,
 * the same one afterwards; none left once max_timers are given or past 8
 * (TS 102 223 §8.37). */
int mi_port_timer_id(struct mi_port *port, mi_u8 role)
{
	struct sim_port_toolkit *tk = &port->tk;
	unsigned id;

	if (!tk->framework || role < 1 || role > MI_TIMER_COUNT)
		return MI_ERR_PARAM;
	if (tk->timer_id[role])
		return tk->timer_id[role];
	id = (unsigned)tk->first_timer + tk->n_timers;
	if (tk->n_timers >= tk->max_timers || id < 1 || id > 8)
		return MI_ERR_CAPACITY;
	tk->timer_id[role] = (uint8_t)id;
	tk->n_timers++;
	return (int)id;
}
