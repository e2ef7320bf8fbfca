/* SPDX-License-Identifier: Apache-2.0 */
/* Slot keys into the key store EF.MI_KEYS (ld_keys.h, docs/ef-format.md). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ld_keys.h"
#include "mimsi/mi_ef.h"

void ld_keys_clear(struct ld_slot_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int ld_keys_set(struct ld_slot_keys *k, const char *name, const char *hex, char *err, size_t err_len)
{
	unsigned n;
	int is_opc, got;
	char tail;
	uint8_t *dst;

	if (sscanf(name, "opc%u%c", &n, &tail) == 1)
		is_opc = 1;
	else if (sscanf(name, "k%u%c", &n, &tail) == 1)
		is_opc = 0;
	else
		return 0;
	if (n < 1 || n > LD_KEYSETS) {
		snprintf(err, err_len, "%s: key sets are 1..%u", name, LD_KEYSETS);
		return LD_ERR_FORMAT;
	}
	if (!*hex)
		return 1; /* an empty cell: nothing for this set */
	dst = is_opc ? k->opc[n - 1] : k->k[n - 1];
	got = ld_hex_parse(hex, dst, 16);
	if (got != 16) {
		OPENSSL_cleanse(dst, 16);
		snprintf(err, err_len, "%s must be 32 hex digits (value not shown)", name);
		return LD_ERR_FORMAT;
	}
	if (is_opc)
		k->opc_set |= (uint16_t)(1u << (n - 1));
	else
		k->k_set |= (uint16_t)(1u << (n - 1));
	return 1;
}

int ld_keys_load(const char *path, struct ld_slot_keys *k, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned lineno = 0;
	int rc = LD_OK;

	memset(k, 0, sizeof(*k));
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return LD_ERR_PARAM;
	}
	while (rc == LD_OK && fgets(line, sizeof(line), f)) {
		char *name = line, *eq, *val, *end;
		char msg[128];
		int r;

		lineno++;
		name += strspn(name, " \t");
		if (*name == '#' || *name == '\n' || *name == '\r' || !*name)
			continue;
		eq = strchr(name, '=');
		if (!eq) {
			snprintf(err, err_len, "%s:%u: expected NAME = HEX", path, lineno);
			rc = LD_ERR_FORMAT;
			break;
		}
		*eq = '\0';
		for (end = eq; end > name && isspace((unsigned char)end[-1]); end--)
			end[-1] = '\0';
		val = eq + 1;
		val += strspn(val, " \t");
		val[strcspn(val, " \t\r\n")] = '\0';
		r = ld_keys_set(k, name, val, msg, sizeof(msg));
		if (r == 0) {
			snprintf(err, err_len, "%s:%u: unknown name %s (kN or opcN)", path, lineno, name);
			rc = LD_ERR_FORMAT;
		} else if (r < 0) {
			snprintf(err, err_len, "%s:%u: %s", path, lineno, msg);
			rc = r;
		}
	}
	OPENSSL_cleanse(line, sizeof(line));
	fclose(f);
	if (rc == LD_OK && k->k_set != k->opc_set) {
		snprintf(err, err_len, "%s: every key set needs both kN and opcN", path);
		rc = LD_ERR_FORMAT;
	}
	if (rc != LD_OK)
		ld_keys_clear(k);
	return rc;
}

int ld_keys_write(struct ld_card *c, const struct ld_slot_keys *k, char *err, size_t err_len)
{
	static const uint16_t path[] = {MI_DF_MIMSI, LD_FID_MI_KEYS};
	uint8_t cmd[5 + 32];
	uint16_t sw;
	unsigned n, written = 0;
	int rc;

	if (k->k_set != k->opc_set) {
		snprintf(err, err_len, "every key set needs both K and OPc");
		return LD_ERR_PARAM;
	}
	if (!k->k_set)
		return 0;
	rc = ld_select_path(c, path, 2, NULL, &sw);
	if (rc < 0)
		return rc;
	if (!c->dry && sw != 0x9000 && (sw >> 8) != 0x61) {
		snprintf(err, err_len, "this card has no key store (SELECT 7F4D/%04X: %04X)", LD_FID_MI_KEYS, sw);
		return LD_ERR_UNSUPPORTED;
	}
	for (n = 0; n < LD_KEYSETS; n++) {
		if (!(k->k_set & (1u << n)))
			continue;
		/* UPDATE RECORD, absolute mode (TS 102 221 §11.1.6): P1 = key set */
		cmd[0] = 0x00;
		cmd[1] = 0xDC;
		cmd[2] = (uint8_t)(n + 1);
		cmd[3] = 0x04;
		cmd[4] = 32;
		memcpy(cmd + 5, k->k[n], 16);
		memcpy(cmd + 21, k->opc[n], 16);
		if (c->dry) {
			uint8_t mask[sizeof(cmd)];

			memset(mask, 0, 5);
			memset(mask + 5, 1, sizeof(cmd) - 5);
			ld_hex_masked(c->dry, cmd, sizeof(cmd), mask, 0);
			fprintf(c->dry, "  UPDATE RECORD (key set %u: K, OPc)\n", n + 1);
			OPENSSL_cleanse(cmd, sizeof(cmd));
			written++;
			continue;
		}
		c->mask_data = 1;
		rc = ld_xfer(c, cmd, sizeof(cmd), NULL, NULL, &sw);
		c->mask_data = 0;
		OPENSSL_cleanse(cmd, sizeof(cmd));
		if (rc < 0)
			return rc;
		if (sw != 0x9000) {
			snprintf(err, err_len, "key set %u: the card refused the key store update (%04X)", n + 1,
				 sw);
			return sw == 0x6982 ? LD_ERR_REFUSED : LD_ERR_SW;
		}
		written++;
	}
	return (int)written;
}

int ld_keys_write_file(struct ld_card *c, const char *path, char *err, size_t err_len)
{
	struct ld_slot_keys k;
	int rc = ld_keys_load(path, &k, err, err_len);

	if (rc == LD_OK) {
		rc = ld_keys_write(c, &k, err, err_len);
		rc = rc < 0 ? rc : LD_OK;
	}
	ld_keys_clear(&k);
	return rc;
}
