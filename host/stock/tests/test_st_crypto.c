/* SPDX-License-Identifier: Apache-2.0 */
/* Key wrap against the RFCs' own test vectors, tamper detection, the key
 * check value, key files, random digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "st.h"

static void key_from_hex(struct st_key *k, const char *hex)
{
	memset(k, 0, sizeof(*k));
	k->len = st_hex_decode(hex, k->k, sizeof(k->k));
	assert_true(k->len == 16 || k->len == 24 || k->len == 32);
}

static void check_hex(const unsigned char *b, int n, const char *want)
{
	char got[200];

	st_hex(b, (size_t)n, got);
	assert_string_equal(got, want);
}

/* RFC 3394 §4.1 and §4.6: 128-bit data under 128-bit and 256-bit KEKs */
static void test_rfc3394_vectors(void **state)
{
	struct st_key k;
	unsigned char in[32], out[40], back[32];
	int n;

	(void)state;
	key_from_hex(&k, "000102030405060708090A0B0C0D0E0F");
	st_hex_decode("00112233445566778899AABBCCDDEEFF", in, sizeof(in));
	n = st_wrap(&k, in, 16, out);
	assert_int_equal(n, 24);
	check_hex(out, n, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
	st_key_wipe(&k);
	key_from_hex(&k, "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
	n = st_wrap(&k, in, 16, out);
	check_hex(out, n, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7");
	assert_int_equal(st_unwrap(&k, out, 24, back), 16);
	assert_memory_equal(back, in, 16);
	/* one flipped bit: the integrity check value fails */
	out[5] ^= 0x10;
	assert_int_equal(st_unwrap(&k, out, 24, back), -1);
	/* lengths the construction does not take */
	assert_int_equal(st_wrap(&k, in, 12, out), -1);
	st_key_wipe(&k);
}

/* RFC 5649 §6: 20 bytes and 7 bytes under a 192-bit KEK */
static void test_rfc5649_vectors(void **state)
{
	struct st_key k;
	unsigned char in[32], out[48], back[48];
	int n;

	(void)state;
	key_from_hex(&k, "5840DF6E29B02AF1AB493B705BF16EA1AE8338F4DCC176A8");
	st_hex_decode("C37B7E6492584340BED12207808941155068F738", in, sizeof(in));
	n = st_wrap_pad(&k, in, 20, out);
	check_hex(out, n, "138BDEAA9B8FA7FC61F97742E72248EE5AE6AE5360D1AE6A5F54F373FA543B6A");
	assert_int_equal(st_unwrap_pad(&k, out, n, back), 20);
	assert_memory_equal(back, in, 20);
	st_hex_decode("466F7250617369", in, sizeof(in));
	n = st_wrap_pad(&k, in, 7, out);
	check_hex(out, n, "AFBEB0F07DFBF5419200F2CCB50BB24F");
	assert_int_equal(st_unwrap_pad(&k, out, n, back), 7);
	assert_memory_equal(back, "ForPasi", 7);
	st_key_wipe(&k);
}

static void test_key_file_and_kcv(void **state)
{
	struct st_ctx c;
	struct st_key k;
	char path[] = "/tmp/test-st-key-XXXXXX";
	int fd = mkstemp(path);
	/* KCV of the all-zero AES-128 key: AES(0, 0) = 66E94BD4EF8A2C3B... */
	const char *file = "# transport key\n00000000 00000000\n00000000 00000000\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, file, strlen(file)), (ssize_t)strlen(file));
	close(fd);
	memset(&c, 0, sizeof(c));
	assert_int_equal(st_key_load(&c, path, "T.LABEL", &k), 0);
	assert_int_equal(k.len, 16);
	assert_string_equal(k.kcv, "66E94B");
	assert_string_equal(k.label, "T.LABEL");
	st_key_wipe(&k);
	assert_int_equal(k.len, 0);
	/* no label, or a key of the wrong length: refused, the key not shown */
	memset(&c, 0, sizeof(c));
	unsetenv("MIMSI_STOCK_KEY_LABEL");
	assert_int_equal(st_key_load(&c, path, NULL, &k), ST_E_KEY);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "0011223344", 10), 10);
	close(fd);
	memset(&c, 0, sizeof(c));
	assert_int_equal(st_key_load(&c, path, "L", &k), ST_E_KEY);
	assert_null(strstr(c.err.text, "0011223344"));
	unlink(path);
}

static void test_random_digits(void **state)
{
	char d[65];
	int counts[10] = {0}, i, r;

	(void)state;
	for (r = 0; r < 200; r++) {
		assert_int_equal(st_random_digits(d, 64), 0);
		assert_int_equal(strlen(d), 64);
		for (i = 0; i < 64; i++) {
			assert_true(d[i] >= '0' && d[i] <= '9');
			counts[d[i] - '0']++;
		}
	}
	/* 12800 digits: each near 1280; a stuck or biased generator fails */
	for (i = 0; i < 10; i++)
		assert_true(counts[i] > 1000 && counts[i] < 1560);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc3394_vectors),
	    cmocka_unit_test(test_rfc5649_vectors),
	    cmocka_unit_test(test_key_file_and_kcv),
	    cmocka_unit_test(test_random_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
