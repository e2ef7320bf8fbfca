/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_nv.c
 *  The persistent state (EF.MI_STATE, mirrored by struct mi_nv) and the
 *  soft timers: the bookkeeping under the decisions of mi_decide.c and the
 *  entry points of mi_engine.c.
 */
#include "mi_engine_int.h"
#include "mimsi/mi_timer.h"

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
/* ---- soft timers ------------------------------------------------------ */

void mi_timer_arm(struct mi_applet *a, mi_u8 id, mi_u32 seconds)
{
	struct mi_ram *r = a->ram;

	if (seconds < 1u)
		seconds = 1u;
	if (seconds > MI_TIMER_MAX_S)
		seconds = MI_TIMER_MAX_S; /* TS 102 223 §8.38: at most 23:59:59 */
	r->deadline[id - 1u] = r->now_s + seconds;
	if (r->caps & MI_CAP_TIMER)
		r->queue |= MI_Q_TIMER(id);
}

/* The rotation period of this episode: rotation_s, doubled for every round
 * in which every candidate failed (a long outage backs off). */
mi_u32 mi_rotation_s(const struct mi_applet *a)
{
	return (mi_u32)a->ram->cfg.rotation_s << (a->nv->flags >> MI_NV_ROUND_SHIFT);
}

/* The dwell: min_dwell_s, doubled for every back-and-forth between the same
 * two slots (docs/applet.md, hysteresis). */
mi_u32 mi_dwell_s(const struct mi_applet *a)
{
	return (mi_u32)a->ram->cfg.min_dwell_s
	       << ((a->nv->flags & MI_NV_BOUNCE) >> MI_NV_BOUNCE_SHIFT);
}

/* The rotation period from now: no normal service until then means the
 * active slot failed. */
void mi_rotate_arm(struct mi_applet *a)
{
	mi_timer_arm(a, MI_TIMER_ROTATE, mi_rotation_s(a));
}

/* Seconds until timer \a id is due; at least 1 (the clock may have passed
 * it while its start command waited in the queue). */
mi_u32 mi_timer_left(const struct mi_applet *a, mi_u8 id)
{
	mi_u32 d = a->ram->deadline[id - 1u];

	return d > a->ram->now_s ? d - a->ram->now_s : 1u;
}

void mi_timer_cancel(struct mi_applet *a, mi_u8 id)
{
	a->ram->deadline[id - 1u] = 0;
	a->ram->queue &= (mi_u16)~MI_Q_TIMER(id);
}

/* reeval_min x 60, capped at the timer maximum, without a 16x16->32
 * multiply helper on 16-bit targets: below 1440 min, min x 30 fits 16 bits. */
MI_NOINLINE mi_u32 mi_reeval_s(const struct mi_applet *a)
{
	mi_u16 m = a->ram->cfg.reeval_min;

	if (m >= 1440u)
		return MI_TIMER_MAX_S; /* 24 h and more: 23:59:59 (TS 102 223 §8.38) */
	return (mi_u32)(mi_u16)(m * 30u) << 1;
}
