/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ef_rule.c
 *  EF.MI_RULES entries (layout in mi_ef.h): the 7-byte preference profile
 *  and the 4-byte rule, plus the rule key.
 */
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MI_PROFILE_NIBBLES 10u /* = MI_MAX_SLOTS pref entries, 5 bytes */
#define MI_PROFILE_OFF_FORBID 5u
#define MI_SLOTS_MASK ((mi_u16)((1u << MI_MAX_SLOTS) - 1u)) /* bits 0..9 */

#define MI_KEY_MCC_SHIFT 12u
#define MI_KEY_EXACT ((mi_u32)1u << 11)
#define MI_KEY_MNC3 ((mi_u32)1u << 10)
#define MI_KEY_MNC_MASK 0x3FFu
#define MI_KEY_MAX 0xFFFFFFUL /* 3 bytes */
#define MI_MCC_MNC_MAX 999u

static MI_NOINLINE mi_u8 mi_nibble(const mi_u8 *buf, mi_u8 k)
{
	mi_u8 b = buf[k >> 1];

	return (mi_u8)((k & 1u) ? (b & 0x0Fu) : (b >> 4));
}

int mi_profile_encode(const struct mi_profile *p, mi_u8 *buf, mi_u16 cap)
{
	mi_u16 seen = 0;
	mi_u8 k, slot;

	if (!p || !buf)
		return MI_ERR_PARAM;
	if (p->n_pref > MI_PROFILE_NIBBLES || (p->forbidden & (mi_u16)~MI_SLOTS_MASK) != 0u)
		return MI_ERR_RANGE;
	for (k = 0; k < p->n_pref; k++) {
		slot = p->pref[k];
		if (slot < 1u || slot > MI_MAX_SLOTS || (seen & (1u << (slot - 1u))) != 0u)
			return MI_ERR_RANGE;
		seen = (mi_u16)(seen | (1u << (slot - 1u)));
	}
	if (cap < MI_PROFILE_LEN)
		return MI_ERR_CAPACITY;
	MI_MEMSET(buf, 0, MI_PROFILE_OFF_FORBID);
	for (k = 0; k < p->n_pref; k++)
		buf[k >> 1] = (mi_u8)(buf[k >> 1] | ((k & 1u) ? p->pref[k] : (p->pref[k] << 4)));
	MI_PUT_U16_BE(buf, MI_PROFILE_OFF_FORBID, p->forbidden);
	return (int)MI_PROFILE_LEN;
}

int mi_profile_decode(const mi_u8 *buf, mi_u16 len, struct mi_profile *p)
{
	struct mi_profile q;
	mi_u16 seen = 0;
	mi_bool ended = MI_FALSE;
	mi_u8 k, slot;

	if (!buf || !p)
		return MI_ERR_PARAM;
	if (len < MI_PROFILE_LEN)
		return MI_ERR_TRUNCATED;
	MI_MEMSET(&q, 0, sizeof(q));
	for (k = 0; k < MI_PROFILE_NIBBLES; k++) {
		slot = mi_nibble(buf, k);
		if (slot == 0u) {
			ended = MI_TRUE;
			continue;
		}
		/* a slot after the 0 terminator, slot 11..15, or a repeat */
		if (ended || slot > MI_MAX_SLOTS || (seen & (1u << (slot - 1u))) != 0u)
			return MI_ERR_RANGE;
		seen = (mi_u16)(seen | (1u << (slot - 1u)));
		q.pref[q.n_pref++] = slot;
	}
	q.forbidden = MI_GET_U16_BE(buf, MI_PROFILE_OFF_FORBID);
	if ((q.forbidden & (mi_u16)~MI_SLOTS_MASK) != 0u)
		return MI_ERR_RANGE;
	*p = q;
	return (int)MI_PROFILE_LEN;
}

mi_u32 mi_rule_key(mi_u16 mcc, mi_u16 mnc, mi_u8 mnc_digits, mi_bool exact)
{
	mi_u32 key = (mi_u32)mcc << MI_KEY_MCC_SHIFT;

	if (!exact)
		return key;
	key |= MI_KEY_EXACT | ((mi_u32)mnc & MI_KEY_MNC_MASK);
	if (mnc_digits == 3u)
		key |= MI_KEY_MNC3;
	return key;
}

/* mcc 0..999; an MCC default has no MNC; a 2-digit MNC is at most 99. */
static int mi_rule_key_check(mi_u32 key)
{
	mi_u32 mcc = key >> MI_KEY_MCC_SHIFT;
	mi_u32 mnc = key & MI_KEY_MNC_MASK;

	if (key > MI_KEY_MAX || mcc > MI_MCC_MNC_MAX)
		return MI_ERR_RANGE;
	if ((key & MI_KEY_EXACT) == 0u)
		return ((key & (MI_KEY_MNC3 | MI_KEY_MNC_MASK)) == 0u) ? MI_OK : MI_ERR_RANGE;
	if (mnc > (((key & MI_KEY_MNC3) != 0u) ? MI_MCC_MNC_MAX : 99u))
		return MI_ERR_RANGE;
	return MI_OK;
}

int mi_rule_encode(const struct mi_rule *r, mi_u8 *buf, mi_u16 cap)
{
	if (!r || !buf)
		return MI_ERR_PARAM;
	if (mi_rule_key_check(r->key) < 0)
		return MI_ERR_RANGE;
	if (cap < MI_RULE_LEN)
		return MI_ERR_CAPACITY;
	buf[0] = (mi_u8)(r->key >> 16);
	buf[1] = (mi_u8)((r->key >> 8) & 0xFFu);
	buf[2] = (mi_u8)(r->key & 0xFFu);
	buf[3] = r->profile;
	return (int)MI_RULE_LEN;
}

int mi_rule_decode(const mi_u8 *buf, mi_u16 len, struct mi_rule *r)
{
	mi_u32 key;

	if (!buf || !r)
		return MI_ERR_PARAM;
	if (len < MI_RULE_LEN)
		return MI_ERR_TRUNCATED;
	key = ((mi_u32)buf[0] << 16) | ((mi_u32)buf[1] << 8) | (mi_u32)buf[2];
	if (mi_rule_key_check(key) < 0)
		return MI_ERR_RANGE;
	r->key = key;
	r->profile = buf[3];
	return (int)MI_RULE_LEN;
}
