/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_btlv.c
 *  BER-TLV objects of the toolkit with a one-byte tag: the proactive
 *  command D0 and the envelopes D1..DF (TS 101 220 §7.2, TS 102 223 §6.6).
 */
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"

/* 00 and FF pad between BER-TLV objects and are never a tag (ISO/IEC 7816-4
 * BER-TLV coding; TS 101 220 §7.1.1 excludes them for C-TLVs too). */
#define MI_TAG_PAD_00 0x00u
#define MI_TAG_PAD_FF 0xFFu

int mi_btlv_decode(const mi_u8 *buf, mi_u16 len, struct mi_btlv *out)
{
	mi_u16 vlen;
	int n;

	if (!buf || !out)
		return MI_ERR_PARAM;
	out->tag = 0;
	out->len = 0;
	out->val = NULL;
	if (len < 1u)
		return MI_ERR_TRUNCATED;
	if (buf[0] == MI_TAG_PAD_00 || buf[0] == MI_TAG_PAD_FF)
		return MI_ERR_TAG;
	n = mi_tlv_len_decode(buf + 1, (mi_u16)(len - 1u), &vlen);
	if (n < 0)
		return n;
	if ((mi_u32)1u + (mi_u32)n + vlen > len)
		return MI_ERR_LENGTH;
	out->tag = buf[0];
	out->len = vlen;
	out->val = buf + 1 + n;
	return (int)(1u + (mi_u16)n + vlen);
}

int mi_btlv_encode(mi_u8 *buf, mi_u16 cap, mi_u8 tag, const mi_u8 *val, mi_u16 vlen)
{
	mi_u8 lf[2];
	int n;

	if (!buf || (!val && vlen > 0u))
		return MI_ERR_PARAM;
	if (tag == MI_TAG_PAD_00 || tag == MI_TAG_PAD_FF)
		return MI_ERR_TAG;
	n = mi_tlv_len_encode(vlen, lf, sizeof(lf));
	if (n < 0)
		return n;
	if ((mi_u32)1u + (mi_u32)n + vlen > cap)
		return MI_ERR_CAPACITY;
	buf[0] = tag;
	MI_MEMCPY(buf + 1, lf, n);
	if (vlen > 0u)
		MI_MEMCPY(buf + 1 + n, val, vlen);
	return (int)(1u + (mi_u16)n + vlen);
}
