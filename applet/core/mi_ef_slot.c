/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ef_slot.c
 *  One slot record of the EF.MI_SLOTS body (layout in mi_ef.h):
 *  16 fixed bytes, then n_oplmn xPLMNwAcT entries of 5 bytes
 *  (TS 31.102 §4.2.5) and n_fplmn PLMN entries of 3 bytes (§4.2.16), then
 *  with MI_SLOT_F_EHPLMN a count and n_ehplmn PLMN entries (§4.2.84).
 */
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MI_SLOT_OFF_SLOT 0u
#define MI_SLOT_OFF_FLAGS 1u
#define MI_SLOT_OFF_SPONSOR 2u
#define MI_SLOT_OFF_KEYSET 3u
#define MI_SLOT_OFF_MNCLEN 4u
#define MI_SLOT_OFF_IMSI 5u
#define MI_SLOT_OFF_NOPLMN 14u
#define MI_SLOT_OFF_NFPLMN 15u
#define MI_SLOT_IMSI_LEN 9u  /* EF_IMSI, TS 31.102 §4.2.2 */
#define MI_SLOT_IMSI_MAXL 8u /* EF_IMSI byte 1: at most 8 bytes follow */
#define MI_SLOT_OPLMN_LEN 5u /* PLMN(3) + AcT(2), TS 31.102 §4.2.5 */
#define MI_SLOT_FPLMN_LEN 3u /* TS 24.008 §10.5.1.13 */

/* struct mi_slot starts with the fixed part of the record, byte for byte. */
MI_STATIC_ASSERT(slot_fixed, offsetof(struct mi_slot, oplmn) == MI_SLOT_REC_FIXED &&
				 offsetof(struct mi_slot, imsi) == MI_SLOT_OFF_IMSI &&
				 offsetof(struct mi_slot, n_fplmn) == MI_SLOT_OFF_NFPLMN);

static int mi_slot_validate(mi_u8 slot, mi_u8 mnc_len, const mi_u8 *imsi, mi_u8 n_oplmn,
			    mi_u8 n_fplmn, mi_u8 n_ehplmn)
{
	if (n_ehplmn > MI_MAX_EHPLMN)
		return MI_ERR_RANGE;
	if (slot < 1u || slot > MI_MAX_SLOTS)
		return MI_ERR_RANGE;
	/* EF_AD byte 4 carries 2 or 3 (TS 31.102 §4.2.18). */
	if (mnc_len != 2u && mnc_len != 3u)
		return MI_ERR_RANGE;
	if (imsi[0] == 0u || imsi[0] > MI_SLOT_IMSI_MAXL)
		return MI_ERR_RANGE;
	if (n_oplmn > MI_MAX_OPLMN || n_fplmn > MI_MAX_FPLMN)
		return MI_ERR_RANGE;
	return MI_OK;
}

static mi_u16 mi_slot_rec_len(mi_u8 n_oplmn, mi_u8 n_fplmn)
{
	return (mi_u16)(MI_SLOT_REC_FIXED + MI_SLOT_OPLMN_LEN * n_oplmn +
			MI_SLOT_FPLMN_LEN * n_fplmn);
}

int mi_slot_encode(const struct mi_slot *s, mi_u8 *buf, mi_u16 cap)
{
	mi_u16 need, off;
	mi_u8 flags;
	int rc;

	if (!s || !buf)
		return MI_ERR_PARAM;
	flags = s->flags;
	rc = mi_slot_validate(s->slot, s->mnc_len, s->imsi, s->n_oplmn, s->n_fplmn, s->n_ehplmn);
	if (rc < 0)
		return rc;
	if (s->n_ehplmn)
		flags |= MI_SLOT_F_EHPLMN;
	need = mi_slot_rec_len(s->n_oplmn, s->n_fplmn);
	if (flags & MI_SLOT_F_EHPLMN)
		need = (mi_u16)(need + 1u + MI_SLOT_FPLMN_LEN * s->n_ehplmn);
	if (cap < need)
		return MI_ERR_CAPACITY;
	buf[MI_SLOT_OFF_SLOT] = s->slot;
	buf[MI_SLOT_OFF_FLAGS] = flags;
	buf[MI_SLOT_OFF_SPONSOR] = s->sponsor;
	buf[MI_SLOT_OFF_KEYSET] = s->keyset;
	buf[MI_SLOT_OFF_MNCLEN] = s->mnc_len;
	MI_MEMCPY(buf + MI_SLOT_OFF_IMSI, s->imsi, MI_SLOT_IMSI_LEN);
	buf[MI_SLOT_OFF_NOPLMN] = s->n_oplmn;
	buf[MI_SLOT_OFF_NFPLMN] = s->n_fplmn;
	off = MI_SLOT_REC_FIXED;
	MI_MEMCPY(buf + off, s->oplmn, MI_SLOT_OPLMN_LEN * s->n_oplmn);
	off = (mi_u16)(off + MI_SLOT_OPLMN_LEN * s->n_oplmn);
	MI_MEMCPY(buf + off, s->fplmn, MI_SLOT_FPLMN_LEN * s->n_fplmn);
	if (flags & MI_SLOT_F_EHPLMN) {
		off = (mi_u16)(off + MI_SLOT_FPLMN_LEN * s->n_fplmn);
		buf[off] = s->n_ehplmn;
		MI_MEMCPY(buf + off + 1u, s->ehplmn, MI_SLOT_FPLMN_LEN * s->n_ehplmn);
	}
	return (int)need;
}

int mi_slot_check(const mi_u8 *buf, mi_u16 len)
{
	mi_u16 need;
	mi_u8 n_ehplmn = 0;
	int rc;

	if (!buf)
		return MI_ERR_PARAM;
	if (len < MI_SLOT_REC_FIXED)
		return MI_ERR_TRUNCATED;
	need = mi_slot_rec_len(buf[MI_SLOT_OFF_NOPLMN], buf[MI_SLOT_OFF_NFPLMN]);
	if (buf[MI_SLOT_OFF_FLAGS] & MI_SLOT_F_EHPLMN) {
		if (need < len)
			n_ehplmn = buf[need]; /* the count after the FPLMN entries */
		need = (mi_u16)(need + 1u + MI_SLOT_FPLMN_LEN * n_ehplmn);
	}
	rc = mi_slot_validate(buf[MI_SLOT_OFF_SLOT], buf[MI_SLOT_OFF_MNCLEN],
			      buf + MI_SLOT_OFF_IMSI, buf[MI_SLOT_OFF_NOPLMN],
			      buf[MI_SLOT_OFF_NFPLMN], n_ehplmn);
	if (rc < 0)
		return rc;
	return need > len ? MI_ERR_LENGTH : (int)need;
}

int mi_slot_decode(const mi_u8 *buf, mi_u16 len, struct mi_slot *s)
{
	int need = s ? mi_slot_check(buf, len) : MI_ERR_PARAM;
	mi_u8 n_oplmn, n_fplmn;

	if (need < 0)
		return need;
	n_oplmn = buf[MI_SLOT_OFF_NOPLMN];
	n_fplmn = buf[MI_SLOT_OFF_NFPLMN];
	MI_MEMSET(s, 0, sizeof(*s));
	/* the 16 fixed bytes are the struct's first 16 members, in order */
	MI_MEMCPY(s, buf, MI_SLOT_REC_FIXED);
	MI_MEMCPY(s->oplmn, buf + MI_SLOT_REC_FIXED, MI_SLOT_OPLMN_LEN * n_oplmn);
	MI_MEMCPY(s->fplmn, buf + mi_slot_rec_len(n_oplmn, 0), MI_SLOT_FPLMN_LEN * n_fplmn);
	if (s->flags & MI_SLOT_F_EHPLMN) { /* the list ends the record */
		s->n_ehplmn = buf[mi_slot_rec_len(n_oplmn, n_fplmn)];
		MI_MEMCPY(s->ehplmn, buf + need - MI_SLOT_FPLMN_LEN * s->n_ehplmn,
			  MI_SLOT_FPLMN_LEN * s->n_ehplmn);
	}
	return need;
}
