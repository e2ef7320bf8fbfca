/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_err.c
 *  Host-side texts: mi_strerror() for every mi_err and mi_sw_text() for the
 *  status words of TS 102 221 §10.2.1 and ISO 7816-4 §5.1.3, exact and masked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"

static void test_strerror(void **state)
{
	const char *seen[16];
	int e, i;

	(void)state;
	/* every code has its own non-empty text */
	for (e = MI_OK; e >= MI_ERR_PARAM; e--) {
		const char *t = mi_strerror(e);

		assert_non_null(t);
		assert_true(strlen(t) > 3);
		assert_null(strstr(t, "unknown"));
		for (i = 0; i < MI_OK - e; i++)
			assert_string_not_equal(t, seen[i]);
		seen[MI_OK - e] = t;
	}
	assert_string_equal(mi_strerror(MI_ERR_CRC), "CRC mismatch (torn or corrupt file)");
	assert_string_equal(mi_strerror(-99), "unknown error");
	assert_non_null(mi_strerror(5));
}

static void test_sw_exact(void **state)
{
	(void)state;
	assert_string_equal(mi_sw_text(MI_SW_OK), "normal ending");
	assert_string_equal(mi_sw_text(MI_SW_NOT_FOUND), "file or application not found");
	assert_string_equal(mi_sw_text(MI_SW_SECURITY), "security status not satisfied");
	assert_string_equal(mi_sw_text(MI_SW_TOOLKIT_BUSY), "SIM application toolkit busy");
	assert_string_equal(mi_sw_text(MI_SW_AUTH_MAC), "authentication error, incorrect MAC");
	assert_string_equal(mi_sw_text(0x62F2),
			    "warning: more data available and proactive command pending");
	assert_string_equal(mi_sw_text(MI_SW_BAD_CLA), "class not supported");
}

static void test_sw_masked(void **state)
{
	(void)state;
	assert_string_equal(mi_sw_text(0x910B), mi_sw_text(MI_SW_PROACTIVE));
	assert_non_null(strstr(mi_sw_text(0x910B), "proactive"));
	assert_non_null(strstr(mi_sw_text(0x6115), "GET RESPONSE"));
	assert_non_null(strstr(mi_sw_text(0x6C09), "Le"));
	assert_non_null(strstr(mi_sw_text(0x63C2), "retries"));
	/* a specific word wins over its family */
	assert_string_not_equal(mi_sw_text(0x6A82), mi_sw_text(0x6A8F));
	assert_string_equal(mi_sw_text(0x6A8F), "wrong parameters");
	assert_string_equal(mi_sw_text(0x1234), "unknown status word");
	assert_string_equal(mi_sw_text(0x0000), "unknown status word");
}

/* Every status word of TS 102 221 §10.2.1 and ISO 7816-4 §5.1.3, and the
 * application errors 98xx, has a text of its own. */
static void test_sw_every_known_word_has_text(void **state)
{
	static const mi_u16 sws[] = {
	    0x9000, 0x9100, 0x9200, 0x9300, 0x6100, 0x6C00, 0x6200, 0x6281, 0x6282, 0x6283,
	    0x6284, 0x62F1, 0x62F2, 0x62F3, 0x63C0, 0x63F1, 0x63F2, 0x6400, 0x6500, 0x6581,
	    0x6700, 0x6881, 0x6882, 0x6981, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6A80,
	    0x6A81, 0x6A82, 0x6A83, 0x6A84, 0x6A86, 0x6A87, 0x6A88, 0x6B00, 0x6D00, 0x6E00,
	    0x6F00, 0x9850, 0x9862, 0x9863, 0x9864, 0x9865,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sws) / sizeof(sws[0]); i++) {
		if (strcmp(mi_sw_text(sws[i]), "unknown status word") == 0)
			fail_msg("no text for %04X", sws[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strerror),
	    cmocka_unit_test(test_sw_exact),
	    cmocka_unit_test(test_sw_masked),
	    cmocka_unit_test(test_sw_every_known_word_has_text),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
