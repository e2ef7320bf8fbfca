/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_plmn_text.c
 *  PLMN identity as text, "262-01" or "302-777" (TS 23.003 §2.2: MCC of 3
 *  digits, MNC of 2 or 3). Host-only (applet/host, outside the card
 *  core): the card handles PLMNs as bytes.
 */
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"

#define MI_PLMN_LEN 3u

/* Digits of text[from..to) into *v; MI_ERR_DIGIT if one is not a digit. */
static int mi_parse_digits(const char *text, mi_u16 from, mi_u16 to, mi_u16 *v)
{
	mi_u16 i;

	*v = 0;
	for (i = from; i < to; i++) {
		if (text[i] < '0' || text[i] > '9')
			return MI_ERR_DIGIT;
		*v = (mi_u16)(*v * 10u + (mi_u16)(text[i] - '0'));
	}
	return MI_OK;
}

int mi_plmn_parse(const char *text, mi_u16 len, struct mi_plmn *p)
{
	mi_u16 i, dash = len, mcc, mnc, mnc_len;
	int rc;

	if (!text || !p)
		return MI_ERR_PARAM;
	for (i = 0; i < len; i++) {
		if (text[i] == '-') {
			if (dash != len)
				return MI_ERR_DIGIT; /* a second '-' */
			dash = i;
		}
	}
	if (dash == len) {
		/* digits only: 5 = MCC + 2-digit MNC, 6 = MCC + 3-digit MNC */
		if (len != 5u && len != 6u) {
			rc = mi_parse_digits(text, 0, len, &mcc);
			return rc < 0 ? rc : MI_ERR_RANGE;
		}
		dash = 3;
		mnc_len = (mi_u16)(len - 3u);
		rc = mi_parse_digits(text, 3, len, &mnc);
	} else {
		mnc_len = (mi_u16)(len - dash - 1u);
		rc = mi_parse_digits(text, (mi_u16)(dash + 1u), len, &mnc);
	}
	if (rc < 0)
		return rc;
	rc = mi_parse_digits(text, 0, dash, &mcc);
	if (rc < 0)
		return rc;
	/* TS 23.003 §2.2: MCC 3 digits, MNC 2 or 3 digits */
	if (dash != 3u || (mnc_len != 2u && mnc_len != 3u))
		return MI_ERR_RANGE;
	p->mcc = mcc;
	p->mnc = mnc;
	p->mnc_digits = (mi_u8)mnc_len;
	return MI_OK;
}

int mi_plmn_format(const struct mi_plmn *p, char *out, mi_u16 cap)
{
	mi_u8 b[MI_PLMN_LEN];
	/* digits in order: MCC1 MCC2 MCC3 MNC1 MNC2 [MNC3], as nibbles of b[] */
	const mi_u8 nib[6] = {0, 1, 2, 4, 5, 3}; /* index = byte * 2 + (high ? 1 : 0) */
	mi_u16 n = 0, k, ndig;
	mi_u8 d;
	int rc;

	if (!p || !out)
		return MI_ERR_PARAM;
	rc = mi_plmn_encode(p, b, sizeof(b));
	if (rc < 0)
		return rc;
	ndig = (mi_u16)(3u + p->mnc_digits);
	if (cap < ndig + 2u)
		return MI_ERR_CAPACITY;
	for (k = 0; k < ndig; k++) {
		if (k == 3u)
			out[n++] = '-';
		d = b[nib[k] >> 1];
		d = (mi_u8)((nib[k] & 1u) ? (d >> 4) : (d & 0x0Fu));
		out[n++] = (char)('0' + d);
	}
	out[n] = '\0';
	return (int)n;
}
