/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_test_util.h
 *  Helpers shared by the card tests (linked into every simulator test).
 */
#ifndef MIMSI_SIM_TEST_UTIL_H
#define MIMSI_SIM_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sim_card.h"

/*! Hex text (spaces allowed) to bytes. \returns the count, or -1. */
int st_unhex(const char *hex, uint8_t *out, size_t cap);
/*! Send one APDU given in hex; the whole response goes to rsp (if not
 *  NULL). \returns SW1SW2, or a negative sim_err. */
int st_xmit(struct sim_card *c, const char *hex, uint8_t *rsp, size_t *rsp_len);
/*! Same with bytes. */
int st_xmit_raw(struct sim_card *c, const uint8_t *cmd, size_t n, uint8_t *rsp, size_t *rsp_len);
/*! Answer every pending proactive command with an "OK" TERMINAL RESPONSE
 *  until the card says 9000. \returns the number of commands fetched, or -1. */
int st_drain(struct sim_card *c, int sw);
/*! FETCH the pending command. \returns its type (TS 102 223 §8.6) or -1. */
int st_fetch(struct sim_card *c, int sw, uint8_t *cmd, size_t *len);
/*! A rule set (CFG, SLOTS, RULES) sealed with \a seq: slot 1 home
 *  262011234567890 (key set 1), slot 2 213770000000001 (key set 2); at
 *  213-77 the preference is slot 2 when \a prefer_sponsor, else slot 1.
 *  Buffers must hold MI_EF_*_SIZE bytes; returned files are FF-padded. */
int st_build_set(uint32_t seq, int prefer_sponsor, uint8_t *cfg, uint8_t *slots, uint8_t *rules);
/*! A default card with that set (seq 1, prefer the sponsor) in bank A,
 *  powered on. NULL on failure. */
struct sim_card *st_card_with_set(void);
/*! TERMINAL PROFILE (all features) and drain the set-up session. */
int st_terminal_profile(struct sim_card *c);
/*! The location-status ENVELOPE: normal service on MCC-MNC as 3 PLMN bytes. */
int st_envelope_location(struct sim_card *c, const char *plmn_hex);

/*! Does the response match the pattern (hex, X = any nibble, * = any rest)? */
int st_match(const uint8_t *rsp, size_t len, const char *pattern);
/*! Run an APDU script (test-vectors/apdu/NAME.apdu) on \a c: lines
 *  "name: C-APDU = expected" (raw: no automatic GET RESPONSE), "!reset"
 *  (power-on again), "!set" (load the test rule set and reset), "!tear N K"
 *  (arm a cut), "!unchanged name: C-APDU = expected" (also asserts that the
 *  card image, PIN counters included, is byte-identical afterwards).
 *  \returns the number of failed lines (printed), or -1 if unreadable. */
int st_run_script(struct sim_card *c, const char *path, unsigned *checked);
/*! The card image as text (for "nothing changed" comparisons); free() it. */
char *st_image_text(const struct sim_card *c);

#endif /* MIMSI_SIM_TEST_UTIL_H */
