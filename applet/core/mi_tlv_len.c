/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_tlv_len.c
 *  The length field shared by BER-TLV and COMPREHENSION-TLV objects of the
 *  toolkit (TS 102 223 Annex C, TS 101 220 §7.1.2): 00..7F in one byte,
 *  80..FF as 81 xx. Other forms (80, 82 xx xx, 83 ...) never occur in a
 *  short APDU and are refused, as is a non-minimal 81 xx with xx < 80.
 */
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"

#define MI_TLV_LEN_1B_MAX 0x7Fu
#define MI_TLV_LEN_2B 0x81u
#define MI_TLV_LEN_2B_MAX 0xFFu

int mi_tlv_len_decode(const mi_u8 *buf, mi_u16 len, mi_u16 *out)
{
	if (!buf || !out)
		return MI_ERR_PARAM;
	*out = 0;
	if (len < 1u)
		return MI_ERR_TRUNCATED;
	if (buf[0] <= MI_TLV_LEN_1B_MAX) {
		*out = buf[0];
		return 1;
	}
	if (buf[0] != MI_TLV_LEN_2B)
		return MI_ERR_LENGTH;
	if (len < 2u)
		return MI_ERR_TRUNCATED;
	if (buf[1] <= MI_TLV_LEN_1B_MAX)
		return MI_ERR_LENGTH;
	*out = buf[1];
	return 2;
}

int mi_tlv_len_encode(mi_u16 value, mi_u8 *buf, mi_u16 cap)
{
	if (!buf)
		return MI_ERR_PARAM;
	if (value > MI_TLV_LEN_2B_MAX)
		return MI_ERR_RANGE;
	if (value <= MI_TLV_LEN_1B_MAX) {
		if (cap < 1u)
			return MI_ERR_CAPACITY;
		buf[0] = (mi_u8)value;
		return 1;
	}
	if (cap < 2u)
		return MI_ERR_CAPACITY;
	buf[0] = MI_TLV_LEN_2B;
	buf[1] = (mi_u8)value;
	return 2;
}
