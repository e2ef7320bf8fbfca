/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_plmn.c
 *  PLMN identity in 3 bytes (TS 24.008 §10.5.1.13, TS 31.102 §4.2.5) and
 *  the 5-byte xPLMNwAcT entry; the text form "MCC-MNC" is host-only, in
 *  mi_plmn_text.c. No division: digits are split by subtraction, so no
 *  libgcc helper is pulled in on AVR and Cortex-M0.
 */
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_err.h"

#define MI_PLMN_LEN 3u
#define MI_PLMNWACT_LEN 5u
#define MI_MCC_MNC_MAX 999u
#define MI_MNC2_MAX 99u
#define MI_NIBBLE_PAD 0x0Fu /* MNC digit 3 of a 2-digit MNC */

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
	return (mi_u16)(((mi_u16)a * 10u + b) * 10u + c);
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
	if (m1 > 9u || m2 > 9u || m3 > 9u || n1 > 9u || n2 > 9u || (n3 > 9u && n3 != MI_NIBBLE_PAD))
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
