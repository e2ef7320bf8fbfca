/* SPDX-License-Identifier: Apache-2.0 */
/* The card OS's toolkit framework (ETSI TS 102 241), when it owns the
 * applet's toolkit resources: the registrations the applet made through its
 * port (applet/port/sim/sim_port_toolkit.c) become the framework's own
 * SET UP EVENT LIST (TS 102 223 §6.6.16) and SET UP MENU (§6.6.7), sent when
 * no command of the applet is under way, and the envelopes reach the applet
 * only for what it registered: its events, its menu item, its timers. */
#include <string.h>

#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"
#include "sim_cmd.h"

int sim_card_set_toolkit(struct sim_card *c, const struct sim_toolkit_cfg *cfg)
{
	if (!c || !cfg || cfg->first_timer > 8 || cfg->timers > 8)
		return SIM_ERR_PARAM;
	sim_port_toolkit(&c->port, cfg->framework, cfg->timers, cfg->first_timer, cfg->menu_item);
	return SIM_OK;
}

/* A framework command: command details (§8.6, number 01), UICC to
 * terminal (§8.7), then \a n bytes of TLVs. */
static void fw_command(struct sim_card *c, uint8_t type, const uint8_t *tlvs, size_t n)
{
	uint8_t *p = c->port.proactive;

	if (9u + n > 0x7Fu) /* one length byte (TS 102 223 Annex C) */
		return;
	p[0] = MI_BTAG_PROACTIVE;
	p[1] = (uint8_t)(9u + n);
	memcpy(p + 2, (const uint8_t[]){0x81, 0x03, 0x01, type, 0x00, 0x82, 0x02, 0x81, 0x82}, 9);
	memcpy(p + 11, tlvs, n);
	c->port.proactive_len = (uint16_t)(11u + n);
	c->os_proactive = SIM_OSP_TOOLKIT;
}

void sim_toolkit_flush(struct sim_card *c)
{
	struct sim_port_toolkit *tk = &c->port.tk;
	uint8_t v[2 + SIM_TK_MENU_MAX + 2 + 7];

	/* one proactive command at a time, and not inside the applet's
	 * FETCH .. TERMINAL RESPONSE (TS 102 221 §14.6) */
	if (!tk->framework || !tk->owed || c->port.proactive_len || c->cat_open)
		return;
	if (tk->owed & SIM_TK_OWE_EVENTS) {
		tk->owed &= (uint8_t)~SIM_TK_OWE_EVENTS;
		v[0] = 0x99; /* event list (§8.25) */
		v[1] = tk->n_events;
		memcpy(v + 2, tk->events, tk->n_events);
		fw_command(c, 0x05, v, 2u + tk->n_events);
		return;
	}
	tk->owed &= (uint8_t)~SIM_TK_OWE_MENU;
	/* alpha identifier (§8.2) "mimsi", then the applet's item (§8.9) */
	memcpy(v, "\x85\x05mimsi\x8F", 8);
	v[8] = (uint8_t)(1u + tk->menu_len);
	v[9] = tk->menu_item;
	memcpy(v + 10, tk->menu_text, tk->menu_len);
	fw_command(c, 0x25, v, 10u + tk->menu_len);
}

void sim_toolkit_terminal_response(struct sim_card *c, const uint8_t *data, uint16_t len,
				   struct sim_rsp *r)
{
	struct mi_ctlv res;

	c->os_proactive = 0;
	if (c->log && mi_ctlv_find(data, len, 0x03, &res) >= 0 && res.len >= 1 && res.val[0] >= 0x10)
		fprintf(c->log, "toolkit framework: its command refused, result %02X\n", res.val[0]);
	r->sw = MI_SW_OK;
}

/* The value of the first TLV \a tag of the envelope's body (one byte), or -1. */
static int env_byte(const uint8_t *env, uint16_t len, uint16_t tag)
{
	struct mi_btlv b;
	struct mi_ctlv t;

	if (mi_btlv_decode(env, len, &b) < 0 || mi_ctlv_find(b.val, b.len, tag, &t) < 0 || t.len < 1)
		return -1;
	return t.val[0];
}

int sim_toolkit_routes(const struct sim_card *c, const uint8_t *env, uint16_t len)
{
	const struct sim_port_toolkit *tk = &c->port.tk;
	int v, k;

	if (!tk->framework || len < 1)
		return 1;
	switch (env[0]) {
	case MI_BTAG_EVENT: /* EVENT DOWNLOAD: a registered event (§7.5) */
		v = env_byte(env, len, 0x19);
		for (k = 0; v >= 0 && k < tk->n_events; k++)
			if (tk->events[k] == v)
				return 1;
		return v < 0; /* malformed: the applet's to refuse */
	case MI_BTAG_TIMER: /* TIMER EXPIRATION: one of its timers (§7.4) */
		v = env_byte(env, len, 0x24);
		for (k = 1; v >= 0 && k <= (int)MI_TIMER_COUNT; k++)
			if (tk->timer_id[k] && tk->timer_id[k] == v)
				return 1;
		return v < 0;
	case MI_BTAG_MENU: /* MENU SELECTION: its menu entry (§7.3) */
		v = env_byte(env, len, 0x10);
		return v < 0 || (tk->menu_len && v == tk->menu_item);
	default:
		return 1;
	}
}
