/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_softtimer.c
 *  The soft timers: deadlines in RAM on the applet's clock (ram->now_s),
 *  started in the terminal with TIMER MANAGEMENT when it has timers, else
 *  counted by STATUS polls (mi_engine.c). RAM only: no port call.
 */
#include "mi_softtimer_int.h"
#include "mimsi/mi_timer.h"

void mi_timer_arm(struct mi_applet *a, mi_u8 id, mi_u32 seconds)
{
	struct mi_ram *r = a->ram;

	if (seconds < 1u)
		seconds = 1u;
	if (seconds > MI_TIMER_MAX_S)
		seconds = MI_TIMER_MAX_S; /* TS 102 223 §8.38: at most 23:59:59 */
	r->deadline[id - 1u] = r->now_s + seconds;
	if (r->caps & MI_CAP_TIMER)
		r->queue |= MI_Q_TIMER(id);
}

/* The rotation period of this episode: rotation_s, doubled for every round
 * in which every candidate failed (a long outage backs off). */
mi_u32 mi_rotation_s(const struct mi_applet *a)
{
	return (mi_u32)a->ram->cfg.rotation_s << (a->nv->flags >> MI_NV_ROUND_SHIFT);
}

/* The dwell: min_dwell_s, doubled for every back-and-forth between the same
 * two slots (docs/applet.md, hysteresis). */
mi_u32 mi_dwell_s(const struct mi_applet *a)
{
	return (mi_u32)a->ram->cfg.min_dwell_s
	       << ((a->nv->flags & MI_NV_BOUNCE) >> MI_NV_BOUNCE_SHIFT);
}

/* The rotation period from now: no normal service until then means the
 * active slot failed. */
void mi_rotate_arm(struct mi_applet *a)
{
	mi_timer_arm(a, MI_TIMER_ROTATE, mi_rotation_s(a));
}

void mi_timer_cancel(struct mi_applet *a, mi_u8 id)
{
	a->ram->deadline[id - 1u] = 0;
	a->ram->queue &= (mi_u16)~MI_Q_TIMER(id);
}

/* reeval_min x 60, capped at the timer maximum, without a 16x16->32
 * multiply helper on 16-bit targets: below 1440 min, min x 30 fits 16 bits. */
MI_NOINLINE mi_u32 mi_reeval_s(const struct mi_applet *a)
{
	mi_u16 m = a->ram->cfg.reeval_min;

	if (m >= 1440u)
		return MI_TIMER_MAX_S; /* 24 h and more: 23:59:59 (TS 102 223 §8.38) */
	return (mi_u32)(mi_u16)(m * 30u) << 1;
}
