/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_crc32.c
 *  CRC-32 of IEEE 802.3 (as zlib's crc32()), reflected polynomial 0xEDB88320,
 *  processed a bit at a time: no table at all (a nibble table costs 64 bytes
 *  of ROM, a byte table 1 KiB), fine for files of a few KiB checked at reset.
 */
#include "mimsi/mi_ef.h"

#define MI_CRC32_POLY 0xEDB88320UL /* IEEE 802.3, reflected */

mi_u32 mi_crc32(mi_u32 crc, const mi_u8 *buf, mi_u16 len)
{
	mi_u16 i;
	mi_u8 k;

	crc = ~crc;
	for (i = 0; i < len; i++) {
		crc ^= (mi_u32)buf[i];
		/* shift one bit out; where it was 1, xor the polynomial in */
		for (k = 0; k < 8u; k++)
			crc = (crc >> 1) ^ (MI_CRC32_POLY & (0UL - (crc & 1u)));
	}
	return ~crc;
}
