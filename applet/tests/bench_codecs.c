/* SPDX-License-Identifier: Apache-2.0 */
/*! \file bench_codecs.c
 *  Codec throughput, printed as figures (never asserted): each codec runs
 *  in batches for about 0.2 s of CLOCK_MONOTONIC time.
 *    codec <name>: <N> ops/s
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_timer.h"
#include "mimsi/mi_tlv.h"

#define BATCH 1000u
#define RUN_NS 200000000ULL /* 0.2 s */

static volatile int sink; /* keeps results alive */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

typedef int (*bench_fn)(void);

static void bench(const char *name, bench_fn fn, const char *unit_note)
{
	uint64_t start = now_ns(), elapsed, ops = 0;
	unsigned i;
	int acc = 0;

	do {
		for (i = 0; i < BATCH; i++)
			acc += fn();
		ops += BATCH;
		elapsed = now_ns() - start;
	} while (elapsed < RUN_NS);
	sink = acc;
	printf("codec %s: %llu ops/s%s\n", name,
	       (unsigned long long)(ops * 1000000000ULL / elapsed), unit_note);
}

/* ---- inputs: PLMN 262-01 (TS 24.008 §10.5.1.13), EF_IMSI (TS 31.102 §4.2.2),
 * ENVELOPE location status (TS 102 223 §7.5) */
static const mi_u8 plmn_bytes[3] = {0x62, 0xF2, 0x10};
static const mi_u8 imsi_ef[9] = {0x08, 0x29, 0x26, 0x10, 0x11, 0x60, 0x84, 0x57, 0x40};
static const mi_u8 env_loc[] = {0xD6, 0x13, 0x99, 0x01, 0x03, 0x82, 0x02, 0x82, 0x81, 0x1B, 0x01,
				0x00, 0x13, 0x07, 0x62, 0xF2, 0x10, 0x00, 0x01, 0x00, 0x02};
static const mi_u8 apdu_env[] = {0x80, 0xC2, 0x00, 0x00, 0x15, 0xD6, 0x13, 0x99, 0x01,
				 0x03, 0x82, 0x02, 0x82, 0x81, 0x1B, 0x01, 0x00, 0x13,
				 0x07, 0x62, 0xF2, 0x10, 0x00, 0x01, 0x00, 0x02};
static mi_u8 rules_file[MI_EF_RULES_SIZE];

static int b_plmn_decode(void)
{
	struct mi_plmn p;

	return mi_plmn_decode(plmn_bytes, 3, &p) + p.mcc;
}

static int b_imsi_encode(void)
{
	mi_u8 out[9];

	return mi_imsi_encode("262011106487504", 15, out, sizeof(out)) + out[8];
}

static int b_imsi_decode(void)
{
	char d[16];

	return mi_imsi_decode(imsi_ef, sizeof(imsi_ef), d, sizeof(d)) + d[14];
}

/* The whole envelope: BER-TLV, then every COMPREHENSION-TLV in it. */
static int b_env_decode(void)
{
	struct mi_btlv b;
	struct mi_ctlv t;
	mi_u16 off = 0;
	int n, acc;

	acc = mi_btlv_decode(env_loc, sizeof(env_loc), &b);
	while (off < b.len) {
		n = mi_ctlv_decode(b.val + off, (mi_u16)(b.len - off), &t);
		if (n < 0)
			return n;
		acc += t.tag;
		off = (mi_u16)(off + n);
	}
	return acc;
}

static int b_apdu_parse(void)
{
	struct mi_apdu a;

	return mi_apdu_parse(apdu_env, sizeof(apdu_env), &a) + a.lc;
}

static int b_timer_decode(void)
{
	static const mi_u8 v[3] = {0x00, 0x10, 0x03};
	mi_u32 s;

	return mi_timer_decode(v, 3, &s) + (int)s;
}

static int b_ef_check_4k(void)
{
	return mi_ef_check(rules_file, sizeof(rules_file), MI_EF_TYPE_RULES, NULL);
}

int main(void)
{
	mi_u16 i;
	mi_u16 body = MI_EF_RULES_SIZE - MI_EF_HDR_LEN;

	for (i = 0; i < body; i++)
		rules_file[MI_EF_HDR_LEN + i] = (mi_u8)(i * 31u);
	if (mi_ef_seal(rules_file, sizeof(rules_file), MI_EF_TYPE_RULES, 1, body) < 0) {
		fprintf(stderr, "bench_codecs: cannot seal the test file\n");
		return 1;
	}
	bench("plmn_decode", b_plmn_decode, "");
	bench("imsi_encode", b_imsi_encode, "");
	bench("imsi_decode", b_imsi_decode, "");
	bench("ctlv_envelope_decode", b_env_decode, " (location status ENVELOPE, 4 C-TLVs)");
	bench("apdu_parse", b_apdu_parse, "");
	bench("timer_decode", b_timer_decode, "");
	bench("ef_check_4k", b_ef_check_4k, " (4096-byte EF.MI_RULES, CRC-32 included)");
	return 0;
}
