/* SPDX-License-Identifier: Apache-2.0 */
/* The CAT session (TS 102 221 §14, TS 102 223 §6): the card OS half. The
 * applet is driven through mi_applet.h; its proactive command waits in the
 * port until FETCH. */
#include <string.h>

#include "mimsi/mi_err.h"
#include "sim_cmd.h"

static uint16_t applet_sw(int rc)
{
	switch (rc) {
	case MI_OK:
		return MI_SW_OK;
	case MI_ERR_BUSY:
		return MI_SW_TOOLKIT_BUSY;
	case MI_ERR_TRUNCATED:
	case MI_ERR_LENGTH:
	case MI_ERR_TAG:
	case MI_ERR_FORMAT:
	case MI_ERR_RANGE:
		return MI_SW_BAD_DATA;
	default:
		return MI_SW_TECHNICAL;
	}
}

static int cat_args(const struct mi_apdu *a, struct sim_rsp *r)
{
	if (a->p1 || a->p2) {
		r->sw = MI_SW_BAD_P1P2;
		return 0;
	}
	if (a->apdu_case != MI_APDU_CASE_3 || a->lc == 0) {
		r->sw = MI_SW_WRONG_LENGTH;
		return 0;
	}
	return 1;
}

void sim_cmd_terminal_profile(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			      struct sim_rsp *r)
{
	(void)ch;
	if (!cat_args(a, r))
		return;
	c->tp_seen = 1;
	/* A terminal profile the applet dislikes is still accepted (§5.2). */
	if (c->applet_installed)
		(void)mi_applet_terminal_profile(&c->applet, a->data, a->lc);
	r->sw = MI_SW_OK;
}

void sim_cmd_fetch(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	(void)ch;
	if (a->p1 || a->p2) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (sim_data_refused(a, r))
		return;
	if (c->port.proactive_len == 0) {
		r->sw = MI_SW_CONDITIONS; /* nothing to fetch */
		return;
	}
	sim_rsp_data_le(r, a, c->port.proactive, c->port.proactive_len);
	if (r->sw == MI_SW_OK) {
		c->port.proactive_len = 0;
		c->cat_open = 1; /* until its TERMINAL RESPONSE */
	}
}

void sim_cmd_terminal_response(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			       struct sim_rsp *r)
{
	(void)ch;
	if (!cat_args(a, r))
		return;
	c->cat_open = 0;
	if (c->os_proactive == SIM_OSP_TOOLKIT) {
		sim_toolkit_terminal_response(c, a->data, a->lc, r);
		return;
	}
	if (c->os_proactive) {
		sim_ota_terminal_response(c, r);
		return;
	}
	if (!c->applet_installed) {
		r->sw = MI_SW_CONDITIONS;
		return;
	}
	r->sw = applet_sw(mi_applet_terminal_response(&c->applet, a->data, a->lc));
}

void sim_cmd_envelope(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	(void)ch;
	/* ENVELOPE may carry Le (TS 102 221 §10.1.2: case 4, data in the
	 * response, e.g. the PoR of an SMS-PP download) */
	if (a->apdu_case == MI_APDU_CASE_4 && a->lc > 0 && !a->p1 && !a->p2) {
		/* accepted as case 3 with its Le */
	} else if (!cat_args(a, r)) {
		return;
	}
	/* one proactive command at a time: the terminal retries (§7.1.2) */
	if (c->port.proactive_len) {
		r->sw = MI_SW_TOOLKIT_BUSY;
		return;
	}
	/* SMS-PP download of a secured packet: the card OS's (TS 31.115) */
	if (sim_ota_envelope(c, a->data, a->lc, r))
		return;
	if (!c->applet_installed) {
		r->sw = MI_SW_TOOLKIT_BUSY;
		return;
	}
	/* a framework-owned toolkit delivers only what the applet registered */
	if (!sim_toolkit_routes(c, a->data, a->lc)) {
		r->sw = MI_SW_OK;
		return;
	}
	r->sw = applet_sw(mi_applet_envelope(&c->applet, a->data, a->lc));
}
