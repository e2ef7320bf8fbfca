/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_bcd.c
 *  mi_imsi_decode (TS 31.102 §4.2.2) and mi_iccid_decode (TS 102 221
 *  §13.2). Properties: the digit count is in range and matches the string,
 *  every char is a digit, encode(decode(x)) gives back the bytes the decoder
 *  read, and a buffer one byte short gets MI_ERR_CAPACITY with nothing
 *  written past it (the short buffer is an exact heap block, so ASan sees it).
 */
#include <string.h>

#include "fuzz.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"

static void check_digits(const char *d, int n, int min, int max)
{
	int k;

	FUZZ_ASSERT(n >= min && n <= max);
	FUZZ_ASSERT(strlen(d) == (size_t)n);
	for (k = 0; k < n; k++)
		FUZZ_ASSERT(d[k] >= '0' && d[k] <= '9');
}

static void fuzz_imsi(const mi_u8 *ef, mi_u16 len)
{
	char digits[MI_IMSI_MAX_DIGITS + 1u];
	mi_u8 back[MI_EF_IMSI_LEN];
	char *tight;
	int n, m;

	n = mi_imsi_decode(ef, len, digits, sizeof(digits));
	if (n < 0)
		return;
	check_digits(digits, n, (int)MI_IMSI_MIN_DIGITS, (int)MI_IMSI_MAX_DIGITS);
	m = mi_imsi_encode(digits, (mi_u16)n, back, sizeof(back));
	FUZZ_ASSERT(m == (int)MI_EF_IMSI_LEN);
	FUZZ_ASSERT(back[0] == ef[0] && memcmp(back, ef, 1u + ef[0]) == 0);

	tight = malloc((size_t)n);
	FUZZ_ASSERT(tight != NULL);
	FUZZ_ASSERT(mi_imsi_decode(ef, len, tight, (mi_u16)n) == MI_ERR_CAPACITY);
	free(tight);
}

static void fuzz_iccid(const mi_u8 *ef, mi_u16 len)
{
	char digits[MI_ICCID_MAX_DIGITS + 1u];
	mi_u8 back[MI_EF_ICCID_LEN];
	char *tight;
	int n, m;

	n = mi_iccid_decode(ef, len, digits, sizeof(digits));
	if (n < 0)
		return;
	check_digits(digits, n, (int)MI_ICCID_MIN_DIGITS, (int)MI_ICCID_MAX_DIGITS);
	m = mi_iccid_encode(digits, (mi_u16)n, back, sizeof(back));
	FUZZ_ASSERT(m == (int)MI_EF_ICCID_LEN);
	FUZZ_ASSERT(memcmp(back, ef, MI_EF_ICCID_LEN) == 0);

	tight = malloc((size_t)n);
	FUZZ_ASSERT(tight != NULL);
	FUZZ_ASSERT(mi_iccid_decode(ef, len, tight, (mi_u16)n) == MI_ERR_CAPACITY);
	free(tight);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!FUZZ_LEN_OK(size))
		return 0;
	fuzz_imsi(data, (mi_u16)size);
	fuzz_iccid(data, (mi_u16)size);
	return 0;
}
