/* SPDX-License-Identifier: Apache-2.0 */
/* Identifiers: ICCID check digit, IMSI digits, MCC-MNC. */
#include <string.h>

#include "st.h"

int st_luhn_digit(const char *digits)
{
	/* ITU-T E.118 §4.2 and Annex B: the ICCID's last digit is the Luhn
	 * (ISO/IEC 7812-1 Annex B) check digit over all the digits before it:
	 * from the rightmost, double every other digit, add the digit sums. */
	size_t n = strlen(digits), i;
	int sum = 0, dbl = 1;

	for (i = n; i-- > 0; dbl = !dbl) {
		int v = digits[i] - '0';
		if (dbl) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return (10 - sum % 10) % 10;
}

int st_luhn_ok(const char *digits)
{
	char body[32];
	size_t n = strlen(digits);

	if (n < 2 || n >= sizeof(body) || !st_is_digits(digits, n, n))
		return 0;
	memcpy(body, digits, n - 1);
	body[n - 1] = '\0';
	return st_luhn_digit(body) == digits[n - 1] - '0';
}

int st_is_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int st_plmn_parse(const char *s, char mcc[4], char mnc[4])
{
	/* TS 23.003 §2.2: MCC 3 digits, MNC 2 or 3 */
	const char *dash = strchr(s, '-');
	size_t nm;

	if (!dash || dash - s != 3)
		return -1;
	nm = strlen(dash + 1);
	if (nm < 2 || nm > 3)
		return -1;
	memcpy(mcc, s, 3);
	mcc[3] = '\0';
	memcpy(mnc, dash + 1, nm + 1);
	if (!st_is_digits(mcc, 3, 3) || !st_is_digits(mnc, 2, 3))
		return -1;
	return 0;
}
