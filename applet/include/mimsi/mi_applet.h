/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_applet.h
 *  What the applet core offers to a card OS ("platform to core" direction):
 *  event entry points, in the style of a Java Card toolkit applet's
 *  processToolkit(). Events in, actions out: file updates go through the
 *  port inside one transaction per event, proactive commands through
 *  mi_port_proactive_send().
 *
 *  State lives in two caller-allocated structs: struct mi_nv (persistent,
 *  mirrored in EF.MI_STATE) and struct mi_ram (transient, cleared at each
 *  reset). Their definitions are below so that a card OS can place them.
 */
#ifndef MIMSI_MI_APPLET_H
#define MIMSI_MI_APPLET_H

#include "mi_types.h"
#include "mi_config.h"
#include "mi_ef.h"
#include "mi_port.h"

struct mi_nv;  /* defined by the applet core below (persistent state) */
struct mi_ram; /* defined by the applet core below (transient state) */

/* The structs are defined in mi_state.h so their sizes are known here. */
#include "mi_state.h"

struct mi_applet {
	struct mi_port *port;
	struct mi_nv *nv;
	struct mi_ram *ram;
};

/*! First installation on a card: initialise the persistent state. */
int mi_applet_install(struct mi_applet *a);
/*! Card reset / power-up: clear transient state, load the active set. */
int mi_applet_reset(struct mi_applet *a);
/*! TERMINAL PROFILE (TS 102 223 §5.2) received by the card OS. */
int mi_applet_terminal_profile(struct mi_applet *a, const mi_u8 *tp, mi_u16 len);
/*! ENVELOPE data (BER-TLV D3 menu, D6 event download, D7 timer expiration).
 *  \returns MI_OK, MI_ERR_BUSY (card OS answers 9300), or a negative mi_err
 *  for malformed data (no state change; the card OS answers 6F00 / 6A80). */
int mi_applet_envelope(struct mi_applet *a, const mi_u8 *env, mi_u16 len);
/*! TERMINAL RESPONSE data (TS 102 223 §6.8). */
int mi_applet_terminal_response(struct mi_applet *a, const mi_u8 *tr, mi_u16 len);
/*! STATUS poll (TS 102 221 §11.1.2): the clock when TIMER MANAGEMENT is absent. */
int mi_applet_status(struct mi_applet *a);

#endif /* MIMSI_MI_APPLET_H */
