/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_types.h
 *  Fixed-width integer types and the two libc calls the applet core may use.
 *
 *  The core is freestanding C99: <stdint.h> and <stddef.h> are the only
 *  headers it takes from the compiler (both are required of a freestanding
 *  implementation, C99 §4). Nothing here assumes int is 32 bits: on avr-gcc
 *  int is 16 bits, and every quantity that can pass 65535 is an mi_u32.
 */
#ifndef MIMSI_MI_TYPES_H
#define MIMSI_MI_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t mi_u8;
typedef uint16_t mi_u16;
typedef uint32_t mi_u32;
typedef int8_t mi_s8;
typedef int16_t mi_s16;
typedef int32_t mi_s32;
typedef uint8_t mi_bool;

#define MI_TRUE ((mi_bool)1)
#define MI_FALSE ((mi_bool)0)

/* The only libc the core links: a card OS maps these to its own copies. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
#define MI_MEMCPY(d, s, n) memcpy((d), (s), (size_t)(n))
#define MI_MEMSET(d, c, n) memset((d), (c), (size_t)(n))

/* Big-endian field access without pointer casts (alignment-safe). */
#define MI_GET_U16_BE(p, off) \
	((mi_u16)(((mi_u16)(p)[(off)] << 8) | (mi_u16)(p)[(off) + 1]))
/* A loop, not one shift-or expression: gcc recognises the latter as a byte
 * swap and calls libgcc's __bswapsi2 on AVR (make card-check refuses that). */
static inline mi_u32 mi_get_u32_be(const mi_u8 *p)
{
	mi_u32 v = 0;
	mi_u8 i;

	for (i = 0; i < 4u; i++)
		v = (v << 8) | p[i];
	return v;
}
#define MI_GET_U32_BE(p, off) mi_get_u32_be((p) + (off))
#define MI_PUT_U16_BE(p, off, v)                              \
	do {                                                  \
		(p)[(off)] = (mi_u8)(((mi_u16)(v)) >> 8);     \
		(p)[(off) + 1] = (mi_u8)((mi_u16)(v) & 0xFFu); \
	} while (0)
#define MI_PUT_U32_BE(p, off, v)                                  \
	do {                                                      \
		(p)[(off)] = (mi_u8)(((mi_u32)(v)) >> 24);        \
		(p)[(off) + 1] = (mi_u8)((((mi_u32)(v)) >> 16) & 0xFFu); \
		(p)[(off) + 2] = (mi_u8)((((mi_u32)(v)) >> 8) & 0xFFu);  \
		(p)[(off) + 3] = (mi_u8)(((mi_u32)(v)) & 0xFFu);         \
	} while (0)

#define MI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A compile-time check (C99 has no _Static_assert): a negative array size
 * if \a cond is false. */
#define MI_STATIC_ASSERT(name, cond) typedef char mi_static_assert_##name[(cond) ? 1 : -1]

/* A small helper kept out of line: measured, the call is smaller than the
 * code gcc -Os would inline in its place (the card image budget). */
#if defined(__GNUC__)
#define MI_NOINLINE __attribute__((noinline))
#else
#define MI_NOINLINE
#endif

#endif /* MIMSI_MI_TYPES_H */
