/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_tlv.c
 *  BER-TLV and COMPREHENSION-TLV: test-vectors/codec/tlv.data (including
 *  worked CAT bytes that tshark 4.0.17 decodes) plus guard-byte capacity tests,
 *  mi_ctlv_find and re-encoding of every decoded object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"
#include "vec.h"

#define GUARD 0xA5u

static long num(const struct vec_case *c, int i)
{
	long v;

	if (i >= c->nargs || vec_int(c->arg[i], &v) < 0)
		fail_msg("%s:%d: bad argument %d", c->path, c->line, i);
	return v;
}

static void expect(const struct vec_case *c, int rc, long want)
{
	if (rc != want)
		fail_msg("%s:%d: %s returned %d, want %ld", c->path, c->line, c->func, rc, want);
}

/* Re-encode a decoded C-TLV and compare with the bytes it came from
 * (minimal length forms and 1-byte tags <= 7E: the decoder refuses others). */
static void reencode_ctlv(const struct mi_ctlv *t, const mi_u8 *src, int n)
{
	mi_u8 out[300];

	if (t->long_tag && t->tag <= 0x7Eu)
		return; /* a 3-byte form of a small tag: the encoder picks 1 byte */
	assert_int_equal(mi_ctlv_encode(out, sizeof(out), t->tag, t->cr, t->val, t->len), n);
	assert_memory_equal(out, src, (size_t)n);
}

static void walk(const struct vec_case *c)
{
	static mi_u8 buf[600];
	struct mi_btlv b;
	struct mi_ctlv t;
	const mi_u8 *run;
	mi_u16 run_len, off = 0;
	char items[VEC_ARG_MAX], *item, *save = NULL;
	unsigned tag, cr, len;
	int n;

	n = vec_hex_decode(c->arg[0], buf, sizeof(buf));
	assert_true(n > 0);
	run = buf;
	run_len = (mi_u16)n;
	if (num(c, 1) != 0) {
		expect(c, mi_btlv_decode(buf, (mi_u16)n, &b), n);
		expect(c, b.tag, num(c, 1));
		run = b.val;
		run_len = b.len;
	}
	strcpy(items, c->arg[2]);
	for (item = strtok_r(items, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (sscanf(item, "%x/%u/%u", &tag, &cr, &len) != 3)
			fail_msg("%s:%d: bad item %s", c->path, c->line, item);
		n = mi_ctlv_decode(run + off, (mi_u16)(run_len - off), &t);
		if (n < 0 || t.tag != tag || t.cr != cr || t.len != len)
			fail_msg("%s:%d: item %s: rc %d tag %02X cr %u len %u", c->path, c->line,
				 item, n, t.tag, t.cr, t.len);
		reencode_ctlv(&t, run + off, n);
		off = (mi_u16)(off + n);
	}
	if (off != run_len)
		fail_msg("%s:%d: %u bytes left over", c->path, c->line, (unsigned)(run_len - off));
}

static void run_case(const struct vec_case *c)
{
	static mi_u8 in[600], want[600], out[600];
	struct mi_btlv b;
	struct mi_ctlv t;
	mi_u16 v;
	int n, w, rc;

	memset(out, GUARD, sizeof(out));
	if (strcmp(c->func, "tlv_len_decode") == 0) {
		n = vec_hex_decode(c->arg[0], in, sizeof(in));
		rc = mi_tlv_len_decode(in, (mi_u16)n, &v);
		expect(c, rc, num(c, 2));
		if (rc > 0)
			expect(c, v, num(c, 1));
	} else if (strcmp(c->func, "tlv_len_encode") == 0) {
		rc = mi_tlv_len_encode((mi_u16)num(c, 0), out, sizeof(out));
		expect(c, rc, num(c, 2));
		if (rc > 0) {
			assert_int_equal(vec_hex_decode(c->arg[1], want, sizeof(want)), rc);
			assert_memory_equal(out, want, (size_t)rc);
			assert_int_equal(out[rc], GUARD);
		}
	} else if (strcmp(c->func, "btlv_decode") == 0) {
		n = vec_hex_decode(c->arg[0], in, sizeof(in));
		rc = mi_btlv_decode(in, (mi_u16)n, &b);
		expect(c, rc, num(c, 3));
		if (rc > 0) {
			expect(c, b.tag, num(c, 1));
			w = vec_hex_decode(c->arg[2], want, sizeof(want));
			expect(c, b.len, w);
			assert_memory_equal(b.val, want, (size_t)w);
			assert_int_equal(mi_btlv_encode(out, sizeof(out), b.tag, b.val, b.len), rc);
			assert_memory_equal(out, in, (size_t)rc);
		} else {
			assert_null(b.val);
		}
	} else if (strcmp(c->func, "btlv_encode") == 0) {
		w = vec_hex_decode(c->arg[1], in, sizeof(in));
		rc = mi_btlv_encode(out, sizeof(out), (mi_u8)num(c, 0), in, (mi_u16)w);
		expect(c, rc, num(c, 3));
		if (rc > 0) {
			assert_int_equal(vec_hex_decode(c->arg[2], want, sizeof(want)), rc);
			assert_memory_equal(out, want, (size_t)rc);
			assert_int_equal(out[rc], GUARD);
		} else {
			assert_int_equal(out[0], GUARD);
		}
	} else if (strcmp(c->func, "ctlv_decode") == 0) {
		n = vec_hex_decode(c->arg[0], in, sizeof(in));
		rc = mi_ctlv_decode(in, (mi_u16)n, &t);
		expect(c, rc, num(c, 5));
		if (rc > 0) {
			expect(c, t.tag, num(c, 1));
			expect(c, t.cr, num(c, 2));
			expect(c, t.long_tag, num(c, 3));
			w = vec_hex_decode(c->arg[4], want, sizeof(want));
			expect(c, t.len, w);
			assert_memory_equal(t.val, want, (size_t)w);
			reencode_ctlv(&t, in, rc);
		} else {
			assert_null(t.val);
		}
	} else if (strcmp(c->func, "ctlv_encode") == 0) {
		w = vec_hex_decode(c->arg[2], in, sizeof(in));
		rc = mi_ctlv_encode(out, sizeof(out), (mi_u16)num(c, 0), (mi_bool)num(c, 1), in,
				    (mi_u16)w);
		expect(c, rc, num(c, 4));
		if (rc > 0) {
			assert_int_equal(vec_hex_decode(c->arg[3], want, sizeof(want)), rc);
			assert_memory_equal(out, want, (size_t)rc);
			assert_int_equal(out[rc], GUARD);
		} else {
			assert_int_equal(out[0], GUARD);
		}
	} else if (strcmp(c->func, "cat_walk") == 0 && c->nargs == 3) {
		walk(c);
	} else {
		fail_msg("%s:%d: unknown function %s", c->path, c->line, c->func);
	}
}

static void test_vectors(void **state)
{
	static struct vec_case c;
	struct vec_file vf;
	int rc, count = 0, walks = 0;

	(void)state;
	assert_int_equal(vec_open(&vf, "test-vectors/codec/tlv.data"), 0);
	while ((rc = vec_next(&vf, &c)) == 1) {
		run_case(&c);
		walks += strcmp(c.func, "cat_walk") == 0;
		count++;
	}
	vec_close(&vf);
	assert_int_equal(rc, 0);
	assert_true(count >= 80);
	assert_int_equal(walks, 16);
}

/* For every capacity short of the need, encoders fail and write nothing. */
static void test_encoder_capacity(void **state)
{
	mi_u8 val[200], out[210];
	mi_u16 cap;
	int need;

	(void)state;
	memset(val, 0x3C, sizeof(val));
	need = 3 + 200;
	for (cap = 0; cap < need; cap++) {
		memset(out, GUARD, sizeof(out));
		assert_int_equal(mi_btlv_encode(out, cap, 0xD0, val, 200), MI_ERR_CAPACITY);
		assert_int_equal(mi_ctlv_encode(out, cap, 0x0D, MI_TRUE, val, 200),
				 MI_ERR_CAPACITY);
		assert_int_equal(out[0], GUARD);
		assert_int_equal(out[cap], GUARD);
	}
	memset(out, GUARD, sizeof(out));
	assert_int_equal(mi_ctlv_encode(out, (mi_u16)need + 2u, 0x0123, MI_FALSE, val, 200),
			 need + 2);
	assert_int_equal(out[need + 2], GUARD);
	for (cap = 0; cap < need + 2; cap++) {
		memset(out, GUARD, sizeof(out));
		assert_int_equal(mi_ctlv_encode(out, cap, 0x0123, MI_FALSE, val, 200),
				 MI_ERR_CAPACITY);
		assert_int_equal(out[0], GUARD);
	}
	memset(out, GUARD, sizeof(out));
	assert_int_equal(mi_tlv_len_encode(0x80, out, 1), MI_ERR_CAPACITY);
	assert_int_equal(mi_tlv_len_encode(0x05, out, 0), MI_ERR_CAPACITY);
	assert_int_equal(out[0], GUARD);
	/* NULL value with a length is a programming error */
	assert_int_equal(mi_btlv_encode(out, sizeof(out), 0xD0, NULL, 3), MI_ERR_PARAM);
	assert_int_equal(mi_ctlv_encode(out, sizeof(out), 0x01, MI_TRUE, NULL, 3), MI_ERR_PARAM);
	assert_int_equal(mi_btlv_encode(out, sizeof(out), 0xD0, NULL, 0), 2);
}

/* Every truncation of a valid object fails, none reads past the end. */
static void test_every_truncation(void **state)
{
	static const mi_u8 env[] = {0xD6, 0x13, 0x99, 0x01, 0x03, 0x82, 0x02,
				    0x82, 0x81, 0x1B, 0x01, 0x00, 0x13, 0x07,
				    0x62, 0xF2, 0x10, 0x00, 0x01, 0x00, 0x02};
	static const mi_u8 lt[] = {0x7F, 0x81, 0x23, 0x81, 0x80};
	struct mi_btlv b;
	struct mi_ctlv t;
	mi_u8 *copy;
	mi_u16 n;

	(void)state;
	for (n = 0; n < sizeof(env); n++) {
		copy = malloc(n + 1u); /* exact size: ASan sees any over-read */
		assert_non_null(copy);
		memcpy(copy, env, n);
		assert_true(mi_btlv_decode(copy, n, &b) < 0);
		assert_null(b.val);
		free(copy);
	}
	assert_int_equal(mi_btlv_decode(env, sizeof(env), &b), (int)sizeof(env));
	for (n = 0; n < sizeof(lt); n++)
		assert_true(mi_ctlv_decode(lt, n, &t) < 0);
	assert_int_equal(mi_ctlv_decode(lt, sizeof(lt), &t), MI_ERR_LENGTH); /* 128 bytes missing */
}

static void test_find(void **state)
{
	/* the TERMINAL RESPONSE to PROVIDE LOCAL INFORMATION (TS 102 223 §6.8, §8.19) */
	static const mi_u8 tr[] = {0x81, 0x03, 0x01, 0x26, 0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01,
				   0x00, 0x93, 0x07, 0x62, 0xF2, 0x10, 0x00, 0x01, 0x00, 0x02};
	static const mi_u8 bad[] = {0x81, 0x03, 0x01, 0x26, 0x00, 0x82, 0x09, 0x82, 0x81};
	struct mi_ctlv t;

	(void)state;
	assert_int_equal(mi_ctlv_find(tr, sizeof(tr), 0x13, &t), 12);
	assert_true(t.cr);
	assert_int_equal(t.len, 7);
	assert_int_equal(t.val[0], 0x62);
	assert_int_equal(mi_ctlv_find(tr, sizeof(tr), 0x01, &t), 0);
	assert_int_equal(mi_ctlv_find(tr, sizeof(tr), 0x03, &t), 9);
	assert_int_equal(t.val[0], 0x00);
	assert_int_equal(mi_ctlv_find(tr, sizeof(tr), 0x25, &t), MI_ERR_NOT_FOUND);
	assert_null(t.val);
	assert_int_equal(mi_ctlv_find(tr, 0, 0x01, &t), MI_ERR_NOT_FOUND);
	/* a malformed TLV before the tag is reported, not skipped */
	assert_int_equal(mi_ctlv_find(bad, sizeof(bad), 0x03, &t), MI_ERR_LENGTH);
	assert_int_equal(mi_ctlv_find(bad, sizeof(bad), 0x01, &t), 0);
	assert_int_equal(mi_ctlv_find(tr, 0x8000u, 0x01, &t), MI_ERR_LENGTH);
	assert_int_equal(mi_ctlv_find(NULL, 3, 0x01, &t), MI_ERR_PARAM);
}

static mi_u32 rnd_state = 12345u;

static mi_u8 rnd8(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (mi_u8)(rnd_state >> 16);
}

/* Random bytes in exact-size buffers: decoders never read past len (ASan)
 * and either fail or consume at most len. */
static void test_random_input(void **state)
{
	struct mi_btlv b;
	struct mi_ctlv t;
	mi_u16 len, i;
	mi_u8 *buf;
	int iter, n;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = (mi_u16)(rnd8() % 40u);
		buf = malloc(len + 1u);
		assert_non_null(buf);
		for (i = 0; i < len; i++)
			buf[i] = rnd8();
		if (len > 0 && (iter & 1))
			buf[0] = (mi_u8)(0xD0u | (buf[0] & 0x07u)); /* plausible tags */
		n = mi_btlv_decode(buf, len, &b);
		assert_true(n <= (int)len);
		if (n > 0)
			assert_true(b.val + b.len <= buf + len);
		n = mi_ctlv_decode(buf, len, &t);
		assert_true(n <= (int)len);
		if (n > 0)
			assert_true(t.val + t.len <= buf + len);
		n = mi_ctlv_find(buf, len, 0x13, &t);
		assert_true(n < (int)len || n < 0);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),	     cmocka_unit_test(test_encoder_capacity),
	    cmocka_unit_test(test_every_truncation), cmocka_unit_test(test_find),
	    cmocka_unit_test(test_random_input),
	};

	return cmocka_run_group_tests_name("tlv", tests, NULL, NULL);
}
