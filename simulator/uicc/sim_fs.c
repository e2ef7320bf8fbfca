/* SPDX-License-Identifier: Apache-2.0 */
/* The card's file tree (TS 102 221 §8) and its FCP templates (§11.1.1.3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"

static int new_slot(const struct sim_card *c)
{
	int i;

	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (!c->files[i].used)
			return i;
	return -1;
}

int sim_fs_add(struct sim_card *c, int parent, uint8_t type, uint16_t fid, const char *name)
{
	int i = new_slot(c);
	struct sim_file *f;

	if (i < 0)
		return -1;
	if (parent >= 0 && sim_fs_child(c, parent, fid) >= 0)
		return -1;
	f = &c->files[i];
	memset(f, 0, sizeof(*f));
	f->used = 1;
	f->type = type;
	f->fid = fid;
	f->parent = parent;
	f->lcsi = 0x05; /* operational, activated (TS 102 221 §11.1.1.4.9) */
	f->shareable = 1;
	f->nv = -1;
	f->link = -1;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
	return i;
}

int sim_fs_add_ef(struct sim_card *c, int parent, uint16_t fid, const char *name, uint8_t structure,
		  uint16_t size, uint16_t rec_len, uint8_t sfi, uint16_t arr_fid, uint8_t arr_rec)
{
	int i, obj;
	struct sim_file *f;

	if (structure != SIM_TRANSPARENT) {
		if (rec_len == 0 || rec_len > 255 || size % rec_len || size / rec_len == 0 ||
		    size / rec_len > 254)
			return -1;
	}
	i = sim_fs_add(c, parent, SIM_EF, fid, name);
	if (i < 0)
		return -1;
	obj = sim_nv_alloc_file(&c->nv, size, 0xFF);
	if (obj < 0) {
		c->files[i].used = 0;
		return -1;
	}
	f = &c->files[i];
	f->structure = structure;
	f->nv = obj;
	f->sfi = sfi;
	f->rec_len = structure == SIM_TRANSPARENT ? 0 : rec_len;
	f->n_rec = (uint8_t)(structure == SIM_TRANSPARENT ? 0 : size / rec_len);
	f->arr_fid = arr_fid;
	f->arr_rec = arr_rec;
	return i;
}

int sim_fs_add_link(struct sim_card *c, int parent, uint16_t fid, const char *name, int target,
		    uint8_t sfi, uint16_t arr_fid, uint8_t arr_rec)
{
	const struct sim_file *t;
	struct sim_file *f;
	int i;

	if (target < 0 || !c->files[target].used || c->files[target].type != SIM_EF ||
	    c->files[target].link >= 0)
		return -1;
	i = sim_fs_add(c, parent, SIM_EF, fid, name);
	if (i < 0)
		return -1;
	t = &c->files[target];
	f = &c->files[i];
	f->structure = t->structure;
	f->nv = t->nv;
	f->link = target;
	f->rec_len = t->rec_len;
	f->n_rec = t->n_rec;
	f->sfi = sfi;
	f->arr_fid = arr_fid;
	f->arr_rec = arr_rec;
	return i;
}

void sim_fs_delete(struct sim_card *c, int f)
{
	int i;

	if (f < 0 || !c->files[f].used)
		return;
	/* children first (a DF deletes its whole subtree, TS 102 222 §6.4) */
	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].parent == f)
			sim_fs_delete(c, i);
	/* the content goes with its owner, and the links to it with it */
	for (i = 0; c->files[f].link < 0 && i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].link == f)
			c->files[i].used = 0;
	if (c->files[f].nv >= 0 && c->files[f].link < 0)
		sim_nv_release(&c->nv, (unsigned)c->files[f].nv);
	c->files[f].used = 0;
}

int sim_fs_mf(const struct sim_card *c)
{
	int i;

	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].type == SIM_MF)
			return i;
	return -1;
}

int sim_fs_child(const struct sim_card *c, int df, uint16_t fid)
{
	int i;

	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].parent == df && c->files[i].fid == fid)
			return i;
	return -1;
}

int sim_fs_by_sfi(const struct sim_card *c, int df, uint8_t sfi)
{
	int i;

	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].parent == df && c->files[i].type == SIM_EF &&
		    c->files[i].sfi == sfi)
			return i;
	return -1;
}

/* The first ADF, which stands for 7FFF in paths (TS 102 221 §8.4.2). */
static int first_adf(const struct sim_card *c)
{
	int i;

	for (i = 0; i < (int)SIM_MAX_FILES; i++)
		if (c->files[i].used && c->files[i].type == SIM_ADF)
			return i;
	return -1;
}

/* Path from the MF, without 3F00; 7FFF is the ADF. */
int sim_fs_by_path(const struct sim_card *c, const uint16_t *path, unsigned n)
{
	int cur = sim_fs_mf(c);
	unsigned i;

	for (i = 0; i < n && cur >= 0; i++) {
		if (i == 0 && path[0] == 0x3F00)
			continue;
		if (path[i] == 0x7FFF)
			cur = first_adf(c);
		else
			cur = sim_fs_child(c, cur, path[i]);
	}
	return cur;
}

/* "3F00/7FFF/6F07" or "7FFF/6F07" */
int sim_fs_by_path_str(const struct sim_card *c, const char *path)
{
	uint16_t p[8];
	unsigned n = 0;
	const char *s = path;

	while (*s && n < 8) {
		char *end;
		unsigned long v = strtoul(s, &end, 16);

		if (end == s || v > 0xFFFF)
			return -1;
		p[n++] = (uint16_t)v;
		s = end;
		if (*s == '/')
			s++;
		else if (*s)
			return -1;
	}
	return sim_fs_by_path(c, p, n);
}

int sim_fs_path_str(const struct sim_card *c, int f, char *out, size_t cap)
{
	int chain[8], n = 0, i;
	size_t pos = 0;

	while (f >= 0 && n < 8) {
		chain[n++] = f;
		f = c->files[f].parent;
	}
	if (cap)
		out[0] = '\0';
	for (i = n - 1; i >= 0; i--) {
		int w;
		uint16_t fid = c->files[chain[i]].type == SIM_ADF ? 0x7FFF : c->files[chain[i]].fid;

		w = snprintf(out + pos, cap - pos, "%s%04X", i == n - 1 ? "" : "/", fid);
		if (w < 0 || (size_t)w >= cap - pos)
			return -1;
		pos += (size_t)w;
	}
	return 0;
}

uint16_t sim_fs_size(const struct sim_card *c, int f)
{
	int o = c->files[f].nv;

	return o >= 0 ? c->nv.obj[o].size : 0;
}

uint8_t *sim_fs_data(struct sim_card *c, int f)
{
	int o = c->files[f].nv;

	return o >= 0 ? c->nv.obj[o].data : NULL;
}

/* ---- FCP (TS 102 221 §11.1.1.3) ---------------------------------------- */

struct wbuf {
	uint8_t *p;
	uint16_t cap, len;
	int err;
};

static void put(struct wbuf *w, const uint8_t *b, uint16_t n)
{
	if (w->cap - w->len < n) {
		w->err = 1;
		return;
	}
	memcpy(w->p + w->len, b, n);
	w->len = (uint16_t)(w->len + n);
}

static void put_tlv(struct wbuf *w, uint8_t tag, const uint8_t *v, uint8_t n)
{
	uint8_t h[2] = {tag, n};

	put(w, h, 2);
	put(w, v, n);
}

static uint32_t free_memory(const struct sim_card *c)
{
	uint32_t used = 0;
	unsigned i;

	for (i = 0; i < SIM_NV_MAX_OBJ; i++)
		used += c->nv.obj[i].size;
	return used < 0x40000u ? 0x40000u - used : 0; /* a 256 KiB card */
}

/* PIN status template DO (§9.5.2): PS_DO bitmap, then the key references. */
static void put_c6(struct sim_card *c, struct wbuf *w, int f)
{
	uint8_t v[32];
	uint8_t n = 3, bitmap = 0, bit = 0x80;
	unsigned i;

	for (i = 0; i < c->n_pins && (size_t)n + 3 <= sizeof(v); i++) {
		const struct sim_pin *p = &c->pins[i];
		int local = (p->ref & 0x80) != 0;

		/* MF lists the global PINs and ADMs; an ADF its local PIN2 as well */
		if (local && c->files[f].type != SIM_ADF)
			continue;
		if (p->ref == 0x0A || p->ref == 0x01 || local) {
			if (p->enabled)
				bitmap |= bit;
			bit = (uint8_t)(bit >> 1);
			v[n++] = 0x83;
			v[n++] = 0x01;
			v[n++] = p->ref;
		}
	}
	v[0] = 0x90;
	v[1] = 0x01;
	v[2] = bitmap;
	put_tlv(w, 0xC6, v, n);
}

int sim_fs_fcp(struct sim_card *c, int fi, uint8_t *out, uint16_t cap)
{
	struct sim_file *f = &c->files[fi];
	struct wbuf w = {out, cap, 2, 0};
	uint8_t v[16];

	if (cap < 2)
		return -1;
	if (f->type == SIM_EF) {
		uint8_t fdb = (uint8_t)((f->shareable ? 0x40 : 0) | f->structure);

		v[0] = fdb;
		v[1] = 0x21; /* data coding byte */
		if (f->structure == SIM_TRANSPARENT) {
			put_tlv(&w, 0x82, v, 2);
		} else {
			v[2] = (uint8_t)(f->rec_len >> 8);
			v[3] = (uint8_t)f->rec_len;
			v[4] = f->n_rec;
			put_tlv(&w, 0x82, v, 5);
		}
	} else {
		v[0] = 0x78; /* shareable DF */
		v[1] = 0x21;
		put_tlv(&w, 0x82, v, 2);
	}
	v[0] = (uint8_t)(f->fid >> 8);
	v[1] = (uint8_t)f->fid;
	put_tlv(&w, 0x83, v, 2);
	if (f->type == SIM_ADF)
		put_tlv(&w, 0x84, f->aid, f->aid_len);
	if (f->type != SIM_EF) {
		/* proprietary: UICC characteristics (MF), available memory */
		uint8_t a[12];
		uint8_t n = 0;
		uint32_t mem = free_memory(c);

		if (f->type == SIM_MF) {
			a[n++] = 0x80;
			a[n++] = 0x01;
			a[n++] = 0x71; /* clock stop allowed, 3V/1.8V (§11.1.1.4.6.1) */
		}
		a[n++] = 0x83;
		a[n++] = 0x04;
		a[n++] = (uint8_t)(mem >> 24);
		a[n++] = (uint8_t)(mem >> 16);
		a[n++] = (uint8_t)(mem >> 8);
		a[n++] = (uint8_t)mem;
		put_tlv(&w, 0xA5, a, n);
	}
	v[0] = f->lcsi;
	put_tlv(&w, 0x8A, v, 1);
	v[0] = (uint8_t)(f->arr_fid >> 8);
	v[1] = (uint8_t)f->arr_fid;
	v[2] = f->arr_rec;
	put_tlv(&w, 0x8B, v, 3);
	if (f->type == SIM_EF) {
		uint16_t size = sim_fs_size(c, fi);

		v[0] = (uint8_t)(size >> 8);
		v[1] = (uint8_t)size;
		put_tlv(&w, 0x80, v, 2);
		v[0] = (uint8_t)(f->sfi << 3);
		put_tlv(&w, 0x88, v, f->sfi ? 1 : 0);
	} else {
		put_c6(c, &w, fi);
	}
	if (w.err || w.len - 2 > 0x7F)
		return -1;
	out[0] = 0x62;
	out[1] = (uint8_t)(w.len - 2);
	return w.len;
}
