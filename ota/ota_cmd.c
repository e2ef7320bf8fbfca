/* SPDX-License-Identifier: Apache-2.0 */
/* Command packet of TS 102 225 §5.1 as TS 31.115 §4.2 carries it in
 * SMS-PP:
 *   CPL(2) CHL(1) SPI(2) KIc(1) KID(1) TAR(3) CNTR(5) PCNTR(1) RC/CC(0,2,4,8)
 *   secured data, padding
 * CPL counts from CHL to the end; CHL from SPI to the end of RC/CC. The
 * ciphering covers CNTR to the end; the RC/CC covers CPL..PCNTR, the
 * secured data and the padding (RC/CC field itself and UDH excluded). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ota.h"

#define OFF_CHL 2u
#define OFF_SPI 3u
#define OFF_TAR 7u
#define OFF_CNTR 10u
#define OFF_PCNTR 15u
#define OFF_CHECK 16u
#define CHL_BASE 13u /* SPI..PCNTR */
#define CPL_MAX 0xFFFFu

/* RC/CC over header || rest: one contiguous buffer for the check functions. */
static int check_over(unsigned integrity, const struct ota_key *kid, const uint8_t *hdr, size_t hdr_len,
		      const uint8_t *rest, size_t rest_len, uint8_t *out)
{
	uint8_t *buf = malloc(hdr_len + rest_len + 1);
	int rc;

	if (!buf)
		return OTA_ERR_CAPACITY;
	memcpy(buf, hdr, hdr_len);
	if (rest_len)
		memcpy(buf + hdr_len, rest, rest_len);
	rc = ota_check(integrity, kid, buf, hdr_len + rest_len, out);
	free(buf);
	return rc;
}

int ota_cmd_build(const struct ota_cmd *cmd, const struct ota_key *kic, const struct ota_key *kid,
		  uint8_t *out, size_t cap)
{
	unsigned integrity = OTA_SPI1_INTEGRITY(cmd->spi1);
	unsigned cl = 0, bl = 0, pad = 0;
	size_t plain, total;
	int rc;

	if (integrity == OTA_INT_DS)
		return OTA_ERR_ALG; /* digital signatures: not supported */
	if (integrity != OTA_INT_NONE) {
		if (!kid || kid->id != cmd->kid)
			return OTA_ERR_ALG;
		cl = ota_check_len(ota_kid_alg(cmd->kid, integrity));
		if (cl == 0)
			return OTA_ERR_ALG;
	}
	if (cmd->spi1 & OTA_SPI1_CIPHER) {
		if (!kic || kic->id != cmd->kic)
			return OTA_ERR_ALG;
		bl = ota_block_len(ota_kic_alg(cmd->kic));
		if (bl == 0)
			return OTA_ERR_ALG;
	}
	plain = OTA_CNTR_LEN + 1u + cl + cmd->data_len;
	if (bl)
		pad = (unsigned)((bl - plain % bl) % bl);
	total = OFF_CNTR + plain + pad;
	if (total - 2u > CPL_MAX)
		return OTA_ERR_FORMAT;
	if (total > cap)
		return OTA_ERR_CAPACITY;
	out[0] = (uint8_t)((total - 2u) >> 8);
	out[1] = (uint8_t)(total - 2u);
	out[OFF_CHL] = (uint8_t)(CHL_BASE + cl);
	out[OFF_SPI] = cmd->spi1;
	out[OFF_SPI + 1] = cmd->spi2;
	out[OFF_SPI + 2] = cmd->kic;
	out[OFF_SPI + 3] = cmd->kid;
	memcpy(out + OFF_TAR, cmd->tar, OTA_TAR_LEN);
	memcpy(out + OFF_CNTR, cmd->cntr, OTA_CNTR_LEN);
	out[OFF_PCNTR] = (uint8_t)pad;
	if (cmd->data_len)
		memmove(out + OFF_CHECK + cl, cmd->data, cmd->data_len);
	memset(out + OFF_CHECK + cl + cmd->data_len, 0, pad); /* padding value is free: zeros */
	if (cl) {
		rc = check_over(integrity, kid, out, OFF_CHECK, out + OFF_CHECK + cl, cmd->data_len + pad,
				out + OFF_CHECK);
		if (rc < 0)
			return rc;
	}
	if (bl) {
		rc = ota_cbc(ota_kic_alg(cmd->kic), kic, 1, out + OFF_CNTR, plain + pad);
		if (rc < 0)
			return rc;
	}
	return (int)total;
}

int ota_cmd_parse(const uint8_t *pkt, size_t len, struct ota_cmd_hdr *h)
{
	size_t cpl;

	memset(h, 0, sizeof(*h));
	if (len < 3)
		return OTA_ERR_SHORT;
	cpl = ((size_t)pkt[0] << 8) | pkt[1];
	h->chl = pkt[OFF_CHL];
	if (cpl + 2u > len)
		return OTA_ERR_SHORT;
	if (h->chl < CHL_BASE || 1u + h->chl > cpl)
		return OTA_ERR_FORMAT;
	h->spi1 = pkt[OFF_SPI];
	h->spi2 = pkt[OFF_SPI + 1];
	h->kic = pkt[OFF_SPI + 2];
	h->kid = pkt[OFF_SPI + 3];
	memcpy(h->tar, pkt + OFF_TAR, OTA_TAR_LEN);
	h->pkt = pkt;
	h->len = cpl + 2u;
	return OTA_OK;
}

int ota_cmd_open(const struct ota_cmd_hdr *h, const struct ota_key *kic, const struct ota_key *kid,
		 uint8_t *work, size_t work_cap, struct ota_cmd *cmd)
{
	unsigned integrity = OTA_SPI1_INTEGRITY(h->spi1);
	unsigned cl = h->chl - CHL_BASE;
	size_t body;
	uint8_t check[8];
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	if (work_cap < h->len)
		return OTA_ERR_CAPACITY;
	memcpy(work, h->pkt, h->len);
	if (h->spi1 & OTA_SPI1_CIPHER) {
		enum ota_alg alg = ota_kic_alg(h->kic);
		unsigned bl = ota_block_len(alg);

		if (!kic || bl == 0)
			return OTA_ERR_ALG;
		if ((h->len - OFF_CNTR) % bl)
			return OTA_ERR_CRYPTO;
		rc = ota_cbc(alg, kic, 0, work + OFF_CNTR, h->len - OFF_CNTR);
		if (rc < 0)
			return rc;
	}
	if (integrity == OTA_INT_DS)
		return OTA_ERR_ALG;
	if (integrity == OTA_INT_NONE ? cl != 0 : cl != ota_check_len(ota_kid_alg(h->kid, integrity)))
		return OTA_ERR_FORMAT;
	body = h->len - OFF_CHECK - cl;
	if (work[OFF_PCNTR] > body)
		return OTA_ERR_FORMAT;
	if (integrity != OTA_INT_NONE) {
		if (!kid)
			return OTA_ERR_ALG;
		rc = check_over(integrity, kid, work, OFF_CHECK, work + OFF_CHECK + cl, body, check);
		if (rc < 0)
			return rc;
		if (CRYPTO_memcmp(check, work + OFF_CHECK, cl) != 0)
			return OTA_ERR_CHECK;
	}
	cmd->spi1 = h->spi1;
	cmd->spi2 = h->spi2;
	cmd->kic = h->kic;
	cmd->kid = h->kid;
	memcpy(cmd->tar, h->tar, OTA_TAR_LEN);
	memcpy(cmd->cntr, work + OFF_CNTR, OTA_CNTR_LEN);
	cmd->pcntr = work[OFF_PCNTR];
	cmd->data = work + OFF_CHECK + cl;
	cmd->data_len = body - cmd->pcntr;
	return OTA_OK;
}
