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
};

void fake_port_init(struct mi_port *p);
/*! Create (or resize) a file with \a size bytes of 0xFF, then copy \a data. */
void fake_file_set(struct mi_port *p, enum mi_file f, mi_u16 size, const mi_u8 *data, mi_u16 len);
/*! Take the captured proactive command (as FETCH would). \returns its length. */
mi_u16 fake_fetch(struct mi_port *p, mi_u8 *out, mi_u16 cap);

#endif /* MIMSI_TESTS_FAKE_PORT_H */
