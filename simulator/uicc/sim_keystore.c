/* SPDX-License-Identifier: Apache-2.0 */
/* The slot key store: DF.MIMSI/EF.MI_KEYS, record n = K(16) || OPc(16) of
 * key set n (the `keyset` byte of a SLOTS record, mi_ef.h). Written by
 * UPDATE RECORD under ADM or by OTA; never readable (its EF_ARR read rule
 * is "never", so READ RECORD answers 6982). An all-FF record is empty:
 * AUTHENTICATE then uses the key set of the card image. */
#include <string.h>

#include <openssl/crypto.h>

#include "mimsi/mi_ef.h"
#include "sim_int.h"

static int store(const struct sim_card *c)
{
	int df = sim_fs_child(c, sim_fs_mf(c), MI_DF_MIMSI);

	return df < 0 ? -1 : sim_fs_child(c, df, SIM_FID_MI_KEYS);
}

static int written(const uint8_t *rec)
{
	unsigned i;

	for (i = 0; i < SIM_KEYSTORE_REC; i++)
		if (rec[i] != 0xFF)
			return 1;
	return 0;
}

unsigned sim_keystore_refs(const struct sim_card *c)
{
	int f = store(c);
	unsigned n = c->n_keysets;

	if (f >= 0 && c->files[f].n_rec > n)
		n = c->files[f].n_rec;
	return n > SIM_MAX_KEYSETS ? SIM_MAX_KEYSETS : n;
}

struct sim_keyset *sim_keystore_keyset(struct sim_card *c, uint8_t ref)
{
	struct sim_keyset *ks = NULL;
	const uint8_t *rec = NULL;
	int f = store(c);
	unsigned i;

	if (f >= 0 && ref >= 1 && ref <= c->files[f].n_rec && c->files[f].rec_len >= SIM_KEYSTORE_REC) {
		rec = sim_fs_data(c, f) + (size_t)(ref - 1) * c->files[f].rec_len;
		if (!written(rec))
			rec = NULL;
	}
	for (i = 0; i < c->n_keysets; i++)
		if (c->keysets[i].ref == ref)
			ks = &c->keysets[i];
	if (!ks && rec && c->n_keysets < SIM_MAX_KEYSETS) {
		/* a key set known only to the store: SQN_MS starts at 0 */
		ks = &c->keysets[c->n_keysets++];
		memset(ks, 0, sizeof(*ks));
		ks->ref = ref;
	}
	if (ks && rec) {
		memcpy(ks->k, rec, 16);
		memcpy(ks->opc, rec + 16, 16);
	}
	return ks;
}
