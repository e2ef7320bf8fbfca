/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_apdu.c
 *  Command APDU parser, ISO/IEC 7816-4 §5.1 (short length only):
 *    case 1  CLA INS P1 P2
 *    case 2  CLA INS P1 P2 Le
 *    case 3  CLA INS P1 P2 Lc data(Lc)
 *    case 4  CLA INS P1 P2 Lc data(Lc) Le
 *  An Lc byte of 00 followed by more bytes starts an extended length
 *  (§5.1): UICC commands have one-byte Lc/Le (TS 102 221 §10.1), so it is refused.
 */
#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"

#define MI_APDU_HDR 4u
#define MI_APDU_LE_ZERO 256u /* Le byte 00 = 256 (ISO 7816-4 §5.1) */

static mi_u16 mi_apdu_le(mi_u8 b)
{
	return b == 0u ? (mi_u16)MI_APDU_LE_ZERO : b;
}

int mi_apdu_parse(const mi_u8 *buf, mi_u16 len, struct mi_apdu *out)
{
	mi_u16 lc;

	if (!buf || !out)
		return MI_ERR_PARAM;
	MI_MEMSET(out, 0, sizeof(*out));
	out->data = NULL;
	if (len < MI_APDU_HDR)
		return MI_ERR_TRUNCATED;
	out->cla = buf[0];
	out->ins = buf[1];
	out->p1 = buf[2];
	out->p2 = buf[3];
	if (len == MI_APDU_HDR) {
		out->apdu_case = MI_APDU_CASE_1;
		return MI_OK;
	}
	if (len == MI_APDU_HDR + 1u) {
		out->apdu_case = MI_APDU_CASE_2;
		out->le = mi_apdu_le(buf[4]);
		return MI_OK;
	}
	lc = buf[4];
	if (lc == 0u)
		return MI_ERR_UNSUPPORTED;
	if (len == MI_APDU_HDR + 1u + lc) {
		out->apdu_case = MI_APDU_CASE_3;
	} else if (len == MI_APDU_HDR + 2u + lc) {
		out->apdu_case = MI_APDU_CASE_4;
		out->le = mi_apdu_le(buf[len - 1u]);
	} else {
		return MI_ERR_LENGTH;
	}
	out->lc = lc;
	out->data = buf + MI_APDU_HDR + 1u;
	return MI_OK;
}
