/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_port.h
 *  The simulator's struct mi_port: the applet's files are NV objects of the
 *  simulated card (sim_nv.h), transactions go through the NV journal, a
 *  proactive command waits in a buffer until the card OS's FETCH.
 */
#ifndef MIMSI_SIM_PORT_H
#define MIMSI_SIM_PORT_H

#include <stdint.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_port.h"
#include "sim_nv.h"

#define SIM_PORT_STAGE_SIZE 10240u
#define SIM_PORT_MAX_STAGED 64u

struct sim_port_staged {
	uint16_t obj, off, len;
	uint16_t at; /*!< offset of the data in stage[] */
};

struct mi_port {
	struct sim_nv *nv;
	int file_obj[MI_FILE_COUNT];   /*!< NV object of each mi_file, -1 = absent */
	uint8_t in_txn;
	uint16_t n_staged;
	uint16_t stage_used;
	struct sim_port_staged staged[SIM_PORT_MAX_STAGED];
	uint8_t stage[SIM_PORT_STAGE_SIZE];
	uint8_t journal[SIM_NV_JOURNAL_SIZE];
	uint8_t proactive[MI_PROACTIVE_BUF + 3u];
	uint16_t proactive_len;        /*!< 0 = none pending */
	uint16_t panic_code;
	uint8_t panicked;
	uint8_t n_keysets;             /*!< valid key-set references are 1..n_keysets */
};

/*! Bind the port to \a nv; every file starts absent. */
void sim_port_init(struct mi_port *port, struct sim_nv *nv);
/*! Map \a file to NV object \a obj (-1 = absent). */
void sim_port_map(struct mi_port *port, enum mi_file file, int obj);
/*! Drop a pending proactive command and any open transaction (power loss). */
void sim_port_power_loss(struct mi_port *port);

#endif /* MIMSI_SIM_PORT_H */
