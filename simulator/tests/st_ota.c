/* SPDX-License-Identifier: Apache-2.0 */
/* The sending side of OTA for the card tests (st_ota.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim_test_util.h"
#include "st_ota.h"

/* Key version 3 of the default card (docs/ota.md): 3DES 2 keys */
const struct ota_key st_kic3 = {0x35, 16, {0x30, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
					  0x0B, 0x0C, 0x0D, 0x0E, 0x0F}};
const struct ota_key st_kid3 = {0x35, 16, {0x30, 0x11, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
					  0x0B, 0x0C, 0x0D, 0x0E, 0x0F}};

/* Build the packet, cut it into SMS, send each as an ENVELOPE, read the PoR. */
void st_ota_send(struct sim_card *c, uint8_t spi1, uint8_t spi2, const uint8_t tar[3], uint64_t cntr,
		 const uint8_t *script, size_t len, int corrupt_cc, struct st_sent *out)
{
	static const uint8_t scts[7];
	struct ota_addr oa = {0x91, "4915551234"};
	struct ota_split_opt opt = {0x08, 0x0102};
	struct ota_cmd cmd;
	uint8_t pkt[1200], ud[8][OTA_UD_MAX], tpdu[OTA_TPDU_MAX], apdu[300], rsp[300];
	size_t udl[8], rl;
	int n, k, parts, i;

	memset(&cmd, 0, sizeof(cmd));
	memset(out, 0, sizeof(*out));
	cmd.spi1 = spi1;
	cmd.spi2 = spi2;
	cmd.kic = st_kic3.id;
	cmd.kid = st_kid3.id;
	memcpy(cmd.tar, tar, 3);
	for (i = 0; i < 5; i++)
		cmd.cntr[i] = (uint8_t)(cntr >> (8 * (4 - i)));
	cmd.data = script;
	cmd.data_len = len;
	n = ota_cmd_build(&cmd, &st_kic3, &st_kid3, pkt, sizeof(pkt));
	assert_true(n > 0);
	if (corrupt_cc)
		pkt[n - 1] ^= 0x01;
	parts = ota_split(pkt, (size_t)n, &opt, ud, udl, 8);
	assert_true(parts > 0);
	for (k = 0; k < parts; k++) {
		int t = ota_sms_deliver_build(&oa, scts, ud[k], udl[k], tpdu, sizeof(tpdu));
		int a;

		assert_true(t > 0);
		a = ota_envelope_build(NULL, tpdu, (size_t)t, apdu, sizeof(apdu));
		assert_true(a > 0);
		rl = sizeof(rsp);
		out->sw = st_xmit_raw(c, apdu, (size_t)a, rsp, &rl);
		if (out->sw < 0)
			return; /* torn */
		if (k < parts - 1)
			assert_int_equal(out->sw, 0x9000);
	}
	if ((out->sw & 0xFF00) == 0x6100) {
		uint8_t gr[5] = {0x00, 0xC0, 0x00, 0x00, (uint8_t)out->sw};

		rl = sizeof(rsp);
		assert_int_equal(st_xmit_raw(c, gr, 5, rsp, &rl), 0x9000);
		out->has_por = ota_por_parse(spi2, rsp, rl - 2, &st_kic3, &st_kid3, out->work, sizeof(out->work),
					     &out->por) == OTA_OK;
		if (!out->has_por) /* a PoR about a failed check is not secured */
			out->has_por = ota_por_parse(0x01, rsp, rl - 2, NULL, NULL, out->work,
						     sizeof(out->work), &out->por) == OTA_OK;
		assert_true(out->has_por);
	}
}

