/* SPDX-License-Identifier: Apache-2.0 */
/* MCC-MNC text; the digit, IMSI, ICCID and Luhn checks are host/common/mc_ids.c. */
#include <string.h>

#include "st.h"

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
	if (!mc_is_digits(mcc, 3, 3) || !mc_is_digits(mnc, 2, 3))
		return -1;
	return 0;
}
