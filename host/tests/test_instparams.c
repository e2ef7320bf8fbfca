/* SPDX-License-Identifier: Apache-2.0 */
/* INSTALL parameters: the linter against test-vectors/install-params/lint.txt
 * (good and bad blobs, the 6A80 cases), the builder's output and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka.h after the headers it needs */
#include <cmocka.h>

#include "ld_card.h"
#include "ld_instparams.h"

static int has_code(const struct ip_report *r, const char *code)
{
	unsigned k;

	for (k = 0; k < r->nx; k++)
		if (!strcmp(r->x[k].code, code))
			return 1;
	return 0;
}

static enum ip_kind kind_of(const char *s)
{
	if (!strcmp(s, "apdu"))
		return IP_KIND_APDU;
	if (!strcmp(s, "data"))
		return IP_KIND_DATA;
	if (!strcmp(s, "params"))
		return IP_KIND_PARAMS;
	if (!strcmp(s, "value"))
		return IP_KIND_VALUE;
	assert_string_equal(s, "auto");
	return IP_KIND_AUTO;
}

static void test_lint_vectors(void **state)
{
	FILE *f = fopen("test-vectors/install-params/lint.txt", "r");
	char line[1024], name[64], needs[8], kind[8], verdict[8], codes[128], hex[900];
	static struct ip_report r;
	struct ip_needs need;
	unsigned n = 0, bad = 0;

	(void)state;
	assert_non_null(f);
	ip_needs_mimsi(&need);
	while (fgets(line, sizeof(line), f)) {
		uint8_t blob[450];
		int len;
		char *c;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(sscanf(line, "%63s %7s %7s %7s %127s %899s", name, needs, kind,
					verdict, codes, hex),
				 6);
		len = ld_hex_parse(hex, blob, sizeof(blob));
		assert_true(len > 0);
		ip_lint(blob, (size_t)len, kind_of(kind), strcmp(needs, "mimsi") ? NULL : &need,
			&r);
		if ((r.errors != 0) != !strcmp(verdict, "bad"))
			fail_msg("%s: %u errors, expected %s", name, r.errors, verdict);
		for (c = strtok(codes, ","); c && strcmp(c, "-"); c = strtok(NULL, ","))
			if (!has_code(&r, c))
				fail_msg("%s: no finding %s", name, c);
		/* every field lies inside the blob */
		for (unsigned k = 0; k < r.nf; k++)
			assert_true(r.f[k].off + r.f[k].len <= (unsigned)len);
		bad += r.errors != 0;
		n++;
	}
	fclose(f);
	assert_true(n >= 40);
	assert_true(bad >= 25);
}

static const char *field_text(const struct ip_report *r, const char *path)
{
	unsigned k;

	for (k = 0; k < r->nf; k++)
		if (!strcmp(r->f[k].path, path))
			return r->f[k].text;
	return "";
}

static void hex_eq(const uint8_t *b, int n, const char *want)
{
	char h[600];
	int i;

	assert_true(n > 0);
	for (i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02X", b[i]);
	assert_string_equal(h, want);
}

static void test_build_defaults(void **state)
{
	struct ip_spec s;
	uint8_t out[256];
	int n;

	(void)state;
	ip_spec_mimsi(&s);
	n = ip_build(&s, 0, out, sizeof(out));
	/* C9 empty; EF{CA: access 00, priority 1, 4 timers, text 11, 1 entry
	 * (position 1, id 1), 0 channels, no MSL, no TAR} */
	hex_eq(out, n, "C900EF0DCA0B010001040B010101000000");
	n = ip_build(&s, 1, out, sizeof(out));
	hex_eq(out, n, "010001040B010101000000");
}

static void test_build_uicc_form(void **state)
{
	static const uint8_t usim[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	static struct ip_report r;
	struct ip_needs need;
	struct ip_spec s;
	uint8_t out[256];
	int n;

	(void)state;
	ip_spec_mimsi(&s);
	s.uicc_form = 1;
	memcpy(s.usim_aid, usim, sizeof(usim));
	s.usim_aid_len = sizeof(usim);
	s.tar[0][0] = 0xB0;
	s.tar[0][2] = 0x20;
	s.n_tar = 1;
	s.services = 2;
	s.nv_quota = 70000;
	n = ip_build(&s, 0, out, sizeof(out));
	hex_eq(out, n,
	       "C900EF06C80400011170EA20800D01040B010101000003B0002002810F0001000007A0000000871002"
	       "010000");
	ip_needs_mimsi(&need);
	assert_int_equal(ip_lint(out, (size_t)n, IP_KIND_AUTO, &need, &r), 0);
	assert_string_equal(field_text(&r, "EA/80/services"), "maximum number of services 2");
	assert_string_equal(field_text(&r, "EA/80/tar"), "TAR B00020");
	assert_string_equal(field_text(&r, "EF/C8"), "non-volatile memory quota 70000 bytes");
}

static void test_build_limits(void **state)
{
	struct ip_spec s;
	uint8_t out[256];

	(void)state;
	ip_spec_mimsi(&s);
	s.menu_entries = IP_MAX_MENU + 1;
	assert_int_equal(ip_build(&s, 0, out, sizeof(out)), -1);
	ip_spec_mimsi(&s);
	s.ad_len = 0;
	assert_int_equal(ip_build(&s, 0, out, sizeof(out)), -1);
	ip_spec_mimsi(&s);
	assert_int_equal(ip_build(&s, 0, out, 10), -1); /* does not fit */
}

static void test_lint_truncations_never_overrun(void **state)
{
	struct ip_spec s;
	static struct ip_report r;
	struct ip_needs need;
	uint8_t out[256];
	int n, k;

	(void)state;
	ip_spec_mimsi(&s);
	s.uicc_form = 1;
	s.n_tar = 2;
	s.msl[0] = 0x12;
	s.msl_len = 1;
	n = ip_build(&s, 0, out, sizeof(out));
	assert_true(n > 0);
	ip_needs_mimsi(&need);
	/* every shorter prefix is read without overrun; one that cuts a TLV is an error */
	for (k = 1; k < n; k++) {
		uint8_t *cut = malloc((size_t)k);
		assert_non_null(cut);
		memcpy(cut, out, (size_t)k);
		ip_lint(cut, (size_t)k, IP_KIND_PARAMS, &need, &r);
		if (k > 2)
			assert_true(r.errors > 0);
		free(cut);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lint_vectors),
	    cmocka_unit_test(test_build_defaults),
	    cmocka_unit_test(test_build_uicc_form),
	    cmocka_unit_test(test_build_limits),
	    cmocka_unit_test(test_lint_truncations_never_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
