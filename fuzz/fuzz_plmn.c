/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_plmn.c
 *  PLMN identity (TS 24.008 §10.5.1.13), xPLMNwAcT (TS 31.102 §4.2.5), the
 *  timer value (TS 102 223 §8.38) and the host text form "MCC-MNC".
 *  Properties: decoded values are in range and encode back to the input
 *  bytes; parse(format(p)) == p for text that parses.
 */
#include <string.h>

#include "fuzz.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_timer.h"

static void check_plmn(const struct mi_plmn *p)
{
	FUZZ_ASSERT(p->mcc <= 999u);
	FUZZ_ASSERT(p->mnc_digits == 2u || p->mnc_digits == 3u);
	FUZZ_ASSERT(p->mnc <= (p->mnc_digits == 2u ? 99u : 999u));
}

static void fuzz_plmn_bytes(const mi_u8 *buf, mi_u16 len)
{
	struct mi_plmn p, q;
	mi_u8 back[5];
	mi_u16 act = 0;
	int n;

	n = mi_plmn_decode(buf, len, &p);
	if (n >= 0) {
		FUZZ_ASSERT(n == 3 && len >= 3u);
		check_plmn(&p);
		FUZZ_ASSERT(mi_plmn_encode(&p, back, 3) == 3 && memcmp(back, buf, 3) == 0);
		FUZZ_ASSERT(mi_plmn_encode(&p, back, 2) == MI_ERR_CAPACITY);
	} else {
		FUZZ_ASSERT(n == MI_ERR_TRUNCATED || n == MI_ERR_DIGIT || n == MI_ERR_NOT_FOUND);
	}
	n = mi_plmnwact_decode(buf, len, &q, &act);
	if (n >= 0) {
		FUZZ_ASSERT(n == 5 && len >= 5u && mi_plmn_equal(&p, &q));
		FUZZ_ASSERT(mi_plmnwact_encode(&q, act, back, 5) == 5);
		FUZZ_ASSERT(memcmp(back, buf, 5) == 0);
	}
}

static void fuzz_timer(const mi_u8 *buf, mi_u16 len)
{
	mi_u32 s = 0;
	mi_u8 back[3];
	int n;

	n = mi_timer_decode(buf, len, &s);
	if (n < 0)
		return;
	FUZZ_ASSERT(n == 3 && s <= MI_TIMER_MAX_S);
	FUZZ_ASSERT(mi_timer_encode(s, back, sizeof(back)) == 3);
	FUZZ_ASSERT(memcmp(back, buf, 3) == 0);
}

static void fuzz_text(const mi_u8 *buf, mi_u16 len)
{
	struct mi_plmn p, q;
	char text[8];
	int n;

	if (mi_plmn_parse((const char *)buf, len, &p) != MI_OK)
		return;
	check_plmn(&p);
	n = mi_plmn_format(&p, text, sizeof(text));
	FUZZ_ASSERT(n == 6 || n == 7);
	FUZZ_ASSERT(mi_plmn_parse(text, (mi_u16)n, &q) == MI_OK && mi_plmn_equal(&p, &q));
	FUZZ_ASSERT(mi_plmn_format(&p, text, (mi_u16)n) == MI_ERR_CAPACITY);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!FUZZ_LEN_OK(size))
		return 0;
	fuzz_plmn_bytes(data, (mi_u16)size);
	fuzz_timer(data, (mi_u16)size);
	fuzz_text(data, (mi_u16)size);
	return 0;
}
