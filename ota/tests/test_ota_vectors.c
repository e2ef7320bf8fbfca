/* SPDX-License-Identifier: Apache-2.0 */
/* The published OTA vectors (test-vectors/ota/packets.data): every packet
 * is built byte for byte and parsed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ota.h"
#include "vec.h"

#define VECTORS "test-vectors/ota/packets.data"

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
	int n = ota_hex_decode(h, out, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

static void key(const char *h, struct ota_key *k)
{
	uint8_t buf[1 + OTA_KEY_MAX];
	size_t n = hex(h, buf, sizeof(buf));

	assert_true(n >= 9);
	memset(k, 0, sizeof(*k));
	k->id = buf[0];
	k->len = (uint8_t)(n - 1);
	memcpy(k->key, buf + 1, n - 1);
}

static void run_cmd(const struct vec_case *c)
{
	struct ota_key kic, kid;
	struct ota_cmd cmd, got;
	struct ota_cmd_hdr h;
	uint8_t spi[2], data[256], want[512], out[512], work[512];
	size_t dl, wl;
	int n;

	memset(&cmd, 0, sizeof(cmd));
	hex(c->arg[0], spi, 2);
	key(c->arg[1], &kic);
	key(c->arg[2], &kid);
	hex(c->arg[3], cmd.tar, 3);
	hex(c->arg[4], cmd.cntr, 5);
	dl = hex(c->arg[5], data, sizeof(data));
	wl = hex(c->arg[6], want, sizeof(want));
	cmd.spi1 = spi[0];
	cmd.spi2 = spi[1];
	cmd.kic = kic.id;
	cmd.kid = kid.id;
	cmd.data = data;
	cmd.data_len = dl;
	n = ota_cmd_build(&cmd, &kic, &kid, out, sizeof(out));
	assert_int_equal(n, (int)wl);
	assert_memory_equal(out, want, wl);
	/* parse it back */
	assert_int_equal(ota_cmd_parse(want, wl, &h), OTA_OK);
	assert_int_equal(h.spi1, spi[0]);
	assert_memory_equal(h.tar, cmd.tar, 3);
	assert_int_equal(ota_cmd_open(&h, &kic, &kid, work, sizeof(work), &got), OTA_OK);
	assert_memory_equal(got.cntr, cmd.cntr, 5);
	assert_int_equal(got.data_len, dl);
	assert_memory_equal(got.data, data, dl);
	/* one bit flipped anywhere after the header fails the CC */
	want[wl - 1] ^= 0x01;
	assert_int_equal(ota_cmd_parse(want, wl, &h), OTA_OK);
	assert_int_equal(ota_cmd_open(&h, &kic, &kid, work, sizeof(work), &got), OTA_ERR_CHECK);
}

static void run_envelope(const struct vec_case *c)
{
	struct ota_addr oa = {0};
	uint8_t scts[7], pkt[256], want[300], ud[2][OTA_UD_MAX], tpdu[200], apdu[300], back[256];
	size_t pl, wl, udl[2], tl, bl;
	const uint8_t *tp;
	struct ota_split_opt opt = {0x00, 0};
	struct ota_sms s;
	struct ota_reasm r;
	int n;

	assert_true(strlen(c->arg[0]) < sizeof(oa.digits));
	memcpy(oa.digits, c->arg[0], strlen(c->arg[0]) + 1);
	hex(c->arg[1], &oa.ton_npi, 1);
	hex(c->arg[2], scts, 7);
	pl = hex(c->arg[3], pkt, sizeof(pkt));
	wl = hex(c->arg[4], want, sizeof(want));
	assert_int_equal(ota_split(pkt, pl, &opt, ud, udl, 2), 1);
	n = ota_sms_deliver_build(&oa, scts, ud[0], udl[0], tpdu, sizeof(tpdu));
	assert_true(n > 0);
	tl = (size_t)n;
	n = ota_envelope_build(NULL, tpdu, tl, apdu, sizeof(apdu));
	assert_int_equal(n, (int)wl);
	assert_memory_equal(apdu, want, wl);
	/* and back: ENVELOPE data -> TPDU -> SMS -> command packet */
	assert_int_equal(ota_envelope_parse(want + 5, wl - 5, &tp, &tl), OTA_OK);
	assert_int_equal(ota_sms_parse(tp, tl, &s), OTA_OK);
	assert_int_equal(s.pid, 0x7F);
	assert_int_equal(s.dcs, 0xF6);
	assert_string_equal(s.addr.digits, c->arg[0]);
	assert_true(s.has_cpi);
	memset(&r, 0, sizeof(r));
	assert_int_equal(ota_reasm_add(&r, &s, back, sizeof(back), &bl), 1);
	assert_int_equal(bl, pl);
	assert_memory_equal(back, pkt, pl);
}

static void run_por(const struct vec_case *c)
{
	struct ota_key kic, kid;
	struct ota_por por, in;
	uint8_t spi2, pkt[256], work[256], out[256], tar[3], cntr[5], data[64];
	size_t pl, dl;
	long status;

	hex(c->arg[0], &spi2, 1);
	key(c->arg[1], &kic);
	key(c->arg[2], &kid);
	pl = hex(c->arg[3], pkt, sizeof(pkt));
	assert_int_equal(vec_int(c->arg[4], &status), 0);
	hex(c->arg[5], tar, 3);
	hex(c->arg[6], cntr, 5);
	dl = hex(c->arg[7], data, sizeof(data));
	assert_int_equal(ota_por_parse(spi2, pkt, pl, &kic, &kid, work, sizeof(work), &por), OTA_OK);
	assert_int_equal(por.status, status);
	assert_memory_equal(por.tar, tar, 3);
	assert_memory_equal(por.cntr, cntr, 5);
	assert_int_equal(por.data_len, dl);
	assert_memory_equal(por.data, data, dl);
	/* the card side builds the same bytes */
	memset(&in, 0, sizeof(in));
	memcpy(in.tar, tar, 3);
	memcpy(in.cntr, cntr, 5);
	in.status = (uint8_t)status;
	in.data = data;
	in.data_len = dl;
	assert_int_equal(ota_por_build(spi2, &in, &kic, &kid, out, sizeof(out)), (int)pl);
	assert_memory_equal(out, pkt, pl);
	/* a wrong CC is caught */
	pkt[pl - 1] ^= 0x80;
	assert_int_equal(ota_por_parse(spi2, pkt, pl, &kic, &kid, work, sizeof(work), &por), OTA_ERR_CHECK);
}

static int cases;

static void run(const struct vec_case *c)
{
	cases++;
	if (!strcmp(c->func, "cmd"))
		run_cmd(c);
	else if (!strcmp(c->func, "envelope"))
		run_envelope(c);
	else if (!strcmp(c->func, "por"))
		run_por(c);
	else
		fail_msg("%s:%d: unknown function %s", c->path, c->line, c->func);
}

static void test_vectors(void **state)
{
	(void)state;
	assert_true(vec_run(VECTORS, run) >= 5);
	assert_true(cases >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
