/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_pcap.h
 *  GSMTAP (UDP 4729) SIM traces in a pcap file, as SIMtrace2 carries them,
 *  so that Wireshark/tshark decode every exchange as GSM SIM + CAT.
 *
 *  pcap linktype 101 (LINKTYPE_RAW: a raw IPv4 packet per frame), each frame
 *  IPv4 127.0.0.1 -> 127.0.0.1, UDP -> 4729, GSMTAP v2 header (16 bytes,
 *  type 04 SIM, sub-type 00 APDU), then C-APDU + response data + SW1 SW2.
 *  Also used by the host tools (mimsi-card trace).
 */
#ifndef MIMSI_SIM_PCAP_H
#define MIMSI_SIM_PCAP_H

#include <stddef.h>
#include <stdint.h>

struct sim_pcap;

#define SIM_GSMTAP_PORT 4729u
#define SIM_GSMTAP_TYPE_SIM 0x04u
#define SIM_GSMTAP_SIM_APDU 0x00u
#define SIM_GSMTAP_SIM_ATR 0x01u

/*! Create (truncate) \a path and write the pcap global header.
 *  \returns NULL on error (errno set). */
struct sim_pcap *sim_pcap_open(const char *path);
/*! One exchange as one frame: \a cmd (whole C-APDU) then \a rsp (response
 *  data + SW). \returns 0 or -1 (I/O error). */
int sim_pcap_apdu(struct sim_pcap *p, const uint8_t *cmd, size_t cmd_len, const uint8_t *rsp,
		  size_t rsp_len);
/*! An ATR frame (GSMTAP SIM sub-type 01). */
int sim_pcap_atr(struct sim_pcap *p, const uint8_t *atr, size_t len);
/*! Flush and close. \returns 0 or -1. */
int sim_pcap_close(struct sim_pcap *p);
/*! Frames written so far. */
unsigned long sim_pcap_frames(const struct sim_pcap *p);

#endif /* MIMSI_SIM_PCAP_H */
