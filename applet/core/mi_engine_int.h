/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_engine_int.h
 *  Private interfaces between the engine files of applet/core, one block
 *  per unit in the order they may call each other (docs/applet.md).
 */
#ifndef MIMSI_MI_ENGINE_INT_H
#define MIMSI_MI_ENGINE_INT_H

#include "mimsi/mi_applet.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define MI_BIT(s) ((mi_u16)(1u << ((s)-1u))) /* slot s (1..10) as a bitmap bit */

/* Proactive command types (TS 102 223 §9.4). */
#define MI_CMD_REFRESH 0x01u
#define MI_CMD_EVENT_LIST 0x05u
#define MI_CMD_SELECT_ITEM 0x24u
#define MI_CMD_SETUP_MENU 0x25u
#define MI_CMD_PLI 0x26u
#define MI_CMD_TIMER 0x27u

/* Queue of proactive commands still owed (ram->queue), sent one at a time,
 * lowest bit first: the REFRESH of a switch and the PROVIDE LOCAL INFO of
 * fast failover go before the timers. mi_q_type[] in mi_engine.c maps each
 * bit to its command. */
#define MI_Q_EVENTS 0x0001u
#define MI_Q_REFRESH 0x0002u
#define MI_Q_PLI 0x0004u
#define MI_Q_TIMER(id) ((mi_u16)(0x0008u << ((id)-1u))) /* TIMER MANAGEMENT start, 1..4 */
#define MI_Q_TIMERS 0x0078u
#define MI_Q_MENU 0x0080u
#define MI_Q_SELECT 0x0100u

#define MI_REFRESH_NONE 0xFFu
#define MI_REFRESH_FCN 0x01u /* file change notification (TS 102 223 §8.6) */

/* ram->fo_armed bits (fast failover) */
#define MI_FO_PLI 0x01u	   /* a limited-service report awaits its PROVIDE LOCAL INFORMATION */
#define MI_FO_LOCK 0x02u   /* switched: no immediate switch until the REFRESH is done */
#define MI_ITEM_MENU 0x01u /* the one SET UP MENU item */
#define MI_ITEM_AUTO 0x80u /* SELECT ITEM "Automatic"; slots use their number */
#define MI_BACKOFF_MIN_S 30u
#define MI_BACKOFF_MAX_S 960u
#define MI_CMD_NUMBER 0x01u /* one command at a time: always number 1 */

/* Panic codes passed to mi_port_panic(). */
#define MI_PANIC_SLOT 0x0101u /* a slot chosen by the engine has no record */

/* Simple-TLV tags the engine reads (TS 102 223 §9.3, CR bit masked). */
enum mi_tix {
	MI_T_CMD = 0,	/* 01 command details */
	MI_T_DEV,	/* 02 device identities */
	MI_T_RESULT,	/* 03 result */
	MI_T_ITEM,	/* 10 item identifier */
	MI_T_LOCI,	/* 13 location information */
	MI_T_HELP,	/* 15 help request */
	MI_T_EVENTS,	/* 19 event list */
	MI_T_LSTATUS,	/* 1B location status */
	MI_T_TIMER_ID,	/* 24 timer identifier */
	MI_T_TIMER_VAL, /* 25 timer value */
	MI_T_ACT,	/* 3F access technology */
	MI_T_RAI,	/* 73 routing area identification (TS 31.111 §8.91) */
	MI_T_UPD,	/* 74 update/attach type (§8.92) */
	MI_T_CAUSE,	/* 75 rejection cause code (§8.93) */
	MI_T_TAI,	/* 7D tracking area identification (§8.99) */
	MI_T_COUNT
};

/* Lengths first: Thumb-1 byte loads reach offsets 0..31 only. */
struct mi_tlvs {
	mi_u8 l[MI_T_COUNT];
	const mi_u8 *v[MI_T_COUNT]; /* value of the first TLV with that tag; NULL if absent */
};

/* The units, lowest first: each file calls only units listed above its own
 * (applet/tests/check_core_graph.sh fails on any cycle of files). */

/* mi_cat.c: the COMPREHENSION-TLV scan and the proactive command builder */
int mi_cat_scan(const mi_u8 *buf, mi_u16 len, struct mi_tlvs *t);
int mi_cat_dev_is(const struct mi_tlvs *t, mi_u8 src, mi_u8 dst);
int mi_cat_build(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 timer);

/* mi_softtimer.c: soft timers (RAM only) */
void mi_timer_arm(struct mi_applet *a, mi_u8 id, mi_u32 seconds);
void mi_timer_cancel(struct mi_applet *a, mi_u8 id);
void mi_rotate_arm(struct mi_applet *a);
mi_u32 mi_rotation_s(const struct mi_applet *a);
mi_u32 mi_dwell_s(const struct mi_applet *a);
mi_u32 mi_reeval_s(const struct mi_applet *a);
mi_u32 mi_timer_left(const struct mi_applet *a, mi_u8 id);

/* mi_set.c, mi_set_port.c: the set in use and its slots */
int mi_set_load(struct mi_applet *a);
mi_u32 mi_set_sig(struct mi_applet *a);
int mi_file_check(struct mi_applet *a, enum mi_file f, mi_u8 type, mi_u32 *seq);
mi_u8 mi_slot_of_imsi(struct mi_applet *a);
mi_bool mi_slot_usable(const struct mi_applet *a, mi_u8 s);

/* mi_rules.c: the rules and profiles of the set in use */
int mi_rule_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_rule *r);
int mi_profile_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_profile *p);
int mi_rules_lookup(struct mi_applet *a, const mi_u8 plmn[3], struct mi_profile *p);
int mi_rules_profile_mcc(struct mi_applet *a, mi_u16 mcc, struct mi_profile *p);
mi_u8 mi_rules_best(const struct mi_applet *a, const struct mi_profile *p, mi_u16 skip);
mi_u8 mi_rules_next(struct mi_applet *a, const struct mi_nv *nv, mi_u16 skip);
int mi_rules_rank(const struct mi_profile *p, mi_u8 slot);

/* mi_sw_files.c: the USIM files of a switch (port calls only) */
#define MI_SW_LISTS_ONLY 0x8000u /* in rec: the slot's network-selection lists only */
int mi_sw_files(struct mi_applet *a, mi_u16 rec);

/* mi_nv.c: state and transaction */
void mi_nv_code(struct mi_nv *nv, mi_u8 *b, mi_bool encode);
void mi_nv_restore(struct mi_applet *a, mi_bool fresh);
void mi_nv_forget(struct mi_nv *nv);
int mi_nv_save(struct mi_applet *a, const struct mi_nv *nv);
int mi_nv_commit(struct mi_applet *a, const struct mi_nv *nv);
int mi_nv_txn(struct mi_applet *a, const struct mi_nv *nv, mi_u16 rec);

/* mi_switch.c: the switch and its REFRESH */
int mi_switch(struct mi_applet *a, mi_u8 slot, struct mi_nv *nv);
void mi_refresh_next(struct mi_applet *a);
void mi_refresh_result(struct mi_applet *a, mi_u8 result);

/* mi_decide.c: the decisions */
int mi_evaluate(struct mi_applet *a, struct mi_nv *nv);
int mi_location(struct mi_applet *a, mi_u8 status, const mi_u8 *plmn, mi_u16 mcc);
int mi_pli_limited(struct mi_applet *a, const mi_u8 *plmn, mi_u16 mcc);
int mi_rejected(struct mi_applet *a, mi_u16 mcc, mi_u8 cause);
int mi_timer_fire(struct mi_applet *a, mi_u8 id);

/* mi_adopt.c: a set written while the card runs */
int mi_adopt(struct mi_applet *a);

/* mi_menu.c: the manual choice */
int mi_menu_selection(struct mi_applet *a, const struct mi_tlvs *t);
int mi_menu_item(struct mi_applet *a, const struct mi_tlvs *t);
int mi_menu_choose(struct mi_applet *a, mi_u8 item);

#endif /* MIMSI_MI_ENGINE_INT_H */
