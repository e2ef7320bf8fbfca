/* SPDX-License-Identifier: Apache-2.0 */
/* Card images (docs/card-image.md): load -> save -> load round trips, state
 * kept between runs, and every malformed image of
 * test-vectors/card-image/invalid/ refused with its JSON path. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim_int.h"
#include "sim_test_util.h"

static void tmpname(char *buf, size_t n, const char *tag)
{
	snprintf(buf, n, "/tmp/mimsi-test-image-%ld-%s.json", (long)getpid(), tag);
}

/* DF.GSM's EF.IMSI is ADF.USIM's, seen from a 2G terminal: one content,
 * before and after an image round trip (a copy would go stale when the
 * applet switches the IMSI). */
static void test_gsm_links_share_content(void **state)
{
	char a[128], err[256];
	struct sim_card *c = sim_card_new_default(), *d;
	int u, g;

	(void)state;
	assert_non_null(c);
	tmpname(a, sizeof(a), "links");
	assert_int_equal(sim_card_save(c, a, err, sizeof(err)), SIM_OK);
	d = sim_card_load(a, err, sizeof(err));
	if (!d)
		fail_msg("%s", err);
	u = sim_fs_by_path_str(d, "3F00/7FF0/6F07");
	g = sim_fs_by_path_str(d, "3F00/7F20/6F07");
	assert_true(u >= 0 && g >= 0 && u != g);
	assert_ptr_equal(sim_fs_data(d, u), sim_fs_data(d, g));
	sim_fs_data(d, u)[1] = 0x55;
	assert_int_equal(sim_fs_data(d, g)[1], 0x55);
	sim_card_free(c);
	sim_card_free(d);
	remove(a);
}

static void test_round_trip(void **state)
{
	char a[128], b[128], err[256];
	struct sim_card *c = sim_card_new_default(), *d;
	char *ta, *tb;
	uint8_t imsi[9];

	(void)state;
	assert_non_null(c);
	tmpname(a, sizeof(a), "a");
	tmpname(b, sizeof(b), "b");
	assert_int_equal(sim_card_save(c, a, err, sizeof(err)), SIM_OK);
	d = sim_card_load(a, err, sizeof(err));
	if (!d)
		fail_msg("%s", err);
	assert_int_equal(sim_card_save(d, b, err, sizeof(err)), SIM_OK);
	ta = st_image_text(c);
	tb = st_image_text(d);
	assert_non_null(ta);
	assert_non_null(tb);
	assert_string_equal(ta, tb);
	/* the loaded card is the same card to a terminal */
	assert_int_equal(sim_card_power_on(d, NULL, NULL), SIM_OK);
	assert_int_equal(st_xmit(d, "00A4080C047FFF6F07", NULL, NULL), 0x9000);
	assert_int_equal(sim_card_ef_read(d, "7FFF/6F07", imsi, sizeof(imsi)), 9);
	assert_int_equal(imsi[1], 0x29);
	free(ta);
	free(tb);
	sim_card_free(c);
	sim_card_free(d);
	unlink(a);
	unlink(b);
}

/* What a terminal changed is there after save and load: EF contents, PIN
 * counters, the SQN of the key set. */
static void test_state_survives(void **state)
{
	char a[128], err[256];
	struct sim_card *c = sim_card_new_default(), *d;
	uint8_t spn[17], rsp[300];
	size_t rl = sizeof(rsp);

	(void)state;
	assert_non_null(c);
	tmpname(a, sizeof(a), "s");
	assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
	assert_int_equal(st_xmit(c, "0020000A083030303030303030", NULL, NULL), 0x63C2);
	assert_int_equal(st_xmit(c, "0020008108 3030303030303030", NULL, NULL), 0x63C2);
	assert_int_equal(st_xmit(c, "00A4040C07A0000000871002", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "008800812210 23553CBE9637A89D218AE64DAE47BF35 10 "
				    "55F328B43577B9B94A9FFAC354DFAFB3", NULL, NULL), 0x6135);
	assert_int_equal(st_xmit(c, "0020000A083132333435363738", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "00A4000C026F46", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "00D6000003016162", NULL, NULL), 0x9000);
	assert_int_equal(sim_card_save(c, a, err, sizeof(err)), SIM_OK);
	sim_card_free(c);

	d = sim_card_load(a, err, sizeof(err));
	if (!d)
		fail_msg("%s", err);
	assert_int_equal(sim_card_power_on(d, NULL, NULL), SIM_OK);
	assert_int_equal(sim_card_ef_read(d, "7FFF/6F46", spn, sizeof(spn)), 17);
	assert_memory_equal(spn, "\x01\x61\x62", 3);
	/* ADM counter back to 3 after the right value; PIN2 still at 2 */
	assert_int_equal(st_xmit(d, "0020000A", NULL, NULL), 0x63C3);
	assert_int_equal(st_xmit(d, "00200081", NULL, NULL), 0x63C2);
	/* the SQN moved on: the same vector is now a replay (resync) */
	assert_int_equal(st_xmit(d, "00A4040C07A0000000871002", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(d, "008800812210 23553CBE9637A89D218AE64DAE47BF35 10 "
				    "55F328B43577B9B94A9FFAC354DFAFB3", NULL, NULL), 0x6110);
	assert_int_equal(st_xmit(d, "00C0000010", rsp, &rl), 0x9000);
	assert_int_equal(rsp[0], 0xDC);
	sim_card_free(d);
	unlink(a);
}

static void test_minimal_valid(void **state)
{
	char err[256];
	struct sim_card *c = sim_card_load("test-vectors/card-image/valid/minimal.json", err, sizeof(err));
	uint8_t atr[40];
	size_t al = sizeof(atr);

	(void)state;
	if (!c)
		fail_msg("%s", err);
	assert_int_equal(sim_card_power_on(c, atr, &al), SIM_OK);
	assert_int_equal(al, 22);
	assert_int_equal(atr[al - 1], 0xA5);
	assert_int_equal(st_xmit(c, "00A4000C022FE2", NULL, NULL), 0x9000);
	assert_int_equal(st_xmit(c, "00B0000002", NULL, NULL), 0x9000);
	/* no ADF in this card */
	assert_int_equal(st_xmit(c, "00A4040C07A0000000871002", NULL, NULL), 0x6A82);
	sim_card_free(c);
}

static void test_invalid_images(void **state)
{
	const char *dir = "test-vectors/card-image/invalid";
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512], epath[512], want[256], err[512];
		size_t len = strlen(e->d_name);
		struct sim_card *c;
		FILE *f;

		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(epath, sizeof(epath), "%s/%.*s.error", dir, (int)(len - 5), e->d_name);
		f = fopen(epath, "r");
		assert_non_null(f);
		assert_non_null(fgets(want, sizeof(want), f));
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		err[0] = '\0';
		c = sim_card_load(path, err, sizeof(err));
		if (c)
			fail_msg("%s: loaded, expected: %s", path, want);
		if (!strstr(err, want))
			fail_msg("%s: error \"%s\" lacks \"%s\"", path, err, want);
		/* never a secret in a message */
		assert_null(strstr(err, "465B5CE8"));
		assert_null(strstr(err, "CD63CB71"));
		assert_null(strstr(err, "12a4"));
		n++;
	}
	closedir(d);
	assert_true(n >= 10);
	printf("%u malformed images refused with their JSON path\n", n);
}

static void test_missing_file(void **state)
{
	char err[256];

	(void)state;
	assert_null(sim_card_load("test-vectors/card-image/no-such.json", err, sizeof(err)));
	assert_non_null(strstr(err, "no-such.json"));
	assert_null(sim_card_load(NULL, err, sizeof(err)));
	assert_int_equal(sim_card_save(NULL, "/tmp/x.json", err, sizeof(err)), SIM_ERR_PARAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_state_survives),
		cmocka_unit_test(test_minimal_valid),  cmocka_unit_test(test_invalid_images),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_gsm_links_share_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
