/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_switch.c
 *  The IMSI switch: one committed transaction (EF_IMSI, EF_AD, the files of
 *  the table below: location and security contexts invalidated, the slot's
 *  OPLMNwACT, FPLMN and EHPLMN; the key set, the state), then REFRESH with
 *  the modes the terminal and the CFG allow, in the CFG's order.
 */
#include "mi_engine_int.h"

static int mi_sw_read(struct mi_applet *a, enum mi_file f, mi_u16 off, mi_u8 *b, mi_u16 n)
{
	return mi_port_file_read(a->port, f, off, b, n);
}

static int mi_sw_write(struct mi_applet *a, enum mi_file f, mi_u16 off, const mi_u8 *b, mi_u16 n)
{
	return mi_port_file_write(a->port, f, off, b, n);
}

/* ---- the files of a switch, as one table -------------------------------
 *
 * Every USIM file a switch touches besides EF_IMSI and EF_AD is a row; a
 * card without the file (or with a smaller one) skips the row, so profiles
 * with or without EHPLMN, EPS NAS security context or DF_5GS all work.
 *
 * Reset rows (len > 0) read-modify-write the first `len` bytes: the first
 * n_ff become FF, the two at `lac` (if not 0) FF FE, the last `n` bytes
 * mi_sw_tpl[off ..]; the others keep their value. List rows (len 0) write
 * list `lac` of the slot record (0 OPLMNwACT, 1 FPLMN, 2 EHPLMN) and pad
 * the EF with the `n`-byte entry at mi_sw_tpl[off]. tpl = off << 4 | n.
 */
struct mi_sw_row {
	mi_u8 file, len, n_ff, lac, tpl;
};

/* 01: update status "not updated" (TS 31.102 §4.2.17) · 07: KSI "no key"
 * (§4.2.4) · F0 FF: routing indicator 0, the value when none is provisioned
 * (TS 23.003 §2.2B) · FF FF FF 00 00: an empty xPLMNwAcT entry (§4.2.5) ·
 * A0 02 00 00: a protection scheme list holding the null scheme only
 * (§4.4.11.8) */
static const mi_u8 mi_sw_tpl[12] = {0x01, 0x07, 0xF0, 0xFF, 0xFF, 0xFF,
				    0x00, 0x00, 0xA0, 0x02, 0x00, 0x00};
#define MI_TPL(off, n) ((mi_u8)((off) << 4 | (n)))
#define MI_SW_LIST 0u

static const struct mi_sw_row mi_sw_rows[] = {
    /* TMSI FF, LAI: PLMN kept, LAC FFFE; RFU kept; status 01 (§4.2.17) */
    {MI_FILE_LOCI, 11, 4, 7, MI_TPL(0, 1)},
    /* P-TMSI, signature FF; RAI: PLMN kept, LAC FFFE, RAC kept; 01 (§4.2.23) */
    {MI_FILE_PSLOCI, 14, 7, 10, MI_TPL(0, 1)},
    /* GUTI FF; last visited TAI kept; 01 (§4.2.91) */
    {MI_FILE_EPSLOCI, 18, 12, 0, MI_TPL(0, 1)},
    /* 5G-GUTI FF; last visited TAI kept; 01 (§4.4.11.2, §4.4.11.3) */
    {MI_FILE_5GS3GPPLOCI, 20, 13, 0, MI_TPL(0, 1)},
    {MI_FILE_5GSN3GPPLOCI, 20, 13, 0, MI_TPL(0, 1)},
    /* KSI, KSIPS 07 "no key" (§4.2.4, §4.2.5) */
    {MI_FILE_KEYS, 1, 0, 0, MI_TPL(1, 1)},
    {MI_FILE_KEYSPS, 1, 0, 0, MI_TPL(1, 1)},
    /* NAS security contexts: record 1 is A0 L 80 01 KSI ...; KSI_ASME or
     * ngKSI 07 marks the context invalid (§4.2.92, §4.4.11.4, §4.4.11.5;
     * TS 24.301 §9.9.3.21, TS 24.501 §9.11.3.32) */
    {MI_FILE_EPSNSC, 5, 0, 0, MI_TPL(1, 1)},
    {MI_FILE_5GS3GPPNSC, 5, 0, 0, MI_TPL(1, 1)},
    {MI_FILE_5GSN3GPPNSC, 5, 0, 0, MI_TPL(1, 1)},
    /* K_AUSF and K_SEAF (80 20 .., 81 20 ..) all FF (§4.4.11.6) */
    {MI_FILE_5GAUTHKEYS, 68, 68, 0, MI_TPL(0, 0)},
    /* the old home network's SUCI keys and routing indicator do not
     * belong to the new IMSI: null scheme, routing indicator 0 */
    {MI_FILE_SUCI_CALC, 4, 0, 0, MI_TPL(8, 4)},
    {MI_FILE_ROUTING_IND, 2, 0, 0, MI_TPL(2, 2)},
    /* network selection: the slot's lists (§4.2.53, §4.2.16, §4.2.84),
     * also written alone when a new set arrives (mi_adopt.c) */
    {MI_FILE_OPLMNWACT, MI_SW_LIST, 0, 0, MI_TPL(3, 5)},
    {MI_FILE_FPLMN, MI_SW_LIST, 0, 1, MI_TPL(3, 3)},
    {MI_FILE_EHPLMN, MI_SW_LIST, 0, 2, MI_TPL(3, 3)},
};
#define MI_SW_FIRST_LIST 13u /* rows from here on are lists */
#define MI_SW_CHUNK_ENTRIES 28u /* list entries (3 or 5 bytes) per write */
MI_STATIC_ASSERT(sw_chunk, 5u * MI_SW_CHUNK_ENTRIES <= MI_CMD_BUF);

/* A reset row (see above) through the scratch buffer. */
static int mi_sw_reset(struct mi_applet *a, const struct mi_sw_row *t)
{
	mi_u8 *b = a->ram->cmd, n = (mi_u8)(t->tpl & 0x0Fu);
	enum mi_file f = (enum mi_file)t->file;
	int rc;

	if (mi_port_file_size(a->port, f) < (mi_s32)t->len)
		return MI_OK; /* not on this card */
	rc = mi_sw_read(a, f, 0, b, t->len);
	MI_MEMSET(b, 0xFF, t->n_ff);
	if (t->lac) {
		b[t->lac] = 0xFF;
		b[t->lac + 1u] = 0xFE;
	}
	MI_MEMCPY(b + t->len - n, mi_sw_tpl + (t->tpl >> 4), n);
	return rc < 0 ? rc : mi_sw_write(a, f, 0, b, t->len);
}

/* Write \a n bytes of the slot record at \a src into \a f from offset 0,
 * then fill the rest of the EF with \a pad entries (entry size \a esz).
 * Chunks of whole entries through the scratch buffer; no division. */
static int mi_sw_list(struct mi_applet *a, enum mi_file f, mi_u16 src, mi_u16 n, const mi_u8 *pad,
		      mi_u8 esz)
{
	enum mi_file slots = (a->ram->banks & 2u) ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A;
	mi_u8 *b = a->ram->cmd;
	mi_s32 size = mi_port_file_size(a->port, f);
	mi_u16 off, k, i, lim, end = 0, chunk;
	int rc = MI_OK;

	while ((mi_s32)(end + esz) <= size)
		end = (mi_u16)(end + esz); /* whole entries only; none if the EF is absent */
	chunk = (mi_u16)(esz * MI_SW_CHUNK_ENTRIES); /* whole entries within MI_CMD_BUF */
	if (n > end)
		n = end; /* more entries than the EF holds: keep the first ones */
	for (off = 0; rc >= 0 && off < end; off = (mi_u16)(off + k)) {
		lim = off < n ? n : end;
		k = (mi_u16)(lim - off) > chunk ? chunk : (mi_u16)(lim - off);
		if (off < n)
			rc = mi_sw_read(a, slots, (mi_u16)(src + off), b, k);
		else
			for (i = 0; i < k; i = (mi_u16)(i + esz)) /* k: whole entries */
				MI_MEMCPY(b + i, pad, esz);
		if (rc >= 0)
			rc = mi_sw_write(a, f, off, b, k);
	}
	return rc;
}

/* The table's rows from \a k on for the slot record at \a rec (its fixed
 * part in \a h). */
static int mi_sw_rows_apply(struct mi_applet *a, mi_u16 rec, const mi_u8 *h, mi_u8 k)
{
	enum mi_file slots = (a->ram->banks & 2u) ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A;
	const struct mi_sw_row *t;
	mi_u16 src[3], n[3]; /* each list of the record: where, how many bytes */
	mi_u8 cnt = 0;
	int rc = MI_OK;

	src[0] = (mi_u16)(rec + MI_SLOT_REC_FIXED);
	n[0] = (mi_u16)(5u * h[14]); /* OPLMNwACT */
	src[1] = (mi_u16)(src[0] + n[0]);
	n[1] = (mi_u16)(3u * h[15]);		/* FPLMN */
	src[2] = (mi_u16)(src[1] + n[1] + 1u); /* EHPLMN, after its count */
	if (h[1] & MI_SLOT_F_EHPLMN)
		rc = mi_sw_read(a, slots, (mi_u16)(src[2] - 1u), &cnt, 1);
	n[2] = (mi_u16)(3u * cnt);
	for (; rc >= 0 && k < MI_ARRAY_SIZE(mi_sw_rows); k++) {
		t = &mi_sw_rows[k];
		if (t->len)
			rc = mi_sw_reset(a, t);
		else
			rc = mi_sw_list(a, (enum mi_file)t->file, src[t->lac], n[t->lac],
					mi_sw_tpl + (t->tpl >> 4), (mi_u8)(t->tpl & 0x0Fu));
	}
	return rc;
}

/* The files of a switch to the slot record at \a rec (inside mi_nv_txn):
 * EF_IMSI, EF_AD, the table, the key set. With MI_SW_LISTS_ONLY in \a rec
 * (a new set, the same IMSI): the slot's network-selection lists and its
 * key set only. */
int mi_sw_files(struct mi_applet *a, mi_u16 rec)
{
	enum mi_file slots = (a->ram->banks & 2u) ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A;
	mi_u8 h[MI_SLOT_REC_FIXED], ad[1], lists = (mi_u8)(rec >> 15); /* MI_SW_LISTS_ONLY */
	int rc;

	rec &= (mi_u16)~MI_SW_LISTS_ONLY;
	rc = mi_sw_read(a, slots, rec, h, MI_SLOT_REC_FIXED);
	if (rc >= 0 && !lists) {
		rc = mi_sw_write(a, MI_FILE_IMSI, 0, h + 5, 9);
		/* EF_AD byte 4: MNC length in b4..b1, other bits kept (§4.2.18) */
		if (rc >= 0 && mi_port_file_size(a->port, MI_FILE_AD) >= 4) {
			rc = mi_sw_read(a, MI_FILE_AD, 3, ad, 1);
			ad[0] = (mi_u8)((ad[0] & 0xF0u) | (h[4] & 0x0Fu));
			if (rc >= 0)
				rc = mi_sw_write(a, MI_FILE_AD, 3, ad, 1);
		}
	}
	if (rc >= 0)
		rc = mi_sw_rows_apply(a, rec, h, lists ? MI_SW_FIRST_LIST : 0u);
	if (rc >= 0)
		rc = mi_port_keyset_select(a->port, h[3]);
	return rc;
}

/* Switch to \a slot; \a nv is the caller's new state (failed set, MCC ...)
 * to which the switch adds its own fields; it becomes *a->nv only once the
 * transaction is committed. A port failure (no such key set, NV error)
 * aborts the transaction: nothing of the switch is written, \a slot counts
 * as failed in this episode (the rotation moves past it), the rotation
 * timer runs (the backstop; harmless in service), and the event is still
 * answered: a failing target is not bad input. */
int mi_switch(struct mi_applet *a, mi_u8 slot, struct mi_nv *nv)
{
	struct mi_ram *r = a->ram;
	struct mi_nv n = *nv;
	mi_u16 rec = (slot >= 1u && slot <= MI_MAX_SLOTS) ? r->slot_off[slot - 1u] : 0u;
	int rc;

	if (!rec) {
		mi_port_panic(a->port, MI_PANIC_SLOT);
		return MI_ERR_PARAM;
	}
	n.active_slot = slot;
	n.switches++;
	n.flags |= MI_NV_F_UNVERIFIED | MI_NV_F_DWELL;
	rc = mi_nv_txn(a, &n, rec);
	if (rc < 0) {
		nv->failed |= MI_BIT(slot);
		nv->pinned_slot = 0; /* a menu choice that cannot be reached: automatic */
		mi_rotate_arm(a);
		(void)mi_nv_commit(a, nv);
		return MI_OK;
	}
	/* the terminal must re-read the files: REFRESH now (or at next reset) */
	r->refresh_tried = 0;
	r->backoff_s = MI_BACKOFF_MIN_S;
	mi_timer_cancel(a, MI_TIMER_RETRY);
	mi_refresh_next(a);
	mi_timer_arm(a, MI_TIMER_DWELL, mi_dwell_s(a));
	mi_rotate_arm(a);
	/* reports until the REFRESH is done concern the old IMSI: no immediate
	 * switch on them (one per attach attempt) */
	r->fo_armed = MI_FO_LOCK;
	return MI_OK;
}

/* REFRESH qualifier (TS 102 223 §8.6) to try now: the CFG preference, then
 * its fallbacks in order, then UICC reset, skipping modes the terminal
 * refused (3x). */
static mi_u8 mi_refresh_first(const struct mi_applet *a)
{
	const struct mi_ram *r = a->ram;
	mi_u8 k, q;

	for (k = 0; k <= MI_REFRESH_FALLBACKS + 1u; k++) {
		q = mi_cfg_refresh(&r->cfg, k);
		if (q <= 0x07u && !(r->refresh_tried & (1u << q)))
			return q;
	}
	return MI_REFRESH_NONE;
}

/* The REFRESH to send next (mi_refresh_first), queued if there is one;
 * none without REFRESH in the terminal profile (byte 3 b8). */
void mi_refresh_next(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;

	r->refresh_qual = (r->caps & MI_CAP_REFRESH) ? mi_refresh_first(a) : MI_REFRESH_NONE;
	if (r->refresh_qual != MI_REFRESH_NONE)
		r->queue |= MI_Q_REFRESH;
}

/* TERMINAL RESPONSE to REFRESH (general result, TS 102 223 §8.12). */
void mi_refresh_result(struct mi_applet *a, mi_u8 result)
{
	struct mi_ram *r = a->ram;

	/* the REFRESH answered (pend_qual) may be a file change notification
	 * for a new set's lists while a switch's REFRESH became owed since */
	if (result < 0x10u) { /* 00 done, 03 extra EFs read, 08 NAA not active, ... */
		if (r->pend_qual == r->refresh_qual) {
			r->refresh_qual = MI_REFRESH_NONE;
			r->fo_armed &= (mi_u8)~MI_FO_LOCK; /* the terminal now uses the new IMSI */
		}
	} else if (result < 0x30u) { /* 20/21: temporary; retry with backoff */
		mi_timer_arm(a, MI_TIMER_RETRY, r->backoff_s);
		if (r->backoff_s < MI_BACKOFF_MAX_S) /* 30 x 2^5 = 960: no overshoot */
			r->backoff_s = (mi_u16)(r->backoff_s << 1);
	} else { /* 30/31/32: this mode is beyond the terminal; the CFG's next
		  * one (after a refused file change notification too: the
		  * terminal must read the new lists) */
		r->refresh_tried |= (mi_u8)(1u << (r->pend_qual & 7u));
		mi_refresh_next(a);
	}
}
