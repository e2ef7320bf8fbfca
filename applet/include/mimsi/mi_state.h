/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_state.h
 *  The applet core's persistent (struct mi_nv) and transient (struct mi_ram)
 *  state. Owned by applet/core; the card OS only allocates them.
 */
#ifndef MIMSI_MI_STATE_H
#define MIMSI_MI_STATE_H

#include "mi_types.h"
#include "mi_config.h"

struct mi_nv {
	mi_u8 active_slot; /* placeholder: the applet engine defines the real fields */
};

struct mi_ram {
	mi_u8 pending_cmd; /* placeholder: the applet engine defines the real fields */
};

#endif /* MIMSI_MI_STATE_H */
