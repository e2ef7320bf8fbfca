/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_port.h"
#include "mimsi/mi_set.h"
#include "mimsi/mi_state.h"

const uint16_t ld_bank_fid[LD_KINDS][2] = {
    {MI_EF_CFG_A, MI_EF_CFG_B},
    {MI_EF_SLOTS_A, MI_EF_SLOTS_B},
    {MI_EF_RULES_A, MI_EF_RULES_B},
};
const uint8_t ld_kind_type[LD_KINDS] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};
const char *const ld_kind_name[LD_KINDS] = {"cfg", "slots", "rules"};

void ld_bank_eval(struct ld_bank *b, uint8_t type)
{
	memset(&b->hdr, 0, sizeof(b->hdr));
	b->check = MI_ERR_NOT_FOUND;
	if (!b->present || !b->data)
		return;
	b->check = mi_ef_check(b->data, (mi_u16)b->read_len, type, &b->hdr);
}

/* The banks as the core's rule reads them (mi_set.h): only the bytes read
 * from the card; beyond them nothing is known. */
static const struct ld_bank *image_bank(const struct ld_image *img, mi_u8 file)
{
	unsigned i = (unsigned)file - MI_FILE_CFG_A;

	if (i >= LD_KINDS * 2u)
		return NULL;
	return &img->bank[i / 2][i % 2];
}

/* The core hands back the context given as its "port": our image. */
static int image_read(struct mi_port *ctx, enum mi_file file, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	const struct ld_bank *b = image_bank((const struct ld_image *)(void *)ctx, (mi_u8)file);

	if (!b || !b->present || !b->data)
		return MI_ERR_NOT_FOUND;
	if ((uint32_t)off + len > b->read_len)
		return MI_ERR_TRUNCATED;
	memcpy(buf, b->data + off, len);
	return MI_OK;
}

static mi_s32 image_size(struct mi_port *ctx, enum mi_file file)
{
	const struct ld_bank *b = image_bank((const struct ld_image *)(void *)ctx, (mi_u8)file);

	if (!b || !b->present || !b->data)
		return MI_ERR_NOT_FOUND;
	return (mi_s32)(b->size ? b->size : b->read_len);
}

static int image_pick(const struct ld_image *img, struct mi_set_pick *p)
{
	static mi_u8 scratch[MI_CMD_BUF];
	struct mi_files fs;

	fs.read = image_read;
	fs.size = image_size;
	fs.port = (struct mi_port *)(uintptr_t)img;
	fs.scratch = scratch;
	return mi_set_pick(&fs, p);
}

void ld_image_eval(struct ld_image *img)
{
	static mi_u8 scratch[MI_CMD_BUF];
	struct mi_files fs;
	unsigned k, bk;

	fs.read = image_read;
	fs.size = image_size;
	fs.port = (struct mi_port *)(void *)img;
	fs.scratch = scratch;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			struct ld_bank *b = &img->bank[k][bk];
			struct mi_bank_tag tag;
			int rc;

			ld_bank_eval(b, ld_kind_type[k]);
			if (b->check <= 0)
				continue;
			/* header and CRC passed: the body's own rules, as the card */
			rc = mi_set_bank_check(&fs, (mi_u8)(k * 2 + bk), NULL, &tag);
			if (rc < 0)
				b->check = rc;
		}
}

int ld_image_active(const struct ld_image *img, int which[LD_KINDS], uint32_t *seq)
{
	struct mi_set_pick p;
	unsigned k;

	*seq = 0;
	if (image_pick(img, &p) != MI_OK)
		return 0;
	*seq = p.set_seq;
	for (k = 0; k < LD_KINDS; k++)
		which[k] = (int)(((unsigned)p.banks >> k) & 1u);
	return 1;
}

uint32_t ld_image_max_seq(const struct ld_image *img)
{
	uint32_t m = 0;
	unsigned k, bk;

	/* every bank whose header and CRC pass counts, whatever its body: a
	 * new set must never share a seq with a leftover bank */
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			const struct ld_bank *b = &img->bank[k][bk];
			struct mi_ef_header h;

			if (b->present && b->data &&
			    mi_ef_check(b->data, (mi_u16)b->read_len, ld_kind_type[k], &h) > 0 &&
			    h.seq > m)
				m = h.seq;
		}
	return m;
}

void ld_image_free(struct ld_image *img)
{
	unsigned k, bk;

	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++)
			free(img->bank[k][bk].data);
	free(img->state.data);
	memset(img, 0, sizeof(*img));
}

/* ---- compiled set ------------------------------------------------------ */
static int load_file(const char *path, uint8_t **out, uint16_t *len, char *err, size_t err_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return LD_ERR_PARAM;
	}
	buf = malloc(LD_EF_MAX + 1u);
	if (!buf) {
		fclose(f);
		return LD_ERR_IO;
	}
	n = fread(buf, 1, LD_EF_MAX + 1u, f);
	fclose(f);
	if (n > LD_EF_MAX) {
		snprintf(err, err_len, "%s: larger than %u bytes", path, LD_EF_MAX);
		free(buf);
		return LD_ERR_FORMAT;
	}
	*out = buf;
	*len = (uint16_t)n;
	return LD_OK;
}

int ld_set_load_dir(const char *dir, struct ld_set *s, char *err, size_t err_len)
{
	static const char *const names[LD_KINDS] = {"ef_cfg.bin", "ef_slots.bin", "ef_rules.bin"};
	char path[4096];
	uint32_t ids[LD_KINDS];
	unsigned k;

	memset(s, 0, sizeof(*s));
	for (k = 0; k < LD_KINDS; k++) {
		struct mi_ef_header h;
		int rc;
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		rc = load_file(path, &s->file[k], &s->len[k], err, err_len);
		if (rc < 0) {
			ld_set_free(s);
			return rc;
		}
		rc = mi_ef_check(s->file[k], s->len[k], ld_kind_type[k], &h);
		if (rc < 0) {
			snprintf(err, err_len, "%s: not a valid %s file (%s)", path,
				 ld_kind_name[k], mi_strerror(rc));
			ld_set_free(s);
			return LD_ERR_FORMAT;
		}
		s->len[k] = (uint16_t)rc; /* header + body: no padding */
		ids[k] = h.set_id;
	}
	/* one compile: the three files carry one set id (mi_ef.h, version 2) */
	if (ids[1] != ids[0] || ids[2] != ids[0]) {
		snprintf(err, err_len,
			 "%s: a set mixed from two compiles (set ids %08lX cfg, %08lX slots, "
			 "%08lX rules): compile again into one directory",
			 dir, (unsigned long)ids[0], (unsigned long)ids[1], (unsigned long)ids[2]);
		ld_set_free(s);
		return LD_ERR_FORMAT;
	}
	return LD_OK;
}

int ld_set_patch_imsi(struct ld_set *s, unsigned slot, const char *imsi, char *err, size_t err_len)
{
	uint8_t *f = s->file[LD_SLOTS];
	uint16_t body_len, off = 1;
	struct mi_ef_header h;
	uint8_t n, i;
	int rc;

	if (mi_ef_check(f, s->len[LD_SLOTS], MI_EF_TYPE_SLOTS, &h) < 0 || h.payload_len < 1) {
		snprintf(err, err_len, "SLOTS file invalid");
		return LD_ERR_FORMAT;
	}
	body_len = h.payload_len; /* the records, before a set id */
	n = f[MI_EF_HDR_LEN];
	for (i = 0; i < n; i++) {
		struct mi_slot rec;
		uint8_t *p = f + MI_EF_HDR_LEN + off;
		rc = mi_slot_decode(p, (mi_u16)(body_len - off), &rec);
		if (rc < 0)
			break;
		if (rec.slot == slot) {
			rc = mi_imsi_encode(imsi, (mi_u16)strlen(imsi), rec.imsi, sizeof(rec.imsi));
			if (rc < 0) {
				snprintf(err, err_len, "slot %u: bad IMSI \"%s\" (%s)", slot, imsi,
					 mi_strerror(rc));
				return LD_ERR_PARAM;
			}
			/* same record length: re-encode in place */
			if (mi_slot_encode(&rec, p, (mi_u16)(body_len - off)) < 0)
				return LD_ERR_FORMAT;
			if (mi_ef_reseal(f, s->len[LD_SLOTS], h.seq) < 0)
				return LD_ERR_FORMAT;
			return LD_OK;
		}
		off = (uint16_t)(off + rc);
	}
	snprintf(err, err_len, "the compiled SLOTS file has no slot %u", slot);
	return LD_ERR_PARAM;
}

void ld_set_free(struct ld_set *s)
{
	unsigned k;

	for (k = 0; k < LD_KINDS; k++)
		free(s->file[k]);
	memset(s, 0, sizeof(*s));
}

/* ---- planner ----------------------------------------------------------- */
static int push(struct ld_plan *p, size_t *cap, uint16_t fid, uint16_t off, uint16_t len,
		const uint8_t *data)
{
	if (p->n_upd == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct ld_update *u = realloc(p->upd, nc * sizeof(*u));
		if (!u)
			return LD_ERR_IO;
		p->upd = u;
		*cap = nc;
	}
	p->upd[p->n_upd].fid = fid;
	p->upd[p->n_upd].off = off;
	p->upd[p->n_upd].len = len;
	p->upd[p->n_upd].data = data;
	p->n_upd++;
	p->bytes += len;
	return LD_OK;
}

/* Differing ranges of new[0..len) against old (old_len bytes known; bytes
 * beyond them are unknown and always written),
 * gaps of <= LD_MERGE_GAP equal bytes merged, chunked at max_chunk; the
 * chunk holding the header goes last so a file turns valid at one command. */
static int diff_file(struct ld_plan *p, size_t *cap, uint16_t fid, const uint8_t *nf, uint16_t len,
		     const uint8_t *old, uint32_t old_len, unsigned max_chunk)
{
	size_t first = p->n_upd, i = 0;
	int rc;

	while (i < len) {
		size_t start, end, gap;
		if (i < old_len && old && nf[i] == old[i]) {
			i++;
			continue;
		}
		start = i;
		end = i + 1;
		gap = 0;
		for (i = end; i < len; i++) {
			if (!(i < old_len && old && nf[i] == old[i])) {
				end = i + 1;
				gap = 0;
			} else if (++gap > LD_MERGE_GAP) {
				break;
			}
		}
		i = end;
		while (start < end) {
			size_t n = end - start;
			if (n > max_chunk)
				n = max_chunk;
			rc = push(p, cap, fid, (uint16_t)start, (uint16_t)n, nf + start);
			if (rc < 0)
				return rc;
			start += n;
		}
	}
	/* header chunk (offset < 14) last */
	if (p->n_upd > first + 1 && p->upd[first].off < MI_EF_HDR_LEN) {
		struct ld_update h = p->upd[first];
		memmove(&p->upd[first], &p->upd[first + 1],
			(p->n_upd - first - 1) * sizeof(p->upd[0]));
		p->upd[p->n_upd - 1] = h;
	}
	return LD_OK;
}

int ld_plan_make(const struct ld_image *img, const struct ld_set *set, unsigned max_chunk,
		 struct ld_plan *plan, char *err, size_t err_len)
{
	static const unsigned order[LD_KINDS] = {LD_RULES, LD_SLOTS, LD_CFG};
	int which[LD_KINDS] = {1, 1, 1}; /* no active set: write bank A */
	uint32_t maxs;
	size_t cap = 0;
	unsigned k, i;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (max_chunk == 0 || max_chunk > 255)
		return LD_ERR_PARAM;
	plan->has_active = ld_image_active(img, which, &plan->active_seq);
	if (plan->has_active) {
		plan->identical = 1;
		for (k = 0; k < LD_KINDS; k++) {
			const struct ld_bank *b = &img->bank[k][which[k]];
			uint16_t bl = (uint16_t)(set->len[k] - MI_EF_HDR_LEN);
			if (b->hdr.body_len != bl ||
			    memcmp(b->data + MI_EF_HDR_LEN, set->file[k] + MI_EF_HDR_LEN, bl) != 0)
				plan->identical = 0;
		}
		if (plan->identical) {
			plan->new_seq = plan->active_seq;
			for (k = 0; k < LD_KINDS; k++)
				plan->target[k] = which[k];
			return LD_OK;
		}
	}
	maxs = ld_image_max_seq(img);
	if (maxs == 0xFFFFFFFFu) {
		snprintf(err, err_len, "sequence number exhausted on this card");
		return LD_ERR_REFUSED;
	}
	plan->new_seq = maxs + 1u;
	for (k = 0; k < LD_KINDS; k++) {
		const struct ld_bank *b;
		plan->target[k] = 1 - which[k];
		b = &img->bank[k][plan->target[k]];
		plan->file[k] = malloc(set->len[k]);
		if (!plan->file[k]) {
			ld_plan_free(plan);
			return LD_ERR_IO;
		}
		memcpy(plan->file[k], set->file[k], set->len[k]);
		plan->len[k] = set->len[k];
		if (mi_ef_reseal(plan->file[k], set->len[k], plan->new_seq) < 0) {
			ld_plan_free(plan);
			return LD_ERR_FORMAT;
		}
		if (!b->present)
			plan->missing++;
		else if (b->size < set->len[k]) {
			snprintf(err, err_len,
				 "EF %04X holds %u bytes; the new %s file needs %u (re-create the "
				 "card's DF.MIMSI with larger files)",
				 b->fid, (unsigned)b->size, ld_kind_name[k], (unsigned)set->len[k]);
			ld_plan_free(plan);
			return LD_ERR_REFUSED;
		}
	}
	for (i = 0; i < LD_KINDS; i++) {
		const struct ld_bank *b;
		k = order[i];
		b = &img->bank[k][plan->target[k]];
		rc = diff_file(plan, &cap, ld_bank_fid[k][plan->target[k]], plan->file[k],
			       plan->len[k], b->present ? b->data : NULL,
			       b->present && b->data ? b->read_len : 0, max_chunk);
		if (rc < 0) {
			ld_plan_free(plan);
			return rc;
		}
	}
	return LD_OK;
}

void ld_plan_free(struct ld_plan *plan)
{
	unsigned k;

	for (k = 0; k < LD_KINDS; k++)
		free(plan->file[k]);
	free(plan->upd);
	memset(plan, 0, sizeof(*plan));
}
