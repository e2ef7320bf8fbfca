/* SPDX-License-Identifier: Apache-2.0 */
/* The database: created at the latest schema, WAL, foreign keys on,
 * reopened without change, a newer schema refused, the state rules of the
 * schema enforced, and the lifecycle on a small inventory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "st.h"

static char dir[] = "/tmp/test-st-db-XXXXXX";
static char path[64];

static void ctx_open(struct st_ctx *c, int create)
{
	memset(c, 0, sizeof(*c));
	c->out = fopen("/dev/null", "w");
	st_time_parse("2026-01-01", &c->at);
	assert_int_equal(st_open(c, path, create), 0);
}

static void ctx_close(struct st_ctx *c)
{
	st_close(c);
	fclose(c->out);
}

static void test_open_and_migrate(void **state)
{
	struct st_ctx c;
	int64_t v;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(st_open(&c, path, 0), ST_E_NOINPUT);
	st_close(&c);
	ctx_open(&c, 1);
	assert_int_equal(st_schema_version(&c), st_schema_latest());
	assert_int_equal(st_get_i64(&c, &v, "PRAGMA foreign_keys", NULL), 1);
	assert_int_equal(v, 1);
	ctx_close(&c);
	ctx_open(&c, 0);
	assert_int_equal(st_schema_version(&c), st_schema_latest());
	/* a database from a newer mimsi-stock is not touched */
	assert_true(st_run(&c, "PRAGMA user_version = 99", NULL) >= 0);
	ctx_close(&c);
	memset(&c, 0, sizeof(c));
	assert_int_equal(st_open(&c, path, 0), ST_E_DB);
	assert_non_null(strstr(c.err.text, "schema version 99 is newer"));
	st_close(&c);
	unlink(path);
}

static void test_lifecycle(void **state)
{
	struct st_ctx c;
	struct st_batch_import b;
	char *plmn[] = {"262-01"}, *iccids[1], iccid[24], imsi[16];
	int64_t n;
	json_t *j;
	int alerts;

	(void)state;
	unlink(path);
	ctx_open(&c, 1);
	assert_int_equal(st_sponsor_add(&c, "Own", plmn, 1), 0);
	memset(&b, 0, sizeof(b));
	b.name = "b";
	b.sponsor = "Own";
	b.first = "262010000000000";
	b.last = "262010000000009";
	assert_int_equal(st_batch_import(&c, &b), 0);
	assert_int_equal(st_hold_set(&c, "262", 30), 0);
	/* the schema itself refuses an impossible state */
	assert_true(st_run(&c, "UPDATE imsi SET state = 'hold' WHERE id = 1", NULL) < 0);
	memset(&c.err, 0, sizeof(c.err));
	assert_true(st_run(&c, "UPDATE imsi SET state = 'lost' WHERE id = 1", NULL) < 0);
	memset(&c.err, 0, sizeof(c.err));
	/* a profile by hand (generate is covered by the check scripts) */
	assert_int_equal(st_product_add(&c, "prod", NULL), 0);
	assert_int_equal(st_pool_create(&c, "p", "8949000000000000000-8949000000000000099", NULL,
					NULL, 0),
			 0);
	assert_int_equal(st_pool_link(&c, "p", "prod", 0, 0), 0);
	assert_true(st_run(&c, "INSERT INTO transport_key (label, kcv, bits, created_at) VALUES "
			       "('k', '000000', 256, 0)",
			   NULL) == 1);
	assert_true(st_run(&c, "INSERT INTO generation (pool_id, at, count, imsis, key_id) VALUES "
			       "(1, 0, 1, 1, 1)",
			   NULL) == 1);
	assert_true(st_run(&c, "INSERT INTO profile (iccid, pool_id, generation_id, state, since, "
			       "key_id, ki_wrapped, opc_wrapped, secrets_wrapped) VALUES "
			       "('89490000000000000007', 1, 1, 'available', 0, 1, x'00', x'00', x'00')",
			   NULL) == 1);
	assert_true(st_run(&c, "INSERT INTO embedding (profile_id, position, imsi_id, origin, "
			       "from_at) VALUES (1, 1, 1, 'generate', 0)",
			   NULL) == 1);
	assert_true(st_run(&c, "UPDATE imsi SET state = 'embedded' WHERE id = 1", NULL) == 1);
	assert_int_equal(st_assign(&c, "acct", NULL, "prod", NULL, iccid), 0);
	assert_string_equal(iccid, "89490000000000000007");
	assert_int_equal(st_assign(&c, "acct2", NULL, "prod", NULL, iccid), ST_E_EMPTY);
	memset(&c.err, 0, sizeof(c.err));
	iccids[0] = iccid;
	st_time_parse("2026-02-01", &c.at);
	assert_int_equal(st_dispose(&c, iccids, 1), 0);
	assert_int_equal(st_get_i64(&c, &n, "SELECT hold_until - ? FROM imsi WHERE id = 1", "i",
				    c.at),
			 1);
	assert_int_equal(n, 30 * 86400);
	/* the hold ends on its day, with the date of its end */
	st_time_parse("2026-03-05", &c.at);
	assert_int_equal(st_sweep(&c, NULL, NULL), 1);
	assert_int_equal(st_get_i64(&c, &n, "SELECT since FROM imsi WHERE id = 1", NULL), 1);
	st_time_parse("2026-03-03", &c.at);
	assert_int_equal(n, c.at);
	/* audit: the account at a time of the assignment */
	st_time_parse("2026-01-15", &c.at);
	assert_int_equal(st_audit(&c, "262010000000000", 0, &j), 0);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(j, "holders"), 0), "account")),
			    "acct");
	json_decref(j);
	assert_int_equal(st_stock(&c, &j, &alerts), 0);
	assert_int_equal(alerts, 0);
	json_decref(j);
	(void)imsi;
	ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_and_migrate),
	    cmocka_unit_test(test_lifecycle),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	{
		char p[96];
		snprintf(p, sizeof(p), "%s-wal", path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", path);
		unlink(p);
	}
	rmdir(dir);
	return rc;
}
