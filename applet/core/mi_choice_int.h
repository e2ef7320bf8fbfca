/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_choice_int.h
 *  The choice of a slot from a rules profile, in mi_choice.c: pure
 *  functions of the profile and the facts of the set in RAM (no port call).
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_CHOICE_INT_H
#define MIMSI_MI_CHOICE_INT_H

#include "mi_core_int.h"

mi_u8 mi_choice_best(const struct mi_ram *r, const struct mi_profile *p, mi_u16 avoid);
mi_bool mi_choice_above(const struct mi_profile *p, mi_u8 s, mi_u8 t);
mi_u8 mi_choice_next(const struct mi_ram *r, const struct mi_profile *country, mi_u8 active,
		     mi_u16 skip);

#endif /* MIMSI_MI_CHOICE_INT_H */
