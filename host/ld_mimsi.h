/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_mimsi.h
 *  The applet's files on a card (mi_ef.h): reading the six banks through a
 *  card transport. What to make of them (the active set, a compiled set,
 *  the write plan) is in planner/ld_plan.h, shared with the journey runner.
 */
#ifndef MIMSI_LD_MIMSI_H
#define MIMSI_LD_MIMSI_H

#include <stddef.h>
#include <stdint.h>

#include "ld_card.h"
#include "ld_plan.h"

/*! SELECT DF.MIMSI and read every bank (and STATE): each bank's header,
 *  then its body, nothing beyond, then judge them (ld_image_eval). Absent
 *  files are marked, not errors. */
int ld_image_read(struct ld_card *c, struct ld_image *img);
/*! The same, reading at least want[kind] bytes of each bank (the length of
 *  the file about to be written there, for the diff). */
int ld_image_read_want(struct ld_card *c, struct ld_image *img, const uint16_t want[LD_KINDS]);

#endif /* MIMSI_LD_MIMSI_H */
