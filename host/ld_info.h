/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_info.h
 *  `info` and `read`: what is on the card, decoded (text or JSON).
 */
#ifndef MIMSI_LD_INFO_H
#define MIMSI_LD_INFO_H

#include <stdio.h>

#include "ld_card.h"

/*! ATR, ICCID, IMSI, EF_DIR applications, applet files, retry counters. */
int ld_info(struct ld_card *c, FILE *out, int json);
/*! Applet EFs and network-selection EFs decoded; with \a dir, the active
 *  set's files are also written there as ef_*.bin and ef_*.hex. */
int ld_read(struct ld_card *c, FILE *out, int json, const char *dir);

#endif /* MIMSI_LD_INFO_H */
