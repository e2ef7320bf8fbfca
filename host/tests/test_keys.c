/* SPDX-License-Identifier: Apache-2.0 */
/* Slot keys into the key store (ld_keys.c) on a simulated card: written
 * under ADM, never readable, used by AUTHENTICATE, and never in the log or
 * the transcript; bad key files are refused without echoing a value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ld_card.h"
#include "ld_keys.h"
#include "sim_card.h"
#include "sim_milenage.h"

/* TS 35.208 test set 2 */
#define K2 "0396eb317b6d1c36f19c1c84cd6ffd16"
#define OPC2 "53c15671c60a4b731c55b4a441c0bde2"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_errors(void **state)
{
	char p[] = "/tmp/mimsi-keys-XXXXXX", err[200];
	struct ld_slot_keys k;
	int fd = mkstemp(p);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(p, "k1 = " K2 "\n");
	assert_int_equal(ld_keys_load(p, &k, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, "both"));
	write_file(p, "k1 = 0396eb317b6d1c36f19c1c84cd6ffdZZ\nopc1 = " OPC2 "\n");
	assert_int_equal(ld_keys_load(p, &k, err, sizeof(err)), LD_ERR_FORMAT);
	assert_null(strstr(err, "0396eb"));
	assert_non_null(strstr(err, ":1: k1"));
	write_file(p, "k11 = " K2 "\n");
	assert_int_equal(ld_keys_load(p, &k, err, sizeof(err)), LD_ERR_FORMAT);
	write_file(p, "# slot 1\nk1 = " K2 "\nopc1 = " OPC2 "\n");
	assert_int_equal(ld_keys_load(p, &k, err, sizeof(err)), LD_OK);
	assert_int_equal(k.k_set, 1);
	assert_int_equal(k.k[0][0], 0x03);
	ld_keys_clear(&k);
	unlink(p);
}

static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;
	unsigned i;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (i = 0; i < n; i++)
		buf[i] = (char)((buf[i] >= 'A' && buf[i] <= 'F') ? buf[i] + 32 : buf[i]);
	return strstr(buf, needle) != NULL;
}

static void test_write_and_use(void **state)
{
	static const uint8_t adm[8] = {'1', '2', '3', '4', '5', '6', '7', '8'};
	static const uint16_t usim[1] = {0x7FF0};
	char kp[] = "/tmp/mimsi-keys-XXXXXX", lp[] = "/tmp/mimsi-keylog-XXXXXX", err[200];
	struct sim_card *card = sim_card_new_default();
	struct sim_milenage_out o;
	struct ld_transport t;
	struct ld_card c;
	uint8_t k2[16], opc2[16], rand_[16], sres[4], zero[6] = {0}, amf[2] = {0};
	uint8_t auth[5 + 17 + 1] = {0x00, 0x88, 0x00, 0x80, 0x11, 0x10}, data[64], rr[5] = {0x00, 0xB2, 0x01, 0x04, 0x20};
	size_t dl = sizeof(data);
	uint16_t sw;
	int tries, fd;

	(void)state;
	assert_non_null(card);
	fd = mkstemp(kp);
	assert_true(fd >= 0);
	close(fd);
	fd = mkstemp(lp);
	assert_true(fd >= 0);
	close(fd);
	write_file(kp, "k1 = " K2 "\nopc1 = " OPC2 "\n");
	assert_int_equal(ld_sim_attach(&t, card), LD_OK);
	ld_card_init(&c, &t);
	c.log = fopen(lp, "w");
	c.transcript = c.log;
	assert_non_null(c.log);
	assert_int_equal(ld_card_power(&c), LD_OK);
	/* without ADM the card refuses */
	assert_int_equal(ld_keys_write_file(&c, kp, err, sizeof(err)), LD_ERR_REFUSED);
	assert_int_equal(ld_select_fid(&c, 0x3F00, NULL, &sw), LD_OK);
	assert_int_equal(ld_verify(&c, LD_KEYREF_ADM1, adm, &tries), LD_OK);
	assert_int_equal(ld_keys_write_file(&c, kp, err, sizeof(err)), LD_OK);
	/* never readable */
	assert_int_equal(ld_xfer(&c, rr, sizeof(rr), data, &dl, &sw), LD_OK);
	assert_int_equal(sw, 0x6982);
	/* AUTHENTICATE (GSM context) now computes with test set 2 */
	assert_int_equal(ld_hex_parse(K2, k2, 16), 16);
	assert_int_equal(ld_hex_parse(OPC2, opc2, 16), 16);
	memset(rand_, 0x5A, 16);
	memcpy(auth + 6, rand_, 16);
	assert_int_equal(ld_select_path(&c, usim, 1, NULL, &sw), LD_OK);
	dl = sizeof(data);
	assert_int_equal(ld_xfer(&c, auth, sizeof(auth), data, &dl, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(sim_milenage(k2, opc2, rand_, zero, amf, &o), 0);
	sim_milenage_sres(o.res, sres);
	assert_memory_equal(data + 1, sres, 4);
	fclose(c.log);
	/* the log and transcript carry the UPDATE RECORD, but not the keys */
	assert_true(file_has(lp, "00dc0104"));
	assert_false(file_has(lp, K2));
	assert_false(file_has(lp, OPC2));
	assert_false(file_has(lp, "0396eb317b6d"));
	ld_transport_close(&t);
	sim_card_free(card);
	unlink(kp);
	unlink(lp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_write_and_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
