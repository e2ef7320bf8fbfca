/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_mimsi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"

static int read_bank(struct ld_card *c, struct ld_bank *b, uint16_t fid, uint8_t type,
		     uint16_t want)
{
	struct ld_fcp fcp;
	uint32_t need = MI_EF_HDR_LEN;
	uint16_t sw;
	int rc;

	memset(b, 0, sizeof(*b));
	b->fid = fid;
	rc = ld_select_fid(c, fid, &fcp, &sw);
	if (rc < 0)
		return rc;
	if (sw != MI_SW_OK)
		return LD_OK; /* absent (6A82) or not accessible: not a valid bank */
	b->present = 1;
	b->size = fcp.size;
	if (b->size == 0 || b->size > LD_EF_MAX)
		return LD_OK;
	b->data = malloc(b->size);
	if (!b->data)
		return LD_ERR_IO;
	memset(b->data, 0xFF, b->size);
	/* the header (and what the new file needs) first; the header says how
	 * much more is worth reading */
	if (need < want)
		need = want;
	if (need > b->size)
		need = b->size;
	rc = ld_read_binary(c, 0, b->data, need);
	if (rc == LD_OK && need >= MI_EF_HDR_LEN && b->data[0] == MI_EF_MAGIC0 &&
	    b->data[1] == MI_EF_MAGIC1 &&
	    (b->data[3] == MI_EF_VERSION || b->data[3] == MI_EF_VERSION_SET)) {
		uint32_t more = MI_EF_HDR_LEN + (uint32_t)MI_GET_U16_BE(b->data, 4);
		if (more > b->size)
			more = b->size;
		if (more > need) {
			rc = ld_read_binary(c, need, b->data + need, more - need);
			need = more;
		}
	}
	if (rc == LD_ERR_SW) {
		free(b->data); /* e.g. 6982: PIN1 not verified */
		b->data = NULL;
		return LD_OK;
	}
	if (rc < 0)
		return rc;
	b->read_len = need;
	ld_bank_eval(b, type);
	return LD_OK;
}

int ld_image_read_want(struct ld_card *c, struct ld_image *img, const uint16_t want[LD_KINDS])
{
	static const uint16_t df[1] = {MI_DF_MIMSI};
	uint16_t sw;
	unsigned k, bk;
	int rc;

	memset(img, 0, sizeof(*img));
	rc = ld_select_path(c, df, 1, NULL, &sw);
	if (rc < 0)
		return rc;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++)
			img->bank[k][bk].fid = ld_bank_fid[k][bk];
	img->state.fid = MI_EF_STATE;
	if (sw != MI_SW_OK)
		return LD_OK;
	img->df_present = 1;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			rc = read_bank(c, &img->bank[k][bk], ld_bank_fid[k][bk], ld_kind_type[k],
				       want ? want[k] : 0);
			if (rc < 0)
				return rc;
		}
	rc = read_bank(c, &img->state, MI_EF_STATE, MI_EF_TYPE_STATE, 0);
	ld_image_eval(img); /* the card's own rule on every bank */
	return rc;
}

int ld_image_read(struct ld_card *c, struct ld_image *img)
{
	return ld_image_read_want(c, img, NULL);
}

