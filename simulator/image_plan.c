/* SPDX-License-Identifier: Apache-2.0 */
#include "image_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_hex.h"
#include "rc.h"
#include "sim_card.h"
#include "mc_json.h"

#define KEYREF_ADM1 0x0Au /* TS 102 221 §9.5.1 */

/* The plan's slot that the card presents first. */
static const struct rc_slot *first_slot(const struct rc_plan *p)
{
	int i;

	for (i = 0; i < p->n_slots; i++)
		if (p->slots[i].home && !p->slots[i].disabled)
			return &p->slots[i];
	for (i = 0; i < p->n_slots; i++)
		if (p->slots[i].bootstrap && !p->slots[i].disabled)
			return &p->slots[i];
	return p->n_slots ? &p->slots[0] : NULL;
}

/* Key file: {"keysets": [{"ref": N, "k": HEX32, "opc": HEX32}]}, the objects
 * of a card image's "keysets" (docs/card-image.md) without SQN. Read with the
 * host tools' JSON kit: every message names the file and the JSON path, never
 * a value (these are K and OPc). */
static int load_keys(struct sim_card *c, const char *path, char *err, size_t err_len)
{
	static const char *const k_root[] = {"keysets", NULL};
	static const char *const k_set[] = {"ref", "k", "opc", NULL};
	static const uint8_t sqn[6];
	struct mc_json j;
	json_t *root, *a, *e;
	size_t i;

	mc_json_init(&j, path, err, err_len);
	root = mc_json_load_file(&j, path);
	if (!root)
		return -1;
	if (mc_json_keys(&j, "$", root, k_root) < 0)
		goto out;
	a = mc_json_get(&j, "$", root, "keysets", 1, NULL);
	if (a && !json_is_array(a))
		mc_json_fail(&j, "$.keysets", "must be an array of {\"ref\", \"k\", \"opc\"}");
	if (mc_json_failed(&j))
		goto out;
	json_array_foreach(a, i, e)
	{
		char sub[MC_JSON_PATH_MAX], at[MC_JSON_PATH_MAX];
		uint8_t k[16], opc[16];
		long ref = 0;

		mc_json_path_index(sub, sizeof(sub), "$.keysets", i);
		if (mc_json_keys(&j, sub, e, k_set) == 0 &&
		    mc_json_int(&j, sub, e, "ref", &ref, 1, 255, 1) > 0 &&
		    mc_json_hex(&j, sub, e, "k", k, 16, 16, NULL, 1) > 0 &&
		    mc_json_hex(&j, sub, e, "opc", opc, 16, 16, NULL, 1) > 0 &&
		    sim_card_set_keyset(c, (uint8_t)ref, k, opc, sqn) != 0) {
			mc_json_path_key(at, sizeof(at), sub, "ref");
			mc_json_fail(&j, at, "the card cannot hold key set %ld", ref);
		}
		memset(k, 0, sizeof(k));
		memset(opc, 0, sizeof(opc));
		if (mc_json_failed(&j))
			break;
	}
out:
	json_decref(root);
	return mc_json_failed(&j) ? -1 : 0;
}

/* ADM1 text: 8 digits as ASCII, or 16 hex digits (TS 102 221 §9.5.1). */
static int parse_adm(char *text, uint8_t out[8])
{
	size_t n = strcspn(text, "\r\n"), i;

	text[n] = '\0';
	if (n == 8) {
		for (i = 0; i < 8; i++)
			if (text[i] < '0' || text[i] > '9')
				return -1;
		memcpy(out, text, 8);
		return 0;
	}
	return n == 16 && mi_hex_decode(text, out, 8) == 8 ? 0 : -1;
}

static int set_adm(struct sim_card *c, const char *adm_file, int *adm_default, char *err,
		   size_t err_len)
{
	char text[64] = "";
	const char *env = getenv("MIMSI_ADM");
	uint8_t adm[8];
	int rc;

	*adm_default = 0;
	if (adm_file) {
		FILE *f = fopen(adm_file, "r");
		if (!f || !fgets(text, sizeof(text), f)) {
			snprintf(err, err_len, "--adm-file %s: cannot read it", adm_file);
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
	} else if (env && *env) {
		snprintf(text, sizeof(text), "%s", env);
	} else {
		*adm_default = 1;
		return 0;
	}
	rc = parse_adm(text, adm);
	memset(text, 0, sizeof(text));
	if (rc < 0 || sim_card_set_pin(c, KEYREF_ADM1, adm) != 0) {
		snprintf(err, err_len, "ADM1 from %s: want 8 digits or 16 hex digits",
			 adm_file ? "--adm-file" : "MIMSI_ADM");
		rc = -1;
	}
	memset(adm, 0, sizeof(adm));
	return rc;
}

/* EF_IMSI of the first slot, and the MNC length in EF_AD byte 4 (TS 31.102
 * §4.2.2, §4.2.18). */
static int set_imsi(struct sim_card *c, const struct rc_slot *s, char *err, size_t err_len)
{
	uint8_t ef[9], ad[4];

	if (mi_imsi_encode(s->imsi, (mi_u16)strlen(s->imsi), ef, sizeof(ef)) != (int)sizeof(ef) ||
	    sim_card_ef_write(c, "7FFF/6F07", ef, sizeof(ef)) != 0 ||
	    sim_card_ef_read(c, "7FFF/6FAD", ad, sizeof(ad)) != (int)sizeof(ad)) {
		snprintf(err, err_len, "slot %d: cannot write its IMSI into EF_IMSI", s->index);
		return -1;
	}
	ad[3] = (uint8_t)((ad[3] & 0xF0u) | (unsigned)s->mnc_len);
	return sim_card_ef_write(c, "7FFF/6FAD", ad, sizeof(ad)) == 0 ? 0 : -1;
}

int sim_image_from_plan(struct sim_card *c, const char *plan_path, const char *keys_file,
			const char *adm_file, int *adm_default, char *err, size_t err_len)
{
	struct rc_plan plan;
	rc_error_t re;
	const struct rc_slot *s;
	const char *keys = keys_file ? keys_file : getenv("MIMSI_KEYS");
	int i, rc = -1;

	rc_err_clear(&re);
	if (rc_plan_load(plan_path, &plan, &re) < 0) {
		snprintf(err, err_len, "%s", re.text);
		return -1;
	}
	s = first_slot(&plan);
	if (!s) {
		snprintf(err, err_len, "%s: no slot", plan_path);
		goto out;
	}
	if (keys && *keys && load_keys(c, keys, err, err_len) < 0)
		goto out;
	for (i = 0; i < plan.n_slots; i++) {
		int ref = plan.slots[i].keyset;

		if (!sim_card_has_keyset(c, (uint8_t)ref)) {
			snprintf(err, err_len,
				 "slot %d uses key set %d, which the card lacks: give its K/OPc in "
				 "--keys FILE (or $MIMSI_KEYS)",
				 plan.slots[i].index, ref);
			goto out;
		}
	}
	if (set_imsi(c, s, err, err_len) < 0 || set_adm(c, adm_file, adm_default, err, err_len) < 0)
		goto out;
	rc = 0;
out:
	rc_plan_free(&plan);
	return rc;
}
