/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_write.h
 *  Writing a compiled set onto a card, safely: ADM retry guard,
 *  CREATE FILE when asked, A/B planned write, read-back and activation check.
 */
#ifndef MIMSI_LD_WRITE_H
#define MIMSI_LD_WRITE_H

#include <stdio.h>

#include "ld_card.h"
#include "ld_mimsi.h"

struct ld_write_opts {
	const uint8_t *adm;  /*!< 8-byte ADM1 value (never printed), or NULL */
	int force;           /*!< allow VERIFY with 1 try left (never with 0) */
	int create;          /*!< CREATE FILE the DF/EFs that are absent */
	uint16_t arr_fid;    /*!< EF_ARR referenced by created files (8B) */
	uint8_t arr_rec_ef;  /*!< its record for the EFs */
	uint8_t arr_rec_df;  /*!< its record for the DF */
};

struct ld_write_result {
	int tries_before;        /*!< ADM tries left before (LD_TRIES_NOT_NEEDED: none asked) */
	int tries_after;         /*!< after a failed VERIFY (-1 when not applicable) */
	int identical;           /*!< nothing to write: 0 UPDATE commands */
	int has_old;
	uint32_t old_seq, new_seq;
	size_t n_update, bytes;
	unsigned long n_create;
	unsigned long apdus;     /*!< every APDU of the operation */
	int verified;            /*!< read-back equal and the new set is the active one */
};

void ld_write_opts_default(struct ld_write_opts *o);
/*! Power must be on. \returns LD_OK, or LD_ERR_REFUSED (guard, wrong ADM:
 *  see result tries), LD_ERR_VERIFY, LD_ERR_REMOVED, ... with \a err set. */
int ld_write_set(struct ld_card *c, const struct ld_set *set, const struct ld_write_opts *o,
		 struct ld_write_result *r, char *err, size_t err_len);

/*! Read EF_ICCID (2FE2) as digits. */
int ld_read_iccid(struct ld_card *c, char *out, size_t cap);

#endif /* MIMSI_LD_WRITE_H */
