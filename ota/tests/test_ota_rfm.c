/* SPDX-License-Identifier: Apache-2.0 */
/* ota_rfm.c: scripts in compact and expanded format, walked back, and the
 * response data of both formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ota.h"

static const uint8_t sel[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x7F, 0x4D};
static const uint8_t rd[] = {0x00, 0xB0, 0x00, 0x00, 0x04};
static const uint8_t upd[] = {0x00, 0xD6, 0x00, 0x00, 0x02, 0xAB, 0xCD};

static void walk(enum ota_rfm_format f)
{
	const uint8_t *list[3] = {sel, rd, upd};
	size_t lens[3] = {sizeof(sel), sizeof(rd), sizeof(upd)};
	uint8_t script[64];
	struct ota_rfm_iter it;
	const uint8_t *a;
	size_t al;
	int n = 0, i;

	for (i = 0; i < 3; i++) {
		n = ota_rfm_add(f, script, (size_t)n, sizeof(script), list[i], lens[i]);
		assert_true(n > 0);
	}
	n = ota_rfm_close(f, script, (size_t)n, sizeof(script));
	if (f == OTA_RFM_EXPANDED) {
		assert_int_equal(script[0], 0xAA);
		assert_int_equal(n, 2 + 3 * 2 + 7 + 5 + 7);
	} else {
		assert_int_equal(n, 7 + 5 + 7);
	}
	assert_int_equal(ota_rfm_begin(&it, script, (size_t)n), OTA_OK);
	assert_int_equal(it.format, f);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ota_rfm_next(&it, &a, &al), 1);
		assert_int_equal(al, lens[i]);
		assert_memory_equal(a, list[i], al);
	}
	assert_int_equal(ota_rfm_next(&it, &a, &al), 0);
}

static void test_scripts(void **state)
{
	static const uint8_t cut[] = {0x00, 0xD6, 0x00, 0x00, 0x05, 0x01};
	static const uint8_t cut_tlv[] = {0xAA, 0x05, 0x22, 0x09, 0x00, 0xB0, 0x00};
	struct ota_rfm_iter it;
	const uint8_t *a;
	size_t al;

	(void)state;
	walk(OTA_RFM_COMPACT);
	walk(OTA_RFM_EXPANDED);
	{
		/* indefinite form: AE 80 ... 00 00 */
		static const uint8_t indef[] = {0xAE, 0x80, 0x22, 0x05, 0x00, 0xB0, 0x00, 0x00, 0x04,
						0x00, 0x00};

		assert_int_equal(ota_rfm_begin(&it, indef, sizeof(indef)), OTA_OK);
		assert_int_equal(it.format, OTA_RFM_EXPANDED);
		assert_int_equal(ota_rfm_next(&it, &a, &al), 1);
		assert_int_equal(al, 5);
		assert_int_equal(ota_rfm_next(&it, &a, &al), 0);
	}
	assert_int_equal(ota_rfm_begin(&it, cut, sizeof(cut)), OTA_OK);
	assert_int_equal(ota_rfm_next(&it, &a, &al), OTA_ERR_SHORT);
	assert_int_equal(ota_rfm_begin(&it, cut_tlv, sizeof(cut_tlv)), OTA_OK);
	assert_int_equal(ota_rfm_next(&it, &a, &al), OTA_ERR_SHORT);
}

static void test_responses(void **state)
{
	static const uint8_t data[] = {0x11, 0x22};
	static const uint8_t compact[] = {0x02, 0x90, 0x00, 0x11, 0x22};
	static const uint8_t expanded[] = {0xAB, 0x0D, 0x80, 0x01, 0x02, 0x23, 0x02, 0x90, 0x00,
					   0x23, 0x04, 0x11, 0x22, 0x90, 0x00};
	struct ota_rfm_resp r;
	uint8_t out[64];

	(void)state;
	ota_rfm_resp_init(&r, OTA_RFM_COMPACT);
	ota_rfm_resp_add(&r, NULL, 0, 0x9000);
	ota_rfm_resp_add(&r, data, 2, 0x9000);
	assert_int_equal(ota_rfm_resp_encode(&r, out, sizeof(out)), sizeof(compact));
	assert_memory_equal(out, compact, sizeof(compact));
	ota_rfm_resp_init(&r, OTA_RFM_EXPANDED);
	ota_rfm_resp_add(&r, NULL, 0, 0x9000);
	ota_rfm_resp_add(&r, data, 2, 0x9000);
	assert_int_equal(ota_rfm_resp_encode(&r, out, sizeof(out)), sizeof(expanded));
	assert_memory_equal(out, expanded, sizeof(expanded));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
