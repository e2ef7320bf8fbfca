/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_plmn.h
 *  PLMN identity in 3 bytes (TS 24.008 §10.5.1.13, TS 31.102 §4.2.5):
 *  byte 1 = MCC2|MCC1, byte 2 = MNC3|MCC3 (MNC3 = F for a 2-digit MNC),
 *  byte 3 = MNC2|MNC1. 262-01 = 62 F2 10, 302-777 = 03 72 77.
 */
#ifndef MIMSI_MI_PLMN_H
#define MIMSI_MI_PLMN_H

#include "mi_types.h"

struct mi_plmn {
	mi_u16 mcc;        /*!< 0..999 */
	mi_u16 mnc;        /*!< 0..999 (0..99 when mnc_digits is 2) */
	mi_u8 mnc_digits;  /*!< 2 or 3 */
};

/* Access technology bits of an xPLMNwAcT entry (TS 31.102 §4.2.5). */
#define MI_ACT_UTRAN 0x8000u
#define MI_ACT_EUTRAN 0x4000u
#define MI_ACT_NGRAN 0x0800u
#define MI_ACT_GSM 0x0080u

/*! \returns 3, or MI_ERR_RANGE / MI_ERR_CAPACITY. */
int mi_plmn_encode(const struct mi_plmn *p, mi_u8 *out, mi_u16 cap);
/*! \returns 3, MI_ERR_TRUNCATED, MI_ERR_DIGIT, or MI_ERR_NOT_FOUND for the empty FF FF FF. */
int mi_plmn_decode(const mi_u8 *buf, mi_u16 len, struct mi_plmn *p);
/* Text forms: host-only (applet/host/mi_plmn_text.c, outside the card core). */
/*! Parse "262-01" or "26201"/"302777" (digits only: 5 = 2-digit MNC, 6 = 3-digit).
 *  \returns MI_OK, MI_ERR_DIGIT, or MI_ERR_RANGE (MCC not 3 digits, MNC of 1 or 4+ digits). */
int mi_plmn_parse(const char *text, mi_u16 len, struct mi_plmn *p);
/*! Format as "262-01" plus NUL. \returns chars written (without NUL),
 *  MI_ERR_CAPACITY, or MI_ERR_RANGE (an invalid PLMN). */
int mi_plmn_format(const struct mi_plmn *p, char *out, mi_u16 cap);
/*! \returns 1 if equal (same digit count too), else 0. */
int mi_plmn_equal(const struct mi_plmn *a, const struct mi_plmn *b);

/*! xPLMNwAcT entry: PLMN(3) + AcT(2). \returns 5 or a negative mi_err. */
int mi_plmnwact_encode(const struct mi_plmn *p, mi_u16 act, mi_u8 *out, mi_u16 cap);
int mi_plmnwact_decode(const mi_u8 *buf, mi_u16 len, struct mi_plmn *p, mi_u16 *act);

#endif /* MIMSI_MI_PLMN_H */
