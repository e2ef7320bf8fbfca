/* SPDX-License-Identifier: Apache-2.0 */
/* NV write counters of the simulator port (sim_port_stats.h). */
#include <string.h>

#include "sim_port_stats.h"
#include "sim_port_stats_int.h"

static struct sim_port_stats stats;

void sim_port_stats_reset(void)
{
	memset(&stats, 0, sizeof(stats));
}

const struct sim_port_stats *sim_port_stats_get(void)
{
	return &stats;
}

static void add(struct sim_port_stats_part *p, unsigned writes, unsigned bytes, unsigned nv)
{
	p->commits++;
	p->writes += writes;
	p->bytes += bytes;
	p->nv += nv;
	if (writes > p->max_writes)
		p->max_writes = writes;
	if (bytes > p->max_bytes)
		p->max_bytes = bytes;
	if (nv > p->max_nv)
		p->max_nv = nv;
}

void sim_port_stats_commit(unsigned writes, unsigned bytes, unsigned nv, int is_switch)
{
	add(&stats.all, writes, bytes, nv);
	if (is_switch)
		add(&stats.sw, writes, bytes, nv);
}

void sim_port_stats_abort(void)
{
	stats.aborts++;
}

void sim_port_stats_proactive(void)
{
	stats.proactive++;
}
