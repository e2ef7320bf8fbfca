/* SPDX-License-Identifier: Apache-2.0 */
/* Ciphering, cryptographic checksums and redundancy checks of TS 102 225
 * §5.1.2/§5.1.3, all on OpenSSL EVP (no hand-written cipher). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "mimsi/mi_ef.h"
#include "ota.h"

/* KIc low nibble (TS 102 225 §5.1.2): b2..b1 01 = DES family with
 * b4..b3 00 DES-CBC, 01 3DES 2 keys, 10 3DES 3 keys; b2..b1 10 = AES (CBC). */
enum ota_alg ota_kic_alg(uint8_t kic)
{
	switch (kic & 0x0Fu) {
	case 0x1:
		return OTA_ALG_DES_CBC;
	case 0x5:
		return OTA_ALG_3DES2;
	case 0x9:
		return OTA_ALG_3DES3;
	case 0x2:
		return OTA_ALG_AES;
	default:
		return OTA_ALG_BAD;
	}
}

/* KID low nibble: as KIc for a CC (AES = CMAC, §5.1.3); for an RC
 * (§5.1.3.1) b2..b1 01 = CRC with b4..b3 00 CRC16, 01 CRC32. */
enum ota_alg ota_kid_alg(uint8_t kid, unsigned integrity)
{
	if (integrity == OTA_INT_CC)
		return ota_kic_alg(kid);
	if (integrity == OTA_INT_RC) {
		switch (kid & 0x0Fu) {
		case 0x1:
			return OTA_ALG_CRC16;
		case 0x5:
			return OTA_ALG_CRC32;
		default:
			return OTA_ALG_BAD;
		}
	}
	return OTA_ALG_BAD;
}

unsigned ota_check_len(enum ota_alg alg)
{
	switch (alg) {
	case OTA_ALG_CRC16:
		return 2;
	case OTA_ALG_CRC32:
		return 4;
	case OTA_ALG_BAD:
		return 0;
	default:
		return 8;
	}
}

unsigned ota_block_len(enum ota_alg alg)
{
	switch (alg) {
	case OTA_ALG_DES_CBC:
	case OTA_ALG_3DES2:
	case OTA_ALG_3DES3:
		return 8;
	case OTA_ALG_AES:
		return 16;
	default:
		return 0;
	}
}

static const EVP_CIPHER *evp_cipher(enum ota_alg alg, unsigned key_len)
{
	switch (alg) {
	case OTA_ALG_DES_CBC:
		return key_len == 8 ? EVP_des_cbc() : NULL;
	case OTA_ALG_3DES2:
		return key_len == 16 ? EVP_des_ede_cbc() : NULL;
	case OTA_ALG_3DES3:
		return key_len == 24 ? EVP_des_ede3_cbc() : NULL;
	case OTA_ALG_AES:
		return key_len == 16 ? EVP_aes_128_cbc()
		       : key_len == 24 ? EVP_aes_192_cbc()
		       : key_len == 32 ? EVP_aes_256_cbc()
				       : NULL;
	default:
		return NULL;
	}
}

int ota_cbc(enum ota_alg alg, const struct ota_key *k, int encrypt, uint8_t *buf, size_t len)
{
	static const uint8_t iv[16]; /* zero IV (TS 102 225 §5.1.2) */
	const EVP_CIPHER *c = evp_cipher(alg, k->len);
	unsigned bl = ota_block_len(alg);
	EVP_CIPHER_CTX *ctx;
	int n = 0, fin = 0, ok;

	if (!c)
		return OTA_ERR_ALG;
	if (len % bl || len > 0x7FFFFFFF)
		return OTA_ERR_FORMAT;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return OTA_ERR_CRYPTO;
	ok = EVP_CipherInit_ex(ctx, c, NULL, k->key, iv, encrypt) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_CipherUpdate(ctx, buf, &n, buf, (int)len) == 1 &&
	     EVP_CipherFinal_ex(ctx, buf + n, &fin) == 1 && (size_t)(n + fin) == len;
	EVP_CIPHER_CTX_free(ctx);
	/* DES-CBC needs OpenSSL's legacy provider: not loaded means not supported */
	return ok ? OTA_OK : (alg == OTA_ALG_DES_CBC ? OTA_ERR_ALG : OTA_ERR_CRYPTO);
}

/* CBC-MAC of the DES family: the last cipher block of the data zero-padded
 * to a multiple of 8 (TS 102 225 §5.1.3.2). */
static int cbc_mac(enum ota_alg alg, const struct ota_key *k, const uint8_t *data, size_t len,
		   uint8_t out[8])
{
	static const uint8_t iv[8];
	const EVP_CIPHER *c = evp_cipher(alg, k->len);
	EVP_CIPHER_CTX *ctx;
	uint8_t blk[8], chain[8];
	size_t pos;
	int n, ok;

	if (!c)
		return OTA_ERR_ALG;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return OTA_ERR_CRYPTO;
	ok = EVP_EncryptInit_ex(ctx, c, NULL, k->key, iv) == 1 && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
	memset(chain, 0, sizeof(chain));
	for (pos = 0; ok && (pos < len || pos == 0); pos += 8) {
		size_t take = len - pos < 8 ? len - pos : 8;

		memset(blk, 0, sizeof(blk));
		if (take)
			memcpy(blk, data + pos, take);
		ok = EVP_EncryptUpdate(ctx, chain, &n, blk, 8) == 1 && n == 8;
		if (len == 0)
			break;
	}
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return alg == OTA_ALG_DES_CBC ? OTA_ERR_ALG : OTA_ERR_CRYPTO;
	memcpy(out, chain, 8);
	return OTA_OK;
}

/* AES-CMAC (NIST SP 800-38B) truncated to its first 8 bytes (§5.1.3.3). */
static int aes_cmac(const struct ota_key *k, const uint8_t *data, size_t len, uint8_t out[8])
{
	const char *name = k->len == 16 ? "AES-128-CBC" : k->len == 24 ? "AES-192-CBC"
							 : k->len == 32 ? "AES-256-CBC" : NULL;
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	uint8_t full[16];
	size_t n = 0;
	int ok;

	if (!name)
		return OTA_ERR_ALG;
	mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	if (!mac)
		return OTA_ERR_CRYPTO;
	ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = ctx && EVP_MAC_init(ctx, k->key, k->len, params) == 1 && EVP_MAC_update(ctx, data, len) == 1 &&
	     EVP_MAC_final(ctx, full, &n, sizeof(full)) == 1 && n == 16;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (!ok)
		return OTA_ERR_CRYPTO;
	memcpy(out, full, 8);
	OPENSSL_cleanse(full, sizeof(full));
	return OTA_OK;
}

int ota_cc(enum ota_alg alg, const struct ota_key *k, const uint8_t *data, size_t len, uint8_t out[8])
{
	if (alg == OTA_ALG_AES)
		return aes_cmac(k, data, len, out);
	return cbc_mac(alg, k, data, len, out);
}

/* ISO/IEC 13239 CRC16: polynomial 1021 reflected (8408), init FFFF, final
 * complement (the X.25 FCS). A CRC is not cryptography: no library has it. */
uint16_t ota_crc16(const uint8_t *data, size_t len)
{
	uint16_t crc = 0xFFFF;
	size_t i;
	unsigned b;

	for (i = 0; i < len; i++) {
		crc ^= data[i];
		for (b = 0; b < 8; b++)
			crc = (uint16_t)((crc & 1u) ? (crc >> 1) ^ 0x8408u : crc >> 1);
	}
	return (uint16_t)~crc;
}

/* ISO/IEC 13239 CRC32 is the CRC of EF headers already in the core. */
uint32_t ota_crc32(const uint8_t *data, size_t len)
{
	uint32_t crc = 0;

	while (len) {
		mi_u16 chunk = (mi_u16)(len > 0xFFFFu ? 0xFFFFu : len);

		crc = mi_crc32(crc, data, chunk);
		data += chunk;
		len -= chunk;
	}
	return crc;
}

int ota_check(unsigned integrity, const struct ota_key *kid, const uint8_t *data, size_t len,
	      uint8_t *out)
{
	enum ota_alg alg;
	int rc;

	if (!kid)
		return OTA_ERR_ALG;
	alg = ota_kid_alg(kid->id, integrity);
	switch (alg) {
	case OTA_ALG_BAD:
		return OTA_ERR_ALG;
	case OTA_ALG_CRC16: {
		uint16_t c = ota_crc16(data, len);

		out[0] = (uint8_t)(c >> 8);
		out[1] = (uint8_t)c;
		return 2;
	}
	case OTA_ALG_CRC32: {
		uint32_t c = ota_crc32(data, len);

		out[0] = (uint8_t)(c >> 24);
		out[1] = (uint8_t)(c >> 16);
		out[2] = (uint8_t)(c >> 8);
		out[3] = (uint8_t)c;
		return 4;
	}
	default:
		rc = ota_cc(alg, kid, data, len, out);
		return rc < 0 ? rc : 8;
	}
}
