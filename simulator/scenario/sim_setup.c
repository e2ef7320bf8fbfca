/* SPDX-License-Identifier: Apache-2.0 */
/* Card set-up before a journey, through APDUs only (as a loader would):
 * VERIFY ADM1, read the DF.MIMSI banks, write the journey's compiled rule
 * set (and the naive flag) as a new A/B set (mi_ef.h), read SLOTS back. */
#include <stdio.h>
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "scenario/sim_setup.h"

#define FILE_MAX 8192

struct bank {
	uint16_t fid;
	int size;
	int len; /* valid file length, 0 if invalid */
	uint32_t seq;
	uint8_t data[FILE_MAX];
};

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

static int read_file(struct sim_card *c, struct bank *b)
{
	int off = 0;

	if (select_fid(c, b->fid, &b->size) != MI_SW_OK || b->size <= 0 || b->size > FILE_MAX)
		return -1;
	while (off < b->size) {
		uint8_t cmd[5] = {0x00, 0xB0, 0, 0, 0};
		size_t rl = 255;
		int n = b->size - off > 255 ? 255 : b->size - off;

		cmd[2] = (uint8_t)(off >> 8);
		cmd[3] = (uint8_t)off;
		cmd[4] = (uint8_t)n;
		if (rx(c, cmd, 5, b->data + off, &rl) != MI_SW_OK || rl != (size_t)n)
			return -1;
		off += n;
	}
	return 0;
}

static int write_file(struct sim_card *c, uint16_t fid, const uint8_t *data, int len)
{
	int off = 0, size;

	if (select_fid(c, fid, &size) != MI_SW_OK || size < len)
		return -1;
	while (off < len) {
		uint8_t cmd[5 + 255] = {0x00, 0xD6};
		uint8_t r[8];
		size_t rl = sizeof(r);
		int n = len - off > 255 ? 255 : len - off;

		cmd[2] = (uint8_t)(off >> 8);
		cmd[3] = (uint8_t)off;
		cmd[4] = (uint8_t)n;
		memcpy(cmd + 5, data + off, (size_t)n);
		if (rx(c, cmd, 5 + (size_t)n, r, &rl) != MI_SW_OK)
			return -1;
		off += n;
	}
	return 0;
}

static int load_bin(const char *dir, const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (int)n;
}

static int decode_slots(const uint8_t *file, int len, struct sim_slot_map *map)
{
	struct mi_ef_header h;
	const uint8_t *b;
	int n, i, off = 1, body;

	if (mi_ef_check(file, (mi_u16)len, MI_EF_TYPE_SLOTS, &h) < 0)
		return -1;
	b = file + MI_EF_HDR_LEN;
	body = h.body_len;
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

static const char *const type_names[] = {"", "ef_cfg.bin", "ef_slots.bin", "ef_rules.bin"};
static const uint16_t fids[3][2] = {
    {MI_EF_CFG_A, MI_EF_CFG_B}, {MI_EF_SLOTS_A, MI_EF_SLOTS_B}, {MI_EF_RULES_A, MI_EF_RULES_B}};

int sim_setup_card(struct sim_card *c, const char *rules_dir, int mode, const char *adm,
		   struct sim_slot_map *map, char *err, size_t err_len)
{
	static struct bank banks[3][2];
	static uint8_t newf[3][FILE_MAX];
	uint8_t atr[40], cmd[13] = {0x00, 0x20, 0x00, 0x0A, 0x08}, r[64];
	size_t atr_len = sizeof(atr), rl = sizeof(r);
	int t, k, newlen[3] = {0, 0, 0}, active_b[3] = {-1, -1, -1};
	uint32_t active = 0, maxseq = 0;
	int have_active = 0, rc = -1;
	uint16_t sw;

	memset(map, 0, sizeof(*map));
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
	for (t = 0; t < 3; t++) {
		for (k = 0; k < 2; k++) {
			struct bank *b = &banks[t][k];
			struct mi_ef_header h;
			int n;

			memset(b, 0, sizeof(*b));
			b->fid = fids[t][k];
			if (read_file(c, b) < 0)
				continue;
			n = mi_ef_check(b->data, (mi_u16)b->size, (mi_u8)(t + 1), &h);
			if (n > 0) {
				b->len = n;
				b->seq = h.seq;
				if (h.seq > maxseq)
					maxseq = h.seq;
			}
		}
	}
	/* the active set: highest seq that all three files carry (mi_ef.h) */
	for (k = 0; k < 6; k++) {
		uint32_t s = banks[k / 2][k % 2].seq;
		int ok = banks[k / 2][k % 2].len > 0;

		for (t = 0; t < 3 && ok; t++)
			ok = (banks[t][0].len && banks[t][0].seq == s) ||
			     (banks[t][1].len && banks[t][1].seq == s);
		if (ok && (!have_active || s > active)) {
			active = s;
			have_active = 1;
		}
	}
	for (t = 0; t < 3; t++) {
		if (have_active)
			active_b[t] = banks[t][0].len && banks[t][0].seq == active ? 0 : 1;
		if (rules_dir && *rules_dir) {
			newlen[t] = load_bin(rules_dir, type_names[t + 1], newf[t], FILE_MAX);
			if (newlen[t] <= (int)MI_EF_HDR_LEN) {
				snprintf(err, err_len, "%s/%s: missing or empty", rules_dir,
					 type_names[t + 1]);
				goto out;
			}
		} else if (have_active && mode) {
			newlen[t] = banks[t][active_b[t]].len;
			memcpy(newf[t], banks[t][active_b[t]].data, (size_t)newlen[t]);
		}
	}
	if (newlen[0] > 0) {
		struct mi_ef_header h;

		for (t = 0; t < 3; t++) {
			if (mi_ef_check(newf[t], (mi_u16)newlen[t], (mi_u8)(t + 1), &h) < 0) {
				snprintf(err, err_len, "%s: %s is not a valid EF file",
					 rules_dir ? rules_dir : "card", type_names[t + 1]);
				goto out;
			}
			if (t == 0 && mode) {
				struct mi_cfg cfg;

				if (mi_cfg_decode(newf[0] + MI_EF_HDR_LEN, h.body_len, &cfg) < 0)
					goto out;
				if (mode & SIM_SETUP_NAIVE)
					cfg.flags |= MI_CFG_F_NAIVE;
				if (mode & SIM_SETUP_NO_FAILOVER)
					cfg.flags &= (mi_u8)~MI_CFG_F_FAILOVER;
				if (mi_cfg_encode(&cfg, newf[0] + MI_EF_HDR_LEN, h.body_len) < 0)
					goto out;
			}
			if (mi_ef_seal(newf[t], FILE_MAX, (mi_u8)(t + 1), maxseq + 1, h.body_len) <
			    0)
				goto out;
		}
		for (t = 0; t < 3; t++) {
			int bank = active_b[t] == 0 ? 1 : 0;

			if (write_file(c, fids[t][bank], newf[t], newlen[t]) < 0) {
				snprintf(err, err_len, "card: writing %s into %04X failed",
					 type_names[t + 1], fids[t][bank]);
				goto out;
			}
		}
		if (decode_slots(newf[1], newlen[1], map) < 0) {
			snprintf(err, err_len, "SLOTS file does not decode");
			goto out;
		}
	} else if (have_active) {
		decode_slots(banks[1][active_b[1]].data, banks[1][active_b[1]].len, map);
	}
	rc = 0;
out:
	sim_card_power_off(c);
	return rc;
}

int sim_setup_write_set(struct sim_card *c, const char *dir, struct sim_slot_map *map, char *err,
			size_t err_len)
{
	static uint8_t f[3][FILE_MAX];
	const uint8_t *files[3] = {f[0], f[1], f[2]};
	struct sim_slot_map add;
	uint16_t len[3];
	int t, n, i, k;

	for (t = 0; t < 3; t++) {
		n = load_bin(dir, type_names[t + 1], f[t], FILE_MAX);
		if (n <= (int)MI_EF_HDR_LEN) {
			snprintf(err, err_len, "%s/%s: missing or empty", dir, type_names[t + 1]);
			return -1;
		}
		len[t] = (uint16_t)n;
	}
	if (decode_slots(f[1], len[1], &add) < 0) {
		snprintf(err, err_len, "%s: SLOTS file does not decode", dir);
		return -1;
	}
	if (sim_card_write_set(c, files, len) != SIM_OK) {
		snprintf(err, err_len, "%s: not a valid set for this card, or the write was torn",
			 dir);
		return -1;
	}
	for (i = 0; i < add.n; i++) {
		for (k = 0; k < map->n && strcmp(map->slot[k].imsi, add.slot[i].imsi); k++)
			;
		if (k == map->n && map->n < SIM_SLOTS_MAX)
			map->slot[map->n++] = add.slot[i];
	}
	return 0;
}
