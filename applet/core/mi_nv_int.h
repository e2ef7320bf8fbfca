/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_nv_int.h
 *  State and transaction, in mi_nv.c.
 *  Only the units after it in mi_engine_int.h call it.
 */
#ifndef MIMSI_MI_NV_INT_H
#define MIMSI_MI_NV_INT_H

#include "mi_core_int.h"
#include "mi_sw_files_int.h" /* rec of mi_nv_txn: a slot record, MI_SW_LISTS_ONLY */

void mi_nv_code(struct mi_nv *nv, mi_u8 *b, mi_bool encode);
void mi_nv_restore(struct mi_applet *a, mi_bool fresh);
void mi_nv_forget(struct mi_nv *nv);
int mi_nv_save(struct mi_applet *a, const struct mi_nv *nv);
int mi_nv_commit(struct mi_applet *a, const struct mi_nv *nv);
int mi_nv_txn(struct mi_applet *a, const struct mi_nv *nv, mi_u16 rec);

#endif /* MIMSI_MI_NV_INT_H */
