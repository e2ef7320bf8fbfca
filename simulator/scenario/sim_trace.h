/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_trace.h
 *  GSMTAP SIM trace of a journey in a pcap file, stamped with VIRTUAL time
 *  (journey start = 2026-11-01T00:00:00Z) so that two runs of the same
 *  journey give the same file byte for byte. Same frame layout as
 *  simulator/uicc/sim_pcap.h: LINKTYPE_RAW, IPv4 127.0.0.1, UDP 4729,
 *  GSMTAP v2 type 04 (SIM) sub-type 00 (APDU).
 */
#ifndef MIMSI_SIM_TRACE_H
#define MIMSI_SIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net/sim_evq.h"

struct sim_trace {
	FILE *f;
	sim_time_t last_t;
	uint32_t usec; /* orders frames inside one virtual second */
	unsigned long frames;
	int io_error;
};

int sim_trace_open(struct sim_trace *t, const char *path);
void sim_trace_apdu(struct sim_trace *t, sim_time_t now, const uint8_t *cmd, size_t cmd_len,
		    const uint8_t *rsp, size_t rsp_len);
/*! \returns 0, or -1 if any write failed. */
int sim_trace_close(struct sim_trace *t);

#endif /* MIMSI_SIM_TRACE_H */
