/* SPDX-License-Identifier: Apache-2.0 */
/* The OTA fuzz target (fuzz/fuzz_ota.c) replayed over its seed corpus
 * fuzz/corpus/ota/ with the normal compiler, so `make check` runs it
 * without clang: every seed must pass the target's properties, and the
 * seeds must reach the deep paths (an opened packet, a reassembled one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../fuzz/fuzz_ota.c"
#include "../../fuzz/fuzz_replay.h"

#define CORPUS "fuzz/corpus/ota"

static void test_corpus(void **state)
{
	static uint8_t buf[4096];

	(void)state;
	assert_true(fuzz_replay_dir(CORPUS, buf, sizeof(buf)) >= 8);
}

/* The seeds are real packets: the published vectors open with their keys. */
static void test_seeds_open(void **state)
{
	static const uint8_t aes[] = {0x00, 0x28, 0x15, 0x06, 0x19, 0x22, 0x22, 0xB0, 0x00, 0x11, 0xE8, 0x7C,
				      0xCE, 0xEB, 0xB2, 0xD9, 0x30, 0x83, 0x01, 0x1C, 0xE2, 0x94, 0xF9, 0x3F,
				      0xC4, 0xD8, 0xDE, 0x80, 0xDA, 0x1A, 0xBA, 0xE8, 0xC3, 0x7C, 0xA3, 0xE7,
				      0x2E, 0xC4, 0x43, 0x2E, 0x50, 0x58};
	static const struct ota_key kid_aes = {0x22, 16, {0x20, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
	struct ota_cmd_hdr h;
	struct ota_cmd cmd;
	uint8_t work[64];

	(void)state;
	assert_int_equal(ota_cmd_parse(aes, sizeof(aes), &h), OTA_OK);
	assert_int_equal(ota_cmd_open(&h, &kic_aes, &kid_aes, work, sizeof(work), &cmd), OTA_OK);
	assert_int_equal(cmd.data_len, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_seeds_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
