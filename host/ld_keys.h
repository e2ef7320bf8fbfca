/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_keys.h
 *  Slot keys (K, OPc) into the card's key store: DF.MIMSI/EF.MI_KEYS, a
 *  linear EF whose record n holds K(16) || OPc(16) of key set n (the
 *  `keyset` byte of a SLOTS record, docs/ef-format.md). Written by UPDATE
 *  RECORD under ADM; the card never lets it be read (6982). The values are
 *  masked in every log, trace and transcript, and wiped after use.
 */
#ifndef MIMSI_LD_KEYS_H
#define MIMSI_LD_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "ld_card.h"

#define LD_KEYSETS 10u
#define LD_FID_MI_KEYS 0x6F0Eu

struct ld_slot_keys {
	uint16_t k_set, opc_set;        /*!< bit n-1: kN / opcN given */
	uint8_t k[LD_KEYSETS][16];
	uint8_t opc[LD_KEYSETS][16];
};

/*! One named value: "k3" or "opc3" (key set 3) with 32 hex digits.
 *  \returns 1 when \a name is a key column, 0 when not, LD_ERR_FORMAT for
 *  a bad value (the message never shows it). */
int ld_keys_set(struct ld_slot_keys *k, const char *name, const char *hex, char *err, size_t err_len);
/*! Read a key file: "kN = HEX" and "opcN = HEX" lines, '#' comments. */
int ld_keys_load(const char *path, struct ld_slot_keys *k, char *err, size_t err_len);
/*! Write every key set that has both K and OPc (ADM already verified).
 *  \returns the number written, or a negative ld_err with \a err set. */
int ld_keys_write(struct ld_card *c, const struct ld_slot_keys *k, char *err, size_t err_len);
/*! ld_keys_load() then ld_keys_write(), values wiped: `mimsi-card write --keys`.
 *  \returns LD_OK or a negative ld_err. */
int ld_keys_write_file(struct ld_card *c, const char *path, char *err, size_t err_len);
/*! Wipe the values. */
void ld_keys_clear(struct ld_slot_keys *k);

#endif /* MIMSI_LD_KEYS_H */
