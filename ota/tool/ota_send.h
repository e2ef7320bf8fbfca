/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ota_send.h
 *  mimsi-ota sending through the mimsi-card transports (ld_card.h).
 */
#ifndef MIMSI_OTA_SEND_H
#define MIMSI_OTA_SEND_H

#include "ld_card.h"
#include "ota_tool.h"

/*! Send every SMS of \a pk as an ENVELOPE; read the PoR from the ENVELOPE
 *  response or from the SEND SHORT MESSAGE the card issues (FETCH, then
 *  TERMINAL RESPONSE). \returns LD_OK (PoR in \a por when *got_por) or a
 *  negative ld_err with \a err set. */
int ot_send_packet(struct ld_card *c, const struct ot_packet *pk, uint8_t spi2, const struct ot_keyset *ks,
		   struct ot_por *por, int *got_por, char *err, size_t err_len);

#endif /* MIMSI_OTA_SEND_H */
