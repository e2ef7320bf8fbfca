/* SPDX-License-Identifier: Apache-2.0 */
/* Card set-up before a journey, through APDUs only (as a loader would):
 * VERIFY ADM1, read the DF.MIMSI banks, write the journey's compiled rule
 * set (and the naive flag) as a new A/B set (mi_ef.h), read SLOTS back.
 * Which set is active and what to write where is the loader's own code
 * (planner/ld_plan.h: the core's rule mi_set_pick(), the A/B write plan);
 * only the APDUs are here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ld_plan.h"
#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "scenario/sim_setup.h"

static uint16_t rx(struct sim_card *c, const uint8_t *cmd, size_t len, uint8_t *out,
		   size_t *out_len)
{
	uint8_t r[300];
	size_t rl = sizeof(r), cap = *out_len, n;
	uint16_t sw;

	*out_len = 0;
	if (sim_card_transmit(c, cmd, len, r, &rl) != SIM_OK || rl < 2)
		return MI_SW_TECHNICAL;
	sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
	if ((sw & 0xFF00u) == MI_SW_BYTES_AVAILABLE) {
		uint8_t gr[5] = {0x00, 0xC0, 0x00, 0x00, 0};

		gr[4] = (uint8_t)sw;
		rl = sizeof(r);
		if (sim_card_transmit(c, gr, 5, r, &rl) != SIM_OK || rl < 2)
			return MI_SW_TECHNICAL;
		sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
	}
	n = rl - 2 < cap ? rl - 2 : cap;
	memcpy(out, r, n);
	*out_len = n;
	if ((sw & 0xFF00u) == MI_SW_PROACTIVE)
		sw = MI_SW_OK;
	return sw;
}

static uint16_t select_fid(struct sim_card *c, uint16_t fid, int *size)
{
	uint8_t cmd[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0, 0}, r[256];
	size_t rl = sizeof(r), i = 2;
	uint16_t sw;

	cmd[5] = (uint8_t)(fid >> 8);
	cmd[6] = (uint8_t)fid;
	sw = rx(c, cmd, sizeof(cmd), r, &rl);
	*size = -1;
	while (sw == MI_SW_OK && rl > 2 && i + 2 <= rl) {
		if (r[i] == 0x80 && r[i + 1] >= 2 && i + 4 <= rl)
			*size = r[i + 2] << 8 | r[i + 3];
		i += 2u + r[i + 1];
	}
	return sw;
}

/* One bank, whole, into b (as ld_image_read does through a reader). */
static int read_bank(struct sim_card *c, struct ld_bank *b, uint16_t fid)
{
	int off = 0, size;

	memset(b, 0, sizeof(*b));
	b->fid = fid;
	if (select_fid(c, fid, &size) != MI_SW_OK || size <= 0 || size > (int)LD_EF_MAX)
		return 0; /* absent: not a valid bank */
	b->present = 1;
	b->size = (uint32_t)size;
	b->data = malloc((size_t)size);
	if (!b->data)
		return -1;
	while (off < size) {
		uint8_t cmd[5] = {0x00, 0xB0, 0, 0, 0};
		size_t rl = 255;
		int n = size - off > 255 ? 255 : size - off;

		cmd[2] = (uint8_t)(off >> 8);
		cmd[3] = (uint8_t)off;
		cmd[4] = (uint8_t)n;
		if (rx(c, cmd, 5, b->data + off, &rl) != MI_SW_OK || rl != (size_t)n)
			break;
		off += n;
	}
	b->read_len = (uint32_t)off;
	return 0;
}

/* UPDATE BINARY of one planned range (TS 102 221 §11.1.4). */
static int write_update(struct sim_card *c, const struct ld_update *u, uint16_t *selected)
{
	uint8_t cmd[5 + 255] = {0x00, 0xD6}, r[8];
	size_t rl = sizeof(r);
	int size;

	if (*selected != u->fid) {
		if (select_fid(c, u->fid, &size) != MI_SW_OK)
			return -1;
		*selected = u->fid;
	}
	cmd[2] = (uint8_t)(u->off >> 8);
	cmd[3] = (uint8_t)u->off;
	cmd[4] = (uint8_t)u->len;
	memcpy(cmd + 5, u->data, u->len);
	return rx(c, cmd, 5u + u->len, r, &rl) == MI_SW_OK ? 0 : -1;
}

static int decode_slots(const uint8_t *file, int len, struct sim_slot_map *map)
{
	struct mi_ef_header h;
	const uint8_t *b;
	int n, i, off = 1, body;

	if (mi_ef_check(file, (mi_u16)len, MI_EF_TYPE_SLOTS, &h) < 0)
		return -1;
	b = file + MI_EF_HDR_LEN;
	body = h.payload_len; /* the records, before a set id */
	n = body > 0 ? b[0] : 0;
	map->n = 0;
	for (i = 0; i < n && map->n < SIM_SLOTS_MAX; i++) {
		struct mi_slot s;
		int r = mi_slot_decode(b + off, (mi_u16)(body - off), &s);
		struct sim_slot_info *si = &map->slot[map->n];

		if (r <= 0)
			return -1;
		off += r;
		if (mi_imsi_decode(s.imsi, sizeof(s.imsi), si->imsi, sizeof(si->imsi)) < 0)
			return -1;
		si->slot = s.slot;
		si->keyset = s.keyset;
		si->flags = s.flags;
		map->n++;
	}
	return 0;
}

/* The CFG of the set to write with the run mode's flags (one file). */
static int set_mode(struct ld_set *set, int mode)
{
	struct mi_ef_header h;
	struct mi_cfg cfg;
	uint8_t *f = set->file[LD_CFG];

	if (mi_ef_check(f, set->len[LD_CFG], MI_EF_TYPE_CFG, &h) < 0 ||
	    mi_cfg_decode(f + MI_EF_HDR_LEN, h.payload_len, &cfg) < 0)
		return -1;
	if (mode & SIM_SETUP_NAIVE)
		cfg.flags |= MI_CFG_F_NAIVE;
	if (mode & SIM_SETUP_NO_FAILOVER)
		cfg.flags &= (mi_u8)~MI_CFG_F_FAILOVER;
	if (mi_cfg_encode(&cfg, f + MI_EF_HDR_LEN, h.payload_len) < 0)
		return -1;
	return mi_ef_reseal(f, set->len[LD_CFG], h.seq) < 0 ? -1 : 0;
}

/* The active set's files (to write them again with other CFG flags). */
static int set_from_active(const struct ld_image *img, const int which[LD_KINDS],
			   struct ld_set *set)
{
	unsigned k;

	memset(set, 0, sizeof(*set));
	for (k = 0; k < LD_KINDS; k++) {
		const struct ld_bank *b = &img->bank[k][which[k]];
		int n = mi_ef_check(b->data, (mi_u16)b->read_len, ld_kind_type[k], NULL);

		set->file[k] = malloc(n > 0 ? (size_t)n : 1u);
		if (n <= 0 || !set->file[k])
			return -1;
		memcpy(set->file[k], b->data, (size_t)n);
		set->len[k] = (uint16_t)n;
	}
	return 0;
}

int sim_setup_card(struct sim_card *c, const char *rules_dir, int mode, const char *adm,
		   struct sim_slot_map *map, char *err, size_t err_len)
{
	struct ld_image img;
	struct ld_set set;
	struct ld_plan plan;
	uint8_t atr[40], cmd[13] = {0x00, 0x20, 0x00, 0x0A, 0x08}, r[64];
	size_t atr_len = sizeof(atr), rl = sizeof(r), u;
	int which[LD_KINDS], have_active, have_set = 0, rc = -1, t;
	unsigned k, bk;
	uint32_t active;
	uint16_t sw, selected = 0;

	memset(map, 0, sizeof(*map));
	memset(&img, 0, sizeof(img));
	memset(&set, 0, sizeof(set));
	memset(&plan, 0, sizeof(plan));
	if (sim_card_power_on(c, atr, &atr_len) != SIM_OK) {
		snprintf(err, err_len, "card does not power on");
		return -1;
	}
	if (select_fid(c, 0x3F00, &t) != MI_SW_OK) {
		snprintf(err, err_len, "card: SELECT MF failed");
		goto out;
	}
	/* VERIFY ADM1 (key reference 0A, TS 102 221 §9.5.1); the code is never printed */
	memset(cmd + 5, 0xFF, 8);
	memcpy(cmd + 5, adm, strlen(adm) > 8 ? 8 : strlen(adm));
	sw = rx(c, cmd, sizeof(cmd), r, &rl);
	memset(cmd + 5, 0, 8);
	if (sw != MI_SW_OK) {
		snprintf(err, err_len, "card: ADM1 verification failed (SW %04X)", sw);
		goto out;
	}
	if (select_fid(c, MI_DF_MIMSI, &t) != MI_SW_OK) {
		snprintf(err, err_len, "card has no DF.MIMSI (7F4D)");
		goto out;
	}
	img.df_present = 1;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++)
			if (read_bank(c, &img.bank[k][bk], ld_bank_fid[k][bk]) < 0)
				goto out;
	ld_image_eval(&img);
	have_active = ld_image_active(&img, which, &active);
	if (rules_dir && *rules_dir) {
		if (ld_set_load_dir(rules_dir, &set, err, err_len) != LD_OK)
			goto out;
		have_set = 1;
	} else if (have_active && mode) {
		if (set_from_active(&img, which, &set) < 0) {
			snprintf(err, err_len, "card: the active set cannot be read back");
			goto out;
		}
		have_set = 1;
	}
	if (have_set) {
		if (mode && set_mode(&set, mode) < 0) {
			snprintf(err, err_len, "%s: ef_cfg.bin does not decode",
				 rules_dir && *rules_dir ? rules_dir : "card");
			goto out;
		}
		if (ld_plan_make(&img, &set, 255, &plan, err, err_len) != LD_OK)
			goto out;
		for (u = 0; u < plan.n_upd; u++)
			if (write_update(c, &plan.upd[u], &selected) < 0) {
				snprintf(err, err_len, "card: UPDATE BINARY of %04X at %u failed",
					 plan.upd[u].fid, plan.upd[u].off);
				goto out;
			}
		if (decode_slots(set.file[LD_SLOTS], set.len[LD_SLOTS], map) < 0) {
			snprintf(err, err_len, "SLOTS file does not decode");
			goto out;
		}
	} else if (have_active) {
		const struct ld_bank *b = &img.bank[LD_SLOTS][which[LD_SLOTS]];

		decode_slots(b->data, (int)b->read_len, map);
	}
	rc = 0;
out:
	ld_plan_free(&plan);
	ld_set_free(&set);
	ld_image_free(&img);
	sim_card_power_off(c);
	return rc;
}

int sim_setup_write_set(struct sim_card *c, const char *dir, struct sim_slot_map *map, char *err,
			size_t err_len)
{
	struct ld_set set;
	const uint8_t *files[LD_KINDS];
	struct sim_slot_map add;
	int k, i, rc = -1;

	memset(&set, 0, sizeof(set));
	/* the loader's own reading of a compiled set: headers, CRCs, one set id */
	if (ld_set_load_dir(dir, &set, err, err_len) != LD_OK)
		goto out;
	for (k = 0; k < (int)LD_KINDS; k++)
		files[k] = set.file[k];
	if (decode_slots(set.file[LD_SLOTS], set.len[LD_SLOTS], &add) < 0) {
		snprintf(err, err_len, "%s: SLOTS file does not decode", dir);
		goto out;
	}
	if (sim_card_write_set(c, files, set.len) != SIM_OK) {
		snprintf(err, err_len, "%s: not a valid set for this card, or the write was torn",
			 dir);
		goto out;
	}
	for (i = 0; i < add.n; i++) {
		for (k = 0; k < map->n && strcmp(map->slot[k].imsi, add.slot[i].imsi); k++)
			;
		if (k == map->n && map->n < SIM_SLOTS_MAX)
			map->slot[map->n++] = add.slot[i];
	}
	rc = 0;
out:
	ld_set_free(&set);
	return rc;
}

/* The six bank files as the card holds them (no APDU: an observation). */
static int image_peek(const struct sim_card *c, struct ld_image *img)
{
	unsigned k, bk;

	memset(img, 0, sizeof(*img));
	img->df_present = 1;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			struct ld_bank *b = &img->bank[k][bk];
			char path[16];
			int n;

			b->fid = ld_bank_fid[k][bk];
			snprintf(path, sizeof(path), "%04X/%04X", MI_DF_MIMSI, b->fid);
			b->data = malloc(MI_EF_RULES_SIZE); /* the largest of the three */
			if (!b->data)
				return -1;
			n = sim_card_ef_read(c, path, b->data, MI_EF_RULES_SIZE);
			if (n <= 0)
				continue;
			b->present = 1;
			b->size = b->read_len = (uint32_t)n;
		}
	ld_image_eval(img);
	return 0;
}

static int save_set(const struct ld_set *set, const char *dir)
{
	static const char *const name[LD_KINDS] = {"ef_cfg.bin", "ef_slots.bin", "ef_rules.bin"};
	unsigned k;

	for (k = 0; k < LD_KINDS; k++) {
		char path[SIM_SETUP_PATH_MAX + 16];
		FILE *f;
		int ok;

		snprintf(path, sizeof(path), "%s/%s", dir, name[k]);
		f = fopen(path, "wb");
		if (!f)
			return -1;
		ok = fwrite(set->file[k], 1, set->len[k], f) == set->len[k];
		if (fclose(f) != 0 || !ok)
			return -1;
	}
	return 0;
}

int sim_setup_active_set(const struct sim_card *c, struct sim_slot_map *map, int *bank, const char *dir)
{
	struct ld_image img;
	struct ld_set set;
	int which[LD_KINDS], rc = -1;
	uint32_t seq;

	memset(&set, 0, sizeof(set));
	if (image_peek(c, &img) < 0)
		goto out;
	if (!ld_image_active(&img, which, &seq)) {
		rc = 0;
		goto out;
	}
	if (map && decode_slots(img.bank[LD_SLOTS][which[LD_SLOTS]].data,
				(int)img.bank[LD_SLOTS][which[LD_SLOTS]].read_len, map) < 0)
		goto out;
	if (bank)
		*bank = which[LD_SLOTS];
	if (dir && (set_from_active(&img, which, &set) < 0 || save_set(&set, dir) < 0))
		goto out;
	rc = 1;
out:
	ld_set_free(&set);
	ld_image_free(&img);
	return rc;
}

int sim_setup_set_imsis(const char *base, int n, const char (*imsi)[16], unsigned seq_step, const char *dir,
			char *err, size_t err_len)
{
	struct ld_set set;
	struct mi_ef_header h;
	unsigned k;
	int i, rc = -1;

	memset(&set, 0, sizeof(set));
	if (ld_set_load_dir(base, &set, err, err_len) != LD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (imsi[i][0] && ld_set_patch_imsi(&set, (unsigned)i + 1, imsi[i], err, err_len) != LD_OK)
			goto out;
	/* an OTA slot replacement seals every file with seq + 1 */
	for (k = 0; k < LD_KINDS && seq_step; k++)
		if (mi_ef_check(set.file[k], set.len[k], ld_kind_type[k], &h) < 0 ||
		    mi_ef_reseal(set.file[k], set.len[k], h.seq + seq_step) < 0) {
			snprintf(err, err_len, "%s: a file does not reseal", base);
			goto out;
		}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, err_len, "%s: cannot create the directory", dir);
		goto out;
	}
	if (save_set(&set, dir) < 0) {
		snprintf(err, err_len, "%s: cannot write the set", dir);
		goto out;
	}
	rc = 0;
out:
	ld_set_free(&set);
	return rc;
}
