/* SPDX-License-Identifier: Apache-2.0 */
/* Bench: secured packets built and parsed per second (TS 102 225 with
 * ciphering, CC and counter; 3DES 2-key and AES-128), each packet a
 * compact RFM script of one SELECT and one 32-byte UPDATE BINARY, cut
 * into SMS, wrapped in an ENVELOPE, then unwrapped, reassembled, opened
 * and checked as the card does. Figures only: never a pass/fail. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ota.h"

#define ROUNDS 20000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int one(const struct ota_key *kic, const struct ota_key *kid, unsigned i, int parse)
{
	static const uint8_t scts[7];
	static uint8_t script[7 + 5 + 32] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x11,
					     0x00, 0xD6, 0x00, 0x00, 32};
	struct ota_addr oa = {0x81, "12345678"};
	struct ota_split_opt opt = {0x08, 1};
	struct ota_cmd cmd = {0x16, 0x19, kic->id, kid->id, {0xB0, 0x00, 0x20}, {0}, 0, script, sizeof(script)};
	uint8_t pkt[256], ud[2][OTA_UD_MAX], tpdu[OTA_TPDU_MAX], env[300], out[300], work[300];
	size_t udl[2], tl, ol;
	const uint8_t *tp;
	struct ota_sms s;
	struct ota_reasm r;
	struct ota_cmd_hdr h;
	struct ota_cmd got;
	int n, t, e;

	cmd.cntr[4] = (uint8_t)i;
	cmd.cntr[3] = (uint8_t)(i >> 8);
	n = ota_cmd_build(&cmd, kic, kid, pkt, sizeof(pkt));
	if (n < 0 || ota_split(pkt, (size_t)n, &opt, ud, udl, 2) != 1)
		return -1;
	t = ota_sms_deliver_build(&oa, scts, ud[0], udl[0], tpdu, sizeof(tpdu));
	e = t < 0 ? -1 : ota_envelope_build(NULL, tpdu, (size_t)t, env, sizeof(env));
	if (e < 0 || !parse)
		return e < 0 ? -1 : 0;
	memset(&r, 0, sizeof(r));
	if (ota_envelope_parse(env + 5, (size_t)e - 5, &tp, &tl) != OTA_OK || ota_sms_parse(tp, tl, &s) != OTA_OK ||
	    ota_reasm_add(&r, &s, out, sizeof(out), &ol) != 1 || ota_cmd_parse(out, ol, &h) != OTA_OK ||
	    ota_cmd_open(&h, kic, kid, work, sizeof(work), &got) != OTA_OK || got.data_len != sizeof(script))
		return -1;
	return 0;
}

static void run(const char *name, const struct ota_key *kic, const struct ota_key *kid)
{
	double t0, t1, t2;
	unsigned i;

	t0 = now_s();
	for (i = 0; i < ROUNDS; i++)
		if (one(kic, kid, i, 0))
			return (void)printf("%s: build failed\n", name);
	t1 = now_s();
	for (i = 0; i < ROUNDS; i++)
		if (one(kic, kid, i, 1))
			return (void)printf("%s: parse failed\n", name);
	t2 = now_s();
	printf("%s: %.0f packets built per second (packet + SMS + ENVELOPE), "
	       "%.0f built and parsed per second (ENVELOPE -> TPDU -> packet -> decipher -> CC)\n",
	       name, ROUNDS / (t1 - t0), ROUNDS / (t2 - t1));
}

int main(void)
{
	static const struct ota_key kic3 = {0x35, 16, {0x30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
	static const struct ota_key kid3 = {0x35, 16, {0x30, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
	static const struct ota_key kic2 = {0x22, 16, {0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
	static const struct ota_key kid2 = {0x22, 16, {0x20, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};

	run("3DES-2key CBC + 3DES MAC", &kic3, &kid3);
	run("AES-128 CBC + AES-CMAC", &kic2, &kid2);
	return 0;
}
