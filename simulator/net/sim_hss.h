/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_hss.h
 *  The network's HSS/AuC: each IMSI's K and OPc (the same values as the
 *  card's key sets), a per-subscriber SQN, and Milenage (TS 35.206) run on
 *  the network side to build authentication vectors and check RES.
 *  RAND comes from a seeded generator so that runs are deterministic.
 *  K and OPc never leave this module (no logs, no traces).
 */
#ifndef MIMSI_SIM_HSS_H
#define MIMSI_SIM_HSS_H

#include <stddef.h>
#include <stdint.h>

#define SIM_HSS_MAX_SUBS 32

struct sim_hss_sub {
	char imsi[16];
	uint8_t k[16];
	uint8_t opc[16];
	uint64_t sqn; /*!< 48-bit SQN of the next vector (TS 33.102 §6.3.2) */
};

struct sim_hss {
	int n;
	struct sim_hss_sub subs[SIM_HSS_MAX_SUBS];
	uint64_t rng; /*!< xorshift state for RAND */
};

struct sim_auth_vector {
	uint8_t rand[16];
	uint8_t autn[16];
	uint8_t xres[8];
	size_t xres_len;
};

void sim_hss_init(struct sim_hss *h, uint64_t seed);
/*! Add or replace a subscriber. \returns 0, or -1 when full. */
int sim_hss_add(struct sim_hss *h, const char *imsi, const uint8_t k[16], const uint8_t opc[16]);
/*! Forget a subscriber (its keys wiped). \returns 0, or -1 when unknown. */
int sim_hss_remove(struct sim_hss *h, const char *imsi);
/*! 1 when the HSS knows \a imsi. */
int sim_hss_knows(const struct sim_hss *h, const char *imsi);
/*! Build a vector for \a imsi (AMF 8000, SQN stepped by 32 per vector).
 *  \returns 0, or -1 for an unknown IMSI or a crypto failure. */
int sim_hss_vector(struct sim_hss *h, const char *imsi, struct sim_auth_vector *v);
/*! Re-synchronise SQN from the card's AUTS (TS 33.102 §6.3.5) for \a rand.
 *  \returns 0, or -1 (unknown IMSI, MAC-S wrong). */
int sim_hss_resync(struct sim_hss *h, const char *imsi, const uint8_t rand[16],
		   const uint8_t auts[14]);

#endif /* MIMSI_SIM_HSS_H */
