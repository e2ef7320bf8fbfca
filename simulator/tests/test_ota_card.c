/* SPDX-License-Identifier: Apache-2.0 */
/* The simulated card's OTA (TS 31.115, TS 102 225/226) through ENVELOPE
 * SMS-PP download on the default card: valid packets apply; a wrong CC, a
 * replayed counter, an unknown TAR, a too-low security level each get
 * their PoR status and leave the card image byte-identical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_ef.h"
#include "sim_card.h"
#include "sim_milenage.h"
#include "sim_test_util.h"
#include "st_ota.h"

static const uint8_t tar_uicc[3] = {0xB0, 0x00, 0x10};
static const uint8_t tar_mimsi[3] = {0xB0, 0x00, 0x20};

static const uint8_t update_cfg_b[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x11, /* SELECT EF.MI_CFG.B */
				       0x00, 0xD6, 0x00, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF};

static struct sim_card *card(void)
{
	struct sim_card *c = sim_card_new_default();
	uint8_t atr[40];
	size_t al = sizeof(atr);

	assert_non_null(c);
	assert_int_equal(sim_card_power_on(c, atr, &al), SIM_OK);
	return c;
}

static void test_valid_applies(void **state)
{
	struct sim_card *c = card();
	struct st_sent s;
	uint8_t cfg[MI_EF_CFG_SIZE];

	(void)state;
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, update_cfg_b, sizeof(update_cfg_b), 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	/* compact response: 2 commands, last SW 9000 */
	assert_int_equal(s.por.data_len, 3);
	assert_int_equal(s.por.data[0], 2);
	assert_int_equal(s.por.data[1], 0x90);
	assert_int_equal(sim_card_ef_read(c, "7F4D/6F11", cfg, sizeof(cfg)), (int)MI_EF_CFG_SIZE);
	assert_memory_equal(cfg, "\xDE\xAD\xBE\xEF", 4);
	assert_int_equal(s.por.cntr[4], 1);
	sim_card_free(c);
}

/* Each refused packet: its PoR status, and a byte-identical card. */
static void refused(uint8_t spi1, const uint8_t tar[3], uint64_t cntr, int corrupt, uint8_t status)
{
	struct sim_card *c = card();
	struct st_sent s;
	char *before, *after;

	/* spend counter 5 first so that a replay has something to hit */
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 5, update_cfg_b, 7, 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	before = st_image_text(c);
	st_ota_send(c, spi1, 0x19, tar, cntr, update_cfg_b, sizeof(update_cfg_b), corrupt, &s);
	assert_int_equal(s.por.status, status);
	after = st_image_text(c);
	assert_string_equal(before, after);
	free(before);
	free(after);
	sim_card_free(c);
}

static void test_wrong_cc(void **state)
{
	(void)state;
	refused(0x16, tar_mimsi, 6, 1, OTA_ST_RC_CC_DS_FAILED);
}

static void test_replayed_counter(void **state)
{
	(void)state;
	refused(0x16, tar_mimsi, 5, 0, OTA_ST_CNTR_LOW);
	refused(0x16, tar_mimsi, 4, 0, OTA_ST_CNTR_LOW);
	refused(0x1E, tar_mimsi, 7, 0, OTA_ST_CNTR_HIGH); /* 11: exactly one higher */
}

static void test_unknown_tar(void **state)
{
	static const uint8_t tar_none[3] = {0xB0, 0x99, 0x99};

	(void)state;
	refused(0x16, tar_none, 6, 0, OTA_ST_TAR_UNKNOWN);
}

static void test_low_level(void **state)
{
	(void)state;
	refused(0x12, tar_mimsi, 6, 0, OTA_ST_SECURITY_LEVEL); /* not ciphered */
	refused(0x06, tar_mimsi, 6, 0, OTA_ST_SECURITY_LEVEL); /* no counter */
}

/* A blocked counter (all FF for key version 3) answers 04, changing nothing. */
static void test_blocked_counter(void **state)
{
	struct sim_card *c = card();
	struct st_sent s;
	char *before, *after;

	(void)state;
	assert_int_equal(sim_card_ef_write(c, "7FDE/6F02", (const uint8_t[15]){0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
									       0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
					   15),
			 SIM_OK);
	before = st_image_text(c);
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, update_cfg_b, sizeof(update_cfg_b), 0, &s);
	assert_int_equal(s.por.status, OTA_ST_CNTR_BLOCKED);
	after = st_image_text(c);
	assert_string_equal(before, after);
	free(after);
	free(before);
	sim_card_free(c);
}

static void test_access_domain(void **state)
{
	/* UICC RFM holds PIN1 rights only: EF.IMSI (ADM) stays as it was */
	static const uint8_t upd_imsi[] = {0x00, 0xA4, 0x08, 0x04, 0x04, 0x7F, 0xFF, 0x6F, 0x07,
					   0x00, 0xD6, 0x00, 0x00, 0x01, 0x00};
	struct sim_card *c = card();
	uint8_t imsi[9], imsi_after[9];
	struct st_sent s;

	(void)state;
	assert_int_equal(sim_card_ef_read(c, "7FFF/6F07", imsi, 9), 9);
	st_ota_send(c, 0x12, 0x09, tar_uicc, 1, upd_imsi, sizeof(upd_imsi), 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	assert_int_equal(s.por.data[0], 2);
	assert_int_equal(s.por.data[1], 0x69);
	assert_int_equal(s.por.data[2], 0x82);
	assert_int_equal(sim_card_ef_read(c, "7FFF/6F07", imsi_after, 9), 9);
	assert_memory_equal(imsi, imsi_after, 9);
	/* the counter was spent all the same: a replay is refused */
	st_ota_send(c, 0x12, 0x09, tar_uicc, 1, upd_imsi, sizeof(upd_imsi), 0, &s);
	assert_int_equal(s.por.status, OTA_ST_CNTR_LOW);
	sim_card_free(c);
}

static void test_concatenated_expanded(void **state)
{
	struct sim_card *c = card();
	uint8_t script[400], apdu[5 + 200], rules[4096];
	struct st_sent s;
	int n = 0;

	(void)state;
	n = ota_rfm_add(OTA_RFM_EXPANDED, script, 0, sizeof(script),
			(const uint8_t[]){0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x13}, 7);
	memcpy(apdu, (const uint8_t[]){0x00, 0xD6, 0x00, 0x10, 200}, 5);
	memset(apdu + 5, 0x5A, 200);
	n = ota_rfm_add(OTA_RFM_EXPANDED, script, (size_t)n, sizeof(script), apdu, sizeof(apdu));
	n = ota_rfm_close(OTA_RFM_EXPANDED, script, (size_t)n, sizeof(script));
	assert_true(n > 137);
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, script, (size_t)n, 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	assert_int_equal(s.por.data[0], 0xAB);
	assert_true(sim_card_ef_read(c, "7F4D/6F13", rules, sizeof(rules)) > 0);
	assert_int_equal(rules[0x10], 0x5A);
	assert_int_equal(rules[0x10 + 199], 0x5A);
	sim_card_free(c);
}

/* ENVELOPE as case 4 (Le 00 appended), as some terminals send it */
static void test_envelope_case4(void **state)
{
	struct sim_card *c = card();
	uint8_t apdu[80], rsp[300], work[300], gr[5] = {0x00, 0xC0, 0x00, 0x00, 0x00};
	size_t rl = sizeof(rsp);
	struct ota_por por;
	int n, sw;

	(void)state;
	/* the published ENVELOPE (3DES, TAR B00011, no counter): refused for its
	 * security level on this card, but answered with a PoR */
	n = st_unhex("80C200003ED13C820283818B364008812143658 77FF6227052000000002502700000201506193535"
		     "B00011AE733256918D050B87C94FBFE12E4DC402F262C41CF67F2F00", apdu, sizeof(apdu));
	assert_int_equal(n, 5 + 0x3E + 1);
	sw = st_xmit_raw(c, apdu, (size_t)n, rsp, &rl);
	assert_int_equal(sw & 0xFF00, 0x6100);
	gr[4] = (uint8_t)sw;
	rl = sizeof(rsp);
	assert_int_equal(st_xmit_raw(c, gr, 5, rsp, &rl), 0x9000);
	/* deciphered and its CC verified with key version 3: the card understood
	 * the packet (no counter: below B00011's minimum security level) */
	assert_int_equal(ota_por_parse(0x19, rsp, rl - 2, &st_kic3, &st_kid3, work, sizeof(work), &por), OTA_OK);
	assert_int_equal(por.status, OTA_ST_SECURITY_LEVEL);
	assert_memory_equal(por.tar, "\xB0\x00\x11", 3);
	sim_card_free(c);
}

static void test_por_by_sms(void **state)
{
	struct sim_card *c = card();
	uint8_t cmd[300];
	size_t len = sizeof(cmd);
	struct st_sent s;
	int sw;

	(void)state;
	st_ota_send(c, 0x16, 0x39, tar_mimsi, 1, update_cfg_b, sizeof(update_cfg_b), 0, &s);
	assert_int_equal(s.sw & 0xFF00, 0x9100);
	assert_int_equal(st_fetch(c, s.sw, cmd, &len), 0x13); /* SEND SHORT MESSAGE */
	sw = st_xmit(c, "801400000C810301130082028281830100", NULL, NULL);
	assert_int_equal(sw, 0x9000);
	sim_card_free(c);
}

/* Slot keys written over the air land in the key store: never readable,
 * and AUTHENTICATE (GSM context) uses them. */
static void test_key_store(void **state)
{
	static const uint8_t k2[16] = {0x03, 0x96, 0xeb, 0x31, 0x7b, 0x6d, 0x1c, 0x36,
				       0xf1, 0x9c, 0x1c, 0x84, 0xcd, 0x6f, 0xfd, 0x16};
	static const uint8_t opc2[16] = {0x53, 0xc1, 0x56, 0x71, 0xc6, 0x0a, 0x4b, 0x73,
					 0x1c, 0x55, 0xb4, 0xa4, 0x41, 0xc0, 0xbd, 0xe2};
	struct sim_card *c = card();
	uint8_t script[64], rsp[64], rand_[16], zero[6] = {0}, amf[2] = {0};
	size_t rl = sizeof(rsp);
	struct sim_milenage_out o;
	struct st_sent s;
	int n;

	(void)state;
	memcpy(script, (const uint8_t[]){0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x0E, 0x00, 0xDC, 0x01, 0x04, 32}, 12);
	memcpy(script + 12, k2, 16);
	memcpy(script + 28, opc2, 16);
	n = 44;
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, script, (size_t)n, 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	assert_int_equal(s.por.data[1], 0x90);
	/* READ RECORD under ADM: 6982 */
	assert_int_equal(st_xmit(c, "0020000A083132333435363738", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "00A40004027F4D", NULL, NULL) & 0xFF00, 0x6100);
	assert_int_equal(st_xmit(c, "00A40004026F0E", NULL, NULL) & 0xFF00, 0x6100);
	assert_int_equal(st_xmit(c, "00B2010420", NULL, NULL), 0x6982);
	/* AUTHENTICATE GSM with key set 1 now answers with test set 2's K/OPc */
	memset(rand_, 0x42, 16);
	assert_int_equal(sim_milenage(k2, opc2, rand_, zero, amf, &o), 0);
	assert_int_equal(st_xmit(c, "00A4040410A0000000871002FFFFFFFF8907090000", NULL, NULL) & 0xFF00, 0x6100);
	assert_int_equal(st_xmit(c, "0088008011" "10" "42424242424242424242424242424242" "00", rsp, &rl) & 0xFF00,
			 0x6100);
	rl = sizeof(rsp);
	assert_int_equal(st_xmit(c, "00C000000E", rsp, &rl), 0x9000);
	{
		uint8_t sres[4];

		sim_milenage_sres(o.res, sres);
		assert_memory_equal(rsp + 1, sres, 4);
	}
	sim_card_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_applies),     cmocka_unit_test(test_wrong_cc),
		cmocka_unit_test(test_replayed_counter),  cmocka_unit_test(test_unknown_tar),
		cmocka_unit_test(test_low_level),         cmocka_unit_test(test_access_domain),
		cmocka_unit_test(test_concatenated_expanded), cmocka_unit_test(test_por_by_sms),
		cmocka_unit_test(test_key_store),    cmocka_unit_test(test_envelope_case4),
		cmocka_unit_test(test_blocked_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
