/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_timer.h
 *  Timer value (TS 102 223 §8.38): three swapped-BCD bytes HH MM SS, the low
 *  nibble holding the tens digit, so 1 min 30 s = 00 10 03.
 *  Duration (TS 102 223 §8.8): time unit (00 min, 01 s, 02 tenths) + interval.
 */
#ifndef MIMSI_MI_TIMER_H
#define MIMSI_MI_TIMER_H

#include "mi_types.h"

#define MI_TIMER_VALUE_LEN 3u
#define MI_TIMER_MAX_S (23u * 3600u + 59u * 60u + 59u) /* hours 0..23 (§8.38) */

/*! \returns 3, MI_ERR_RANGE (over MI_TIMER_MAX_S), MI_ERR_CAPACITY. */
int mi_timer_encode(mi_u32 seconds, mi_u8 *out, mi_u16 cap);
/*! \returns 3, MI_ERR_TRUNCATED, MI_ERR_DIGIT (nibble > 9), MI_ERR_RANGE (MM or SS > 59). */
int mi_timer_decode(const mi_u8 *buf, mi_u16 len, mi_u32 *seconds);

#endif /* MIMSI_MI_TIMER_H */
