/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_timer.c
 *  Timer value (TS 102 223 §8.38): HH MM SS, each byte swapped BCD (low
 *  nibble = tens digit), so 1 min 30 s = 00 10 03. Counting is done by
 *  subtraction and addition: no 32-bit division or multiplication, which
 *  would need libgcc helpers on AVR and Cortex-M0.
 */
#include "mimsi/mi_timer.h"
#include "mimsi/mi_err.h"

#define MI_S_PER_HOUR 3600u
#define MI_S_PER_MIN 60u
#define MI_HOURS_MAX 23u /* §8.38 */
#define MI_MINSEC_MAX 59u

/* How many \a unit fit in *v, taking them off: division by subtraction
 * (the quotients here are at most 99). */
static mi_u8 mi_take(mi_u32 *v, mi_u16 unit)
{
	mi_u8 q = 0;

	while (*v >= unit) {
		*v -= unit;
		q++;
	}
	return q;
}

/* 0..99 to swapped BCD: units in the high nibble, tens in the low one. */
static mi_u8 mi_swapped_bcd(mi_u32 v)
{
	mi_u8 tens = mi_take(&v, 10u);

	return (mi_u8)((v << 4) | tens);
}

/* Swapped BCD to 0..99, or 0xFF for a nibble above 9. */
static mi_u8 mi_from_swapped_bcd(mi_u8 b)
{
	mi_u8 tens = (mi_u8)(b & 0x0Fu), units = (mi_u8)(b >> 4);

	if (tens > 9u || units > 9u)
		return 0xFFu;
	return (mi_u8)(tens * 10u + units);
}

int mi_timer_encode(mi_u32 seconds, mi_u8 *out, mi_u16 cap)
{
	static const mi_u16 unit[MI_TIMER_VALUE_LEN] = {MI_S_PER_HOUR, MI_S_PER_MIN, 1u};
	mi_u8 i;

	if (!out)
		return MI_ERR_PARAM;
	if (seconds > MI_TIMER_MAX_S)
		return MI_ERR_RANGE;
	if (cap < MI_TIMER_VALUE_LEN)
		return MI_ERR_CAPACITY;
	for (i = 0; i < MI_TIMER_VALUE_LEN; i++) /* HH, MM, SS */
		out[i] = mi_swapped_bcd(mi_take(&seconds, unit[i]));
	return (int)MI_TIMER_VALUE_LEN;
}

int mi_timer_decode(const mi_u8 *buf, mi_u16 len, mi_u32 *seconds)
{
	mi_u8 d, i;
	mi_bool over = MI_FALSE;
	mi_u32 s = 0;

	if (!buf || !seconds)
		return MI_ERR_PARAM;
	if (len < MI_TIMER_VALUE_LEN)
		return MI_ERR_TRUNCATED;
	for (i = 0; i < MI_TIMER_VALUE_LEN; i++) { /* HH, MM, SS */
		d = mi_from_swapped_bcd(buf[i]);
		if (d == 0xFFu)
			return MI_ERR_DIGIT; /* before any range error */
		if (d > (i ? MI_MINSEC_MAX : MI_HOURS_MAX))
			over = MI_TRUE;
		/* s x 60 = s x 64 - s x 4: a 32-bit product would be a libgcc
		 * call on AVR */
		s = (s << 6) - (s << 2) + d;
	}
	if (over)
		return MI_ERR_RANGE;
	*seconds = s;
	return (int)MI_TIMER_VALUE_LEN;
}
