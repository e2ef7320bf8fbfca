/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_modem_sms.h
 *  SMS-PP the network sends to the modem (TS 23.040): a (U)SIM data download
 *  (PID 7F) goes to the card as ENVELOPE SMS-PP download (TS 31.111
 *  §7.1.1), the card's answer being the PoR of an OTA command packet
 *  (TS 31.115). Arrivals go through the event queue: the network queues
 *  SIM_EV_MODEM_SMS, the modem delivers when it can (awake, registered).
 */
#ifndef MIMSI_SIM_MODEM_SMS_H
#define MIMSI_SIM_MODEM_SMS_H

#include <stddef.h>
#include <stdint.h>

#include "net/sim_evq.h"

#define SIM_SMS_INBOX 16
#define SIM_SMS_TPDU_MAX 176

struct sim_sms_slot {
	int used;
	int msg;              /*!< message number (for the PoR and the time to apply) */
	int last;             /*!< the last SMS of its message */
	sim_time_t sent_at;   /*!< when the network sent the message's first SMS */
	uint8_t tpdu[SIM_SMS_TPDU_MAX];
	size_t len;
};

/*! What the modem did with the SMS it received (journey metrics). */
struct sim_modem_sms {
	struct sim_sms_slot inbox[SIM_SMS_INBOX];
	unsigned long sms;        /*!< SMS passed to the card */
	unsigned long bytes;      /*!< their TPDU bytes */
	unsigned long pors;       /*!< messages answered with a PoR (forwarded to the network) */
	unsigned long refused;    /*!< last SMS of a message answered with an error SW */
	unsigned long stored;     /*!< not data download capable: kept by the ME */
	double apply_s_max;       /*!< network send -> PoR, worst message */
	double apply_s_sum;
};

struct sim_modem;
/*! The network sends one SMS-DELIVER TPDU at the current virtual time
 *  (\a last: it ends message \a msg, sent at \a sent_at). \returns 0 or -1
 *  (inbox full, TPDU too long). */
int sim_modem_sms_arrive(struct sim_modem *m, int msg, int last, sim_time_t sent_at, const uint8_t *tpdu,
			 size_t len);
/*! SIM_EV_MODEM_SMS popped: deliver inbox slot \a ev->a to the card. */
void sim_modem_sms_event(struct sim_modem *m, const struct sim_event *ev);

#endif /* MIMSI_SIM_MODEM_SMS_H */
