/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_ef.c
 *  The EF format of mi_ef.h: header check/seal, CFG, slot records,
 *  profiles, rules, paths; every error path; and the worked files of
 *  test-vectors/ef/ (decoded and compared field by field, then re-encoded
 *  byte for byte).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_port.h"
#include "vec.h"

#define GUARD 0xA5u

/* ---- header ------------------------------------------------------------ */

static int make_file(mi_u8 *file, mi_u16 cap, mi_u8 type, mi_u32 seq, mi_u16 body_len)
{
	mi_u16 i;

	for (i = 0; i < body_len; i++)
		file[MI_EF_HDR_LEN + i] = (mi_u8)(i * 13u + 1u);
	return mi_ef_seal(file, cap, type, seq, body_len);
}

static void test_seal_check_roundtrip(void **state)
{
	mi_u8 file[64];
	struct mi_ef_header h;

	(void)state;
	assert_int_equal(make_file(file, sizeof(file), MI_EF_TYPE_SLOTS, 0x01020304UL, 20), 34);
	assert_int_equal(file[0], 0x4D);
	assert_int_equal(file[1], 0x49);
	assert_int_equal(file[2], MI_EF_TYPE_SLOTS);
	assert_int_equal(file[3], 0x01);
	assert_int_equal(MI_GET_U16_BE(file, 4), 20);
	assert_int_equal(MI_GET_U32_BE(file, 6), 0x01020304UL);
	/* the CRC covers bytes 0..9 then the body, not the CRC field itself */
	assert_int_equal(MI_GET_U32_BE(file, 10),
			 mi_crc32(mi_crc32(0, file, 10), file + MI_EF_HDR_LEN, 20));
	assert_int_equal(mi_ef_check(file, 34, MI_EF_TYPE_SLOTS, &h), 34);
	assert_int_equal(h.type, MI_EF_TYPE_SLOTS);
	assert_int_equal(h.version, MI_EF_VERSION);
	assert_int_equal(h.body_len, 20);
	assert_int_equal(h.seq, 0x01020304UL);
	/* type 0 accepts any; hdr may be NULL */
	assert_int_equal(mi_ef_check(file, 34, 0, NULL), 34);
	/* padding after the body (the EF is larger) is ignored */
	memset(file + 34, 0xFF, sizeof(file) - 34);
	assert_int_equal(mi_ef_check(file, sizeof(file), MI_EF_TYPE_SLOTS, &h), 34);
	/* an empty body is valid */
	assert_int_equal(make_file(file, sizeof(file), MI_EF_TYPE_STATE, 7, 0), 14);
	assert_int_equal(mi_ef_check(file, 14, MI_EF_TYPE_STATE, &h), 14);
}

/* Version 2: the set id closes the body; reseal changes only seq and CRC. */
static void test_seal_set_id(void **state)
{
	mi_u8 file[64];
	struct mi_ef_header h;

	(void)state;
	memset(file, 0xA5, sizeof(file));
	assert_int_equal(mi_ef_seal_set(file, sizeof(file), MI_EF_TYPE_RULES, 3, 20, 0xCAFEF00DUL),
			 38);
	assert_int_equal(file[3], MI_EF_VERSION_SET);
	assert_int_equal(MI_GET_U16_BE(file, 4), 24);
	assert_int_equal(MI_GET_U32_BE(file, 34), 0xCAFEF00DUL);
	assert_int_equal(mi_ef_check(file, 38, MI_EF_TYPE_RULES, &h), 38);
	assert_int_equal(h.payload_len, 20);
	assert_true(h.set_id == 0xCAFEF00DUL);
	assert_int_equal(mi_ef_reseal(file, 38, 9), 38);
	assert_int_equal(mi_ef_check(file, 38, MI_EF_TYPE_RULES, &h), 38);
	assert_int_equal(h.seq, 9);
	assert_true(h.set_id == 0xCAFEF00DUL);
	assert_int_equal(h.version, MI_EF_VERSION_SET);
	/* version 1 has no set id; STATE never takes one */
	assert_int_equal(make_file(file, sizeof(file), MI_EF_TYPE_SLOTS, 1, 20), 34);
	assert_int_equal(mi_ef_check(file, 34, MI_EF_TYPE_SLOTS, &h), 34);
	assert_true(h.set_id == 0 && h.payload_len == 20);
	assert_int_equal(mi_ef_seal_set(file, sizeof(file), MI_EF_TYPE_STATE, 1, 4, 1),
			 MI_ERR_PARAM);
	assert_int_equal(mi_ef_seal_set(file, 20, MI_EF_TYPE_CFG, 1, 16, 1), MI_ERR_CAPACITY);
}

static void test_check_errors(void **state)
{
	mi_u8 file[40], bad[40];
	struct mi_ef_header h;

	(void)state;
	assert_int_equal(make_file(file, sizeof(file), MI_EF_TYPE_CFG, 5, 16), 30);
	/* truncated: shorter than the header */
	assert_int_equal(mi_ef_check(file, 13, 0, &h), MI_ERR_TRUNCATED);
	assert_int_equal(mi_ef_check(file, 0, 0, &h), MI_ERR_TRUNCATED);
	/* body_len beyond len */
	assert_int_equal(mi_ef_check(file, 29, 0, &h), MI_ERR_LENGTH);
	assert_int_equal(h.body_len, 16); /* header still reported */
	/* bad magic */
	memcpy(bad, file, sizeof(bad));
	bad[0] = 'm';
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_FORMAT);
	memcpy(bad, file, sizeof(bad));
	bad[1] = 0x00;
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_FORMAT);
	/* wrong type asked, unknown type stored */
	assert_int_equal(mi_ef_check(file, 30, MI_EF_TYPE_RULES, &h), MI_ERR_TAG);
	memcpy(bad, file, sizeof(bad));
	bad[2] = 0x05;
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_TAG);
	bad[2] = 0x00;
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_TAG);
	/* version 3 (unknown), even with a good CRC */
	memcpy(bad, file, sizeof(bad));
	bad[3] = 0x03;
	const mi_u32 crc = mi_crc32(mi_crc32(0, bad, 10), bad + 14, 16); /* read 4 times */
	MI_PUT_U32_BE(bad, 10, crc);
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_VERSION);
	assert_int_equal(h.version, 3);
	/* CRC: flipped bit in the body, in seq, in the CRC itself; hdr filled */
	memcpy(bad, file, sizeof(bad));
	bad[20] ^= 0x01;
	memset(&h, 0, sizeof(h));
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_CRC);
	assert_int_equal(h.seq, 5);
	assert_int_equal(h.crc, MI_GET_U32_BE(file, 10));
	memcpy(bad, file, sizeof(bad));
	bad[9] ^= 0x80;
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_CRC);
	memcpy(bad, file, sizeof(bad));
	bad[13] ^= 0x04;
	assert_int_equal(mi_ef_check(bad, 30, 0, &h), MI_ERR_CRC);
	/* NULL file */
	assert_int_equal(mi_ef_check(NULL, 30, 0, &h), MI_ERR_PARAM);
}

/* Every single-bit flip of a sealed file is detected (by some check). */
static void test_check_every_bit(void **state)
{
	mi_u8 file[30];
	mi_u16 bit;

	(void)state;
	assert_int_equal(make_file(file, sizeof(file), MI_EF_TYPE_CFG, 9, 16), 30);
	for (bit = 0; bit < 30u * 8u; bit++) {
		file[bit / 8u] ^= (mi_u8)(1u << (bit % 8u));
		assert_true(mi_ef_check(file, sizeof(file), MI_EF_TYPE_CFG, NULL) < 0);
		file[bit / 8u] ^= (mi_u8)(1u << (bit % 8u));
	}
	assert_int_equal(mi_ef_check(file, sizeof(file), MI_EF_TYPE_CFG, NULL), 30);
}

static void test_seal_errors(void **state)
{
	mi_u8 file[31];

	(void)state;
	memset(file, GUARD, sizeof(file));
	/* 14 + 16 needs 30: cap 29 writes nothing at all */
	assert_int_equal(mi_ef_seal(file, 29, MI_EF_TYPE_CFG, 1, 16), MI_ERR_CAPACITY);
	assert_int_equal(file[0], GUARD);
	assert_int_equal(file[13], GUARD);
	assert_int_equal(mi_ef_seal(file, 30, MI_EF_TYPE_CFG, 1, 16), 30);
	assert_int_equal(file[30], GUARD);
	assert_int_equal(mi_ef_seal(file, 30, 0, 1, 16), MI_ERR_PARAM);
	assert_int_equal(mi_ef_seal(file, 30, 5, 1, 16), MI_ERR_PARAM);
	assert_int_equal(mi_ef_seal(NULL, 30, MI_EF_TYPE_CFG, 1, 16), MI_ERR_PARAM);
	assert_int_equal(mi_ef_seal(file, 0xFFFFu, MI_EF_TYPE_CFG, 1, 0xFFF0u), MI_ERR_RANGE);
}

/* test-vectors/ef/ef_check.data: ef_check:"<file hex>":<type>:<result> */
static void test_check_vectors(void **state)
{
	static struct vec_case c;
	static mi_u8 file[1024];
	struct vec_file vf;
	long type, want;
	int n, rc, count = 0;

	(void)state;
	assert_int_equal(vec_open(&vf, "test-vectors/ef/ef_check.data"), 0);
	while ((rc = vec_next(&vf, &c)) == 1) {
		assert_string_equal(c.func, "ef_check");
		assert_int_equal(c.nargs, 3);
		n = vec_hex_decode(c.arg[0], file, sizeof(file));
		assert_true(n >= 0);
		assert_int_equal(vec_int(c.arg[1], &type), 0);
		assert_int_equal(vec_int(c.arg[2], &want), 0);
		if (mi_ef_check(file, (mi_u16)n, (mi_u8)type, NULL) != (int)want)
			fail_msg("%s:%d: got %d want %ld", c.path, c.line,
				 mi_ef_check(file, (mi_u16)n, (mi_u8)type, NULL), want);
		count++;
	}
	vec_close(&vf);
	assert_int_equal(rc, 0);
	assert_true(count >= 8);
}

/* Field by field: the structs have padding that memcmp would read. */
static void assert_cfg_equal(const struct mi_cfg *a, const struct mi_cfg *b)
{
	assert_int_equal(a->rotation_s, b->rotation_s);
	assert_int_equal(a->min_dwell_s, b->min_dwell_s);
	assert_int_equal(a->reeval_min, b->reeval_min);
	assert_int_equal(a->refresh_pref, b->refresh_pref);
	assert_int_equal(a->refresh_fallback, b->refresh_fallback);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->poll_s, b->poll_s);
	assert_int_equal(a->failover_max_per_hour, b->failover_max_per_hour);
}

static void assert_profile_equal(const struct mi_profile *a, const struct mi_profile *b)
{
	assert_int_equal(a->n_pref, b->n_pref);
	assert_memory_equal(a->pref, b->pref, a->n_pref);
	assert_int_equal(a->forbidden, b->forbidden);
}

/* ---- CFG --------------------------------------------------------------- */

static void test_cfg_roundtrip(void **state)
{
	struct mi_cfg a, b;
	mi_u8 body[MI_CFG_BODY_LEN + 1];
	static const mi_u8 want[MI_CFG_BODY_LEN] = {0x00, 0xB4, 0x00, 0xB4, 0x05, 0xA0, 0x04, 0x03,
						    0x0E, 0x1E, 0x06, 0,    0,	  0,	0,    0};

	(void)state;
	mi_cfg_defaults(&a);
	assert_int_equal(a.rotation_s, 180);
	assert_int_equal(a.reeval_min, 1440);
	assert_int_equal(a.refresh_pref, 0x04);
	assert_int_equal(a.refresh_fallback, 0x03);
	memset(body, GUARD, sizeof(body));
	assert_int_equal(mi_cfg_encode(&a, body, MI_CFG_BODY_LEN), 16);
	assert_memory_equal(body, want, sizeof(want));
	assert_int_equal(body[16], GUARD);
	assert_int_equal(mi_cfg_decode(body, 16, &b), 16);
	assert_cfg_equal(&a, &b);
	/* no fallback (FF), qualifier 00, and non-default values survive */
	a.refresh_pref = 0x00;
	a.refresh_fallback = 0xFF;
	a.rotation_s = 0xFFFF;
	a.min_dwell_s = 0;
	a.flags = MI_CFG_F_NAIVE;
	assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
	assert_int_equal(mi_cfg_decode(body, 16, &b), 16);
	assert_cfg_equal(&a, &b);
	/* RFU bytes are ignored on reading */
	body[15] = 0x55;
	assert_int_equal(mi_cfg_decode(body, 16, &b), 16);
}

static void test_cfg_errors(void **state)
{
	struct mi_cfg a, b;
	mi_u8 body[MI_CFG_BODY_LEN + 1];
	static const mi_u8 bad_q[] = {0x01, 0x05, 0x06, 0x07, 0x08, 0xFF};
	size_t i;

	(void)state;
	mi_cfg_defaults(&a);
	assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
	assert_int_equal(mi_cfg_decode(body, 15, &b), MI_ERR_TRUNCATED);
	/* bad REFRESH qualifier, preferred and fallback */
	for (i = 0; i < sizeof(bad_q); i++) {
		assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
		body[6] = bad_q[i];
		assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
		if (bad_q[i] != 0xFF) {
			assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
			body[7] = bad_q[i];
			assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
		}
	}
	/* zero periods */
	assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
	body[0] = body[1] = 0;
	assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
	assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
	body[4] = body[5] = 0;
	assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
	assert_int_equal(mi_cfg_encode(&a, body, 16), 16);
	body[9] = 0;
	assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
	/* encoder: capacity (guard untouched) and refusing a bad config */
	memset(body, GUARD, sizeof(body));
	assert_int_equal(mi_cfg_encode(&a, body, 15), MI_ERR_CAPACITY);
	assert_int_equal(body[0], GUARD);
	a.refresh_pref = 0x01;
	assert_int_equal(mi_cfg_encode(&a, body, 16), MI_ERR_RANGE);
	assert_int_equal(body[0], GUARD);
	assert_int_equal(mi_cfg_decode(NULL, 16, &b), MI_ERR_PARAM);
}

/* ---- slot records ------------------------------------------------------ */

static void fill_slot(struct mi_slot *s)
{
	static const mi_u8 imsi[9] = {0x08, 0x29, 0x12, 0x73, 0x00, 0x00, 0x00, 0x00, 0x10};

	memset(s, 0, sizeof(*s));
	s->slot = 2;
	s->flags = MI_SLOT_F_DISABLED;
	s->sponsor = 7;
	s->keyset = 3;
	s->mnc_len = 2;
	memcpy(s->imsi, imsi, sizeof(imsi));
	s->n_oplmn = 2;
	memcpy(s->oplmn[0], "\x12\xF3\x77\x40\x00", 5);
	memcpy(s->oplmn[1], "\x12\xF3\x87\xC0\x80", 5);
	s->n_fplmn = 1;
	memcpy(s->fplmn[0], "\x62\xF2\x10", 3);
}

static void test_slot_roundtrip(void **state)
{
	struct mi_slot a, b;
	mi_u8 buf[200];
	int n;

	(void)state;
	fill_slot(&a);
	memset(buf, GUARD, sizeof(buf));
	n = mi_slot_encode(&a, buf, sizeof(buf));
	assert_int_equal(n, 16 + 10 + 3);
	assert_int_equal(buf[n], GUARD);
	assert_memory_equal(buf, "\x02\x04\x07\x03\x02\x08\x29\x12\x73\x00\x00\x00\x00\x10\x02\x01",
			    16);
	assert_memory_equal(buf + 16, "\x12\xF3\x77\x40\x00\x12\xF3\x87\xC0\x80\x62\xF2\x10", 13);
	/* decode reads exactly the record, even with more bytes after it */
	assert_int_equal(mi_slot_decode(buf, sizeof(buf), &b), n);
	assert_memory_equal(&a, &b, sizeof(a));
	/* the largest record: 16 OPLMN and 8 FPLMN entries, slot 10, 3-digit MNC */
	a.slot = 10;
	a.mnc_len = 3;
	a.n_oplmn = MI_MAX_OPLMN;
	a.n_fplmn = MI_MAX_FPLMN;
	memset(a.oplmn, 0x21, sizeof(a.oplmn));
	memset(a.fplmn, 0x43, sizeof(a.fplmn));
	n = mi_slot_encode(&a, buf, sizeof(buf));
	assert_int_equal(n, 16 + 80 + 24);
	assert_int_equal(mi_slot_decode(buf, (mi_u16)n, &b), n);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_slot_errors(void **state)
{
	struct mi_slot a, b;
	mi_u8 buf[64], bad[64];
	int n;

	(void)state;
	fill_slot(&a);
	n = mi_slot_encode(&a, buf, sizeof(buf));
	assert_int_equal(n, 29);
	/* truncated fixed part, and counts that run past the buffer */
	assert_int_equal(mi_slot_decode(buf, 15, &b), MI_ERR_TRUNCATED);
	assert_int_equal(mi_slot_decode(buf, 28, &b), MI_ERR_LENGTH);
	assert_int_equal(mi_slot_decode(buf, 16, &b), MI_ERR_LENGTH);
	/* slot 0 / 11 */
	memcpy(bad, buf, sizeof(bad));
	bad[0] = 0;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	bad[0] = 11;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	/* MNC length 1 and 4 */
	memcpy(bad, buf, sizeof(bad));
	bad[4] = 4;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	bad[4] = 1;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	/* EF_IMSI length byte 0 or 9 */
	memcpy(bad, buf, sizeof(bad));
	bad[5] = 0;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	bad[5] = 9;
	assert_int_equal(mi_slot_decode(bad, 29, &b), MI_ERR_RANGE);
	/* n_oplmn > MI_MAX_OPLMN, n_fplmn > MI_MAX_FPLMN (range before length) */
	memcpy(bad, buf, sizeof(bad));
	bad[14] = MI_MAX_OPLMN + 1u;
	assert_int_equal(mi_slot_decode(bad, sizeof(bad), &b), MI_ERR_RANGE);
	memcpy(bad, buf, sizeof(bad));
	bad[15] = MI_MAX_FPLMN + 1u;
	assert_int_equal(mi_slot_decode(bad, sizeof(bad), &b), MI_ERR_RANGE);
	/* the encoder refuses the same, and never writes past cap */
	memset(bad, GUARD, sizeof(bad));
	assert_int_equal(mi_slot_encode(&a, bad, 28), MI_ERR_CAPACITY);
	assert_int_equal(bad[0], GUARD);
	assert_int_equal(mi_slot_encode(&a, bad, 29), 29);
	assert_int_equal(bad[29], GUARD);
	b = a;
	b.n_oplmn = MI_MAX_OPLMN + 1u;
	assert_int_equal(mi_slot_encode(&b, bad, sizeof(bad)), MI_ERR_RANGE);
	b = a;
	b.n_fplmn = MI_MAX_FPLMN + 1u;
	assert_int_equal(mi_slot_encode(&b, bad, sizeof(bad)), MI_ERR_RANGE);
	b = a;
	b.slot = 0;
	assert_int_equal(mi_slot_encode(&b, bad, sizeof(bad)), MI_ERR_RANGE);
	b = a;
	b.slot = 11;
	assert_int_equal(mi_slot_encode(&b, bad, sizeof(bad)), MI_ERR_RANGE);
	b = a;
	b.mnc_len = 4;
	assert_int_equal(mi_slot_encode(&b, bad, sizeof(bad)), MI_ERR_RANGE);
	assert_int_equal(mi_slot_decode(NULL, 29, &b), MI_ERR_PARAM);
}

/* ---- profiles and rules ------------------------------------------------ */

static void test_profile_roundtrip(void **state)
{
	struct mi_profile a, b;
	mi_u8 buf[8];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.n_pref = 3;
	a.pref[0] = 2;
	a.pref[1] = 10;
	a.pref[2] = 1;
	a.forbidden = 0x0204; /* slots 3 and 10 */
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_profile_encode(&a, buf, 7), 7);
	assert_memory_equal(buf, "\x2A\x10\x00\x00\x00\x02\x04", 7);
	assert_int_equal(buf[7], GUARD);
	assert_int_equal(mi_profile_decode(buf, 7, &b), 7);
	assert_profile_equal(&a, &b);
	/* all ten slots, no terminator needed */
	memcpy(buf, "\x12\x34\x56\x78\x9A\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), 7);
	assert_int_equal(b.n_pref, 10);
	assert_int_equal(b.pref[9], 10);
	assert_int_equal(mi_profile_encode(&b, buf + 0, 7), 7);
	assert_memory_equal(buf, "\x12\x34\x56\x78\x9A\x00\x00", 7);
	/* an empty list */
	memset(buf, 0, 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), 7);
	assert_int_equal(b.n_pref, 0);
}

static void test_profile_errors(void **state)
{
	struct mi_profile a, b;
	mi_u8 buf[8];

	(void)state;
	/* slot 11 .. 15 */
	memcpy(buf, "\x1B\x00\x00\x00\x00\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	memcpy(buf, "\xF0\x00\x00\x00\x00\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	/* repeated slot */
	memcpy(buf, "\x12\x10\x00\x00\x00\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	/* a nibble after the 0 terminator */
	memcpy(buf, "\x10\x20\x00\x00\x00\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	memcpy(buf, "\x12\x00\x00\x00\x03\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	/* forbidden bit for a slot beyond 10 */
	memcpy(buf, "\x12\x00\x00\x00\x00\x04\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 7, &b), MI_ERR_RANGE);
	/* truncated */
	memcpy(buf, "\x12\x00\x00\x00\x00\x00\x00", 7);
	assert_int_equal(mi_profile_decode(buf, 6, &b), MI_ERR_TRUNCATED);
	/* encoder */
	memset(&a, 0, sizeof(a));
	a.n_pref = 2;
	a.pref[0] = 1;
	a.pref[1] = 2;
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_profile_encode(&a, buf, 6), MI_ERR_CAPACITY);
	assert_int_equal(buf[0], GUARD);
	a.pref[1] = 1;
	assert_int_equal(mi_profile_encode(&a, buf, 7), MI_ERR_RANGE);
	a.pref[1] = 11;
	assert_int_equal(mi_profile_encode(&a, buf, 7), MI_ERR_RANGE);
	a.pref[1] = 0;
	assert_int_equal(mi_profile_encode(&a, buf, 7), MI_ERR_RANGE);
	a.pref[1] = 2;
	a.n_pref = 11;
	assert_int_equal(mi_profile_encode(&a, buf, 7), MI_ERR_RANGE);
	a.n_pref = 2;
	a.forbidden = 0x0400;
	assert_int_equal(mi_profile_encode(&a, buf, 7), MI_ERR_RANGE);
	assert_int_equal(buf[0], GUARD);
}

static void test_rule_key(void **state)
{
	(void)state;
	/* key = mcc << 12 | exact << 11 | mnc3 << 10 | mnc */
	assert_int_equal(mi_rule_key(262, 1, 2, MI_TRUE), 0x106801UL);
	assert_int_equal(mi_rule_key(213, 77, 2, MI_TRUE), 0x0D584DUL);
	assert_int_equal(mi_rule_key(302, 777, 3, MI_TRUE), (302UL << 12) | 0x800 | 0x400 | 777);
	assert_int_equal(mi_rule_key(213, 0, 0, MI_FALSE), 0x0D5000UL);
	/* the MCC default ignores the MNC it is given */
	assert_int_equal(mi_rule_key(213, 77, 2, MI_FALSE), 0x0D5000UL);
	/* 2- and 3-digit forms of the same number differ ("01" vs "001") */
	assert_int_not_equal(mi_rule_key(1, 1, 2, MI_TRUE), mi_rule_key(1, 1, 3, MI_TRUE));
	/* order: MCC default < its exact keys < the next MCC */
	assert_true(mi_rule_key(213, 0, 0, MI_FALSE) < mi_rule_key(213, 0, 2, MI_TRUE));
	assert_true(mi_rule_key(213, 999, 3, MI_TRUE) < mi_rule_key(214, 0, 0, MI_FALSE));
	assert_int_equal(mi_rule_key(999, 999, 3, MI_TRUE), 0x3E7FE7UL);
}

static void test_rule_codec(void **state)
{
	struct mi_rule a, b;
	mi_u8 buf[5];

	(void)state;
	a.key = mi_rule_key(302, 777, 3, MI_TRUE);
	a.profile = 9;
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_rule_encode(&a, buf, 4), 4);
	assert_memory_equal(buf, "\x12\xEF\x09\x09", 4);
	assert_int_equal(buf[4], GUARD);
	assert_int_equal(mi_rule_decode(buf, 4, &b), 4);
	assert_int_equal(b.key, a.key);
	assert_int_equal(b.profile, 9);
	/* errors: truncated, capacity, MCC 1000, 2-digit MNC 100, default with an MNC */
	assert_int_equal(mi_rule_decode(buf, 3, &b), MI_ERR_TRUNCATED);
	memset(buf, GUARD, sizeof(buf));
	assert_int_equal(mi_rule_encode(&a, buf, 3), MI_ERR_CAPACITY);
	assert_int_equal(buf[0], GUARD);
	memcpy(buf, "\x3E\x80\x00\x00", 4); /* mcc 1000 */
	assert_int_equal(mi_rule_decode(buf, 4, &b), MI_ERR_RANGE);
	memcpy(buf, "\x10\x68\x64\x00", 4); /* 262, exact, 2-digit mnc 100 */
	assert_int_equal(mi_rule_decode(buf, 4, &b), MI_ERR_RANGE);
	memcpy(buf, "\x10\x6F\xE8\x00", 4); /* 262, exact, 3-digit mnc 1000 */
	assert_int_equal(mi_rule_decode(buf, 4, &b), MI_ERR_RANGE);
	memcpy(buf, "\x10\x60\x01\x00", 4); /* default with mnc bits */
	assert_int_equal(mi_rule_decode(buf, 4, &b), MI_ERR_RANGE);
	memcpy(buf, "\x10\x64\x00\x00", 4); /* default with the mnc3 bit */
	assert_int_equal(mi_rule_decode(buf, 4, &b), MI_ERR_RANGE);
	a.key = 0x1000000UL;
	assert_int_equal(mi_rule_encode(&a, buf, 4), MI_ERR_RANGE);
	a.key = (262UL << 12) | 5;
	assert_int_equal(mi_rule_encode(&a, buf, 4), MI_ERR_RANGE);
}

/* ---- paths ------------------------------------------------------------- */

static void test_file_path(void **state)
{
	mi_u16 path[3];
	int f;

	(void)state;
	assert_int_equal(mi_ef_file_path(MI_FILE_IMSI, path), 2);
	assert_int_equal(path[0], 0x7FFF);
	assert_int_equal(path[1], 0x6F07);
	assert_int_equal(mi_ef_file_path(MI_FILE_AD, path), 2);
	assert_int_equal(path[1], 0x6FAD);
	assert_int_equal(mi_ef_file_path(MI_FILE_OPLMNWACT, path), 2);
	assert_int_equal(path[1], 0x6F61);
	assert_int_equal(mi_ef_file_path(MI_FILE_CFG_B, path), 2);
	assert_int_equal(path[0], 0x7F4D);
	assert_int_equal(path[1], 0x6F11);
	assert_int_equal(mi_ef_file_path(MI_FILE_STATE, path), 2);
	assert_int_equal(path[1], 0x6F04);
	/* every file: USIM files under 7FFF, applet files under 7F4D */
	for (f = 0; f < (int)MI_FILE_EHPLMN; f++) {
		assert_int_equal(mi_ef_file_path(f, path), 2);
		assert_int_equal(path[0], f < (int)MI_FILE_CFG_A ? 0x7FFF : 0x7F4D);
		assert_int_equal(path[1] & 0xFF00, 0x6F00);
	}
	assert_int_equal(mi_ef_file_path(MI_FILE_EHPLMN, path), 2);
	assert_int_equal(path[0], 0x7FFF);
	assert_int_equal(path[1], 0x6FD9);
	assert_int_equal(mi_ef_file_path(MI_FILE_EPSNSC, path), 2);
	assert_int_equal(path[1], 0x6FE4);
	/* DF_5GS files (TS 31.102 §4.4.11): 7FFF 5FC0 4Fxx */
	for (f = MI_FILE_5GS3GPPLOCI; f < (int)MI_FILE_COUNT; f++) {
		assert_int_equal(mi_ef_file_path(f, path), 3);
		assert_int_equal(path[0], 0x7FFF);
		assert_int_equal(path[1], 0x5FC0);
		assert_int_equal(path[2] & 0xFF00, 0x4F00);
	}
	assert_int_equal(mi_ef_file_path(MI_FILE_5GS3GPPLOCI, path), 3);
	assert_int_equal(path[2], 0x4F01);
	assert_int_equal(mi_ef_file_path(MI_FILE_ROUTING_IND, path), 3);
	assert_int_equal(path[2], 0x4F0A);
	assert_int_equal(mi_ef_file_path(-1, path), MI_ERR_PARAM);
	assert_int_equal(mi_ef_file_path(MI_FILE_COUNT, path), MI_ERR_PARAM);
	assert_int_equal(mi_ef_file_path(MI_FILE_IMSI, NULL), MI_ERR_PARAM);
}

/* ---- worked files of test-vectors/ef/ ----------------------------------- */

static void test_vec_cfg_default(void **state)
{
	mi_u8 file[64], again[64];
	struct mi_ef_header h;
	struct mi_cfg got, def;
	int n;

	(void)state;
	n = vec_read_hex_file("test-vectors/ef/cfg_default.hex", file, sizeof(file));
	assert_int_equal(n, 30);
	assert_int_equal(mi_ef_check(file, (mi_u16)n, MI_EF_TYPE_CFG, &h), 30);
	assert_int_equal(h.seq, 1);
	assert_int_equal(mi_cfg_decode(file + MI_EF_HDR_LEN, h.body_len, &got), 16);
	mi_cfg_defaults(&def);
	assert_cfg_equal(&got, &def);
	/* re-encode byte for byte */
	assert_int_equal(mi_cfg_encode(&def, again + MI_EF_HDR_LEN, sizeof(again) - MI_EF_HDR_LEN),
			 16);
	assert_int_equal(mi_ef_seal(again, sizeof(again), MI_EF_TYPE_CFG, 1, 16), 30);
	assert_memory_equal(again, file, 30);
}

static void test_vec_slots_andorra(void **state)
{
	static const mi_u8 imsi1[9] = {0x08, 0x29, 0x26, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09};
	static const mi_u8 imsi2[9] = {0x08, 0x29, 0x31, 0x77, 0x00, 0x00, 0x00, 0x00, 0x10};
	mi_u8 file[256], again[256];
	struct mi_ef_header h;
	struct mi_slot s[2];
	mi_u16 off, aoff;
	int n, i;

	(void)state;
	n = vec_read_hex_file("test-vectors/ef/slots_andorra.hex", file, sizeof(file));
	assert_true(n > 0);
	assert_int_equal(mi_ef_check(file, (mi_u16)n, MI_EF_TYPE_SLOTS, &h), n);
	assert_int_equal(file[MI_EF_HDR_LEN], 2); /* two records */
	off = MI_EF_HDR_LEN + 1u;
	for (i = 0; i < 2; i++) {
		n = mi_slot_decode(file + off, (mi_u16)(MI_EF_HDR_LEN + h.body_len - off), &s[i]);
		assert_true(n > 0);
		off = (mi_u16)(off + n);
	}
	assert_int_equal(off, MI_EF_HDR_LEN + h.body_len); /* nothing left over */
	/* slot 1: Own, home + bootstrap, 262011234567890 */
	assert_int_equal(s[0].slot, 1);
	assert_int_equal(s[0].flags, MI_SLOT_F_HOME | MI_SLOT_F_BOOTSTRAP);
	assert_int_equal(s[0].mnc_len, 2);
	assert_memory_equal(s[0].imsi, imsi1, 9);
	assert_int_equal(s[0].n_oplmn, 0);
	/* slot 2: Partner X 213770000000001, OPLMN 213-77 then 213-78, FPLMN 262-01 */
	assert_int_equal(s[1].slot, 2);
	assert_int_equal(s[1].flags, 0);
	assert_int_equal(s[1].sponsor, 1);
	assert_int_equal(s[1].keyset, 2);
	assert_memory_equal(s[1].imsi, imsi2, 9);
	assert_int_equal(s[1].n_oplmn, 2);
	assert_memory_equal(s[1].oplmn[0], "\x12\xF3\x77\xC0\x80", 5);
	assert_memory_equal(s[1].oplmn[1], "\x12\xF3\x87\xC0\x80", 5);
	assert_int_equal(s[1].n_fplmn, 1);
	assert_memory_equal(s[1].fplmn[0], "\x62\xF2\x10", 3);
	/* re-encode byte for byte */
	again[MI_EF_HDR_LEN] = 2;
	aoff = MI_EF_HDR_LEN + 1u;
	for (i = 0; i < 2; i++) {
		n = mi_slot_encode(&s[i], again + aoff, (mi_u16)(sizeof(again) - aoff));
		assert_true(n > 0);
		aoff = (mi_u16)(aoff + n);
	}
	assert_int_equal(mi_ef_seal(again, sizeof(again), MI_EF_TYPE_SLOTS, h.seq,
				    (mi_u16)(aoff - MI_EF_HDR_LEN)),
			 aoff);
	assert_memory_equal(again, file, aoff);
}

static void test_vec_rules_andorra(void **state)
{
	mi_u8 file[256];
	struct mi_ef_header h;
	struct mi_profile p[3];
	struct mi_rule r;
	const mi_u8 *body;
	mi_u16 np, nr, i;
	mi_u32 prev = 0;
	mi_u8 profile_of_21377 = 0xFF;
	int n;

	(void)state;
	n = vec_read_hex_file("test-vectors/ef/rules_andorra.hex", file, sizeof(file));
	assert_true(n > 0);
	assert_int_equal(mi_ef_check(file, (mi_u16)n, MI_EF_TYPE_RULES, &h), n);
	body = file + MI_EF_HDR_LEN;
	np = body[0];
	nr = MI_GET_U16_BE(body, 2);
	assert_int_equal(np, 3);
	assert_int_equal(body[1], 0); /* global profile */
	assert_int_equal(nr, 4);
	assert_int_equal(h.body_len, MI_RULES_FIXED + MI_PROFILE_LEN * np + MI_RULE_LEN * nr);
	for (i = 0; i < np; i++)
		assert_int_equal(mi_profile_decode(body + 4 + 7 * i, 7, &p[i]), 7);
	/* global [1,2]; abroad in 213 [2,1]; at home 262-01 [1] with slot 2 forbidden */
	assert_int_equal(p[0].n_pref, 2);
	assert_int_equal(p[0].pref[0], 1);
	assert_int_equal(p[1].pref[0], 2);
	assert_int_equal(p[1].pref[1], 1);
	assert_int_equal(p[2].n_pref, 1);
	assert_int_equal(p[2].forbidden, 0x0002);
	for (i = 0; i < nr; i++) {
		assert_int_equal(mi_rule_decode(body + 4 + 7 * np + 4 * i, 4, &r), 4);
		assert_true(i == 0 || r.key > prev); /* strictly ascending */
		assert_true(r.profile < np);
		if (r.key == mi_rule_key(213, 77, 2, MI_TRUE))
			profile_of_21377 = r.profile;
		if (r.key == mi_rule_key(262, 1, 2, MI_TRUE))
			assert_int_equal(r.profile, 2);
		prev = r.key;
	}
	assert_int_equal(profile_of_21377, 1);
}

static mi_u32 rnd_state = 12345u;

static mi_u8 rnd8(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (mi_u8)(rnd_state >> 16);
}

/* Random slot records, profiles and rules: no over-read (ASan), and what
 * decodes re-encodes to the same bytes. */
static void test_random_records(void **state)
{
	struct mi_slot s;
	struct mi_profile p;
	struct mi_rule r;
	mi_u8 *buf, again[160];
	mi_u16 len, i;
	int iter, n;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = (mi_u16)(rnd8() % 130u);
		buf = malloc(len + 1u);
		assert_non_null(buf);
		for (i = 0; i < len; i++)
			buf[i] = rnd8();
		if (len >= 16 && (iter & 1)) {
			buf[0] = (mi_u8)(1u + rnd8() % 10u);
			buf[4] = 2;
			buf[5] = 8;
			buf[14] = (mi_u8)(rnd8() % 17u);
			buf[15] = (mi_u8)(rnd8() % 9u);
		}
		n = mi_slot_decode(buf, len, &s);
		assert_true(n <= (int)len);
		if (n > 0) {
			assert_int_equal(mi_slot_encode(&s, again, sizeof(again)), n);
			assert_memory_equal(again, buf, (size_t)n);
		}
		n = mi_profile_decode(buf, len, &p);
		if (n > 0) {
			assert_int_equal(mi_profile_encode(&p, again, sizeof(again)), 7);
			assert_memory_equal(again, buf, 7);
		}
		n = mi_rule_decode(buf, len, &r);
		if (n > 0) {
			assert_int_equal(mi_rule_encode(&r, again, sizeof(again)), 4);
			assert_memory_equal(again, buf, 4);
		}
		assert_true(mi_ef_check(buf, len, 0, NULL) <= (int)len);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seal_check_roundtrip),
	    cmocka_unit_test(test_seal_set_id),
	    cmocka_unit_test(test_check_errors),
	    cmocka_unit_test(test_check_every_bit),
	    cmocka_unit_test(test_seal_errors),
	    cmocka_unit_test(test_check_vectors),
	    cmocka_unit_test(test_cfg_roundtrip),
	    cmocka_unit_test(test_cfg_errors),
	    cmocka_unit_test(test_slot_roundtrip),
	    cmocka_unit_test(test_slot_errors),
	    cmocka_unit_test(test_profile_roundtrip),
	    cmocka_unit_test(test_profile_errors),
	    cmocka_unit_test(test_rule_key),
	    cmocka_unit_test(test_rule_codec),
	    cmocka_unit_test(test_file_path),
	    cmocka_unit_test(test_vec_cfg_default),
	    cmocka_unit_test(test_vec_slots_andorra),
	    cmocka_unit_test(test_vec_rules_andorra),
	    cmocka_unit_test(test_random_records),
	};

	return cmocka_run_group_tests_name("ef", tests, NULL, NULL);
}
