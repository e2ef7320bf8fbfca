/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ctlv.c
 *  COMPREHENSION-TLV (TS 101 220 §7.1.1, TS 102 223 §8): a 1-byte tag
 *  (b8 = CR, b7..b1 = tag 01..7E) or the 3-byte form 7F hi lo (b8 of hi =
 *  CR, the other 15 bits = tag), then the length field of mi_tlv_len.c.
 */
#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"

#define MI_CTAG_CR 0x80u
#define MI_CTAG_LONG 0x7Fu /* first byte of a 3-byte tag */
#define MI_CTAG_1B_MAX 0x7Eu
#define MI_CTAG_LONG_MAX 0x7FFFu
/* 00, 80 and FF are not tags (TS 101 220 §7.1.1); FF is padding. */
#define MI_CTAG_RES_00 0x00u
#define MI_CTAG_RES_80 0x80u
#define MI_CTAG_RES_FF 0xFFu

static void mi_ctlv_clear(struct mi_ctlv *out)
{
	out->tag = 0;
	out->cr = MI_FALSE;
	out->long_tag = MI_FALSE;
	out->len = 0;
	out->val = NULL;
}

int mi_ctlv_decode(const mi_u8 *buf, mi_u16 len, struct mi_ctlv *out)
{
	mi_u16 tlen, vlen, tag;
	mi_bool cr;
	int n;

	if (!buf || !out)
		return MI_ERR_PARAM;
	mi_ctlv_clear(out);
	if (len < 1u)
		return MI_ERR_TRUNCATED;
	if (buf[0] == MI_CTAG_RES_00 || buf[0] == MI_CTAG_RES_80 || buf[0] == MI_CTAG_RES_FF)
		return MI_ERR_TAG;
	if (buf[0] == MI_CTAG_LONG) {
		if (len < 3u)
			return MI_ERR_TRUNCATED;
		cr = (mi_bool)((buf[1] & MI_CTAG_CR) != 0u);
		tag = (mi_u16)(((mi_u16)(buf[1] & 0x7Fu) << 8) | buf[2]);
		tlen = 3;
	} else {
		cr = (mi_bool)((buf[0] & MI_CTAG_CR) != 0u);
		tag = (mi_u16)(buf[0] & 0x7Fu);
		tlen = 1;
	}
	n = mi_tlv_len_decode(buf + tlen, (mi_u16)(len - tlen), &vlen);
	if (n < 0)
		return n;
	if ((mi_u32)tlen + (mi_u32)n + vlen > len)
		return MI_ERR_LENGTH;
	out->tag = tag;
	out->cr = cr;
	out->long_tag = (mi_bool)(tlen == 3u);
	out->len = vlen;
	out->val = buf + tlen + n;
	return (int)(tlen + (mi_u16)n + vlen);
}

int mi_ctlv_encode(mi_u8 *buf, mi_u16 cap, mi_u16 tag, mi_bool cr, const mi_u8 *val, mi_u16 vlen)
{
	mi_u8 hdr[5];
	mi_u16 hlen;
	int n;

	if (!buf || (!val && vlen > 0u))
		return MI_ERR_PARAM;
	if (tag == 0u || tag > MI_CTAG_LONG_MAX)
		return MI_ERR_RANGE;
	if (tag <= MI_CTAG_1B_MAX) {
		hdr[0] = (mi_u8)(tag | (cr ? MI_CTAG_CR : 0u));
		hlen = 1;
	} else {
		hdr[0] = MI_CTAG_LONG;
		hdr[1] = (mi_u8)((tag >> 8) | (cr ? MI_CTAG_CR : 0u));
		hdr[2] = (mi_u8)(tag & 0xFFu);
		hlen = 3;
	}
	n = mi_tlv_len_encode(vlen, hdr + hlen, (mi_u16)(sizeof(hdr) - hlen));
	if (n < 0)
		return n;
	hlen = (mi_u16)(hlen + (mi_u16)n);
	if ((mi_u32)hlen + vlen > cap)
		return MI_ERR_CAPACITY;
	MI_MEMCPY(buf, hdr, hlen);
	if (vlen > 0u)
		MI_MEMCPY(buf + hlen, val, vlen);
	return (int)(hlen + vlen);
}

int mi_ctlv_find(const mi_u8 *buf, mi_u16 len, mi_u16 tag, struct mi_ctlv *out)
{
	mi_u16 off = 0;
	int n;

	if (!buf || !out)
		return MI_ERR_PARAM;
	if (len > MI_LEN_MAX)
		return MI_ERR_LENGTH; /* offsets must fit a 16-bit int */
	while (off < len) {
		n = mi_ctlv_decode(buf + off, (mi_u16)(len - off), out);
		if (n < 0)
			return n;
		if (out->tag == tag)
			return (int)off;
		off = (mi_u16)(off + (mi_u16)n);
	}
	mi_ctlv_clear(out);
	return MI_ERR_NOT_FOUND;
}
