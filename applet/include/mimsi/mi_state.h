/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_state.h
 *  The applet core's persistent (struct mi_nv) and transient (struct mi_ram)
 *  state. Owned by applet/core; the card OS only allocates them and never
 *  reads or writes their fields (docs/applet.md describes their meaning).
 *
 *  struct mi_nv is mirrored in EF.MI_STATE (type 04, body below) and written
 *  only on decisions, in the same transaction as EF_IMSI, so EF_IMSI, the
 *  key set and the state always agree after a power cut.
 *  struct mi_ram is cleared at every reset.
 */
#ifndef MIMSI_MI_STATE_H
#define MIMSI_MI_STATE_H

#include "mi_config.h"
#include "mi_ef.h"
#include "mi_types.h"

/* ---- persistent state ------------------------------------------------
 * EF.MI_STATE body (MI_NV_BODY_LEN bytes): a version byte, then the fields
 * of struct mi_nv in declaration order, each big endian:
 *
 *     0     1         5       7        9        11     12     13    14    15
 *    +-----+---------+-------+--------+--------+------+------+-----+-----+-----+
 *    | ver | set_seq |failed |last_mcc|switches|active|pinned|flags|fo_ct|prev |
 *    | 01  |  (4)    |bitmap |        |        | slot | slot |     |     |slot |
 *    +-----+---------+-------+--------+--------+------+------+-----+-----+-----+
 *
 * Byte 15 was RFU (00) before prev_slot, and flags bits 2..7 were 0: a state
 * written before reads as "no previous slot, no backoff" (same version).
 */
#define MI_NV_VERSION 0x01u
#define MI_NV_BODY_LEN 16u
#define MI_MCC_NONE 0xFFFFu

#define MI_NV_F_UNVERIFIED 0x01u /*!< switched; no normal service seen since */
#define MI_NV_F_DWELL 0x02u	 /*!< minimum dwell after the last switch still running */
#define MI_NV_F_PROBE 0x04u	 /*!< the last switch was optional (a probe), not yet served */
/* flags b5..b4: back-and-forth level; the dwell is min_dwell_s << level */
#define MI_NV_BOUNCE 0x30u
#define MI_NV_BOUNCE_1 0x10u
#define MI_NV_BOUNCE_MAX 0x10u /*!< level 1: 2 x min_dwell_s (6 min by default) */
#define MI_NV_BOUNCE_SHIFT 4u
/* flags b7..b6: rounds of this episode in which every candidate failed; the
 * rotation period is rotation_s << rounds */
#define MI_NV_ROUND 0xC0u
#define MI_NV_ROUND_1 0x40u
#define MI_NV_ROUND_SHIFT 6u /*!< level 3 at most: 8 x rotation_s (24 min by default) */

struct mi_nv {
	mi_u32 set_seq;	   /*!< seq of the CFG/SLOTS/RULES set in use when last saved */
	mi_u16 failed;	   /*!< bit s-1: slot s failed in the current episode of lost service */
	mi_u16 last_mcc;   /*!< MCC of the last normal service; MI_MCC_NONE */
	mi_u16 switches;   /*!< IMSI switches since install (wraps) */
	mi_u8 active_slot; /*!< slot whose IMSI is in EF_IMSI; 0 = unknown (as personalised) */
	mi_u8 pinned_slot; /*!< slot chosen in the menu; 0 = automatic */
	mi_u8 flags;	   /*!< MI_NV_F_*, back-and-forth and round levels */
	mi_u8 fo_count;	   /*!< immediate failovers in the current hour */
	mi_u8 prev_slot;   /*!< slot left by the last automatic switch; 0 = none */
	mi_u8 rfu;	   /*!< not stored: keeps the struct free of padding (16 bytes) */
};

/* ---- transient state -------------------------------------------------- */
/* Soft timers (TS 102 223 §6.4.21 timer identifiers 1..8 when the terminal runs them). */
enum mi_timer_id {
	MI_TIMER_ROTATE = 1, /*!< no normal service for rotation_s: try the next slot */
	MI_TIMER_DWELL = 2,  /*!< dwell after a switch or entering a network */
	MI_TIMER_RETRY = 3,  /*!< REFRESH retry after a 2x result (backoff) */
	MI_TIMER_REEVAL = 4, /*!< re-evaluation / return home */
	MI_TIMER_COUNT = 4
};

/* Capabilities read from the TERMINAL PROFILE (TS 102 223 §5.2). */
#define MI_CAP_REFRESH 0x01u	 /*!< byte 3 b8 */
#define MI_CAP_SELECT_ITEM 0x02u /*!< byte 4 b1 */
#define MI_CAP_SETUP_MENU 0x04u	 /*!< byte 4 b6 (and menu selection byte 1 b4) */
#define MI_CAP_PLI 0x08u	 /*!< byte 4 b7: PROVIDE LOCAL INFO location; used only with the CFG failover flag */
#define MI_CAP_EVENTS 0x10u	 /*!< byte 5 b1 + b5: SET UP EVENT LIST, location status */
#define MI_CAP_TIMER 0x20u	 /*!< byte 8 b1 + byte 1 b6: TIMER MANAGEMENT, expiration */
#define MI_CAP_NET_REJECT 0x40u	 /*!< network rejection event: byte 25 b5 or b7 (TS 31.111 §5.2) */

/* Engine modes chosen at reset from the EF set (docs/applet.md). */
enum mi_mode {
	MI_MODE_RULES = 0, /*!< a valid set: rules-driven (or naive if the CFG says so) */
	MI_MODE_SAFE = 1,  /*!< no valid set: keep the IMSI, rotate bootstrap slots only */
};

#define MI_SERVICE_NORMAL 0x00u /* TS 102 223 §8.27 */
#define MI_SERVICE_LIMITED 0x01u
#define MI_SERVICE_NONE 0x02u
#define MI_SERVICE_UNKNOWN 0xFFu

/*! Room for the largest proactive command the core builds (SELECT ITEM
 *  with 10 slots) and the scratch the switch and the set check use. */
#define MI_CMD_BUF 144u

/* Field order: Thumb-1 (Cortex-M0) loads take a 5-bit immediate scaled by
 * the access size (bytes at offsets 0..31, halfwords 0..62, words 0..124),
 * so the small CFG and the byte fields come first, then the halfwords, then
 * the words, and the large scratch buffer last: each field is one load. */
struct mi_ram {
	struct mi_cfg cfg;   /*!< CFG of the active set (defaults in safe mode) */
	mi_u8 rules_np;	     /*!< profiles */
	mi_u8 rules_global;  /*!< global profile index */
	mi_u8 banks;	     /*!< bit 0/1/2: CFG/SLOTS/RULES come from bank B */
	mi_u8 mode;	     /*!< enum mi_mode */
	mi_u8 service;	     /*!< MI_SERVICE_* (last location status) */
	mi_u8 plmn[3];	     /*!< PLMN of the last normal service (TS 24.008 §10.5.1.13) */
	mi_u8 caps;	     /*!< MI_CAP_* */
	mi_u8 timer_run;     /*!< bit k-1: started in the terminal, expiry not yet seen */
	mi_u8 pend_type;     /*!< type of the command awaiting its TERMINAL RESPONSE; 0 none */
	mi_u8 pend_qual;     /*!< its qualifier */
	mi_u8 pend_timer;    /*!< timer id of a pending TIMER MANAGEMENT */
	mi_u8 refresh_qual;  /*!< REFRESH still owed with this qualifier; 0xFF none */
	mi_u8 refresh_tried; /*!< bit q: qualifier q already refused (3x) */
	mi_u8 fo_armed;	     /*!< fast failover state (MI_FO_* in mi_core_int.h) */
	mi_u16 enabled;	     /*!< bit s-1: slot s present and not disabled */
	mi_u16 bootstrap;    /*!< bit s-1: slot s is a bootstrap slot */
	mi_u16 queue;	     /*!< MI_Q_* (mi_core_int.h): proactive commands still owed */
	mi_u16 rules_nr;     /*!< rule entries */
	mi_u16 backoff_s;    /*!< next REFRESH retry delay */
	mi_u16 slot_off[MI_MAX_SLOTS]; /*!< offset of slot s's record in EF.MI_SLOTS; 0 = absent */
	mi_u32 set_seq;		       /*!< seq of the active set (0 in safe mode) */
	mi_u32 set_sig;		       /*!< bank headers when it was chosen (mi_set_sig) */
	mi_u32 now_s; /*!< applet clock: STATUS polls x poll_s, or timer expiries */
	mi_u32 deadline[MI_TIMER_COUNT]; /*!< per timer: now_s when due; 0 = disarmed */
	mi_u32 fo_window;		 /*!< now_s when the current failover hour began */
	mi_u32 pend_since;		 /*!< now_s when the pending command was sent (watchdog) */
	mi_u8 cmd[MI_CMD_BUF];		 /*!< proactive command being built / scratch */
};

#endif /* MIMSI_MI_STATE_H */
