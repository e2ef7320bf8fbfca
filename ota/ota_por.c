/* SPDX-License-Identifier: Apache-2.0 */
/* Response packet (PoR) of TS 102 225 §5.2 in SMS-PP (TS 31.115 §4.3):
 *   UDH 02 71 00 | RPL(2) | RHL(1) | TAR(3) | CNTR(5) | PCNTR(1) |
 *   status(1) | RC/CC(0,2,4,8) | additional data, padding
 * Unlike the command packet, the RC/CC of a response covers the UDH too
 * (TS 31.115 §4.3); ciphering starts at CNTR. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ota.h"

#define UDH_LEN 3u
#define OFF_RPL 3u
#define OFF_RHL 5u
#define OFF_TAR 6u
#define OFF_CNTR 9u
#define OFF_PCNTR 14u
#define OFF_STATUS 15u
#define OFF_CHECK 16u
#define RHL_BASE 10u /* TAR..status */

static const uint8_t rpi_udh[UDH_LEN] = {0x02, 0x71, 0x00};

const char *ota_status_text(uint8_t status)
{
	static const char *const text[] = {
		"PoR OK", "RC/CC/DS failed", "counter low", "counter high", "counter blocked",
		"ciphering error", "unidentified security error", "insufficient memory",
		"more time needed", "TAR unknown", "insufficient security level",
		"response data sent by SMS-SUBMIT", "response data sent by USSD"};

	return status < sizeof(text) / sizeof(text[0]) ? text[status] : "reserved status";
}

static int por_check(unsigned integrity, const struct ota_key *kid, const uint8_t *pkt, unsigned cl,
		     size_t total, uint8_t *out)
{
	size_t n = total - cl;
	uint8_t *buf = malloc(n + 1);
	int rc;

	if (!buf)
		return OTA_ERR_CAPACITY;
	memcpy(buf, pkt, OFF_CHECK);
	memcpy(buf + OFF_CHECK, pkt + OFF_CHECK + cl, n - OFF_CHECK);
	rc = ota_check(integrity, kid, buf, n, out);
	free(buf);
	return rc;
}

int ota_por_build(uint8_t spi2, const struct ota_por *por, const struct ota_key *kic,
		  const struct ota_key *kid, uint8_t *out, size_t cap)
{
	unsigned integrity = OTA_SPI2_POR_INTEGRITY(spi2);
	unsigned cl = 0, bl = 0, pad = 0;
	size_t plain, total;
	int rc;

	if (integrity == OTA_INT_DS)
		return OTA_ERR_ALG;
	if (integrity != OTA_INT_NONE) {
		cl = kid ? ota_check_len(ota_kid_alg(kid->id, integrity)) : 0;
		if (cl == 0)
			return OTA_ERR_ALG;
	}
	if (spi2 & OTA_SPI2_POR_CIPHER) {
		bl = kic ? ota_block_len(ota_kic_alg(kic->id)) : 0;
		if (bl == 0)
			return OTA_ERR_ALG;
	}
	plain = OTA_CNTR_LEN + 2u + cl + por->data_len;
	if (bl)
		pad = (unsigned)((bl - plain % bl) % bl);
	total = OFF_CNTR + plain + pad;
	if (total - OFF_RHL > 0xFFFFu)
		return OTA_ERR_FORMAT;
	if (total > cap)
		return OTA_ERR_CAPACITY;
	memcpy(out, rpi_udh, UDH_LEN);
	out[OFF_RPL] = (uint8_t)((total - OFF_RHL) >> 8);
	out[OFF_RPL + 1] = (uint8_t)(total - OFF_RHL);
	out[OFF_RHL] = (uint8_t)(RHL_BASE + cl);
	memcpy(out + OFF_TAR, por->tar, OTA_TAR_LEN);
	memcpy(out + OFF_CNTR, por->cntr, OTA_CNTR_LEN);
	out[OFF_PCNTR] = (uint8_t)pad;
	out[OFF_STATUS] = por->status;
	if (por->data_len)
		memmove(out + OFF_CHECK + cl, por->data, por->data_len);
	memset(out + OFF_CHECK + cl + por->data_len, 0, pad);
	if (cl) {
		rc = por_check(integrity, kid, out, cl, total, out + OFF_CHECK);
		if (rc < 0)
			return rc;
	}
	if (bl) {
		rc = ota_cbc(ota_kic_alg(kic->id), kic, 1, out + OFF_CNTR, plain + pad);
		if (rc < 0)
			return rc;
	}
	return (int)total;
}

int ota_por_parse(uint8_t spi2, const uint8_t *pkt, size_t len, const struct ota_key *kic,
		  const struct ota_key *kid, uint8_t *work, size_t work_cap, struct ota_por *por)
{
	unsigned integrity = OTA_SPI2_POR_INTEGRITY(spi2);
	unsigned cl, rhl;
	size_t total, body;
	uint8_t check[8];
	int rc;

	memset(por, 0, sizeof(*por));
	if (len < OFF_CHECK)
		return OTA_ERR_SHORT;
	if (memcmp(pkt, rpi_udh, UDH_LEN) != 0)
		return OTA_ERR_FORMAT;
	total = OFF_RHL + (((size_t)pkt[OFF_RPL] << 8) | pkt[OFF_RPL + 1]);
	rhl = pkt[OFF_RHL];
	if (total > len)
		return OTA_ERR_SHORT;
	if (rhl < RHL_BASE || OFF_RHL + 1u + rhl > total)
		return OTA_ERR_FORMAT;
	cl = rhl - RHL_BASE;
	if (work_cap < total)
		return OTA_ERR_CAPACITY;
	memcpy(work, pkt, total);
	if (spi2 & OTA_SPI2_POR_CIPHER) {
		enum ota_alg alg = kic ? ota_kic_alg(kic->id) : OTA_ALG_BAD;
		unsigned bl = ota_block_len(alg);

		if (bl == 0)
			return OTA_ERR_ALG;
		if ((total - OFF_CNTR) % bl)
			return OTA_ERR_CRYPTO;
		rc = ota_cbc(alg, kic, 0, work + OFF_CNTR, total - OFF_CNTR);
		if (rc < 0)
			return rc;
	}
	body = total - OFF_CHECK - cl;
	if (work[OFF_PCNTR] > body)
		return OTA_ERR_FORMAT;
	if (integrity == OTA_INT_DS)
		return OTA_ERR_ALG;
	if (integrity != OTA_INT_NONE) {
		if (!kid || cl != ota_check_len(ota_kid_alg(kid->id, integrity)))
			return OTA_ERR_FORMAT;
		rc = por_check(integrity, kid, work, cl, total, check);
		if (rc < 0)
			return rc;
		if (CRYPTO_memcmp(check, work + OFF_CHECK, cl) != 0)
			return OTA_ERR_CHECK;
	}
	memcpy(por->tar, work + OFF_TAR, OTA_TAR_LEN);
	memcpy(por->cntr, work + OFF_CNTR, OTA_CNTR_LEN);
	por->pcntr = work[OFF_PCNTR];
	por->status = work[OFF_STATUS];
	por->data = work + OFF_CHECK + cl;
	por->data_len = body - por->pcntr;
	return OTA_OK;
}
