/* SPDX-License-Identifier: Apache-2.0 */
/* ota_crypto.c: algorithm codes, RC values, ciphering round trips, and
 * packets with RC, CC or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ota.h"

static void test_codes(void **state)
{
	(void)state;
	assert_int_equal(ota_kic_alg(0x15), OTA_ALG_3DES2);
	assert_int_equal(ota_kic_alg(0x19), OTA_ALG_3DES3);
	assert_int_equal(ota_kic_alg(0x22), OTA_ALG_AES);
	assert_int_equal(ota_kic_alg(0x03), OTA_ALG_BAD);
	assert_int_equal(ota_kid_alg(0x01, OTA_INT_RC), OTA_ALG_CRC16);
	assert_int_equal(ota_kid_alg(0x05, OTA_INT_RC), OTA_ALG_CRC32);
	assert_int_equal(ota_kid_alg(0x12, OTA_INT_CC), OTA_ALG_AES);
	assert_int_equal(ota_check_len(OTA_ALG_CRC16), 2);
	assert_int_equal(ota_check_len(OTA_ALG_AES), 8);
	assert_string_equal(ota_status_text(0x02), "counter low");
	assert_string_equal(ota_status_text(0x0A), "insufficient security level");
}

static void test_crc(void **state)
{
	(void)state;
	/* check values of CRC-16/X.25 and CRC-32 (ISO/IEC 13239) */
	assert_int_equal(ota_crc16((const uint8_t *)"123456789", 9), 0x906E);
	assert_int_equal(ota_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
}

static void test_cbc_round_trip(void **state)
{
	struct ota_key k3 = {0x19, 24, {0}}, aes = {0x22, 32, {0}}, bad = {0x15, 10, {0}};
	uint8_t buf[32], orig[32];
	unsigned i;

	(void)state;
	for (i = 0; i < 32; i++) {
		orig[i] = (uint8_t)(i * 7);
		k3.key[i % 24] = (uint8_t)(i + 1);
		aes.key[i] = (uint8_t)(0xA0 + i);
	}
	memcpy(buf, orig, 32);
	assert_int_equal(ota_cbc(OTA_ALG_3DES3, &k3, 1, buf, 32), OTA_OK);
	assert_memory_not_equal(buf, orig, 32);
	assert_int_equal(ota_cbc(OTA_ALG_3DES3, &k3, 0, buf, 32), OTA_OK);
	assert_memory_equal(buf, orig, 32);
	assert_int_equal(ota_cbc(OTA_ALG_AES, &aes, 1, buf, 32), OTA_OK);
	assert_int_equal(ota_cbc(OTA_ALG_AES, &aes, 0, buf, 32), OTA_OK);
	assert_memory_equal(buf, orig, 32);
	/* not a whole number of blocks, wrong key length */
	assert_int_equal(ota_cbc(OTA_ALG_AES, &aes, 1, buf, 20), OTA_ERR_FORMAT);
	assert_int_equal(ota_cbc(OTA_ALG_3DES2, &bad, 1, buf, 16), OTA_ERR_ALG);
}

/* Build then open a packet for each integrity kind (SPI1 b2..b1). */
static void round_trip(uint8_t spi1, uint8_t kid_id, int expect_len)
{
	static const uint8_t apdu[] = {0x00, 0xB0, 0x00, 0x00, 0x09};
	struct ota_key kic = {0x25, 16, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
	struct ota_key kid = {kid_id, 16, {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}};
	struct ota_cmd cmd = {spi1, 0x00, 0x25, kid_id, {0xB0, 0x00, 0x10}, {0, 0, 0, 0, 7}, 0, apdu,
			      sizeof(apdu)};
	struct ota_cmd got;
	struct ota_cmd_hdr h;
	uint8_t pkt[128], work[128];
	int n = ota_cmd_build(&cmd, &kic, &kid, pkt, sizeof(pkt));

	assert_int_equal(n, expect_len);
	assert_int_equal(ota_cmd_parse(pkt, (size_t)n, &h), OTA_OK);
	assert_int_equal(ota_cmd_open(&h, &kic, &kid, work, sizeof(work), &got), OTA_OK);
	assert_int_equal(got.cntr[4], 7);
	assert_int_equal(got.data_len, sizeof(apdu));
	assert_memory_equal(got.data, apdu, sizeof(apdu));
	if (spi1 & 0x03) {
		pkt[n - 1] ^= 0x10; /* the last byte of the data or padding */
		assert_int_equal(ota_cmd_parse(pkt, (size_t)n, &h), OTA_OK);
		assert_int_not_equal(ota_cmd_open(&h, &kic, &kid, work, sizeof(work), &got), OTA_OK);
	}
}

static void test_packets(void **state)
{
	(void)state;
	round_trip(0x00, 0x00, 2 + 1 + 13 + 5);         /* no security */
	round_trip(0x01, 0x01, 2 + 1 + 13 + 2 + 5);     /* CRC16 RC */
	round_trip(0x01, 0x05, 2 + 1 + 13 + 4 + 5);     /* CRC32 RC */
	round_trip(0x12, 0x25, 2 + 1 + 13 + 8 + 5);     /* CC, counter higher */
	round_trip(0x16, 0x25, 10 + 24);                /* CC + ciphered: 6+8+5 -> 24 */
}

static void test_bad_headers(void **state)
{
	static const uint8_t short_pkt[] = {0x00, 0x20, 0x15};
	static const uint8_t bad_chl[] = {0x00, 0x05, 0x02, 0, 0, 0, 0, 0};
	struct ota_cmd_hdr h;

	(void)state;
	assert_int_equal(ota_cmd_parse(short_pkt, sizeof(short_pkt), &h), OTA_ERR_SHORT);
	assert_int_equal(ota_cmd_parse(bad_chl, sizeof(bad_chl), &h), OTA_ERR_FORMAT);
	assert_int_equal(ota_cmd_parse(short_pkt, 1, &h), OTA_ERR_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),        cmocka_unit_test(test_crc),
		cmocka_unit_test(test_cbc_round_trip), cmocka_unit_test(test_packets),
		cmocka_unit_test(test_bad_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
