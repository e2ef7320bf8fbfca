/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_trace.h
 *  --trace FILE.pcap: every exchange as a GSMTAP (UDP 4729) SIM frame in a
 *  pcap file, the way SIMtrace2 carries them (libosmocore gsmtap.h): sub-type 00
 *  APDU (header + command data + response data + SW), 01 ATR. Secret data
 *  (PIN/ADM) is written as FF bytes, never in clear.
 */
#ifndef MIMSI_LD_TRACE_H
#define MIMSI_LD_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct ld_trace;

struct ld_trace *ld_trace_open(const char *path, char *err, size_t err_len);
void ld_trace_atr(struct ld_trace *tr, const uint8_t *atr, size_t len);
/*! \a mask (may be NULL) marks command bytes to hide. */
void ld_trace_apdu(struct ld_trace *tr, const uint8_t *cmd, size_t cmd_len, const uint8_t *mask,
		   const uint8_t *resp, size_t resp_len);
void ld_trace_close(struct ld_trace *tr);

#endif /* MIMSI_LD_TRACE_H */
