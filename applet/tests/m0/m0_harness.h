/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_harness.h
 *  The Cortex-M0 replay under QEMU (microbit): start-up and semihosting
 *  (m0_start.c), a port with files in RAM (m0_port.c), the replay of the
 *  host's event trace with instruction counts (m0_replay.c).
 */
#ifndef MIMSI_TESTS_M0_HARNESS_H
#define MIMSI_TESTS_M0_HARNESS_H

#include "mimsi/mi_applet.h"

/* ---- semihosting (Arm "Semihosting for AArch32 and AArch64", BKPT 0xAB) */
void m0_puts(const char *s);
/*! Print \a label then \a v in decimal and a newline. */
void m0_put_u32(const char *label, mi_u32 v);
/*! \returns a handle, or -1. */
int m0_open(const char *path);
/*! \returns the bytes read (0 at the end of the file). */
mi_u32 m0_read(int handle, mi_u8 *buf, mi_u32 len);
/*! Stop QEMU: exit status 0 when \a ok, else 1. */
void m0_exit(int ok) __attribute__((noreturn));
/*! Print "m0: \a why" and stop with failure. */
void m0_fail(const char *why) __attribute__((noreturn));

/* ---- the port: files in RAM, transactions with an undo log */
struct m0_file {
	mi_u16 size;  /*!< the file's size; 0 = the card has no such file */
	mi_u16 held;  /*!< bytes held in RAM; the rest reads as FF */
	mi_u8 *data;
};

#define M0_UNDO_MAX 1024u

struct mi_port {
	struct m0_file file[MI_FILE_COUNT];
	mi_u8 keyset, staged_keyset, n_keysets;
	mi_u8 in_txn;
	mi_u8 cmd[256]; /*!< the proactive command waiting for FETCH */
	mi_u16 cmd_len;
	mi_u16 undo_len;
	mi_u8 undo[M0_UNDO_MAX]; /*!< old bytes of each write, then file, offset, length */
	mi_u32 commits, panics;
};

/*! Room for a file of \a size bytes of which \a held are loaded.
 *  \returns its bytes, or NULL when the arena is full. */
mi_u8 *m0_port_file_room(struct mi_port *p, enum mi_file f, mi_u16 size, mi_u16 held);
/*! CRC-32 of every file (FF past the held bytes) and the key set. */
mi_u32 m0_port_crc(const struct mi_port *p);

#endif /* MIMSI_TESTS_M0_HARNESS_H */
