/* SPDX-License-Identifier: Apache-2.0 */
/* TS 102 222 administrative commands: CREATE FILE (§6.3), DELETE FILE (§6.4). */
#include <string.h>

#include "mimsi/mi_tlv.h"
#include "sim_cmd.h"

#define SW_FILE_EXISTS 0x6A89u /* ISO/IEC 7816-4 §5.1.3: file already exists */

struct fcp_in {
	uint8_t fdb, have_fdb, have_fid, sfi, have_sfi, aid_len, arr_rec;
	uint16_t fid, size, rec_len, arr_fid;
	uint8_t aid[16];
};

static int parse_fcp(const uint8_t *d, uint16_t len, struct fcp_in *f)
{
	struct mi_btlv outer, t;
	int n;
	uint16_t pos = 0;

	memset(f, 0, sizeof(*f));
	n = mi_btlv_decode(d, len, &outer);
	if (n <= 0 || outer.tag != 0x62 || (uint16_t)n != len)
		return -1;
	while (pos < outer.len) {
		n = mi_btlv_decode(outer.val + pos, (uint16_t)(outer.len - pos), &t);
		if (n <= 0)
			return -1;
		pos = (uint16_t)(pos + n);
		switch (t.tag) {
		case 0x82: /* file descriptor: FDB, 21 [, record length(2), records(1)] */
			if (t.len != 2 && t.len != 5)
				return -1;
			f->fdb = t.val[0];
			f->have_fdb = 1;
			if (t.len == 5)
				f->rec_len = MI_GET_U16_BE(t.val, 2);
			break;
		case 0x83:
			if (t.len != 2)
				return -1;
			f->fid = MI_GET_U16_BE(t.val, 0);
			f->have_fid = 1;
			break;
		case 0x84:
			if (t.len == 0 || t.len > 16)
				return -1;
			memcpy(f->aid, t.val, t.len);
			f->aid_len = (uint8_t)t.len;
			break;
		case 0x80: /* EF size */
			if (t.len != 2)
				return -1;
			f->size = MI_GET_U16_BE(t.val, 0);
			break;
		case 0x88:
			if (t.len > 1)
				return -1;
			f->have_sfi = 1;
			f->sfi = t.len ? (uint8_t)(t.val[0] >> 3) : 0;
			break;
		case 0x8B: /* referenced security attributes: EF_ARR FID + record */
			if (t.len != 3)
				return -1;
			f->arr_fid = MI_GET_U16_BE(t.val, 0);
			f->arr_rec = t.val[2];
			break;
		default: /* 8A, 81, A5, C6 ...: accepted, not needed here */
			break;
		}
	}
	return f->have_fdb && f->have_fid ? 0 : -1;
}

static int in_subtree(const struct sim_card *c, int f, int root)
{
	while (f >= 0) {
		if (f == root)
			return 1;
		f = c->files[f].parent;
	}
	return 0;
}

void sim_cmd_create_file(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 struct sim_rsp *r)
{
	struct fcp_in in;
	int df = ch->df >= 0 ? ch->df : sim_fs_mf(c), f;
	uint8_t type;

	if (a->p1 || a->p2) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (a->apdu_case != MI_APDU_CASE_3) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (parse_fcp(a->data, a->lc, &in) || in.fid == 0x3F00 || in.fid == 0x7FFF ||
	    in.fid == 0xFFFF) {
		r->sw = MI_SW_BAD_DATA;
		return;
	}
	type = (uint8_t)(in.fdb & 0x3F);
	r->sw = sim_access_check(c, df, type == 0x38 ? SIM_AM_CREATE_DF : SIM_AM_CREATE_EF);
	if (r->sw != MI_SW_OK)
		return;
	if (sim_fs_child(c, df, in.fid) >= 0) {
		r->sw = SW_FILE_EXISTS;
		return;
	}
	if (type == 0x38) { /* DF (ADF when an AID is given) */
		f = sim_fs_add(c, df, in.aid_len ? SIM_ADF : SIM_DF, in.fid, "DF");
		if (f >= 0 && in.aid_len) {
			memcpy(c->files[f].aid, in.aid, in.aid_len);
			c->files[f].aid_len = in.aid_len;
		}
	} else {
		uint8_t st = type & 0x07;

		if ((type & 0x38) != 0 || (st != SIM_TRANSPARENT && st != SIM_LINEAR && st != SIM_CYCLIC) ||
		    in.size == 0 || (in.have_sfi && in.sfi > 30)) {
			r->sw = MI_SW_BAD_DATA;
			return;
		}
		if (in.sfi && sim_fs_by_sfi(c, df, in.sfi) >= 0) {
			r->sw = MI_SW_BAD_DATA;
			return;
		}
		if (st != SIM_TRANSPARENT && (in.rec_len == 0 || in.size % in.rec_len)) {
			r->sw = MI_SW_BAD_DATA;
			return;
		}
		f = sim_fs_add_ef(c, df, in.fid, "EF", st, in.size, in.rec_len, in.sfi, 0, 0);
	}
	if (f < 0) {
		r->sw = MI_SW_NO_MEMORY;
		return;
	}
	c->files[f].shareable = (in.fdb & 0x40) != 0;
	c->files[f].arr_fid = in.arr_fid;
	c->files[f].arr_rec = in.arr_rec;
	/* the new file is selected (§6.3) */
	if (c->files[f].type == SIM_EF) {
		ch->ef = f;
	} else {
		ch->df = f;
		ch->ef = -1;
	}
	ch->rec = 0;
	r->sw = MI_SW_OK;
}

void sim_cmd_delete_file(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 struct sim_rsp *r)
{
	int df = ch->df >= 0 ? ch->df : sim_fs_mf(c), f;
	unsigned i;

	if (a->p1 || a->p2) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (a->apdu_case != MI_APDU_CASE_3 || a->lc != 2) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	f = sim_fs_child(c, df, MI_GET_U16_BE(a->data, 0));
	if (f < 0) {
		r->sw = MI_SW_NOT_FOUND;
		return;
	}
	/* the parent's DELETE CHILD right or the file's own DELETE right */
	if (sim_access_check(c, df, SIM_AM_DELETE_CHILD) != MI_SW_OK &&
	    sim_access_check(c, f, SIM_AM_DELETE_SELF) != MI_SW_OK) {
		r->sw = MI_SW_SECURITY;
		return;
	}
	for (i = 0; i < SIM_MAX_CHANNELS; i++) {
		struct sim_channel *k = &c->ch[i];

		if (k->ef >= 0 && in_subtree(c, k->ef, f))
			k->ef = -1;
		if (k->adf >= 0 && in_subtree(c, k->adf, f))
			k->adf = -1;
		if (k->df >= 0 && in_subtree(c, k->df, f)) {
			k->df = df;
			k->ef = -1;
		}
		k->rec = 0;
	}
	sim_fs_delete(c, f);
	r->sw = MI_SW_OK;
}
