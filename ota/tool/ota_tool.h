/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ota_tool.h
 *  mimsi-ota internals: key file, counters, scripts, packets, sending.
 */
#ifndef MIMSI_OTA_TOOL_H
#define MIMSI_OTA_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ota.h"

#define OT_MAX_APDUS 256u
#define OT_MAX_PACKETS 32u
#define OT_MAX_SMS_PER_PACKET OTA_REASM_MAX_SMS
#define OT_PKT_MAX (OT_MAX_SMS_PER_PACKET * OTA_UD_MAX)

/* ---- key file (ota_tool_keys.c) ------------------------------------------ */

/*! One key set of the key file, addressed by its key version (1..15). */
struct ot_keyset {
	unsigned kvn;
	struct ota_key kic, kid;
};
/*! Load key version \a kvn from the JSON key file (docs/ota.md):
 *  {"keysets": [{"kvn": 3, "kic": "35", "kic_key": HEX, "kid": "35", "kid_key": HEX}]}.
 *  Messages name the file and the entry, never a key. \returns 0 or -1. */
int ot_keys_load(const char *path, unsigned kvn, struct ot_keyset *ks, char *err, size_t err_len);
void ot_keys_clear(struct ot_keyset *ks);

/* ---- counters per card (ota_tool_keys.c) ---------------------------------- */

/*! Reserve \a n counter values for (ICCID, key version) in the JSON counter
 *  file: returns the first one (last used + 1) and records the last one
 *  before anything is sent, so a value is never used twice. \a first_min
 *  (0 = none) asks for at least that value. \returns 0 or -1. */
int ot_counter_take(const char *path, const char *iccid, unsigned kvn, unsigned n, uint64_t first_min,
		    uint64_t *first, char *err, size_t err_len);

/* ---- scripts (ota_tool_script.c) ------------------------------------------ */

struct ot_apdu {
	uint8_t b[5 + 255 + 1];
	size_t len;
	int secret; /*!< carries key material: ciphering is required */
};
struct ot_script {
	struct ot_apdu a[OT_MAX_APDUS];
	size_t n;
};
int ot_script_add(struct ot_script *s, const uint8_t *apdu, size_t len, int secret);
/*! APDUs given as hex (arguments or lines of a file, '#' comments). */
int ot_script_hex(struct ot_script *s, const char *hex, char *err, size_t err_len);
int ot_script_file(struct ot_script *s, const char *path, char *err, size_t err_len);
/*! The UPDATE BINARY commands that turn what the bank (0 = A, 1 = B) of
 *  DF.MIMSI holds (the set in \a bank_dir, or "empty") into the set NEW,
 *  with the compiler's diff planner. */
int ot_script_set(struct ot_script *s, const char *new_dir, const char *bank_dir, int bank, char *err,
		  size_t err_len);
struct rc_set;
/*! The same with the new set already in memory (the planner compiles it). */
int ot_script_set_files(struct ot_script *s, const struct rc_set *new_set, const char *bank_dir, int bank, char *err,
			size_t err_len);
struct ld_slot_keys;
/*! K/OPc (kN/opcN of \a keys) into the key store record of key set \a keyset,
 *  the one slot \a slot uses. */
int ot_script_keys(struct ot_script *s, unsigned slot, unsigned keyset, const struct ld_slot_keys *keys, char *err,
		   size_t err_len);
/*! A slot replacement: BASE's set with slot \a slot's IMSI (and OPLMN /
 *  FPLMN lists when given: "MCC-MNC,..." or "" to clear) replaced, sealed
 *  with seq + 1 into \a bank (which holds \a bank_dir's set, "empty", or
 *  BASE's when NULL), plus K/OPc (kN/opcN of \a keys for the
 *  slot's key set N) into the key store. */
struct ld_slot_keys;
int ot_script_slot(struct ot_script *s, const char *base_dir, const char *bank_dir, int bank, unsigned slot,
		   const char *imsi,
		   const char *oplmn, const char *fplmn, const struct ld_slot_keys *keys, char *err,
		   size_t err_len);

/* ---- packets (ota_tool_script.c) ----------------------------------------- */

struct ot_params {
	uint8_t spi1, spi2;
	uint8_t tar[OTA_TAR_LEN];
	enum ota_rfm_format format;
	struct ota_addr oa;     /*!< originating address of the SMS-DELIVER */
	uint8_t concat_iei;     /*!< 00 or 08 */
};
struct ot_packet {
	uint64_t cntr;
	uint8_t pkt[OT_PKT_MAX];
	size_t len;
	unsigned n_sms;
	uint8_t ud[OT_MAX_SMS_PER_PACKET][OTA_UD_MAX];
	size_t udl[OT_MAX_SMS_PER_PACKET];
	uint8_t tpdu[OT_MAX_SMS_PER_PACKET][OTA_TPDU_MAX];
	size_t tpdu_len[OT_MAX_SMS_PER_PACKET];
	uint8_t env[OT_MAX_SMS_PER_PACKET][5 + 255];
	size_t env_len[OT_MAX_SMS_PER_PACKET];
};
/*! Group the script's APDUs into as few packets as possible (each at most
 *  OT_MAX_SMS_PER_PACKET SMS), never splitting an APDU. \returns the number
 *  of packets or -1. */
int ot_plan(const struct ot_script *s, const struct ot_params *p, const struct ot_keyset *ks,
	    size_t *first_apdu, size_t *n_apdu, unsigned max, char *err, size_t err_len);
/*! Build packet \a i: command packet, SMS, TPDUs, ENVELOPEs. */
int ot_packet_build(const struct ot_script *s, size_t first, size_t n, const struct ot_params *p,
		    const struct ot_keyset *ks, uint64_t cntr, struct ot_packet *out, char *err, size_t err_len);

/* ---- PoR (ota_tool_send.c) ------------------------------------------------ */

struct ot_por {
	int ok;            /*!< parsed and RC/CC verified (or none asked) */
	int secured;       /*!< parsed with the security SPI2 asked */
	struct ota_por por;
	uint8_t work[300];
};
/*! Decode a response packet (from its UDH 02 71 00) and check its RC/CC. */
int ot_por_decode(const uint8_t *pkt, size_t len, uint8_t spi2, const struct ot_keyset *ks, struct ot_por *out);
void ot_por_print(FILE *f, const struct ot_por *p, int json);

#endif /* MIMSI_OTA_TOOL_H */
