/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_crc32.c
 *  CRC-32 of IEEE 802.3 (as zlib's crc32()), reflected polynomial 0xEDB88320,
 *  processed a nibble at a time: a 16-entry const table (64 bytes of ROM)
 *  instead of the usual 1 KiB byte table, fine for files of a few KiB.
 */
#include "mimsi/mi_ef.h"

/* crc of the 4-bit value i shifted through the reflected polynomial. */
static const mi_u32 mi_crc32_nibble[16] = {
    0x00000000UL, 0x1DB71064UL, 0x3B6E20C8UL, 0x26D930ACUL, 0x76DC4190UL, 0x6B6B51F4UL,
    0x4DB26158UL, 0x5005713CUL, 0xEDB88320UL, 0xF00F9344UL, 0xD6D6A3E8UL, 0xCB61B38CUL,
    0x9B64C2B0UL, 0x86D3D2D4UL, 0xA00AE278UL, 0xBDBDF21CUL,
};

mi_u32 mi_crc32(mi_u32 crc, const mi_u8 *buf, mi_u16 len)
{
	mi_u16 i;

	crc = ~crc;
	for (i = 0; i < len; i++) {
		crc ^= (mi_u32)buf[i];
		crc = (crc >> 4) ^ mi_crc32_nibble[crc & 0x0Fu];
		crc = (crc >> 4) ^ mi_crc32_nibble[crc & 0x0Fu];
	}
	return ~crc;
}
