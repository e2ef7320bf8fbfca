/* SPDX-License-Identifier: Apache-2.0 */
/*! \file image_plan.h
 *  `mimsi-sim image --plan PLAN`: personalise a card from the plan the rules
 *  compiler reads, so that tariffs -> compiled set -> served card takes three
 *  commands. Secrets never come from the command line: K/OPc from a key
 *  file (--keys FILE or $MIMSI_KEYS), ADM1 from --adm-file FILE or
 *  $MIMSI_ADM.
 */
#ifndef MIMSI_IMAGE_PLAN_H
#define MIMSI_IMAGE_PLAN_H

#include <stddef.h>

struct sim_card;

/*! EF_IMSI (and EF_AD's MNC length) from the plan's home slot (else its
 *  bootstrap slot, else its first), every key set a slot names from
 *  \a keys_file (NULL: $MIMSI_KEYS, else the card's own key sets must cover
 *  them), ADM1 from \a adm_file (NULL: $MIMSI_ADM, else unchanged; then
 *  *adm_default is set). \returns 0, or -1 with the reason in \a err (no
 *  secret quoted). */
int sim_image_from_plan(struct sim_card *c, const char *plan_path, const char *keys_file,
			const char *adm_file, int *adm_default, char *err, size_t err_len);

#endif /* MIMSI_IMAGE_PLAN_H */
