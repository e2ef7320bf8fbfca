/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_apdu.h
 *  ISO/IEC 7816-4 §5.1 command APDU parser (short cases 1..4) and the status
 *  words of TS 102 221 §10.2 as constants.
 */
#ifndef MIMSI_MI_APDU_H
#define MIMSI_MI_APDU_H

#include "mi_types.h"

enum mi_apdu_case {
	MI_APDU_CASE_1 = 1, /*!< header only */
	MI_APDU_CASE_2 = 2, /*!< header + Le */
	MI_APDU_CASE_3 = 3, /*!< header + Lc + data */
	MI_APDU_CASE_4 = 4  /*!< header + Lc + data + Le */
};

struct mi_apdu {
	mi_u8 cla, ins, p1, p2;
	mi_u8 apdu_case;   /*!< enum mi_apdu_case */
	mi_u16 lc;         /*!< 0 for cases 1 and 2 */
	const mi_u8 *data; /*!< NULL when lc == 0 */
	mi_u16 le;         /*!< 0 when absent; Le byte 00 means 256 */
};

/*! Parse a command APDU of \a len bytes.
 *  \returns MI_OK, MI_ERR_TRUNCATED (< 4 bytes), MI_ERR_LENGTH (Lc does not
 *  match the length), MI_ERR_UNSUPPORTED (extended length: Lc byte 00 followed by more). */
int mi_apdu_parse(const mi_u8 *buf, mi_u16 len, struct mi_apdu *out);

/* Status words (TS 102 221 §10.2.1, ISO 7816-4 §5.1.3). */
#define MI_SW_OK 0x9000u
#define MI_SW_PROACTIVE 0x9100u        /*!< | xx: proactive command of xx bytes pending */
#define MI_SW_TOOLKIT_BUSY 0x9300u
#define MI_SW_BYTES_AVAILABLE 0x6100u  /*!< | xx, T=0: GET RESPONSE */
#define MI_SW_WRONG_LE 0x6C00u         /*!< | xx, T=0: re-send with Le = xx */
#define MI_SW_DATA_CORRUPTED 0x6281u
#define MI_SW_EOF 0x6282u
#define MI_SW_FILE_DEACTIVATED 0x6283u
#define MI_SW_VERIFY_FAIL 0x63C0u      /*!< | x tries left */
#define MI_SW_MEMORY 0x6581u
#define MI_SW_WRONG_LENGTH 0x6700u
#define MI_SW_CHANNEL_NOT_SUPPORTED 0x6881u
#define MI_SW_SM_NOT_SUPPORTED 0x6882u
#define MI_SW_INCOMPATIBLE_FILE 0x6981u
#define MI_SW_SECURITY 0x6982u
#define MI_SW_BLOCKED 0x6983u
#define MI_SW_INVALIDATED 0x6984u
#define MI_SW_CONDITIONS 0x6985u
#define MI_SW_NO_EF 0x6986u
#define MI_SW_BAD_DATA 0x6A80u
#define MI_SW_FUNC_NOT_SUPPORTED 0x6A81u
#define MI_SW_NOT_FOUND 0x6A82u
#define MI_SW_RECORD_NOT_FOUND 0x6A83u
#define MI_SW_NO_MEMORY 0x6A84u
#define MI_SW_BAD_P1P2 0x6A86u
#define MI_SW_LC_P1P2 0x6A87u
#define MI_SW_REF_NOT_FOUND 0x6A88u
#define MI_SW_WRONG_P1P2 0x6B00u
#define MI_SW_BAD_INS 0x6D00u
#define MI_SW_BAD_CLA 0x6E00u
#define MI_SW_TECHNICAL 0x6F00u
#define MI_SW_AUTH_MAC 0x9862u

/*! Host-side only (not in the card build): a short text for a status word,
 *  from a const {sw, mask, text} table. Never NULL. */
const char *mi_sw_text(mi_u16 sw);

#endif /* MIMSI_MI_APDU_H */
