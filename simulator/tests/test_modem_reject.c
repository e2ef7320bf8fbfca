/* SPDX-License-Identifier: Apache-2.0 */
/* The modem's side of fast failover: the NETWORK REJECTION envelope byte for byte
 * against test-vectors/cat/, the TERMINAL PROFILE of the failover modem
 * profiles, and the profile editing behind --failover on|off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_err.h"
#include "scenario/sim_journey.h"
#include "sim_test_util.h"

static size_t vector(const char *name, uint8_t *out, size_t cap)
{
	char path[256], text[1024];
	FILE *f;
	size_t n;
	int len;

	snprintf(path, sizeof(path), "test-vectors/cat/%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	len = st_unhex(text, out, cap);
	assert_true(len > 0);
	return (size_t)len;
}

static struct mi_plmn plmn(const char *text)
{
	struct mi_plmn p;

	assert_int_equal(mi_plmn_parse(text, (mi_u16)strlen(text), &p), MI_OK);
	return p;
}

static void check(const struct sim_reject *r, const char *file)
{
	uint8_t want[64], got[64];
	size_t n = vector(file, want, sizeof(want));

	assert_int_equal(sim_modem_reject_envelope(r, got, sizeof(got)), n);
	assert_memory_equal(got, want, n);
	/* one byte short: nothing written */
	assert_int_equal(sim_modem_reject_envelope(r, got, n - 1), 0);
}

static void test_eutran_attach_11(void **state)
{
	struct sim_reject r = {plmn("213-77"), 0x0001, 0, SIM_RAT_EUTRAN, SIM_UPD_EPS_ATTACH, 11};

	(void)state;
	check(&r, "env_network_rejection_11.hex");
	/* the applet engineer's vector for the same event is the same bytes */
	check(&r, "env_reject_11_213_77.hex");
}

static void test_eutran_ta_update_13(void **state)
{
	struct sim_reject r = {plmn("213-55"), 0x1002, 0, SIM_RAT_EUTRAN, SIM_UPD_TA_UPDATING, 13};

	(void)state;
	check(&r, "env_network_rejection_13_ta_update.hex");
}

static void test_eutran_network_failure_17(void **state)
{
	struct sim_reject r = {plmn("262-01"), 0x1000, 0, SIM_RAT_EUTRAN, SIM_UPD_EPS_ATTACH, 17};

	(void)state;
	check(&r, "env_network_rejection_17.hex");
}

static void test_utran_gprs_attach_22(void **state)
{
	struct sim_reject r = {plmn("262-02"),	    0x1003, 0x01, SIM_RAT_UTRAN,
			       SIM_UPD_GPRS_ATTACH, 22};

	(void)state;
	check(&r, "env_network_rejection_22_utran.hex");
}

static void test_invalid_plmn(void **state)
{
	struct sim_reject r;
	uint8_t out[64];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.rat = SIM_RAT_EUTRAN; /* PLMN with no digits: not encodable */
	assert_int_equal(sim_modem_reject_envelope(&r, out, sizeof(out)), 0);
}

static void load(const char *name, struct sim_modem_profile *p)
{
	char err[512];

	if (sim_modem_profile_load(name, p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* TERMINAL PROFILE bits: byte 25 b7 network rejection E-UTRAN, b5
 * GERAN/UTRAN (TS 102 223 §5.2), byte 4 b7 PROVIDE LOCAL INFORMATION. */
static void test_terminal_profiles(void **state)
{
	struct sim_modem_profile p;
	uint8_t want[SIM_TP_MAX];
	size_t n;

	(void)state;
	load("rel99-failover", &p);
	n = vector("tp_rel99_failover.hex", want, sizeof(want));
	assert_int_equal(p.tp_len, n);
	assert_memory_equal(p.tp, want, n);
	assert_true(p.caps & SIM_CAP_EVENT_REJECT_EUTRAN);
	assert_int_equal(p.rat, SIM_RAT_EUTRAN);
	load("no-failover", &p);
	n = vector("tp_no_failover.hex", want, sizeof(want));
	assert_int_equal(p.tp_len, n);
	assert_memory_equal(p.tp, want, n);
	load("reject-utran", &p);
	assert_int_equal(p.rat, SIM_RAT_UTRAN);
	assert_int_equal(p.tp_len, 25);
	assert_int_equal(p.tp[24], 0x10);
	load("reject-no-pli", &p);
	assert_int_equal(p.tp[24], 0x40);
	assert_int_equal(p.tp[3] & 0x40, 0);
	load("reject-storm", &p);
	assert_true(p.forget_forbidden);
	assert_int_equal(sim_cap_from_name("event_network_rejection"), SIM_CAP_EVENT_REJECT_EUTRAN);
	assert_int_equal(sim_cap_from_name("event_network_rejection_geran"),
			 SIM_CAP_EVENT_REJECT_GERAN);
}

/* --failover on|off edits the capabilities and the TERMINAL PROFILE. */
static void test_profile_failover_edit(void **state)
{
	struct sim_modem_profile p;
	uint8_t want[SIM_TP_MAX];
	size_t n;
	char err[256];

	(void)state;
	load("no-failover", &p);
	sim_modem_profile_failover(&p, 1);
	assert_string_equal(p.name, "no-failover+fo");
	assert_int_equal(p.tp_len, 25);
	assert_int_equal(p.tp[24], 0x40);
	assert_int_equal(p.tp[3] & 0x40, 0x40);
	assert_true(p.caps & SIM_CAP_PLI_LOCATION);
	load("rel99-failover", &p);
	sim_modem_profile_failover(&p, 0);
	assert_int_equal(p.tp[24], 0);
	assert_int_equal(p.tp[3] & 0x40, 0);
	assert_false(p.caps & (SIM_CAP_EVENT_REJECT_EUTRAN | SIM_CAP_PLI_LOCATION));
	load("reject-utran", &p);
	sim_modem_profile_failover(&p, 0);
	assert_int_equal(p.tp[24], 0);
	sim_modem_profile_failover(&p, 1);
	assert_int_equal(p.tp[24], 0x10); /* its own RAT's bit */
	/* rel99 + on = rel99-failover's profile exactly */
	load("rel99", &p);
	sim_modem_profile_failover(&p, 1);
	n = vector("tp_rel99_failover.hex", want, sizeof(want));
	assert_int_equal(p.tp_len, n);
	assert_memory_equal(p.tp, want, n);
	assert_int_equal(sim_modem_profile_load("no-such-modem", &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-modem.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eutran_attach_11),
	    cmocka_unit_test(test_eutran_ta_update_13),
	    cmocka_unit_test(test_eutran_network_failure_17),
	    cmocka_unit_test(test_utran_gprs_attach_22),
	    cmocka_unit_test(test_invalid_plmn),
	    cmocka_unit_test(test_terminal_profiles),
	    cmocka_unit_test(test_profile_failover_edit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
