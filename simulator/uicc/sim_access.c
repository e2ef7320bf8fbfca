/* SPDX-License-Identifier: Apache-2.0 */
/* Access rules from EF_ARR (TS 102 221 §9.2.4, ISO/IEC 7816-4 §9.3):
 * expanded format, AM_DO 80 (access mode byte) followed by SC_DOs
 * 90 (always), 97 (never), A4 (key reference CRT), A0 (OR), AF (AND). */
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_tlv.h"
#include "sim_int.h"

#define TAG_AM 0x80u
#define TAG_ALWAYS 0x90u
#define TAG_NEVER 0x97u
#define TAG_CRT 0xA4u
#define TAG_OR 0xA0u
#define TAG_AND 0xAFu
#define TAG_KEYREF 0x83u

struct sim_pin *sim_pin_find(struct sim_card *c, uint8_t ref)
{
	unsigned i;

	for (i = 0; i < c->n_pins; i++)
		if (c->pins[i].ref == ref)
			return &c->pins[i];
	return NULL;
}

/* A key reference is satisfied when verified, or for a disabled PIN
 * (TS 102 221 §9.5.1: a disabled PIN needs no verification). */
static int key_ok(struct sim_card *c, uint8_t ref)
{
	const struct sim_pin *p = sim_pin_find(c, ref);

	/* an RFM script (TS 102 226 §8.2.1.3.2.4) holds the rights of its access
	 * domain: all of them, or one key reference; a VERIFY inside it counts too */
	if (c->rfm_on && (c->rfm_domain == 0x00 || c->rfm_domain == ref))
		return 1;

	if (!p)
		return 0;
	return p->verified || !p->enabled;
}

static int sc_ok(struct sim_card *c, const struct mi_btlv *sc, unsigned depth);

/* Every SC_DO inside \a val: any (OR) or all (AND). */
static int sc_list(struct sim_card *c, const mi_u8 *val, mi_u16 len, int all, unsigned depth)
{
	mi_u16 pos = 0;
	int any = 0;

	while (pos < len) {
		struct mi_btlv t;
		int n = mi_btlv_decode(val + pos, (mi_u16)(len - pos), &t);
		int ok;

		if (n <= 0)
			return 0;
		ok = sc_ok(c, &t, depth + 1);
		if (all && !ok)
			return 0;
		any |= ok;
		pos = (mi_u16)(pos + n);
	}
	return all ? 1 : any;
}

static int sc_ok(struct sim_card *c, const struct mi_btlv *sc, unsigned depth)
{
	struct mi_btlv k;

	if (depth > 3)
		return 0;
	switch (sc->tag) {
	case TAG_ALWAYS:
		return 1;
	case TAG_NEVER:
		return 0;
	case TAG_CRT:
		/* 83 01 <key reference> [95 01 <usage qualifier>] */
		if (mi_btlv_decode(sc->val, sc->len, &k) <= 0 || k.tag != TAG_KEYREF || k.len != 1)
			return 0;
		return key_ok(c, k.val[0]);
	case TAG_OR:
		return sc_list(c, sc->val, sc->len, 0, depth);
	case TAG_AND:
		return sc_list(c, sc->val, sc->len, 1, depth);
	default:
		return 0;
	}
}

static int find_arr(struct sim_card *c, int f)
{
	int df = c->files[f].type == SIM_EF ? c->files[f].parent : f;
	uint16_t fid = c->files[f].arr_fid;

	while (df >= 0) {
		int a = sim_fs_child(c, df, fid);

		if (a >= 0 && c->files[a].structure == SIM_LINEAR)
			return a;
		df = c->files[df].parent;
	}
	return -1;
}

uint16_t sim_access_check(struct sim_card *c, int f, uint8_t am)
{
	int a = find_arr(c, f);
	const struct sim_file *arr;
	const uint8_t *rec;
	mi_u16 pos = 0, len;

	if (a < 0)
		return MI_SW_SECURITY; /* no rule: deny */
	arr = &c->files[a];
	if (c->files[f].arr_rec == 0 || c->files[f].arr_rec > arr->n_rec)
		return MI_SW_SECURITY;
	rec = sim_fs_data(c, a) + (size_t)(c->files[f].arr_rec - 1) * arr->rec_len;
	len = arr->rec_len;
	while (pos < len && rec[pos] != 0xFF) {
		struct mi_btlv am_do, sc;
		int n = mi_btlv_decode(rec + pos, (mi_u16)(len - pos), &am_do);

		if (n <= 0)
			return MI_SW_SECURITY;
		pos = (mi_u16)(pos + n);
		/* the SC_DO that follows this AM_DO */
		n = mi_btlv_decode(rec + pos, (mi_u16)(len - pos), &sc);
		if (n <= 0)
			return MI_SW_SECURITY;
		pos = (mi_u16)(pos + n);
		if (am_do.tag == TAG_AM && am_do.len == 1 && (am_do.val[0] & am))
			return sc_ok(c, &sc, 0) ? MI_SW_OK : MI_SW_SECURITY;
	}
	return MI_SW_SECURITY;
}

int sim_file_secret(struct sim_card *c, int f)
{
	uint8_t saved_on = c->rfm_on, saved_domain = c->rfm_domain;
	int secret;

	/* never readable even with every key: the READ rule is 97 (never) */
	c->rfm_on = 1;
	c->rfm_domain = 0x00;
	secret = sim_access_check(c, f, SIM_AM_READ) != MI_SW_OK;
	c->rfm_on = saved_on;
	c->rfm_domain = saved_domain;
	return secret;
}
