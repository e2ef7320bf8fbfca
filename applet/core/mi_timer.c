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

/* 3600 << k: the seconds of hour bit k (hours 0..23 need 5 bits) */
static const mi_u32 mi_hour_bits[5] = {3600UL, 7200UL, 14400UL, 28800UL, 57600UL};

/* 0..99 to swapped BCD: units in the high nibble, tens in the low one. */
static mi_u8 mi_swapped_bcd(mi_u8 v)
{
	mi_u8 tens = 0;

	while (v >= 10u) {
		v = (mi_u8)(v - 10u);
		tens++;
	}
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
	mi_u8 hh = 0, mm = 0;
	mi_u16 rest;

	if (!out)
		return MI_ERR_PARAM;
	if (seconds > MI_TIMER_MAX_S)
		return MI_ERR_RANGE;
	if (cap < MI_TIMER_VALUE_LEN)
		return MI_ERR_CAPACITY;
	while (seconds >= MI_S_PER_HOUR) {
		seconds -= MI_S_PER_HOUR;
		hh++;
	}
	rest = (mi_u16)seconds; /* < 3600 now */
	while (rest >= MI_S_PER_MIN) {
		rest = (mi_u16)(rest - MI_S_PER_MIN);
		mm++;
	}
	out[0] = mi_swapped_bcd(hh);
	out[1] = mi_swapped_bcd(mm);
	out[2] = mi_swapped_bcd((mi_u8)rest);
	return (int)MI_TIMER_VALUE_LEN;
}

int mi_timer_decode(const mi_u8 *buf, mi_u16 len, mi_u32 *seconds)
{
	mi_u8 hh, mm, ss, i;
	mi_u32 s;

	if (!buf || !seconds)
		return MI_ERR_PARAM;
	if (len < MI_TIMER_VALUE_LEN)
		return MI_ERR_TRUNCATED;
	hh = mi_from_swapped_bcd(buf[0]);
	mm = mi_from_swapped_bcd(buf[1]);
	ss = mi_from_swapped_bcd(buf[2]);
	if (hh == 0xFFu || mm == 0xFFu || ss == 0xFFu)
		return MI_ERR_DIGIT;
	if (hh > MI_HOURS_MAX || mm > MI_MINSEC_MAX || ss > MI_MINSEC_MAX)
		return MI_ERR_RANGE;
	s = (mi_u32)((mi_u16)mm * MI_S_PER_MIN + ss);
	/* hh * 3600 by shift-and-add over a table: a plain loop or product is
	 * turned into a 32-bit multiply, a libgcc call on AVR */
	for (i = 0; i < MI_ARRAY_SIZE(mi_hour_bits); i++) {
		if (hh & (1u << i))
			s += mi_hour_bits[i];
	}
	*seconds = s;
	return (int)MI_TIMER_VALUE_LEN;
}
