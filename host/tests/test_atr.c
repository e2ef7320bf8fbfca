/* SPDX-License-Identifier: Apache-2.0 */
/* ATR decoding against test-vectors/apdu/host-atr.txt, plus malformed ATRs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ld_atr.h"
#include "ld_card.h"

static void test_vectors(void **state)
{
	FILE *f = fopen("test-vectors/apdu/host-atr.txt", "r");
	char line[512];
	unsigned n = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char hex[128], ta1[8], tck[8], t15[8];
		unsigned prot, fi, di, nh;
		uint8_t atr[40];
		struct ld_atr a;
		int len;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%127s %x %7s %u %u %u %7s %7s", hex, &prot, ta1, &fi,
					&di, &nh, tck, t15),
				 8);
		len = ld_hex_parse(hex, atr, sizeof(atr));
		assert_true(len > 0);
		assert_int_equal(ld_atr_decode(atr, (size_t)len, &a), LD_OK);
		assert_int_equal(a.protocols, prot);
		if (ta1[0] == '-') {
			assert_false(a.has_ta1);
		} else {
			assert_true(a.has_ta1);
			assert_int_equal(a.ta1, strtoul(ta1, NULL, 16));
		}
		assert_int_equal(a.fi, fi);
		assert_int_equal(a.di, di);
		assert_int_equal(a.n_hist, nh);
		if (!strcmp(tck, "none"))
			assert_false(a.has_tck);
		else
			assert_int_equal(a.tck_ok, !strcmp(tck, "ok"));
		if (t15[0] == '-')
			assert_false(a.has_t15_ta);
		else
			assert_int_equal(a.t15_ta, strtoul(t15, NULL, 16));
		n++;
	}
	fclose(f);
	assert_int_equal(n, 6);
}

static void test_malformed(void **state)
{
	static const uint8_t bad_ts[] = {0x3A, 0x00};
	static const uint8_t short_if[] = {0x3B, 0x90, 0x96}; /* TD1 announced, missing */
	static const uint8_t short_hist[] = {0x3B, 0x05, 0x01, 0x02};
	static const uint8_t extra[] = {0x3B, 0x00, 0x42}; /* T=0 only: no TCK allowed */
	static const uint8_t no_tck[] = {0x3B, 0x80, 0x01}; /* T=1 offered: TCK needed */
	struct ld_atr a;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	uint8_t ok[22];

	(void)state;
	assert_int_equal(ld_atr_decode(bad_ts, sizeof(bad_ts), &a), LD_ERR_FORMAT);
	assert_int_equal(ld_atr_decode(short_if, sizeof(short_if), &a), LD_ERR_FORMAT);
	assert_int_equal(ld_atr_decode(short_hist, sizeof(short_hist), &a), LD_ERR_FORMAT);
	assert_int_equal(ld_atr_decode(extra, sizeof(extra), &a), LD_ERR_FORMAT);
	assert_int_equal(ld_atr_decode(no_tck, sizeof(no_tck), &a), LD_ERR_FORMAT);
	assert_int_equal(ld_atr_decode(bad_ts, 1, &a), LD_ERR_FORMAT);
	/* text and JSON output */
	assert_int_equal(ld_hex_parse("3B9F96801FC78031A073BE21136743200718000001A5", ok, sizeof(ok)), 22);
	assert_int_equal(ld_atr_decode(ok, sizeof(ok), &a), LD_OK);
	mem = open_memstream(&buf, &len);
	ld_atr_print(mem, &a, 1);
	ld_atr_print(mem, &a, 0);
	fclose(mem);
	assert_non_null(strstr(buf, "\"protocols\": [0, 15]"));
	assert_non_null(strstr(buf, "\"ta1\": \"96\""));
	assert_non_null(strstr(buf, "Fi=512 Di=32 (16 clocks/ETU)"));
	assert_non_null(strstr(buf, "clock stop no preference"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
