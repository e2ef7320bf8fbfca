/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_engine_int.h
 *  Every private unit header of applet/core, lowest first: for the engine
 *  (mi_engine.c wires them all) and the tests. Each unit file includes the
 *  headers of the units it calls, and no file calls a unit listed after its
 *  own (applet/tests/check_core_graph.sh fails on any cycle of files).
 */
#ifndef MIMSI_MI_ENGINE_INT_H
#define MIMSI_MI_ENGINE_INT_H

/* lowest unit first */
/* clang-format off */
#include "mi_cat_int.h"
#include "mi_softtimer_int.h"
#include "mi_toolkit_int.h"
#include "mi_set_int.h"
#include "mi_choice_int.h"
#include "mi_decide_int.h"
#include "mi_rules_int.h"
#include "mi_sw_files_int.h"
#include "mi_nv_int.h"
#include "mi_switch_int.h"
#include "mi_apply_int.h"
#include "mi_adopt_int.h"
#include "mi_menu_int.h"
/* clang-format on */

#endif /* MIMSI_MI_ENGINE_INT_H */
