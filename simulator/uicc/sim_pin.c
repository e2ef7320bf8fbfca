/* SPDX-License-Identifier: Apache-2.0 */
/* PIN commands (TS 102 221 §11.1.9 - §11.1.13) with retry counters. */
#include <string.h>

#include "sim_cmd.h"

#define PIN_LEN 8u

/* A PIN is 4..8 ASCII digits padded with FF (§9.5.1). */
static int pin_format_ok(const uint8_t *p)
{
	unsigned i, digits = 0;

	for (i = 0; i < PIN_LEN; i++) {
		if (p[i] >= '0' && p[i] <= '9' && digits == i)
			digits++;
		else if (p[i] != 0xFF)
			return 0;
	}
	return digits >= 4;
}

/* No data: case 1, or T=0's P3 = 00 (parsed as Le = 256) (TS 102 221 §11.1.9). */
static int no_data(const struct mi_apdu *a)
{
	return a->apdu_case == MI_APDU_CASE_1 || (a->apdu_case == MI_APDU_CASE_2 && a->le == 256);
}

static uint16_t tries_sw(uint8_t tries)
{
	return tries ? (uint16_t)(MI_SW_VERIFY_FAIL | tries) : MI_SW_BLOCKED;
}

/* Common checks: P1, key reference, data length. */
static struct sim_pin *pin_args(struct sim_card *c, const struct mi_apdu *a, uint8_t p1,
				uint16_t lc_ok, struct sim_rsp *r)
{
	struct sim_pin *p;

	if (a->p1 != p1) {
		r->sw = MI_SW_BAD_P1P2;
		return NULL;
	}
	p = sim_pin_find(c, a->p2);
	if (!p) {
		r->sw = MI_SW_REF_NOT_FOUND;
		return NULL;
	}
	if (a->lc != lc_ok || a->apdu_case == MI_APDU_CASE_2 || a->apdu_case == MI_APDU_CASE_4) {
		r->sw = MI_SW_WRONG_LENGTH;
		return NULL;
	}
	return p;
}

/* Compare, count down on failure, reset the counter on success. */
static int check_value(struct sim_pin *p, const uint8_t *v, struct sim_rsp *r)
{
	if (p->tries == 0) {
		r->sw = MI_SW_BLOCKED;
		return 0;
	}
	if (memcmp(p->value, v, PIN_LEN) != 0) {
		p->tries--;
		p->verified = 0;
		r->sw = tries_sw(p->tries);
		return 0;
	}
	p->tries = p->max_tries;
	return 1;
}

void sim_cmd_verify(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	struct sim_pin *p;

	(void)ch;
	if (no_data(a)) {
		/* no data: the retry counter (§11.1.9) */
		if (a->p1 != 0) {
			r->sw = MI_SW_BAD_P1P2;
			return;
		}
		p = sim_pin_find(c, a->p2);
		if (!p)
			r->sw = MI_SW_REF_NOT_FOUND;
		else if (p->tries == 0)
			r->sw = MI_SW_BLOCKED;
		else if (p->verified || !p->enabled)
			r->sw = MI_SW_OK;
		else
			r->sw = tries_sw(p->tries);
		return;
	}
	p = pin_args(c, a, 0x00, PIN_LEN, r);
	if (!p || !check_value(p, a->data, r))
		return;
	p->verified = 1;
	r->sw = MI_SW_OK;
}

void sim_cmd_change(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	struct sim_pin *p = pin_args(c, a, 0x00, 2 * PIN_LEN, r);

	(void)ch;
	if (!p)
		return;
	if (!p->enabled) {
		r->sw = MI_SW_INVALIDATED; /* a disabled PIN cannot be changed */
		return;
	}
	if (!pin_format_ok(a->data + PIN_LEN)) {
		r->sw = MI_SW_BAD_DATA;
		return;
	}
	if (!check_value(p, a->data, r))
		return;
	memcpy(p->value, a->data + PIN_LEN, PIN_LEN);
	p->verified = 1;
	r->sw = MI_SW_OK;
}

static void set_enabled(struct sim_card *c, const struct mi_apdu *a, struct sim_rsp *r, uint8_t on)
{
	struct sim_pin *p = pin_args(c, a, 0x00, PIN_LEN, r);

	if (!p)
		return;
	/* only PIN1 and application PINs may be disabled; never an ADM */
	if (p->ref >= 0x0A && p->ref <= 0x0E) {
		r->sw = MI_SW_CONDITIONS;
		return;
	}
	if (p->enabled == on) {
		r->sw = MI_SW_CONDITIONS;
		return;
	}
	if (!check_value(p, a->data, r))
		return;
	p->enabled = on;
	p->verified = on;
	r->sw = MI_SW_OK;
}

void sim_cmd_disable(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	(void)ch;
	set_enabled(c, a, r, 0);
}

void sim_cmd_enable(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	(void)ch;
	set_enabled(c, a, r, 1);
}

void sim_cmd_unblock(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a, struct sim_rsp *r)
{
	struct sim_pin *p;

	(void)ch;
	if (no_data(a)) {
		p = sim_pin_find(c, a->p2);
		if (a->p1 != 0)
			r->sw = MI_SW_BAD_P1P2;
		else if (!p || !p->has_puk)
			r->sw = MI_SW_REF_NOT_FOUND;
		else
			r->sw = tries_sw(p->puk_tries);
		return;
	}
	p = pin_args(c, a, 0x00, 2 * PIN_LEN, r);
	if (!p)
		return;
	if (!p->has_puk) {
		r->sw = MI_SW_REF_NOT_FOUND;
		return;
	}
	if (p->puk_tries == 0) {
		r->sw = MI_SW_BLOCKED;
		return;
	}
	if (!pin_format_ok(a->data + PIN_LEN)) {
		r->sw = MI_SW_BAD_DATA;
		return;
	}
	if (memcmp(p->puk, a->data, PIN_LEN) != 0) {
		p->puk_tries--;
		r->sw = tries_sw(p->puk_tries);
		return;
	}
	p->puk_tries = p->puk_max;
	memcpy(p->value, a->data + PIN_LEN, PIN_LEN);
	p->tries = p->max_tries;
	p->verified = 1;
	r->sw = MI_SW_OK;
}
