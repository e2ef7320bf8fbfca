/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_ota.h
 *  Private to simulator/uicc: where the card OS keeps its OTA key sets,
 *  counters and TAR table (files of DF.OTA, docs/ota.md), so they live in
 *  NV and in the card image like every other file.
 */
#ifndef MIMSI_SIM_OTA_H
#define MIMSI_SIM_OTA_H

#include <stdint.h>

#include "ota.h"
#include "sim_int.h"

#define SIM_FID_DF_OTA 0x7FDEu
#define SIM_FID_OTA_KEYS 0x6F01u /*!< linear, record n = key version n: never readable */
#define SIM_FID_OTA_CNTR 0x6F02u /*!< transparent, 5 bytes per key version */
#define SIM_FID_OTA_TAR 0x6F03u  /*!< linear, one TAR per record */
#define SIM_OTA_KVN_MAX 15u
#define SIM_OTA_KEY_REC 68u /*!< KIc alg, len, key(32), KID alg, len, key(32) */
#define SIM_OTA_TAR_REC 8u  /*!< TAR(3) MSL(1) domain(1) start FID(2) RFU(1) */
#define SIM_OTA_TARS 8u
#define SIM_OTA_DOMAIN_FULL 0x00u
#define SIM_OTA_DOMAIN_NONE 0xFFu

/*! One application reachable over the air (TS 102 226 §8.2.1.3.2.4). */
struct sim_ota_tar {
	uint8_t tar[OTA_TAR_LEN];
	uint8_t msl;       /*!< minimum security level, coded as SPI1 */
	uint8_t domain;    /*!< RFM access domain: 00 full, else the key reference granted */
	uint16_t start;    /*!< DF or ADF FID the script starts in */
};

/*! \returns 0 and the TAR's entry, or -1 (unknown TAR). */
int sim_ota_tar_find(struct sim_card *c, const uint8_t tar[OTA_TAR_LEN], struct sim_ota_tar *out);
/*! The key named by a KIc (\a kid = 0) or KID (\a kid = 1) byte: its key
 *  version (high nibble) must hold a key for that algorithm (low nibble).
 *  \returns 0 or -1. */
int sim_ota_key(struct sim_card *c, uint8_t id, int kid, struct ota_key *out);
/*! Counter of key version \a kvn (1..15). \returns 0 or -1. */
int sim_ota_cntr_get(struct sim_card *c, unsigned kvn, uint8_t out[OTA_CNTR_LEN]);
/*! Store it (one NV write). \returns 0 or -1. */
int sim_ota_cntr_put(struct sim_card *c, unsigned kvn, const uint8_t v[OTA_CNTR_LEN]);
/*! Fill DF.OTA of the default card with its documented test key sets and
 *  TARs (docs/ota.md). \returns 0 or -1. */
int sim_ota_default_content(struct sim_card *c);

#endif /* MIMSI_SIM_OTA_H */
