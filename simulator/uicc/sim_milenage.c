/* SPDX-License-Identifier: Apache-2.0 */
/* Milenage, 3GPP TS 35.206 §4.1, on OpenSSL's AES-128 (EVP, ECB, no padding). */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sim_milenage.h"

static int aes128(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!ctx)
		return -1;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 && EVP_EncryptUpdate(ctx, out, &n, in, 16) == 1 &&
	     n == 16;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

static void xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
	unsigned i;

	for (i = 0; i < 16; i++)
		d[i] = (uint8_t)(a[i] ^ b[i]);
}

/* Cyclic left rotation of 128 bits by r (a multiple of 8 here). */
static void rot(uint8_t *d, const uint8_t *s, unsigned r)
{
	unsigned i, by = (r / 8) % 16;

	for (i = 0; i < 16; i++)
		d[i] = s[(i + by) % 16];
}

int sim_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	uint8_t t[16];

	if (aes128(k, op, t))
		return -1;
	xor16(opc, t, op);
	OPENSSL_cleanse(t, sizeof(t));
	return 0;
}

/* OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc (TS 35.206 §4.1) */
static int out_n(const uint8_t k[16], const uint8_t opc[16], const uint8_t temp[16], unsigned r,
		 uint8_t c_last, uint8_t out[16])
{
	uint8_t x[16], y[16];

	xor16(x, temp, opc);
	rot(y, x, r);
	y[15] ^= c_last; /* c1..c5 are 0 except the last byte: 00 01 02 04 08 */
	if (aes128(k, y, out))
		return -1;
	xor16(out, out, opc);
	return 0;
}

int sim_milenage(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		 const uint8_t sqn[6], const uint8_t amf[2], struct sim_milenage_out *o)
{
	uint8_t temp[16], in1[16], x[16], y[16], out[16];
	int rc = -1;

	xor16(x, rand, opc);
	if (aes128(k, x, temp))
		goto out;
	/* IN1 = SQN || AMF || SQN || AMF; OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1=64) xor c1) xor OPc */
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, sqn, 6);
	memcpy(in1 + 14, amf, 2);
	xor16(x, in1, opc);
	rot(y, x, 64);
	xor16(y, y, temp);
	if (aes128(k, y, out))
		goto out;
	xor16(out, out, opc);
	memcpy(o->mac_a, out, 8);
	memcpy(o->mac_s, out + 8, 8);
	if (out_n(k, opc, temp, 0, 0x01, out))
		goto out;
	memcpy(o->ak, out, 6);
	memcpy(o->res, out + 8, 8);
	if (out_n(k, opc, temp, 32, 0x02, out))
		goto out;
	memcpy(o->ck, out, 16);
	if (out_n(k, opc, temp, 64, 0x04, out))
		goto out;
	memcpy(o->ik, out, 16);
	if (out_n(k, opc, temp, 96, 0x08, out))
		goto out;
	memcpy(o->ak_s, out, 6);
	rc = 0;
out:
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(x, sizeof(x));
	OPENSSL_cleanse(y, sizeof(y));
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

void sim_milenage_kc(const uint8_t ck[16], const uint8_t ik[16], uint8_t kc[8])
{
	unsigned i;

	for (i = 0; i < 8; i++)
		kc[i] = (uint8_t)(ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8]);
}

void sim_milenage_sres(const uint8_t res[8], uint8_t sres[4])
{
	unsigned i;

	for (i = 0; i < 4; i++)
		sres[i] = (uint8_t)(res[i] ^ res[i + 4]);
}
