/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_vpcd.h
 *  The card behind pcscd: a client of the vsmartcard vpcd reader driver
 *  (vsmartcard's vpcd.h). Frames are a 2-byte big-endian length + payload in both
 *  directions; a 1-byte payload from vpcd is a control: 00 power off,
 *  01 power on, 02 reset, 04 "send the ATR" (answered at any time).
 */
#ifndef MIMSI_SIM_VPCD_H
#define MIMSI_SIM_VPCD_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_card.h"

#define SIM_VPCD_PORT 35963u /* 0x8C7B, vpcd's first slot */

#define SIM_VPCD_CTRL_OFF 0x00u
#define SIM_VPCD_CTRL_ON 0x01u
#define SIM_VPCD_CTRL_RESET 0x02u
#define SIM_VPCD_CTRL_ATR 0x04u

struct sim_vpcd_stats {
	unsigned long connects; /*!< TCP connections made (1 + reconnects) */
	unsigned long apdus;    /*!< APDUs answered */
	unsigned long controls; /*!< control messages handled */
};

/*! Connect to \a host:\a port and serve \a card until *stop becomes
 *  non-zero; reconnect with backoff (100 ms doubling to 2 s) whenever the
 *  connection drops or cannot be made (pcscd restarting). \a log (may be
 *  NULL) gets one line per connection event. \returns 0 when stopped, -1 on
 *  a bad address. */
int sim_vpcd_serve(struct sim_card *card, const char *host, uint16_t port,
		   volatile sig_atomic_t *stop, FILE *log, struct sim_vpcd_stats *stats);

/*! Parse "HOST:PORT" (IPv4 dotted quad). \returns 0 or -1. */
int sim_vpcd_parse_addr(const char *s, char *host, size_t host_len, uint16_t *port);

#endif /* MIMSI_SIM_VPCD_H */
