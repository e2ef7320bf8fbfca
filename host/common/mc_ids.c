/* SPDX-License-Identifier: Apache-2.0 */
/* Identifier checks shared by mimsi-card and mimsi-stock (mc_ids.h). */
#include "mc_ids.h"

#include <string.h>

int mc_is_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int mc_imsi_ok(const char *s)
{
	return mc_is_digits(s, MC_IMSI_MIN, MC_IMSI_MAX);
}

int mc_iccid_ok(const char *s)
{
	return mc_is_digits(s, MC_ICCID_MIN, MC_ICCID_MAX);
}

int mc_luhn_digit(const char *digits)
{
	/* from the rightmost digit, double every other one and add the digit
	 * sums; the check digit brings the total to a multiple of 10 */
	size_t n = strlen(digits), i;
	int sum = 0, dbl = 1;

	if (!mc_is_digits(digits, 1, n))
		return -1;
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

int mc_luhn_ok(const char *digits)
{
	char body[32];
	size_t n = strlen(digits);

	if (n < 2 || n >= sizeof(body) || !mc_is_digits(digits, n, n))
		return 0;
	memcpy(body, digits, n - 1);
	body[n - 1] = '\0';
	return mc_luhn_digit(body) == digits[n - 1] - '0';
}
