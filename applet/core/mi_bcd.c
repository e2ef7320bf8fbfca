/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_bcd.c
 *  IMSI <-> EF_IMSI (TS 31.102 §4.2.2, TS 24.008 §10.5.1.4) and
 *  ICCID <-> EF_ICCID (TS 102 221 §13.2). Both store two digits per byte,
 *  the first digit in the low nibble; unused nibbles are F.
 */
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"

#define MI_NIBBLE_PAD 0x0Fu
#define MI_IMSI_TYPE 0x01u /* identity type 001 = IMSI, TS 24.008 §10.5.1.4 */
#define MI_IMSI_TYPE_MASK 0x07u
#define MI_IMSI_ODD 0x08u  /* odd/even indication: odd number of digits */
#define MI_EF_IMSI_MAXL 8u /* EF_IMSI byte 1: at most 8 bytes follow */

static int mi_digits_check(const char *digits, mi_u16 n)
{
	mi_u16 i;

	for (i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return MI_ERR_DIGIT;
	}
	return MI_OK;
}

static mi_u8 mi_digit(char c)
{
	return (mi_u8)(c - '0');
}

/* Nibble k of a swapped-BCD string (low nibble first). */
static mi_u8 mi_swapped_nibble(const mi_u8 *buf, mi_u16 k)
{
	mi_u8 b = buf[k >> 1];

	return (mi_u8)((k & 1u) ? (b >> 4) : (b & 0x0Fu));
}

int mi_imsi_encode(const char *digits, mi_u16 ndigits, mi_u8 *out, mi_u16 cap)
{
	mi_u16 i, k;
	mi_u8 nib;
	int rc;

	if (!digits || !out)
		return MI_ERR_PARAM;
	if (ndigits < MI_IMSI_MIN_DIGITS || ndigits > MI_IMSI_MAX_DIGITS)
		return MI_ERR_RANGE;
	rc = mi_digits_check(digits, ndigits);
	if (rc < 0)
		return rc;
	if (cap < MI_EF_IMSI_LEN)
		return MI_ERR_CAPACITY;
	MI_MEMSET(out, 0xFF, MI_EF_IMSI_LEN);
	/* parity/type nibble + digits, rounded up to whole bytes */
	out[0] = (mi_u8)((ndigits + 2u) >> 1);
	for (k = 0; k <= ndigits; k++) {
		if (k == 0)
			nib = (mi_u8)(MI_IMSI_TYPE | ((ndigits & 1u) ? MI_IMSI_ODD : 0u));
		else
			nib = mi_digit(digits[k - 1u]);
		i = (mi_u16)(1u + (k >> 1));
		if (k & 1u)
			out[i] = (mi_u8)((out[i] & 0x0Fu) | ((unsigned)nib << 4));
		else
			out[i] = (mi_u8)(0xF0u | nib);
	}
	return (int)MI_EF_IMSI_LEN;
}

int mi_imsi_decode(const mi_u8 *ef, mi_u16 len, char *digits, mi_u16 cap)
{
	mi_u16 nbytes, nnib, ndig, k;
	mi_u8 first, nib;

	if (!ef || !digits)
		return MI_ERR_PARAM;
	if (len < 2u)
		return MI_ERR_TRUNCATED;
	nbytes = ef[0];
	if (nbytes == 0u || nbytes > MI_EF_IMSI_MAXL)
		return MI_ERR_LENGTH;
	if (len < 1u + nbytes)
		return MI_ERR_TRUNCATED;
	first = (mi_u8)(ef[1] & 0x0Fu);
	if ((first & MI_IMSI_TYPE_MASK) != MI_IMSI_TYPE)
		return MI_ERR_FORMAT;
	nnib = (mi_u16)(nbytes * 2u); /* nibbles after byte 1, parity nibble included */
	/* an even count leaves the last nibble F; an odd count fills it */
	if (first & MI_IMSI_ODD) {
		ndig = (mi_u16)(nnib - 1u);
		if (mi_swapped_nibble(ef + 1, (mi_u16)(nnib - 1u)) == MI_NIBBLE_PAD)
			return MI_ERR_FORMAT;
	} else {
		ndig = (mi_u16)(nnib - 2u);
		if (mi_swapped_nibble(ef + 1, (mi_u16)(nnib - 1u)) != MI_NIBBLE_PAD)
			return MI_ERR_FORMAT;
	}
	if (ndig < MI_IMSI_MIN_DIGITS || ndig > MI_IMSI_MAX_DIGITS)
		return MI_ERR_RANGE;
	for (k = 1; k <= ndig; k++) {
		if (mi_swapped_nibble(ef + 1, k) > 9u)
			return MI_ERR_DIGIT;
	}
	if (cap < ndig + 1u)
		return MI_ERR_CAPACITY;
	for (k = 1; k <= ndig; k++) {
		nib = mi_swapped_nibble(ef + 1, k);
		digits[k - 1u] = (char)('0' + nib);
	}
	digits[ndig] = '\0';
	return (int)ndig;
}

int mi_iccid_encode(const char *digits, mi_u16 ndigits, mi_u8 *out, mi_u16 cap)
{
	mi_u16 k;
	int rc;

	if (!digits || !out)
		return MI_ERR_PARAM;
	if (ndigits < MI_ICCID_MIN_DIGITS || ndigits > MI_ICCID_MAX_DIGITS)
		return MI_ERR_RANGE;
	rc = mi_digits_check(digits, ndigits);
	if (rc < 0)
		return rc;
	if (cap < MI_EF_ICCID_LEN)
		return MI_ERR_CAPACITY;
	MI_MEMSET(out, 0xFF, MI_EF_ICCID_LEN);
	for (k = 0; k < ndigits; k++) {
		if (k & 1u)
			out[k >> 1] =
			    (mi_u8)((out[k >> 1] & 0x0Fu) | ((unsigned)mi_digit(digits[k]) << 4));
		else
			out[k >> 1] = (mi_u8)(0xF0u | mi_digit(digits[k]));
	}
	return (int)MI_EF_ICCID_LEN;
}

int mi_iccid_decode(const mi_u8 *ef, mi_u16 len, char *digits, mi_u16 cap)
{
	mi_u16 k, ndig = 0;
	mi_u8 nib;

	if (!ef || !digits)
		return MI_ERR_PARAM;
	if (len < MI_EF_ICCID_LEN)
		return MI_ERR_TRUNCATED;
	/* digits, then only F padding */
	for (k = 0; k < 2u * MI_EF_ICCID_LEN; k++) {
		nib = mi_swapped_nibble(ef, k);
		if (nib == MI_NIBBLE_PAD) {
			continue;
		}
		if (nib > 9u || ndig != k)
			return MI_ERR_DIGIT;
		ndig++;
	}
	if (ndig < MI_ICCID_MIN_DIGITS)
		return MI_ERR_RANGE;
	if (cap < ndig + 1u)
		return MI_ERR_CAPACITY;
	for (k = 0; k < ndig; k++)
		digits[k] = (char)('0' + mi_swapped_nibble(ef, k));
	digits[ndig] = '\0';
	return (int)ndig;
}
