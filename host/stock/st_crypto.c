/* SPDX-License-Identifier: Apache-2.0 */
/* The transport key and what it protects. Ki and OPc (16 bytes each) are
 * wrapped with the AES Key Wrap of RFC 3394 §2.2.1 (default IV A6A6A6A6A6A6A6A6);
 * the PIN/PUK/ADM record (ASCII) with the padded variant of RFC 5649 §4.1.
 * Both through OpenSSL's EVP wrap ciphers. The key's check value (KCV) is the
 * first 3 bytes of AES-ECB(key, 16 zero bytes), the usual HSM convention, so
 * a wrong key file is caught before anything is written. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mimsi/mi_hex.h"
#include "st.h"

static const EVP_CIPHER *wrap_cipher(int len, int pad)
{
	switch (len) {
	case 16: return pad ? EVP_aes_128_wrap_pad() : EVP_aes_128_wrap();
	case 24: return pad ? EVP_aes_192_wrap_pad() : EVP_aes_192_wrap();
	case 32: return pad ? EVP_aes_256_wrap_pad() : EVP_aes_256_wrap();
	default: return NULL;
	}
}

/* A wrap cipher does a whole wrap or unwrap per EVP_CipherUpdate, with the
 * default IV when none is set: one context per key and operation serves
 * every call (setting up the key schedule per Ki costs more than the wrap). */
static int run_wrap(const struct st_key *key, int pad, int enc, const unsigned char *in, int len,
		    unsigned char *out)
{
	struct st_key *k = (struct st_key *)key;
	EVP_CIPHER_CTX **slot = (EVP_CIPHER_CTX **)&k->ctx[pad * 2 + enc];
	int n = 0;

	if (!*slot) {
		const EVP_CIPHER *ci = wrap_cipher(key->len, pad);
		EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

		if (!ctx || !ci) {
			EVP_CIPHER_CTX_free(ctx);
			return -1;
		}
		EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
		if (EVP_CipherInit_ex(ctx, ci, NULL, key->k, NULL, enc) != 1) {
			EVP_CIPHER_CTX_free(ctx);
			return -1;
		}
		*slot = ctx;
	}
	if (EVP_CipherUpdate(*slot, out, &n, in, len) != 1)
		return -1;
	return n;
}

int st_wrap(const struct st_key *key, const unsigned char *in, int len, unsigned char *out)
{
	if (len < 16 || len % 8)
		return -1;
	return run_wrap(key, 0, 1, in, len, out);
}

int st_unwrap(const struct st_key *key, const unsigned char *in, int len, unsigned char *out)
{
	if (len < 24 || len % 8)
		return -1;
	return run_wrap(key, 0, 0, in, len, out);
}

int st_wrap_pad(const struct st_key *key, const unsigned char *in, int len, unsigned char *out)
{
	if (len < 1 || len > 64)
		return -1;
	return run_wrap(key, 1, 1, in, len, out);
}

int st_unwrap_pad(const struct st_key *key, const unsigned char *in, int len, unsigned char *out)
{
	if (len < 16 || len > 72 || len % 8)
		return -1;
	return run_wrap(key, 1, 0, in, len, out);
}

int st_random(unsigned char *out, int len)
{
	return RAND_bytes(out, len) == 1 ? 0 : -1;
}

int st_random_digits(char *out, size_t n)
{
	unsigned char buf[64];
	size_t got = 0, i;

	while (got < n) {
		if (st_random(buf, (int)sizeof(buf)) < 0)
			return -1;
		/* 250 = 25 * 10: drop 250..255 so each digit is equally likely */
		for (i = 0; i < sizeof(buf) && got < n; i++)
			if (buf[i] < 250)
				out[got++] = (char)('0' + buf[i] % 10);
	}
	out[n] = '\0';
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

/* The core's hex codec (mi_hex.h), one for every host tool. \a out holds
 * 2 * len + 1 characters. */
void st_hex(const unsigned char *in, size_t len, char *out)
{
	(void)mi_hex_encode(in, (mi_u16)len, out, (mi_u16)(2u * len + 1u));
}

int st_hex_decode(const char *in, unsigned char *out, size_t cap)
{
	int n = mi_hex_decode(in, out, (mi_u16)(cap > 0xFFFFu ? 0xFFFFu : cap));

	return n < 0 ? -1 : n;
}

static int kcv(struct st_key *key)
{
	static const unsigned char zero[16];
	const EVP_CIPHER *ci = key->len == 16 ? EVP_aes_128_ecb()
			       : key->len == 24 ? EVP_aes_192_ecb()
						: EVP_aes_256_ecb();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	unsigned char out[32];
	int n = 0, ok;

	if (!ctx)
		return -1;
	ok = EVP_EncryptInit_ex(ctx, ci, NULL, key->k, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_EncryptUpdate(ctx, out, &n, zero, 16) == 1 && n == 16;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return -1;
	st_hex(out, 3, key->kcv);
	return 0;
}

int st_key_load(struct st_ctx *c, const char *path, const char *label, struct st_key *key)
{
	char buf[512], hex[130];
	size_t n, h = 0, i;
	int comment = 0, len;
	FILE *f;

	memset(key, 0, sizeof(*key));
	if (!path)
		path = getenv("MIMSI_STOCK_KEY_FILE");
	if (!path || !*path)
		return st_fail(c, ST_E_KEY, "a transport key is needed: --key-file FILE (or "
					    "MIMSI_STOCK_KEY_FILE); keys are never taken from "
					    "the command line");
	if (!label)
		label = getenv("MIMSI_STOCK_KEY_LABEL");
	if (!label || !*label)
		return st_fail(c, ST_E_KEY, "the transport key needs a label: --key-label LABEL "
					    "(or MIMSI_STOCK_KEY_LABEL)");
	if (strlen(label) >= sizeof(key->label))
		return st_fail(c, ST_E_KEY, "key label longer than %zu characters",
			       sizeof(key->label) - 1);
	f = fopen(path, "r");
	if (!f)
		return st_fail(c, ST_E_KEY, "%s: cannot open the key file: %s", path,
			       strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (i = 0; i < n; i++) {
		char ch = buf[i];
		if (comment) {
			comment = ch != '\n';
			continue;
		}
		if (ch == '#')
			comment = 1;
		else if (isxdigit((unsigned char)ch) && h < sizeof(hex) - 1)
			hex[h++] = ch;
		else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
			OPENSSL_cleanse(buf, sizeof(buf));
			OPENSSL_cleanse(hex, sizeof(hex));
			return st_fail(c, ST_E_KEY, "%s: the key file holds something other than "
						    "hex digits and '#' comments",
				       path);
		}
	}
	hex[h] = '\0';
	len = st_hex_decode(hex, key->k, sizeof(key->k));
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(hex, sizeof(hex));
	if (len != 16 && len != 24 && len != 32) {
		st_key_wipe(key);
		return st_fail(c, ST_E_KEY, "%s: the key file must hold one AES key: 32, 48 or 64 "
					    "hex digits",
			       path);
	}
	key->len = len;
	snprintf(key->label, sizeof(key->label), "%s", label);
	if (kcv(key) < 0) {
		st_key_wipe(key);
		return st_fail(c, ST_E_SOFTWARE, "AES unavailable in OpenSSL");
	}
	return 0;
}

int st_key_register(struct st_ctx *c, struct st_key *key)
{
	sqlite3_stmt *st;
	int rc;

	st = st_prep(c, "SELECT id, kcv, bits FROM transport_key WHERE label = ?", "t", key->label);
	if (!st)
		return c->err.rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = strcmp((const char *)sqlite3_column_text(st, 1), key->kcv) == 0 &&
			   sqlite3_column_int(st, 2) == key->len * 8;
		key->id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (!same)
			return st_fail(c, ST_E_KEY, "the key file is not the key recorded as '%s' "
						    "(its check value differs)",
				       key->label);
		return 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return st_fail_db(c, "transport key");
	if (st_run(c, "INSERT INTO transport_key (label, kcv, bits, created_at) VALUES (?, ?, ?, ?)",
		   "ttdi", key->label, key->kcv, key->len * 8, c->at) < 0)
		return c->err.rc;
	key->id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

void st_key_wipe(struct st_key *key)
{
	int i;

	for (i = 0; i < 4; i++) {
		EVP_CIPHER_CTX_free(key->ctx[i]);
		key->ctx[i] = NULL;
	}
	OPENSSL_cleanse(key->k, sizeof(key->k));
	key->len = 0;
}
