/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_card.h
 *  The simulated UICC as a library: what the vpcd front end, the virtual
 *  modem, the journey runner and the loader's in-process transport call.
 *  Everything that reaches the card goes through sim_card_transmit(): no
 *  back door into applet state.
 */
#ifndef MIMSI_SIM_CARD_H
#define MIMSI_SIM_CARD_H

#include <stddef.h>
#include <stdint.h>

struct sim_card;

/*! Errors of the simulator layer (negative). */
enum sim_err {
	SIM_OK = 0,
	SIM_ERR_IO = -100,        /*!< file could not be read or written */
	SIM_ERR_IMAGE = -101,     /*!< card image JSON is malformed (message says where) */
	SIM_ERR_BUFFER = -102,    /*!< response buffer too small (PC/SC contract) */
	SIM_ERR_POWER = -103,     /*!< card is not powered */
	SIM_ERR_TORN = -104,      /*!< tear injection cut the power during this command */
	SIM_ERR_PARAM = -105
};

/*! A card from the built-in default image (works with no file). */
struct sim_card *sim_card_new_default(void);
/*! Load a card image (JSON). On failure returns NULL and writes a message
 *  (file, JSON path, reason; never a secret) into err. */
struct sim_card *sim_card_load(const char *path, char *err, size_t err_len);
/*! Save the card image (state included) so the card survives restarts. */
int sim_card_save(const struct sim_card *card, const char *path, char *err, size_t err_len);
void sim_card_free(struct sim_card *card);

/*! Cold reset: power on, ATR out (capacity in, actual out). */
int sim_card_power_on(struct sim_card *card, uint8_t *atr, size_t *atr_len);
/*! Warm reset (same ATR). */
int sim_card_reset(struct sim_card *card, uint8_t *atr, size_t *atr_len);
void sim_card_power_off(struct sim_card *card);

/*! One C-APDU in, R-APDU (data + SW1 SW2) out. *resp_len is capacity on the
 *  way in, actual on the way out, and 0 on error (pcsc-lite SCardTransmit
 *  contract). \returns SIM_OK or a negative sim_err. */
int sim_card_transmit(struct sim_card *card, const uint8_t *cmd, size_t cmd_len,
		      uint8_t *resp, size_t *resp_len);

#endif /* MIMSI_SIM_CARD_H */
