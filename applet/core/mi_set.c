/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_set.c
 *  The A/B active-set rule (mi_set.h), shared by the applet and the host
 *  tools: check each bank of CFG, SLOTS and RULES in small chunks (header,
 *  CRC, then the body's own rules), pick the highest seq for which all three
 *  are valid; no such set: safe mode. Nothing here touches the port:
 *  host tools link it alone (mi_set_port.c is the applet's side).
 */
#include "mimsi/mi_set.h"
#include "mi_set_int.h"

/* CRC chunk: a power of two (a mask, no division) within MI_CMD_BUF */
#define MI_CHECK_CHUNK 128u

static const mi_u8 mi_set_type[3] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};

static MI_NOINLINE int mi_set_rd(const struct mi_files *fs, mi_u8 f, mi_u16 off, mi_u8 *buf,
				 mi_u16 len)
{
	return fs->read(fs->port, (enum mi_file)f, off, buf, len); /* one call site */
}

/* CFG body: the codec's decoder is the whole check. */
static int mi_set_cfg(const struct mi_files *fs, mi_u8 f, mi_u16 body_len, struct mi_ram *r)
{
	struct mi_cfg cfg;
	int rc;

	if (body_len < MI_CFG_BODY_LEN)
		return MI_ERR_TRUNCATED;
	rc = mi_set_rd(fs, f, MI_EF_HDR_LEN, fs->scratch, MI_CFG_BODY_LEN);
	if (rc >= 0) /* the decoder writes its output only when it succeeds */
		rc = mi_cfg_decode(fs->scratch, MI_CFG_BODY_LEN, r ? &r->cfg : &cfg);
	return rc < 0 ? rc : MI_OK;
}

/* SLOTS body: n records, ascending slot numbers, ending exactly at body_len. */
static int mi_set_slots(const struct mi_files *fs, mi_u8 f, mi_u16 body_len, struct mi_ram *r)
{
	mi_u8 *b = fs->scratch;
	mi_u16 off = MI_EF_HDR_LEN + 1u, end = (mi_u16)(MI_EF_HDR_LEN + body_len), n;
	mi_u8 k, count, prev = 0, slot;
	int rc;

	if (body_len < 1u)
		return MI_ERR_TRUNCATED;
	rc = mi_set_rd(fs, f, MI_EF_HDR_LEN, b, 1);
	if (rc < 0)
		return rc;
	count = b[0];
	if (count < 1u || count > MI_MAX_SLOTS)
		return MI_ERR_RANGE;
	for (k = 0; k < count; k++) {
		n = (mi_u16)(end - off);
		if (n > MI_CMD_BUF)
			n = MI_CMD_BUF;
		rc = mi_set_rd(fs, f, off, b, n);
		if (rc >= 0)
			rc = mi_slot_check(b, n);
		if (rc < 0)
			return rc;
		slot = b[0]; /* checked: 1..10 */
		if (slot <= prev)
			return MI_ERR_FORMAT; /* ascending, no duplicates */
		prev = slot;
		if (r) {
			r->slot_off[slot - 1u] = off;
			if (!(b[1] & MI_SLOT_F_DISABLED))
				r->enabled |= MI_BIT(slot);
			if (b[1] & MI_SLOT_F_BOOTSTRAP)
				r->bootstrap |= MI_BIT(slot);
		}
		off = (mi_u16)(off + (mi_u16)rc);
	}
	return off == end ? MI_OK : MI_ERR_LENGTH;
}

/* RULES body: counts agree with the length, profiles decode, keys ascend. */
static int mi_set_rules(const struct mi_files *fs, mi_u8 f, mi_u16 body_len, struct mi_ram *r)
{
	union {
		struct mi_profile p;
		struct mi_rule r;
	} u;
	mi_u8 *h = fs->scratch;
	mi_u32 prev = 0;
	mi_u16 np, nr, i, off;
	int rc;

	if (body_len < MI_RULES_FIXED)
		return MI_ERR_TRUNCATED;
	rc = mi_set_rd(fs, f, MI_EF_HDR_LEN, h, MI_RULES_FIXED);
	if (rc < 0)
		return rc;
	np = h[0];
	nr = MI_GET_U16_BE(h, 2);
	if (np < 1u || h[1] >= np || nr > MI_RULES_MAX)
		return MI_ERR_RANGE;
	/* at most 4 + 7 * 255 + 4 * 2048 = 9981: 16-bit arithmetic is enough */
	if ((mi_u16)(MI_RULES_FIXED + MI_PROFILE_LEN * np + MI_RULE_LEN * nr) != body_len)
		return MI_ERR_LENGTH;
	if (r) {
		r->rules_np = (mi_u8)np;
		r->rules_global = h[1];
		r->rules_nr = nr;
	}
	off = MI_EF_HDR_LEN + MI_RULES_FIXED;
	for (i = 0; i < (mi_u16)(np + nr); i++) {
		mi_u8 len = i < np ? MI_PROFILE_LEN : MI_RULE_LEN;

		rc = mi_set_rd(fs, f, off, h, len);
		off = (mi_u16)(off + len);
		if (rc >= 0)
			rc =
			    i < np ? mi_profile_decode(h, len, &u.p) : mi_rule_decode(h, len, &u.r);
		if (rc < 0)
			return rc;
		if (i >= np) {
			if ((i > np && u.r.key <= prev) || u.r.profile >= np)
				return MI_ERR_FORMAT;
			prev = u.r.key;
		}
	}
	return MI_OK;
}

int mi_files_check(const struct mi_files *fs, mi_u8 f, mi_u8 type, struct mi_bank_tag *tag)
{
	mi_u8 *b = fs->scratch, h[MI_EF_HDR_LEN];
	mi_u32 crc, want;
	mi_u16 body_len, off, end, n = 0;
	mi_u8 id_len;
	mi_s32 size = fs->size(fs->port, (enum mi_file)f);
	int rc;

	if (size < (mi_s32)MI_EF_HDR_LEN)
		return size < 0 ? (int)size : MI_ERR_TRUNCATED;
	rc = mi_set_rd(fs, f, 0, h, MI_EF_HDR_LEN);
	if (rc < 0)
		return rc;
	if (h[0] != MI_EF_MAGIC0 || h[1] != MI_EF_MAGIC1 || h[2] != type)
		return MI_ERR_FORMAT;
	id_len = (mi_u8)((h[3] - MI_EF_VERSION) << 2); /* version 2: a 4-byte set id */
	if (id_len > MI_EF_SET_ID_LEN)
		return MI_ERR_VERSION;
	body_len = MI_GET_U16_BE(h, 4);
	if ((mi_s32)MI_EF_HDR_LEN + (mi_s32)body_len > size || body_len > MI_LEN_MAX ||
	    body_len < id_len)
		return MI_ERR_LENGTH;
	tag->seq = MI_GET_U32_BE(h, 6);
	want = MI_GET_U32_BE(h, 10);
	crc = mi_crc32(0, h, 10);
	end = (mi_u16)(MI_EF_HDR_LEN + body_len);
	/* the first chunk takes the remainder, so the last one is whole and
	 * ends with the body's last 4 bytes (a set id) */
	for (off = MI_EF_HDR_LEN; off < end; off = (mi_u16)(off + n)) {
		n = (mi_u16)(((mi_u16)(end - off - 1u) & (MI_CHECK_CHUNK - 1u)) + 1u);
		rc = mi_set_rd(fs, f, off, b, n);
		if (rc < 0)
			return rc;
		crc = mi_crc32(crc, b, n);
	}
	if (crc != want)
		return MI_ERR_CRC;
	/* version 2: the set id closes the body (mi_ef.h); the records end
	 * before it */
	tag->id = id_len ? MI_GET_U32_BE(b, n - MI_EF_SET_ID_LEN) : 0u;
	return (int)(body_len - id_len);
}

int mi_set_bank_check(const struct mi_files *fs, mi_u8 i, struct mi_ram *apply,
		      struct mi_bank_tag *tag)
{
	mi_u8 f = (mi_u8)(MI_FILE_CFG_A + i), kind = (mi_u8)(i >> 1);
	int rc = mi_files_check(fs, f, mi_set_type[kind], tag);

	if (rc < 0)
		return rc;
	if (kind == 0u)
		return mi_set_cfg(fs, f, (mi_u16)rc, apply);
	if (kind == 1u)
		return mi_set_slots(fs, f, (mi_u16)rc, apply);
	return mi_set_rules(fs, f, (mi_u16)rc, apply);
}

int mi_set_pick(const struct mi_files *fs, struct mi_set_pick *o)
{
	struct mi_bank_tag *t = o->tag;
	mi_u8 i, kind, b, c, pick, ok = 0;

	o->use = 0;
	o->banks = 0;
	o->set_seq = 0;
	for (i = 0; i < 6u; i++) /* bit i of ok: bank i is valid */
		if (mi_set_bank_check(fs, i, (struct mi_ram *)0, &t[i]) == MI_OK)
			ok |= (mi_u8)(1u << i);
	o->valid = ok;
	/* the highest seq that CFG, SLOTS and RULES all carry in a valid bank,
	 * under one set id */
	for (c = 0; c < 2u; c++) {
		const struct mi_bank_tag *tc = &t[c];

		if (!(ok & (1u << c)) || (o->use && tc->seq <= o->set_seq))
			continue;
		pick = c;
		for (kind = 1; kind < 3u; kind++) {
			for (b = 0; b < 2u; b++) {
				i = (mi_u8)(kind * 2u + b);
				if ((ok & (1u << i)) && t[i].seq == tc->seq && t[i].id == tc->id)
					break;
			}
			if (b == 2u)
				break;
			pick |= (mi_u8)(b << kind);
		}
		if (kind == 3u) { /* every kind has a bank with that seq and id */
			o->use = 7u;
			o->set_seq = tc->seq;
			o->banks = pick;
		}
	}
	if (o->use)
		return MI_OK;
	/* safe mode: the newest valid CFG and SLOTS banks, if any; no rules */
	for (kind = 0; kind < 2u; kind++) {
		i = (mi_u8)(kind * 2u);
		c = (mi_u8)((mi_u8)(ok >> i) & 3u);
		if (!c)
			continue;
		b = (mi_u8)(c == 2u || (c == 3u && t[i + 1u].seq > t[i].seq));
		o->banks |= (mi_u8)(b << kind);
		o->use |= (mi_u8)(1u << kind);
	}
	return MI_ERR_NOT_FOUND;
}
