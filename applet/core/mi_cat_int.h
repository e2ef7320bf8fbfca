/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_cat_int.h
 *  The COMPREHENSION-TLV scan and the proactive command builder, in mi_cat.c.
 *  Only the units after it in mi_engine_int.h call it.
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

int mi_cat_scan(const mi_u8 *buf, mi_u16 len, struct mi_tlvs *t);
int mi_cat_dev_is(const struct mi_tlvs *t, mi_u8 src, mi_u8 dst);
int mi_cat_build(struct mi_applet *a, mi_u8 type, mi_u8 qual, mi_u8 timer);

#endif /* MIMSI_MI_CAT_INT_H */
