/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_sw_files.c
 *  The USIM files of an IMSI switch, written inside the NV transaction of
 *  mi_nv.c: EF_IMSI, EF_AD, the table below (location and security
 *  contexts invalidated, the slot's OPLMNwACT, FPLMN and EHPLMN), the key
 *  set. Port calls only: nothing of the core above it.
 */
#include "mi_sw_files_int.h"
#include "mi_set_int.h"

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
#define MI_SW_FIRST_LIST 13u	/* rows from here on are lists */
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

/* Write \a n bytes of the slot record at \a src of \a slots into \a f from offset 0,
 * then fill the rest of the EF with \a pad entries (entry size \a esz).
 * Chunks of whole entries through the scratch buffer; no division. */
static int mi_sw_list(struct mi_applet *a, enum mi_file slots, enum mi_file f, mi_u16 src,
		      mi_u16 n, const mi_u8 *pad, mi_u8 esz)
{
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

/* The table's rows from \a k on for the slot record at \a rec of \a slots
 * (its fixed part in \a h). */
static int mi_sw_rows_apply(struct mi_applet *a, enum mi_file slots, mi_u16 rec, const mi_u8 *h,
			    mi_u8 k)
{
	const struct mi_sw_row *t;
	mi_u16 src[3], n[3]; /* each list of the record: where, how many bytes */
	mi_u8 cnt = 0;
	int rc = MI_OK;

	src[0] = (mi_u16)(rec + MI_SLOT_REC_FIXED);
	n[0] = (mi_u16)(5u * h[14]); /* OPLMNwACT */
	src[1] = (mi_u16)(src[0] + n[0]);
	n[1] = (mi_u16)(3u * h[15]);	       /* FPLMN */
	src[2] = (mi_u16)(src[1] + n[1] + 1u); /* EHPLMN, after its count */
	if (h[1] & MI_SLOT_F_EHPLMN)
		rc = mi_sw_read(a, slots, (mi_u16)(src[2] - 1u), &cnt, 1);
	n[2] = (mi_u16)(3u * cnt);
	for (; rc >= 0 && k < MI_ARRAY_SIZE(mi_sw_rows); k++) {
		t = &mi_sw_rows[k];
		if (t->len)
			rc = mi_sw_reset(a, t);
		else
			rc = mi_sw_list(a, slots, (enum mi_file)t->file, src[t->lac], n[t->lac],
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
	enum mi_file slots = mi_set_file(a, MI_KIND_SLOTS);
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
		rc = mi_sw_rows_apply(a, slots, rec, h, lists ? MI_SW_FIRST_LIST : 0u);
	if (rc >= 0)
		rc = mi_port_keyset_select(a->port, h[3]);
	return rc;
}
