/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_apdu.c
 *  mi_apdu_parse (ISO/IEC 7816-4 §5.1, short cases 1..4). Properties: the
 *  case agrees with the length, data lies inside the input, and the APDU
 *  rebuilt from the parsed fields is the input byte for byte.
 */
#include <string.h>

#include "fuzz.h"
#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mi_apdu a;
	mi_u8 back[4u + 1u + 255u + 1u];
	size_t n = 4;
	int rc;

	if (!FUZZ_LEN_OK(size))
		return 0;
	rc = mi_apdu_parse(data, (mi_u16)size, &a);
	if (rc != MI_OK) {
		FUZZ_ASSERT(rc == MI_ERR_TRUNCATED || rc == MI_ERR_LENGTH ||
			    rc == MI_ERR_UNSUPPORTED);
		FUZZ_ASSERT(a.data == NULL);
		FUZZ_ASSERT(rc != MI_ERR_TRUNCATED || size < 4u);
		return 0;
	}
	FUZZ_ASSERT(size >= 4u && size <= sizeof(back));
	back[0] = a.cla;
	back[1] = a.ins;
	back[2] = a.p1;
	back[3] = a.p2;
	switch (a.apdu_case) {
	case MI_APDU_CASE_1:
		FUZZ_ASSERT(a.lc == 0u && a.le == 0u && a.data == NULL);
		break;
	case MI_APDU_CASE_2:
		FUZZ_ASSERT(a.lc == 0u && a.data == NULL && a.le >= 1u && a.le <= 256u);
		back[n++] = (mi_u8)(a.le & 0xFFu);
		break;
	case MI_APDU_CASE_3:
	case MI_APDU_CASE_4:
		FUZZ_ASSERT(a.lc >= 1u && a.lc <= 255u && a.data == data + 5);
		back[n++] = (mi_u8)a.lc;
		memcpy(back + n, a.data, a.lc);
		n += a.lc;
		if (a.apdu_case == MI_APDU_CASE_4) {
			FUZZ_ASSERT(a.le >= 1u && a.le <= 256u);
			back[n++] = (mi_u8)(a.le & 0xFFu);
		} else {
			FUZZ_ASSERT(a.le == 0u);
		}
		break;
	default:
		FUZZ_ASSERT(a.apdu_case >= MI_APDU_CASE_1 && a.apdu_case <= MI_APDU_CASE_4);
	}
	FUZZ_ASSERT(n == size && memcmp(back, data, size) == 0);
	return 0;
}
