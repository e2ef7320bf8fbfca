/* SPDX-License-Identifier: Apache-2.0 */
/* INSTALL [for install] parameters: the builder (layouts in ld_instparams.h). */
#include <string.h>

#include "ld_instparams.h"

void ip_spec_mimsi(struct ip_spec *s)
{
	struct ip_needs n;

	ip_needs_mimsi(&n);
	memset(s, 0, sizeof(*s));
	s->access_domain[0] = 0x00; /* full access: EF_IMSI is updated under ADM */
	s->ad_len = 1;
	s->priority = 1;
	s->timers = (uint8_t)n.timers;
	s->menu_text = (uint8_t)n.menu_text;
	s->menu_entries = (uint8_t)n.menu_entries;
	s->menu_pos[0] = 1;
	s->menu_id[0] = (uint8_t)n.menu_id;
	s->services = -1;
	s->volatile_quota = -1;
	s->nv_quota = -1;
}

struct out {
	uint8_t *p;
	size_t n, cap;
	int bad;
};

static void put(struct out *o, const uint8_t *b, size_t n)
{
	if (n == 0)
		return;
	if (o->n + n > o->cap) {
		o->bad = 1;
		return;
	}
	memcpy(o->p + o->n, b, n);
	o->n += n;
}

static void put1(struct out *o, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(o, &b, 1);
}

/* BER length (GP §11.5.2.3.7 fields stay under 256 bytes). */
static void put_len(struct out *o, size_t n)
{
	if (n > 255)
		o->bad = 1;
	if (n >= 0x80)
		put1(o, 0x81);
	put1(o, (unsigned)n);
}

static void put_tlv(struct out *o, unsigned tag, const uint8_t *v, size_t n)
{
	put1(o, tag);
	put_len(o, n);
	put(o, v, n);
}

/* TS 102 226 §8.2.1.3.2.1 ('CA', with access domain) or §8.2.1.3.2.2
 * ('80', without): every field written, services only when given. */
static void toolkit_value(const struct ip_spec *s, int with_ad, struct out *o)
{
	size_t k;

	if (with_ad) {
		put1(o, (unsigned)s->ad_len);
		put(o, s->access_domain, s->ad_len);
	}
	put1(o, s->priority);
	put1(o, s->timers);
	put1(o, s->menu_text);
	put1(o, s->menu_entries);
	if (s->menu_entries > IP_MAX_MENU) {
		o->bad = 1;
		return;
	}
	for (k = 0; k < s->menu_entries; k++) {
		put1(o, s->menu_pos[k]);
		put1(o, s->menu_id[k]);
	}
	put1(o, s->channels);
	put1(o, (unsigned)s->msl_len);
	put(o, s->msl, s->msl_len);
	put1(o, (unsigned)(3 * s->n_tar));
	for (k = 0; k < s->n_tar && k < IP_MAX_TAR; k++)
		put(o, s->tar[k], 3);
	if (s->services >= 0)
		put1(o, (unsigned)s->services);
}

/* One '81' entry: LV AID (empty = UICC file system), LV access domain, LV DAP (none). */
static void access_entry(const struct ip_spec *s, const uint8_t *aid, size_t aid_len, struct out *o)
{
	put1(o, (unsigned)aid_len);
	put(o, aid, aid_len);
	put1(o, (unsigned)s->ad_len);
	put(o, s->access_domain, s->ad_len);
	put1(o, 0);
}

static void quota(struct out *o, unsigned tag, long q)
{
	uint8_t b[4] = {(uint8_t)(q >> 24), (uint8_t)(q >> 16), (uint8_t)(q >> 8), (uint8_t)q};

	if (q < 0)
		return;
	if (q > 0xFFFF)
		put_tlv(o, tag, b, 4);
	else
		put_tlv(o, tag, b + 2, 2);
}

int ip_build(const struct ip_spec *s, int value_only, uint8_t *out, size_t cap)
{
	uint8_t tk[128], sub[256], acc[64];
	struct out t = {tk, 0, sizeof(tk), 0}, e = {sub, 0, sizeof(sub), 0};
	struct out a = {acc, 0, sizeof(acc), 0}, o = {out, 0, cap, 0};

	if (s->ad_len < 1 || s->ad_len > sizeof(s->access_domain) || s->msl_len > sizeof(s->msl) ||
	    s->n_tar > IP_MAX_TAR || s->app_len > sizeof(s->app) || s->usim_aid_len > 16)
		return -1;
	toolkit_value(s, !s->uicc_form, &t);
	if (value_only) {
		put(&o, tk, t.n);
		return t.bad || o.bad ? -1 : (int)o.n;
	}
	put_tlv(&o, 0xC9, s->app, s->app_len);
	/* 'EF' (GP Table 11-49): quotas, and 'CA' in the SIM form */
	quota(&e, 0xC7, s->volatile_quota);
	quota(&e, 0xC8, s->nv_quota);
	if (!s->uicc_form)
		put_tlv(&e, 0xCA, tk, t.n);
	if (e.n)
		put_tlv(&o, 0xEF, sub, e.n);
	if (s->uicc_form) {
		/* 'EA' (TS 102 226 §8.2.1.3.2.2): '80' toolkit, '81' file access */
		e.n = 0;
		put_tlv(&e, 0x80, tk, t.n);
		access_entry(s, NULL, 0, &a);
		if (s->usim_aid_len)
			access_entry(s, s->usim_aid, s->usim_aid_len, &a);
		put_tlv(&e, 0x81, acc, a.n);
		put_tlv(&o, 0xEA, sub, e.n);
	}
	return t.bad || e.bad || a.bad || o.bad ? -1 : (int)o.n;
}
