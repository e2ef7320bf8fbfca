/* SPDX-License-Identifier: Apache-2.0 */
/* The set a swap writes (st_plan_set.c): the new IMSI and its sponsor at
 * the dynamic position, priced by that sponsor's sheet, compiled by librc.
 * The Balkan plan of use case 2: W (901-28) replaces Y at slot 2, and in
 * Albania W's network 276-02, forbidden to slot 2 in Y's set, becomes slot
 * 2's first choice; Y's rows and Y's preference leave the set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc.h"
#include "st_plan.h"

#define PLAN "test-vectors/scenarios/stock/balkan-own-y.json"
#define W_IMSI "901289000000000"

/* The profile pool's sheets first (n_own rows), then W's pool's. */
static void rates_load(struct rc_rates *r, size_t *n_own)
{
	rc_error_t e;

	rc_err_clear(&e);
	memset(r, 0, sizeof(*r));
	assert_int_equal(rc_csv_load("test-vectors/rules/valid/balkan/rates-own.csv", r, &e), 0);
	assert_int_equal(rc_csv_load("test-vectors/rules/valid/balkan/rates-partner-y.csv", r, &e), 0);
	*n_own = r->n;
	assert_int_equal(rc_csv_load("test-vectors/rules/valid/world/rates-own.csv", r, &e), 0);
	assert_int_equal(rc_csv_load("test-vectors/rules/valid/world/rates-partner-w.csv", r, &e), 0);
}

static struct rc_plan *plan_load(void)
{
	struct rc_plan *p = calloc(1, sizeof(*p));
	rc_error_t e;

	rc_err_clear(&e);
	assert_non_null(p);
	assert_int_equal(rc_plan_load(PLAN, p, &e), 0);
	return p;
}

static void plan_drop(struct rc_plan *p)
{
	rc_plan_free(p);
	free(p);
}

static void test_set_slot(void **state)
{
	struct rc_plan *p = plan_load();
	int k;

	(void)state;
	assert_int_equal(st_plan_set_slot(p, 2, W_IMSI, "Partner W"), 0);
	k = rc_plan_slot(p, 2);
	assert_string_equal(p->slots[k].sponsor, "Partner W");
	assert_string_equal(p->slots[k].imsi, W_IMSI);
	assert_int_equal(p->slots[k].plmn.mcc, 901);
	assert_int_equal(p->slots[k].plmn.mnc, 28);
	assert_int_equal(p->slots[k].mnc_len, 2);
	assert_int_equal(p->slots[k].keyset, 3); /* the position's key set stays */
	assert_int_equal(p->n_sponsors, 2);
	assert_int_equal(p->n_pref, 2); /* Y's preference (276-03) left with Y */
	/* a 3-digit-MNC country (E.212): 310-410 */
	assert_int_equal(st_plan_set_slot(p, 2, "310410000000001", "Partner W"), 0);
	assert_int_equal(p->slots[k].mnc_len, 3);
	assert_int_equal(p->slots[k].plmn.mnc, 410);
	/* no such position, IMSI of a wrong length: refused, nothing changed */
	assert_int_equal(st_plan_set_slot(p, 7, W_IMSI, "Partner W"), -1);
	assert_int_equal(st_plan_set_slot(p, 2, "90128", "Partner W"), -1);
	assert_string_equal(p->slots[k].imsi, "310410000000001");
	plan_drop(p);
}

static void test_set_rates(void **state)
{
	struct rc_plan *p = plan_load();
	struct rc_rates r;
	size_t n_own, i, own = 0, w = 0;

	(void)state;
	rates_load(&r, &n_own);
	assert_int_equal(st_plan_set_slot(p, 2, W_IMSI, "Partner W"), 0);
	st_plan_set_rates(p, &r, n_own, "Partner W");
	for (i = 0; i < r.n; i++) {
		assert_string_not_equal(r.v[i].sponsor, "Partner Y");
		if (!strcmp(r.v[i].sponsor, "Own")) {
			own++; /* the profile pool's Own sheet, not the world pool's */
			assert_non_null(strstr(r.v[i].file, "balkan"));
		} else {
			w++;
			assert_non_null(strstr(r.v[i].file, "world/rates-partner-w"));
		}
	}
	assert_int_equal(own, 8);
	assert_int_equal(w, 9);
	rc_rates_free(&r);
	plan_drop(p);
}

/* Slot 2's place at 276-02 in a compiled set: 1 first, 0 allowed later,
 * -1 forbidden. */
static int slot2_at_276_02(struct rc_plan *p, struct rc_rates *r, struct rc_result *res)
{
	struct mi_plmn al2 = {276, 2, 2};
	const struct rc_plmn *e;
	rc_error_t err;

	rc_err_clear(&err);
	memset(res, 0, sizeof(*res));
	assert_int_equal(rc_choose(p, r, res, &err), 0);
	assert_int_equal(rc_emit(p, res, &err), 0);
	e = rc_find_plmn(res, &al2);
	assert_non_null(e);
	if (e->cell[1].why)
		return -1;
	return rc_first_allowed(&e->prof) == 2;
}

static void test_set_compiles_for_new_sponsor(void **state)
{
	struct rc_plan *p = plan_load();
	struct rc_rates r;
	struct rc_result before, after;
	size_t n_own;

	(void)state;
	/* Y's set: slot 2 may not serve W's network */
	rates_load(&r, &n_own);
	st_plan_set_rates(p, &r, n_own, "Partner Y");
	assert_int_equal(slot2_at_276_02(p, &r, &before), -1);
	rc_rates_free(&r);
	/* W's set: slot 2 is the first choice there, Y's preference gone */
	rates_load(&r, &n_own);
	assert_int_equal(st_plan_set_slot(p, 2, W_IMSI, "Partner W"), 0);
	st_plan_set_rates(p, &r, n_own, "Partner W");
	assert_int_equal(p->n_pref, 2); /* 297-01, 232-01 stay; 276-03 for Y goes */
	assert_int_equal(slot2_at_276_02(p, &r, &after), 1);
	/* one set: the three files carry the same set id, a new one */
	assert_int_not_equal(after.set_id, before.set_id);
	assert_true(after.rules_len != before.rules_len ||
		    memcmp(after.rules_ef, before.rules_ef, after.rules_len) != 0);
	rc_result_free(&before);
	rc_result_free(&after);
	rc_rates_free(&r);
	plan_drop(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set_slot),
	    cmocka_unit_test(test_set_rates),
	    cmocka_unit_test(test_set_compiles_for_new_sponsor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
