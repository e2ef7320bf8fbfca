/* SPDX-License-Identifier: Apache-2.0 */
/* The HSS side of a swap's provisioning events: what an HSS provisioning
 * system does with hss-create. The keys travel wrapped by the transport key
 * (RFC 3394, as batch import stored them) and named by its label and check
 * value; the receiver unwraps them with its copy of that key and refuses an
 * event made under another one. Used by the journey runner's virtual HSS. */
#include <string.h>

#include <openssl/crypto.h>

#include "st_plan.h"

json_t *st_plan_hss_create(struct st_ctx *c, const char *imsi)
{
	sqlite3_stmt *s = st_prep(c,
				  "SELECT hex(i.k_wrapped), hex(i.opc_wrapped), t.label, t.kcv FROM imsi i "
				  "LEFT JOIN transport_key t ON t.id = i.key_id WHERE i.imsi = ?",
				  "t", imsi);
	json_t *keys = json_null();

	/* never in clear: wrapped, with the key's label and check value */
	if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 2) != SQLITE_NULL)
		keys = json_pack("{s:s, s:s, s:s, s:s}", "k_wrapped", sqlite3_column_text(s, 0), "opc_wrapped",
				 sqlite3_column_text(s, 1), "key_label", sqlite3_column_text(s, 2), "kcv",
				 sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	return json_pack("{s:s, s:s, s:o}", "do", "hss-create", "imsi", imsi, "keys", keys);
}

static int unwrap16(const struct st_key *tkey, const char *hex, uint8_t out[16])
{
	unsigned char w[24], plain[24];
	int n = hex && strlen(hex) == 48 ? st_hex_decode(hex, w, sizeof(w)) : -1;

	n = n == 24 ? st_unwrap(tkey, w, 24, plain) : -1;
	if (n == 16)
		memcpy(out, plain, 16);
	OPENSSL_cleanse(plain, sizeof(plain));
	return n == 16 ? 0 : -1;
}

int st_plan_hss_keys(struct st_ctx *c, const struct st_key *tkey, const json_t *ev, uint8_t k[16],
		     uint8_t opc[16])
{
	const char *imsi = json_string_value(json_object_get(ev, "imsi"));
	const char *what = json_string_value(json_object_get(ev, "do"));
	json_t *keys = json_object_get(ev, "keys");
	const char *kcv = json_string_value(json_object_get(keys, "kcv"));

	if (!what || strcmp(what, "hss-create") != 0 || !imsi)
		return st_fail(c, ST_E_DATA, "not an hss-create event");
	if (!json_is_object(keys))
		return st_fail(c, ST_E_KEY, "hss-create %s: the stock holds no K/OPc for it", imsi);
	if (!kcv || strcmp(kcv, tkey->kcv) != 0)
		return st_fail(c, ST_E_KEY, "hss-create %s: wrapped under another transport key (check value)", imsi);
	if (unwrap16(tkey, json_string_value(json_object_get(keys, "k_wrapped")), k) < 0 ||
	    unwrap16(tkey, json_string_value(json_object_get(keys, "opc_wrapped")), opc) < 0) {
		OPENSSL_cleanse(k, 16);
		OPENSSL_cleanse(opc, 16);
		return st_fail(c, ST_E_KEY, "hss-create %s: the keys do not unwrap with this transport key", imsi);
	}
	return 0;
}
