/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_port_stats.h
 *  NV write counters of the simulator port, for the resource sheet (EEPROM
 *  endurance): every committed transaction is counted once, with its
 *  logical writes (mi_port_file_write and mi_port_keyset_select calls), the
 *  bytes they carry, and the bytes the port's journal puts on NV for them.
 *  A transaction that writes EF_IMSI is a switch.
 *  The counters are process-wide (host only): reset them before a run.
 */
#ifndef MIMSI_SIM_PORT_STATS_H
#define MIMSI_SIM_PORT_STATS_H

struct sim_port_stats_part {
	unsigned long commits; /*!< transactions committed */
	unsigned long writes;  /*!< logical writes in them */
	unsigned long bytes;   /*!< data bytes of those writes */
	unsigned long nv;      /*!< bytes written to NV: journal, flag twice, data applied */
	unsigned max_writes, max_bytes, max_nv; /*!< the largest single transaction */
};

struct sim_port_stats {
	struct sim_port_stats_part all, sw; /*!< every transaction; those writing EF_IMSI */
	unsigned long aborts;		    /*!< transactions abandoned */
	unsigned long proactive;	    /*!< proactive commands handed to the OS */
};

void sim_port_stats_reset(void);
const struct sim_port_stats *sim_port_stats_get(void);

#endif /* MIMSI_SIM_PORT_STATS_H */
