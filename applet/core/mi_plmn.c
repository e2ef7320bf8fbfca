/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_plmn.c
 *  PLMN identity in 3 bytes (TS 24.008 §10.5.1.13, TS 31.102 §4.2.5), its
 *  text form "MCC-MNC", and the 5-byte xPLMNwAcT entry. No division: the
 *  digits are split by subtraction, so no libgcc helper is pulled in on
 *  16-bit and Cortex-M0 targets.
 */
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_err.h"

#define MI_PLMN_LEN 3u
#define MI_PLMNWACT_LEN 5u
#define MI_MCC_MNC_MAX 999u
#define MI_MNC2_MAX 99u
#define MI_NIBBLE_PAD 0x0Fu /* MNC digit 3 of a 2-digit MNC */
#define MI_PLMN_TEXT_MAX 8u /* "302-777" + NUL */

/* Split v (0..999) into hundreds, tens, units. */
static void mi_dec3(mi_u16 v, mi_u8 d[3])
{
	d[0] = d[1] = 0;
	while (v >= 100u) {
		v = (mi_u16)(v - 100u);
		d[0]++;
	}
	while (v >= 10u) {
		v = (mi_u16)(v - 10u);
		d[1]++;
	}
	d[2] = (mi_u8)v;
}

static mi_u16 mi_num3(mi_u8 a, mi_u8 b, mi_u8 c)
{
	return (mi_u16)((mi_u16)a * 100u + (mi_u16)b * 10u + c);
}

static int mi_plmn_valid(const struct mi_plmn *p)
{
	if (p->mcc > MI_MCC_MNC_MAX)
		return MI_ERR_RANGE;
	if (p->mnc_digits == 2u)
		return p->mnc <= MI_MNC2_MAX ? MI_OK : MI_ERR_RANGE;
	if (p->mnc_digits == 3u)
		return p->mnc <= MI_MCC_MNC_MAX ? MI_OK : MI_ERR_RANGE;
	return MI_ERR_RANGE;
}

int mi_plmn_encode(const struct mi_plmn *p, mi_u8 *out, mi_u16 cap)
{
	mi_u8 mcc[3], mnc[3];
	int rc;

	if (!p || !out)
		return MI_ERR_PARAM;
	rc = mi_plmn_valid(p);
	if (rc < 0)
		return rc;
	if (cap < MI_PLMN_LEN)
		return MI_ERR_CAPACITY;
	mi_dec3(p->mcc, mcc);
	mi_dec3(p->mnc, mnc);
	out[0] = (mi_u8)((mcc[1] << 4) | mcc[0]);
	if (p->mnc_digits == 3u) {
		out[1] = (mi_u8)((mnc[2] << 4) | mcc[2]);
		out[2] = (mi_u8)((mnc[1] << 4) | mnc[0]);
	} else {
		out[1] = (mi_u8)((MI_NIBBLE_PAD << 4) | mcc[2]);
		out[2] = (mi_u8)((mnc[2] << 4) | mnc[1]);
	}
	return (int)MI_PLMN_LEN;
}

int mi_plmn_decode(const mi_u8 *buf, mi_u16 len, struct mi_plmn *p)
{
	mi_u8 m1, m2, m3, n1, n2, n3;

	if (!buf || !p)
		return MI_ERR_PARAM;
	if (len < MI_PLMN_LEN)
		return MI_ERR_TRUNCATED;
	if (buf[0] == 0xFFu && buf[1] == 0xFFu && buf[2] == 0xFFu)
		return MI_ERR_NOT_FOUND; /* empty entry, TS 31.102 §4.2.5 */
	m1 = (mi_u8)(buf[0] & 0x0Fu);
	m2 = (mi_u8)(buf[0] >> 4);
	m3 = (mi_u8)(buf[1] & 0x0Fu);
	n3 = (mi_u8)(buf[1] >> 4);
	n1 = (mi_u8)(buf[2] & 0x0Fu);
	n2 = (mi_u8)(buf[2] >> 4);
	if (m1 > 9u || m2 > 9u || m3 > 9u || n1 > 9u || n2 > 9u ||
	    (n3 > 9u && n3 != MI_NIBBLE_PAD))
		return MI_ERR_DIGIT;
	p->mcc = mi_num3(m1, m2, m3);
	if (n3 == MI_NIBBLE_PAD) {
		p->mnc = mi_num3(0, n1, n2);
		p->mnc_digits = 2;
	} else {
		p->mnc = mi_num3(n1, n2, n3);
		p->mnc_digits = 3;
	}
	return (int)MI_PLMN_LEN;
}

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
	mi_u8 mcc[3], mnc[3];
	mi_u16 n = 0, k;
	int rc;

	if (!p || !out)
		return MI_ERR_PARAM;
	rc = mi_plmn_valid(p);
	if (rc < 0)
		return rc;
	if (cap < (mi_u16)(5u + p->mnc_digits))
		return MI_ERR_CAPACITY;
	mi_dec3(p->mcc, mcc);
	mi_dec3(p->mnc, mnc);
	for (k = 0; k < 3u; k++)
		out[n++] = (char)('0' + mcc[k]);
	out[n++] = '-';
	for (k = (mi_u16)(3u - p->mnc_digits); k < 3u; k++)
		out[n++] = (char)('0' + mnc[k]);
	out[n] = '\0';
	return (int)n;
}

int mi_plmn_equal(const struct mi_plmn *a, const struct mi_plmn *b)
{
	if (!a || !b)
		return 0;
	return a->mcc == b->mcc && a->mnc == b->mnc && a->mnc_digits == b->mnc_digits;
}

int mi_plmnwact_encode(const struct mi_plmn *p, mi_u16 act, mi_u8 *out, mi_u16 cap)
{
	int rc;

	if (!p || !out)
		return MI_ERR_PARAM;
	rc = mi_plmn_valid(p);
	if (rc < 0)
		return rc;
	if (cap < MI_PLMNWACT_LEN)
		return MI_ERR_CAPACITY;
	(void)mi_plmn_encode(p, out, cap);
	MI_PUT_U16_BE(out, MI_PLMN_LEN, act);
	return (int)MI_PLMNWACT_LEN;
}

int mi_plmnwact_decode(const mi_u8 *buf, mi_u16 len, struct mi_plmn *p, mi_u16 *act)
{
	int rc;

	if (!buf || !p || !act)
		return MI_ERR_PARAM;
	if (len < MI_PLMNWACT_LEN)
		return MI_ERR_TRUNCATED;
	*act = MI_GET_U16_BE(buf, MI_PLMN_LEN);
	rc = mi_plmn_decode(buf, MI_PLMN_LEN, p);
	if (rc < 0)
		return rc;
	return (int)MI_PLMNWACT_LEN;
}
