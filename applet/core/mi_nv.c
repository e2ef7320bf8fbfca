/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_nv.c
 *  State and transaction: the persistent state (EF.MI_STATE, mirrored by
 *  struct mi_nv), its codec, and the one NV transaction that commits it with
 *  the files of a switch (mi_sw_files.c). Calls nothing above it.
 */
#include "mi_nv_int.h"
#include "mi_set_int.h"
#include "mi_sw_files_int.h"

/* ---- persistent state (EF.MI_STATE, layout in mi_state.h) ------------- */

/* Byte sizes of the fields of struct mi_nv in order, as coded in the body
 * after the version byte (the last struct byte, rfu, is not stored). */
static const mi_u8 mi_nv_size[] = {4, 2, 2, 2, 1, 1, 1, 1, 1};

/* Big-endian body <-> struct, field by field. */
MI_NOINLINE void mi_nv_code(struct mi_nv *nv, mi_u8 *b, mi_bool encode)
{
	mi_u8 *p = (mi_u8 *)nv, k, i, n;
	mi_u32 v;

	for (k = 0; k < sizeof(mi_nv_size); k++, p += n, b += n) {
		n = mi_nv_size[k];
		if (encode) {
			v = n == 4u ? *(mi_u32 *)p : n == 2u ? *(mi_u16 *)p : *p;
			for (i = n; i-- > 0;) {
				b[i] = (mi_u8)v;
				v >>= 8;
			}
		} else {
			for (v = 0, i = 0; i < n; i++)
				v = v << 8 | b[i];
			if (n == 4u)
				*(mi_u32 *)p = v;
			else if (n == 2u)
				*(mi_u16 *)p = (mi_u16)v;
			else
				*p = (mi_u8)v;
		}
	}
}

/* EF.MI_STATE header bytes 0..5 (mi_ef.h): magic, type, version, body length. */
static const mi_u8 mi_nv_hdr[6] = {MI_EF_MAGIC0,  MI_EF_MAGIC1, MI_EF_TYPE_STATE, MI_EF_VERSION, 0,
				   MI_NV_BODY_LEN};

/* The header as mi_ef_seal() writes it, from constants: the seq is set_seq,
 * already coded in the body, and only the CRC is computed (card image size). */
int mi_nv_save(struct mi_applet *a, const struct mi_nv *nv)
{
	mi_u8 f[MI_EF_HDR_LEN + MI_NV_BODY_LEN];
	mi_u32 crc;

	f[MI_EF_HDR_LEN] = MI_NV_VERSION;
	/* encoding only reads *nv (one coder for both directions) */
	mi_nv_code((struct mi_nv *)nv, f + MI_EF_HDR_LEN + 1u, MI_TRUE);
	MI_MEMCPY(f, mi_nv_hdr, sizeof(mi_nv_hdr));
	MI_MEMCPY(f + 6, f + MI_EF_HDR_LEN + 1u, 4); /* seq = set_seq, big endian */
	crc = mi_crc32(mi_crc32(0, f, 10), f + MI_EF_HDR_LEN, MI_NV_BODY_LEN);
	MI_PUT_U32_BE(f, 10, crc);
	return mi_port_file_write(a->port, MI_FILE_STATE, 0, f, sizeof(f));
}

/* Persist \a nv if it differs from *a->nv (one transaction; EEPROM wear:
 * nothing is written when nothing was decided). */
int mi_nv_commit(struct mi_applet *a, const struct mi_nv *nv)
{
	const mi_u8 *x = (const mi_u8 *)nv, *y = (const mi_u8 *)a->nv;
	mi_u8 k;

	for (k = 0; k < sizeof(*nv) && x[k] == y[k]; k++)
		;
	if (k == sizeof(*nv))
		return MI_OK;
	return mi_nv_txn(a, nv, 0);
}

/* One transaction: the files of a switch to the slot record at \a rec (0:
 * none), then EF.MI_STATE = \a nv; committed with *a->nv = \a nv already in
 * place (a port may journal the struct itself at commit, as the
 * simulator's does), or on any failure aborted with the old state back. */
int mi_nv_txn(struct mi_applet *a, const struct mi_nv *nv, mi_u16 rec)
{
	struct mi_nv old = *a->nv;
	int rc = mi_port_txn_begin(a->port);

	if (rc < 0)
		return rc;
	if (rec)
		rc = mi_sw_files(a, rec);
	if (rc >= 0)
		rc = mi_nv_save(a, nv);
	*a->nv = *nv;
	if (rc >= 0)
		rc = mi_port_txn_commit(a->port);
	if (rc < 0) {
		mi_port_txn_abort(a->port);
		*a->nv = old;
	}
	return rc < 0 ? rc : MI_OK;
}

/* EF.MI_STATE read and checked into \a nv (its version and length). */
static int mi_nv_load(struct mi_applet *a, struct mi_nv *nv)
{
	mi_u8 b[MI_NV_BODY_LEN];
	struct mi_bank_tag tag;
	int rc = mi_file_check(a, MI_FILE_STATE, MI_EF_TYPE_STATE, &tag);

	if (rc >= 0 && rc != (int)MI_NV_BODY_LEN)
		rc = MI_ERR_VERSION;
	if (rc >= 0)
		rc = mi_port_file_read(a->port, MI_FILE_STATE, MI_EF_HDR_LEN, b, MI_NV_BODY_LEN);
	if (rc < 0)
		return rc;
	if (b[0] != MI_NV_VERSION)
		return MI_ERR_VERSION;
	mi_nv_code(nv, b + 1, MI_FALSE);
	return MI_OK;
}

/* Earlier failures and back-and-forth say nothing about a new set. */
void mi_nv_forget(struct mi_nv *nv)
{
	nv->failed = 0;
	nv->prev_slot = 0;
	nv->flags &= (mi_u8)~MI_NV_F_PROBE;
}

/* *a->nv at reset: EF.MI_STATE, or no history when \a fresh (install) or
 * without a valid STATE; what it says of another set forgotten; the active
 * slot from EF_IMSI. */
void mi_nv_restore(struct mi_applet *a, mi_bool fresh)
{
	struct mi_nv *nv = a->nv;

	if (fresh || mi_nv_load(a, nv) < 0) {
		MI_MEMSET(nv, 0, sizeof(*nv));
		nv->last_mcc = MI_MCC_NONE;
	}
	if (nv->set_seq != a->ram->set_seq)
		mi_nv_forget(nv);
	/* the slot whose IMSI is in EF_IMSI (unknown as personalised, and a
	 * new set may number its slots differently): no switch at its first
	 * service when it is the best one */
	nv->active_slot = mi_slot_of_imsi(a);
	if (!mi_slot_usable(a, nv->pinned_slot))
		nv->pinned_slot = 0; /* out of range, or no longer enabled */
	/* nv->set_seq stays: a set not yet adopted (its lists written, the
	 * state saved) is adopted at the first event, mi_adopt() */
}
