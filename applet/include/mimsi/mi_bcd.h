/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_bcd.h
 *  BCD identities: IMSI <-> EF_IMSI (TS 31.102 §4.2.2, TS 24.008 §10.5.1.4)
 *  and ICCID <-> EF_ICCID (TS 102 221 §13.2). Digits are ASCII '0'..'9'.
 */
#ifndef MIMSI_MI_BCD_H
#define MIMSI_MI_BCD_H

#include "mi_types.h"

#define MI_EF_IMSI_LEN 9u
#define MI_EF_ICCID_LEN 10u
#define MI_IMSI_MIN_DIGITS 6u   /* MCC + MNC + at least one MSIN digit */
#define MI_IMSI_MAX_DIGITS 15u  /* TS 23.003 §2.2 */
#define MI_ICCID_MIN_DIGITS 18u /* ITU-T E.118: 18..20 digits with check digit */
#define MI_ICCID_MAX_DIGITS 20u

/*! \returns MI_EF_IMSI_LEN, MI_ERR_RANGE (digit count), MI_ERR_DIGIT, MI_ERR_CAPACITY. */
int mi_imsi_encode(const char *digits, mi_u16 ndigits, mi_u8 *out, mi_u16 cap);
/*! Writes the digits and a NUL. \returns the digit count, or MI_ERR_TRUNCATED,
 *  MI_ERR_LENGTH (byte 1), MI_ERR_FORMAT (parity/type nibble), MI_ERR_DIGIT, MI_ERR_CAPACITY. */
int mi_imsi_decode(const mi_u8 *ef, mi_u16 len, char *digits, mi_u16 cap);

/*! \returns MI_EF_ICCID_LEN, MI_ERR_RANGE, MI_ERR_DIGIT, MI_ERR_CAPACITY. */
int mi_iccid_encode(const char *digits, mi_u16 ndigits, mi_u8 *out, mi_u16 cap);
/*! Writes the digits and a NUL. \returns the digit count or a negative mi_err. */
int mi_iccid_decode(const mi_u8 *ef, mi_u16 len, char *digits, mi_u16 cap);

#endif /* MIMSI_MI_BCD_H */
