/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-ota's key file and per-card counters (docs/ota.md). Keys are read
 * from a file only (never the command line) and never printed; counters
 * are recorded before a packet leaves, so a value is never reused
 * (TS 102 225 §5.1.1: the card refuses a counter it has seen). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "ota_tool.h"

void ot_keys_clear(struct ot_keyset *ks)
{
	OPENSSL_cleanse(ks, sizeof(*ks));
}

static int key_field(json_t *e, const char *id_name, const char *key_name, struct ota_key *k,
		     const char *path, size_t idx, char *err, size_t err_len)
{
	const char *id = json_string_value(json_object_get(e, id_name));
	const char *key = json_string_value(json_object_get(e, key_name));
	uint8_t b;
	int n;

	if (!id || ota_hex_decode(id, &b, 1) != 1) {
		snprintf(err, err_len, "%s: keysets[%zu]: \"%s\" must be one hex byte", path, idx, id_name);
		return -1;
	}
	k->id = b;
	if (!key) /* an RC needs no key */
		return 0;
	n = ota_hex_decode(key, k->key, sizeof(k->key));
	if (n != 8 && n != 16 && n != 24 && n != 32) {
		OPENSSL_cleanse(k->key, sizeof(k->key));
		snprintf(err, err_len, "%s: keysets[%zu]: \"%s\" must be 8, 16, 24 or 32 bytes of hex",
			 path, idx, key_name);
		return -1;
	}
	k->len = (uint8_t)n;
	return 0;
}

int ot_keys_load(const char *path, unsigned kvn, struct ot_keyset *ks, char *err, size_t err_len)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *arr;
	size_t i;
	int rc = -1;

	memset(ks, 0, sizeof(*ks));
	if (!root) {
		/* jansson's text may quote the input: keep only the position */
		snprintf(err, err_len, "%s:%d:%d: not a valid JSON key file", path, je.line, je.column);
		return -1;
	}
	arr = json_object_get(root, "keysets");
	if (!json_is_array(arr)) {
		snprintf(err, err_len, "%s: \"keysets\" must be an array", path);
		goto out;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		json_int_t v = json_integer_value(json_object_get(e, "kvn"));

		if (!json_is_object(e) || v < 1 || v > 15) {
			snprintf(err, err_len, "%s: keysets[%zu]: \"kvn\" must be 1..15", path, i);
			goto out;
		}
		if ((unsigned)v != kvn)
			continue;
		ks->kvn = kvn;
		if (key_field(e, "kic", "kic_key", &ks->kic, path, i, err, err_len) ||
		    key_field(e, "kid", "kid_key", &ks->kid, path, i, err, err_len))
			goto out;
		if ((ks->kic.id >> 4) != kvn || (ks->kid.id >> 4) != kvn) {
			snprintf(err, err_len, "%s: keysets[%zu]: KIc/KID high nibble must be the kvn %u", path,
				 i, kvn);
			goto out;
		}
		rc = 0;
		goto out;
	}
	snprintf(err, err_len, "%s: no key set with kvn %u", path, kvn);
out:
	json_decref(root); /* jansson frees the strings; the key bytes are in ks only */
	if (rc)
		ot_keys_clear(ks);
	return rc;
}

int ot_counter_take(const char *path, const char *iccid, unsigned kvn, unsigned n, uint64_t first_min,
		    uint64_t *first, char *err, size_t err_len)
{
	json_error_t je;
	json_t *root, *card;
	char kv[8], tmp[4096];
	uint64_t last = 0, next;
	FILE *f;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root && access(path, F_OK) == 0) {
		snprintf(err, err_len, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return -1;
	}
	if (!root)
		root = json_object();
	card = json_object_get(root, iccid);
	if (!card) {
		card = json_object();
		json_object_set_new(root, iccid, card);
	}
	snprintf(kv, sizeof(kv), "%u", kvn);
	if (json_object_get(card, kv)) {
		json_int_t v = json_integer_value(json_object_get(card, kv));

		if (v < 0) {
			snprintf(err, err_len, "%s: %s.%s: not a counter", path, iccid, kv);
			json_decref(root);
			return -1;
		}
		last = (uint64_t)v;
	}
	next = last + 1;
	if (first_min) {
		if (first_min <= last) {
			snprintf(err, err_len, "counter %llu already used for card %s key version %u (last %llu)",
				 (unsigned long long)first_min, iccid, kvn, (unsigned long long)last);
			json_decref(root);
			return -1;
		}
		next = first_min;
	}
	if (next + n - 1 > 0xFFFFFFFFFEull) {
		snprintf(err, err_len, "card %s key version %u: counters exhausted", iccid, kvn);
		json_decref(root);
		return -1;
	}
	json_object_set_new(card, kv, json_integer((json_int_t)(next + n - 1)));
	/* write beside, then rename: the file is always whole */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || json_dumpf(root, f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
		if (f)
			fclose(f);
		json_decref(root);
		return -1;
	}
	fclose(f);
	json_decref(root);
	if (rename(tmp, path) != 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	*first = next;
	return 0;
}
