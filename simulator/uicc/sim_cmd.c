/* SPDX-License-Identifier: Apache-2.0 */
/* File system commands (TS 102 221 §11.1) and the APDU dispatch table. */
#include <string.h>

#include "sim_cmd.h"

/* CLA classes (TS 102 221 §10.1.1): 0X and 4X (channels 4..19) ISO, 8X and
 * CX TS 102 221 specific: mask B0. CAT commands take 80 only. */
static const struct sim_cmd cmds[] = {
	{0xB0, 0x00, 0xA4, SIM_CMD_T0_OUT, sim_cmd_select, "SELECT"},
	{0xB0, 0x80, 0xF2, 0, sim_cmd_status, "STATUS"},
	{0xB0, 0x00, 0xB0, 0, sim_cmd_read_binary, "READ BINARY"},
	{0xB0, 0x00, 0xD6, 0, sim_cmd_update_binary, "UPDATE BINARY"},
	{0xB0, 0x00, 0xB2, 0, sim_cmd_read_record, "READ RECORD"},
	{0xB0, 0x00, 0xDC, 0, sim_cmd_update_record, "UPDATE RECORD"},
	{0xB0, 0x00, 0xA2, SIM_CMD_T0_OUT, sim_cmd_search_record, "SEARCH RECORD"},
	{0xB0, 0x00, 0x20, 0, sim_cmd_verify, "VERIFY PIN"},
	{0xB0, 0x00, 0x24, 0, sim_cmd_change, "CHANGE PIN"},
	{0xB0, 0x00, 0x26, 0, sim_cmd_disable, "DISABLE PIN"},
	{0xB0, 0x00, 0x28, 0, sim_cmd_enable, "ENABLE PIN"},
	{0xB0, 0x00, 0x2C, 0, sim_cmd_unblock, "UNBLOCK PIN"},
	{0xB0, 0x00, 0x88, SIM_CMD_T0_OUT, sim_cmd_authenticate, "AUTHENTICATE"},
	{0xB0, 0x00, 0xC0, 0, sim_cmd_get_response, "GET RESPONSE"},
	{0xB0, 0x00, 0x70, 0, sim_cmd_manage_channel, "MANAGE CHANNEL"},
	{0xB0, 0x00, 0xE0, 0, sim_cmd_create_file, "CREATE FILE"},
	{0xB0, 0x00, 0xE4, 0, sim_cmd_delete_file, "DELETE FILE"},
	{0xFF, 0x80, 0x10, 0, sim_cmd_terminal_profile, "TERMINAL PROFILE"},
	{0xFF, 0x80, 0x12, 0, sim_cmd_fetch, "FETCH"},
	{0xFF, 0x80, 0x14, 0, sim_cmd_terminal_response, "TERMINAL RESPONSE"},
	{0xFF, 0x80, 0xC2, SIM_CMD_T0_OUT, sim_cmd_envelope, "ENVELOPE"},
};

/* Secure messaging indication in the CLA (TS 102 221 §10.1.1): b4-b3 in
 * the 0X and 8X classes, b6 in 4X and CX. This card offers none. */
static int cla_secure_messaging(uint8_t cla)
{
	switch (cla & 0xC0) {
	case 0x00:
	case 0x80:
		return (cla & 0x0C) != 0;
	default:
		return (cla & 0x20) != 0;
	}
}

const struct sim_cmd *sim_cmd_find(uint8_t cla, uint8_t ins, uint16_t *sw)
{
	unsigned i;
	int ins_known = 0;

	if (cla != 0xFF && cla_secure_messaging(cla)) {
		*sw = MI_SW_SM_NOT_SUPPORTED;
		return NULL;
	}

	for (i = 0; i < MI_ARRAY_SIZE(cmds); i++) {
		if (cmds[i].ins != ins)
			continue;
		if ((cla & cmds[i].cla_mask) == cmds[i].cla)
			return &cmds[i];
		ins_known = 1;
	}
	/* an instruction of another class, or a class we do not know at all */
	switch (cla & 0xF0) {
	case 0x00:
	case 0x40:
	case 0x80:
	case 0xC0:
		*sw = ins_known ? MI_SW_BAD_CLA : MI_SW_BAD_INS;
		break;
	default:
		*sw = MI_SW_BAD_CLA; /* e.g. A0, the GSM SIM class (TS 51.011) */
	}
	return NULL;
}

const char *sim_cmd_name(uint8_t cla, uint8_t ins)
{
	uint16_t sw;
	const struct sim_cmd *c = sim_cmd_find(cla, ins, &sw);

	return c ? c->name : "?";
}

int sim_data_refused(const struct mi_apdu *a, struct sim_rsp *r)
{
	if (a->apdu_case != MI_APDU_CASE_3 && a->apdu_case != MI_APDU_CASE_4)
		return 0;
	r->sw = MI_SW_WRONG_LENGTH;
	return 1;
}

unsigned sim_le(const struct mi_apdu *a)
{
	if (a->apdu_case == MI_APDU_CASE_2 || a->apdu_case == MI_APDU_CASE_4)
		return a->le;
	return 0;
}

void sim_rsp_data_le(struct sim_rsp *r, const struct mi_apdu *a, const uint8_t *data, uint16_t len)
{
	unsigned le = sim_le(a);

	if (len > 256)
		len = 256;
	if (le != len) {
		/* T=0: wrong Le, the terminal re-sends with xx (TS 102 221 §7.3.1.1.5) */
		r->sw = (uint16_t)(MI_SW_WRONG_LE | (len & 0xFF));
		return;
	}
	memcpy(r->data, data, len);
	r->len = len;
	r->sw = MI_SW_OK;
}

/* ---- SELECT (TS 102 221 §11.1.1) --------------------------------------- */

static int cur_df(const struct sim_card *c, const struct sim_channel *ch)
{
	return ch->df >= 0 ? ch->df : sim_fs_mf(c);
}

/* Selection by FID (§8.5.1): children of the current DF, the parent DF,
 * siblings of the current DF, the current DF itself, the MF, 7FFF. */
static int select_fid(const struct sim_card *c, const struct sim_channel *ch, uint16_t fid)
{
	int df = cur_df(c, ch), f, parent;

	if (fid == 0x3F00)
		return sim_fs_mf(c);
	if (fid == 0x7FFF)
		return ch->adf;
	f = sim_fs_child(c, df, fid);
	if (f >= 0)
		return f;
	parent = c->files[df].parent;
	if (parent >= 0) {
		if (c->files[parent].fid == fid)
			return parent;
		f = sim_fs_child(c, parent, fid);
		if (f >= 0 && c->files[f].type != SIM_EF)
			return f;
	}
	if (c->files[df].fid == fid)
		return df;
	return -1;
}

static int select_aid(const struct sim_card *c, const uint8_t *aid, uint16_t len)
{
	int i;

	if (len == 0 || len > 16)
		return -1;
	for (i = 0; i < (int)SIM_MAX_FILES; i++) {
		const struct sim_file *f = &c->files[i];

		/* a right-truncated AID matches by prefix (§8.5.2) */
		if (f->used && f->type == SIM_ADF && len <= f->aid_len && !memcmp(f->aid, aid, len))
			return i;
	}
	return -1;
}

static int select_path(const struct sim_card *c, int from, const uint8_t *p, uint16_t len)
{
	int cur = from;
	uint16_t i;

	if (len == 0 || len % 2)
		return -2;
	for (i = 0; i < len && cur >= 0; i += 2) {
		uint16_t fid = MI_GET_U16_BE(p, i);

		if (fid == 0x7FFF && i == 0 && from == sim_fs_mf(c)) {
			cur = -1;
			for (int k = 0; k < (int)SIM_MAX_FILES; k++)
				if (c->files[k].used && c->files[k].type == SIM_ADF) {
					cur = k;
					break;
				}
			continue;
		}
		if (fid == 0x3F00)
			return -2; /* a path never names the MF (§8.4.2) */
		if (c->files[cur].type == SIM_EF)
			return -1;
		cur = sim_fs_child(c, cur, fid);
	}
	return cur;
}

static void set_current(struct sim_card *c, struct sim_channel *ch, int f)
{
	const struct sim_file *sf = &c->files[f];

	if (sf->type == SIM_EF) {
		ch->df = sf->parent;
		ch->ef = f;
	} else {
		ch->df = f;
		ch->ef = -1;
	}
	ch->rec = 0;
	if (sf->type == SIM_ADF)
		ch->adf = f;
}

void sim_cmd_select(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	int f = -1, fcp;
	uint8_t ret = a->p2 & 0x0C;

	/* P2: b8=0, b7 session control, b4..b3 return data, b2..b1 occurrence */
	if ((a->p2 & 0x80) || (ret != 0x04 && ret != 0x0C && ret != 0x00)) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if ((a->p2 & 0x03) != 0) {
		r->sw = MI_SW_FUNC_NOT_SUPPORTED; /* next/last occurrence */
		return;
	}
	switch (a->p1) {
	case 0x00: /* by FID; no data selects the MF */
		if (a->lc == 0)
			f = sim_fs_mf(c);
		else if (a->lc != 2) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		} else
			f = select_fid(c, ch, MI_GET_U16_BE(a->data, 0));
		break;
	case 0x01: /* child DF */
		if (a->lc != 2) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		}
		f = sim_fs_child(c, cur_df(c, ch), MI_GET_U16_BE(a->data, 0));
		if (f >= 0 && c->files[f].type == SIM_EF)
			f = -1;
		break;
	case 0x03: /* parent DF */
		if (a->lc != 0) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		}
		f = c->files[cur_df(c, ch)].parent;
		if (f < 0)
			f = sim_fs_mf(c);
		break;
	case 0x04: /* DF name (AID) */
		if (a->lc == 0 || a->lc > 16) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		}
		if (a->p2 & 0x40) { /* terminate the application session */
			f = select_aid(c, a->data, a->lc);
			if (f < 0) {
				r->sw = MI_SW_NOT_FOUND;
				return;
			}
			if (ch->adf == f) {
				ch->adf = -1;
				ch->df = sim_fs_mf(c);
				ch->ef = -1;
			}
			r->sw = MI_SW_OK;
			return;
		}
		f = select_aid(c, a->data, a->lc);
		break;
	case 0x08: /* path from the MF */
	case 0x09: /* path from the current DF */
		f = select_path(c, a->p1 == 0x08 ? sim_fs_mf(c) : cur_df(c, ch), a->data, a->lc);
		if (f == -2) {
			r->sw = a->lc % 2 || a->lc == 0 ? MI_SW_WRONG_LENGTH : MI_SW_BAD_DATA;
			return;
		}
		break;
	default:
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (f < 0) {
		r->sw = MI_SW_NOT_FOUND;
		return;
	}
	set_current(c, ch, f);
	if (ret == 0x0C) {
		r->sw = MI_SW_OK;
		return;
	}
	fcp = sim_fs_fcp(c, f, r->data, sizeof(r->data));
	if (fcp < 0) {
		r->sw = MI_SW_TECHNICAL;
		return;
	}
	r->len = (uint16_t)fcp;
	r->sw = MI_SW_OK;
}

/* ---- STATUS (§11.1.2) ---------------------------------------------------- */

void sim_cmd_status(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	uint8_t buf[SIM_RESP_MAX];
	int n = 0;
	int df = cur_df(c, ch);

	if (a->p1 > 0x02) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (sim_data_refused(a, r))
		return;
	/* STATUS is the terminal's poll: the applet's clock (TS 102 223 §6.11) */
	if (c->tp_seen && c->applet_installed)
		(void)mi_applet_status(&c->applet);
	switch (a->p2) {
	case 0x00:
		n = sim_fs_fcp(c, ch->adf >= 0 && df == ch->adf ? ch->adf : df, buf, sizeof(buf));
		break;
	case 0x01:
		if (ch->adf >= 0) {
			buf[0] = 0x84;
			buf[1] = c->files[ch->adf].aid_len;
			memcpy(buf + 2, c->files[ch->adf].aid, buf[1]);
			n = 2 + buf[1];
		}
		break;
	case 0x0C:
		/* No data returned. Under T=0 a case-1 command still carries
		 * P3 = 00 (ISO 7816-3 §10.3.2), so `80 F2 00 0C 00` from an ME
		 * is the same poll as the 4-byte form: accept any Le. */
		r->sw = MI_SW_OK;
		return;
	default:
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (n < 0) {
		r->sw = MI_SW_TECHNICAL;
		return;
	}
	sim_rsp_data_le(r, a, buf, (uint16_t)n);
}

/* ---- binary and record access (§11.1.3 - §11.1.6) ------------------------ */

/* The EF a command works on: by SFI (when given) or the current EF. */
static int target_ef(struct sim_card *c, struct sim_channel *ch, uint8_t sfi, uint16_t *sw)
{
	int f;

	if (sfi) {
		f = sim_fs_by_sfi(c, cur_df(c, ch), sfi);
		if (f < 0) {
			*sw = MI_SW_NOT_FOUND;
			return -1;
		}
		ch->ef = f;
		ch->rec = 0;
		return f;
	}
	if (ch->ef < 0) {
		*sw = MI_SW_NO_EF;
		return -1;
	}
	return ch->ef;
}

static int binary_target(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 uint16_t *off, uint16_t *sw)
{
	int f;
	uint8_t sfi = 0;

	if (a->p1 & 0x80) {
		/* P1 = 100x xxxx: SFI, P2 = offset (§11.1.3.2) */
		if (a->p1 & 0x60) {
			*sw = MI_SW_BAD_P1P2;
			return -1;
		}
		sfi = a->p1 & 0x1F;
		if (sfi == 0) {
			*sw = MI_SW_BAD_P1P2;
			return -1;
		}
		*off = a->p2;
	} else {
		*off = (uint16_t)(((a->p1 & 0x7F) << 8) | a->p2);
	}
	f = target_ef(c, ch, sfi, sw);
	if (f < 0)
		return -1;
	if (c->files[f].structure != SIM_TRANSPARENT) {
		*sw = MI_SW_INCOMPATIBLE_FILE;
		return -1;
	}
	if (*off >= sim_fs_size(c, f)) {
		*sw = MI_SW_WRONG_P1P2;
		return -1;
	}
	return f;
}

void sim_cmd_read_binary(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 struct sim_rsp *r)
{
	uint16_t off, avail;
	int f;

	if (sim_data_refused(a, r))
		return;
	f = binary_target(c, ch, a, &off, &r->sw);
	if (f < 0)
		return;
	r->sw = sim_access_check(c, f, SIM_AM_READ);
	if (r->sw != MI_SW_OK)
		return;
	avail = (uint16_t)(sim_fs_size(c, f) - off);
	if (sim_le(a) && sim_le(a) <= avail) /* a shorter read is fine */
		avail = (uint16_t)sim_le(a);
	sim_rsp_data_le(r, a, sim_fs_data(c, f) + off, avail);
}

void sim_cmd_update_binary(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			   struct sim_rsp *r)
{
	uint16_t off;
	int f;

	if (a->apdu_case != MI_APDU_CASE_3) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	f = binary_target(c, ch, a, &off, &r->sw);
	if (f < 0)
		return;
	c->mask_data = (uint8_t)sim_file_secret(c, f);
	r->sw = sim_access_check(c, f, SIM_AM_UPDATE);
	if (r->sw != MI_SW_OK)
		return;
	if ((uint32_t)off + a->lc > sim_fs_size(c, f)) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	/* one NV write: not transactional, as on a real card */
	r->sw = sim_nv_write(&c->nv, (unsigned)c->files[f].nv, off, a->data, a->lc) == 0 ? MI_SW_OK
											   : MI_SW_MEMORY;
}

/* Record mode (§11.1.5): 02 next, 03 previous, 04 absolute/current. */
static int record_number(const struct sim_file *f, const struct sim_channel *ch, uint8_t p1,
			 uint8_t mode, uint16_t *sw)
{
	int n = f->n_rec, cur = ch->rec;

	switch (mode) {
	case 0x04:
		if (p1 == 0) {
			if (cur == 0) {
				*sw = MI_SW_RECORD_NOT_FOUND;
				return -1;
			}
			return cur;
		}
		if (p1 > n) {
			*sw = MI_SW_RECORD_NOT_FOUND;
			return -1;
		}
		return p1;
	case 0x02:
	case 0x03:
		if (p1 != 0) {
			*sw = MI_SW_BAD_P1P2;
			return -1;
		}
		if (mode == 0x02) {
			if (cur == 0)
				return 1;
			if (cur < n)
				return cur + 1;
			if (f->structure == SIM_CYCLIC)
				return 1;
		} else {
			if (cur == 0)
				return n;
			if (cur > 1)
				return cur - 1;
			if (f->structure == SIM_CYCLIC)
				return n;
		}
		*sw = MI_SW_RECORD_NOT_FOUND;
		return -1;
	default:
		*sw = MI_SW_BAD_P1P2;
		return -1;
	}
}

static int record_target(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 uint16_t *sw)
{
	uint8_t sfi = a->p2 >> 3;
	int f;

	if (sfi == 0x1F) {
		*sw = MI_SW_BAD_P1P2;
		return -1;
	}
	f = target_ef(c, ch, sfi, sw);
	if (f < 0)
		return -1;
	if (c->files[f].structure == SIM_TRANSPARENT) {
		*sw = MI_SW_INCOMPATIBLE_FILE;
		return -1;
	}
	return f;
}

void sim_cmd_read_record(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			 struct sim_rsp *r)
{
	const struct sim_file *sf;
	int f, rec;

	if (sim_data_refused(a, r))
		return;
	f = record_target(c, ch, a, &r->sw);
	if (f < 0)
		return;
	sf = &c->files[f];
	r->sw = sim_access_check(c, f, SIM_AM_READ);
	if (r->sw != MI_SW_OK)
		return;
	rec = record_number(sf, ch, a->p1, a->p2 & 0x07, &r->sw);
	if (rec < 0)
		return;
	if (sim_le(a) != sf->rec_len) {
		r->sw = (uint16_t)(MI_SW_WRONG_LE | (sf->rec_len & 0xFF));
		return;
	}
	/* next/previous move the record pointer; absolute mode leaves it
	 * alone (TS 102 221 §11.1.5.2) */
	if ((a->p2 & 0x07) != 0x04)
		ch->rec = rec;
	sim_rsp_data_le(r, a, sim_fs_data(c, f) + (size_t)(rec - 1) * sf->rec_len, sf->rec_len);
}

void sim_cmd_update_record(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			   struct sim_rsp *r)
{
	const struct sim_file *sf;
	int f, rec;
	uint8_t mode = a->p2 & 0x07;

	if (a->apdu_case != MI_APDU_CASE_3) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	f = record_target(c, ch, a, &r->sw);
	if (f < 0)
		return;
	sf = &c->files[f];
	c->mask_data = (uint8_t)sim_file_secret(c, f);
	r->sw = sim_access_check(c, f, SIM_AM_UPDATE);
	if (r->sw != MI_SW_OK)
		return;
	if (a->lc != sf->rec_len) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (sf->structure == SIM_CYCLIC) {
		/* cyclic: PREVIOUS only; the new record becomes record 1 (§11.1.6) */
		uint8_t buf[255 * 4];
		uint16_t size = sim_fs_size(c, f);

		if (mode != 0x03 || a->p1 != 0) {
			r->sw = mode != 0x03 ? MI_SW_INCOMPATIBLE_FILE : MI_SW_BAD_P1P2;
			return;
		}
		if (size > sizeof(buf)) {
			r->sw = MI_SW_MEMORY;
			return;
		}
		memcpy(buf, a->data, sf->rec_len);
		memcpy(buf + sf->rec_len, sim_fs_data(c, f), (size_t)(size - sf->rec_len));
		if (sim_nv_write(&c->nv, (unsigned)sf->nv, 0, buf, size) != 0) {
			r->sw = MI_SW_MEMORY;
			return;
		}
		ch->rec = 1;
		r->sw = MI_SW_OK;
		return;
	}
	rec = record_number(sf, ch, a->p1, mode, &r->sw);
	if (rec < 0)
		return;
	if (sim_nv_write(&c->nv, (unsigned)sf->nv, (uint16_t)((rec - 1) * sf->rec_len), a->data,
			 a->lc) != 0) {
		r->sw = MI_SW_MEMORY;
		return;
	}
	if (mode != 0x04) /* absolute mode: pointer unchanged (TS 102 221 §11.1.6.2) */
		ch->rec = rec;
	r->sw = MI_SW_OK;
}

/* SEARCH RECORD (§11.1.7): simple search 04 forward / 05 backward from P1
 * (pattern at the start of the record), enhanced 06 with an indication. */
void sim_cmd_search_record(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			   struct sim_rsp *r)
{
	const struct sim_file *sf;
	const uint8_t *pat;
	uint16_t plen, start_off = 0;
	int f, rec, step, first, count = 0;
	uint8_t mode = a->p2 & 0x07, dir;

	if (a->apdu_case != MI_APDU_CASE_3 && a->apdu_case != MI_APDU_CASE_4) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	f = record_target(c, ch, a, &r->sw);
	if (f < 0)
		return;
	sf = &c->files[f];
	r->sw = sim_access_check(c, f, SIM_AM_READ);
	if (r->sw != MI_SW_OK)
		return;
	pat = a->data;
	plen = a->lc;
	if (mode == 0x06) {
		/* indication (§11.1.7.2): b3..b1 mode 4..7; b4 = 0 offset in byte 2,
		 * b4 = 1 search after a value (not supported) */
		if (plen < 3 || (a->data[0] & 0x08)) {
			r->sw = plen < 3 ? MI_SW_WRONG_LENGTH : MI_SW_FUNC_NOT_SUPPORTED;
			return;
		}
		dir = a->data[0] & 0x07;
		start_off = a->data[1];
		pat += 2;
		plen = (uint16_t)(plen - 2);
		if (dir < 0x04) {
			r->sw = MI_SW_BAD_DATA;
			return;
		}
	} else if (mode == 0x04 || mode == 0x05) {
		dir = mode;
	} else {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if ((uint32_t)start_off + plen > sf->rec_len) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (a->p1 > sf->n_rec) {
		r->sw = MI_SW_RECORD_NOT_FOUND;
		return;
	}
	/* 04/05 start at P1 (0 = current record); 06/07 at the next/previous */
	first = a->p1 ? a->p1 : (ch->rec ? ch->rec : 1);
	if (dir == 0x06)
		first = ch->rec + 1;
	else if (dir == 0x07)
		first = ch->rec ? ch->rec - 1 : sf->n_rec;
	step = (dir == 0x05 || dir == 0x07) ? -1 : 1;
	for (rec = first; rec >= 1 && rec <= sf->n_rec; rec += step) {
		const uint8_t *d = sim_fs_data(c, f) + (size_t)(rec - 1) * sf->rec_len + start_off;

		if (!memcmp(d, pat, plen)) {
			r->data[count++] = (uint8_t)rec;
			if (count == 1)
				ch->rec = rec;
		}
	}
	if (count == 0) {
		r->sw = MI_SW_EOF; /* no match (TS 102 221 §10.2.1) */
		return;
	}
	r->len = (uint16_t)count;
	r->sw = MI_SW_OK;
}

/* ---- MANAGE CHANNEL (§11.1.17) ------------------------------------------- */

/* Le of a command that has no response data: a case-1 command sent the T=0
 * way carries P3 = 00, which parses as Le = 256 (TS 102 221 §7.3.1.1.1). */
static unsigned le_no_data(const struct mi_apdu *a)
{
	unsigned le = sim_le(a);

	return le == 256 ? 0 : le;
}

void sim_cmd_manage_channel(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			    struct sim_rsp *r)
{
	unsigned n;

	if (sim_data_refused(a, r))
		return;
	if (a->p1 == 0x00) {
		n = a->p2;
		if (n == 0) {
			for (n = 1; n < SIM_MAX_CHANNELS && c->ch[n].open; n++)
				;
			if (sim_le(a) != 1) {
				r->sw = sim_le(a) ? (uint16_t)(MI_SW_WRONG_LE | 1u) : MI_SW_WRONG_LENGTH;
				return;
			}
		} else if (le_no_data(a)) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		}
		if (n >= SIM_MAX_CHANNELS) {
			r->sw = a->p2 ? MI_SW_CHANNEL_NOT_SUPPORTED : MI_SW_NO_MEMORY;
			return;
		}
		if (c->ch[n].open) {
			r->sw = MI_SW_CONDITIONS;
			return;
		}
		/* opened from the basic channel: MF; else the same DF (§11.1.17.2) */
		c->ch[n] = *ch;
		c->ch[n].open = 1;
		if (ch == &c->ch[0]) {
			c->ch[n].df = sim_fs_mf(c);
			c->ch[n].ef = -1;
			c->ch[n].adf = -1;
			c->ch[n].rec = 0;
		}
		if (a->p2 == 0) {
			r->data[0] = (uint8_t)n;
			r->len = 1;
		}
		r->sw = MI_SW_OK;
		return;
	}
	if (a->p1 == 0x80) {
		if (le_no_data(a)) {
			r->sw = MI_SW_WRONG_LENGTH;
			return;
		}
		if (a->p2 == 0 || a->p2 >= SIM_MAX_CHANNELS) {
			r->sw = a->p2 == 0 ? MI_SW_BAD_P1P2 : MI_SW_CHANNEL_NOT_SUPPORTED;
			return;
		}
		if (!c->ch[a->p2].open) {
			r->sw = MI_SW_CHANNEL_NOT_SUPPORTED;
			return;
		}
		memset(&c->ch[a->p2], 0, sizeof(c->ch[a->p2]));
		r->sw = MI_SW_OK;
		return;
	}
	r->sw = MI_SW_BAD_P1P2;
}

/* ---- GET RESPONSE (§11.1.13, T=0) ----------------------------------------- */

void sim_cmd_get_response(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			  struct sim_rsp *r)
{
	unsigned le = sim_le(a);

	(void)ch;
	if (a->p1 || a->p2) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (sim_data_refused(a, r))
		return;
	if (c->pending_len == 0) {
		r->sw = MI_SW_CONDITIONS;
		return;
	}
	if (le == 0 || le > c->pending_len) {
		r->sw = (uint16_t)(MI_SW_WRONG_LE | (c->pending_len & 0xFF));
		return;
	}
	memcpy(r->data, c->pending, le);
	r->len = (uint16_t)le;
	if (le < c->pending_len) {
		memmove(c->pending, c->pending + le, c->pending_len - le);
		c->pending_len = (uint16_t)(c->pending_len - le);
		r->sw = (uint16_t)(MI_SW_BYTES_AVAILABLE | (c->pending_len & 0xFF));
		return;
	}
	c->pending_len = 0;
	r->sw = MI_SW_OK;
}
