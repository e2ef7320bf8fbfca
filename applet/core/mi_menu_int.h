/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_menu_int.h
 *  The manual choice, in mi_menu.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_MENU_INT_H
#define MIMSI_MI_MENU_INT_H

#include "mi_cat_int.h"

int mi_menu_selection(struct mi_applet *a, const struct mi_tlvs *t);
int mi_menu_item(struct mi_applet *a, const struct mi_tlvs *t);
int mi_menu_choose(struct mi_applet *a, mi_u8 item);

#endif /* MIMSI_MI_MENU_INT_H */
