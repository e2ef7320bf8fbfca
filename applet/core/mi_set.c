/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_set.c
 *  A/B set selection at reset (mi_ef.h): check each bank of CFG, SLOTS and
 *  RULES through the port in small chunks (header, CRC, then the body's own
 *  rules), pick the highest seq for which all three are valid, and load the
 *  few facts the engine keeps in RAM. No valid set: safe mode.
 */
#include "mi_engine_int.h"

static const mi_u8 mi_set_type[3] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};

static int mi_set_read(struct mi_applet *a, enum mi_file f, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	return mi_port_file_read(a->port, f, off, buf, len);
}

/* CFG body: the codec's decoder is the whole check. */
static int mi_set_cfg(struct mi_applet *a, enum mi_file f, mi_u16 body_len, mi_bool apply)
{
	struct mi_cfg cfg;
	mi_u8 *b = a->ram->cmd;
	int rc;

	if (body_len < MI_CFG_BODY_LEN)
		return MI_ERR_TRUNCATED;
	rc = mi_set_read(a, f, MI_EF_HDR_LEN, b, MI_CFG_BODY_LEN);
	if (rc >= 0) /* the decoder writes its output only when it succeeds */
		rc = mi_cfg_decode(b, MI_CFG_BODY_LEN, apply ? &a->ram->cfg : &cfg);
	return rc < 0 ? rc : MI_OK;
}

/* SLOTS body: n records, ascending slot numbers, ending exactly at body_len. */
static int mi_set_slots(struct mi_applet *a, enum mi_file f, mi_u16 body_len, mi_bool apply)
{
	mi_u8 *b = a->ram->cmd;
	mi_u16 off = MI_EF_HDR_LEN + 1u, end = (mi_u16)(MI_EF_HDR_LEN + body_len), n;
	mi_u8 k, count, prev = 0, slot;
	int rc;

	if (body_len < 1u)
		return MI_ERR_TRUNCATED;
	rc = mi_set_read(a, f, MI_EF_HDR_LEN, b, 1);
	if (rc < 0)
		return rc;
	count = b[0];
	if (count < 1u || count > MI_MAX_SLOTS)
		return MI_ERR_RANGE;
	for (k = 0; k < count; k++) {
		n = (mi_u16)(end - off);
		if (n > MI_CMD_BUF)
			n = MI_CMD_BUF;
		rc = mi_set_read(a, f, off, b, n);
		if (rc >= 0)
			rc = mi_slot_check(b, n);
		if (rc < 0)
			return rc;
		slot = b[0]; /* checked: 1..10 */
		if (slot <= prev)
			return MI_ERR_FORMAT; /* ascending, no duplicates */
		prev = slot;
		if (apply) {
			a->ram->slot_off[slot - 1u] = off;
			if (!(b[1] & MI_SLOT_F_DISABLED))
				a->ram->enabled |= MI_BIT(slot);
			if (b[1] & MI_SLOT_F_BOOTSTRAP)
				a->ram->bootstrap |= MI_BIT(slot);
		}
		off = (mi_u16)(off + (mi_u16)rc);
	}
	return off == end ? MI_OK : MI_ERR_LENGTH;
}

/* RULES body: counts agree with the length, profiles decode, keys ascend. */
static int mi_set_rules(struct mi_applet *a, enum mi_file f, mi_u16 body_len, mi_bool apply)
{
	struct mi_profile p;
	struct mi_rule r;
	mi_u8 h[MI_RULES_FIXED];
	mi_u32 prev = 0;
	mi_u16 np, nr, i, off;
	int rc;

	if (body_len < MI_RULES_FIXED)
		return MI_ERR_TRUNCATED;
	rc = mi_set_read(a, f, MI_EF_HDR_LEN, h, MI_RULES_FIXED);
	if (rc < 0)
		return rc;
	np = h[0];
	nr = MI_GET_U16_BE(h, 2);
	if (np < 1u || h[1] >= np || nr > MI_RULES_MAX)
		return MI_ERR_RANGE;
	/* at most 4 + 7 * 255 + 4 * 2048 = 9981: 16-bit arithmetic is enough */
	if ((mi_u16)(MI_RULES_FIXED + MI_PROFILE_LEN * np + MI_RULE_LEN * nr) != body_len)
		return MI_ERR_LENGTH;
	if (apply) {
		a->ram->rules_np = (mi_u8)np;
		a->ram->rules_global = h[1];
		a->ram->rules_nr = nr;
	}
	off = MI_EF_HDR_LEN + MI_RULES_FIXED;
	for (i = 0; i < np; i++, off = (mi_u16)(off + MI_PROFILE_LEN)) {
		rc = mi_profile_at(a, f, off, &p);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < nr; i++, off = (mi_u16)(off + MI_RULE_LEN)) {
		rc = mi_rule_at(a, f, off, &r);
		if (rc < 0)
			return rc;
		if ((i > 0u && r.key <= prev) || r.profile >= np)
			return MI_ERR_FORMAT;
		prev = r.key;
	}
	return MI_OK;
}

/* Header and CRC of a DF.MIMSI file (mi_ef.h), read through the port in
 * chunks of the scratch buffer: magic, \a type, version, length within the
 * EF, CRC-32 over header bytes 0..9 and the body.
 * \returns the body length and *seq, or the first problem found. */
int mi_file_check(struct mi_applet *a, enum mi_file f, mi_u8 type, mi_u32 *seq)
{
	mi_u8 *b = a->ram->cmd, h[MI_EF_HDR_LEN];
	mi_u32 crc, want;
	mi_u16 body_len, off, end, n;
	mi_s32 size = mi_port_file_size(a->port, f);
	int rc;

	if (size < (mi_s32)MI_EF_HDR_LEN)
		return size < 0 ? (int)size : MI_ERR_TRUNCATED;
	rc = mi_set_read(a, f, 0, h, MI_EF_HDR_LEN);
	if (rc < 0)
		return rc;
	if (h[0] != MI_EF_MAGIC0 || h[1] != MI_EF_MAGIC1 || h[2] != type)
		return MI_ERR_FORMAT;
	if (h[3] != MI_EF_VERSION)
		return MI_ERR_VERSION;
	body_len = MI_GET_U16_BE(h, 4);
	if ((mi_s32)MI_EF_HDR_LEN + (mi_s32)body_len > size || body_len > MI_LEN_MAX)
		return MI_ERR_LENGTH;
	*seq = MI_GET_U32_BE(h, 6);
	want = MI_GET_U32_BE(h, 10);
	crc = mi_crc32(0, h, 10);
	end = (mi_u16)(MI_EF_HDR_LEN + body_len);
	for (off = MI_EF_HDR_LEN; off < end; off = (mi_u16)(off + n)) {
		n = (mi_u16)(end - off);
		if (n > MI_CMD_BUF)
			n = MI_CMD_BUF;
		rc = mi_set_read(a, f, off, b, n);
		if (rc < 0)
			return rc;
		crc = mi_crc32(crc, b, n);
	}
	return crc == want ? (int)body_len : MI_ERR_CRC;
}

/* One bank, file \a i of the six (kind * 2 + bank, enum mi_file order from
 * MI_FILE_CFG_A): header and CRC, then the body's own rules. */
static int mi_set_check(struct mi_applet *a, mi_u8 i, mi_bool apply, mi_u32 *seq)
{
	enum mi_file f = (enum mi_file)(MI_FILE_CFG_A + i);
	mi_u8 kind = (mi_u8)(i >> 1);
	int rc = mi_file_check(a, f, mi_set_type[kind], seq);

	if (rc < 0)
		return rc;
	if (kind == 0u)
		return mi_set_cfg(a, f, (mi_u16)rc, apply);
	if (kind == 1u)
		return mi_set_slots(a, f, (mi_u16)rc, apply);
	return mi_set_rules(a, f, (mi_u16)rc, apply);
}

/* Fills ram->cfg, slots, rules, banks, set_seq and mode.
 * \returns MI_OK with a valid set, MI_ERR_NOT_FOUND in safe mode. */
int mi_set_load(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;
	mi_u32 seq[6], best = 0;
	mi_u8 ok = 0, i, kind, b, c, pick, banks = 0, found = 0;

	for (i = 0; i < 6u; i++) /* bit i: file i passed its check */
		if (mi_set_check(a, i, MI_FALSE, &seq[i]) == MI_OK)
			ok |= (mi_u8)(1u << i);
	/* the highest seq that CFG, SLOTS and RULES all carry in a valid bank;
	 * without one (safe mode) the newest valid CFG and SLOTS banks, if any,
	 * for the bootstrap slots, and no rules */
	for (c = 0; c < 2u; c++) {
		if (!(ok & (1u << c)) || (found && seq[c] <= best))
			continue;
		pick = c;
		for (kind = 1; kind < 3u; kind++) {
			i = (mi_u8)(kind * 2u);
			for (b = 0; b < 2u && !((ok & (1u << (i + b))) && seq[i + b] == seq[c]);
			     b++)
				;
			if (b == 2u)
				break;
			pick |= (mi_u8)(b << kind);
		}
		if (kind == 3u) { /* every kind has a bank with that seq */
			found = 1;
			best = seq[c];
			banks = pick;
		}
	}
	mi_cfg_defaults(&r->cfg);
	r->mode = found ? MI_MODE_RULES : MI_MODE_SAFE;
	r->set_seq = best;
	for (kind = 0; kind < (found ? 3u : 2u); kind++) {
		i = (mi_u8)(kind * 2u);
		b = (mi_u8)((mi_u8)(banks >> kind) & 1u);
		if (!found) {
			c = (mi_u8)((mi_u8)(ok >> i) & 3u); /* the valid banks of this kind */
			if (!c)
				continue;
			b = (mi_u8)(c == 2u || (c == 3u && seq[i + 1u] > seq[i]));
		}
		r->banks |= (mi_u8)(b << kind);
		(void)mi_set_check(a, (mi_u8)(i + b), MI_TRUE, &seq[i + b]);
	}
	r->set_sig = mi_set_sig(a);
	return found ? MI_OK : MI_ERR_NOT_FOUND;
}

/* "Has a bank changed?": the CRC-32 of the six bank headers' CRC-32 fields
 * (bytes 10..13; each covers its seq too). A writer puts each header last
 * (mi_ef.h), so a new or changed file changes it; reading 4 bytes per bank
 * is cheap enough for every event (mi_adopt.c). Absent files count as
 * nothing. */
mi_u32 mi_set_sig(struct mi_applet *a)
{
	mi_u8 h[4], i;
	mi_u32 sig = 0;

	for (i = 0; i < 6u; i++)
		if (mi_set_read(a, (enum mi_file)(MI_FILE_CFG_A + i), 10, h, 4) >= 0)
			sig = mi_crc32(sig, h, 4);
	return sig;
}
