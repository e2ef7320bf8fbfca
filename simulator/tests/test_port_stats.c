/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator port's NV write counters (sim_port_stats.h): a transaction
 * writing EF_IMSI counts as a switch, others as state-only; writes, bytes
 * and NV bytes (journal + flag twice + data); aborts and proactive commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* cmocka.h after the headers it needs */
#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "sim_nv.h"
#include "sim_port.h"
#include "sim_port_stats.h"

static struct sim_nv nv;
static struct mi_port port;

static int setup(void **state)
{
	(void)state;
	sim_nv_init(&nv);
	assert_int_equal(sim_nv_alloc(&nv, SIM_NV_OBJ_KEYSET, 1, 1), 0);
	assert_int_equal(sim_nv_alloc(&nv, SIM_NV_OBJ_JOURNAL, SIM_NV_JOURNAL_SIZE, 0), 0);
	assert_int_equal(sim_nv_alloc(&nv, SIM_NV_OBJ_JFLAG, 1, 0), 0);
	sim_port_init(&port, &nv);
	port.n_keysets = 3;
	sim_port_map(&port, MI_FILE_IMSI, sim_nv_alloc_file(&nv, 9, 0xFF));
	sim_port_map(&port, MI_FILE_STATE, sim_nv_alloc_file(&nv, 64, 0));
	sim_port_stats_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_nv_free(&nv);
	return 0;
}

static void test_switch_and_state_only(void **state)
{
	static const uint8_t imsi[9] = {8, 0x29, 0x26, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09};
	static const uint8_t st[30] = {1};
	const struct sim_port_stats *s = sim_port_stats_get();

	(void)state;
	/* a switch: EF_IMSI, the key set, the state */
	assert_int_equal(mi_port_txn_begin(&port), MI_OK);
	assert_int_equal(mi_port_file_write(&port, MI_FILE_IMSI, 0, imsi, 9), MI_OK);
	assert_int_equal(mi_port_keyset_select(&port, 2), MI_OK);
	assert_int_equal(mi_port_file_write(&port, MI_FILE_STATE, 0, st, 30), MI_OK);
	assert_int_equal(mi_port_txn_commit(&port), MI_OK);
	assert_int_equal(s->sw.commits, 1);
	assert_int_equal(s->sw.writes, 3);
	assert_int_equal(s->sw.bytes, 40);
	/* journal: 'J' 'N' n(2), 6 + data per write, CRC(4); + 2 flag bytes + 40 applied */
	assert_int_equal(s->sw.nv, (4 + 3 * 6 + 40 + 4) + 2 + 40);
	/* state only */
	assert_int_equal(mi_port_txn_begin(&port), MI_OK);
	assert_int_equal(mi_port_file_write(&port, MI_FILE_STATE, 0, st, 30), MI_OK);
	assert_int_equal(mi_port_txn_commit(&port), MI_OK);
	assert_int_equal(s->all.commits, 2);
	assert_int_equal(s->sw.commits, 1);
	assert_int_equal(s->all.max_writes, 3);
	assert_int_equal(s->all.writes, 4);
	/* an abandoned transaction is not a commit */
	assert_int_equal(mi_port_txn_begin(&port), MI_OK);
	assert_int_equal(mi_port_file_write(&port, MI_FILE_IMSI, 0, imsi, 9), MI_OK);
	mi_port_txn_abort(&port);
	assert_int_equal(s->aborts, 1);
	assert_int_equal(s->all.commits, 2);
	assert_int_equal(mi_port_proactive_send(&port, (const uint8_t *)"\xD0\x00", 2), MI_OK);
	assert_int_equal(s->proactive, 1);
	sim_port_stats_reset();
	assert_int_equal(s->all.commits, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_switch_and_state_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
