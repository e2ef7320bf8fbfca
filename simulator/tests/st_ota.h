/* SPDX-License-Identifier: Apache-2.0 */
/*! \file st_ota.h
 *  The sending side of OTA for the card tests: a script becomes a secured
 *  packet for the default card (key version 3, docs/ota.md), SMS, ENVELOPEs,
 *  and the PoR is read back.
 */
#ifndef MIMSI_ST_OTA_H
#define MIMSI_ST_OTA_H

#include <stddef.h>
#include <stdint.h>

#include "ota.h"
#include "sim_card.h"

struct st_sent {
	int sw;        /*!< SW of the last ENVELOPE, or a negative sim_err */
	int has_por;
	struct ota_por por;
	uint8_t work[300];
};

/*! Key version 3 of the default card (3DES, 2 keys). */
extern const struct ota_key st_kic3, st_kid3;

/*! Send \a script to \a tar with \a spi1/\a spi2 and counter \a cntr;
 *  \a corrupt_cc flips the last byte of the packet. */
void st_ota_send(struct sim_card *c, uint8_t spi1, uint8_t spi2, const uint8_t tar[3], uint64_t cntr,
		 const uint8_t *script, size_t len, int corrupt_cc, struct st_sent *out);

#endif /* MIMSI_ST_OTA_H */
