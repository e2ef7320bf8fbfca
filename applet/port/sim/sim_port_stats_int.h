/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_port_stats_int.h
 *  What mi_port_sim.c reports to the counters of sim_port_stats.h. */
#ifndef MIMSI_SIM_PORT_STATS_INT_H
#define MIMSI_SIM_PORT_STATS_INT_H

/*! A committed transaction: \a writes logical writes of \a bytes data
 *  bytes, \a nv bytes put on NV; \a is_switch: it wrote EF_IMSI. */
void sim_port_stats_commit(unsigned writes, unsigned bytes, unsigned nv, int is_switch);
void sim_port_stats_abort(void);
void sim_port_stats_proactive(void);

#endif /* MIMSI_SIM_PORT_STATS_INT_H */
