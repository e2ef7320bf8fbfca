/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_port.h
 *  What the applet core needs from a card OS ("core to platform" direction).
 *
 *  A vendor port implements every function below (see applet/port/template
 *  and docs/porting.md). The simulator's port is applet/port/sim.
 *
 *  NV model, like a Java Card transaction: every file write made between
 *  mi_port_txn_begin() and mi_port_txn_commit() becomes visible at once or
 *  not at all, even if power is cut in the middle. Reads inside a transaction
 *  see the writes staged so far. The core opens one transaction at a time
 *  and never nests them (an event may commit two in sequence: its own
 *  decision, then the adoption of a set written while the card ran).
 */
#ifndef MIMSI_MI_PORT_H
#define MIMSI_MI_PORT_H

#include "mi_types.h"

/*! The port's own context; each port defines it. The core only passes it on. */
struct mi_port;

/*! Files the core reads or writes, by role. The port maps each to a path
 *  (mi_ef_file_path() in mi_ef.h gives the standard paths). */
enum mi_file {
	MI_FILE_IMSI = 0,     /*!< ADF.USIM/EF_IMSI 6F07 (TS 31.102 §4.2.2) */
	MI_FILE_AD,           /*!< ADF.USIM/EF_AD 6FAD (§4.2.18) */
	MI_FILE_LOCI,         /*!< ADF.USIM/EF_LOCI 6F7E (§4.2.17) */
	MI_FILE_PSLOCI,       /*!< ADF.USIM/EF_PSLOCI 6F73 (§4.2.23) */
	MI_FILE_EPSLOCI,      /*!< ADF.USIM/EF_EPSLOCI 6FE3 (§4.2.91) */
	MI_FILE_FPLMN,        /*!< ADF.USIM/EF_FPLMN 6F7B (§4.2.16) */
	MI_FILE_OPLMNWACT,    /*!< ADF.USIM/EF_OPLMNwACT 6F61 (§4.2.53) */
	MI_FILE_KEYS,         /*!< ADF.USIM/EF_KEYS 6F08 (§4.2.4) */
	MI_FILE_KEYSPS,       /*!< ADF.USIM/EF_KEYSPS 6F09 (§4.2.5) */
	MI_FILE_CFG_A,        /*!< DF.MIMSI/EF.MI_CFG bank A */
	MI_FILE_CFG_B,        /*!< DF.MIMSI/EF.MI_CFG bank B */
	MI_FILE_SLOTS_A,      /*!< DF.MIMSI/EF.MI_SLOTS bank A */
	MI_FILE_SLOTS_B,      /*!< DF.MIMSI/EF.MI_SLOTS bank B */
	MI_FILE_RULES_A,      /*!< DF.MIMSI/EF.MI_RULES bank A */
	MI_FILE_RULES_B,      /*!< DF.MIMSI/EF.MI_RULES bank B */
	MI_FILE_STATE,        /*!< DF.MIMSI/EF.MI_STATE: the applet's persistent state */
	/* Files of newer profiles, each optional: a card without one is fine */
	MI_FILE_EHPLMN,       /*!< ADF.USIM/EF_EHPLMN 6FD9 (TS 31.102 §4.2.84) */
	MI_FILE_EPSNSC,       /*!< ADF.USIM/EF_EPSNSC 6FE4 (§4.2.92) */
	MI_FILE_5GS3GPPLOCI,  /*!< ADF.USIM/DF_5GS 5FC0/EF_5GS3GPPLOCI 4F01 (§4.4.11.2) */
	MI_FILE_5GSN3GPPLOCI, /*!< DF_5GS/EF_5GSN3GPPLOCI 4F02 (§4.4.11.3) */
	MI_FILE_5GS3GPPNSC,   /*!< DF_5GS/EF_5GS3GPPNSC 4F03 (§4.4.11.4) */
	MI_FILE_5GSN3GPPNSC,  /*!< DF_5GS/EF_5GSN3GPPNSC 4F04 (§4.4.11.5) */
	MI_FILE_5GAUTHKEYS,   /*!< DF_5GS/EF_5GAUTHKEYS 4F05 (§4.4.11.6) */
	MI_FILE_SUCI_CALC,    /*!< DF_5GS/EF_SUCI_Calc_Info 4F07 (§4.4.11.8) */
	MI_FILE_ROUTING_IND,  /*!< DF_5GS/EF_Routing_Indicator 4F0A (§4.4.11.11) */
	MI_FILE_COUNT
};

/*! Read \a len bytes at \a offset of \a file into \a buf.
 *  \returns MI_OK, MI_ERR_NOT_FOUND (no such file), MI_ERR_RANGE (beyond its size). */
int mi_port_file_read(struct mi_port *port, enum mi_file file, mi_u16 offset,
		      mi_u8 *buf, mi_u16 len);

/*! Write \a len bytes at \a offset of \a file; must be inside a transaction.
 *  \returns MI_OK, MI_ERR_NOT_FOUND, MI_ERR_RANGE, MI_ERR_STATE (no transaction), MI_ERR_NV. */
int mi_port_file_write(struct mi_port *port, enum mi_file file, mi_u16 offset,
		       const mi_u8 *buf, mi_u16 len);

/*! \returns the size of \a file in bytes, or a negative mi_err (MI_ERR_NOT_FOUND). */
mi_s32 mi_port_file_size(struct mi_port *port, enum mi_file file);

/*! Open a transaction. \returns MI_OK or MI_ERR_STATE if one is already open. */
int mi_port_txn_begin(struct mi_port *port);
/*! Make every staged write durable at once. \returns MI_OK or MI_ERR_NV. */
int mi_port_txn_commit(struct mi_port *port);
/*! Drop every staged write. */
void mi_port_txn_abort(struct mi_port *port);

/*! Queue a proactive command (BER-TLV `D0 ...`, TS 102 223 §6.6) for the
 *  next FETCH; the card OS answers `91xx` until it is fetched. The core
 *  reuses its buffer after the call: the port copies the bytes.
 *  \returns MI_OK, MI_ERR_BUSY (one is already pending), MI_ERR_CAPACITY. */
int mi_port_proactive_send(struct mi_port *port, const mi_u8 *cmd, mi_u16 len);

/*! Make key set \a keyset (slot's key-set reference) the one AUTHENTICATE
 *  uses; part of the open transaction. \returns MI_OK or MI_ERR_NOT_FOUND. */
int mi_port_keyset_select(struct mi_port *port, mi_u8 keyset);

/*! A broken invariant (never bad input): the card OS logs \a code and
 *  mutes the applet. A port for tests may return: the core then abandons
 *  the event (its transaction is aborted). */
void mi_port_panic(struct mi_port *port, mi_u16 code);

/* ---- toolkit resources: owned by the applet or by the card's framework ----
 * On a plain card the core itself sends SET UP EVENT LIST (TS 102 223
 * §6.6.16) and SET UP MENU (§6.6.7) and numbers its TIMER MANAGEMENT timers
 * 1..4 (§8.37). On a UICC toolkit card (ETSI TS 102 241, 3GPP TS 31.130) the
 * framework owns the event registration (ToolkitRegistry.setEvent), the menu
 * entries (initMenuEntry) and the timers (allocateTimer): the core then asks
 * the port below instead, and TIMER MANAGEMENT and TIMER EXPIRATION use the
 * framework's timer identifiers.
 *
 * MI_PORT_TOOLKIT picks the mode at compile time, so a card image carries
 * one path only (--gc-sections drops the other):
 *   MI_TOOLKIT_APPLET    the core owns them; the four functions below are
 *                        never called (the default: a port need not define them)
 *   MI_TOOLKIT_FRAMEWORK the framework owns them; mi_port_caps is never called
 *   MI_TOOLKIT_RUNTIME   mi_port_caps() says, at every TERMINAL PROFILE and
 *                        event (the simulator and the host tests run both)
 */
#define MI_TOOLKIT_APPLET 0
#define MI_TOOLKIT_FRAMEWORK 1
#define MI_TOOLKIT_RUNTIME 2
#ifndef MI_PORT_TOOLKIT
#define MI_PORT_TOOLKIT MI_TOOLKIT_APPLET
#endif

/*! mi_port_caps() bit: the framework owns events, menu and timers. */
#define MI_PORT_CAP_FW_TOOLKIT 0x01u

/*! \returns MI_PORT_CAP_* bits (MI_TOOLKIT_RUNTIME builds only). */
mi_u8 mi_port_caps(struct mi_port *port);

/*! Register the applet for the \a n events of \a events (event list codes,
 *  TS 102 223 §8.25: 03 location status, 12 network rejection), replacing
 *  any earlier list; the framework sends SET UP EVENT LIST to the terminal
 *  and routes each EVENT DOWNLOAD of these to mi_applet_envelope(). Called
 *  at every TERMINAL PROFILE. \returns MI_OK or MI_ERR_UNSUPPORTED (refused:
 *  the core then works as without the location status event). */
int mi_port_events_register(struct mi_port *port, const mi_u8 *events, mi_u8 n);

/*! Register (or confirm) the applet's one menu entry, \a len bytes of
 *  \a text (SMS default alphabet, TS 102 223 §8.9); the framework sends
 *  SET UP MENU and routes the MENU SELECTION of that entry to
 *  mi_applet_envelope(). Called at every TERMINAL PROFILE when the menu is
 *  on. \returns the item identifier the framework gave (1..255), or a
 *  negative mi_err when refused (the core then offers no menu). */
int mi_port_menu_register(struct mi_port *port, const mi_u8 *text, mi_u8 len);

/*! The framework's timer identifier (1..8, TS 102 223 §8.37) for \a role
 *  (enum mi_timer_id in mi_state.h), allocated at the first call and the
 *  same at every later one. The core asks for every role at each TERMINAL
 *  PROFILE and uses the timers only if it gets them all.
 *  \returns the identifier, or MI_ERR_CAPACITY (no timer left). */
int mi_port_timer_id(struct mi_port *port, mi_u8 role);

#endif /* MIMSI_MI_PORT_H */
