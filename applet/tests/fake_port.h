/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fake_port.h
 *  A port for the engine's unit tests (host only): RAM files for every
 *  enum mi_file, transactions staged on a copy, the last proactive command
 *  captured, the selected key set, counters and fault injection.
 */
#ifndef MIMSI_TESTS_FAKE_PORT_H
#define MIMSI_TESTS_FAKE_PORT_H

#include "mimsi/mi_applet.h"

#define FAKE_FILE_MAX 8192u

struct fake_file {
	mi_u16 size; /*!< 0 = the file does not exist */
	mi_u8 data[FAKE_FILE_MAX];
};

struct mi_port {
	struct fake_file file[MI_FILE_COUNT];	/*!< committed content */
	struct fake_file staged[MI_FILE_COUNT]; /*!< content inside a transaction */
	mi_u8 keyset, staged_keyset, n_keysets;
	int in_txn;
	mi_u8 cmd[256]; /*!< proactive command waiting for FETCH */
	mi_u16 cmd_len; /*!< 0 = none */
	unsigned reads, writes, commits, aborts, sends, panics;
	mi_u16 panic_code;
	int fail_write;	    /*!< >0: the n-th write from now fails with MI_ERR_NV */
	int fail_commit;    /*!< nonzero: the next commit fails */
	int fail_read_file; /*!< nonzero: every read of file fail_read_file - 1 fails (MI_ERR_NV) */
	mi_u8 refuse_keyset; /*!< nonzero: the card lacks this key set (MI_ERR_NOT_FOUND) */
	/* a UICC toolkit framework owning events, menu and timers (mi_port.h) */
	mi_u8 fw;	     /*!< nonzero: mi_port_caps() says framework-owned */
	mi_u8 fw_timers;     /*!< timers the framework grants (install parameter) */
	mi_u8 fw_first_id;   /*!< the first timer identifier it gives (then upwards) */
	mi_u8 fw_menu_item;  /*!< item identifier it gives the menu entry; 0 = refused */
	mi_u8 fw_refuse_events; /*!< nonzero: event registration refused */
	mi_u8 fw_timer_id[MI_TIMER_COUNT + 1]; /*!< per role: the id given, 0 none */
	mi_u8 fw_n_timers;   /*!< timers given so far */
	mi_u8 fw_events[8], fw_n_events; /*!< the registered event list */
	mi_u8 fw_menu_text[32], fw_menu_len; /*!< the registered menu entry */
	unsigned fw_event_regs, fw_menu_regs, fw_timer_asks;
};

void fake_port_init(struct mi_port *p);
/*! Make the framework own the toolkit resources: \a timers timers from id
 *  \a first_id upwards, the menu entry as item \a menu_item (0 = refused). */
void fake_port_framework(struct mi_port *p, mi_u8 timers, mi_u8 first_id, mi_u8 menu_item);
/*! Create (or resize) a file with \a size bytes of 0xFF, then copy \a data. */
void fake_file_set(struct mi_port *p, enum mi_file f, mi_u16 size, const mi_u8 *data, mi_u16 len);
/*! Take the captured proactive command (as FETCH would). \returns its length. */
mi_u16 fake_fetch(struct mi_port *p, mi_u8 *out, mi_u16 cap);

#endif /* MIMSI_TESTS_FAKE_PORT_H */
