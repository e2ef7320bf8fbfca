/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_btlv.c
 *  mi_btlv_decode over a run of BER-TLV objects (TS 101 220 §7.2).
 *  Properties: consumed bytes stay inside the input, the value pointer lies
 *  in it, a failed decode leaves val NULL, and since the decoder refuses
 *  non-minimal lengths, encode(decode(x)) gives back x byte for byte.
 */
#include <string.h>

#include "fuzz.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_tlv.h"

static void check_one(const uint8_t *buf, mi_u16 len, int n, const struct mi_btlv *t)
{
	mi_u8 out[1u + 2u + 255u];
	struct mi_btlv again;
	int m;

	FUZZ_ASSERT(n >= 2 && n <= (int)len);
	FUZZ_ASSERT(t->val != NULL && t->tag != 0x00u && t->tag != 0xFFu);
	FUZZ_ASSERT(t->val + t->len == buf + n);
	FUZZ_ASSERT(t->len <= 255u);

	m = mi_btlv_encode(out, sizeof(out), t->tag, t->val, t->len);
	FUZZ_ASSERT(m == n);
	FUZZ_ASSERT(memcmp(out, buf, (size_t)n) == 0);
	/* one byte short: refused, nothing written past the capacity */
	FUZZ_ASSERT(mi_btlv_encode(out, (mi_u16)(n - 1), t->tag, t->val, t->len) ==
		    MI_ERR_CAPACITY);

	m = mi_btlv_decode(out, (mi_u16)n, &again);
	FUZZ_ASSERT(m == n && again.tag == t->tag && again.len == t->len);
	FUZZ_ASSERT(memcmp(again.val, t->val, t->len) == 0);
	/* every strict prefix of a TLV is incomplete */
	FUZZ_ASSERT(mi_btlv_decode(buf, (mi_u16)(n - 1), &again) < 0 && again.val == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mi_btlv t;
	mi_u16 off = 0, len;
	int n;

	if (!FUZZ_LEN_OK(size))
		return 0;
	len = (mi_u16)size;
	do {
		n = mi_btlv_decode(data + off, (mi_u16)(len - off), &t);
		if (n < 0) {
			FUZZ_ASSERT(t.val == NULL && t.len == 0u);
			break;
		}
		check_one(data + off, (mi_u16)(len - off), n, &t);
		off = (mi_u16)(off + (mi_u16)n);
	} while (off < len);
	return 0;
}
