/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_cat_int.h
 *  The COMPREHENSION-TLV scan and the proactive command builders, in
 *  mi_cat.c: a codec (no applet state, no port call), tested alone against
 *  test-vectors/cat/build.data. Only the units after it in mi_engine_int.h
 *  call it.
 */
#ifndef MIMSI_MI_CAT_INT_H
#define MIMSI_MI_CAT_INT_H

#include "mi_core_int.h"

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

/* Device identities (TS 102 223 §8.7). */
#define MI_DEV_KEYPAD 0x01u
#define MI_DEV_UICC 0x81u
#define MI_DEV_TERMINAL 0x82u

int mi_cat_scan(const mi_u8 *buf, mi_u16 len, struct mi_tlvs *t);
int mi_cat_dev_is(const struct mi_tlvs *t, mi_u8 src, mi_u8 dst);

/* Proactive command builders (TS 102 223 §6.6). A command is built in a
 * buffer of MI_CMD_BUF bytes: mi_cat_head() first, then the TLVs of its
 * type, then mi_cat_close(). Each builder writes at \a p and returns the
 * end; every value it encodes is an argument. The largest command, SELECT
 * ITEM with 10 slots, is 120 bytes. */

/*! Command details (§8.6: \a number, \a type, \a qual) and device
 *  identities (§8.7: UICC to \a dst), after 2 bytes left for D0 len. */
mi_u8 *mi_cat_head(mi_u8 *buf, mi_u8 number, mi_u8 type, mi_u8 qual, mi_u8 dst);
/*! SET UP EVENT LIST (§6.6.16): event list (§8.25), \a n codes (n <= 8). */
mi_u8 *mi_cat_events(mi_u8 *p, const mi_u8 *events, mi_u8 n);
/*! TIMER MANAGEMENT start (§6.6.21): timer identifier \a id (§8.37, 1..8)
 *  and value (§8.38, \a seconds <= MI_TIMER_MAX_S). */
mi_u8 *mi_cat_timer(mi_u8 *p, mi_u8 id, mi_u32 seconds);
/*! REFRESH (§6.6.13) file list (§8.18): the USIM files a switch writes. */
mi_u8 *mi_cat_files(mi_u8 *p);
/*! SET UP MENU (§6.6.7): alpha identifier "mimsi", item \a item "IMSI choice". */
mi_u8 *mi_cat_menu(mi_u8 *p, mi_u8 item);
/*! SELECT ITEM (§6.6.8): "Automatic" (80), then "Slot s" for each bit s-1
 *  of \a slots (1..10). */
mi_u8 *mi_cat_items(mi_u8 *p, mi_u16 slots);
/*! Wrap the command that ends at \a end in its BER-TLV (D0, Annex C).
 *  \returns its length from \a buf, or 0 for a body of 128 bytes or more
 *  (never built: the port refuses a 0-byte command). */
mi_u16 mi_cat_close(mi_u8 *buf, const mi_u8 *end);

/* SET UP MENU's TLVs (mi_cat_menu()) and in them the menu entry's text,
 * "IMSI choice", which a framework-owned menu registers instead. */
extern const mi_u8 mi_cat_menu_tlvs[];
#define mi_cat_menu_text (mi_cat_menu_tlvs + 10)
#define MI_CAT_MENU_TEXT_LEN 11u

#endif /* MIMSI_MI_CAT_INT_H */
