/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_trace.h
 *  The event trace that carries `bench_engine --events` from the host to
 *  the Cortex-M0 replay under QEMU (m0_replay.c): the card's files as they
 *  are when the applet is installed, then every mi_applet_* call with its
 *  input bytes and what the host build answered, so the replay measures
 *  the same events and checks that the M0 build behaves the same.
 *
 *  Binary, multi-byte fields big-endian:
 *    "MIM0" 01                                  magic, version
 *    'F' id:u8 size:u16 n:u16 bytes[n]          a file; bytes past n are FF
 *    'K' keyset:u8 n_keysets:u8                 the port's key sets
 *    'C' entry:u8 fetched:u8 len:u16 bytes[len] a call; fetched = 1 when
 *                                               the terminal took the
 *                                               pending command before it
 *    'R' rc:u16 cmd_len:u16 cmd_crc:u32 files_crc:u32
 *                                               its answer: return code,
 *                                               the proactive command then
 *                                               pending, CRC-32 of every
 *                                               file and the key set
 *    'E'                                        end
 */
#ifndef MIMSI_TESTS_M0_TRACE_H
#define MIMSI_TESTS_M0_TRACE_H

#define M0_TRACE_MAGIC "MIM0\x01"
#define M0_TRACE_MAGIC_LEN 5u

enum m0_entry {
	M0_INSTALL = 0,
	M0_RESET,
	M0_TERMINAL_PROFILE,
	M0_ENVELOPE,
	M0_TERMINAL_RESPONSE,
	M0_STATUS,
	M0_ENTRY_COUNT
};

#endif /* MIMSI_TESTS_M0_TRACE_H */
