/* SPDX-License-Identifier: Apache-2.0 */
/* Milenage against TS 35.208 test sets 1-3 (f1..f5*, OPc from OP, Kc)
 * and the real-card vector, read from test-vectors/milenage/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sim_milenage.h"
#include "sim_test_util.h"

static void hexf(const char *s, uint8_t *out, size_t n)
{
	assert_int_equal(st_unhex(s, out, n), (int)n);
}

static void test_ts35208_sets(void **state)
{
	FILE *f = fopen("test-vectors/milenage/ts35208.data", "r");
	char line[1024];
	unsigned sets = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char name[16], k[40], rnd[40], sqn[16], amf[8], op[40], opc[40], f1[20], f1s[20], f2[20],
			f5[16], f3[40], f4[40], f5s[16], kc[20];
		uint8_t K[16], R[16], S[6], A[2], OP[16], OPC[16], x[16], kcb[8], sres[4];
		struct sim_milenage_out o;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%15s %39s %39s %15s %7s %39s %39s %19s %19s %19s %15s %39s %39s %15s %19s",
					name, k, rnd, sqn, amf, op, opc, f1, f1s, f2, f5, f3, f4, f5s, kc),
				 15);
		hexf(k, K, 16), hexf(rnd, R, 16), hexf(sqn, S, 6), hexf(amf, A, 2), hexf(op, OP, 16);
		hexf(opc, OPC, 16);
		assert_int_equal(sim_milenage_opc(K, OP, x), 0);
		assert_memory_equal(x, OPC, 16);
		assert_int_equal(sim_milenage(K, OPC, R, S, A, &o), 0);
		hexf(f1, x, 8);
		assert_memory_equal(o.mac_a, x, 8);
		hexf(f1s, x, 8);
		assert_memory_equal(o.mac_s, x, 8);
		hexf(f2, x, 8);
		assert_memory_equal(o.res, x, 8);
		hexf(f5, x, 6);
		assert_memory_equal(o.ak, x, 6);
		hexf(f3, x, 16);
		assert_memory_equal(o.ck, x, 16);
		hexf(f4, x, 16);
		assert_memory_equal(o.ik, x, 16);
		hexf(f5s, x, 6);
		assert_memory_equal(o.ak_s, x, 6);
		if (strcmp(kc, "-")) {
			hexf(kc, x, 8);
			sim_milenage_kc(o.ck, o.ik, kcb);
			assert_memory_equal(kcb, x, 8);
		}
		/* c2: SRES is the XOR of RES halves */
		sim_milenage_sres(o.res, sres);
		assert_int_equal(sres[0], o.res[0] ^ o.res[4]);
		/* a wrong bit in K changes every output */
		K[0] ^= 1;
		assert_int_equal(sim_milenage(K, OPC, R, S, A, &o), 0);
		hexf(f2, x, 8);
		assert_memory_not_equal(o.res, x, 8);
		sets++;
	}
	fclose(f);
	assert_int_equal(sets, 3);
}

/* The real card: OPc from OP, then the whole AUTHENTICATE answer through
 * the simulated card with that key set active. */
static void test_real_card(void **state)
{
	FILE *f = fopen("test-vectors/milenage/real-card.data", "r");
	char line[1024], name[16], k[40], op[40], opc[40], rnd[40], autn[40], sqn[16], rsp[128];
	uint8_t K[16], OP[16], OPC[16], x[16], S[6], want[64], got[300];
	char apdu[160];
	size_t len = sizeof(got);
	struct sim_card *c;
	int n;

	(void)state;
	assert_non_null(f);
	do
		assert_non_null(fgets(line, sizeof(line), f));
	while (line[0] == '#');
	fclose(f);
	assert_int_equal(sscanf(line, "%15s %39s %39s %39s %39s %39s %15s %127s", name, k, op, opc, rnd, autn, sqn, rsp), 8);
	hexf(k, K, 16), hexf(op, OP, 16), hexf(opc, OPC, 16), hexf(sqn, S, 6);
	assert_int_equal(sim_milenage_opc(K, OP, x), 0);
	assert_memory_equal(x, OPC, 16);
	c = sim_card_new_default();
	assert_non_null(c);
	assert_int_equal(sim_card_set_keyset(c, 1, K, OPC, S), SIM_OK);
	assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
	assert_int_equal(st_xmit(c, "00A4040407A0000000871002", NULL, NULL), 0x613A);
	snprintf(apdu, sizeof(apdu), "008800812210%s10%s", rnd, autn);
	assert_int_equal(st_xmit(c, apdu, NULL, NULL), 0x6135); /* 53 bytes, as the real card */
	assert_int_equal(st_xmit(c, "00C0000035", got, &len), 0x9000);
	n = st_unhex(rsp, want, sizeof(want));
	assert_int_equal(n, 53);
	assert_int_equal(len, 55);
	assert_memory_equal(got, want, 53);
	sim_card_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts35208_sets),
		cmocka_unit_test(test_real_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
