/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_set_int.h
 *  The set in use and its slots, in mi_set.c and mi_set_port.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_SET_INT_H
#define MIMSI_MI_SET_INT_H

#include "mi_core_int.h"
#include "mimsi/mi_set.h"

int mi_set_load(struct mi_applet *a);
mi_u32 mi_set_sig(struct mi_applet *a);
int mi_file_check(struct mi_applet *a, enum mi_file f, mi_u8 type, struct mi_bank_tag *tag);
mi_u8 mi_slot_of_imsi(struct mi_applet *a);
mi_bool mi_slot_usable(const struct mi_applet *a, mi_u8 s);
/* The file of \a kind (0 CFG, 1 SLOTS, 2 RULES) in the bank in use. */
enum mi_file mi_set_file(const struct mi_applet *a, mi_u8 kind);
#define MI_KIND_SLOTS 1u
#define MI_KIND_RULES 2u

#endif /* MIMSI_MI_SET_INT_H */
