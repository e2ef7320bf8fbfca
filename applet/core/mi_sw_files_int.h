/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_sw_files_int.h
 *  The USIM files of a switch, in mi_sw_files.c (port calls only).
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_SW_FILES_INT_H
#define MIMSI_MI_SW_FILES_INT_H

#include "mi_core_int.h"

#define MI_SW_LISTS_ONLY 0x8000u /* in rec: the slot's network-selection lists only */
int mi_sw_files(struct mi_applet *a, mi_u16 rec);

#endif /* MIMSI_MI_SW_FILES_INT_H */
