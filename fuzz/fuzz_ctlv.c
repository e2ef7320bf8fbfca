/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_ctlv.c
 *  COMPREHENSION-TLV (TS 101 220 §7.1.1, TS 102 223 §8): mi_ctlv_decode
 *  walking the whole input, mi_ctlv_find, and the engine's mi_cat_scan.
 *  Properties: each item stays inside the input and re-encodes to the same
 *  bytes (1-byte tags, and 3-byte tags above 7E); mi_ctlv_find answers what
 *  the walk predicts (first item with the tag, else the first error, else
 *  NOT_FOUND); mi_cat_scan succeeds exactly when the walk does and no
 *  unknown tag carries the CR bit, and its values point inside the input.
 */
#include <string.h>

#include "fuzz.h"
#include "mi_engine_int.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"

#define MAX_ITEMS 64u

struct walk {
	mi_u16 n;               /* items decoded */
	mi_u16 off[MAX_ITEMS];  /* their offsets */
	mi_u16 tag[MAX_ITEMS];
	int err;                /* error that ended the walk, or MI_OK */
	mi_u16 err_off;
	mi_bool cr_unknown;     /* an unknown tag with CR was met */
};

static const mi_u8 known_tags[] = {0x01, 0x02, 0x03, 0x10, 0x13, 0x15, 0x19, 0x1B,
				   0x24, 0x25, 0x3F, 0x73, 0x74, 0x75, 0x7D};

static mi_bool tag_known(const struct mi_ctlv *c)
{
	size_t k;

	if (c->long_tag)
		return MI_FALSE;
	for (k = 0; k < sizeof(known_tags); k++)
		if (c->tag == known_tags[k])
			return MI_TRUE;
	return MI_FALSE;
}

static void check_item(const mi_u8 *buf, mi_u16 rest, int n, const struct mi_ctlv *c)
{
	mi_u8 out[3u + 2u + 255u];
	struct mi_ctlv again;
	int m;

	FUZZ_ASSERT(n >= 2 && n <= (int)rest);
	FUZZ_ASSERT(c->val != NULL && c->val + c->len == buf + n);
	FUZZ_ASSERT(c->len <= 255u && c->tag <= 0x7FFFu);
	FUZZ_ASSERT(!c->long_tag || n >= 4);
	if (c->long_tag && (c->tag <= 0x7Eu))
		return; /* the encoder writes these in the 1-byte form */
	m = mi_ctlv_encode(out, sizeof(out), c->tag, c->cr, c->val, c->len);
	FUZZ_ASSERT(m == n && memcmp(out, buf, (size_t)n) == 0);
	m = mi_ctlv_decode(out, (mi_u16)n, &again);
	FUZZ_ASSERT(m == n && again.tag == c->tag && again.cr == c->cr &&
		    again.long_tag == c->long_tag && again.len == c->len);
	FUZZ_ASSERT(mi_ctlv_decode(buf, (mi_u16)(n - 1), &again) < 0 && again.val == NULL);
}

static void walk_all(const mi_u8 *buf, mi_u16 len, struct walk *w)
{
	struct mi_ctlv c;
	mi_u16 off = 0;
	int n;

	memset(w, 0, sizeof(*w));
	while (off < len) {
		n = mi_ctlv_decode(buf + off, (mi_u16)(len - off), &c);
		if (n < 0) {
			FUZZ_ASSERT(c.val == NULL);
			w->err = n;
			w->err_off = off;
			return;
		}
		check_item(buf + off, (mi_u16)(len - off), n, &c);
		if (!tag_known(&c) && c.cr)
			w->cr_unknown = MI_TRUE;
		if (w->n < MAX_ITEMS) {
			w->off[w->n] = off;
			w->tag[w->n] = c.tag;
		}
		w->n++;
		off = (mi_u16)(off + (mi_u16)n);
	}
}

static void check_find(const mi_u8 *buf, mi_u16 len, const struct walk *w, mi_u16 tag)
{
	struct mi_ctlv c;
	int expect = w->err ? w->err : MI_ERR_NOT_FOUND;
	mi_u16 i;
	int rc;

	if (w->n > MAX_ITEMS)
		return; /* walk not fully recorded */
	for (i = 0; i < w->n; i++) {
		if (w->tag[i] == tag) {
			expect = w->off[i];
			break;
		}
	}
	rc = mi_ctlv_find(buf, len, tag, &c);
	FUZZ_ASSERT(rc == expect);
	if (rc >= 0)
		FUZZ_ASSERT(c.tag == tag && c.val != NULL && c.val + c.len <= buf + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w;
	struct mi_tlvs t;
	mi_u16 len, i;
	int rc;
	size_t k;

	if (!FUZZ_LEN_OK(size))
		return 0;
	len = (mi_u16)size;
	walk_all(data, len, &w);

	for (i = 0; i < w.n && i < 4u && i < MAX_ITEMS; i++)
		check_find(data, len, &w, w.tag[i]);
	check_find(data, len, &w, 0x13u); /* location information */
	check_find(data, len, &w, 0x7FFFu);

	rc = mi_cat_scan(data, len, &t);
	if (w.err)
		FUZZ_ASSERT(rc < 0);
	else if (w.cr_unknown)
		FUZZ_ASSERT(rc == MI_ERR_TAG);
	else
		FUZZ_ASSERT(rc == MI_OK);
	if (rc == MI_OK) {
		for (k = 0; k < MI_T_COUNT; k++)
			if (t.v[k])
				FUZZ_ASSERT(t.v[k] >= data && t.v[k] + t.l[k] <= data + len);
	}
	return 0;
}
