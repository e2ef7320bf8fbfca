/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_write.h"

#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"

#define FID_MF 0x3F00u
#define FID_ICCID 0x2FE2u /* TS 102 221 §13.2 */
#define FID_ARR 0x2F06u   /* TS 102 221 §13.4 */

void ld_write_opts_default(struct ld_write_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->arr_fid = FID_ARR;
	o->arr_rec_ef = 0x03;
	o->arr_rec_df = 0x01;
}

int ld_read_iccid(struct ld_card *c, char *out, size_t cap)
{
	static const uint16_t path[1] = {FID_ICCID};
	uint8_t ef[MI_EF_ICCID_LEN];
	uint16_t sw;
	int rc = ld_select_path(c, path, 1, NULL, &sw);

	if (rc < 0)
		return rc;
	if (sw != MI_SW_OK)
		return LD_ERR_SW;
	rc = ld_read_binary(c, 0, ef, sizeof(ef));
	if (rc < 0)
		return rc;
	if (cap > 0xFFFFu)
		cap = 0xFFFFu;
	rc = mi_iccid_decode(ef, sizeof(ef), out, (mi_u16)cap);
	return rc < 0 ? LD_ERR_FORMAT : LD_OK;
}

/* In a dry run the SELECTs of the write phase are printed like the rest. */
static int select_for_write(struct ld_card *c, uint16_t fid)
{
	uint16_t sw;
	int rc;

	if (c->dry) {
		fprintf(c->dry, "00A4000C02%04X  SELECT\n", fid);
		return LD_OK;
	}
	rc = ld_select_fid(c, fid, NULL, &sw);
	if (rc < 0)
		return rc;
	return sw == MI_SW_OK ? LD_OK : LD_ERR_SW;
}

static size_t fcp_put(uint8_t *buf, size_t off, uint8_t tag, const uint8_t *v, size_t n)
{
	buf[off] = tag;
	buf[off + 1] = (uint8_t)n;
	if (n)
		memcpy(buf + off + 2, v, n);
	return off + 2 + n;
}

/* FCP for CREATE FILE (TS 102 222 §6.3; FCP tags as in TS 102 221 §11.1.1.3). */
static size_t fcp_ef(const struct ld_write_opts *o, uint16_t fid, uint16_t size, uint8_t *fcp)
{
	const uint8_t fd[2] = {0x41, 0x21}; /* shareable working transparent EF */
	const uint8_t id[2] = {(uint8_t)(fid >> 8), (uint8_t)fid};
	const uint8_t lcsi[1] = {0x05};     /* operational, activated */
	const uint8_t arr[3] = {(uint8_t)(o->arr_fid >> 8), (uint8_t)o->arr_fid, o->arr_rec_ef};
	const uint8_t sz[2] = {(uint8_t)(size >> 8), (uint8_t)size};
	size_t n = 2;

	n = fcp_put(fcp, n, 0x82, fd, 2);
	n = fcp_put(fcp, n, 0x83, id, 2);
	n = fcp_put(fcp, n, 0x8A, lcsi, 1);
	n = fcp_put(fcp, n, 0x8B, arr, 3);
	n = fcp_put(fcp, n, 0x80, sz, 2);
	n = fcp_put(fcp, n, 0x88, NULL, 0); /* no SFI */
	fcp[0] = 0x62;
	fcp[1] = (uint8_t)(n - 2);
	return n;
}

static size_t fcp_df(const struct ld_write_opts *o, uint16_t total, uint8_t *fcp)
{
	const uint8_t fd[2] = {0x78, 0x21}; /* DF */
	const uint8_t id[2] = {(uint8_t)(MI_DF_MIMSI >> 8), (uint8_t)MI_DF_MIMSI};
	const uint8_t lcsi[1] = {0x05};
	const uint8_t arr[3] = {(uint8_t)(o->arr_fid >> 8), (uint8_t)o->arr_fid, o->arr_rec_df};
	const uint8_t sz[2] = {(uint8_t)(total >> 8), (uint8_t)total};
	/* PIN status template: PIN1 (01) and ADM1 (0A) used in this DF */
	const uint8_t psdo[9] = {0x90, 0x01, 0x40, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0A};
	size_t n = 2;

	n = fcp_put(fcp, n, 0x82, fd, 2);
	n = fcp_put(fcp, n, 0x83, id, 2);
	n = fcp_put(fcp, n, 0x8A, lcsi, 1);
	n = fcp_put(fcp, n, 0x8B, arr, 3);
	n = fcp_put(fcp, n, 0x81, sz, 2);
	n = fcp_put(fcp, n, 0xC6, psdo, sizeof(psdo));
	fcp[0] = 0x62;
	fcp[1] = (uint8_t)(n - 2);
	return n;
}

static uint16_t ef_size_for(unsigned kind, uint16_t need)
{
	static const uint16_t def[LD_KINDS] = {MI_EF_CFG_SIZE, MI_EF_SLOTS_SIZE, MI_EF_RULES_SIZE};
	uint16_t s = def[kind];

	while (s < need && s <= 0x3FFFu)
		s = (uint16_t)(s * 2u);
	return s;
}

static int create_missing(struct ld_card *c, const struct ld_image *img, const struct ld_set *set,
			  const struct ld_write_opts *o)
{
	uint8_t fcp[64];
	uint16_t sizes[LD_KINDS];
	uint32_t total = MI_EF_STATE_SIZE;
	unsigned k, bk;
	int rc;

	for (k = 0; k < LD_KINDS; k++) {
		sizes[k] = ef_size_for(k, set->len[k]);
		total += 2u * sizes[k];
	}
	struct ld_write_opts dfo = *o;
	struct ld_fcp mf;
	uint16_t sw;

	/* The new DF takes the MF's own access rules (its 8B reference). */
	rc = ld_select_fid(c, FID_MF, &mf, &sw);
	if (rc < 0)
		return rc;
	if (sw == MI_SW_OK && mf.has_arr) {
		dfo.arr_fid = mf.arr_fid;
		dfo.arr_rec_df = mf.arr_rec;
	}
	if (c->dry)
		fprintf(c->dry, "00A4000C023F00  SELECT\n");
	if (!img->df_present) {
		rc = ld_create_file(c, fcp, fcp_df(&dfo, (uint16_t)(total > 0xFFFFu ? 0xFFFFu : total),
						  fcp));
		if (rc < 0)
			return rc;
	}
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			if (img->bank[k][bk].present)
				continue;
			rc = select_for_write(c, MI_DF_MIMSI);
			if (rc == LD_OK)
				rc = ld_create_file(c, fcp, fcp_ef(o, ld_bank_fid[k][bk], sizes[k], fcp));
			if (rc < 0)
				return rc;
		}
	if (!img->state.present) {
		rc = select_for_write(c, MI_DF_MIMSI);
		if (rc == LD_OK)
			rc = ld_create_file(c, fcp, fcp_ef(o, MI_EF_STATE, MI_EF_STATE_SIZE, fcp));
	}
	return rc;
}

static int apply_plan(struct ld_card *c, const struct ld_plan *p)
{
	uint16_t cur = 0;
	size_t i;
	int rc;

	rc = select_for_write(c, FID_MF);
	if (rc == LD_OK)
		rc = select_for_write(c, MI_DF_MIMSI);
	for (i = 0; rc == LD_OK && i < p->n_upd; i++) {
		const struct ld_update *u = &p->upd[i];
		if (u->fid != cur) {
			rc = select_for_write(c, u->fid);
			if (rc < 0)
				break;
			cur = u->fid;
		}
		rc = ld_update_binary(c, u->off, u->data, u->len);
	}
	return rc;
}

/* Read the written banks back and check the new set is the one the applet
 * will take (same rule as mi_ef.h). */
static int read_back(struct ld_card *c, struct ld_image *img, const struct ld_plan *p, char *err,
		     size_t err_len)
{
	uint32_t seq;
	int which[LD_KINDS];
	unsigned k;
	int rc;

	rc = select_for_write(c, FID_MF);
	if (rc == LD_OK)
		rc = select_for_write(c, MI_DF_MIMSI);
	for (k = 0; rc == LD_OK && k < LD_KINDS; k++) {
		struct ld_bank *b = &img->bank[k][p->target[k]];
		rc = select_for_write(c, b->fid);
		if (rc == LD_OK)
			rc = ld_read_binary(c, 0, b->data, p->len[k]);
		if (rc < 0)
			break;
		if (b->read_len < p->len[k])
			b->read_len = p->len[k];
		if (memcmp(b->data, p->file[k], p->len[k]) != 0) {
			snprintf(err, err_len, "read-back of EF %04X differs from what was written",
				 b->fid);
			return LD_ERR_VERIFY;
		}
		ld_bank_eval(b, ld_kind_type[k]);
	}
	if (rc < 0)
		return rc;
	if (!ld_image_active(img, which, &seq) || seq != p->new_seq) {
		snprintf(err, err_len, "after the write the active set is not seq %u",
			 (unsigned)p->new_seq);
		return LD_ERR_VERIFY;
	}
	return LD_OK;
}

int ld_write_set(struct ld_card *c, const struct ld_set *set, const struct ld_write_opts *o,
		 struct ld_write_result *r, char *err, size_t err_len)
{
	struct ld_image img;
	struct ld_plan plan;
	FILE *dry = c->dry;
	unsigned long apdu0 = c->n_apdu, upd0 = c->n_update, cr0 = c->n_create;
	uint16_t sw;
	int rc, tries;

	memset(r, 0, sizeof(*r));
	r->tries_after = -1;
	memset(&plan, 0, sizeof(plan));
	err[0] = '\0';
	c->dry = NULL; /* reads and the counter query are real even in a dry run */
	/* One exclusive transaction from the first read to the read-back: no
	 * other program can change the card under the plan or use the verified
	 * ADM state. */
	rc = ld_transport_begin(c->t);
	if (rc < 0) {
		snprintf(err, err_len, "no exclusive access to the card: %s", ld_strerror(rc));
		goto out;
	}

	/* 1. ADM retry counter, no attempt spent (TS 102 221 §11.1.9) */
	rc = ld_select_fid(c, FID_MF, NULL, &sw);
	if (rc < 0)
		goto out;
	tries = ld_verify_query(c, LD_KEYREF_ADM1);
	if (tries < 0) {
		rc = tries;
		snprintf(err, err_len, "cannot read the ADM1 retry counter");
		goto out;
	}
	r->tries_before = tries;
	if (tries == 0) {
		snprintf(err, err_len, "ADM1 is blocked: refusing (no VERIFY sent)");
		rc = LD_ERR_REFUSED;
		goto out;
	}
	if (tries != LD_TRIES_NOT_NEEDED && tries <= 1 && !o->force) {
		snprintf(err, err_len,
			 "ADM1 has %d try left: refusing to VERIFY (one mistake would block the "
			 "card); use --force to present the given ADM once",
			 tries);
		rc = LD_ERR_REFUSED;
		goto out;
	}
	if (tries != LD_TRIES_NOT_NEEDED && !o->adm && !dry) {
		snprintf(err, err_len, "ADM1 is needed: give --adm-file FILE or MIMSI_ADM");
		rc = LD_ERR_PARAM;
		goto out;
	}

	/* 2. what the card holds (the target banks as far as the new files go) */
	rc = ld_image_read_want(c, &img, set->len);
	if (rc < 0)
		goto out_img;
	rc = ld_plan_make(&img, set, c->max_chunk, &plan, err, err_len);
	if (rc < 0)
		goto out_img;
	r->has_old = plan.has_active;
	r->old_seq = plan.active_seq;
	r->new_seq = plan.new_seq;
	if (plan.identical) {
		r->identical = 1;
		r->verified = 1;
		goto out_img;
	}
	if ((plan.missing || !img.df_present) && !o->create) {
		snprintf(err, err_len,
			 "DF.MIMSI (7F4D) or %d of its EFs are absent: give --create to build them",
			 plan.missing);
		rc = LD_ERR_REFUSED;
		goto out_img;
	}

	/* 3. the one ADM presentation */
	c->dry = dry;
	if (tries != LD_TRIES_NOT_NEEDED) {
		rc = ld_select_fid(c, FID_MF, NULL, &sw);
		if (rc == LD_OK) {
			static const uint8_t none[8]; /* dry run without an ADM: printed masked */
			rc = ld_verify(c, LD_KEYREF_ADM1, o->adm ? o->adm : none, &r->tries_after);
		}
		if (rc == LD_ERR_REFUSED) {
			snprintf(err, err_len, "wrong ADM1: %d tr%s left", r->tries_after,
				 r->tries_after == 1 ? "y" : "ies");
			goto out_img;
		}
		if (rc < 0)
			goto out_img;
	}

	/* 4. files that are missing, then a fresh plan on what they hold */
	if (plan.missing || !img.df_present) {
		rc = create_missing(c, &img, set, o);
		if (rc < 0) {
			snprintf(err, err_len, "CREATE FILE failed");
			goto out_img;
		}
		if (dry) {
			fprintf(dry, "# (after CREATE FILE the plan is made again on the new files)\n");
			goto dry_plan;
		}
		ld_plan_free(&plan);
		ld_image_free(&img);
		c->dry = NULL;
		rc = ld_image_read_want(c, &img, set->len);
		if (rc == LD_OK)
			rc = ld_plan_make(&img, set, c->max_chunk, &plan, err, err_len);
		if (rc < 0)
			goto out_img;
		r->new_seq = plan.new_seq;
		c->dry = dry;
	}
dry_plan:
	/* 5. the planned UPDATE BINARY commands, then read-back */
	rc = apply_plan(c, &plan);
	if (rc < 0) {
		if (!err[0])
			snprintf(err, err_len, "write interrupted: %s (the card keeps the %s set)",
				 ld_strerror(rc), plan.has_active ? "old" : "no");
		goto out_img;
	}
	if (!dry) {
		rc = read_back(c, &img, &plan, err, err_len);
		r->verified = rc == LD_OK;
	}
out_img:
	r->n_update = (size_t)(c->n_update - upd0);
	r->bytes = plan.bytes;
	ld_plan_free(&plan);
	ld_image_free(&img);
	goto done;
out:
	r->n_update = 0;
done:
	if (ld_transport_end(c->t) < 0 && rc == LD_OK) {
		snprintf(err, err_len, "ending the exclusive transaction failed");
		rc = LD_ERR_IO;
	}
	r->n_create = c->n_create - cr0;
	r->apdus = c->n_apdu - apdu0;
	c->dry = dry;
	return rc;
}
