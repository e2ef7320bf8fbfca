/* SPDX-License-Identifier: Apache-2.0 */
/* The planner's OTA packets: the new set compiled for the new sponsor
 * (st_plan_set_build) written as mimsi-ota build --set writes a set
 * (ot_script_set_files, ot_plan, ot_packet_build, ot_counter_take: linked
 * from ota/tool, not copied), then the slot's K/OPc (ot_script_keys), with the new IMSI's K/OPc unwrapped from the
 * database into the ciphered script only (TS 102 225 §5.1.1: SPI1 must
 * cipher a script that carries keys). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ld_keys.h"
#include "ota_tool.h"
#include "rc.h"
#include "st_plan.h"

static void hexs(const uint8_t *b, size_t n, char *out)
{
	st_hex(b, n, out);
}

static json_t *packet_json(const struct ot_packet *pk)
{
	static char h[2 * (OT_PKT_MAX + 5 + 255) + 1];
	json_t *sms = json_array(), *o;
	unsigned i;

	for (i = 0; i < pk->n_sms; i++) {
		json_t *m = json_object();

		hexs(pk->tpdu[i], pk->tpdu_len[i], h);
		json_object_set_new(m, "tpdu", json_string(h));
		hexs(pk->env[i], pk->env_len[i], h);
		json_object_set_new(m, "envelope", json_string(h));
		json_array_append_new(sms, m);
	}
	hexs(pk->pkt, pk->len, h);
	o = json_pack("{s:I, s:s, s:o}", "counter", (json_int_t)pk->cntr, "command_packet", h, "sms", sms);
	return o;
}

/* K/OPc of the new IMSI for whatever key set its slot uses, when the
 * database holds them. \returns 1 with keys, 0 none, <0 error. */
static int slot_keys(struct st_ctx *c, const struct st_plan_ota *o, const char *imsi, struct ld_slot_keys *k)
{
	sqlite3_stmt *s = st_prep(c, "SELECT k_wrapped, opc_wrapped FROM imsi WHERE imsi = ? AND k_wrapped IS NOT NULL",
				  "t", imsi);
	unsigned char kk[64], opc[64];
	int nk = -1, no = -1, have = 0;
	unsigned i;

	if (s && sqlite3_step(s) == SQLITE_ROW) {
		have = 1;
		if (!o->tkey) {
			sqlite3_finalize(s);
			return st_fail(c, ST_E_KEY, "IMSI %s has keys: the OTA needs --key-file to unwrap them", imsi);
		}
		/* RFC 3394 as batch import wrapped them: 24 bytes each */
		if (sqlite3_column_bytes(s, 0) == 24 && sqlite3_column_bytes(s, 1) == 24) {
			nk = st_unwrap(o->tkey, sqlite3_column_blob(s, 0), 24, kk);
			no = st_unwrap(o->tkey, sqlite3_column_blob(s, 1), 24, opc);
		}
	}
	sqlite3_finalize(s);
	if (!s)
		return c->err.rc;
	if (!have)
		return 0;
	if (nk != 16 || no != 16) {
		OPENSSL_cleanse(kk, sizeof(kk));
		OPENSSL_cleanse(opc, sizeof(opc));
		return st_fail(c, ST_E_KEY, "IMSI %s: its keys do not unwrap with this transport key", imsi);
	}
	for (i = 0; i < LD_KEYSETS; i++) {
		memcpy(k->k[i], kk, 16);
		memcpy(k->opc[i], opc, 16);
	}
	k->k_set = k->opc_set = (uint16_t)((1u << LD_KEYSETS) - 1u);
	OPENSSL_cleanse(kk, sizeof(kk));
	OPENSSL_cleanse(opc, sizeof(opc));
	return 1;
}

static unsigned set_keyset(const struct rc_set *set, int slot)
{
	int i;

	for (i = 0; i < set->n_slot; i++)
		if (set->slot[i].slot == slot)
			return set->slot[i].keyset;
	return 0;
}

int st_plan_ota_build(struct st_ctx *c, const struct st_plan_ota *o, const char *iccid, int slot,
		      const char *imsi, json_t **out)
{
	static struct ot_script script;
	static struct ot_packet pk;
	struct ot_params p;
	struct ot_keyset ks;
	struct ld_slot_keys keys;
	size_t first[OT_MAX_PACKETS], count[OT_MAX_PACKETS];
	static struct rc_set set;
	rc_error_t e;
	char err[400];
	uint64_t cntr = 0;
	int np, i, has_keys, rc = 0;

	*out = NULL;
	rc_err_clear(&e);
	memset(&script, 0, sizeof(script));
	memset(&keys, 0, sizeof(keys));
	memset(&p, 0, sizeof(p));
	/* mimsi-ota's defaults: SPI 16 19 (CC, ciphered, counter higher; PoR
	 * ciphered with CC), TAR B00020, compact script, 16-bit concatenation */
	p.spi1 = 0x16;
	p.spi2 = ST_PLAN_SPI2;
	p.tar[0] = 0xB0;
	p.tar[1] = 0x00;
	p.tar[2] = 0x20;
	p.format = OTA_RFM_COMPACT;
	p.oa.ton_npi = 0x81;
	snprintf(p.oa.digits, sizeof(p.oa.digits), "12345678");
	p.concat_iei = 0x08;
	if (ot_keys_load(o->keys, o->kvn, &ks, err, sizeof(err)))
		return st_fail(c, ST_E_KEY, "%s", err);
	has_keys = slot_keys(c, o, imsi, &keys);
	if (has_keys < 0) {
		ot_keys_clear(&ks);
		return c->err.rc;
	}
	/* one message, one set: SLOTS, RULES and CFG sealed with the same seq
	 * and set id into the bank the card does not use (mi_ef.h) */
	if (st_plan_set_build(c, iccid, slot, imsi, o->base, o->keep_dir, &set) < 0)
		rc = c->err.rc;
	else if (rc_set_decode(&set, "the new set", &e) < 0)
		rc = st_fail(c, ST_E_DATA, "OTA: %s", e.text);
	else if (ot_script_set_files(&script, &set, o->bank_holds ? o->bank_holds : o->base, o->bank, err,
				     sizeof(err)) ||
		 (has_keys && ot_script_keys(&script, (unsigned)slot, set_keyset(&set, slot), &keys, err, sizeof(err))))
		rc = st_fail(c, ST_E_DATA, "OTA: %s", err);
	rc_set_free(&set);
	OPENSSL_cleanse(&keys, sizeof(keys));
	np = rc ? -1 : ot_plan(&script, &p, &ks, first, count, OT_MAX_PACKETS, err, sizeof(err));
	if (!rc && np < 0)
		rc = st_fail(c, ST_E_DATA, "OTA: %s", err);
	/* the counters are taken (and recorded) before a packet exists */
	if (!rc && ot_counter_take(o->counters, iccid, o->kvn, (unsigned)np, 0, &cntr, err, sizeof(err)))
		rc = st_fail(c, ST_E_CANTCREAT, "OTA: %s", err);
	if (!rc)
		*out = json_array();
	for (i = 0; !rc && i < np; i++) {
		if (ot_packet_build(&script, first[i], count[i], &p, &ks, cntr + (uint64_t)i, &pk, err, sizeof(err)))
			rc = st_fail(c, ST_E_DATA, "OTA packet %d: %s", i + 1, err);
		else
			json_array_append_new(*out, packet_json(&pk));
	}
	OPENSSL_cleanse(&script, sizeof(script));
	OPENSSL_cleanse(&pk, sizeof(pk));
	ot_keys_clear(&ks);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int st_plan_por_keys(struct st_ctx *c, const struct st_plan_ota *o, const unsigned char *pkt, size_t len,
		     unsigned spi2, uint8_t *status)
{
	struct ot_keyset ks;
	struct ota_por por;
	uint8_t work[300];
	char err[400];
	int rc;

	if (ot_keys_load(o->keys, o->kvn, &ks, err, sizeof(err)))
		return st_fail(c, ST_E_KEY, "%s", err);
	rc = ota_por_parse((uint8_t)spi2, pkt, len, &ks.kic, &ks.kid, work, sizeof(work), &por);
	ot_keys_clear(&ks);
	/* a PoR in clear (a card's answer to a failed security check, TS 102
	 * 225 §5.2.2) proves nothing: anyone could send it, and releasing on
	 * it while the card holds the new IMSI would let the HSS forget an IMSI
	 * in use. The timeout, which writes the old IMSI again first, ends it. */
	if (rc < 0)
		return st_fail(c, ST_E_DATA, "the PoR does not decode or verify (TS 102 225 §5.2): error %d; "
					     "nothing changed (swap-timeout ends the swap)", rc);
	*status = por.status;
	return 0;
}
