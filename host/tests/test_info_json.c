/* SPDX-License-Identifier: Apache-2.0 */
/* info and read as JSON on the simulated card: built with jansson, so text
 * from the card (an EF_DIR label with a quote) cannot break the document;
 * banks never written read as "empty". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "ld_card.h"
#include "ld_info.h"
#include "ld_transport.h"

struct ctx {
	struct ld_transport t;
	struct ld_card c;
};

static void start(struct ctx *x)
{
	char err[200];

	assert_int_equal(ld_transport_open(&x->t, "sim:", err, sizeof(err)), LD_OK);
	ld_card_init(&x->c, &x->t);
	assert_int_equal(ld_card_power(&x->c), LD_OK);
}

static json_t *info_json(struct ctx *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	json_error_t je;
	json_t *o;

	assert_int_equal(ld_info(&x->c, mem, 1), LD_OK);
	fclose(mem);
	o = json_loads(buf, 0, &je);
	if (!o)
		fail_msg("not JSON: %s: %s", je.text, buf);
	free(buf);
	return o;
}

/* EF_DIR record 1's label (tag 50, TS 102 221 §13.1) becomes U"S\1. */
static void test_label_with_quote(void **state)
{
	static const uint8_t adm[8] = {'1', '2', '3', '4', '5', '6', '7', '8'};
	static const uint16_t dir_path[1] = {0x2F00};
	struct ctx x;
	uint8_t rec[256], cmd[5 + 256];
	size_t len = sizeof(rec), i;
	uint16_t sw;
	int tries;
	json_t *o, *apps;

	(void)state;
	start(&x);
	assert_int_equal(ld_select_fid(&x.c, 0x3F00, NULL, &sw), LD_OK);
	assert_int_equal(ld_verify(&x.c, LD_KEYREF_ADM1, adm, &tries), LD_OK);
	assert_int_equal(ld_select_path(&x.c, dir_path, 1, NULL, &sw), LD_OK);
	assert_int_equal(ld_read_record(&x.c, 1, rec, &len, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	for (i = 0; i + 7 <= len; i++)
		if (rec[i] == 0x50 && rec[i + 1] == 5) {
			memcpy(rec + i + 2, "U\"S\\1", 5);
			break;
		}
	assert_true(i + 7 <= len);
	cmd[0] = 0x00;
	cmd[1] = 0xDC; /* UPDATE RECORD, absolute (TS 102 221 §11.1.6) */
	cmd[2] = 0x01;
	cmd[3] = 0x04;
	cmd[4] = (uint8_t)len;
	memcpy(cmd + 5, rec, len);
	assert_int_equal(ld_xfer(&x.c, cmd, 5 + len, NULL, NULL, &sw), LD_OK);
	assert_int_equal(sw, 0x9000);
	o = info_json(&x);
	apps = json_object_get(o, "applications");
	assert_true(json_array_size(apps) >= 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(apps, 0), "label")),
			    "U\"S\\1");
	json_decref(o);
	ld_transport_close(&x.t);
}

static void test_empty_banks(void **state)
{
	struct ctx x;
	json_t *o, *files;
	size_t i;

	(void)state;
	start(&x);
	o = info_json(&x);
	files = json_object_get(json_object_get(o, "mimsi"), "files");
	assert_int_equal(json_array_size(files), 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(files, i), "status")), "empty");
	json_decref(o);
	ld_transport_close(&x.t);
}

static void test_read_json_parses(void **state)
{
	struct ctx x;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	json_t *o;

	(void)state;
	start(&x);
	assert_int_equal(ld_read(&x.c, mem, 1, NULL), LD_OK);
	fclose(mem);
	o = json_loads(buf, 0, NULL);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "active_seq")));
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(json_object_get(o, "usim"), "EF_IMSI"), "imsi")),
			    "262011234567890");
	json_decref(o);
	free(buf);
	ld_transport_close(&x.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_with_quote),
		cmocka_unit_test(test_empty_banks),
		cmocka_unit_test(test_read_json_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
