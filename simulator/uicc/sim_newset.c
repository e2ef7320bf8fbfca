/* SPDX-License-Identifier: Apache-2.0 */
/* A new A/B set written into DF.MIMSI while the card runs, byte for byte
 * as remote file management would write it (TS 102 226 UPDATE BINARY into
 * each file): into the banks the applet does not use, seq = active + 1,
 * the body first and the header last (mi_ef.h), one NV write per 255-byte
 * chunk, so a power cut can fall between any two writes. The applet is not
 * told: it notices at its next event (applet/core/mi_adopt.c). */
#include <string.h>

#include "mimsi/mi_ef.h"
#include "sim_int.h"

#define CHUNK 255u /* one short UPDATE BINARY (TS 102 221 §11.1.4) */

static int write_chunks(struct sim_card *c, int f, uint16_t off, const uint8_t *d, uint16_t n)
{
	uint16_t k;

	for (; n; off = (uint16_t)(off + k), d += k, n = (uint16_t)(n - k)) {
		k = n > CHUNK ? CHUNK : n;
		if (sim_nv_write(&c->nv, (unsigned)c->files[f].nv, off, d, k) != 0)
			return SIM_ERR_TORN;
	}
	return SIM_OK;
}

/* The file of kind \a t (0 CFG, 1 SLOTS, 2 RULES) in the bank the applet
 * does not use: its own choice, ram->banks (bit t set: bank B in use). */
static int other_bank(const struct sim_card *c, unsigned t)
{
	static const uint16_t fids[3][2] = {{MI_EF_CFG_A, MI_EF_CFG_B},
					    {MI_EF_SLOTS_A, MI_EF_SLOTS_B},
					    {MI_EF_RULES_A, MI_EF_RULES_B}};
	uint16_t path[2] = {MI_DF_MIMSI, 0};
	unsigned in_use = ((unsigned)c->app_ram.banks >> t) & 1u;

	path[1] = fids[t][in_use ^ 1u];
	return sim_fs_by_path(c, path, 2);
}

int sim_card_write_set(struct sim_card *c, const uint8_t *const file[3], const uint16_t len[3])
{
	uint8_t buf[8192];
	struct mi_ef_header h;
	uint32_t seq;
	int t, f, n, rc;

	if (!c || !file || !len)
		return SIM_ERR_PARAM;
	seq = c->app_ram.set_seq + 1u; /* the set the applet uses, as it chose it */
	for (t = 0; t < 3; t++) { /* check everything before the first write */
		n = mi_ef_check(file[t], len[t], (mi_u8)(t + 1), &h);
		f = other_bank(c, (unsigned)t);
		if (n < 0 || (size_t)n > sizeof(buf) || f < 0 || (size_t)n > sim_fs_size(c, f))
			return SIM_ERR_PARAM;
	}
	for (t = 0; t < 3; t++) {
		n = mi_ef_check(file[t], len[t], (mi_u8)(t + 1), &h);
		memcpy(buf, file[t], (size_t)n);
		if (mi_ef_reseal(buf, (mi_u16)n, seq) != n) /* version and set id kept */
			return SIM_ERR_PARAM;
		f = other_bank(c, (unsigned)t);
		rc = write_chunks(c, f, MI_EF_HDR_LEN, buf + MI_EF_HDR_LEN,
				  (uint16_t)(n - (int)MI_EF_HDR_LEN));
		if (rc == SIM_OK)
			rc = write_chunks(c, f, 0, buf, MI_EF_HDR_LEN); /* the header last */
		if (rc != SIM_OK)
			return rc;
	}
	return SIM_OK;
}
