/* SPDX-License-Identifier: Apache-2.0 */
/* ota_sms.c: concatenation with IEI 00 and 08, reassembly in any order,
 * SMS-SUBMIT for a PoR, refused TPDUs and ENVELOPEs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ota.h"

static void concat(uint8_t iei, size_t len, int parts, int reverse)
{
	static const uint8_t scts[7];
	struct ota_addr oa = {0x91, "4912345"};
	struct ota_split_opt opt = {iei, 0x1234};
	uint8_t pkt[600], ud[8][OTA_UD_MAX], tpdu[OTA_TPDU_MAX], out[1200];
	size_t udl[8], out_len = 0;
	struct ota_reasm r;
	int n, i, rc = 0;

	for (i = 0; i < (int)len; i++)
		pkt[i] = (uint8_t)(i ^ 0x5A);
	n = ota_split(pkt, len, &opt, ud, udl, 8);
	assert_int_equal(n, parts);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		int k = reverse ? n - 1 - i : i;
		struct ota_sms s;
		int t;

		assert_true(udl[k] <= OTA_UD_MAX);
		t = ota_sms_deliver_build(&oa, scts, ud[k], udl[k], tpdu, sizeof(tpdu));
		assert_true(t > 0);
		assert_int_equal(ota_sms_parse(tpdu, (size_t)t, &s), OTA_OK);
		if (n > 1) {
			assert_int_equal(s.concat, iei == 0 ? 1 : 2);
			assert_int_equal(s.ref, iei == 0 ? 0x34 : 0x1234);
			assert_int_equal(s.seq, k + 1);
			assert_int_equal(s.has_cpi, k == 0);
		}
		rc = ota_reasm_add(&r, &s, out, sizeof(out), &out_len);
		assert_int_equal(rc, i == n - 1 ? 1 : 0);
	}
	assert_int_equal(out_len, len);
	assert_memory_equal(out, pkt, len);
}

static void test_concat(void **state)
{
	(void)state;
	concat(0x00, 137, 1, 0);   /* fits one SMS with UDH 02 70 00 */
	concat(0x00, 138, 2, 0);   /* 132 + 6 */
	concat(0x00, 266, 2, 1);   /* 132 + 134, parts in reverse order */
	concat(0x08, 400, 4, 0);   /* 131 + 133 + 133 + 3 */
	concat(0x08, 400, 4, 1);
}

static void test_submit(void **state)
{
	static const uint8_t ud[] = {0x02, 0x71, 0x00, 0x00, 0x0B};
	struct ota_addr da = {0x81, "12345"};
	uint8_t tpdu[64];
	struct ota_sms s;
	int n;

	(void)state;
	n = ota_sms_submit_build(&da, 7, ud, sizeof(ud), tpdu, sizeof(tpdu));
	assert_int_equal(n, 1 + 1 + 2 + 3 + 3 + (int)sizeof(ud));
	assert_int_equal(tpdu[0], 0x41);
	assert_int_equal(ota_sms_parse(tpdu, (size_t)n, &s), OTA_OK);
	assert_true(s.has_rpi);
	assert_string_equal(s.addr.digits, "12345");
	assert_int_equal(s.body_len, 2);
}

static void test_refused(void **state)
{
	/* 7-bit DCS 00 */
	static const uint8_t gsm7[] = {0x40, 0x02, 0x81, 0x21, 0x7F, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x02, 0x70, 0x00};
	/* UDL beyond the TPDU */
	static const uint8_t long_udl[] = {0x40, 0x02, 0x81, 0x21, 0x7F, 0xF6, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x02};
	/* UDHL beyond the UD */
	static const uint8_t long_udh[] = {0x40, 0x02, 0x81, 0x21, 0x7F, 0xF6, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x05, 0x70};
	/* concatenation with seq 0 */
	static const uint8_t seq0[] = {0x40, 0x02, 0x81, 0x21, 0x7F, 0xF6, 0, 0, 0, 0, 0, 0, 0,
				       0x06, 0x05, 0x00, 0x03, 0x01, 0x02, 0x00};
	static const uint8_t env_bad_tag[] = {0xD3, 0x02, 0x90, 0x00};
	static const uint8_t env_no_tpdu[] = {0xD1, 0x04, 0x82, 0x02, 0x83, 0x81};
	static const uint8_t env_short[] = {0xD1, 0x09, 0x82, 0x02, 0x83, 0x81};
	const uint8_t *t;
	size_t tl;
	struct ota_sms s;

	(void)state;
	assert_int_equal(ota_sms_parse(gsm7, sizeof(gsm7), &s), OTA_ERR_FORMAT);
	assert_int_equal(ota_sms_parse(long_udl, sizeof(long_udl), &s), OTA_ERR_SHORT);
	assert_int_equal(ota_sms_parse(long_udh, sizeof(long_udh), &s), OTA_ERR_SHORT);
	assert_int_equal(ota_sms_parse(seq0, sizeof(seq0), &s), OTA_ERR_FORMAT);
	assert_int_equal(ota_envelope_parse(env_bad_tag, sizeof(env_bad_tag), &t, &tl), OTA_ERR_FORMAT);
	assert_int_equal(ota_envelope_parse(env_no_tpdu, sizeof(env_no_tpdu), &t, &tl), OTA_ERR_FORMAT);
	assert_int_equal(ota_envelope_parse(env_short, sizeof(env_short), &t, &tl), OTA_ERR_SHORT);
}

static void test_envelope_sc(void **state)
{
	static const uint8_t tpdu[] = {0x40, 0x02, 0x81, 0x21, 0x7F, 0xF6, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x02, 0x70, 0x00};
	struct ota_addr sc = {0x91, "4917"};
	uint8_t apdu[64];
	const uint8_t *t;
	size_t tl;
	int n = ota_envelope_build(&sc, tpdu, sizeof(tpdu), apdu, sizeof(apdu));

	(void)state;
	assert_true(n > 0);
	/* 86 03 91 94 71: TON/NPI then swapped digits */
	assert_int_equal(apdu[11], 0x86);
	assert_int_equal(apdu[12], 0x03);
	assert_int_equal(apdu[14], 0x94);
	assert_int_equal(ota_envelope_parse(apdu + 5, (size_t)n - 5, &t, &tl), OTA_OK);
	assert_int_equal(tl, sizeof(tpdu));
	assert_memory_equal(t, tpdu, sizeof(tpdu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concat),  cmocka_unit_test(test_submit),
		cmocka_unit_test(test_refused), cmocka_unit_test(test_envelope_sc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
