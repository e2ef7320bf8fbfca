/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_port.h
 *  The simulator's struct mi_port: the applet's files are NV objects of the
 *  simulated card (sim_nv.h), transactions go through the NV journal, a
 *  proactive command waits in a buffer until the card OS's FETCH.
 */
#ifndef MIMSI_SIM_PORT_H
#define MIMSI_SIM_PORT_H

#include <stdint.h>

#include "mimsi/mi_applet.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_port.h"
#include "sim_nv.h"

#define SIM_PORT_STAGE_SIZE 10240u
#define SIM_PORT_MAX_STAGED 64u

struct sim_port_staged {
	uint16_t obj, off, len;
	uint16_t at; /*!< offset of the data in stage[] */
};

/*! The simulated card's toolkit framework registry (ETSI TS 102 241
 *  ToolkitRegistry) for the one applet: what mi_port_events_register,
 *  mi_port_menu_register and mi_port_timer_id gave it. Persistent across
 *  resets, as a framework's registry is; `owed` is RAM. */
#define SIM_TK_EVENTS_MAX 8u
#define SIM_TK_MENU_MAX 32u
#define SIM_TK_OWE_EVENTS 0x01u /*!< the terminal needs SET UP EVENT LIST */
#define SIM_TK_OWE_MENU 0x02u	/*!< the terminal needs SET UP MENU */
struct sim_port_toolkit {
	uint8_t framework;   /*!< 1: the framework owns events, menu and timers */
	uint8_t max_timers;  /*!< timers granted (install parameter; at most 8) */
	uint8_t first_timer; /*!< the first timer identifier given (then upwards, 1..8) */
	uint8_t menu_item;   /*!< item identifier given to the menu entry; 0 = refused */
	uint8_t timer_id[MI_TIMER_COUNT + 1]; /*!< per role 1..4: the id given, 0 none */
	uint8_t n_timers;		      /*!< timers given */
	uint8_t events[SIM_TK_EVENTS_MAX], n_events;
	uint8_t menu_text[SIM_TK_MENU_MAX], menu_len; /*!< 0: no entry registered */
	uint8_t owed; /*!< SIM_TK_OWE_*: commands the framework still sends the terminal */
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
	struct sim_port_toolkit tk;    /*!< framework-owned toolkit resources (sim_port_toolkit.c) */
};

/*! Bind the port to \a nv; every file starts absent. */
void sim_port_init(struct mi_port *port, struct sim_nv *nv);
/*! Map \a file to NV object \a obj (-1 = absent). */
void sim_port_map(struct mi_port *port, enum mi_file file, int obj);
/*! Framework-owned toolkit resources (1) or applet-owned (0, the default):
 *  \a timers timers from identifier \a first_timer up, the menu entry as
 *  item \a menu_item (0: the framework refuses it). Clears the registry. */
void sim_port_toolkit(struct mi_port *port, int framework, uint8_t timers, uint8_t first_timer,
		      uint8_t menu_item);

/*! Drop a pending proactive command and any open transaction (power loss). */
void sim_port_power_loss(struct mi_port *port);

#endif /* MIMSI_SIM_PORT_H */
