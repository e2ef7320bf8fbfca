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

#include "mc_json.h"
#include "ota_tool.h"

void ot_keys_clear(struct ot_keyset *ks)
{
	OPENSSL_cleanse(ks, sizeof(*ks));
}

/* The file's keys, as the kit checks them: unknown keys are a typo that
 * would silently drop a key set. */
static const char *const k_root[] = {"format", "comment", "keysets", NULL};
static const char *const k_set[] = {"kvn", "kic", "kic_key", "kid", "kid_key", "comment", NULL};

/* "kic"/"kid" (one byte: key version in the high nibble, algorithm in the
 * low one, TS 102 225 §5.1.2) and its key; an RC needs no key. */
static int key_field(struct mc_json *j, const char *path, json_t *e, const char *id_name,
		     const char *key_name, struct ota_key *k)
{
	char sub[MC_JSON_PATH_MAX];
	size_t n = 0;
	int rc;

	if (mc_json_hex(j, path, e, id_name, &k->id, 1, 1, NULL, 1) < 0)
		return -1;
	rc = mc_json_hex(j, path, e, key_name, k->key, 8, sizeof(k->key), &n, 0);
	if (rc < 0)
		return -1;
	if (rc > 0 && n != 8 && n != 16 && n != 24 && n != 32) {
		mc_json_path_key(sub, sizeof(sub), path, key_name);
		return mc_json_fail(j, sub, "must be 8, 16, 24 or 32 bytes of hex");
	}
	k->len = (uint8_t)n;
	return 0;
}

/* One entry of "keysets", checked whole whatever its kvn, into \a ks. */
static int keyset_entry(struct mc_json *j, const char *path, json_t *e, struct ot_keyset *ks)
{
	long kvn;

	if (mc_json_keys(j, path, e, k_set) < 0)
		return -1;
	(void)mc_json_str(j, path, e, "comment", 0, 0);
	if (mc_json_failed(j) || mc_json_int(j, path, e, "kvn", &kvn, 1, 15, 1) < 0 ||
	    key_field(j, path, e, "kic", "kic_key", &ks->kic) < 0 ||
	    key_field(j, path, e, "kid", "kid_key", &ks->kid) < 0)
		return -1;
	ks->kvn = (unsigned)kvn;
	if ((ks->kic.id >> 4) != kvn || (ks->kid.id >> 4) != kvn)
		return mc_json_fail(j, path, "the high nibble of kic and kid must be the kvn %ld", kvn);
	return 0;
}

int ot_keys_load(const char *path, unsigned kvn, struct ot_keyset *ks, char *err, size_t err_len)
{
	struct mc_json j;
	struct ot_keyset e;
	const char *format;
	json_t *root, *arr;
	unsigned seen = 0;
	size_t i;

	memset(ks, 0, sizeof(*ks));
	mc_json_init(&j, path, err, err_len);
	root = mc_json_load_file(&j, path); /* position and cause, never the token */
	if (!root)
		return -1;
	if (mc_json_keys(&j, "$", root, k_root) < 0)
		goto out;
	format = mc_json_str(&j, "$", root, "format", 32, 0);
	(void)mc_json_str(&j, "$", root, "comment", 0, 0); /* a note, but text */
	if (format && strcmp(format, "mimsi-ota-keys") != 0)
		mc_json_fail(&j, "$.format", "must be \"mimsi-ota-keys\"");
	arr = mc_json_get(&j, "$", root, "keysets", 1, NULL);
	if (arr && !json_is_array(arr))
		mc_json_fail(&j, "$.keysets", "must be an array");
	if (mc_json_failed(&j))
		goto out;
	for (i = 0; i < json_array_size(arr); i++) {
		char sub[MC_JSON_PATH_MAX], at[MC_JSON_PATH_MAX];

		mc_json_path_index(sub, sizeof(sub), "$.keysets", i);
		memset(&e, 0, sizeof(e));
		if (keyset_entry(&j, sub, json_array_get(arr, i), &e) < 0)
			break;
		if (seen & (1u << e.kvn)) {
			mc_json_path_key(at, sizeof(at), sub, "kvn");
			mc_json_fail(&j, at, "key version %u given twice", e.kvn);
			break;
		}
		seen |= 1u << e.kvn;
		if (e.kvn == kvn)
			*ks = e;
	}
	OPENSSL_cleanse(&e, sizeof(e));
	if (!mc_json_failed(&j) && ks->kvn != kvn)
		mc_json_fail(&j, "$.keysets", "no key set with kvn %u", kvn);
out:
	json_decref(root); /* jansson frees the strings; the key bytes are in ks only */
	if (mc_json_failed(&j)) {
		ot_keys_clear(ks);
		return -1;
	}
	return 0;
}

int ot_counter_take(const char *path, const char *iccid, unsigned kvn, unsigned n, uint64_t first_min,
		    uint64_t *first, char *err, size_t err_len)
{
	struct mc_json j;
	json_t *root, *card;
	char kv[8], tmp[4096], path_card[MC_JSON_PATH_MAX];
	uint64_t last = 0, next;
	long v = 0;
	FILE *f;

	mc_json_init(&j, path, err, err_len);
	if (access(path, F_OK) == 0) {
		root = mc_json_load_file(&j, path);
		if (!root)
			return -1;
	} else {
		root = json_object(); /* the first packet to any card */
	}
	if (!json_is_object(root)) {
		mc_json_fail(&j, "$", "must be an object of cards (ICCID)");
		json_decref(root);
		return -1;
	}
	mc_json_path_key(path_card, sizeof(path_card), "$", iccid);
	card = json_object_get(root, iccid);
	if (!card) {
		card = json_object();
		json_object_set_new(root, iccid, card);
	} else if (!json_is_object(card)) {
		mc_json_fail(&j, path_card, "must be an object of key versions");
		json_decref(root);
		return -1;
	}
	snprintf(kv, sizeof(kv), "%u", kvn);
	/* a counter that is not a number would restart at 1: refuse it */
	if (mc_json_int(&j, path_card, card, kv, &v, 0, 0xFFFFFFFFFFL, 0) < 0) {
		json_decref(root);
		return -1;
	}
	last = (uint64_t)v;
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
