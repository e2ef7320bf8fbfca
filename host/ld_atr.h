/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_atr.h
 *  ATR decoding (ISO/IEC 7816-3 §8.2, TS 102 221 §6.3): convention, protocols
 *  offered, TA1 (Fi/Di), UICC class indicator (TA for T=15), historical bytes,
 *  TCK check.
 */
#ifndef MIMSI_LD_ATR_H
#define MIMSI_LD_ATR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ld_atr {
	uint8_t ts;            /*!< 3B direct, 3F inverse */
	uint16_t protocols;    /*!< bit n: T=n offered (T=0 when no TD1) */
	int has_ta1;
	uint8_t ta1;
	unsigned fi, di;       /*!< 0 when RFU */
	int has_t15_ta;
	uint8_t t15_ta;        /*!< clock stop (b8..b7) and voltage classes (b6..b1) */
	size_t n_hist;
	uint8_t hist[15];
	int has_tck;
	int tck_ok;
};

/*! \returns LD_OK or LD_ERR_FORMAT (truncated, bad TS, length mismatch). */
int ld_atr_decode(const uint8_t *atr, size_t len, struct ld_atr *out);
/*! Print the decoded ATR as text lines or as a JSON object. */
void ld_atr_print(FILE *f, const struct ld_atr *a, int json);
/*! The decoded ATR as a JSON object (jansson; NULL when out of memory). */
struct json_t;
struct json_t *ld_atr_json(const struct ld_atr *a);

#endif /* MIMSI_LD_ATR_H */
