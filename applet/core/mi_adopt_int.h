/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_adopt_int.h
 *  A set written while the card runs, in mi_adopt.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_ADOPT_INT_H
#define MIMSI_MI_ADOPT_INT_H

#include "mi_core_int.h"

int mi_adopt(struct mi_applet *a);

#endif /* MIMSI_MI_ADOPT_INT_H */
