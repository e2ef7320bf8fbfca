/* SPDX-License-Identifier: Apache-2.0 */
/* Remote file management (ETSI TS 102 226 §6): the C-APDUs of a script run
 * through the card's own command handlers on a channel of their own that
 * starts in the TAR's DF, with the rights of the TAR's access domain
 * (§8.2.1.3.2.4). PIN states verified inside the script stay inside it.
 * Execution stops at the first command that does not end normally (§6.1). */
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"
#include "sim_cmd.h"
#include "sim_ota.h"

/* The commands TS 102 226 §6.2 lists for RFM on a UICC. */
static int rfm_allowed(uint8_t ins)
{
	static const uint8_t ok[] = {0xA4, 0xB0, 0xB2, 0xD6, 0xDC, 0xA2, 0x32, 0x20, 0x24,
				     0x26, 0x28, 0x2C, 0x04, 0x44, 0xE0, 0xE4, 0xF2};
	return memchr(ok, ins, sizeof(ok)) != NULL;
}

static int normal_end(uint16_t sw)
{
	return sw == MI_SW_OK || (sw >> 8) == 0x61 || (sw >> 8) == 0x9F;
}

int sim_ota_rfm_run(struct sim_card *c, const struct sim_ota_tar *tar, const uint8_t *script,
		    size_t len, struct ota_rfm_resp *resp)
{
	struct sim_channel ch = {1, -1, -1, -1, 0};
	uint8_t verified[sizeof(c->pins) / sizeof(c->pins[0])];
	struct ota_rfm_iter it;
	const uint8_t *apdu;
	size_t alen;
	unsigned i;
	int start, rc, failed = 0;

	start = tar->start == 0x3F00 ? sim_fs_mf(c) : sim_fs_child(c, sim_fs_mf(c), tar->start);
	if (start < 0 || ota_rfm_begin(&it, script, len) != OTA_OK) {
		ota_rfm_resp_init(resp, OTA_RFM_COMPACT);
		ota_rfm_resp_add(resp, NULL, 0, MI_SW_NOT_FOUND);
		return -1;
	}
	ota_rfm_resp_init(resp, it.format);
	ch.df = start;
	if (c->files[start].type == SIM_ADF)
		ch.adf = start;
	for (i = 0; i < c->n_pins; i++)
		verified[i] = c->pins[i].verified;
	c->rfm_on = 1;
	c->rfm_domain = tar->domain;
	while ((rc = ota_rfm_next(&it, &apdu, &alen)) == 1) {
		const struct sim_cmd *k;
		struct mi_apdu a;
		struct sim_rsp r;

		memset(&r, 0, sizeof(r));
		r.sw = MI_SW_OK;
		if (alen > MI_APDU_BUF || mi_apdu_parse(apdu, (mi_u16)alen, &a) != MI_OK)
			r.sw = MI_SW_WRONG_LENGTH;
		else if (!rfm_allowed(a.ins) || !(k = sim_cmd_find(a.cla, a.ins, &r.sw)))
			r.sw = r.sw == MI_SW_OK ? MI_SW_BAD_INS : r.sw;
		else
			k->fn(c, &ch, &a, &r);
		if (ota_rfm_resp_add(resp, r.data, r.len, r.sw) != OTA_OK || !normal_end(r.sw) ||
		    c->nv.torn) {
			failed = 1;
			break;
		}
	}
	if (rc < 0 && !failed) {
		ota_rfm_resp_add(resp, NULL, 0, MI_SW_WRONG_LENGTH); /* a cut C-APDU */
		failed = 1;
	}
	c->rfm_on = 0;
	c->rfm_domain = 0;
	for (i = 0; i < c->n_pins; i++)
		c->pins[i].verified = verified[i];
	return failed ? -1 : 0;
}
