/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_card.h
 *  One card session of mimsi-card: APDU exchange with T=0 GET RESPONSE and
 *  6Cxx handling, secret masking, the -v decoded log, the GSMTAP trace, the
 *  transcript recorder, command counters, and the UICC file commands.
 */
#ifndef MIMSI_LD_CARD_H
#define MIMSI_LD_CARD_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "ld_transport.h"

struct ld_trace;

struct ld_card {
	struct ld_transport *t;
	FILE *log;                /*!< -v: decoded APDU log (secrets masked), or NULL */
	struct ld_trace *trace;   /*!< --trace: GSMTAP pcap, or NULL */
	FILE *transcript;         /*!< "cmd -> resp" lines (secrets as XX), or NULL */
	FILE *dry;                /*!< --dry-run: write APDUs are printed here, not sent */
	unsigned max_chunk;       /*!< largest READ/UPDATE BINARY data (1..255) */
	unsigned long n_apdu;     /*!< APDUs sent (GET RESPONSE and re-sends included) */
	unsigned long n_update;   /*!< UPDATE BINARY commands sent or planned */
	unsigned long n_create;   /*!< CREATE FILE commands sent or planned */
	unsigned long n_verify;   /*!< VERIFY commands with data sent or planned */
	int mask_data;            /*!< the next command's data is a secret (slot keys): masked */
	uint8_t atr[LD_ATR_MAX];
	size_t atr_len;
};

void ld_card_init(struct ld_card *c, struct ld_transport *t);
/*! Power up (or reset) and keep the ATR (also traced). */
int ld_card_power(struct ld_card *c);

/*! Exchange one APDU: on 61xx sends GET RESPONSE, on 6Cxx re-sends with
 *  Le = xx (TS 102 221 §7.3.1.1 / ISO 7816-3 T=0 cases). Data (without SW)
 *  into \a data (capacity in, actual out; may be NULL when none is wanted).
 *  \returns LD_OK (the SW says how the card answered) or a negative ld_err. */
int ld_xfer(struct ld_card *c, const uint8_t *cmd, size_t len, uint8_t *data,
	    size_t *data_len, uint16_t *sw);

/*! Copy \a cmd into \a out with secret data (VERIFY, CHANGE, DISABLE,
 *  ENABLE, UNBLOCK PIN) replaced; \a secret_mask gets 1 for masked bytes.
 *  \returns 1 when something was masked. */
int ld_apdu_mask(const uint8_t *cmd, size_t len, uint8_t *secret_mask);

/*! Hex of \a buf with masked bytes written as "**" (or "XX" when \a xx). */
void ld_hex_masked(FILE *f, const uint8_t *buf, size_t len, const uint8_t *mask, int xx);

/* ---- file commands (TS 102 221 §11.1) --------------------------------- */
#define LD_FCP_MAX 258u

struct ld_fcp {
	uint8_t fdb;        /*!< file descriptor byte (82) */
	uint16_t fid;       /*!< 83 */
	uint32_t size;      /*!< 80 (EF size) or 81 (DF total), 0 when absent */
	uint8_t lcsi;       /*!< 8A */
	int has_arr;        /*!< 8B referenced security attributes present */
	uint16_t arr_fid;   /*!< 8B: EF_ARR FID */
	uint8_t arr_rec;    /*!< 8B: its record */
	int is_df;
};
/*! Decode an FCP template (62 L ...) with mi_btlv_decode. */
int ld_fcp_decode(const uint8_t *buf, size_t len, struct ld_fcp *fcp);

/*! SELECT by FID (P1 00) or by AID (P1 04) with FCP returned. \a sw out;
 *  \a fcp may be NULL. LD_OK also when the file is absent (sw 6A82). */
int ld_select_fid(struct ld_card *c, uint16_t fid, struct ld_fcp *fcp, uint16_t *sw);
int ld_select_aid(struct ld_card *c, const uint8_t *aid, size_t aid_len, uint16_t *sw);
/*! Select 3F00 then each FID of \a path (from the MF). */
int ld_select_path(struct ld_card *c, const uint16_t *path, size_t n, struct ld_fcp *fcp,
		   uint16_t *sw);
/*! READ BINARY of \a len bytes at \a off, chunked at max_chunk. */
int ld_read_binary(struct ld_card *c, uint32_t off, uint8_t *buf, size_t len);
/*! READ RECORD (absolute mode) of the current EF. */
int ld_read_record(struct ld_card *c, uint8_t rec, uint8_t *buf, size_t *len, uint16_t *sw);
/*! UPDATE BINARY of \a len <= 255 bytes (one command). Dry run: printed. */
int ld_update_binary(struct ld_card *c, uint16_t off, const uint8_t *data, size_t len);
/*! CREATE FILE with an FCP template (TS 102 222 §6.3). Dry run: printed. */
int ld_create_file(struct ld_card *c, const uint8_t *fcp, size_t len);

/* ---- PIN / ADM (TS 102 221 §11.1.9, key references §9.5.1) ------------- */
#define LD_KEYREF_PIN1 0x01u
#define LD_KEYREF_PIN2 0x81u
#define LD_KEYREF_ADM1 0x0Au

/*! VERIFY with no data: \returns tries left (0..15), LD_TRIES_NOT_NEEDED when
 *  the card answers 9000 (verified or disabled), or a negative ld_err. */
#define LD_TRIES_NOT_NEEDED 99
int ld_verify_query(struct ld_card *c, uint8_t ref);
/*! VERIFY with the 8-byte value. \returns LD_OK, the tries left (> 0, as
 *  a positive number) when the card says 63Cx, or a negative ld_err. */
int ld_verify(struct ld_card *c, uint8_t ref, const uint8_t value[8], int *tries_left);

/*! Parse an ADM/PIN as given by the user: 4..8 digits (ASCII, padded with
 *  FF, TS 102 221 §9.5.1) or 16 hex digits. */
int ld_parse_secret(const char *text, uint8_t out[8]);

/*! Parse hex with optional spaces/colons. \returns bytes or negative. */
int ld_hex_parse(const char *text, uint8_t *out, size_t cap);

#endif /* MIMSI_LD_CARD_H */
