/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_tlv.h
 *  BER-TLV (the outer D0..DF objects of TS 102 223 §6.6/§7, TS 101 220 §7.1)
 *  and COMPREHENSION-TLV (TS 101 220 §7.1.1, TS 102 223 §8). Lengths are
 *  1 byte (00..7F) or 81 xx (80..FF) (TS 102 223 Annex C).
 *  Decoders check every length against what remains and return bytes
 *  consumed or a negative mi_err; encoders check capacity first and never
 *  write past it, returning bytes written.
 */
#ifndef MIMSI_MI_TLV_H
#define MIMSI_MI_TLV_H

#include "mi_types.h"

/* BER-TLV tags of the toolkit (TS 101 220 §7.2). */
#define MI_BTAG_PROACTIVE 0xD0u
#define MI_BTAG_SMS_PP 0xD1u
#define MI_BTAG_CB 0xD2u
#define MI_BTAG_MENU 0xD3u
#define MI_BTAG_CALL_CTRL 0xD4u
#define MI_BTAG_MO_SMS_CTRL 0xD5u
#define MI_BTAG_EVENT 0xD6u
#define MI_BTAG_TIMER 0xD7u

struct mi_btlv {
	mi_u8 tag;
	mi_u16 len;
	const mi_u8 *val; /*!< NULL when decoding fails */
};

struct mi_ctlv {
	mi_u16 tag;       /*!< without the CR bit: 1-byte tags 0x01..0x7E, 3-byte tags 0x0000..0x7FFF */
	mi_bool cr;       /*!< comprehension required */
	mi_bool long_tag; /*!< came as (or is to be written as) 7F hi lo */
	mi_u16 len;
	const mi_u8 *val; /*!< NULL when decoding fails */
};

/*! Length field: \returns bytes of the length field, MI_ERR_TRUNCATED or MI_ERR_LENGTH. */
int mi_tlv_len_decode(const mi_u8 *buf, mi_u16 len, mi_u16 *out);
/*! \returns bytes written (1 or 2) or MI_ERR_CAPACITY / MI_ERR_RANGE (> 255). */
int mi_tlv_len_encode(mi_u16 value, mi_u8 *buf, mi_u16 cap);

/*! Decode one BER-TLV object whose tag is one byte. */
int mi_btlv_decode(const mi_u8 *buf, mi_u16 len, struct mi_btlv *out);
/*! Write tag, length and the vlen bytes at val (which must not overlap buf). */
int mi_btlv_encode(mi_u8 *buf, mi_u16 cap, mi_u8 tag, const mi_u8 *val, mi_u16 vlen);

/*! Decode one COMPREHENSION-TLV. */
int mi_ctlv_decode(const mi_u8 *buf, mi_u16 len, struct mi_ctlv *out);
/*! Encode one COMPREHENSION-TLV (1-byte tag unless tag > 0x7E or long_tag). */
int mi_ctlv_encode(mi_u8 *buf, mi_u16 cap, mi_u16 tag, mi_bool cr,
		   const mi_u8 *val, mi_u16 vlen);
/*! Find the first TLV with \a tag (CR bit ignored) in a run of TLVs.
 *  \returns offset of it, MI_ERR_NOT_FOUND, or the error of a malformed TLV met before it. */
int mi_ctlv_find(const mi_u8 *buf, mi_u16 len, mi_u16 tag, struct mi_ctlv *out);

#endif /* MIMSI_MI_TLV_H */
