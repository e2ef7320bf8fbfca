/* SPDX-License-Identifier: Apache-2.0 */
/* SMS-PP to the modem and the data download to the card (sim_modem_sms.h).
 * The ME passes an SMS-DELIVER with PID 7F to the UICC in an ENVELOPE
 * (TS 31.111 §7.1.1.1, the ENVELOPE's structure §7.1.1.2) when it supports data download via SMS-PP; its
 * response data (the PoR, TS 31.115 §4.3) goes back to the network in the
 * SMS-DELIVER-REPORT; 9300 (toolkit busy) means try again later. */
#include <stdio.h>
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "modem/sim_modem_int.h"
#include "ota.h"

#define RETRY_BUSY_S 1     /* the card said 9300: again shortly */
#define RETRY_NO_SVC_S 60  /* no service or asleep: the SMSC retries */

int sim_modem_sms_arrive(struct sim_modem *m, int msg, int last, sim_time_t sent_at, const uint8_t *tpdu,
			 size_t len)
{
	int i;

	if (len > SIM_SMS_TPDU_MAX)
		return -1;
	for (i = 0; i < SIM_SMS_INBOX; i++) {
		struct sim_sms_slot *s = &m->sms.inbox[i];

		if (s->used)
			continue;
		s->used = 1;
		s->msg = msg;
		s->last = last;
		s->sent_at = sent_at;
		memcpy(s->tpdu, tpdu, len);
		s->len = len;
		return sim_evq_push(m->q, m->q->now, SIM_EV_MODEM_SMS, i, 0);
	}
	return -1;
}

/* The PoR goes back to the network in the SMS-DELIVER-REPORT; the ME
 * cannot read it (it may be ciphered), it only forwards it. */
static void por_seen(struct sim_modem *m, const struct sim_sms_slot *s, size_t len)
{
	double took = (double)(m->q->now - s->sent_at);

	m->sms.pors++;
	sim_modem_notef(m, "OTA message %d: PoR of %zu bytes back to the network, %.0f s after it was sent",
			s->msg, len, took);
	m->sms.apply_s_sum += took;
	if (took > m->sms.apply_s_max)
		m->sms.apply_s_max = took;
}

void sim_modem_sms_event(struct sim_modem *m, const struct sim_event *ev)
{
	struct sim_sms_slot *s;
	uint8_t apdu[5 + 255], rsp[258];
	size_t rl = sizeof(rsp);
	uint16_t sw = 0;
	int n;

	if (ev->a < 0 || ev->a >= SIM_SMS_INBOX || !m->sms.inbox[ev->a].used)
		return;
	s = &m->sms.inbox[ev->a];
	if (!(m->prof->caps & SIM_CAP_SMS_PP_DOWNLOAD)) {
		/* TS 23.040 §9.2.3.9: without data download the ME stores it */
		m->sms.stored++;
		sim_modem_notef(m, "SMS for the (U)SIM stored: this ME has no SMS-PP data download");
		s->used = 0;
		return;
	}
	if (m->asleep || m->svc != SIM_SVC_NORMAL) {
		sim_evq_push(m->q, m->q->now + RETRY_NO_SVC_S, SIM_EV_MODEM_SMS, ev->a, 0);
		return;
	}
	n = ota_envelope_build(NULL, s->tpdu, s->len, apdu, sizeof(apdu));
	if (n < 0 || sim_modem_xfer(m, apdu, (size_t)n, rsp, &rl, &sw) < 0) {
		s->used = 0;
		return;
	}
	if (sw == MI_SW_TOOLKIT_BUSY) {
		sim_evq_push(m->q, m->q->now + RETRY_BUSY_S, SIM_EV_MODEM_SMS, ev->a, 0);
		return;
	}
	m->sms.sms++;
	m->sms.bytes += s->len;
	if (s->last) {
		if (rl > 0) {
			por_seen(m, s, rl);
			if (m->hooks.por)
				m->hooks.por(m->hooks.ctx, s->msg, rsp, rl);
		} else if (sw != MI_SW_OK) {
			m->sms.refused++;
		}
	}
	s->used = 0;
	/* a PoR by SEND SHORT MESSAGE, or any other proactive command */
	sim_modem_fx_post(m, SIM_FX_CAT, 0, 0);
}
