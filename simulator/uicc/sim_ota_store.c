/* SPDX-License-Identifier: Apache-2.0 */
/* The card OS's OTA data as files of DF.OTA: key sets by key version
 * (TS 102 225 §5.1.2: the high nibble of KIc/KID), one counter per key
 * version, and the TAR table with each application's minimum security
 * level and RFM access domain (TS 102 226 §8.2.1.3.2.4). */
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_hex.h"
#include "sim_ota.h"

static int ef(struct sim_card *c, uint16_t fid)
{
	int df = sim_fs_child(c, sim_fs_mf(c), SIM_FID_DF_OTA);

	return df < 0 ? -1 : sim_fs_child(c, df, fid);
}

int sim_ota_tar_find(struct sim_card *c, const uint8_t tar[OTA_TAR_LEN], struct sim_ota_tar *out)
{
	int f = ef(c, SIM_FID_OTA_TAR);
	unsigned i;

	if (f < 0 || c->files[f].rec_len < SIM_OTA_TAR_REC)
		return -1;
	for (i = 0; i < c->files[f].n_rec; i++) {
		const uint8_t *r = sim_fs_data(c, f) + (size_t)i * c->files[f].rec_len;

		if (memcmp(r, tar, OTA_TAR_LEN) != 0)
			continue;
		memcpy(out->tar, r, OTA_TAR_LEN);
		out->msl = r[3];
		out->domain = r[4];
		out->start = (uint16_t)(r[5] << 8 | r[6]);
		return 0;
	}
	return -1;
}

int sim_ota_key(struct sim_card *c, uint8_t id, int kid, struct ota_key *out)
{
	int f = ef(c, SIM_FID_OTA_KEYS);
	unsigned kvn = id >> 4;
	const uint8_t *r;

	memset(out, 0, sizeof(*out));
	if (f < 0 || kvn == 0 || kvn > c->files[f].n_rec || c->files[f].rec_len < SIM_OTA_KEY_REC)
		return -1;
	r = sim_fs_data(c, f) + (size_t)(kvn - 1) * c->files[f].rec_len + (kid ? 34u : 0u);
	if (r[0] != (id & 0x0Fu) || r[1] == 0 || r[1] > OTA_KEY_MAX)
		return -1;
	out->id = id;
	out->len = r[1];
	memcpy(out->key, r + 2, r[1]);
	return 0;
}

int sim_ota_cntr_get(struct sim_card *c, unsigned kvn, uint8_t out[OTA_CNTR_LEN])
{
	int f = ef(c, SIM_FID_OTA_CNTR);

	if (f < 0 || kvn == 0 || kvn * OTA_CNTR_LEN > sim_fs_size(c, f))
		return -1;
	memcpy(out, sim_fs_data(c, f) + (kvn - 1) * OTA_CNTR_LEN, OTA_CNTR_LEN);
	return 0;
}

int sim_ota_cntr_put(struct sim_card *c, unsigned kvn, const uint8_t v[OTA_CNTR_LEN])
{
	int f = ef(c, SIM_FID_OTA_CNTR);

	if (f < 0 || kvn == 0 || kvn * OTA_CNTR_LEN > sim_fs_size(c, f))
		return -1;
	return sim_nv_write(&c->nv, (unsigned)c->files[f].nv, (uint16_t)((kvn - 1) * OTA_CNTR_LEN), v,
			    OTA_CNTR_LEN);
}

/* Test key sets of the default card (docs/ota.md): never for a real card.
 * Key versions 2 and 3 hold the keys of the published AES and 3DES
 * vectors, so those packets are understood by the simulated card. */
static const struct {
	uint8_t kvn, alg;
	const char *kic, *kid;
} test_keys[] = {
	{1, 0x9, "100102030405060708090A0B0C0D0E0F1011121314151617",
	 "101102030405060708090A0B0C0D0E0F1011121314151617"},
	{2, 0x2, "200102030405060708090A0B0C0D0E0F", "201102030405060708090A0B0C0D0E0F"},
	{3, 0x5, "300102030405060708090A0B0C0D0E0F", "301102030405060708090A0B0C0D0E0F"},
};

/* TS 101 220 Annex D style TARs of the default card; MSL coded as SPI1. */
static const uint8_t test_tars[][SIM_OTA_TAR_REC] = {
	/* UICC RFM from the MF: CC + counter, PIN1-level domain */
	{0xB0, 0x00, 0x10, 0x12, 0x01, 0x3F, 0x00, 0xFF},
	/* USIM RFM from ADF.USIM: CC + ciphering + counter, full domain */
	{0xB0, 0x00, 0x11, 0x16, SIM_OTA_DOMAIN_FULL, 0x7F, 0xF0, 0xFF},
	/* mimsi RFM from DF.MIMSI (rule banks, slot keys): CC + ciphering + counter */
	{0xB0, 0x00, 0x20, 0x16, SIM_OTA_DOMAIN_FULL, 0x7F, 0x4D, 0xFF},
};

int sim_ota_default_content(struct sim_card *c)
{
	int keys = ef(c, SIM_FID_OTA_KEYS), tars = ef(c, SIM_FID_OTA_TAR);
	unsigned i;

	if (keys < 0 || tars < 0)
		return -1;
	for (i = 0; i < sizeof(test_keys) / sizeof(test_keys[0]); i++) {
		uint8_t *r = sim_fs_data(c, keys) + (size_t)(test_keys[i].kvn - 1) * SIM_OTA_KEY_REC;
		size_t lc = strlen(test_keys[i].kic) / 2, ld = strlen(test_keys[i].kid) / 2;

		memset(r, 0, SIM_OTA_KEY_REC);
		r[0] = test_keys[i].alg;
		r[1] = (uint8_t)lc;
		r[34] = test_keys[i].alg;
		r[35] = (uint8_t)ld;
		if (mi_hex_decode(test_keys[i].kic, r + 2, (mi_u16)lc) < 0 ||
		    mi_hex_decode(test_keys[i].kid, r + 36, (mi_u16)ld) < 0)
			return -1;
	}
	for (i = 0; i < sizeof(test_tars) / sizeof(test_tars[0]); i++)
		memcpy(sim_fs_data(c, tars) + (size_t)i * SIM_OTA_TAR_REC, test_tars[i], SIM_OTA_TAR_REC);
	return 0;
}
