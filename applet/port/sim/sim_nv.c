/* SPDX-License-Identifier: Apache-2.0 */
/* The simulated card's NV with write counting and tear injection. */
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_ef.h"
#include "sim_nv.h"

#define JNL_MAGIC0 0x4Au /* 'J' */
#define JNL_MAGIC1 0x4Eu /* 'N' */
#define JNL_HDR 4u
#define JNL_ENTRY_HDR 6u

void sim_nv_init(struct sim_nv *nv)
{
	memset(nv, 0, sizeof(*nv));
}

void sim_nv_free(struct sim_nv *nv)
{
	unsigned i;

	sim_nv_capture_abort(nv);
	for (i = 0; i < SIM_NV_MAX_OBJ; i++)
		sim_nv_release(nv, i);
}

int sim_nv_alloc(struct sim_nv *nv, unsigned id, uint16_t size, uint8_t fill)
{
	uint8_t *p;

	if (id >= SIM_NV_MAX_OBJ || nv->obj[id].data)
		return -1;
	p = malloc(size ? size : 1u);
	if (!p)
		return -1;
	memset(p, fill, size ? size : 1u);
	nv->obj[id].data = p;
	nv->obj[id].size = size;
	return 0;
}

int sim_nv_alloc_file(struct sim_nv *nv, uint16_t size, uint8_t fill)
{
	unsigned i;

	for (i = SIM_NV_OBJ_FIRST_FILE; i < SIM_NV_MAX_OBJ; i++)
		if (!nv->obj[i].data)
			return sim_nv_alloc(nv, i, size, fill) == 0 ? (int)i : -1;
	return -1;
}

void sim_nv_release(struct sim_nv *nv, unsigned id)
{
	if (id >= SIM_NV_MAX_OBJ)
		return;
	free(nv->obj[id].data);
	nv->obj[id].data = NULL;
	nv->obj[id].size = 0;
}

/* A captured write: redo entry in journal form, undo entry with the bytes
 * it replaces, then the RAM view. No NV write happens. */
static int capture(struct sim_nv *nv, unsigned id, uint16_t off, const uint8_t *src, uint16_t len)
{
	uint8_t *o = nv->obj[id].data;

	if (id == SIM_NV_OBJ_JOURNAL || id == SIM_NV_OBJ_JFLAG ||
	    nv->cap_redo_len + JNL_ENTRY_HDR + len + 4u > SIM_NV_JOURNAL_SIZE ||
	    nv->cap_undo_len + JNL_ENTRY_HDR + len > SIM_NV_JOURNAL_SIZE)
		return -1;
	MI_PUT_U16_BE(nv->cap_redo, nv->cap_redo_len, id);
	MI_PUT_U16_BE(nv->cap_redo, nv->cap_redo_len + 2, off);
	MI_PUT_U16_BE(nv->cap_redo, nv->cap_redo_len + 4, len);
	memcpy(nv->cap_redo + nv->cap_redo_len + JNL_ENTRY_HDR, src, len);
	nv->cap_redo_len += JNL_ENTRY_HDR + len;
	MI_PUT_U16_BE(nv->cap_undo, nv->cap_undo_len, id);
	MI_PUT_U16_BE(nv->cap_undo, nv->cap_undo_len + 2, off);
	MI_PUT_U16_BE(nv->cap_undo, nv->cap_undo_len + 4, len);
	memcpy(nv->cap_undo + nv->cap_undo_len + JNL_ENTRY_HDR, o + off, len);
	nv->cap_undo_len += JNL_ENTRY_HDR + len;
	nv->cap_n++;
	memmove(o + off, src, len);
	return 0;
}

int sim_nv_write(struct sim_nv *nv, unsigned id, uint16_t off, const uint8_t *src, uint16_t len)
{
	struct sim_nv_obj *o;

	if (nv->torn)
		return -1;
	if (id >= SIM_NV_MAX_OBJ || !nv->obj[id].data)
		return -1;
	o = &nv->obj[id];
	if ((uint32_t)off + len > o->size)
		return -1;
	if (nv->cap_on)
		return capture(nv, id, off, src, len);
	nv->writes++;
	if (nv->writes <= SIM_NV_LOG)
		nv->wlen[nv->writes - 1] = len;
	if (nv->tear_at && nv->writes == nv->tear_at) {
		/* Power cut inside this write: a prefix lands, then nothing. */
		uint16_t keep = nv->tear_keep < len ? nv->tear_keep : len;

		memmove(o->data + off, src, keep);
		nv->torn = 1;
		return -1;
	}
	memmove(o->data + off, src, len);
	return 0;
}

void sim_nv_tear_arm(struct sim_nv *nv, uint32_t at, uint16_t keep)
{
	nv->writes = 0;
	nv->tear_at = at;
	nv->tear_keep = keep;
}

int sim_nv_journal_valid(const uint8_t *body, size_t len, size_t *used)
{
	size_t pos = JNL_HDR;
	unsigned n, i;
	uint32_t crc;

	if (len < JNL_HDR + 4u || body[0] != JNL_MAGIC0 || body[1] != JNL_MAGIC1)
		return 0;
	n = MI_GET_U16_BE(body, 2);
	for (i = 0; i < n; i++) {
		if (len - pos < JNL_ENTRY_HDR)
			return 0;
		pos += JNL_ENTRY_HDR + MI_GET_U16_BE(body, pos + 4);
		if (pos > len)
			return 0;
	}
	if (len - pos < 4u)
		return 0;
	crc = mi_crc32(0, body, (mi_u16)pos);
	if (crc != MI_GET_U32_BE(body, pos))
		return 0;
	if (used)
		*used = pos + 4u;
	return 1;
}

int sim_nv_journal_apply(struct sim_nv *nv, const uint8_t *body, size_t len)
{
	size_t pos = JNL_HDR;
	unsigned n, i;

	if (!sim_nv_journal_valid(body, len, NULL))
		return -1;
	n = MI_GET_U16_BE(body, 2);
	for (i = 0; i < n; i++) {
		uint16_t id = MI_GET_U16_BE(body, pos);
		uint16_t off = MI_GET_U16_BE(body, pos + 2);
		uint16_t l = MI_GET_U16_BE(body, pos + 4);

		if (sim_nv_write(nv, id, off, body + pos + JNL_ENTRY_HDR, l) != 0)
			return -1;
		pos += JNL_ENTRY_HDR + l;
	}
	return 0;
}

int sim_nv_recover(struct sim_nv *nv)
{
	static const uint8_t clear = 0;
	struct sim_nv_obj *j = &nv->obj[SIM_NV_OBJ_JOURNAL];
	struct sim_nv_obj *f = &nv->obj[SIM_NV_OBJ_JFLAG];
	int replayed = 0;

	nv->torn = 0;
	nv->tear_at = 0;
	if (!j->data || !f->data)
		return 0;
	if (f->data[0] == SIM_NV_JFLAG_COMMITTED) {
		/* Committed but maybe not fully applied: apply again (idempotent). */
		if (sim_nv_journal_apply(nv, j->data, j->size) == 0)
			replayed = 1;
		sim_nv_write(nv, SIM_NV_OBJ_JFLAG, 0, &clear, 1);
	}
	return replayed;
}

int sim_nv_capture_begin(struct sim_nv *nv)
{
	if (nv->cap_on || nv->torn)
		return -1;
	nv->cap_redo = malloc(SIM_NV_JOURNAL_SIZE);
	nv->cap_undo = malloc(SIM_NV_JOURNAL_SIZE);
	if (!nv->cap_redo || !nv->cap_undo) {
		free(nv->cap_redo);
		free(nv->cap_undo);
		nv->cap_redo = nv->cap_undo = NULL;
		return -1;
	}
	nv->cap_redo[0] = JNL_MAGIC0;
	nv->cap_redo[1] = JNL_MAGIC1;
	nv->cap_redo_len = JNL_HDR;
	nv->cap_undo_len = 0;
	nv->cap_n = 0;
	nv->cap_on = 1;
	return 0;
}

/* Put back the before-images, newest first, and close the capture. */
static void capture_undo(struct sim_nv *nv)
{
	size_t *at, pos = 0;
	unsigned i = 0;

	if (!nv->cap_on)
		return;
	at = malloc((nv->cap_n + 1u) * sizeof(*at));
	while (at && pos < nv->cap_undo_len) {
		at[i++] = pos;
		pos += JNL_ENTRY_HDR + MI_GET_U16_BE(nv->cap_undo, pos + 4);
	}
	while (at && i--) {
		const uint8_t *e = nv->cap_undo + at[i];

		memcpy(nv->obj[MI_GET_U16_BE(e, 0)].data + MI_GET_U16_BE(e, 2), e + JNL_ENTRY_HDR,
		       MI_GET_U16_BE(e, 4));
	}
	free(at);
	free(nv->cap_redo);
	free(nv->cap_undo);
	nv->cap_redo = nv->cap_undo = NULL;
	nv->cap_on = 0;
}

void sim_nv_capture_abort(struct sim_nv *nv)
{
	capture_undo(nv);
}

int sim_nv_capture_commit(struct sim_nv *nv)
{
	static const uint8_t flag_on = SIM_NV_JFLAG_COMMITTED, flag_off = 0;
	uint8_t *j;
	size_t len;
	uint16_t n = nv->cap_n;
	int rc;

	if (!nv->cap_on)
		return -1;
	/* keep the redo journal, drop the RAM view: from here on only real,
	 * counted (and tearable) NV writes */
	j = nv->cap_redo;
	len = nv->cap_redo_len;
	nv->cap_redo = NULL;
	capture_undo(nv);
	if (n == 0) {
		free(j);
		return 0;
	}
	MI_PUT_U16_BE(j, 2, n);
	{
		const mi_u32 crc = mi_crc32(0, j, (mi_u16)len);

		MI_PUT_U32_BE(j, len, crc);
	}
	len += 4u;
	rc = (sim_nv_write(nv, SIM_NV_OBJ_JOURNAL, 0, j, (uint16_t)len) == 0 &&
	      sim_nv_write(nv, SIM_NV_OBJ_JFLAG, 0, &flag_on, 1) == 0 &&
	      sim_nv_journal_apply(nv, j, len) == 0 &&
	      sim_nv_write(nv, SIM_NV_OBJ_JFLAG, 0, &flag_off, 1) == 0)
		     ? 0
		     : -1;
	free(j);
	return rc;
}
