/* SPDX-License-Identifier: Apache-2.0 */
/* The virtual ME's top: power, PSM, the dispatch of its queued events and of
 * the effects its parts post for each other (sim_modem_int.h), and the CAT
 * loop, between whose proactive commands those effects happen. */
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "modem/sim_modem_int.h"

#define RESP_MAX 300

static void settle(struct sim_modem *m);

/* FETCH while the card has proactive commands (TS 102 221 §14.6.2), each
 * command's effect before the next FETCH. Nested runs (an effect of a
 * command that would run the loop again) leave it to this one. */
static void cat_loop(struct sim_modem *m)
{
	int guard;

	if (m->in_cat)
		return;
	m->in_cat = 1;
	for (guard = 0; guard < 64 && m->powered && m->fetch_pending; guard++) {
		sim_modem_cat_fetch(m);
		settle(m);
	}
	m->in_cat = 0;
}

static void schedule_poll(struct sim_modem *m, sim_time_t at)
{
	m->poll_gen++;
	sim_evq_push(m->q, at, SIM_EV_MODEM_POLL, 0, m->poll_gen);
}

static void cat_reset_state(struct sim_modem *m)
{
	int i;

	m->ev_location = 0;
	m->ev_reject = 0;
	m->rej_env_len = 0;
	m->rep_status = -1;
	m->rep_plmn = -1;
	m->menu_n = 0;
	m->timers_due = 0;
	m->fetch_pending = 0;
	for (i = 0; i <= SIM_MODEM_TIMERS; i++) {
		m->timers[i].active = 0;
		m->timers[i].gen++;
	}
	m->poll_s = m->prof->status_poll_s;
}

void sim_modem_init(struct sim_modem *m, const struct sim_modem_profile *prof,
		    struct sim_card *card, struct sim_net *net, struct sim_hss *hss,
		    struct sim_evq *q, const struct sim_modem_hooks *hooks)
{
	memset(m, 0, sizeof(*m));
	m->prof = prof;
	m->card = card;
	m->net = net;
	m->hss = hss;
	m->q = q;
	if (hooks)
		m->hooks = *hooks;
	m->svc = SIM_SVC_OFF;
	m->plmn = -1;
	m->rep_status = -1;
	m->rep_plmn = -1;
	m->last_refresh_result = -1;
	sim_evq_init_fixed(&m->fx, m->fx_buf, SIM_MODEM_FX_MAX);
}

static int start_card(struct sim_modem *m, int warm)
{
	uint8_t atr[40];
	size_t atr_len = sizeof(atr);
	int rc = warm ? sim_card_reset(m->card, atr, &atr_len)
		      : sim_card_power_on(m->card, atr, &atr_len);

	m->initialised = 0;
	cat_reset_state(m);
	m->psm_gen++;
	m->asleep = 0;
	if (rc != SIM_OK) {
		sim_modem_notef(m, "card did not answer to reset");
		return -1;
	}
	m->powered = 1;
	if (sim_modem_usim_init(m, 1) < 0) {
		sim_modem_set_service(m, SIM_SVC_LIMITED, -1);
		settle(m);
		return -1;
	}
	cat_loop(m);
	schedule_poll(m, m->q->now + m->poll_s);
	sim_modem_select_plmn(m, m->prof->search_s);
	settle(m);
	return 0;
}

int sim_modem_power_on(struct sim_modem *m)
{
	if (m->powered)
		return 0;
	m->svc = SIM_SVC_SEARCHING; /* imsi kept: a change across power cycles is a switch */
	m->attached = 0;
	m->n_fla = 0; /* TS 24.008 §4.4.1: erased at switch-off */
	return start_card(m, 0);
}

static void reset_card(struct sim_modem *m)
{
	m->sel_gen++;
	sim_modem_set_service(m, SIM_SVC_SEARCHING, -1);
	settle(m);
	start_card(m, 1);
}

void sim_modem_power_off(struct sim_modem *m)
{
	if (!m->powered)
		return;
	sim_card_power_off(m->card);
	m->powered = 0;
	m->initialised = 0;
	m->sel_gen++;
	m->poll_gen++;
	m->psm_gen++;
	m->asleep = 0;
	cat_reset_state(m);
	sim_modem_set_service(m, SIM_SVC_OFF, -1);
	settle(m);
}

static void psm_wake(struct sim_modem *m)
{
	m->asleep = 0;
	sim_modem_notef(m, "PSM: awake");
	schedule_poll(m, m->q->now);
	sim_modem_send_due_timers(m);
	sim_modem_report_location(m);
	cat_loop(m);
	if (m->net_dirty) {
		m->net_dirty = 0;
		sim_modem_sel_net_changed(m);
		settle(m);
	}
	if (m->svc == SIM_SVC_NORMAL && m->prof->psm_sleep_s > 0) {
		m->psm_gen++;
		sim_evq_push(m->q, m->q->now + m->prof->psm_active_s, SIM_EV_MODEM_SLEEP, 0,
			     m->psm_gen);
	}
}

void sim_modem_event(struct sim_modem *m, const struct sim_event *ev)
{
	if (!m->powered)
		return;
	switch (ev->type) {
	case SIM_EV_MODEM_POLL:
		if (ev->gen != m->poll_gen || m->asleep)
			return;
		{
			/* TS 102 221 §11.1.2 STATUS, P2 0C = no data returned: case 1,
			 * no Le. It is the card's clock when TIMER MANAGEMENT is absent. */
			static const uint8_t st[4] = {0x80, 0xF2, 0x00, 0x0C};
			uint8_t r[RESP_MAX];
			size_t rl = sizeof(r);
			uint16_t sw;

			sim_modem_xfer(m, st, sizeof(st), r, &rl, &sw);
		}
		cat_loop(m);
		if (m->powered && ev->gen == m->poll_gen)
			schedule_poll(m, m->q->now + m->poll_s);
		break;
	case SIM_EV_MODEM_TIMER:
		if (ev->a < 1 || ev->a > SIM_MODEM_TIMERS || ev->gen != m->timers[ev->a].gen ||
		    !m->timers[ev->a].active)
			return;
		m->timers[ev->a].active = 0;
		m->timers_due |= 1u << ev->a;
		if (m->asleep)
			return; /* PSM: the card gets no clock; expiry reported at wake */
		sim_modem_send_due_timers(m);
		cat_loop(m);
		break;
	case SIM_EV_MODEM_ATTACH:
		if (ev->gen == m->sel_gen && m->svc == SIM_SVC_SEARCHING)
			sim_modem_attach_done(m);
		settle(m);
		break;
	case SIM_EV_MODEM_SEARCH:
		if (ev->gen == m->sel_gen && m->svc != SIM_SVC_NORMAL &&
		    m->svc != SIM_SVC_SEARCHING)
			sim_modem_select_plmn(m, 0);
		settle(m);
		break;
	case SIM_EV_MODEM_SLEEP:
		if (ev->gen != m->psm_gen || m->svc != SIM_SVC_NORMAL)
			return;
		m->asleep = 1;
		m->psm_gen++;
		sim_modem_notef(m, "PSM: asleep for %d s (card unclocked)", m->prof->psm_sleep_s);
		sim_evq_push(m->q, m->q->now + m->prof->psm_sleep_s, SIM_EV_MODEM_WAKE, 0,
			     m->psm_gen);
		break;
	case SIM_EV_MODEM_WAKE:
		if (ev->gen == m->psm_gen && m->asleep)
			psm_wake(m);
		break;
	case SIM_EV_MODEM_PERIODIC:
		if (ev->gen == m->sel_gen && !m->asleep)
			sim_modem_periodic(m);
		settle(m);
		break;
	case SIM_EV_MODEM_SMS:
		sim_modem_sms_event(m, ev);
		settle(m);
		break;
	case SIM_EV_MODEM_RETRY:
		m->retry_queued = 0;
		if (m->asleep)
			return;
		sim_modem_send_due_timers(m);
		sim_modem_report_location(m);
		sim_modem_report_reject(m, NULL);
		cat_loop(m);
		break;
	default:
		break;
	}
}

/* The one place the modem's effects happen (sim_modem_int.h). */
static void fx_dispatch(struct sim_modem *m, const struct sim_event *fx)
{
	int sent;

	switch (fx->type) {
	case SIM_FX_SERVICE:
		/* TS 102 223 §7.5.4: a changed location status is reported */
		sim_modem_report_location(m);
		cat_loop(m);
		sim_modem_sel_then(m, (enum sim_modem_then)fx->a, (int)fx->gen);
		break;
	case SIM_FX_CAT:
		cat_loop(m);
		break;
	case SIM_FX_RESELECT:
		sim_modem_sel_refresh(m);
		break;
	case SIM_FX_RESET:
		reset_card(m);
		break;
	case SIM_FX_REJECTED:
		sent = sim_modem_report_reject(m, &m->rej);
		if (sent)
			cat_loop(m);
		sim_modem_sel_after_reject(m, fx->gen, sent);
		break;
	default:
		break;
	}
}

/* Dispatch the effects posted, and those their dispatch posts, in order. */
static void settle(struct sim_modem *m)
{
	struct sim_event fx;

	while (sim_evq_pop(&m->fx, &fx))
		fx_dispatch(m, &fx);
}

void sim_modem_net_changed(struct sim_modem *m)
{
	sim_modem_sel_net_changed(m);
	settle(m);
}

int sim_modem_menu(struct sim_modem *m, int item, int select)
{
	if (sim_modem_cat_menu(m, item, select) < 0)
		return -1;
	cat_loop(m);
	return 0;
}
