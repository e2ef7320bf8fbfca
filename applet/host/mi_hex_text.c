/* SPDX-License-Identifier: Apache-2.0 */
/* Hex text <-> bytes (host-only, see mi_hex.h). */
#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_hex.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

int mi_hex_decode(const char *text, mi_u8 *out, mi_u16 cap)
{
	mi_u16 n = 0;
	int hi = -1;

	for (; *text; text++) {
		int v;

		if (is_separator(*text))
			continue;
		v = nibble(*text);
		if (v < 0)
			return MI_ERR_DIGIT;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap || n >= MI_LEN_MAX)
			return MI_ERR_CAPACITY;
		out[n++] = (mi_u8)((hi << 4) | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : MI_ERR_LENGTH;
}

int mi_hex_encode(const mi_u8 *buf, mi_u16 len, char *out, mi_u16 cap)
{
	static const char digits[] = "0123456789ABCDEF";
	mi_u16 i;

	if (len > MI_LEN_MAX / 2u || cap < (mi_u16)(2u * len + 1u))
		return MI_ERR_CAPACITY;
	for (i = 0; i < len; i++) {
		out[2u * i] = digits[buf[i] >> 4];
		out[2u * i + 1u] = digits[buf[i] & 0x0Fu];
	}
	out[2u * len] = '\0';
	return (int)(2u * len);
}
