/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_ef.c
 *  The EF format of mi_ef.h: mi_ef_check on the file, then the body
 *  decoders of its type (mi_cfg_decode, mi_slot_decode and mi_slot_check
 *  for every record,
 *  mi_profile_decode / mi_rule_decode for the RULES tables).
 *
 *  Input: byte 0 chooses the mode, the rest is the data.
 *    bit 7 clear: the data is a whole file, checked as it is (a fuzzer
 *                 rarely forges a CRC, so this mostly covers the header);
 *    bit 7 set:   the data is a body; it is sealed with type (bits 0..1) + 1
 *                 and seq 1, and the sealed file must pass mi_ef_check.
 *  Properties: check returns 14 + body_len <= len; every decoded record
 *  re-encodes to the same bytes; records never run past the body.
 */
#include <string.h>

#include "fuzz.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MODE_SEAL 0x80u

static void body_cfg(const mi_u8 *b, mi_u16 len)
{
	struct mi_cfg c;
	mi_u8 back[MI_CFG_BODY_LEN];
	int n;

	n = mi_cfg_decode(b, len, &c);
	if (n < 0) {
		FUZZ_ASSERT(n == MI_ERR_TRUNCATED || n == MI_ERR_RANGE);
		return;
	}
	FUZZ_ASSERT(n == (int)MI_CFG_BODY_LEN && len >= MI_CFG_BODY_LEN);
	FUZZ_ASSERT(mi_cfg_encode(&c, back, sizeof(back)) == (int)MI_CFG_BODY_LEN);
	/* bytes 11..15 are RFU: ignored on reading, written as 00 */
	FUZZ_ASSERT(memcmp(back, b, 11) == 0);
	FUZZ_ASSERT(mi_cfg_encode(&c, back, MI_CFG_BODY_LEN - 1u) == MI_ERR_CAPACITY);
}

static void body_slots(const mi_u8 *b, mi_u16 len)
{
	struct mi_slot s;
	mi_u8 back[MI_SLOT_REC_FIXED + 5u * MI_MAX_OPLMN + 3u * MI_MAX_FPLMN];
	mi_u16 off = 1;
	mi_u8 i, n_rec;
	int n;

	if (len < 1u)
		return;
	n_rec = b[0];
	for (i = 0; i < n_rec && off < len; i++) {
		n = mi_slot_decode(b + off, (mi_u16)(len - off), &s);
		if (n < 0) {
			FUZZ_ASSERT(n == MI_ERR_TRUNCATED || n == MI_ERR_LENGTH ||
				    n == MI_ERR_RANGE);
			FUZZ_ASSERT(mi_slot_check(b + off, (mi_u16)(len - off)) == n);
			return;
		}
		FUZZ_ASSERT(n >= (int)MI_SLOT_REC_FIXED && n <= (int)(len - off));
		FUZZ_ASSERT(n == (int)(MI_SLOT_REC_FIXED + 5u * s.n_oplmn + 3u * s.n_fplmn +
				       ((s.flags & MI_SLOT_F_EHPLMN) ? 1u + 3u * s.n_ehplmn : 0u)));
		/* the applet's check without the copy agrees */
		FUZZ_ASSERT(mi_slot_check(b + off, (mi_u16)(len - off)) == n);
		FUZZ_ASSERT(s.slot >= 1u && s.slot <= MI_MAX_SLOTS);
		FUZZ_ASSERT(mi_slot_encode(&s, back, sizeof(back)) == n);
		FUZZ_ASSERT(memcmp(back, b + off, (size_t)n) == 0);
		FUZZ_ASSERT(mi_slot_encode(&s, back, (mi_u16)(n - 1)) == MI_ERR_CAPACITY);
		off = (mi_u16)(off + (mi_u16)n);
	}
}

static void body_rules(const mi_u8 *b, mi_u16 len)
{
	struct mi_profile p;
	struct mi_rule r;
	mi_u8 back[MI_PROFILE_LEN];
	mi_u16 off = MI_RULES_FIXED, nr, i;
	mi_u8 np, k;
	int n;

	if (len < MI_RULES_FIXED)
		return;
	np = b[0];
	nr = MI_GET_U16_BE(b, 2);
	for (i = 0; i < np; i++) {
		n = mi_profile_decode(b + off, (mi_u16)(len - off), &p);
		if (n < 0) {
			FUZZ_ASSERT(n == MI_ERR_TRUNCATED || n == MI_ERR_RANGE);
			return;
		}
		FUZZ_ASSERT(n == (int)MI_PROFILE_LEN && p.n_pref <= MI_MAX_SLOTS);
		for (k = 0; k < p.n_pref; k++)
			FUZZ_ASSERT(p.pref[k] >= 1u && p.pref[k] <= MI_MAX_SLOTS);
		FUZZ_ASSERT(mi_profile_encode(&p, back, sizeof(back)) == n);
		FUZZ_ASSERT(memcmp(back, b + off, MI_PROFILE_LEN) == 0);
		off = (mi_u16)(off + MI_PROFILE_LEN);
	}
	for (i = 0; i < nr; i++) {
		n = mi_rule_decode(b + off, (mi_u16)(len - off), &r);
		if (n < 0) {
			FUZZ_ASSERT(n == MI_ERR_TRUNCATED || n == MI_ERR_RANGE);
			return;
		}
		FUZZ_ASSERT(n == (int)MI_RULE_LEN && r.key <= 0xFFFFFFu);
		FUZZ_ASSERT(mi_rule_encode(&r, back, sizeof(back)) == n);
		FUZZ_ASSERT(memcmp(back, b + off, MI_RULE_LEN) == 0);
		off = (mi_u16)(off + MI_RULE_LEN);
	}
}

static void check_file(const mi_u8 *file, mi_u16 len, mi_bool must_pass)
{
	struct mi_ef_header h;
	int n;

	n = mi_ef_check(file, len, 0, &h);
	if (n < 0) {
		FUZZ_ASSERT(!must_pass);
		return;
	}
	FUZZ_ASSERT(n == (int)(MI_EF_HDR_LEN + h.body_len) && n <= (int)len);
	FUZZ_ASSERT(h.version == MI_EF_VERSION);
	FUZZ_ASSERT(h.type >= MI_EF_TYPE_CFG && h.type <= MI_EF_TYPE_STATE);
	/* the same file checked for another type is refused */
	FUZZ_ASSERT(mi_ef_check(file, len, (mi_u8)(h.type % 4u + 1u), NULL) == MI_ERR_TAG);
	/* cut one byte of body: refused */
	if (h.body_len > 0u)
		FUZZ_ASSERT(mi_ef_check(file, (mi_u16)(n - 1), 0, NULL) == MI_ERR_LENGTH);
	switch (h.type) {
	case MI_EF_TYPE_CFG:
		body_cfg(file + MI_EF_HDR_LEN, h.body_len);
		break;
	case MI_EF_TYPE_SLOTS:
		body_slots(file + MI_EF_HDR_LEN, h.body_len);
		break;
	case MI_EF_TYPE_RULES:
		body_rules(file + MI_EF_HDR_LEN, h.body_len);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mi_u8 *file;
	mi_u16 body_len;
	mi_u8 type;
	int n;

	if (size < 1u || size > MI_LEN_MAX - MI_EF_HDR_LEN)
		return 0;
	if ((data[0] & MODE_SEAL) == 0u) {
		check_file(data + 1, (mi_u16)(size - 1u), MI_FALSE);
		return 0;
	}
	type = (mi_u8)((data[0] & 0x03u) + 1u);
	body_len = (mi_u16)(size - 1u);
	/* exact heap block: any read past the sealed file is an ASan report */
	file = malloc(MI_EF_HDR_LEN + (size_t)body_len);
	FUZZ_ASSERT(file != NULL);
	memcpy(file + MI_EF_HDR_LEN, data + 1, body_len);
	FUZZ_ASSERT(mi_ef_seal(file, (mi_u16)(MI_EF_HDR_LEN + body_len - 1u), type, 1,
			       body_len) == MI_ERR_CAPACITY);
	n = mi_ef_seal(file, (mi_u16)(MI_EF_HDR_LEN + body_len), type, 1, body_len);
	FUZZ_ASSERT(n == (int)(MI_EF_HDR_LEN + body_len));
	check_file(file, (mi_u16)n, MI_TRUE);
	/* one flipped body bit breaks the CRC */
	if (body_len > 0u) {
		file[MI_EF_HDR_LEN] ^= 0x01u;
		FUZZ_ASSERT(mi_ef_check(file, (mi_u16)n, 0, NULL) == MI_ERR_CRC);
	}
	free(file);
	return 0;
}
