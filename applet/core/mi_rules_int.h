/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_rules_int.h
 *  The rules and profiles of the set in use, in mi_rules.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_RULES_INT_H
#define MIMSI_MI_RULES_INT_H

#include "mi_core_int.h"

int mi_rule_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_rule *r);
int mi_profile_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_profile *p);
int mi_rules_lookup(struct mi_applet *a, const mi_u8 plmn[3], struct mi_profile *p);
int mi_rules_profile_mcc(struct mi_applet *a, mi_u16 mcc, struct mi_profile *p);
void mi_rules_country(struct mi_applet *a, mi_u16 mcc, struct mi_profile *p);
mi_u8 mi_rules_next(struct mi_applet *a, const struct mi_nv *nv, mi_u16 skip);

#endif /* MIMSI_MI_RULES_INT_H */
