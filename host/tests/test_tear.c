/* SPDX-License-Identifier: Apache-2.0 */
/* Reader pulled at every APDU of a write (in-process simulator): after the
 * card comes back, the set it holds is the old one or the new one, never a
 * mix, and a second write completes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ld_card.h"
#include "ld_mimsi.h"
#include "ld_write.h"
#include "sim_card.h"

#define SET_A "test-vectors/apdu/host-set-a"
#define SET_B "test-vectors/apdu/host-set-b"

static const uint8_t adm[8] = {'1', '2', '3', '4', '5', '6', '7', '8'};

struct rig {
	struct sim_card *card;
	struct ld_transport t;
	struct ld_card c;
};

static void rig_up(struct rig *g)
{
	g->card = sim_card_new_default();
	assert_non_null(g->card);
	assert_int_equal(ld_sim_attach(&g->t, g->card), LD_OK);
	ld_card_init(&g->c, &g->t);
	assert_int_equal(ld_card_power(&g->c), LD_OK);
}

static void rig_down(struct rig *g)
{
	ld_transport_close(&g->t);
	sim_card_free(g->card);
}

static int write_dir(struct rig *g, const char *dir, unsigned chunk, struct ld_write_result *r)
{
	struct ld_set s;
	struct ld_write_opts o;
	char err[300];
	int rc;

	assert_int_equal(ld_set_load_dir(dir, &s, err, sizeof(err)), LD_OK);
	ld_write_opts_default(&o);
	o.adm = adm;
	g->c.max_chunk = chunk;
	rc = ld_write_set(&g->c, &s, &o, r, err, sizeof(err));
	ld_set_free(&s);
	return rc;
}

/* 1 = old (A), 2 = new (B), 0 = neither */
static int which_set(struct rig *g)
{
	struct ld_image img;
	struct ld_set a, b;
	char err[200];
	int w[LD_KINDS], res = 0, is_a = 1, is_b = 1;
	uint32_t seq;
	unsigned k;

	assert_int_equal(ld_image_read(&g->c, &img), LD_OK);
	assert_int_equal(ld_set_load_dir(SET_A, &a, err, sizeof(err)), LD_OK);
	assert_int_equal(ld_set_load_dir(SET_B, &b, err, sizeof(err)), LD_OK);
	if (ld_image_active(&img, w, &seq)) {
		for (k = 0; k < LD_KINDS; k++) {
			const struct ld_bank *bk = &img.bank[k][w[k]];
			const uint8_t *body = bk->data + MI_EF_HDR_LEN;
			uint16_t n = bk->hdr.body_len;
			is_a &= n == a.len[k] - MI_EF_HDR_LEN &&
				!memcmp(body, a.file[k] + MI_EF_HDR_LEN, n);
			is_b &= n == b.len[k] - MI_EF_HDR_LEN &&
				!memcmp(body, b.file[k] + MI_EF_HDR_LEN, n);
		}
		res = is_a ? 1 : is_b ? 2 : 0;
	}
	ld_set_free(&a);
	ld_set_free(&b);
	ld_image_free(&img);
	return res;
}

static void tear_run(unsigned chunk)
{
	struct ld_write_result r;
	struct rig g;
	unsigned long total;
	long cut;
	unsigned old_seen = 0, new_seen = 0;

	/* how many commands a whole write of B over A takes */
	rig_up(&g);
	assert_int_equal(write_dir(&g, SET_A, 255, &r), LD_OK);
	total = ld_sim_commands(&g.t);
	assert_int_equal(write_dir(&g, SET_B, chunk, &r), LD_OK);
	total = ld_sim_commands(&g.t) - total;
	rig_down(&g);

	for (cut = 0; cut <= (long)total; cut++) {
		int got, rc;
		rig_up(&g);
		assert_int_equal(write_dir(&g, SET_A, 255, &r), LD_OK);
		ld_sim_cut_after(&g.t, cut);
		rc = write_dir(&g, SET_B, chunk, &r);
		if (cut < (long)total)
			assert_int_equal(rc, LD_ERR_REMOVED);
		else
			assert_int_equal(rc, LD_OK);
		assert_int_equal(ld_sim_reinsert(&g.t), LD_OK);
		got = which_set(&g);
		if (got == 1)
			old_seen++;
		else if (got == 2)
			new_seen++;
		else
			fail_msg("cut after %ld of %lu commands: the card holds a mixed set", cut,
				 total);
		/* and the next write finishes the job */
		assert_int_equal(write_dir(&g, SET_B, chunk, &r), LD_OK);
		assert_int_equal(which_set(&g), 2);
		rig_down(&g);
	}
	printf("tear: chunk %u: %lu cut points tried (0..%lu): old set %u times, new set %u times, "
	       "mixed 0\n",
	       chunk, total + 1, total, old_seen, new_seen);
	assert_true(old_seen > 0);
	assert_true(new_seen > 0);
}

static void test_tear_chunk_255(void **state)
{
	(void)state;
	tear_run(255);
}

static void test_tear_chunk_16(void **state)
{
	(void)state;
	tear_run(16); /* many UPDATE commands per file: cuts inside files */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tear_chunk_255),
		cmocka_unit_test(test_tear_chunk_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
