/* SPDX-License-Identifier: Apache-2.0 */
/* batch: three simulated cards inserted one after another (plus one that
 * is not in the file), an interruption, and the resumed run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ld_batch.h"
#include "ld_card.h"
#include "ld_mimsi.h"
#include "mimsi/mi_bcd.h"

#define SET_A "test-vectors/apdu/host-set-a"

static char dir[64];

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* A default simulated card saved as NAME with ICCID \a iccid. */
static void make_card(const char *name, const char *iccid)
{
	struct ld_transport t;
	struct ld_card c;
	char spec[200], err[200];
	uint8_t cmd[15] = {0x00, 0xD6, 0x00, 0x00, 0x0A};
	static const uint8_t adm[8] = {'1', '2', '3', '4', '5', '6', '7', '8'};
	static const uint16_t p[1] = {0x2FE2};
	int tries;
	uint16_t sw;

	snprintf(spec, sizeof(spec), "sim:%s/%s", dir, name);
	assert_int_equal(ld_transport_open(&t, spec, err, sizeof(err)), LD_OK);
	ld_card_init(&c, &t);
	assert_int_equal(ld_card_power(&c), LD_OK);
	assert_int_equal(ld_select_fid(&c, 0x3F00, NULL, &sw), LD_OK);
	assert_int_equal(ld_verify(&c, LD_KEYREF_ADM1, adm, &tries), LD_OK);
	assert_int_equal(ld_select_path(&c, p, 1, NULL, &sw), LD_OK);
	assert_int_equal(mi_iccid_encode(iccid, (mi_u16)strlen(iccid), cmd + 5, 10), 10);
	assert_int_equal(ld_xfer(&c, cmd, sizeof(cmd), NULL, NULL, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	ld_transport_close(&t); /* saves the image */
}

static int setup(void **state)
{
	FILE *f;
	char p[128];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/mimsi-batch-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	make_card("c1.json", "89491026201000000011");
	make_card("c2.json", "89491026201000000029");
	make_card("c3.json", "89491026201000000037");
	make_card("stranger.json", "89491026201000009999");
	path(p, sizeof(p), "cards.csv");
	f = fopen(p, "w");
	if (!f)
		return -1;
	fprintf(f, "# three test cards\n"
		   "iccid,adm,imsi1,imsi2,k1,opc1\n"
		   "89491026201000000011,12345678,,213770000000011,,\n"
		   "89491026201000000029,12345678,,213770000000029,,\n"
		   "89491026201000000037,3132333435363738,262011234567891,213770000000037,,\n");
	return fclose(f);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static int run(const char *cards, const char *log, unsigned max, struct ld_batch *b,
	       struct ld_batch_stats *st)
{
	struct ld_transport t;
	struct ld_card c;
	struct ld_batch_opts o;
	char spec[600], err[200];
	int rc;

	snprintf(spec, sizeof(spec), "sim:%s", cards);
	assert_int_equal(ld_transport_open(&t, spec, err, sizeof(err)), LD_OK);
	ld_card_init(&c, &t);
	memset(&o, 0, sizeof(o));
	o.dir = SET_A;
	o.log_path = log;
	o.max_cards = max;
	ld_write_opts_default(&o.wopts);
	rc = ld_batch_run(&c, b, &o, st);
	ld_transport_close(&t);
	return rc;
}

static void slot2_imsi(const char *card, char *imsi)
{
	struct ld_transport t;
	struct ld_card c;
	struct ld_image img;
	struct mi_slot s;
	char spec[200], err[200];
	int w[LD_KINDS], n;
	uint32_t seq;
	const uint8_t *body;

	snprintf(spec, sizeof(spec), "sim:%s/%s", dir, card);
	assert_int_equal(ld_transport_open(&t, spec, err, sizeof(err)), LD_OK);
	ld_card_init(&c, &t);
	assert_int_equal(ld_card_power(&c), LD_OK);
	assert_int_equal(ld_image_read(&c, &img), LD_OK);
	assert_true(ld_image_active(&img, w, &seq));
	body = img.bank[LD_SLOTS][w[LD_SLOTS]].data + MI_EF_HDR_LEN;
	n = mi_slot_decode(body + 1, 200, &s);
	assert_true(n > 0);
	assert_true(mi_slot_decode(body + 1 + n, 200, &s) > 0);
	assert_true(mi_imsi_decode(s.imsi, 9, imsi, 16) > 0);
	ld_image_free(&img);
	ld_transport_close(&t);
}

static void test_batch_interrupt_and_resume(void **state)
{
	struct ld_batch b;
	struct ld_batch_stats st;
	char csv[128], log[128], cards[600], err[200], imsi[16];
	FILE *f;
	char line[300];
	int ok_lines = 0;

	(void)state;
	path(csv, sizeof(csv), "cards.csv");
	path(log, sizeof(log), "result.csv");
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(b.n_rows, 3);
	assert_false(b.rows[0].has_keys);
	/* run 1: card 1, then a stranger, then the operator stops (no more cards) */
	snprintf(cards, sizeof(cards), "%s/c1.json,%s/stranger.json", dir, dir);
	assert_int_equal(run(cards, log, 0, &b, &st), LD_ERR_TIMEOUT);
	assert_int_equal(st.done, 1);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.remaining, 2);
	ld_batch_free(&b);

	/* run 2: resumes from the log; card 1 comes again and is skipped */
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(ld_batch_resume(&b, log), 1);
	snprintf(cards, sizeof(cards), "%s/c1.json,%s/c2.json,%s/c3.json", dir, dir, dir);
	assert_int_equal(run(cards, log, 0, &b, &st), LD_OK);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.done, 2);
	assert_int_equal(st.remaining, 0);
	ld_batch_free(&b);

	/* each card carries its own IMSI in slot 2 */
	slot2_imsi("c2.json", imsi);
	assert_string_equal(imsi, "213770000000029");
	slot2_imsi("c3.json", imsi);
	assert_string_equal(imsi, "213770000000037");
	/* the log: three ok lines, one refusal, and never an ADM */
	f = fopen(log, "r");
	assert_non_null(f);
	/* a header line, then every field quoted (RFC 4180) */
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "\"iccid\",\"status\",\"seq\",\"updates\",\"apdus\",\"seconds\","
				  "\"time\",\"detail\"\n");
	while (fgets(line, sizeof(line), f)) {
		assert_int_equal(line[0], '"');
		if (strstr(line, "\",\"ok\",\""))
			ok_lines++;
		assert_null(strstr(line, "12345678"));
		assert_null(strstr(line, "3132333435363738"));
	}
	fclose(f);
	assert_int_equal(ok_lines, 3);
}

static void test_batch_max_cards(void **state)
{
	struct ld_batch b;
	struct ld_batch_stats st;
	char csv[128], log[128], cards[600], err[200];

	(void)state;
	path(csv, sizeof(csv), "cards.csv");
	path(log, sizeof(log), "result2.json");
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	snprintf(cards, sizeof(cards), "%s/c1.json,%s/c2.json", dir, dir);
	assert_int_equal(run(cards, log, 1, &b, &st), LD_ERR_TIMEOUT);
	assert_int_equal(st.done + st.failed, 1);
	ld_batch_free(&b);
}

static void test_csv_errors(void **state)
{
	struct ld_batch b;
	char p[128], err[200];
	FILE *f;

	(void)state;
	path(p, sizeof(p), "bad.csv");
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "iccid,adm,k1\n89491026201000000011,1234567,00112233445566778899AABBCCDDEEFF\n");
	fclose(f);
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, ":2: ADM"));
	assert_null(strstr(err, "1234567"));
	ld_batch_free(&b);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "iccid,imsi1\n89491026201000000011,262011234567890\n");
	fclose(f);
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, "iccid and adm"));
	ld_batch_free(&b);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "iccid,adm,k1,opc1\n89491026201000000011,12345678,00112233445566778899AABBCCDDEEFF,"
		   "00112233445566778899AABBCCDDEEFF\n");
	fclose(f);
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_OK);
	assert_true(b.rows[0].has_keys);
	ld_batch_free(&b);
	assert_int_equal(ld_batch_load("/nonexistent/x.csv", &b, err, sizeof(err)), LD_ERR_PARAM);
}

static void write_csv(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A typo in a column name would drop that column silently; a second line
 * for one ICCID would program the card twice with different data. The rows
 * read before the error are wiped and freed (LeakSanitizer in SAN=1). */
static void test_csv_refuses_unknown_and_duplicates(void **state)
{
	struct ld_batch b;
	char p[128], err[200];

	(void)state;
	path(p, sizeof(p), "bad2.csv");
	write_csv(p, "iccid,adm,imsi_1\n89491026201000000011,12345678,262011234567890\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, ":1: column 3: unknown column"));
	assert_null(b.rows);
	write_csv(p, "iccid,adm,opc1,opc1\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, "appears twice"));
	write_csv(p, "iccid,adm,k11\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	write_csv(p, "iccid,adm\n89491026201000000011,12345678\n89491026201000000029,12345678\n"
		     "89491026201000000011,87654321\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, ":4: ICCID 89491026201000000011 already on an earlier line"));
	assert_null(strstr(err, "87654321"));
	assert_null(b.rows);
	assert_int_equal(b.n_rows, 0);
	/* an error after rows with ADMs were read: nothing left allocated */
	write_csv(p, "iccid,adm,imsi1\n89491026201000000011,12345678,\n"
		     "89491026201000000029,12345678,12x\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_null(b.rows);
}

/* The batch file is RFC 4180 (the host tools' one CSV reader): a spreadsheet
 * export with a BOM, CRLF and quoted fields reads as the plain file does. */
static void test_csv_rfc4180(void **state)
{
	struct ld_batch b;
	char p[128], err[200];

	(void)state;
	path(p, sizeof(p), "quoted.csv");
	write_csv(p, "\xEF\xBB\xBFiccid,\"adm\",imsi1\r\n"
		     "# a comment line\r\n"
		     "\"89491026201000000011\",\"12345678\", 262011234567890 \r\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(b.n_rows, 1);
	assert_string_equal(b.rows[0].iccid, "89491026201000000011");
	assert_string_equal(b.rows[0].imsi[0], "262011234567890");
	ld_batch_free(&b);
	write_csv(p, "iccid,adm\n\"89491026201000000011,12345678\n");
	assert_int_equal(ld_batch_load(p, &b, err, sizeof(err)), LD_ERR_FORMAT);
	assert_non_null(strstr(err, ":2:1: unterminated quoted field"));
	assert_null(strstr(err, "12345678"));
	ld_batch_free(&b);
}

/* A card the log marks ok is checked on insertion: one that does not hold
 * the logged set (here: replaced by a blank card) is programmed again. */
static void test_resume_checks_the_card(void **state)
{
	struct ld_batch b;
	struct ld_batch_stats st;
	char csv[128], log[128], cards[600], err[200], card[160];

	(void)state;
	path(csv, sizeof(csv), "two.csv");
	path(log, sizeof(log), "two-log.json");
	path(card, sizeof(card), "c4.json");
	make_card("c4.json", "89491026201000000045");
	make_card("c5.json", "89491026201000000052");
	write_csv(csv, "iccid,adm\n89491026201000000045,12345678\n89491026201000000052,12345678\n");
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(run(card, log, 0, &b, &st), LD_ERR_TIMEOUT);
	assert_int_equal(st.done, 1);
	ld_batch_free(&b);
	/* the card is wiped back to a blank one with the same ICCID */
	remove(card);
	make_card("c4.json", "89491026201000000045");
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(ld_batch_resume(&b, log), 1);
	assert_int_equal(b.rows[0].done_seq, 1);
	snprintf(cards, sizeof(cards), "%s,%s/c5.json", card, dir);
	assert_int_equal(run(cards, log, 0, &b, &st), LD_OK);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.done, 2);
	ld_batch_free(&b);
}

/* "ok" only once the simulated card is saved: an image that cannot be
 * written is a failure, and the log says so. */
static void test_ok_only_after_save(void **state)
{
	struct ld_batch b;
	struct ld_batch_stats st;
	char csv[128], log[128], err[200], line[400];
	FILE *f;
	int failed = 0, ok = 0;

	(void)state;
	path(csv, sizeof(csv), "default.csv");
	path(log, sizeof(log), "save-log.csv");
	write_csv(csv, "iccid,adm\n89491026201000012345,12345678\n");
	assert_int_equal(ld_batch_load(csv, &b, err, sizeof(err)), LD_OK);
	assert_int_equal(run("/nonexistent-dir/card.json", log, 1, &b, &st), LD_ERR_TIMEOUT);
	assert_int_equal(st.done, 0);
	assert_int_equal(st.failed, 1);
	ld_batch_free(&b);
	f = fopen(log, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		failed += strstr(line, "\"failed\"") != NULL;
		ok += strstr(line, "\"ok\"") != NULL;
	}
	fclose(f);
	assert_int_equal(failed, 1);
	assert_int_equal(ok, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_interrupt_and_resume),
		cmocka_unit_test(test_csv_rfc4180),
		cmocka_unit_test(test_batch_max_cards),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_refuses_unknown_and_duplicates),
		cmocka_unit_test(test_resume_checks_the_card),
		cmocka_unit_test(test_ok_only_after_save),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
