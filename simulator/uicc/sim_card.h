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

/*! \returns 1 when the command's data field is a PIN, PUK or ADM value
 *  (VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK PIN): print it masked. */
int sim_apdu_has_secret(const uint8_t *cmd, size_t len);

/*! One C-APDU in, R-APDU (data + SW1 SW2) out. *resp_len is capacity on the
 *  way in, actual on the way out, and 0 on error (pcsc-lite SCardTransmit
 *  contract). \returns SIM_OK or a negative sim_err. */
int sim_card_transmit(struct sim_card *card, const uint8_t *cmd, size_t cmd_len,
		      uint8_t *resp, size_t *resp_len);

/* ---- additions: traces, tear injection, inspection and admin --------- */

#include <stdio.h>

struct sim_pcap; /* sim_pcap.h */

/*! The ATR without any reset (vpcd asks for it all the time). */
int sim_card_atr(const struct sim_card *card, uint8_t *atr, size_t *atr_len);

/*! \returns a short English text for a sim_err (never NULL). */
const char *sim_strerror(int err);

/*! Log one decoded line per APDU to \a log (NULL = off) and write every
 *  exchange to \a pcap (NULL = off). PIN/PUK/ADM data of VERIFY, CHANGE,
 *  DISABLE, ENABLE and UNBLOCK are masked in both. The card does not own
 *  them: the caller closes them after sim_card_free(). */
void sim_card_set_trace(struct sim_card *card, FILE *log, struct sim_pcap *pcap);

/*! Tear injection: cut the power at NV write number \a at (1-based,
 *  counted from this call), letting \a keep bytes of that write land
 *  (0 = before it). at = 0 disarms. The command that hits the cut returns
 *  SIM_ERR_TORN and the card is off; sim_card_power_on() restarts it from
 *  what was committed. */
void sim_card_tear_arm(struct sim_card *card, uint32_t at, uint16_t keep);
/*! NV writes since the last sim_card_tear_arm() (or since power-on). */
uint32_t sim_card_nv_writes(const struct sim_card *card);

/*! Length of NV write \a n (1-based, since the last tear_arm), 0 if unknown. */
unsigned sim_card_nv_write_len(const struct sim_card *card, uint32_t n);

/*! Read a whole EF by path from the MF ("7FFF/6F07", "7F4D/6F01",
 *  "2FE2"), bypassing access rules: for tests and tools, never reachable
 *  through an APDU. \returns bytes copied, or a negative sim_err. */
int sim_card_ef_read(const struct sim_card *card, const char *path, uint8_t *buf, size_t cap);
/*! Personalisation: write \a len bytes at offset 0 of an EF (one NV write),
 *  bypassing access rules. \returns SIM_OK or a negative sim_err. */
int sim_card_ef_write(struct sim_card *card, const char *path, const uint8_t *data, size_t len);
/*! Load a compiled rule set (DIR/ef_cfg.bin, ef_slots.bin, ef_rules.bin)
 *  into bank A of DF.MIMSI, clear bank B, then re-run the applet's install
 *  (as a loader and a card reset would). Message in err on failure. */
int sim_card_load_ef_dir(struct sim_card *card, const char *dir, char *err, size_t err_len);
/*! A new set (CFG, SLOTS, RULES files, any seq) written while the card
 *  runs, as remote file management would: into the banks the applet does
 *  not use, with seq = its set's + 1, bodies first, headers last, one NV
 *  write per 255 bytes (tear-able). Nothing is written unless all three are
 *  valid files that fit. \returns SIM_OK, SIM_ERR_PARAM, SIM_ERR_TORN. */
int sim_card_write_set(struct sim_card *card, const uint8_t *const file[3], const uint16_t len[3]);
/*! Key-set reference AUTHENTICATE uses now (1..n). */
int sim_card_active_keyset(const struct sim_card *card);
/*! Add or replace key set \a ref (K, OPc, SQN_MS): for tests and images. */
int sim_card_set_keyset(struct sim_card *card, uint8_t ref, const uint8_t k[16],
			const uint8_t opc[16], const uint8_t sqn[6]);
/*! 1 when the card holds key set \a ref. */
int sim_card_has_keyset(const struct sim_card *card, uint8_t ref);
/*! Personalisation: set the value of PIN or ADM \a ref (TS 102 221 §9.5.1
 *  coding, 8 bytes), its retry counter full. \returns SIM_OK or SIM_ERR_PARAM. */
int sim_card_set_pin(struct sim_card *card, uint8_t ref, const uint8_t value[8]);
/*! Who owns the applet's toolkit resources (docs/porting.md §8). */
struct sim_toolkit_cfg {
	int framework;	     /*!< 0: the applet (it sends SET UP EVENT LIST and SET UP
				  MENU, timers 1..4); 1: the card's toolkit framework */
	uint8_t timers;	     /*!< framework: timers it grants the applet (0..8) */
	uint8_t first_timer; /*!< framework: the first timer identifier it gives */
	uint8_t menu_item;   /*!< framework: item identifier of the menu entry, 0 = refused */
};
/*! Set who owns them; before the terminal's TERMINAL PROFILE. \returns
 *  SIM_OK or SIM_ERR_PARAM. */
int sim_card_set_toolkit(struct sim_card *card, const struct sim_toolkit_cfg *cfg);

/*! Number of APDUs this card has answered. */
uint32_t sim_card_apdu_count(const struct sim_card *card);

#endif /* MIMSI_SIM_CARD_H */
