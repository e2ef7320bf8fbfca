/* SPDX-License-Identifier: Apache-2.0 */
/* The network side of the planner in the loop: the SMSC that carries the
 * planner's SMS-PP to the modem (TS 23.040 SMS-DELIVER, TS 31.115 secured
 * packets), the journey's faults on SMS, and the loop's timeline lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario/sim_dyn_int.h"

void dyn_say(struct sim_dyn *y, const char *fmt, ...)
{
	char text[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	y->env.line(y->env.ctx, text);
}

const char *dyn_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

const struct sim_dyn_fault *dyn_fault(const struct sim_dyn *y, int msg, enum sim_dyn_fault_kind kind, int sms)
{
	int i;

	for (i = 0; i < y->d->n_faults; i++) {
		const struct sim_dyn_fault *f = &y->d->faults[i];

		if (f->msg == msg && f->kind == kind && (f->kind > SIM_DYN_DELAY_SMS || f->sms == sms))
			return f;
	}
	return NULL;
}

int dyn_hold_back(struct sim_dyn *y, struct held *h, int type, int msg, int last, const uint8_t *data,
		     size_t len, sim_time_t delay)
{
	int i;

	for (i = 0; i < DYN_QUEUED && h[i].used; i++)
		;
	if (i == DYN_QUEUED || len > sizeof(h[i].data))
		return -1;
	h[i].used = 1;
	h[i].msg = msg;
	h[i].last = last;
	memcpy(h[i].data, data, len);
	h[i].len = len;
	return sim_evq_push(y->env.q, y->env.q->now + delay, type, i, 0);
}

void dyn_sms_to_modem(struct sim_dyn *y, int msg, int last, const uint8_t *tpdu, size_t len)
{
	if (sim_modem_sms_arrive(y->env.modem, SIM_DYN_MSG_BASE + msg, last, y->env.q->now, tpdu, len) < 0)
		dyn_say(y, "network: the modem's SMS inbox is full: SMS of OTA message %d lost", msg);
}

/* The planner's packets as SMS-DELIVER TPDUs to the modem, one OTA message
 * per packet; the faults of the journey apply. */
int dyn_send_packets(struct sim_dyn *y, const json_t *packets, int *first, int *last)
{
	const json_t *pk, *sm;
	size_t i, k;

	*first = y->n_msgs + 1;
	json_array_foreach(packets, i, pk)
	{
		const json_t *list = json_object_get(pk, "sms");
		int msg = ++y->n_msgs;

		json_array_foreach(list, k, sm)
		{
			uint8_t tpdu[SIM_SMS_TPDU_MAX];
			int n = st_hex_decode(dyn_jstr(sm, "tpdu"), tpdu, sizeof(tpdu)), end = k + 1 == json_array_size(list);
			const struct sim_dyn_fault *f;

			if (n <= 0)
				return -1;
			y->m.sms_sent++;
			if ((f = dyn_fault(y, msg, SIM_DYN_LOSE_SMS, (int)k + 1))) {
				dyn_say(y, "network: SMS %zu of OTA message %d LOST (fault)", k + 1, msg);
				continue;
			}
			if ((f = dyn_fault(y, msg, SIM_DYN_DELAY_SMS, (int)k + 1))) {
				dyn_say(y, "network: SMS %zu of OTA message %d held back %lld s (fault)", k + 1, msg,
				    (long long)f->delay);
				if (dyn_hold_back(y, y->sms, SIM_EV_DYN_SMS, msg, end, tpdu, (size_t)n, f->delay) < 0)
					return -1;
				continue;
			}
			dyn_sms_to_modem(y, msg, end, tpdu, (size_t)n);
		}
	}
	*last = y->n_msgs;
	dyn_say(y, "network: OTA messages %d..%d sent to the card (SMS-PP, TS 31.115)", *first, *last);
	return 0;
}
