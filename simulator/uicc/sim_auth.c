/* SPDX-License-Identifier: Apache-2.0 */
/* AUTHENTICATE (TS 102 221 §11.1.16, TS 31.102 §7.1) with Milenage, using
 * the key set the applet made active (mi_port_keyset_select). */
#include <string.h>

#include <openssl/crypto.h>

#include "sim_cmd.h"
#include "sim_milenage.h"

#define CTX_GSM 0x80u /* P2: application specific, GSM context */
#define CTX_3G 0x81u  /* P2: application specific, 3G context */

static struct sim_keyset *active_keyset(struct sim_card *c)
{
	uint8_t ref = c->nv.obj[SIM_NV_OBJ_KEYSET].data ? c->nv.obj[SIM_NV_OBJ_KEYSET].data[0] : 1;

	return sim_keystore_keyset(c, ref);
}

static uint64_t sqn48(const uint8_t *s)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 6; i++)
		v = (v << 8) | s[i];
	return v;
}

static void auth_3g(struct sim_card *c, struct sim_keyset *ks, const uint8_t *d, uint16_t len,
		    struct sim_rsp *r)
{
	static const uint8_t amf_resync[2] = {0, 0}; /* TS 33.102 §6.3.3: AMF* = 0 */
	struct sim_milenage_out o;
	uint8_t sqn[6], xmac_ok;
	uint64_t s, ms;
	unsigned i;

	/* 10 RAND 10 AUTN (TS 31.102 §7.1.2.1) */
	if (len != 34 || d[0] != 16 || d[17] != 16) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (sim_milenage(ks->k, ks->opc, d + 1, (const uint8_t[6]){0}, d + 18 + 6, &o)) {
		r->sw = MI_SW_TECHNICAL;
		return;
	}
	for (i = 0; i < 6; i++)
		sqn[i] = (uint8_t)(d[18 + i] ^ o.ak[i]);
	if (sim_milenage(ks->k, ks->opc, d + 1, sqn, d + 18 + 6, &o)) {
		r->sw = MI_SW_TECHNICAL;
		return;
	}
	xmac_ok = CRYPTO_memcmp(o.mac_a, d + 18 + 8, 8) == 0;
	if (!xmac_ok) {
		r->sw = MI_SW_AUTH_MAC;
		goto out;
	}
	s = sqn48(sqn);
	ms = sqn48(ks->sqn);
	if (s <= ms || s - ms > c->sqn_window) {
		/* resynchronisation: AUTS = SQN_MS xor AK* || MAC-S (TS 33.102 §6.3.5) */
		struct sim_milenage_out rs;

		if (sim_milenage(ks->k, ks->opc, d + 1, ks->sqn, amf_resync, &rs)) {
			r->sw = MI_SW_TECHNICAL;
			goto out;
		}
		r->data[0] = 0xDC;
		r->data[1] = 14;
		for (i = 0; i < 6; i++)
			r->data[2 + i] = (uint8_t)(ks->sqn[i] ^ rs.ak_s[i]);
		memcpy(r->data + 8, rs.mac_s, 8);
		r->len = 16;
		r->sw = MI_SW_OK;
		OPENSSL_cleanse(&rs, sizeof(rs));
		goto out;
	}
	memcpy(ks->sqn, sqn, 6);
	/* DB 08 RES 10 CK 10 IK 08 Kc (Kc: service 27, GSM access) */
	r->data[0] = 0xDB;
	r->data[1] = 8;
	memcpy(r->data + 2, o.res, 8);
	r->data[10] = 16;
	memcpy(r->data + 11, o.ck, 16);
	r->data[27] = 16;
	memcpy(r->data + 28, o.ik, 16);
	r->data[44] = 8;
	sim_milenage_kc(o.ck, o.ik, r->data + 45);
	r->len = 53;
	r->sw = MI_SW_OK;
out:
	OPENSSL_cleanse(&o, sizeof(o));
}

static void auth_gsm(struct sim_keyset *ks, const uint8_t *d, uint16_t len, struct sim_rsp *r)
{
	static const uint8_t zero[6] = {0}, amf[2] = {0};
	struct sim_milenage_out o;

	/* 10 RAND -> 04 SRES 08 Kc (TS 31.102 §7.1.2.1, c2/c3 of TS 33.102) */
	if (len != 17 || d[0] != 16) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (sim_milenage(ks->k, ks->opc, d + 1, zero, amf, &o)) {
		r->sw = MI_SW_TECHNICAL;
		return;
	}
	r->data[0] = 4;
	sim_milenage_sres(o.res, r->data + 1);
	r->data[5] = 8;
	sim_milenage_kc(o.ck, o.ik, r->data + 6);
	r->len = 14;
	r->sw = MI_SW_OK;
	OPENSSL_cleanse(&o, sizeof(o));
}

void sim_cmd_authenticate(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			  struct sim_rsp *r)
{
	struct sim_keyset *ks;
	const struct sim_pin *pin1 = sim_pin_find(c, 0x01);

	if (a->p1 != 0 || (a->p2 != CTX_GSM && a->p2 != CTX_3G)) {
		r->sw = MI_SW_BAD_P1P2;
		return;
	}
	if (a->apdu_case != MI_APDU_CASE_3 && a->apdu_case != MI_APDU_CASE_4) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	if (ch->adf < 0) {
		r->sw = MI_SW_CONDITIONS; /* no USIM selected on this channel */
		return;
	}
	if (pin1 && pin1->enabled && !pin1->verified) {
		r->sw = MI_SW_SECURITY;
		return;
	}
	ks = active_keyset(c);
	if (!ks) {
		r->sw = MI_SW_REF_NOT_FOUND;
		return;
	}
	if (a->p2 == CTX_3G)
		auth_3g(c, ks, a->data, a->lc, r);
	else
		auth_gsm(ks, a->data, a->lc, r);
}
