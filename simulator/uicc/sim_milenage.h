/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_milenage.h
 *  Milenage (3GPP TS 35.206 §4.1) over OpenSSL AES-128, and the GSM
 *  conversion functions c2/c3 (TS 33.102 §6.8.1.2).
 */
#ifndef MIMSI_SIM_MILENAGE_H
#define MIMSI_SIM_MILENAGE_H

#include <stdint.h>

struct sim_milenage_out {
	uint8_t mac_a[8], mac_s[8]; /*!< f1, f1* */
	uint8_t res[8];             /*!< f2 */
	uint8_t ck[16], ik[16];     /*!< f3, f4 */
	uint8_t ak[6], ak_s[6];     /*!< f5, f5* */
};

/*! OPc = AES_K(OP) xor OP. \returns 0 or -1 (crypto failure). */
int sim_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);
/*! All of f1..f5* for one RAND/SQN/AMF. \returns 0 or -1. */
int sim_milenage(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		 const uint8_t sqn[6], const uint8_t amf[2], struct sim_milenage_out *out);
/*! c3: Kc = CK1 xor CK2 xor IK1 xor IK2 (8-byte halves). */
void sim_milenage_kc(const uint8_t ck[16], const uint8_t ik[16], uint8_t kc[8]);
/*! c2: SRES = RES[0..3] xor RES[4..7] for an 8-byte RES. */
void sim_milenage_sres(const uint8_t res[8], uint8_t sres[4]);

#endif /* MIMSI_SIM_MILENAGE_H */
