/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_cat.c
 *  CAT on the card side, a codec with no applet state and no port call: the
 *  builders of the proactive commands the core sends (every value they
 *  encode is an argument) and the scan of the COMPREHENSION-TLVs in
 *  ENVELOPEs and TERMINAL RESPONSEs.
 */
#include "mi_cat_int.h"
#include "mimsi/mi_timer.h"
#include "mimsi/mi_tlv.h"

/* Tags in enum mi_tix order (TS 102 223 §9.3, TS 31.111 §9.3). */
static const mi_u8 mi_tix_tag[MI_T_COUNT] = {0x01, 0x02, 0x03, 0x10, 0x13, 0x15, 0x19, 0x1B,
					     0x24, 0x25, 0x3F, 0x73, 0x74, 0x75, 0x7D};

/* Walk every TLV: each must be well formed to the end of the buffer; an
 * unknown tag with the CR bit is refused (TS 102 223 §6.10), one without it
 * is skipped. The first TLV of each known tag wins. The tag and length
 * checks are those of mi_ctlv_decode(), in its order, without its output
 * struct: the image then needs one TLV walker only. */
int mi_cat_scan(const mi_u8 *buf, mi_u16 len, struct mi_tlvs *t)
{
	mi_u16 hl, vlen;
	mi_u8 k, tag;
	int n;

	MI_MEMSET(t, 0, sizeof(*t));
	for (; len > 0u; buf += hl + vlen, len = (mi_u16)(len - hl - vlen)) {
		tag = buf[0];
		hl = 1;
		/* 00, 80, FF are not tags (TS 101 220 §7.1.1) */
		if (tag == 0x00u || tag == 0x80u || tag == 0xFFu)
			return MI_ERR_TAG;
		if (tag == 0x7Fu) { /* 3-byte tag: none of ours; keep its CR bit */
			if (len < 3u)
				return MI_ERR_TRUNCATED;
			tag = (mi_u8)(buf[1] | 0x7Fu);
			hl = 3;
		}
		n = mi_tlv_len_decode(buf + hl, (mi_u16)(len - hl), &vlen);
		if (n < 0)
			return n;
		hl = (mi_u16)(hl + (mi_u16)n);
		if ((mi_u16)(hl + vlen) > len) /* at most 3 + 2 + 255: no overflow */
			return MI_ERR_LENGTH;
		for (k = 0; k < MI_T_COUNT && (tag & 0x7Fu) != mi_tix_tag[k]; k++)
			;
		if (k == MI_T_COUNT) {
			if (tag & 0x80u)
				return MI_ERR_TAG;
		} else if (!t->v[k]) {
			t->v[k] = buf + hl;    /* zero-length: present, empty */
			t->l[k] = (mi_u8)vlen; /* one length byte at most: <= 255 */
		}
	}
	return MI_OK;
}

/* Device identities TLV present, 2 bytes, with this source and destination. */
int mi_cat_dev_is(const struct mi_tlvs *t, mi_u8 src, mi_u8 dst)
{
	const mi_u8 *d = t->v[MI_T_DEV];

	return d && t->l[MI_T_DEV] == 2u && d[0] == src && d[1] == dst;
}

mi_u8 *mi_cat_head(mi_u8 *buf, mi_u8 number, mi_u8 type, mi_u8 qual, mi_u8 dst)
{
	mi_u8 *p = buf + 2; /* room for D0 len: mi_cat_close() */

	/* command details (§8.6) and device identities (§8.7), CR bit set */
	p[0] = 0x81;
	p[1] = 3;
	p[2] = number;
	p[3] = type;
	p[4] = qual;
	p[5] = 0x82;
	p[6] = 2;
	p[7] = MI_DEV_UICC;
	p[8] = dst;
	return p + 9;
}

mi_u8 *mi_cat_events(mi_u8 *p, const mi_u8 *events, mi_u8 n)
{
	p[0] = 0x99; /* event list (§8.25), CR bit set */
	p[1] = n;
	MI_MEMCPY(p + 2, events, n);
	return p + 2 + n;
}

mi_u8 *mi_cat_timer(mi_u8 *p, mi_u8 id, mi_u32 seconds)
{
	p[0] = 0xA4; /* timer identifier (§8.37) */
	p[1] = 1;
	p[2] = id;
	p[3] = 0xA5; /* timer value (§8.38) */
	p[4] = MI_TIMER_VALUE_LEN;
	/* the callers never ask for more than 23:59:59 */
	(void)mi_timer_encode(seconds, p + 5, MI_TIMER_VALUE_LEN);
	return p + 5 + MI_TIMER_VALUE_LEN;
}

/* Low bytes of the USIM EFs 6Fxx a switch writes (TS 31.102 §4.2): IMSI,
 * AD, LOCI, PSLOCI, EPSLOCI, FPLMN, OPLMNwACT, KEYS, KEYSPS, EHPLMN,
 * EPSNSC (the DF_5GS files are re-read at the NAA initialisation of modes
 * 00 and 02; mode 01 follows a new set's lists only). */
static const mi_u8 mi_usim_fid[] = {0x07, 0xAD, 0x7E, 0x73, 0xE3, 0x7B,
				    0x61, 0x08, 0x09, 0xD9, 0xE4};

mi_u8 *mi_cat_files(mi_u8 *p)
{
	mi_u8 s;

	/* File List (§8.18): the eleven USIM files a switch writes, full paths
	 * 3F00 7FFF 6Fxx from the MF, 7FFF = the current ADF (TS 102 221
	 * §8.4.2), in enum mi_file order */
	*p++ = 0x92;
	*p++ = 1u + 6u * sizeof(mi_usim_fid);
	*p++ = sizeof(mi_usim_fid);
	for (s = 0; s < sizeof(mi_usim_fid); s++, p += 6) {
		MI_MEMCPY(p, "\x3F\x00\x7F\xFF\x6F", 5);
		p[5] = mi_usim_fid[s];
	}
	return p;
}

/* The fixed TLVs of SET UP MENU and SELECT ITEM, CR bit set: alpha
 * identifier (§8.2, SMS default alphabet unpacked), then an item (§8.9,
 * item id + text): "mimsi" with "IMSI choice", "IMSI" with 80 "Automatic". */
const mi_u8 mi_cat_menu_tlvs[] = "\x85\x05mimsi\x8F\x0C\x01IMSI choice";
static const mi_u8 mi_tlv_select[] = "\x85\x04IMSI\x8F\x0A\200Automatic";

mi_u8 *mi_cat_menu(mi_u8 *p, mi_u8 item)
{
	MI_MEMCPY(p, mi_cat_menu_tlvs, sizeof(mi_cat_menu_tlvs) - 1u);
	p[9] = item;
	return p + sizeof(mi_cat_menu_tlvs) - 1u;
}

mi_u8 *mi_cat_items(mi_u8 *p, mi_u16 slots)
{
	mi_u8 s, n;

	/* "Automatic", then "Slot N" per slot of the bitmap (§8.9: id + text
	 * in the SMS default alphabet, unpacked) */
	MI_MEMCPY(p, mi_tlv_select, sizeof(mi_tlv_select) - 1u);
	p += sizeof(mi_tlv_select) - 1u;
	for (s = 1; s <= MI_MAX_SLOTS; s++, slots >>= 1) {
		if (!(slots & 1u))
			continue;
		/* "Slot 1".."Slot 9" (the digit over the 1), or "Slot 10"; the
		 * byte after a short one is the next item's or unused */
		MI_MEMCPY(p + 3, "Slot 10", 7);
		n = 8u;
		if (s < 10u) {
			p[8] = (mi_u8)('0' + s);
			n = 7u;
		}
		p[0] = 0x8F;
		p[1] = n;
		p[2] = s;
		p += 2u + n;
	}
	return p;
}

mi_u16 mi_cat_close(mi_u8 *buf, const mi_u8 *end)
{
	mi_u16 body = (mi_u16)(end - buf - 2);

	/* every command built here is under 128 bytes, so its length is one
	 * byte (TS 102 223 Annex C, TS 101 220 §7.1.2) */
	if (body > 0x7Fu)
		return 0;
	buf[0] = MI_BTAG_PROACTIVE;
	buf[1] = (mi_u8)body;
	return (mi_u16)(body + 2u);
}
