/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ef_cfg.c
 *  EF.MI_CFG body (16 bytes, layout in mi_ef.h): defaults, encode, decode.
 */
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MI_CFG_OFF_ROTATE 0u
#define MI_CFG_OFF_DWELL 2u
#define MI_CFG_OFF_REEVAL 4u
#define MI_CFG_OFF_RFPREF 6u
#define MI_CFG_OFF_RFFB 7u
#define MI_CFG_OFF_FLAGS 8u
#define MI_CFG_OFF_POLL 9u
#define MI_CFG_OFF_FOMAX 10u
#define MI_CFG_OFF_RFFB2 11u
#define MI_CFG_OFF_RFU 13u

#define MI_CFG_NO_FALLBACK 0xFFu

/* The byte fields of struct mi_cfg follow each other as in the body. */
MI_STATIC_ASSERT(cfg_bytes, offsetof(struct mi_cfg, refresh_more) -
				    offsetof(struct mi_cfg, refresh_pref) ==
				MI_CFG_OFF_RFFB2 - MI_CFG_OFF_RFPREF);

/* REFRESH qualifiers that make the ME re-read EF_IMSI (TS 102 223 §8.6):
 * 00 NAA init + full FCN, 02 NAA init + FCN, 03 NAA init, 04 UICC reset. */
static mi_bool mi_cfg_qualifier_ok(mi_u8 q)
{
	return (mi_bool)(q <= 0x04u && q != 0x01u);
}

/* The REFRESH qualifiers of a CFG in the order they are tried. */
static const mi_u8 mi_cfg_rf_off[MI_REFRESH_FALLBACKS + 1u] = {
    offsetof(struct mi_cfg, refresh_pref), offsetof(struct mi_cfg, refresh_fallback),
    offsetof(struct mi_cfg, refresh_more), offsetof(struct mi_cfg, refresh_more) + 1u};

mi_u8 mi_cfg_refresh(const struct mi_cfg *cfg, mi_u8 k)
{
	return k <= MI_REFRESH_FALLBACKS ? ((const mi_u8 *)cfg)[mi_cfg_rf_off[k]] : 0x04u;
}

static int mi_cfg_validate(const struct mi_cfg *cfg)
{
	mi_u8 k, q;

	/* the preference, then FF (none) or a qualifier for each fallback */
	for (k = 0; k <= MI_REFRESH_FALLBACKS; k++) {
		q = mi_cfg_refresh(cfg, k);
		if ((k == 0u || q != MI_CFG_NO_FALLBACK) && !mi_cfg_qualifier_ok(q))
			return MI_ERR_RANGE;
	}
	/* A zero period would make the applet spin or never act. */
	if (cfg->rotation_s == 0 || cfg->reeval_min == 0 || cfg->poll_s == 0)
		return MI_ERR_RANGE;
	return MI_OK;
}

void mi_cfg_defaults(struct mi_cfg *cfg)
{
	cfg->rotation_s = MI_CFG_DEFAULT_ROTATION_S;
	cfg->min_dwell_s = MI_CFG_DEFAULT_DWELL_S;
	cfg->reeval_min = MI_CFG_DEFAULT_REEVAL_MIN;
	cfg->refresh_pref = MI_CFG_DEFAULT_REFRESH_PREF;
	cfg->refresh_fallback = MI_CFG_DEFAULT_REFRESH_FALLBACK;
	cfg->flags = MI_CFG_F_MENU | MI_CFG_F_FAILOVER | MI_CFG_F_RETURN_HOME;
	cfg->poll_s = MI_CFG_DEFAULT_POLL_S;
	cfg->failover_max_per_hour = MI_CFG_DEFAULT_FAILOVER_MAX;
	cfg->refresh_more[0] = MI_CFG_NO_FALLBACK;
	cfg->refresh_more[1] = MI_CFG_NO_FALLBACK;
}

int mi_cfg_encode(const struct mi_cfg *cfg, mi_u8 *body, mi_u16 cap)
{
	int rc;

	if (!cfg || !body)
		return MI_ERR_PARAM;
	rc = mi_cfg_validate(cfg);
	if (rc < 0)
		return rc;
	if (cap < MI_CFG_BODY_LEN)
		return MI_ERR_CAPACITY;
	MI_PUT_U16_BE(body, MI_CFG_OFF_ROTATE, cfg->rotation_s);
	MI_PUT_U16_BE(body, MI_CFG_OFF_DWELL, cfg->min_dwell_s);
	MI_PUT_U16_BE(body, MI_CFG_OFF_REEVAL, cfg->reeval_min);
	body[MI_CFG_OFF_RFPREF] = cfg->refresh_pref;
	body[MI_CFG_OFF_RFFB] = cfg->refresh_fallback;
	body[MI_CFG_OFF_FLAGS] = cfg->flags;
	body[MI_CFG_OFF_POLL] = cfg->poll_s;
	body[MI_CFG_OFF_FOMAX] = cfg->failover_max_per_hour;
	/* rffb2, rffb3 as qualifier + 1: FF (none) is 00, as in the RFU bytes
	 * of a CFG written before them */
	body[MI_CFG_OFF_RFFB2] = (mi_u8)(cfg->refresh_more[0] + 1u);
	body[MI_CFG_OFF_RFFB2 + 1u] = (mi_u8)(cfg->refresh_more[1] + 1u);
	MI_MEMSET(body + MI_CFG_OFF_RFU, 0, MI_CFG_BODY_LEN - MI_CFG_OFF_RFU);
	return (int)MI_CFG_BODY_LEN;
}

int mi_cfg_decode(const mi_u8 *body, mi_u16 len, struct mi_cfg *cfg)
{
	struct mi_cfg c;
	int rc;

	if (!body || !cfg)
		return MI_ERR_PARAM;
	if (len < MI_CFG_BODY_LEN)
		return MI_ERR_TRUNCATED;
	c.rotation_s = MI_GET_U16_BE(body, MI_CFG_OFF_ROTATE);
	c.min_dwell_s = MI_GET_U16_BE(body, MI_CFG_OFF_DWELL);
	c.reeval_min = MI_GET_U16_BE(body, MI_CFG_OFF_REEVAL);
	/* refresh_pref .. refresh_more[]: one byte each, in body order */
	MI_MEMCPY((mi_u8 *)&c + offsetof(struct mi_cfg, refresh_pref), body + MI_CFG_OFF_RFPREF,
		  MI_CFG_OFF_RFU - MI_CFG_OFF_RFPREF);
	c.refresh_more[0]--; /* stored as qualifier + 1 */
	c.refresh_more[1]--;
	/* RFU bytes are ignored on reading, so a later version may use them. */
	rc = mi_cfg_validate(&c);
	if (rc < 0)
		return rc;
	*cfg = c;
	return (int)MI_CFG_BODY_LEN;
}
