/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_cat.c
 *  CAT on the card side: the proactive commands the engine sends, built in
 *  ram->cmd and handed to mi_port_proactive_send(), and the scan of the
 *  COMPREHENSION-TLVs in ENVELOPEs and TERMINAL RESPONSEs.
 */
#include "mi_cat_int.h"
#include "mi_softtimer_int.h"
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

/* Append a COMPREHENSION-TLV with the CR bit (TS 102 223 §8): every value
 * the engine sends is shorter than 128 bytes, so the length is one byte. */
static MI_NOINLINE mi_u8 *mi_put(mi_u8 *p, mi_u8 tag, const mi_u8 *val, mi_u8 n)
{
	*p++ = (mi_u8)(tag | 0x80u);
	*p++ = n;
	MI_MEMCPY(p, val, n);
	return p + n;
}

/* Command details (§8.6: number 01, type and qualifier patched in) and
 * device identities (§8.7: UICC -> terminal), CR bit set. */
static const mi_u8 mi_tlv_head[] = {0x81, 0x03, MI_CMD_NUMBER, 0, 0, 0x82, 0x02, 0x81, 0x82};

/* Low bytes of the USIM EFs 6Fxx a switch writes (TS 31.102 §4.2): IMSI,
 * AD, LOCI, PSLOCI, EPSLOCI, FPLMN, OPLMNwACT, KEYS, KEYSPS, EHPLMN,
 * EPSNSC (the DF_5GS files are re-read at the NAA initialisation of modes
 * 00 and 02; mode 01 follows a new set's lists only). */
static const mi_u8 mi_usim_fid[] = {0x07, 0xAD, 0x7E, 0x73, 0xE3, 0x7B,
				    0x61, 0x08, 0x09, 0xD9, 0xE4};

/* The fixed TLVs of SET UP MENU and SELECT ITEM, CR bit set: alpha
 * identifier (§8.2, SMS default alphabet unpacked), then the item (§8.9,
 * item id + text): "mimsi" with 01 "IMSI choice", "IMSI" with 80 "Automatic". */
static const mi_u8 mi_tlv_menu[] = "\x85\x05mimsi\x8F\x0C\x01IMSI choice";
static const mi_u8 mi_tlv_select[] = "\x85\x04IMSI\x8F\x0A\200Automatic";

/* The TLVs of command \a type after its command details and device
 * identities, written at \a p. Out of line: the builder below then sees a
 * plain pointer, not offsets into ram to track.
 * \returns the end. */
static MI_NOINLINE mi_u8 *mi_cat_tlvs(struct mi_applet *a, mi_u8 *p, mi_u8 type, mi_u8 qual,
				      mi_u8 timer)
{
	mi_u8 v[10], s;

	if (type == MI_CMD_EVENT_LIST) {
		v[0] = 0x03; /* location status (§8.25) */
		v[1] = 0x12; /* network rejection */
		p = mi_put(p, 0x19, v, (a->ram->caps & MI_CAP_NET_REJECT) ? 2u : 1u);
	} else if (type == MI_CMD_TIMER) {
		p = mi_put(p, 0x24, &timer, 1);
		/* start: the time left (§8.38); never above 23:59:59, since
		 * every deadline is armed at most that far ahead */
		(void)mi_timer_encode(mi_timer_left(a, timer), v, 3);
		p = mi_put(p, 0x25, v, 3);
	} else if (type == MI_CMD_REFRESH && qual <= 0x02u) {
		/* File List (§8.18): the eleven USIM files a switch writes, full
		 * paths 3F00 7FFF 6Fxx from the MF, 7FFF = the current ADF
		 * (TS 102 221 §8.4.2), in enum mi_file order */
		*p++ = 0x92;
		*p++ = 1u + 6u * sizeof(mi_usim_fid);
		*p++ = sizeof(mi_usim_fid);
		for (s = 0; s < sizeof(mi_usim_fid); s++, p += 6) {
			MI_MEMCPY(p, "\x3F\x00\x7F\xFF\x6F", 5);
			p[5] = mi_usim_fid[s];
		}
	} else if (type == MI_CMD_SETUP_MENU) {
		MI_MEMCPY(p, mi_tlv_menu, sizeof(mi_tlv_menu) - 1u);
		p += sizeof(mi_tlv_menu) - 1u;
	} else if (type == MI_CMD_SELECT_ITEM) {
		/* "Automatic", then "Slot N" per enabled slot (§8.9: id + text in
		 * the SMS default alphabet, unpacked) */
		MI_MEMCPY(p, mi_tlv_select, sizeof(mi_tlv_select) - 1u);
		p += sizeof(mi_tlv_select) - 1u;
		MI_MEMCPY(v + 1, "Slot 10", 7);
		for (s = 1; s <= MI_MAX_SLOTS; s++) {
			if (!(a->ram->enabled & MI_BIT(s)))
				continue;
			v[0] = s;
			/* "Slot 1".."Slot 9", then "Slot 10" (digit 1, and the 0
			 * still in v[7] from the copy above) */
			v[6] = (mi_u8)(s < 10u ? '0' + s : '1');
			p = mi_put(p, 0x0F, v, s < 10u ? 7u : 8u);
		}
	} /* PROVIDE LOCAL INFORMATION: command details only */
	return p;
}

/* Build the command in ram->cmd and queue it with the port. Largest: SELECT
 * ITEM with 10 slots, 120 bytes (test_engine_menu.c), within MI_CMD_BUF. */
int mi_cat_build(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 timer)
{
	mi_u8 *b = a->ram->cmd, *p = b + 3;
	mi_u16 body;

	MI_MEMCPY(p, mi_tlv_head, sizeof(mi_tlv_head));
	p[3] = type;
	p[4] = qual;
	p = mi_cat_tlvs(a, p + sizeof(mi_tlv_head), type, qual, timer);
	/* the body starts at b + 3: D0 81 len from b, or D0 len from b + 1
	 * when the length fits one byte (TS 102 223 Annex C) */
	body = (mi_u16)(p - b - 3);
	b[2] = (mi_u8)body;
	if (body <= 0x7Fu)
		b++;
	else
		b[1] = 0x81;
	b[0] = MI_BTAG_PROACTIVE;
	return mi_port_proactive_send(a->port, b, (mi_u16)(p - b));
}
