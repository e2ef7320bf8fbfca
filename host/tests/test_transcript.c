/* SPDX-License-Identifier: Apache-2.0 */
/* Card operations replayed against recorded APDU transcripts
 * (test-vectors/apdu/host-*.apdu): every command must match, in order, and
 * the whole transcript must be used. */
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
#include "ld_fake.h"
#include "ld_info.h"
#include "ld_mimsi.h"
#include "ld_write.h"

#define V "test-vectors/apdu/"

struct ctx {
	struct ld_transport t;
	struct ld_card c;
};

static void start(struct ctx *x, const char *file)
{
	assert_int_equal(ld_fake_open(&x->t, file), LD_OK);
	ld_card_init(&x->c, &x->t);
	assert_int_equal(ld_card_power(&x->c), LD_OK);
}

/* Every VERIFY ADM and UPDATE BINARY inside one exclusive PC/SC
 * transaction, closed at the end. */
static void assert_one_transaction(struct ctx *x)
{
	unsigned txns, outside;
	int open_now;

	ld_fake_txn(&x->t, &txns, &outside, &open_now);
	assert_int_equal(txns, 1);
	assert_int_equal(outside, 0);
	assert_false(open_now);
}

static void finish(struct ctx *x)
{
	if (ld_fake_mismatch(&x->t))
		fail_msg("transcript mismatch: %s", ld_fake_why(&x->t));
	assert_int_equal(ld_fake_left(&x->t), 0);
	ld_transport_close(&x->t);
}

static void load(const char *dir, struct ld_set *s)
{
	char err[200];

	assert_int_equal(ld_set_load_dir(dir, s, err, sizeof(err)), LD_OK);
}

static int write_with(const char *file, const char *set_dir, const char *adm, int create,
		      int force, struct ld_write_result *r, char *err, size_t n, struct ctx *x)
{
	struct ld_set s;
	struct ld_write_opts o;
	uint8_t a[8];
	int rc;

	start(x, file);
	load(set_dir, &s);
	ld_write_opts_default(&o);
	assert_int_equal(ld_parse_secret(adm, a), LD_OK);
	o.adm = a;
	o.create = create;
	o.force = force;
	rc = ld_write_set(&x->c, &s, &o, r, err, n);
	ld_set_free(&s);
	return rc;
}

static void test_info(void **state)
{
	struct ctx x;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	(void)state;
	start(&x, V "host-info.apdu");
	assert_int_equal(ld_info(&x.c, mem, 1), LD_OK);
	fclose(mem);
	finish(&x);
	assert_non_null(strstr(buf, "\"iccid\": \"89491026201000012345\""));
	assert_non_null(strstr(buf, "\"imsi\": \"262011234567890\""));
	assert_non_null(strstr(buf, "\"aid\": \"A0000000871002FFFFFFFF8907090000\""));
	assert_non_null(strstr(buf, "\"ADM1\": 3"));
	assert_non_null(strstr(buf, "\"active_seq\": null"));
	assert_non_null(strstr(buf, "\"protocols\": [0, 15]"));
	free(buf);
}

static void test_write_first(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-write-first.apdu", V "host-set-a", "12345678", 0, 0, &r,
				    err, sizeof(err), &x),
			 LD_OK);
	assert_one_transaction(&x);
	finish(&x);
	assert_false(r.identical);
	assert_true(r.verified);
	assert_int_equal(r.new_seq, 1);
	assert_int_equal(r.n_update, 3); /* three files, each < 255 bytes */
	assert_int_equal(x.c.n_verify, 1);
}

static void test_write_identical(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-write-identical.apdu", V "host-set-a", "12345678", 0, 0,
				    &r, err, sizeof(err), &x),
			 LD_OK);
	finish(&x);
	assert_true(r.identical);
	assert_int_equal(r.n_update, 0);
	assert_int_equal(x.c.n_update, 0);
	assert_int_equal(x.c.n_verify, 0); /* no ADM presented when nothing changes */
}

static void test_write_second(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-write-second.apdu", V "host-set-b", "12345678", 0, 0,
				    &r, err, sizeof(err), &x),
			 LD_OK);
	finish(&x);
	assert_int_equal(r.old_seq, 1);
	assert_int_equal(r.new_seq, 2);
	assert_true(r.verified);
}

static void test_wrong_adm(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-wrong-adm.apdu", V "host-set-a", "87654321", 0, 0, &r,
				    err, sizeof(err), &x),
			 LD_ERR_REFUSED);
	finish(&x);
	assert_int_equal(r.tries_after, 2);
	assert_non_null(strstr(err, "2 tries left"));
	assert_null(strstr(err, "8765"));
	assert_int_equal(x.c.n_update, 0);
}

static void test_adm_guard(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-adm-guard.apdu", V "host-set-a", "12345678", 0, 0, &r,
				    err, sizeof(err), &x),
			 LD_ERR_REFUSED);
	finish(&x); /* nothing after the empty VERIFY */
	assert_int_equal(r.tries_before, 1);
	assert_int_equal(x.c.n_verify, 0);
	assert_non_null(strstr(err, "--force"));
}

static void test_adm_blocked_even_forced(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-adm-blocked.apdu", V "host-set-a", "12345678", 0, 1, &r,
				    err, sizeof(err), &x),
			 LD_ERR_REFUSED);
	finish(&x);
	assert_int_equal(r.tries_before, 0);
	assert_non_null(strstr(err, "blocked"));
}

/* A card that reads back something else than was written: the write fails
 * with LD_ERR_VERIFY, mimsi-card exits 74 (EX_IOERR), not 70. */
static void test_readback_differs(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-readback-differs.apdu", V "host-set-a", "12345678", 0, 0,
				    &r, err, sizeof(err), &x),
			 LD_ERR_VERIFY);
	finish(&x);
	assert_false(r.verified);
	assert_non_null(strstr(err, "read-back of EF 6F01 differs"));
	assert_int_equal(ld_sysexit(LD_ERR_VERIFY), 74);
}

static void test_create(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	assert_int_equal(write_with(V "host-create.apdu", V "host-set-a", "12345678", 1, 0, &r, err,
				    sizeof(err), &x),
			 LD_OK);
	assert_one_transaction(&x);
	finish(&x);
	assert_int_equal(r.n_create, 8); /* DF + 6 banks + STATE */
	assert_true(r.verified);
	assert_int_equal(r.new_seq, 1);
}

static void test_create_needs_flag(void **state)
{
	struct ctx x;
	struct ld_write_result r;
	char err[300];

	(void)state;
	/* the same card without --create: stops after reading, before VERIFY */
	assert_int_equal(write_with(V "host-create.apdu", V "host-set-a", "12345678", 0, 0, &r, err,
				    sizeof(err), &x),
			 LD_ERR_REFUSED);
	assert_non_null(strstr(err, "--create"));
	assert_int_equal(x.c.n_verify, 0);
	assert_int_equal(x.c.n_create, 0);
	ld_transport_close(&x.t);
}

static void test_t0_procedures(void **state)
{
	static const uint8_t rb[5] = {0x00, 0xB0, 0x00, 0x00, 0x00};
	static const uint8_t sel[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	static const uint8_t bad[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x7F, 0x99};
	struct ctx x;
	uint8_t data[64];
	size_t n = sizeof(data);
	uint16_t sw;

	(void)state;
	start(&x, V "host-apdu-t0.apdu");
	assert_int_equal(ld_xfer(&x.c, rb, sizeof(rb), data, &n, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(n, 10);
	assert_int_equal(data[9], 0x0A);
	n = sizeof(data);
	assert_int_equal(ld_xfer(&x.c, sel, sizeof(sel), data, &n, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(n, 6);
	assert_int_equal(data[4], 0x78);
	n = 2; /* an error SW comes back as it is, with no data */
	assert_int_equal(ld_xfer(&x.c, bad, sizeof(bad), data, &n, &sw), LD_OK);
	assert_int_equal(sw, 0x6A82);
	assert_int_equal(n, 0);
	finish(&x);
}

static void test_mismatch_detected(void **state)
{
	static const uint8_t other[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x2F, 0xE2};
	struct ctx x;
	uint16_t sw;

	(void)state;
	start(&x, V "host-adm-guard.apdu");
	assert_int_equal(ld_xfer(&x.c, other, sizeof(other), NULL, NULL, &sw), LD_ERR_IO);
	assert_int_not_equal(ld_fake_mismatch(&x.t), 0);
	ld_transport_close(&x.t);
}

/* No transcript holds the ADM (or PIN) in clear. */
static void test_no_secret_in_vectors(void **state)
{
	static const char *const files[] = {"host-info.apdu", "host-write-first.apdu",
					    "host-write-second.apdu", "host-wrong-adm.apdu",
					    "host-create.apdu"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256], line[2048];
		FILE *f;
		snprintf(path, sizeof(path), V "%s", files[i]);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			assert_null(strstr(line, "3132333435363738"));
			assert_null(strstr(line, "3837363534333231"));
		}
		fclose(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_write_first),
		cmocka_unit_test(test_write_identical),
		cmocka_unit_test(test_write_second),
		cmocka_unit_test(test_wrong_adm),
		cmocka_unit_test(test_adm_guard),
		cmocka_unit_test(test_adm_blocked_even_forced),
		cmocka_unit_test(test_readback_differs),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_create_needs_flag),
		cmocka_unit_test(test_t0_procedures),
		cmocka_unit_test(test_mismatch_detected),
		cmocka_unit_test(test_no_secret_in_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
