/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_cat.c
 *  CAT on the card side: the proactive commands the engine sends, built in
 *  ram->cmd and handed to mi_port_proactive_send(), and the scan of the
 *  COMPREHENSION-TLVs in ENVELOPEs and TERMINAL RESPONSEs.
 */
#include "mi_engine_int.h"
#include "mimsi/mi_tlv.h"
#include "mimsi/mi_timer.h"

/* Tags in enum mi_tix order (TS 102 223 §9.3, TS 31.111 §9.3). */
static const mi_u8 mi_tix_tag[MI_T_COUNT] = {
	0x01, 0x02, 0x03, 0x10, 0x13, 0x15, 0x19, 0x1B, 0x24, 0x25, 0x3F, 0x73, 0x74, 0x75, 0x7D
};

/* Walk every TLV: each must be well formed to the end of the buffer; an
 * unknown tag with the CR bit is refused (TS 102 223 §6.10), one without it
 * is skipped. The first TLV of each known tag wins. */
int mi_cat_scan(const mi_u8 *buf, mi_u16 len, struct mi_tlvs *t)
{
	struct mi_ctlv c;
	mi_u16 off = 0;
	mi_u8 k;
	int rc;

	MI_MEMSET(t, 0, sizeof(*t));
	while (off < len) {
		rc = mi_ctlv_decode(buf + off, (mi_u16)(len - off), &c);
		if (rc < 0)
			return rc;
		for (k = 0; k < MI_T_COUNT; k++)
			if (!c.long_tag && c.tag == mi_tix_tag[k])
				break;
		if (k == MI_T_COUNT) {
			if (c.cr)
				return MI_ERR_TAG;
		} else if (!t->v[k]) {
			if (c.len > 0xFFu)
				return MI_ERR_LENGTH;
			t->v[k] = c.val ? c.val : buf + off; /* zero-length: present, empty */
			t->l[k] = (mi_u8)c.len;
		}
		off = (mi_u16)(off + (mi_u16)rc);
	}
	return MI_OK;
}

/* Device identities TLV present, 2 bytes, with this source and destination. */
int mi_cat_dev_is(const struct mi_tlvs *t, mi_u8 src, mi_u8 dst)
{
	const mi_u8 *d = t->v[MI_T_DEV];

	return d && t->l[MI_T_DEV] == 2u && d[0] == src && d[1] == dst;
}

static mi_u16 mi_put(mi_u8 *b, mi_u16 off, mi_u8 tag, const mi_u8 *val, mi_u16 vlen)
{
	int rc = mi_ctlv_encode(b + off, (mi_u16)(MI_CMD_BUF - off), tag, MI_TRUE, val, vlen);

	return rc < 0 ? (mi_u16)MI_CMD_BUF + 1u : (mi_u16)(off + (mi_u16)rc);
}

static const mi_u8 mi_txt_menu[] = "mimsi";
static const mi_u8 mi_txt_menu_item[] = "\001IMSI choice"; /* item id 01 + text */
static const mi_u8 mi_txt_select[] = "IMSI";
static const mi_u8 mi_txt_auto[] = "\200Automatic"; /* item id 80 + text */

/* Items of SELECT ITEM: "Automatic", then "Slot N" for each enabled slot
 * (TS 102 223 §8.9: id + text, SMS default alphabet unpacked). */
static mi_u16 mi_put_items(const struct mi_applet *a, mi_u8 *b, mi_u16 off)
{
	mi_u8 item[9] = { 0, 'S', 'l', 'o', 't', ' ', '1', '0', 0 };
	mi_u8 s;

	off = mi_put(b, off, 0x05, mi_txt_select, sizeof(mi_txt_select) - 1u);
	off = mi_put(b, off, 0x0F, mi_txt_auto, sizeof(mi_txt_auto) - 1u);
	for (s = 1; s <= MI_MAX_SLOTS && off <= MI_CMD_BUF; s++) {
		if (!(a->ram->enabled & MI_BIT(s)))
			continue;
		item[0] = s;
		item[6] = (mi_u8)(s < 10u ? '0' + s : '1');
		off = mi_put(b, off, 0x0F, item, s < 10u ? 7u : 8u);
	}
	return off;
}

/* File List (TS 102 223 §8.18): the USIM files a switch changed, full
 * paths from the MF, 7FFF for the current ADF (spec digest §3.4). */
static mi_u16 mi_put_files(mi_u8 *b, mi_u16 off)
{
	mi_u16 path[3];
	mi_u8 *v;
	int f;

	if (off + 2u + 1u + 6u * (MI_FILE_KEYSPS + 1u) > MI_CMD_BUF)
		return (mi_u16)MI_CMD_BUF + 1u;
	b[off] = 0x92;
	b[off + 1u] = (mi_u8)(1u + 6u * (MI_FILE_KEYSPS + 1u));
	b[off + 2u] = (mi_u8)(MI_FILE_KEYSPS + 1u);
	v = b + off + 3u;
	for (f = MI_FILE_IMSI; f <= MI_FILE_KEYSPS; f++) {
		if (mi_ef_file_path(f, path) != 2)
			return (mi_u16)MI_CMD_BUF + 1u;
		v[0] = 0x3F;
		v[1] = 0x00;
		MI_PUT_U16_BE(v, 2, path[0]);
		MI_PUT_U16_BE(v, 4, path[1]);
		v += 6;
	}
	return (mi_u16)(off + 3u + 6u * (MI_FILE_KEYSPS + 1u));
}

/* Build the command in ram->cmd and queue it with the port. */
int mi_cat_build(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 timer)
{
	static const mi_u8 dev[2] = { 0x81, 0x82 }; /* UICC -> terminal (§8.7) */
	mi_u8 *b = a->ram->cmd;
	mi_u8 v[3];
	mi_u16 off, body, k;
	int rc;

	v[0] = MI_CMD_NUMBER;
	v[1] = type;
	v[2] = qual;
	off = mi_put(b, 3, 0x01, v, 3);
	off = mi_put(b, off, 0x02, dev, 2);
	switch (type) {
	case MI_CMD_EVENT_LIST:
		v[0] = 0x03; /* location status (§8.25) */
		v[1] = 0x12; /* network rejection */
		off = mi_put(b, off, 0x19, v, (a->ram->caps & MI_CAP_NET_REJECT) ? 2u : 1u);
		break;
	case MI_CMD_TIMER:
		v[0] = timer;
		off = mi_put(b, off, 0x24, v, 1);
		if (qual == 0x00u) { /* start: the value (§8.38) */
			k = 0;
			rc = mi_timer_encode(a->ram->deadline[timer - 1u] - a->ram->now_s, v, 3);
			if (rc < 0)
				return rc;
			off = mi_put(b, off, 0x25, v, 3);
			(void)k;
		}
		break;
	case MI_CMD_REFRESH:
		if (qual <= 0x02u)
			off = mi_put_files(b, off);
		break;
	case MI_CMD_SETUP_MENU:
		off = mi_put(b, off, 0x05, mi_txt_menu, sizeof(mi_txt_menu) - 1u);
		off = mi_put(b, off, 0x0F, mi_txt_menu_item, sizeof(mi_txt_menu_item) - 1u);
		break;
	case MI_CMD_SELECT_ITEM:
		off = mi_put_items(a, b, off);
		break;
	default: /* PROVIDE LOCAL INFORMATION: command details only */
		break;
	}
	if (off > MI_CMD_BUF)
		return MI_ERR_CAPACITY;
	body = (mi_u16)(off - 3u);
	if (body <= 0x7Fu) { /* 1-byte length (TS 102 223 Annex C) */
		for (k = 0; k < body; k++)
			b[2u + k] = b[3u + k];
		b[1] = (mi_u8)body;
		off = (mi_u16)(off - 1u);
	} else {
		b[1] = 0x81;
		b[2] = (mi_u8)body;
	}
	b[0] = MI_BTAG_PROACTIVE;
	return mi_port_proactive_send(a->port, b, off);
}
