/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_ota.c
 *  The OTA parsers of libmimsi-ota (TS 31.111 §7.1.1 ENVELOPE, TS 23.040
 *  SMS TPDU and UDH, TS 31.115 concatenation, TS 102 225 command and
 *  response packets, TS 102 226 scripts) on the card's path. Byte 0 picks
 *  the entry: 0 ENVELOPE data (records of `len data` = SMS parts), 1 PoR,
 *  2 RFM script, 3 command packet. Properties: every pointer and length
 *  returned lies inside the input (or the work buffer); an opened packet's
 *  data fits in it; a script walk consumes exactly its input; a packet
 *  built from what was opened (no ciphering, zero padding) is the input.
 */
#include <string.h>

#include "fuzz.h"
#include "ota.h"

#define INSIDE(p, n, base, len) \
	((p) >= (base) && (size_t)((p) - (base)) <= (len) && (n) <= (len) - (size_t)((p) - (base)))

static const struct ota_key kic = {0x35, 16, {0x30, 0x01, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
static const struct ota_key kid = {0x35, 16, {0x30, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
static const struct ota_key kic_aes = {0x22, 16, {0x20, 0x01, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};

static void script(const uint8_t *p, size_t n)
{
	struct ota_rfm_iter it;
	const uint8_t *a;
	size_t al, walked = 0;
	int rc;

	if (ota_rfm_begin(&it, p, n) != OTA_OK)
		return;
	while ((rc = ota_rfm_next(&it, &a, &al)) == 1) {
		FUZZ_ASSERT(al >= 4 && INSIDE(a, al, p, n));
		walked++;
	}
	FUZZ_ASSERT(rc == 0 || rc < 0);
	FUZZ_ASSERT(it.pos <= it.len);
	if (rc == 0 && it.format == OTA_RFM_COMPACT)
		FUZZ_ASSERT(it.pos == n);
	(void)walked;
}

static void packet(const uint8_t *p, size_t n)
{
	static uint8_t work[8 * OTA_UD_MAX + 64], again[8 * OTA_UD_MAX + 64];
	struct ota_cmd_hdr h;
	struct ota_cmd cmd;
	int rc, b;

	if (ota_cmd_parse(p, n, &h) != OTA_OK)
		return;
	FUZZ_ASSERT(h.len <= n && h.chl >= 13);
	if (h.len > sizeof(work))
		return;
	rc = ota_cmd_open(&h, (h.kic & 0x0F) == 2 ? &kic_aes : &kic, &kid, work, sizeof(work), &cmd);
	if (rc != OTA_OK)
		return;
	FUZZ_ASSERT(INSIDE(cmd.data, cmd.data_len, work, h.len));
	script(cmd.data, cmd.data_len);
	/* not ciphered, no RC/CC and no padding: building it again gives the input */
	if (!(h.spi1 & OTA_SPI1_CIPHER) && OTA_SPI1_INTEGRITY(h.spi1) == OTA_INT_NONE && cmd.pcntr == 0) {
		b = ota_cmd_build(&cmd, NULL, NULL, again, sizeof(again));
		FUZZ_ASSERT(b == (int)h.len && memcmp(again, p, h.len) == 0);
	}
}

static void envelope(const uint8_t *p, size_t n)
{
	static struct ota_reasm r;
	static uint8_t out[8 * OTA_UD_MAX];
	size_t pos = 0;

	memset(&r, 0, sizeof(r));
	while (pos < n) {
		size_t l = p[pos++], tl, ol;
		const uint8_t *tpdu;
		struct ota_sms s;
		int rc;

		if (l > n - pos)
			l = n - pos;
		if (ota_envelope_parse(p + pos, l, &tpdu, &tl) == OTA_OK) {
			FUZZ_ASSERT(INSIDE(tpdu, tl, p + pos, l));
			if (ota_sms_parse(tpdu, tl, &s) == OTA_OK) {
				FUZZ_ASSERT(INSIDE(s.ud, s.udl, tpdu, tl));
				FUZZ_ASSERT(INSIDE(s.body, s.body_len, s.ud, s.udl));
				rc = ota_reasm_add(&r, &s, out, sizeof(out), &ol);
				FUZZ_ASSERT(rc <= 1 && ol <= sizeof(out));
				if (rc == 1)
					packet(out, ol);
			}
		}
		pos += l;
	}
}

static void por(const uint8_t *p, size_t n)
{
	static uint8_t work[512];
	struct ota_por r;
	uint8_t spi2;

	if (n < 1)
		return;
	spi2 = p[0];
	if (ota_por_parse(spi2, p + 1, n - 1, &kic, &kid, work, sizeof(work), &r) == OTA_OK)
		FUZZ_ASSERT(INSIDE(r.data, r.data_len, work, sizeof(work)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || !FUZZ_LEN_OK(size))
		return 0;
	switch (data[0] & 0x03) {
	case 0:
		envelope(data + 1, size - 1);
		break;
	case 1:
		por(data + 1, size - 1);
		break;
	case 2:
		script(data + 1, size - 1);
		break;
	default:
		packet(data + 1, size - 1);
		break;
	}
	return 0;
}
