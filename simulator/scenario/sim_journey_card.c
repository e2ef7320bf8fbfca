/* SPDX-License-Identifier: Apache-2.0 */
/* The card of a journey: image, rule set, PIN, ADM and key sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_json.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_hex.h"
#include "scenario/sim_datapath.h"
#include "scenario/sim_journey_int.h"

/* TS 35.208 test sets 1..3: the default card's key sets (shared data). */
static const struct {
	const char *k, *opc;
} ts35208[3] = {
    {"465b5ce8b199b49faa5f0a2ee238a6bc", "cd63cb71954a9f4e48a5994e37a02baf"},
    {"0396eb317b6d1c36f19c1c84cd6ffd16", "53c15671c60a4b731c55b4a441c0bde2"},
    {"fec86ba6eb707ed08905757b1bb44b8f", "1006020f0a478bf6b699f15c062e42b3"},
};

static void hex16(const char *h, uint8_t out[16])
{
	(void)mi_hex_decode(h, out, 16); /* constants above: always 32 hex digits */
}

int sim_journey_card(struct mc_json *p, const char *path, json_t *o, struct sim_journey *j)
{
	static const char *const keys[] = {"image", "rules", "pin", "adm", "keysets", NULL};
	static const char *const kkeys[] = {"ref", "k", "opc", NULL};
	json_t *ks, *v;
	const char *s;
	size_t i, n;
	char sp[160];

	if (mc_json_keys(p, path, o, keys) < 0)
		return -1;
	s = mc_json_str(p, path, o, "image", sizeof(j->image), 0);
	j->image[0] = '\0';
	if (s && strcmp(s, "default") && sim_data_path(p->file, s, j->image, sizeof(j->image)) < 0)
		return mc_json_fail(p, path, "image \"%s\" not found", s);
	s = mc_json_str(p, path, o, "rules", sizeof(j->rules), 0);
	j->rules[0] = '\0';
	if (s && *s && sim_data_path(p->file, s, j->rules, sizeof(j->rules)) < 0)
		return mc_json_fail(p, path, "rules \"%s\" not found", s);
	s = mc_json_str(p, path, o, "pin", sizeof(j->pin), 0);
	snprintf(j->pin, sizeof(j->pin), "%s", s ? s : "");
	s = mc_json_str(p, path, o, "adm", sizeof(j->adm), 0);
	snprintf(j->adm, sizeof(j->adm), "%s", s ? s : "12345678");
	if (mc_json_failed(p))
		return -1;
	j->n_keysets = 3;
	for (i = 0; i < 3; i++) {
		j->keysets[i].ref = (int)i + 1;
		hex16(ts35208[i].k, j->keysets[i].k);
		hex16(ts35208[i].opc, j->keysets[i].opc);
	}
	ks = json_object_get(o, "keysets");
	if (!ks)
		return 0;
	mc_json_path_key(sp, sizeof(sp), path, "keysets");
	if (!json_is_array(ks))
		return mc_json_fail(p, sp, "expected an array");
	json_array_foreach(ks, i, v)
	{
		struct sim_keyset_def *d;
		char ip[160];
		long l;
		int k;

		mc_json_path_index(ip, sizeof(ip), sp, i);
		if (mc_json_keys(p, ip, v, kkeys) < 0)
			return -1;
		if (mc_json_int(p, ip, v, "ref", &l, 1, SIM_KEYSETS_MAX, 1) < 0)
			return -1;
		for (k = 0; k < j->n_keysets && j->keysets[k].ref != (int)l; k++)
			;
		if (k == j->n_keysets)
			j->n_keysets++; /* refs are 1..SIM_KEYSETS_MAX, so this never overflows */
		d = &j->keysets[k];
		d->ref = (int)l;
		d->custom = 1;
		if (mc_json_hex(p, ip, v, "k", d->k, 16, 16, &n, 1) < 0 ||
		    mc_json_hex(p, ip, v, "opc", d->opc, 16, 16, &n, 1) < 0)
			return mc_json_fail(p, ip, "k and opc must be 16 bytes of hex");
	}
	return 0;
}
