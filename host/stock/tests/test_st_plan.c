/* SPDX-License-Identifier: Apache-2.0 */
/* The OTA swap planner: each decision on its own (st_plan_decide), then on a
 * small inventory the Balkan trip of use case 2.5 with the PoR, a PoR that
 * does not decode, a PoR with an error, a timeout, an empty pool and bad
 * events. After every step no IMSI is lost: the states add up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ota.h"
#include "st_plan.h"

/* ---- the decision alone ----------------------------------------------------- */

static void base_in(struct st_plan_in *in)
{
	memset(in, 0, sizeof(*in));
	in->price_now = 300000; /* 0.30 a GB */
	snprintf(in->sponsor_now, sizeof(in->sponsor_now), "Y");
	in->stay_s = 3 * 86400;
	in->min_stay_s = 12 * 3600;
	in->gb_per_day = 500000;
	in->n_cand = 2;
	snprintf(in->cand[0].sponsor, ST_PLAN_NAME, "W");
	in->cand[0].price = 184000;
	in->cand[0].available = 5;
	snprintf(in->cand[1].sponsor, ST_PLAN_NAME, "Y");
	in->cand[1].price = 300000;
	in->cand[1].available = 5;
}

static void test_decide_swap(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SWAP);
	assert_int_equal(d.choice, 0);
	assert_int_equal(d.saving, 174000); /* 0.116 x 0.5 GB x 3 days */
}

static void test_decide_keep_best(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.cand[0].price = 300000; /* as cheap is not cheaper */
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_BEST);
	assert_int_equal(d.choice, -1);
	in.cand[0].price = -1; /* W does not serve the country */
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_BEST);
}

static void test_decide_same_sponsor_never(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.price_now = 500000; /* the static slot is dearer, Y itself is the dynamic one */
	in.cand[0].price = -1;
	in.cand[1].price = 100000;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_BEST);
}

static void test_decide_hold_first(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	snprintf(in.sponsor_now, sizeof(in.sponsor_now), "X");
	in.cand[1].price = 184000; /* same price as W, one on hold for us */
	in.cand[1].held_for = 1;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SWAP);
	assert_int_equal(d.choice, 1);
}

static void test_decide_short_visit(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.stay_s = 2 * 3600;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SHORT_VISIT);
	assert_int_equal(d.choice, -1);
}

static void test_decide_not_worth(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.ota_cost = 174000; /* the saving only pays the OTA back */
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_NOT_WORTH);
	in.ota_cost = 173999;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SWAP);
	/* nothing serves there now: any service beats none, whatever the cost */
	in.price_now = -1;
	in.ota_cost = 100000000;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SWAP);
	assert_int_equal(d.saving, -1);
}

static void test_decide_pool_empty(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.cand[0].available = 0;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_EMPTY);
	assert_int_equal(d.n_empty, 1);
	assert_int_equal(d.empty[0], 0);
	/* a dearer pool with stock still wins over keeping */
	in.n_cand = 3;
	snprintf(in.cand[2].sponsor, ST_PLAN_NAME, "V");
	in.cand[2].price = 250000;
	in.cand[2].available = 1;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_SWAP);
	assert_int_equal(d.choice, 2);
	assert_int_equal(d.n_empty, 1);
}

static void test_decide_in_flight(void **state)
{
	struct st_plan_in in;
	struct st_plan_out d;

	(void)state;
	base_in(&in);
	in.in_flight = 1;
	st_plan_decide(&in, &d);
	assert_int_equal(d.why, ST_PLAN_IN_FLIGHT);
	assert_string_equal(st_plan_why_name(d.why), "in-flight");
}

/* ---- on an inventory ------------------------------------------------------------ */

static char dir[] = "/tmp/test-st-plan-XXXXXX";
static char path[64];
#define ICCID "89490000000000000007"
#define Y0 "213550000000000"
#define W0 "901280000000000"

static void ctx_open(struct st_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->out = fopen("/dev/null", "w");
	st_time_parse("2026-01-01", &c->at);
	assert_int_equal(st_open(c, path, 1), 0);
}

static void ctx_close(struct st_ctx *c)
{
	st_close(c);
	fclose(c->out);
}

static void batch(struct st_ctx *c, const char *name, const char *sponsor, const char *first, const char *last)
{
	struct st_batch_import b;

	memset(&b, 0, sizeof(b));
	b.name = name;
	b.sponsor = sponsor;
	b.first = first;
	b.last = last;
	assert_int_equal(st_batch_import(c, &b), 0);
}

/* Own + Y profile assigned to "acct"; dynamic pools of Y (10) and W (3). */
static void scene(struct st_ctx *c)
{
	char *own[] = {"262-01"}, *y[] = {"213-55"}, *w[] = {"901-28"};
	char *ry[] = {"test-vectors/rules/valid/balkan/rates-own.csv",
		      "test-vectors/rules/valid/balkan/rates-partner-y.csv"};
	char *rw[] = {"test-vectors/rules/valid/world/rates-own.csv",
		      "test-vectors/rules/valid/world/rates-partner-w.csv"};
	char iccid[24];

	unlink(path);
	ctx_open(c);
	assert_int_equal(st_sponsor_add(c, "Own", own, 1), 0);
	assert_int_equal(st_sponsor_add(c, "Partner Y", y, 1), 0);
	assert_int_equal(st_sponsor_add(c, "Partner W", w, 1), 0);
	batch(c, "own", "Own", "262010000000000", "262010000000009");
	batch(c, "y", "Partner Y", Y0, "213550000000009");
	batch(c, "w", "Partner W", W0, "901280000000002");
	assert_int_equal(st_hold_set(c, "213", 90), 0);
	assert_int_equal(st_hold_set(c, "901", 90), 0);
	assert_int_equal(st_product_add(c, "Balkan", NULL), 0);
	assert_int_equal(st_pool_create(c, "PY", "8949000000000000000-8949000000000000099",
					"test-vectors/scenarios/stock/balkan-own-y.json", ry, 2),
			 0);
	assert_int_equal(st_pool_create(c, "PW", "8949000000000000100-8949000000000000199",
					"test-vectors/rules/valid/world/plan.json", rw, 2),
			 0);
	assert_int_equal(st_pool_link(c, "PY", "Balkan", 0, 0), 0);
	assert_int_equal(st_ipool_create(c, "dynY"), 0);
	assert_int_equal(st_ipool_link(c, "dynY", "Balkan", 0), 0);
	assert_int_equal(st_ipool_add(c, "dynY", "y", 0), 0);
	assert_int_equal(st_ipool_create(c, "dynW"), 0);
	assert_int_equal(st_ipool_link(c, "dynW", "Balkan", 0), 0);
	assert_int_equal(st_ipool_add(c, "dynW", "w", 0), 0);
	/* a generated profile by hand (generate is covered by the check scripts) */
	assert_true(st_run(c, "INSERT INTO transport_key (label, kcv, bits, created_at) VALUES ('k', '000000', "
			      "256, 0)",
			   NULL) == 1);
	assert_true(st_run(c, "INSERT INTO generation (pool_id, at, count, imsis, key_id) VALUES (1, 0, 1, 2, 1)",
			   NULL) == 1);
	assert_true(st_run(c, "INSERT INTO profile (iccid, pool_id, generation_id, state, since, key_id, "
			      "ki_wrapped, opc_wrapped, secrets_wrapped) VALUES ('" ICCID "', 1, 1, "
			      "'available', 0, 1, x'00', x'00', x'00')",
			   NULL) == 1);
	assert_true(st_run(c, "INSERT INTO embedding (profile_id, position, imsi_id, origin, from_at) SELECT 1, 1, "
			      "id, 'generate', 0 FROM imsi WHERE imsi = '262010000000000'",
			   NULL) == 1);
	assert_true(st_run(c, "INSERT INTO embedding (profile_id, position, imsi_id, origin, from_at) SELECT 1, 2, "
			      "id, 'generate', 0 FROM imsi WHERE imsi = '" Y0 "'",
			   NULL) == 1);
	assert_true(st_run(c, "UPDATE imsi SET state = 'embedded' WHERE imsi IN ('262010000000000', '" Y0 "')",
			   NULL) == 2);
	assert_int_equal(st_assign(c, "acct", NULL, "Balkan", NULL, iccid), 0);
}

static const struct st_plan_opts opts = {12 * 3600, 72 * 3600, 0, 500000, NULL};

static json_t *event(const char *plmn, const char *at)
{
	return json_pack("{s:s, s:s, s:s}", "iccid", ICCID, "plmn", plmn, "at", at);
}

static const char *state_of(struct st_ctx *c, const char *imsi)
{
	static char buf[16];
	sqlite3_stmt *s = st_prep(c, "SELECT state FROM imsi WHERE imsi = ?", "t", imsi);

	buf[0] = '\0';
	if (s && sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return buf;
}

/* Every IMSI is somewhere: 23 rows, none removed, one per position. */
static void no_imsi_lost(struct st_ctx *c)
{
	int64_t n;

	assert_int_equal(st_get_i64(c, &n, "SELECT count(*) FROM imsi WHERE state IN ('available', 'reserved', "
					   "'embedded', 'hold')",
				    NULL),
			 1);
	assert_int_equal(n, 23);
	assert_int_equal(st_get_i64(c, &n, "SELECT count(*) FROM embedding WHERE to_at IS NULL", NULL), 1);
	assert_int_equal(n, 2);
}

static json_t *plan(struct st_ctx *c, const char *plmn, const char *at, const char *decision)
{
	json_t *ev = event(plmn, at), *out = NULL;

	assert_int_equal(st_plan_swap(c, ev, &opts, &out), 0);
	json_decref(ev);
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "decision")), decision);
	no_imsi_lost(c);
	return out;
}

static size_t por(uint8_t status, uint8_t *buf, size_t cap)
{
	struct ota_por p;
	int n;

	memset(&p, 0, sizeof(p));
	p.status = status;
	n = ota_por_build(0x01, &p, NULL, NULL, buf, cap);
	assert_true(n > 0);
	return (size_t)n;
}

static void test_balkan_trip(void **state)
{
	struct st_ctx c;
	json_t *j, *ev;
	uint8_t pkt[64];
	size_t n;

	(void)state;
	scene(&c);
	/* Montenegro: Y 0.41 EUR beats W 1.21 USD (1.1132 EUR) */
	j = plan(&c, "297-01", "2026-01-11T10:00:00Z", "keep");
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "best");
	json_decref(j);
	/* Albania: W 0.2 USD (0.184 EUR) beats Y 0.30: swap, HSS first */
	j = plan(&c, "276-02", "2026-01-12T10:00:00Z", "replace");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "new"), "imsi")), W0);
	ev = json_object_get(j, "events");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "do")), "hss-create");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "do")), "ota-slot");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 2), "do")), "hss-remove");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 2), "imsi")), Y0);
	json_decref(j);
	assert_string_equal(state_of(&c, W0), "reserved");
	assert_string_equal(state_of(&c, Y0), "embedded");
	/* the PoR: W embedded, Y on hold for the subscriber */
	n = por(OTA_ST_OK, pkt, sizeof(pkt));
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x01, NULL, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "committed");
	json_decref(j);
	assert_string_equal(state_of(&c, W0), "embedded");
	assert_string_equal(state_of(&c, Y0), "hold");
	no_imsi_lost(&c);
	/* Kosovo: Y 0.6 EUR beats W 0.7 USD (0.644): the held Y comes back */
	j = plan(&c, "221-01", "2026-01-14T10:00:00Z", "replace");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "new"), "imsi")), Y0);
	assert_true(json_is_true(json_object_get(json_object_get(j, "new"), "from_hold")));
	json_decref(j);
	n = por(OTA_ST_OK, pkt, sizeof(pkt));
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x01, NULL, &j), 0);
	json_decref(j);
	assert_string_equal(state_of(&c, Y0), "embedded");
	assert_string_equal(state_of(&c, W0), "hold");
	no_imsi_lost(&c);
	ctx_close(&c);
}

static void test_lost_por_and_timeout(void **state)
{
	struct st_ctx c;
	json_t *j;
	uint8_t junk[] = {0x02, 0x71, 0x00, 0x00};

	(void)state;
	scene(&c);
	json_decref(plan(&c, "276-02", "2026-01-12T10:00:00Z", "replace"));
	/* a PoR that does not decode changes nothing */
	assert_int_equal(st_plan_por(&c, ICCID, 2, junk, sizeof(junk), 0x01, NULL, &j), ST_E_DATA);
	memset(&c.err, 0, sizeof(c.err));
	assert_string_equal(state_of(&c, W0), "reserved");
	assert_string_equal(state_of(&c, Y0), "embedded");
	/* a new event meanwhile waits for this swap */
	j = plan(&c, "221-01", "2026-01-12T11:00:00Z", "keep");
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "in-flight");
	json_decref(j);
	/* no PoR in time: W back to its pool, the old IMSI rewritten first */
	assert_int_equal(st_plan_timeout(&c, ICCID, 2, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "released");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "events"), 0), "do")),
			    "ota-slot");
	json_decref(j);
	assert_string_equal(state_of(&c, W0), "available");
	assert_string_equal(state_of(&c, Y0), "embedded");
	no_imsi_lost(&c);
	/* a PoR after the timeout finds no swap */
	{
		uint8_t pkt[64];
		size_t n = por(OTA_ST_OK, pkt, sizeof(pkt));

		assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x01, NULL, &j), ST_E_STATE);
		memset(&c.err, 0, sizeof(c.err));
	}
	ctx_close(&c);
}

static void test_por_error_releases(void **state)
{
	struct st_ctx c;
	json_t *j;
	uint8_t pkt[64];
	size_t n;

	(void)state;
	scene(&c);
	json_decref(plan(&c, "276-02", "2026-01-12T10:00:00Z", "replace"));
	n = por(OTA_ST_CNTR_LOW, pkt, sizeof(pkt));
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x01, NULL, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "released");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "events"), 0), "imsi")),
			    W0);
	json_decref(j);
	assert_string_equal(state_of(&c, W0), "available");
	assert_string_equal(state_of(&c, Y0), "embedded");
	no_imsi_lost(&c);
	ctx_close(&c);
}

/* A secured PoR (SPI2 19: ciphered, CC) verified with the OTA key file; a
 * tampered one changes nothing. */
static void test_secured_por(void **state)
{
	static const struct st_plan_ota ota = {"test-vectors/ota/default-card-keys.json", 1, NULL, NULL, NULL, 1, NULL, NULL};
	static const struct ota_key kic = {0x19, 24, {0x10, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
						     0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13,
						     0x14, 0x15, 0x16, 0x17}};
	static const struct ota_key kid = {0x19, 24, {0x10, 0x11, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
						     0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13,
						     0x14, 0x15, 0x16, 0x17}};
	struct st_ctx c;
	struct ota_por p;
	uint8_t pkt[64];
	json_t *j;
	int n;

	(void)state;
	scene(&c);
	json_decref(plan(&c, "276-02", "2026-01-12T10:00:00Z", "replace"));
	memset(&p, 0, sizeof(p));
	p.status = OTA_ST_OK;
	n = ota_por_build(0x19, &p, &kic, &kid, pkt, sizeof(pkt));
	assert_true(n > 16);
	pkt[n - 1] ^= 0x01; /* the CC no longer verifies */
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, (size_t)n, 0x19, &ota, &j), ST_E_DATA);
	memset(&c.err, 0, sizeof(c.err));
	assert_string_equal(state_of(&c, W0), "reserved");
	/* a PoR in clear proves nothing when a secured one is due */
	{
		uint8_t clear[64];
		size_t m = por(OTA_ST_CNTR_LOW, clear, sizeof(clear));

		assert_int_equal(st_plan_por(&c, ICCID, 2, clear, m, 0x19, &ota, &j), ST_E_DATA);
		memset(&c.err, 0, sizeof(c.err));
		assert_string_equal(state_of(&c, W0), "reserved");
	}
	pkt[n - 1] ^= 0x01;
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, (size_t)n, 0x19, &ota, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "committed");
	json_decref(j);
	assert_string_equal(state_of(&c, W0), "embedded");
	assert_string_equal(state_of(&c, Y0), "hold");
	no_imsi_lost(&c);
	ctx_close(&c);
}

/* The OTA cannot be built (no such base set): nothing stays reserved. */
static void test_ota_failure_releases(void **state)
{
	static const struct st_plan_ota ota = {"test-vectors/ota/default-card-keys.json", 1, "/nonexistent/c.json",
					       "/nonexistent/set", NULL, 1, NULL, NULL};
	struct st_plan_opts o = opts;
	struct st_ctx c;
	json_t *ev = event("276-02", "2026-01-12T10:00:00Z"), *j = NULL;

	(void)state;
	scene(&c);
	o.ota = &ota;
	assert_int_equal(st_plan_swap(&c, ev, &o, &j), ST_E_DATA);
	memset(&c.err, 0, sizeof(c.err));
	json_decref(ev);
	assert_null(j);
	assert_string_equal(state_of(&c, W0), "available");
	assert_string_equal(state_of(&c, Y0), "embedded");
	no_imsi_lost(&c);
	ctx_close(&c);
}

static void test_pool_empty(void **state)
{
	struct st_ctx c;
	json_t *j;

	(void)state;
	scene(&c);
	/* the W IMSIs all taken by others (here: on hold for another account) */
	assert_true(st_run(&c, "UPDATE imsi SET state = 'hold', hold_until = 9999999999, hold_account = 'other' "
			       "WHERE imsi LIKE '90128%'",
			   NULL) == 3);
	j = plan(&c, "276-02", "2026-01-12T10:00:00Z", "keep");
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "pool-empty");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "alerts"), 0), "ipool")),
			    "dynW");
	json_decref(j);
	assert_string_equal(state_of(&c, Y0), "embedded");
	ctx_close(&c);
}

static void test_bad_events(void **state)
{
	struct st_ctx c;
	json_t *ev, *j = NULL;
	uint8_t pkt[64];
	size_t n;

	(void)state;
	scene(&c);
	ev = json_pack("{s:s}", "iccid", ICCID); /* no plmn */
	assert_int_equal(st_plan_swap(&c, ev, &opts, &j), ST_E_DATA);
	json_decref(ev);
	memset(&c.err, 0, sizeof(c.err));
	ev = json_pack("{s:s, s:s, s:s}", "iccid", ICCID, "imsi", Y0, "plmn", "276-02"); /* both */
	assert_int_equal(st_plan_swap(&c, ev, &opts, &j), ST_E_DATA);
	json_decref(ev);
	memset(&c.err, 0, sizeof(c.err));
	ev = json_pack("{s:s, s:s}", "imsi", "999990000000000", "plmn", "276-02");
	assert_int_equal(st_plan_swap(&c, ev, &opts, &j), ST_E_NOTFOUND);
	json_decref(ev);
	memset(&c.err, 0, sizeof(c.err));
	/* by IMSI works as by ICCID */
	ev = json_pack("{s:s, s:s, s:s, s:f}", "imsi", Y0, "plmn", "276-02", "at", "2026-01-12T10:00:00Z",
		       "stay_hours", 1.0);
	assert_int_equal(st_plan_swap(&c, ev, &opts, &j), 0);
	json_decref(ev);
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "short-visit");
	json_decref(j);
	/* a PoR without a swap in flight, a secured PoR without keys */
	n = por(OTA_ST_OK, pkt, sizeof(pkt));
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x01, NULL, &j), ST_E_STATE);
	memset(&c.err, 0, sizeof(c.err));
	assert_int_equal(st_plan_por(&c, ICCID, 2, pkt, n, 0x19, NULL, &j), ST_E_USAGE);
	memset(&c.err, 0, sizeof(c.err));
	assert_string_equal(state_of(&c, Y0), "embedded");
	no_imsi_lost(&c);
	ctx_close(&c);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/plan.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[96];

	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
	return 0;
}

/* The HSS's side of hss-create: K/OPc unwrapped with the transport key the
 * event names by its check value; another key, no keys, a tampered wrap or
 * another event are refused with the keys zeroed. */
static void test_hss_keys(void **state)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const uint8_t opc[16] = {0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
					0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF};
	struct st_ctx c;
	struct st_key key;
	uint8_t kw[24], ow[24], ko[16], oo[16];
	char kh[49], oh[49], kf[80];
	json_t *ev, *none;
	FILE *f;

	(void)state;
	scene(&c);
	snprintf(kf, sizeof(kf), "%s/t.key", dir);
	f = fopen(kf, "w");
	assert_non_null(f);
	fputs("000102030405060708090A0B0C0D0E0F\n", f);
	fclose(f);
	assert_int_equal(st_key_load(&c, kf, "T", &key), 0);
	assert_int_equal(st_wrap(&key, k, 16, kw), 24);
	assert_int_equal(st_wrap(&key, opc, 16, ow), 24);
	st_hex(kw, 24, kh);
	st_hex(ow, 24, oh);
	ev = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "do", "hss-create", "imsi", W0, "keys", "k_wrapped",
		       kh, "opc_wrapped", oh, "key_label", "T", "kcv", key.kcv);
	assert_int_equal(st_plan_hss_keys(&c, &key, ev, ko, oo), 0);
	assert_memory_equal(ko, k, 16);
	assert_memory_equal(oo, opc, 16);
	/* another transport key (check value) */
	json_object_set_new(json_object_get(ev, "keys"), "kcv", json_string("000000"));
	memset(&c.err, 0, sizeof(c.err));
	assert_int_equal(st_plan_hss_keys(&c, &key, ev, ko, oo), ST_E_KEY);
	/* a wrap that does not verify (RFC 3394 integrity check) */
	json_object_set_new(json_object_get(ev, "keys"), "kcv", json_string(key.kcv));
	kh[0] = kh[0] == '0' ? '1' : '0';
	json_object_set_new(json_object_get(ev, "keys"), "k_wrapped", json_string(kh));
	memset(&c.err, 0, sizeof(c.err));
	assert_int_equal(st_plan_hss_keys(&c, &key, ev, ko, oo), ST_E_KEY);
	assert_int_equal(ko[0] | ko[15] | oo[0] | oo[15], 0);
	assert_null(strstr(c.err.text, kh));
	/* not an hss-create */
	json_object_set_new(ev, "do", json_string("hss-remove"));
	memset(&c.err, 0, sizeof(c.err));
	assert_int_equal(st_plan_hss_keys(&c, &key, ev, ko, oo), ST_E_DATA);
	json_decref(ev);
	/* the stock holds no keys for an IMSI imported by range */
	none = st_plan_hss_create(&c, W0);
	assert_true(json_is_null(json_object_get(none, "keys")));
	memset(&c.err, 0, sizeof(c.err));
	assert_int_equal(st_plan_hss_keys(&c, &key, none, ko, oo), ST_E_KEY);
	json_decref(none);
	st_key_wipe(&key);
	unlink(kf);
	ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decide_swap),		   cmocka_unit_test(test_decide_keep_best),
	    cmocka_unit_test(test_decide_same_sponsor_never), cmocka_unit_test(test_decide_hold_first),
	    cmocka_unit_test(test_decide_short_visit),	   cmocka_unit_test(test_decide_not_worth),
	    cmocka_unit_test(test_decide_pool_empty),	   cmocka_unit_test(test_decide_in_flight),
	    cmocka_unit_test(test_balkan_trip),		   cmocka_unit_test(test_lost_por_and_timeout),
	    cmocka_unit_test(test_por_error_releases),	   cmocka_unit_test(test_pool_empty),
	    cmocka_unit_test(test_bad_events),		   cmocka_unit_test(test_secured_por),
	    cmocka_unit_test(test_ota_failure_releases),   cmocka_unit_test(test_hss_keys),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
