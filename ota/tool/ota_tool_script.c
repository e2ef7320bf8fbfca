/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-ota scripts (TS 102 226 RFM C-APDUs) from APDUs, from a compiled
 * set's diff against a base, or from a slot replacement; and their
 * grouping into secured packets and SMS. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "ld_keys.h"
#include "ota_tool.h"
#include "rc.h"

#define INS_SELECT 0xA4u
#define UB_MAX 255u           /* UPDATE BINARY data (TS 102 221 §11.1.4) */
#define FID_MI_KEYS 0x6F0Eu   /* DF.MIMSI key store (docs/ef-format.md) */

static const uint16_t bank_fid[3][2] = {
	{MI_EF_CFG_A, MI_EF_CFG_B}, {MI_EF_SLOTS_A, MI_EF_SLOTS_B}, {MI_EF_RULES_A, MI_EF_RULES_B}};
static const uint8_t kind_type[3] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};

int ot_script_add(struct ot_script *s, const uint8_t *apdu, size_t len, int secret)
{
	if (s->n >= OT_MAX_APDUS || len < 4 || len > sizeof(s->a[0].b))
		return -1;
	memcpy(s->a[s->n].b, apdu, len);
	s->a[s->n].len = len;
	s->a[s->n].secret = secret;
	s->n++;
	return 0;
}

int ot_script_hex(struct ot_script *s, const char *hex, char *err, size_t err_len)
{
	uint8_t b[5 + 255 + 1];
	int n = ota_hex_decode(hex, b, sizeof(b));

	if (n < 5 || (n > 5 && (size_t)b[4] + 5u != (size_t)n && (size_t)b[4] + 6u != (size_t)n)) {
		snprintf(err, err_len, "APDU \"%.40s\": hex of a C-APDU (header, Lc, data[, Le])", hex);
		return -1;
	}
	if (ot_script_add(s, b, (size_t)n, 0)) {
		snprintf(err, err_len, "too many APDUs (at most %u)", OT_MAX_APDUS);
		return -1;
	}
	return 0;
}

int ot_script_file(struct ot_script *s, const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	char line[1200];
	unsigned no = 0;

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");
		char msg[200];

		no++;
		p[strcspn(p, "#\r\n")] = '\0';
		if (!*p)
			continue;
		if (ot_script_hex(s, p, msg, sizeof(msg))) {
			snprintf(err, err_len, "%s:%u: %s", path, no, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int add_select(struct ot_script *s, uint16_t fid)
{
	const uint8_t sel[7] = {0x00, INS_SELECT, 0x00, 0x04, 0x02, (uint8_t)(fid >> 8), (uint8_t)fid};

	return ot_script_add(s, sel, sizeof(sel), 0);
}

/* SELECT the bank file, then one UPDATE BINARY per planned range chunk. */
static int add_diff(struct ot_script *s, uint16_t fid, const uint8_t *a, size_t na, const uint8_t *b,
		    size_t nb)
{
	struct rc_range *r = malloc((nb + 1) * sizeof(*r));
	size_t n, i, off;
	int rc = 0;

	if (!r)
		return -1;
	n = rc_diff_ranges(a, na, b, nb, r, nb + 1);
	if (n && add_select(s, fid))
		rc = -1;
	for (i = 0; i < n && !rc; i++)
		for (off = r[i].off; off < r[i].off + r[i].len && !rc; off += UB_MAX) {
			size_t len = r[i].off + r[i].len - off < UB_MAX ? r[i].off + r[i].len - off : UB_MAX;
			uint8_t ub[5 + UB_MAX];

			ub[0] = 0x00;
			ub[1] = 0xD6;
			ub[2] = (uint8_t)(off >> 8);
			ub[3] = (uint8_t)off;
			ub[4] = (uint8_t)len;
			memcpy(ub + 5, b + off, len);
			rc = ot_script_add(s, ub, 5 + len, 0);
		}
	free(r);
	return rc;
}

/* What the target bank holds now: a set directory, or "empty" (FF). */
static int bank_load(const char *bank_dir, struct rc_set *held, char *err, size_t err_len)
{
	rc_error_t e;

	memset(held, 0, sizeof(*held));
	if (!strcmp(bank_dir, "empty"))
		return 0;
	rc_err_clear(&e);
	if (rc_set_load(bank_dir, held, &e) < 0) {
		snprintf(err, err_len, "%s", e.text);
		return -1;
	}
	return 0;
}

int ot_script_set_files(struct ot_script *s, const struct rc_set *b, const char *bank_dir, int bank, char *err,
			size_t err_len)
{
	struct rc_set a;
	unsigned k;
	int rc = 0;

	if (bank_load(bank_dir, &a, err, err_len) < 0)
		return -1;
	for (k = 0; k < 3 && !rc; k++)
		rc = add_diff(s, bank_fid[k][bank], a.file[k], a.len[k], b->file[k], b->len[k]);
	if (rc)
		snprintf(err, err_len, "the set's changes need more than %u APDUs", OT_MAX_APDUS);
	rc_set_free(&a);
	return rc;
}

int ot_script_set(struct ot_script *s, const char *new_dir, const char *bank_dir, int bank, char *err,
		  size_t err_len)
{
	struct rc_set b;
	rc_error_t e;
	int rc;

	memset(&b, 0, sizeof(b));
	rc_err_clear(&e);
	if (rc_set_load(new_dir, &b, &e) < 0) {
		snprintf(err, err_len, "%s", e.text);
		return -1;
	}
	rc = ot_script_set_files(s, &b, bank_dir, bank, err, err_len);
	rc_set_free(&b);
	return rc;
}

/* "262-01,262-02" -> PLMN list; \returns count or -1. */
static int plmn_list(const char *text, struct mi_plmn *out, unsigned max)
{
	unsigned n = 0;

	while (*text) {
		size_t l = strcspn(text, ",");

		if (n >= max || mi_plmn_parse(text, (mi_u16)l, &out[n]) != MI_OK)
			return -1;
		n++;
		text += l;
		if (*text == ',')
			text++;
	}
	return (int)n;
}

int ot_script_keys(struct ot_script *s, unsigned slot, unsigned keyset, const struct ld_slot_keys *keys, char *err,
		   size_t err_len)
{
	uint8_t ur[5 + 32] = {0x00, 0xDC, (uint8_t)keyset, 0x04, 32};

	if (keyset == 0 || keyset > LD_KEYSETS || !(keys->k_set & keys->opc_set & (1u << (keyset - 1)))) {
		snprintf(err, err_len, "slot %u uses key set %u: the key file has no k%u/opc%u", slot, keyset, keyset,
			 keyset);
		return -1;
	}
	/* UPDATE RECORD, absolute (TS 102 221 §11.1.6): record = the slot's key set */
	memcpy(ur + 5, keys->k[keyset - 1], 16);
	memcpy(ur + 21, keys->opc[keyset - 1], 16);
	if (add_select(s, FID_MI_KEYS) || ot_script_add(s, ur, sizeof(ur), 1)) {
		OPENSSL_cleanse(ur, sizeof(ur));
		snprintf(err, err_len, "slot %u: no key set to write K/OPc into", slot);
		return -1;
	}
	OPENSSL_cleanse(ur, sizeof(ur));
	return 0;
}

int ot_script_slot(struct ot_script *s, const char *base_dir, const char *bank_dir, int bank, unsigned slot,
		   const char *imsi,
		   const char *oplmn, const char *fplmn, const struct ld_slot_keys *keys, char *err,
		   size_t err_len)
{
	static uint8_t nf[3][MI_EF_RULES_SIZE];
	struct rc_set a, held;
	rc_error_t e;
	struct mi_slot rec[MI_MAX_SLOTS];
	struct mi_plmn pl[MI_MAX_OPLMN];
	const uint8_t *body;
	int n_rec, i, found = -1, pos, len;
	unsigned kind;
	uint8_t keyset = 0;

	memset(&a, 0, sizeof(a));
	rc_err_clear(&e);
	if (rc_set_load(base_dir, &a, &e) < 0) {
		snprintf(err, err_len, "%s", e.text);
		return -1;
	}
	if (bank_load(bank_dir ? bank_dir : base_dir, &held, err, err_len) < 0) {
		rc_set_free(&a);
		return -1;
	}
	/* decode every slot record of the base (mi_ef.h SLOTS body) */
	body = a.file[1] + MI_EF_HDR_LEN;
	n_rec = body[0];
	pos = 1;
	for (i = 0; i < n_rec && i < (int)MI_MAX_SLOTS; i++) {
		len = mi_slot_decode(body + pos, (mi_u16)(a.hdr[1].payload_len - pos), &rec[i]);
		if (len < 0)
			goto bad_base;
		pos += len;
		if (rec[i].slot == slot)
			found = i;
	}
	if (found < 0) {
		snprintf(err, err_len, "%s: no slot %u in the set", base_dir, slot);
		goto fail;
	}
	if (imsi) {
		uint8_t ef[9];

		if (mi_imsi_encode(imsi, (mi_u16)strlen(imsi), ef, sizeof(ef)) != MI_EF_IMSI_LEN) {
			snprintf(err, err_len, "IMSI must be 6 to 15 digits");
			goto fail;
		}
		memcpy(rec[found].imsi, ef, 9);
	}
	if (oplmn) {
		int n = plmn_list(oplmn, pl, MI_MAX_OPLMN);

		if (n < 0) {
			snprintf(err, err_len, "--oplmn: MCC-MNC list, at most %u", MI_MAX_OPLMN);
			goto fail;
		}
		for (i = 0; i < n; i++) /* AcT: UTRAN, E-UTRAN, GSM (TS 31.102 §4.2.5) */
			(void)mi_plmnwact_encode(&pl[i], 0xC080, rec[found].oplmn[i], 5);
		/* a shorter list keeps the record's length with empty entries
		 * (FFFFFF, AcT 0000: TS 31.102 §4.2.5), so no later slot moves */
		for (; i < rec[found].n_oplmn; i++) {
			memset(rec[found].oplmn[i], 0xFF, 3);
			memset(rec[found].oplmn[i] + 3, 0x00, 2);
		}
		if (n > rec[found].n_oplmn)
			rec[found].n_oplmn = (uint8_t)n;
	}
	if (fplmn) {
		int n = plmn_list(fplmn, pl, MI_MAX_FPLMN);

		if (n < 0) {
			snprintf(err, err_len, "--fplmn: MCC-MNC list, at most %u", MI_MAX_FPLMN);
			goto fail;
		}
		for (i = 0; i < n; i++)
			(void)mi_plmn_encode(&pl[i], rec[found].fplmn[i], 3);
		for (; i < rec[found].n_fplmn; i++) /* empty entries, TS 31.102 §4.2.16 */
			memset(rec[found].fplmn[i], 0xFF, 3);
		if (n > rec[found].n_fplmn)
			rec[found].n_fplmn = (uint8_t)n;
	}
	keyset = rec[found].keyset;
	/* the new SLOTS body, then every file sealed with seq + 1 */
	nf[1][MI_EF_HDR_LEN] = (uint8_t)n_rec;
	pos = 1;
	for (i = 0; i < n_rec; i++) {
		len = mi_slot_encode(&rec[i], nf[1] + MI_EF_HDR_LEN + pos,
				     (mi_u16)(MI_EF_SLOTS_SIZE - MI_EF_HDR_LEN - (unsigned)pos));
		if (len < 0)
			goto bad_base;
		pos += len;
	}
	for (kind = 0; kind < 3; kind++) {
		/* the payload: a version-2 file's set id is sealed again after it,
		 * the same in the three files (one set, mi_ef.h) */
		uint16_t body_len = kind == 1 ? (uint16_t)pos : a.hdr[kind].payload_len;
		int n;

		if (kind != 1)
			memcpy(nf[kind] + MI_EF_HDR_LEN, a.file[kind] + MI_EF_HDR_LEN, body_len);
		if (a.hdr[kind].version == MI_EF_VERSION_SET)
			n = mi_ef_seal_set(nf[kind], (mi_u16)sizeof(nf[kind]), kind_type[kind], a.hdr[kind].seq + 1u,
					   body_len, a.hdr[kind].set_id);
		else
			n = mi_ef_seal(nf[kind], (mi_u16)sizeof(nf[kind]), kind_type[kind], a.hdr[kind].seq + 1u,
				       body_len);
		if (n < 0 || add_diff(s, bank_fid[kind][bank], held.file[kind], held.len[kind], nf[kind], (size_t)n)) {
			snprintf(err, err_len, "the slot replacement does not fit");
			goto fail;
		}
	}
	if (keys && keys->k_set && ot_script_keys(s, slot, keyset, keys, err, err_len))
		goto fail;
	rc_set_free(&a);
	rc_set_free(&held);
	return 0;
bad_base:
	snprintf(err, err_len, "%s: SLOTS file does not decode", base_dir);
fail:
	rc_set_free(&a);
	rc_set_free(&held);
	return -1;
}

/* The SELECT in force before APDU i (so a packet can start with it). */
static long select_before(const struct ot_script *s, size_t i)
{
	while (i-- > 0)
		if (s->a[i].b[1] == INS_SELECT)
			return (long)i;
	return -1;
}

/* The script of APDUs [first, first + n) with the SELECT they depend on. */
static int script_bytes(const struct ot_script *s, size_t first, size_t n, enum ota_rfm_format f, uint8_t *out,
			size_t cap, int *secret)
{
	long sel = s->a[first].b[1] == INS_SELECT ? -1 : select_before(s, first);
	size_t i;
	int len = 0;

	*secret = 0;
	if (sel >= 0)
		len = ota_rfm_add(f, out, 0, cap, s->a[sel].b, s->a[sel].len);
	for (i = first; i < first + n && len >= 0; i++) {
		len = ota_rfm_add(f, out, (size_t)len, cap, s->a[i].b, s->a[i].len);
		*secret |= s->a[i].secret;
	}
	return len < 0 ? len : ota_rfm_close(f, out, (size_t)len, cap);
}

int ot_packet_build(const struct ot_script *s, size_t first, size_t n, const struct ot_params *p,
		    const struct ot_keyset *ks, uint64_t cntr, struct ot_packet *out, char *err, size_t err_len)
{
	static const uint8_t scts[7] = {0x62, 0x21, 0x50, 0x00, 0x00, 0x00, 0x00};
	struct ota_split_opt opt = {p->concat_iei, (uint16_t)(cntr & 0xFFFF)};
	uint8_t script[OT_PKT_MAX + 64];
	struct ota_cmd cmd;
	int len, secret, k, i;

	memset(out, 0, sizeof(*out));
	len = script_bytes(s, first, n, p->format, script, sizeof(script), &secret);
	if (len < 0) {
		snprintf(err, err_len, "script too long for one packet");
		return -1;
	}
	if (secret && !(p->spi1 & OTA_SPI1_CIPHER)) {
		snprintf(err, err_len, "the script carries keys: SPI1 must ask for ciphering");
		OPENSSL_cleanse(script, sizeof(script));
		return -1;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.spi1 = p->spi1;
	cmd.spi2 = p->spi2;
	cmd.kic = ks->kic.id;
	cmd.kid = ks->kid.id;
	memcpy(cmd.tar, p->tar, OTA_TAR_LEN);
	for (i = 0; i < (int)OTA_CNTR_LEN; i++)
		cmd.cntr[i] = (uint8_t)(cntr >> (8 * (OTA_CNTR_LEN - 1 - (unsigned)i)));
	cmd.data = script;
	cmd.data_len = (size_t)len;
	len = ota_cmd_build(&cmd, &ks->kic, &ks->kid, out->pkt, sizeof(out->pkt));
	OPENSSL_cleanse(script, sizeof(script));
	if (len < 0) {
		snprintf(err, err_len, "%s", len == OTA_ERR_ALG ? "SPI asks for a key or algorithm the key set lacks"
								: "packet too long");
		return -1;
	}
	out->len = (size_t)len;
	out->cntr = cntr;
	k = ota_split(out->pkt, out->len, &opt, out->ud, out->udl, OT_MAX_SMS_PER_PACKET);
	if (k < 0) {
		snprintf(err, err_len, "packet needs more than %u SMS", OT_MAX_SMS_PER_PACKET);
		return -1;
	}
	out->n_sms = (unsigned)k;
	for (i = 0; i < k; i++) {
		int t = ota_sms_deliver_build(&p->oa, scts, out->ud[i], out->udl[i], out->tpdu[i],
					      sizeof(out->tpdu[i]));
		int e = t < 0 ? t : ota_envelope_build(NULL, out->tpdu[i], (size_t)t, out->env[i], sizeof(out->env[i]));

		if (t < 0 || e < 0) {
			snprintf(err, err_len, "SMS %d does not fit an ENVELOPE", i + 1);
			return -1;
		}
		out->tpdu_len[i] = (size_t)t;
		out->env_len[i] = (size_t)e;
	}
	return 0;
}

int ot_plan(const struct ot_script *s, const struct ot_params *p, const struct ot_keyset *ks,
	    size_t *first_apdu, size_t *n_apdu, unsigned max, char *err, size_t err_len)
{
	static struct ot_packet trial;
	size_t i = 0;
	unsigned np = 0;

	while (i < s->n) {
		size_t n = 1;
		char msg[200];

		if (np >= max) {
			snprintf(err, err_len, "more than %u packets", max);
			return -1;
		}
		if (ot_packet_build(s, i, 1, p, ks, 1, &trial, msg, sizeof(msg))) {
			snprintf(err, err_len, "APDU %zu: %s", i + 1, msg);
			return -1;
		}
		/* grow while the packet still fits in as few SMS as allowed */
		while (i + n < s->n && ot_packet_build(s, i, n + 1, p, ks, 1, &trial, msg, sizeof(msg)) == 0)
			n++;
		first_apdu[np] = i;
		n_apdu[np] = n;
		np++;
		i += n;
	}
	return (int)np;
}
