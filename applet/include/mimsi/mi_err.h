/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_err.h
 *  One negative error namespace for the applet core and the shared codecs.
 *  Decoders return bytes consumed (>= 0) or one of these; 0 is success for
 *  calls that return no count. Values fit a 16-bit int.
 */
#ifndef MIMSI_MI_ERR_H
#define MIMSI_MI_ERR_H

enum mi_err {
	MI_OK = 0,
	MI_ERR_TRUNCATED = -1,    /*!< buffer ends before the item does */
	MI_ERR_LENGTH = -2,       /*!< a declared length is beyond what remains, or malformed */
	MI_ERR_CAPACITY = -3,     /*!< output buffer too small: nothing written past it */
	MI_ERR_DIGIT = -4,        /*!< a BCD nibble or text character is not a digit */
	MI_ERR_RANGE = -5,        /*!< a value is outside its allowed range (e.g. MNC of 4 digits) */
	MI_ERR_TAG = -6,          /*!< unexpected or missing tag */
	MI_ERR_FORMAT = -7,       /*!< structure is wrong (e.g. bad magic, bad APDU case) */
	MI_ERR_CRC = -8,          /*!< CRC mismatch: torn or corrupt file */
	MI_ERR_VERSION = -9,      /*!< unsupported format version */
	MI_ERR_STATE = -10,       /*!< event not valid in the current state (e.g. TR for no command) */
	MI_ERR_NV = -11,          /*!< NV read/write/commit failed in the port */
	MI_ERR_NOT_FOUND = -12,   /*!< lookup found nothing */
	MI_ERR_BUSY = -13,        /*!< a proactive command is already pending */
	MI_ERR_UNSUPPORTED = -14, /*!< the terminal or card lacks the feature */
	MI_ERR_PARAM = -15        /*!< a programmer passed a bad argument (NULL, bad index) */
};

/*! \returns a short English text for an mi_err value (never NULL). */
const char *mi_strerror(int err);

#endif /* MIMSI_MI_ERR_H */
