/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_modes.h
 *  Time-to-service comparison for fast failover: the same journey under naive
 *  rotation, rules-driven rotation, and fast failover on a capable and on
 *  an incapable modem (mimsi-sim compare, bench_journeys).
 */
#ifndef MIMSI_SIM_MODES_H
#define MIMSI_SIM_MODES_H

#include "scenario/sim_run.h"

enum sim_mode {
	SIM_MODE_NAIVE = 0,  /*!< MI_CFG_F_NAIVE: round robin on the rotation timer */
	SIM_MODE_RULES,	     /*!< MI_CFG_F_FAILOVER cleared, modem without the aids */
	SIM_MODE_FAST,	     /*!< failover on, modem with rejection event + PLI */
	SIM_MODE_FAST_NOCAP, /*!< failover on, modem without them */
	SIM_MODES
};

extern const char *const sim_mode_names[SIM_MODES];

/*! Run \a j in \a mode (its modem profile edited for the failover modes).
 *  \returns 0 or -1 (err); free \a r with sim_run_result_free. */
int sim_run_mode(const struct sim_journey *j, int mode, struct sim_run_result *r, char *err,
		 size_t err_len);

#endif /* MIMSI_SIM_MODES_H */
