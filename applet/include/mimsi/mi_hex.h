/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_hex.h
 *  Hex text <-> bytes for the host tools (compiler, simulator, loader, tests).
 *  Host-only: implemented in applet/host/mi_hex_text.c, outside the card core.
 */
#ifndef MIMSI_MI_HEX_H
#define MIMSI_MI_HEX_H

#include "mi_types.h"

/*! Decode hex digits (either case) into \a out; white space and ':' between
 *  digits are skipped, so "00 A4 04 00", "00:A4:04:00" and "00A40400" are the same.
 *  \returns the byte count, MI_ERR_DIGIT (a non-hex character), MI_ERR_LENGTH
 *  (odd digit count) or MI_ERR_CAPACITY (more than \a cap bytes). */
int mi_hex_decode(const char *text, mi_u8 *out, mi_u16 cap);

/*! Encode \a len bytes as upper-case hex plus a NUL.
 *  \returns the characters written (2 * len) or MI_ERR_CAPACITY. */
int mi_hex_encode(const mi_u8 *buf, mi_u16 len, char *out, mi_u16 cap);

#endif /* MIMSI_MI_HEX_H */
