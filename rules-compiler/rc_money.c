/* SPDX-License-Identifier: Apache-2.0 */
/* Exact fixed-point money: micro-units in int64_t, no floating point. */
#include <stdio.h>
#include <string.h>

#include "rc.h"

int rc_money_parse(const char *s, int64_t *micro, char *why, size_t whylen)
{
	int64_t ip = 0, fp = 0;
	int nint = 0, nfrac = 0;
	const char *p = s;

	if (*p == '\0') {
		snprintf(why, whylen, "empty price");
		return -1;
	}
	if (*p == '-') {
		snprintf(why, whylen, "negative price '%s'", s);
		return -1;
	}
	if (*p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, nint++) {
		if (nint == RC_INT_DIGITS) {
			snprintf(why, whylen, "price '%s' has more than %d integer digits", s,
				 RC_INT_DIGITS);
			return -1;
		}
		ip = ip * 10 + (*p - '0');
	}
	if (*p == ',') {
		snprintf(why, whylen, "price '%s' uses a decimal comma: write '.'", s);
		return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			if (nfrac == RC_DECIMALS) {
				snprintf(why, whylen,
					 "price '%s' has more than %d decimals (exact micro-units; "
					 "not rounded)",
					 s, RC_DECIMALS);
				return -1;
			}
			fp = fp * 10 + (*p - '0');
		}
		if (nfrac == 0) {
			snprintf(why, whylen, "price '%s' has no digit after '.'", s);
			return -1;
		}
	}
	if (*p != '\0' || nint == 0) {
		snprintf(why, whylen, "price '%s' is not a decimal number (digits, optional '.')",
			 s);
		return -1;
	}
	for (; nfrac < RC_DECIMALS; nfrac++)
		fp *= 10;
	*micro = ip * RC_SCALE + fp;
	return 0;
}

void rc_money_format(int64_t micro, char *out, size_t cap)
{
	int64_t ip = micro / RC_SCALE, fp = micro % RC_SCALE;
	char frac[8];
	int n;

	if (micro < 0) {
		ip = -ip;
		fp = -fp;
	}
	snprintf(frac, sizeof(frac), "%06lld", (long long)fp);
	for (n = RC_DECIMALS; n > 2 && frac[n - 1] == '0'; n--)
		;
	frac[n] = '\0';
	snprintf(out, cap, "%s%lld.%s", micro < 0 ? "-" : "", (long long)ip, frac);
}

/* amount * rate / 1e6, half-up. The rate is split into its integer and
 * fractional parts so that every product stays inside 64 bits:
 * amount <= 1e15, rate_int * amount is checked, rate_frac < 1e6. */
int rc_money_convert(int64_t amount, int64_t rate, int64_t *out)
{
	int64_t ri = rate / RC_SCALE, rf = rate % RC_SCALE, whole, part;

	if (amount < 0 || rate < 0 || amount > RC_MONEY_MAX)
		return -1;
	if (ri != 0 && amount > RC_MONEY_MAX / ri)
		return -1;
	whole = amount * ri;
	/* amount * rf <= 1e15 * 1e6 would overflow: split amount too */
	part = (amount / RC_SCALE) * rf + ((amount % RC_SCALE) * rf + RC_SCALE / 2) / RC_SCALE;
	if (whole > RC_MONEY_MAX - part)
		return -1;
	*out = whole + part;
	return 0;
}
