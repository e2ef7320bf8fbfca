/* SPDX-License-Identifier: Apache-2.0 */
/* FCPs compared with real cards' (test-vectors/apdu/real-fcp.data; layout of
 * TS 102 221 §11.1.1.3): the same tags in the same order, the same file descriptor and
 * life cycle; EF.IMSI byte for byte. Plus the PC/SC length contract of
 * sim_card_transmit() and the power states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mimsi/mi_tlv.h"
#include "sim_test_util.h"

struct tags {
	unsigned n;
	uint8_t tag[16];
	const uint8_t *val[16];
	uint16_t len[16];
};

static void walk(const uint8_t *fcp, size_t len, struct tags *t)
{
	struct mi_btlv outer, x;
	uint16_t pos = 0;

	assert_int_equal(mi_btlv_decode(fcp, (mi_u16)len, &outer), (int)len);
	assert_int_equal(outer.tag, 0x62);
	t->n = 0;
	while (pos < outer.len) {
		int n = mi_btlv_decode(outer.val + pos, (mi_u16)(outer.len - pos), &x);

		assert_true(n > 0);
		assert_true(t->n < 16);
		t->tag[t->n] = x.tag;
		t->val[t->n] = x.val;
		t->len[t->n] = x.len;
		t->n++;
		pos = (uint16_t)(pos + n);
	}
}

static const uint8_t *find(const struct tags *t, uint8_t tag, uint16_t *len)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (t->tag[i] == tag) {
			*len = t->len[i];
			return t->val[i];
		}
	return NULL;
}

static void test_fcp_like_real_cards(void **state)
{
	FILE *f = fopen("test-vectors/apdu/real-fcp.data", "r");
	char line[1024];
	unsigned cases = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char name[32], sel[64], *hex;
		uint8_t real[256], mine[300], gr[5] = {0x00, 0xC0, 0x00, 0x00, 0};
		size_t ml = sizeof(mine);
		int rl, sw, used = 0;
		struct tags a, b;
		struct sim_card *c;
		static const uint8_t order[] = {0x82, 0x83, 0x8A, 0x8B};
		unsigned i, k, last = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%31s %63s %n", name, sel, &used), 2);
		hex = line + used;
		hex[strcspn(hex, "\n")] = '\0';
		rl = st_unhex(hex, real, sizeof(real));
		assert_true(rl > 0);
		c = sim_card_new_default();
		assert_non_null(c);
		assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
		if (!strcmp(name, "EF.IMSI"))
			assert_int_equal(st_xmit(c, "00A4040C07A0000000871002", NULL, NULL), 0x9000);
		sw = st_xmit(c, sel, NULL, NULL);
		assert_int_equal(sw >> 8, 0x61);
		gr[4] = (uint8_t)sw;
		assert_int_equal(st_xmit_raw(c, gr, 5, mine, &ml), 0x9000);
		walk(real, (size_t)rl, &a);
		walk(mine, ml - 2, &b);
		/* 82, 83, 8A, 8B present, in the real order; FDB the same */
		for (k = 0; k < sizeof(order); k++) {
			uint16_t la, lb;
			const uint8_t *va = find(&a, order[k], &la), *vb = find(&b, order[k], &lb);

			assert_non_null(va);
			if (!vb)
				fail_msg("%s: my FCP lacks tag %02X", name, order[k]);
			for (i = 0; i < b.n && b.tag[i] != order[k]; i++)
				;
			assert_true(i >= last);
			last = i;
			if (order[k] == 0x82 || order[k] == 0x8A) {
				assert_int_equal(la, lb);
				assert_memory_equal(va, vb, la);
			}
		}
		if (!strcmp(name, "EF.IMSI")) {
			assert_int_equal(ml - 2, (size_t)rl);
			assert_memory_equal(mine, real, (size_t)rl);
		} else {
			uint16_t la, lb;
			const uint8_t *va = find(&a, 0xC6, &la), *vb = find(&b, 0xC6, &lb);

			/* DFs: PIN status template with PS_DO first, then key references */
			assert_non_null(va);
			assert_non_null(vb);
			assert_int_equal(vb[0], 0x90);
			assert_int_equal(vb[3], 0x83);
			assert_non_null(find(&b, 0xA5, &lb));
		}
		if (!strcmp(name, "ADF.USIM")) {
			uint16_t l;
			const uint8_t *aid = find(&b, 0x84, &l);

			assert_non_null(aid);
			assert_int_equal(l, 16);
			assert_memory_equal(aid, "\xA0\x00\x00\x00\x87\x10\x02", 7);
		}
		sim_card_free(c);
		cases++;
	}
	fclose(f);
	assert_int_equal(cases, 3);
}

/* pcsc-lite SCardTransmit contract: capacity in, actual out, 0 on error. */
static void test_transmit_contract(void **state)
{
	struct sim_card *c = sim_card_new_default();
	static const uint8_t rd[] = {0x00, 0xB0, 0x00, 0x00, 0x0A}, sel[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2};
	uint8_t rsp[64], atr[40];
	size_t rl, al;

	(void)state;
	assert_non_null(c);
	rl = sizeof(rsp);
	assert_int_equal(sim_card_transmit(c, sel, sizeof(sel), rsp, &rl), SIM_ERR_POWER);
	assert_int_equal(rl, 0);
	al = 5;
	assert_int_equal(sim_card_power_on(c, atr, &al), SIM_ERR_BUFFER);
	assert_int_equal(al, 0);
	al = sizeof(atr);
	assert_int_equal(sim_card_power_on(c, atr, &al), SIM_OK);
	assert_int_equal(al, 22);
	/* T=0 offered: TD1 = 80 (low nibble 0), TCK valid */
	assert_int_equal(atr[3] & 0x0F, 0);
	{
		uint8_t x = 0;
		size_t i;

		for (i = 1; i < al; i++)
			x ^= atr[i];
		assert_int_equal(x, 0);
	}
	rl = sizeof(rsp);
	assert_int_equal(sim_card_transmit(c, sel, sizeof(sel), rsp, &rl), SIM_OK);
	assert_int_equal(rl, 2);
	rl = 11; /* 10 data + SW needs 12 */
	assert_int_equal(sim_card_transmit(c, rd, sizeof(rd), rsp, &rl), SIM_ERR_BUFFER);
	assert_int_equal(rl, 0);
	rl = 12;
	assert_int_equal(sim_card_transmit(c, rd, sizeof(rd), rsp, &rl), SIM_OK);
	assert_int_equal(rl, 12);
	assert_int_equal(rsp[10], 0x90);
	assert_int_equal(sim_card_transmit(c, NULL, 5, rsp, &rl), SIM_ERR_PARAM);
	assert_int_equal(rl, 0);
	assert_int_equal(sim_card_transmit(c, rd, sizeof(rd), rsp, NULL), SIM_ERR_PARAM);
	sim_card_power_off(c);
	rl = sizeof(rsp);
	assert_int_equal(sim_card_transmit(c, rd, sizeof(rd), rsp, &rl), SIM_ERR_POWER);
	/* the ATR is always there, even powered off (vpcd asks for it) */
	al = sizeof(atr);
	assert_int_equal(sim_card_atr(c, atr, &al), SIM_OK);
	assert_int_equal(al, 22);
	assert_string_equal(sim_strerror(SIM_ERR_TORN), "power cut during the command (tear injection)");
	sim_card_free(c);
}

/* A warm reset forgets the verified PINs, the selection and the channels. */
static void test_reset_clears_session(void **state)
{
	struct sim_card *c = sim_card_new_default();

	(void)state;
	assert_non_null(c);
	assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
	assert_int_equal(st_xmit(c, "0020000A083132333435363738", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "0070000001", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "00A4080C047FFF6F07", NULL, NULL), 0x9000);
	assert_int_equal(sim_card_reset(c, NULL, NULL), SIM_OK);
	assert_int_equal(st_xmit(c, "0020000A", NULL, NULL), 0x63C3);
	assert_int_equal(st_xmit(c, "01A4000C023F00", NULL, NULL), 0x6881);
	assert_int_equal(st_xmit(c, "00B0000009", NULL, NULL), 0x6986);
	sim_card_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fcp_like_real_cards),
		cmocka_unit_test(test_transmit_contract),
		cmocka_unit_test(test_reset_clears_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
