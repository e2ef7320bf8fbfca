/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_set_port.c
 *  The applet's side of the active-set rule (mi_set.h): the banks read
 *  through its port, and the facts of the chosen banks loaded into RAM at
 *  every reset (mi_set_load). Apart from mi_set.c so that host tools can
 *  link the rule without a port.
 */
#include "mi_set_int.h"
#include "mimsi/mi_set.h"

#if defined(__PIC__) || defined(__PIE__)
/* Position-independent builds (host tools) need a GOT entry for the address
 * of an external function, which a card image must not have: local names
 * there. A card build takes the port's functions themselves (no glue). */
static int mi_set_port_read(struct mi_port *p, enum mi_file f, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	return mi_port_file_read(p, f, off, buf, len);
}

static mi_s32 mi_set_port_size(struct mi_port *p, enum mi_file f)
{
	return mi_port_file_size(p, f);
}
#else
#define mi_set_port_read mi_port_file_read
#define mi_set_port_size mi_port_file_size
#endif

static MI_NOINLINE void mi_set_files(struct mi_applet *a, struct mi_files *fs)
{
	fs->read = mi_set_port_read;
	fs->size = mi_set_port_size;
	fs->port = a->port;
	fs->scratch = a->ram->cmd;
}

int mi_file_check(struct mi_applet *a, enum mi_file f, mi_u8 type, struct mi_bank_tag *tag)
{
	struct mi_files fs;
	mi_set_files(a, &fs);
	return mi_files_check(&fs, (mi_u8)f, type, tag);
}

/* "Has a bank changed?": the CRC-32 of the six bank headers' CRC-32 fields
 * (bytes 10..13; each covers its seq too). A writer puts each header last
 * (mi_ef.h), so a new or changed file changes it; reading 4 bytes per bank
 * is cheap enough for every event (mi_adopt.c). Absent files count as
 * nothing. */
mi_u32 mi_set_sig(struct mi_applet *a)
{
	mi_u8 h[4], i;
	mi_u32 sig = 0;

	for (i = 0; i < 6u; i++)
		if (mi_port_file_read(a->port, (enum mi_file)(MI_FILE_CFG_A + i), 10, h, 4) >= 0)
			sig = mi_crc32(sig, h, 4);
	return sig;
}

/* Fills ram->cfg, slots, rules, banks, set_seq, set_sig and mode.
 * \returns MI_OK with a valid set, MI_ERR_NOT_FOUND in safe mode. */
int mi_set_load(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;
	struct mi_files fs;
	struct mi_set_pick p;
	mi_u8 kind, i;
	int rc;

	mi_set_files(a, &fs);
	rc = mi_set_pick(&fs, &p);
	mi_cfg_defaults(&r->cfg);
	r->mode = rc == MI_OK ? MI_MODE_RULES : MI_MODE_SAFE;
	r->set_seq = p.set_seq;
	r->banks = p.banks;
	for (kind = 0; kind < 3u; kind++)
		if (p.use & (1u << kind)) {
			i = (mi_u8)(mi_set_file(a, kind) - MI_FILE_CFG_A);
			(void)mi_set_bank_check(&fs, i, r, &p.tag[i]);
		}
	r->set_sig = mi_set_sig(a);
	return rc;
}

/* ---- the slots of the set in use --------------------------------------- */

/* Bit \a kind of ram->banks: bank B of that kind (mi_set_pick). */
enum mi_file mi_set_file(const struct mi_applet *a, mi_u8 kind)
{
	return (enum mi_file)(MI_FILE_CFG_A + 2u * kind + ((mi_u8)(a->ram->banks >> kind) & 1u));
}

/* Slot \a s is in range (0 is not) and enabled in the set in use. */
mi_bool mi_slot_usable(const struct mi_applet *a, mi_u8 s)
{
	return (mi_bool)((mi_u8)(s - 1u) < MI_MAX_SLOTS && (a->ram->enabled & MI_BIT(s)));
}

/* The slot whose IMSI EF_IMSI holds (install, a lost state, a new set); 0 if none. */
mi_u8 mi_slot_of_imsi(struct mi_applet *a)
{
	enum mi_file slots = mi_set_file(a, MI_KIND_SLOTS);
	mi_u8 cur[9], rec[9], s, k;
	mi_u16 off;

	if (mi_port_file_read(a->port, MI_FILE_IMSI, 0, cur, 9) < 0)
		return 0;
	for (s = 1; s <= MI_MAX_SLOTS; s++) {
		off = a->ram->slot_off[s - 1u];
		if (!off || mi_port_file_read(a->port, slots, (mi_u16)(off + 5u), rec, 9) < 0)
			continue;
		for (k = 0; k < 9u && rec[k] == cur[k]; k++)
			;
		if (k == 9u)
			return s;
	}
	return 0;
}
