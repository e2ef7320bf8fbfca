/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_switch.c
 *  The IMSI switch: one committed transaction (EF_IMSI, EF_AD, the location
 *  files invalidated, KSI, the slot's OPLMNwACT and FPLMN, the key set, the
 *  state), then REFRESH with the mode the terminal and the CFG allow.
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

/* Read-modify-write of the location and key files on a switch (spec digest
 * §2.4): the first n_ff bytes (TMSI, P-TMSI + signature, GUTI) become FF,
 * the area code at lac FFFE, the last byte (update status) 01 "not
 * updated" (TS 31.102 §4.2.17/§4.2.23/§4.2.91); KEYS/KEYSPS byte 1 KSI 07
 * "no key" (§4.2.4/§4.2.5). A card without the file is fine.
 * Table rows: file, length, n_ff, lac offset (0 none), last byte. */
static const mi_u8 mi_sw_reset[][5] = {
    {MI_FILE_LOCI, 11, 4, 7, 0x01},	/* TMSI(4) LAI(5: PLMN kept, LAC) RFU status */
    {MI_FILE_PSLOCI, 14, 7, 10, 0x01},	/* P-TMSI(4) sig(3) RAI(6) status */
    {MI_FILE_EPSLOCI, 18, 12, 0, 0x01}, /* GUTI(12) TAI(5) status */
    {MI_FILE_KEYS, 1, 0, 0, 0x07},	/* KSI */
    {MI_FILE_KEYSPS, 1, 0, 0, 0x07},
};

static int mi_sw_locs(struct mi_applet *a)
{
	mi_u8 *b = a->ram->cmd, k;
	const mi_u8 *t;
	enum mi_file f;
	int rc = MI_OK;

	for (k = 0; rc >= 0 && k < MI_ARRAY_SIZE(mi_sw_reset); k++) {
		t = mi_sw_reset[k];
		f = (enum mi_file)t[0];
		if (mi_port_file_size(a->port, f) < (mi_s32)t[1])
			continue;
		rc = mi_sw_read(a, f, 0, b, t[1]);
		MI_MEMSET(b, 0xFF, t[2]);
		if (t[3]) {
			b[t[3]] = 0xFF;
			b[t[3] + 1u] = 0xFE;
		}
		b[t[1] - 1u] = t[4];
		if (rc >= 0)
			rc = mi_sw_write(a, f, 0, b, t[1]);
	}
	return rc;
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
	mi_u16 off, k, i, lim, end = 0, chunk = 0;
	int rc = MI_OK;

	while ((mi_s32)(end + esz) <= size)
		end = (mi_u16)(end + esz); /* whole entries only; none if the EF is absent */
	while (chunk + esz <= MI_CMD_BUF)
		chunk = (mi_u16)(chunk + esz);
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

static const mi_u8 mi_pad_plmnwact[5] = {0xFF, 0xFF, 0xFF, 0x00, 0x00}; /* TS 31.102 §4.2.53 */
static const mi_u8 mi_pad_plmn[3] = {0xFF, 0xFF, 0xFF};			/* §4.2.16 */

/* The files of a switch to the slot record at \a rec (inside mi_nv_txn). */
int mi_sw_files(struct mi_applet *a, mi_u16 rec)
{
	enum mi_file slots = (a->ram->banks & 2u) ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A;
	mi_u8 h[MI_SLOT_REC_FIXED], ad[1];
	mi_u16 nop;
	int rc = mi_sw_read(a, slots, rec, h, MI_SLOT_REC_FIXED);

	if (rc < 0)
		return rc;
	rc = mi_sw_write(a, MI_FILE_IMSI, 0, h + 5, 9);
	/* EF_AD byte 4: MNC length in b4..b1, other bits kept (§4.2.18) */
	if (rc >= 0 && mi_port_file_size(a->port, MI_FILE_AD) >= 4) {
		rc = mi_sw_read(a, MI_FILE_AD, 3, ad, 1);
		ad[0] = (mi_u8)((ad[0] & 0xF0u) | (h[4] & 0x0Fu));
		if (rc >= 0)
			rc = mi_sw_write(a, MI_FILE_AD, 3, ad, 1);
	}
	if (rc >= 0)
		rc = mi_sw_locs(a);
	nop = (mi_u16)(5u * h[14]);
	if (rc >= 0)
		rc = mi_sw_list(a, MI_FILE_OPLMNWACT, (mi_u16)(rec + MI_SLOT_REC_FIXED), nop,
				mi_pad_plmnwact, 5);
	if (rc >= 0)
		rc = mi_sw_list(a, MI_FILE_FPLMN, (mi_u16)(rec + MI_SLOT_REC_FIXED + nop),
				(mi_u16)(3u * h[15]), mi_pad_plmn, 3);
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
 * its fallback, then UICC reset, skipping modes the terminal refused (3x).
 * None without REFRESH in the terminal profile (byte 3 b8). */
static mi_u8 mi_refresh_first(const struct mi_applet *a)
{
	const struct mi_ram *r = a->ram;
	mi_u8 order[3], k;

	if (!(r->caps & MI_CAP_REFRESH))
		return MI_REFRESH_NONE;
	order[0] = r->cfg.refresh_pref;
	order[1] = r->cfg.refresh_fallback;
	order[2] = 0x04; /* UICC reset: every terminal re-reads the IMSI */
	for (k = 0; k < 3u; k++)
		if (order[k] <= 0x07u && !(r->refresh_tried & (1u << order[k])))
			return order[k];
	return MI_REFRESH_NONE;
}

/* The REFRESH to send next (mi_refresh_first), queued if there is one. */
void mi_refresh_next(struct mi_applet *a)
{
	a->ram->refresh_qual = mi_refresh_first(a);
	if (a->ram->refresh_qual != MI_REFRESH_NONE)
		a->ram->queue |= MI_Q_REFRESH;
}

/* TERMINAL RESPONSE to REFRESH (general result, TS 102 223 §8.12). */
void mi_refresh_result(struct mi_applet *a, mi_u8 result)
{
	struct mi_ram *r = a->ram;

	if (result < 0x10u) { /* 00 done, 03 extra EFs read, 08 NAA not active, ... */
		r->refresh_qual = MI_REFRESH_NONE;
		r->fo_armed &= (mi_u8)~MI_FO_LOCK; /* the terminal now uses the new IMSI */
	} else if (result < 0x30u) {		   /* 20/21: temporary; retry with backoff */
		mi_timer_arm(a, MI_TIMER_RETRY, r->backoff_s);
		if (r->backoff_s < MI_BACKOFF_MAX_S) /* 30 x 2^5 = 960: no overshoot */
			r->backoff_s = (mi_u16)(r->backoff_s << 1);
	} else { /* 30/31/32: this mode is beyond the terminal; try the next one */
		r->refresh_tried |= (mi_u8)(1u << (r->refresh_qual & 7u));
		mi_refresh_next(a);
	}
}
