/* SPDX-License-Identifier: Apache-2.0 */
/* The write planner and the active-set rule, on in-memory card images built
 * from the sets in test-vectors/apdu/host-set-{a,b}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include "ld_card.h"
#include "ld_mimsi.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"

#define SET_A "test-vectors/apdu/host-set-a"
#define SET_B "test-vectors/apdu/host-set-b"

static const uint32_t sizes[LD_KINDS] = {MI_EF_CFG_SIZE, MI_EF_SLOTS_SIZE, MI_EF_RULES_SIZE};

/* A card with DF.MIMSI and six empty (FF) banks. */
static void img_empty(struct ld_image *img)
{
	unsigned k, bk;

	memset(img, 0, sizeof(*img));
	img->df_present = 1;
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			struct ld_bank *b = &img->bank[k][bk];
			b->fid = ld_bank_fid[k][bk];
			b->present = 1;
			b->size = sizes[k];
			b->data = malloc(b->size);
			assert_non_null(b->data);
			memset(b->data, 0xFF, b->size);
			b->read_len = b->size;
			ld_bank_eval(b, ld_kind_type[k]);
		}
}

/* Apply the first n updates of a plan to the image, as the card would. */
static void apply(struct ld_image *img, const struct ld_plan *p, size_t n)
{
	size_t i;
	unsigned k, bk;

	for (i = 0; i < n; i++)
		for (k = 0; k < LD_KINDS; k++)
			for (bk = 0; bk < 2; bk++) {
				struct ld_bank *b = &img->bank[k][bk];
				if (b->fid == p->upd[i].fid) {
					assert_true(p->upd[i].off + p->upd[i].len <= b->size);
					memcpy(b->data + p->upd[i].off, p->upd[i].data, p->upd[i].len);
				}
			}
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++)
			ld_bank_eval(&img->bank[k][bk], ld_kind_type[k]);
}

static void load(const char *dir, struct ld_set *s)
{
	char err[200];

	assert_int_equal(ld_set_load_dir(dir, s, err, sizeof(err)), LD_OK);
}

/* Does the active set of img carry exactly the bodies of s? */
static int active_is(const struct ld_image *img, const struct ld_set *s)
{
	int which[LD_KINDS];
	uint32_t seq;
	unsigned k;

	if (!ld_image_active(img, which, &seq))
		return 0;
	for (k = 0; k < LD_KINDS; k++) {
		const struct ld_bank *b = &img->bank[k][which[k]];
		if (b->hdr.body_len != s->len[k] - MI_EF_HDR_LEN ||
		    memcmp(b->data + MI_EF_HDR_LEN, s->file[k] + MI_EF_HDR_LEN, b->hdr.body_len))
			return 0;
	}
	return 1;
}

static void test_set_load(void **state)
{
	struct ld_set s;
	char err[200];

	(void)state;
	load(SET_A, &s);
	assert_int_equal(s.file[LD_CFG][0], 0x4D);
	assert_int_equal(s.len[LD_CFG], MI_EF_HDR_LEN + MI_CFG_BODY_LEN);
	ld_set_free(&s);
	assert_int_equal(ld_set_load_dir("test-vectors/apdu/no-such-dir", &s, err, sizeof(err)),
			 LD_ERR_PARAM);
	assert_non_null(strstr(err, "ef_cfg.bin"));
	/* a directory without the files */
	assert_int_equal(ld_set_load_dir("test-vectors/apdu", &s, err, sizeof(err)), LD_ERR_PARAM);
}

static void test_first_write_empty_card(void **state)
{
	struct ld_image img;
	struct ld_set a;
	struct ld_plan p;
	char err[200];
	size_t i;
	int which[LD_KINDS];
	uint32_t seq;

	(void)state;
	img_empty(&img);
	load(SET_A, &a);
	assert_false(ld_image_active(&img, which, &seq));
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_false(p.identical);
	assert_false(p.has_active);
	assert_int_equal(p.new_seq, 1);
	assert_int_equal(p.target[LD_CFG], 0); /* bank A */
	assert_int_equal(p.missing, 0);
	/* order: RULES, SLOTS, CFG */
	assert_int_equal(p.upd[0].fid, MI_EF_RULES_A);
	assert_int_equal(p.upd[p.n_upd - 1].fid, MI_EF_CFG_A);
	/* each file's header chunk is its last command */
	for (i = 0; i + 1 < p.n_upd; i++)
		if (p.upd[i].off == 0)
			assert_int_not_equal(p.upd[i + 1].fid, p.upd[i].fid);
	for (i = 0; i < p.n_upd; i++)
		assert_true(p.upd[i].len <= 255);
	apply(&img, &p, p.n_upd);
	assert_true(active_is(&img, &a));
	ld_plan_free(&p);

	/* the same set again: nothing to send */
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_true(p.identical);
	assert_int_equal(p.n_upd, 0);
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_image_free(&img);
}

static void test_second_set_goes_to_other_bank(void **state)
{
	struct ld_image img;
	struct ld_set a, b;
	struct ld_plan p;
	char err[200];
	size_t i;
	uint32_t seq;
	int which[LD_KINDS];

	(void)state;
	img_empty(&img);
	load(SET_A, &a);
	load(SET_B, &b);
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	apply(&img, &p, p.n_upd);
	ld_plan_free(&p);

	assert_int_equal(ld_plan_make(&img, &b, 64, &p, err, sizeof(err)), LD_OK);
	assert_true(p.has_active);
	assert_int_equal(p.active_seq, 1);
	assert_int_equal(p.new_seq, 2);
	for (i = 0; i < p.n_upd; i++) {
		assert_true(p.upd[i].fid == MI_EF_CFG_B || p.upd[i].fid == MI_EF_SLOTS_B ||
			    p.upd[i].fid == MI_EF_RULES_B);
		assert_true(p.upd[i].len <= 64);
	}
	apply(&img, &p, p.n_upd);
	assert_true(ld_image_active(&img, which, &seq));
	assert_int_equal(seq, 2);
	assert_true(active_is(&img, &b));
	ld_plan_free(&p);

	/* back to A: goes to bank A, only the differing ranges (set A is still there) */
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_int_equal(p.new_seq, 3);
	assert_int_equal(p.target[LD_RULES], 0);
	/* A's bodies are already in bank A: only the headers (seq + CRC) change */
	assert_int_equal(p.n_upd, 3);
	for (i = 0; i < p.n_upd; i++)
		assert_true(p.upd[i].off < MI_EF_HDR_LEN && p.upd[i].len <= MI_EF_HDR_LEN);
	apply(&img, &p, p.n_upd);
	assert_true(active_is(&img, &a));
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_set_free(&b);
	ld_image_free(&img);
}

/* Cut after every command: the active set is the old one or the new one. */
static void test_tear_every_prefix(void **state)
{
	struct ld_set a, b;
	struct ld_plan p;
	char err[200];
	size_t cut;
	unsigned old_seen = 0, new_seen = 0;

	(void)state;
	load(SET_A, &a);
	load(SET_B, &b);
	{
		struct ld_image img;
		img_empty(&img);
		assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
		apply(&img, &p, p.n_upd);
		ld_plan_free(&p);
		assert_int_equal(ld_plan_make(&img, &b, 16, &p, err, sizeof(err)), LD_OK);
		ld_image_free(&img);
	}
	assert_true(p.n_upd > 10);
	for (cut = 0; cut <= p.n_upd; cut++) {
		struct ld_image img;
		struct ld_plan pa;
		img_empty(&img);
		assert_int_equal(ld_plan_make(&img, &a, 255, &pa, err, sizeof(err)), LD_OK);
		apply(&img, &pa, pa.n_upd);
		ld_plan_free(&pa);
		apply(&img, &p, cut);
		if (active_is(&img, &a))
			old_seen++;
		else if (active_is(&img, &b))
			new_seen++;
		else
			fail_msg("cut %zu: neither the old nor the new set is active", cut);
		ld_image_free(&img);
	}
	assert_int_equal(new_seen, 1); /* only after the very last command */
	assert_int_equal(old_seen, p.n_upd);
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_set_free(&b);
}

/* A bank left valid by an interrupted write (seq = active + 1) must not
 * combine with the next write's files into a mixed set. */
static void test_leftover_bank_never_mixes(void **state)
{
	struct ld_image img;
	struct ld_set a, b;
	struct ld_plan p;
	char err[200];
	size_t i, first_other = 0;

	(void)state;
	img_empty(&img);
	load(SET_A, &a);
	load(SET_B, &b);
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	apply(&img, &p, p.n_upd);
	ld_plan_free(&p);
	/* write B but stop once RULES_B is complete (seq 2 valid in RULES_B only) */
	assert_int_equal(ld_plan_make(&img, &b, 255, &p, err, sizeof(err)), LD_OK);
	for (i = 0; i < p.n_upd; i++)
		if (p.upd[i].fid != MI_EF_RULES_B) {
			first_other = i;
			break;
		}
	apply(&img, &p, first_other);
	assert_true(ld_bank_valid(&img.bank[LD_RULES][1]));
	assert_int_equal(img.bank[LD_RULES][1].hdr.seq, 2);
	ld_plan_free(&p);
	assert_true(active_is(&img, &a));
	/* the next write (set A with a new IMSI) must use seq 3, not 2 */
	assert_int_equal(ld_set_patch_imsi(&a, 2, "213770000000099", err, sizeof(err)), LD_OK);
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_int_equal(p.new_seq, 3);
	apply(&img, &p, p.n_upd);
	assert_true(active_is(&img, &a));
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_set_free(&b);
	ld_image_free(&img);
}

static void test_refusals(void **state)
{
	struct ld_image img;
	struct ld_set a;
	struct ld_plan p;
	char err[200];

	(void)state;
	img_empty(&img);
	load(SET_A, &a);
	/* bank too small for the new file */
	img.bank[LD_RULES][0].size = 100;
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_ERR_REFUSED);
	assert_non_null(strstr(err, "6F03"));
	img.bank[LD_RULES][0].size = MI_EF_RULES_SIZE;
	/* bad chunk sizes */
	assert_int_equal(ld_plan_make(&img, &a, 0, &p, err, sizeof(err)), LD_ERR_PARAM);
	assert_int_equal(ld_plan_make(&img, &a, 256, &p, err, sizeof(err)), LD_ERR_PARAM);
	/* absent target bank: planned, counted as missing */
	img.bank[LD_SLOTS][0].present = 0;
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_int_equal(p.missing, 1);
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_image_free(&img);
}

static void test_patch_imsi(void **state)
{
	struct ld_set a;
	struct mi_slot s;
	struct mi_ef_header h;
	char err[200], digits[20];
	int n;

	(void)state;
	load(SET_A, &a);
	assert_int_equal(ld_set_patch_imsi(&a, 2, "213770000000042", err, sizeof(err)), LD_OK);
	assert_true(mi_ef_check(a.file[LD_SLOTS], a.len[LD_SLOTS], MI_EF_TYPE_SLOTS, &h) > 0);
	n = mi_slot_decode(a.file[LD_SLOTS] + MI_EF_HDR_LEN + 1,
			   (mi_u16)(a.len[LD_SLOTS] - MI_EF_HDR_LEN - 1), &s);
	assert_true(n > 0);
	assert_true(mi_slot_decode(a.file[LD_SLOTS] + MI_EF_HDR_LEN + 1 + n,
				   (mi_u16)(a.len[LD_SLOTS] - MI_EF_HDR_LEN - 1 - (unsigned)n), &s) > 0);
	assert_int_equal(s.slot, 2);
	assert_true(mi_imsi_decode(s.imsi, 9, digits, sizeof(digits)) > 0);
	assert_string_equal(digits, "213770000000042");
	assert_int_equal(ld_set_patch_imsi(&a, 7, "213770000000042", err, sizeof(err)), LD_ERR_PARAM);
	assert_non_null(strstr(err, "slot 7"));
	assert_int_equal(ld_set_patch_imsi(&a, 1, "12A", err, sizeof(err)), LD_ERR_PARAM);
	ld_set_free(&a);
}

static void test_secret_and_mask(void **state)
{
	static const uint8_t adm_ascii[8] = {0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38};
	static const uint8_t pin_pad[8] = {0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t verify[13] = {0x00, 0x20, 0x00, 0x0A, 0x08, 1, 2, 3, 4, 5, 6, 7, 8};
	static const uint8_t select[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	uint8_t out[8], mask[13];

	(void)state;
	assert_int_equal(ld_parse_secret("12345678", out), LD_OK);
	assert_memory_equal(out, adm_ascii, 8);
	assert_int_equal(ld_parse_secret("1234", out), LD_OK);
	assert_memory_equal(out, pin_pad, 8);
	assert_int_equal(ld_parse_secret("0102030405060708", out), LD_OK);
	assert_int_equal(out[7], 0x08);
	assert_int_equal(ld_parse_secret("123", out), LD_ERR_PARAM);
	assert_int_equal(ld_parse_secret("1234567a", out), LD_ERR_PARAM);
	assert_int_equal(ld_parse_secret("01020304050607GG", out), LD_ERR_PARAM);
	assert_int_equal(ld_apdu_mask(verify, sizeof(verify), mask), 1);
	assert_int_equal(mask[4], 0);
	assert_int_equal(mask[5], 1);
	assert_int_equal(mask[12], 1);
	assert_int_equal(ld_apdu_mask(select, sizeof(select), mask), 0);
	assert_int_equal(mask[5], 0);
	assert_int_equal(ld_hex_parse("00 a4:00", out, 8), 3);
	assert_int_equal(ld_hex_parse("0", out, 8), LD_ERR_PARAM);
	assert_int_equal(ld_hex_parse("0011223344556677 88", out, 8), LD_ERR_BUFFER);
}

/* The active-set rule is the card's (mi_set_pick): a bank with a good CRC
 * and bad contents is not active for the loader either. */
static void test_good_crc_bad_contents(void **state)
{
	struct ld_image img;
	struct ld_set a;
	struct ld_plan p;
	struct ld_bank *r;
	char err[200];
	int which[LD_KINDS];
	uint32_t seq;

	(void)state;
	img_empty(&img);
	load(SET_A, &a);
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	apply(&img, &p, p.n_upd);
	ld_plan_free(&p);
	ld_image_eval(&img);
	assert_true(ld_image_active(&img, which, &seq));
	r = &img.bank[LD_RULES][which[LD_RULES]];
	r->data[MI_EF_HDR_LEN + 1] = r->data[MI_EF_HDR_LEN]; /* global profile = np */
	assert_true(mi_ef_reseal(r->data, (mi_u16)r->read_len, seq) > 0);
	ld_image_eval(&img);
	assert_true(mi_ef_check(r->data, (mi_u16)r->read_len, MI_EF_TYPE_RULES, NULL) > 0);
	assert_false(ld_bank_valid(r)); /* header and CRC pass, the contents do not */
	assert_int_equal(r->check, MI_ERR_RANGE);
	assert_false(ld_image_active(&img, which, &seq));
	/* the next write still skips that seq: a leftover can never complete a set */
	assert_int_equal(ld_plan_make(&img, &a, 255, &p, err, sizeof(err)), LD_OK);
	assert_int_equal(p.new_seq, 2);
	ld_plan_free(&p);
	ld_set_free(&a);
	ld_image_free(&img);
}

/* Three files from two compiles (different set ids) are refused. */
static void test_mixed_set_refused(void **state)
{
	static const char *const names[LD_KINDS] = {"ef_cfg.bin", "ef_slots.bin", "ef_rules.bin"};
	char dir[] = "/tmp/mimsi-mixed-XXXXXX", path[64], err[300];
	struct ld_set a, s;
	unsigned k;
	int pass;

	(void)state;
	assert_non_null(mkdtemp(dir));
	load(SET_A, &a);
	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < LD_KINDS; k++) { /* version 2, one id (pass 0) or two */
			uint8_t f[LD_EF_MAX];
			uint16_t pl = (uint16_t)(a.len[k] - MI_EF_HDR_LEN);
			int n;
			FILE *o;

			memcpy(f, a.file[k], a.len[k]);
			n = mi_ef_seal_set(f, sizeof(f), ld_kind_type[k], 1, pl,
					   pass && k == LD_SLOTS ? 0x22222222u : 0x11111111u);
			assert_true(n > 0);
			snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
			o = fopen(path, "wb");
			assert_non_null(o);
			assert_int_equal(fwrite(f, 1, (size_t)n, o), (size_t)n);
			fclose(o);
		}
		if (!pass) {
			assert_int_equal(ld_set_load_dir(dir, &s, err, sizeof(err)), LD_OK);
			ld_set_free(&s);
		} else {
			assert_int_equal(ld_set_load_dir(dir, &s, err, sizeof(err)), LD_ERR_FORMAT);
			assert_non_null(strstr(err, "mixed from two compiles"));
		}
	}
	for (k = 0; k < LD_KINDS; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		unlink(path);
	}
	rmdir(dir);
	ld_set_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_load),
		cmocka_unit_test(test_first_write_empty_card),
		cmocka_unit_test(test_second_set_goes_to_other_bank),
		cmocka_unit_test(test_tear_every_prefix),
		cmocka_unit_test(test_leftover_bank_never_mixes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_patch_imsi),
		cmocka_unit_test(test_secret_and_mask),
		cmocka_unit_test(test_good_crc_bad_contents),
		cmocka_unit_test(test_mixed_set_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
