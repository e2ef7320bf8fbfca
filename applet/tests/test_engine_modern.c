/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_engine_modern.c
 *  The switch on a modern profile: EF_EHPLMN (the slot's list or cleared),
 *  EF_EPSNSC, the DF_5GS files, each optional (the file table of
 *  mi_switch.c); and the ordered REFRESH fallback list of the CFG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_err.h"

static struct fx X;
static struct fx_set S;

/* The files of a Rel-15+ profile, personalised for slot 1's home (262-01),
 * as the default simulated card has them (simulator/uicc/sim_default.c). */
static void modern_files(struct fx *x)
{
	mi_u8 b[80];
	mi_u16 n;

	fx_hex("62F210 62F220 FFFFFF FFFFFF", b, &n); /* TS 31.102 §4.2.84 */
	fake_file_set(&x->port, MI_FILE_EHPLMN, 12, b, n);
	/* §4.2.92: A0 34, 80 01 KSI 02, 81 20 KASME ..., one 54-byte record */
	memset(b, 0x5A, sizeof(b));
	fx_hex("A034 800102 8120", b, &n);
	fake_file_set(&x->port, MI_FILE_EPSNSC, 54, b, 54);
	b[1] = 0x37;
	b[4] = 0x03; /* ngKSI 3 */
	fake_file_set(&x->port, MI_FILE_5GS3GPPNSC, 57, b, 57);
	fake_file_set(&x->port, MI_FILE_5GSN3GPPNSC, 57, b, 57);
	/* §4.4.11.2: 5G-GUTI (13), TAI 262-01/000001, status 00 updated */
	fx_hex("0BF262F210010203112233445562F21000000100", b, &n);
	fake_file_set(&x->port, MI_FILE_5GS3GPPLOCI, 20, b, n);
	fake_file_set(&x->port, MI_FILE_5GSN3GPPLOCI, 20, b, n);
	memset(b, 0x3C, sizeof(b));
	fake_file_set(&x->port, MI_FILE_5GAUTHKEYS, 68, b, 68);
	/* §4.4.11.8: profile A with key 1, then the key list */
	fx_hex("A0020101A1258001018120", b, &n);
	memset(b + n, 0x77, 32);
	fake_file_set(&x->port, MI_FILE_SUCI_CALC, 48, b, (mi_u16)(n + 32));
	fx_hex("21F30000", b, &n); /* routing indicator 123, RFU 00 00 (§4.4.11.11) */
	fake_file_set(&x->port, MI_FILE_ROUTING_IND, 4, b, n);
}

static void want_hex(enum mi_file f, mi_u16 off, const char *hex)
{
	mi_u8 b[80];
	mi_u16 n;

	fx_hex(hex, b, &n);
	assert_memory_equal(X.port.file[f].data + off, b, n);
}

static void boot_modern(void)
{
	fx_default_set(&S);
	S.slot[0].n_ehplmn = 2; /* home: 262-01, 262-02 */
	fx_hex("62F210 62F220", &S.slot[0].ehplmn[0][0], &(mi_u16){0});
	fx_card(&X, &S);
	modern_files(&X);
	fx_boot(&X, TP_FULL);
}

/* A switch to a slot without an EHPLMN list clears EF_EHPLMN (home is the
 * new IMSI's PLMN, TS 23.122 §4.4.3) and leaves none of the old identity
 * in the NAS security contexts and DF_5GS. */
static void test_switch_clears_old_identity(void **state)
{
	mi_u8 keys[68];

	(void)state;
	boot_modern();
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK); /* 213-77: slot 2 */
	assert_int_equal(X.nv.active_slot, 2);
	want_hex(MI_FILE_EHPLMN, 0, "FFFFFF FFFFFF FFFFFF FFFFFF");
	/* KSI_ASME / ngKSI 07 "no key", the rest of the record kept */
	want_hex(MI_FILE_EPSNSC, 0, "A034 800107 8120 5A5A");
	want_hex(MI_FILE_5GS3GPPNSC, 0, "A037 800107 8120 5A5A");
	want_hex(MI_FILE_5GSN3GPPNSC, 0, "A037 800107");
	/* 5G-GUTI deleted, last visited TAI kept, 01 not updated */
	want_hex(MI_FILE_5GS3GPPLOCI, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFF 62F210000001 01");
	want_hex(MI_FILE_5GSN3GPPLOCI, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFF 62F210000001 01");
	memset(keys, 0xFF, sizeof(keys));
	assert_memory_equal(X.port.file[MI_FILE_5GAUTHKEYS].data, keys, sizeof(keys));
	want_hex(MI_FILE_SUCI_CALC, 0, "A0020000 A125"); /* null scheme; key list left */
	want_hex(MI_FILE_ROUTING_IND, 0, "F0FF 0000");	  /* routing indicator 0, RFU kept */
	/* and back home: the home slot's own list */
	assert_int_equal(fx_drain(&X) > 0, 1);
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK); /* 262-01: slot 1 */
	assert_int_equal(X.nv.active_slot, 1);
	want_hex(MI_FILE_EHPLMN, 0, "62F210 62F220 FFFFFF FFFFFF");
}

/* A slot's list longer than the card's EF_EHPLMN: the first entries. */
static void test_ehplmn_list_cut_to_ef(void **state)
{
	mi_u8 b[6];
	mi_u16 n;

	(void)state;
	fx_default_set(&S);
	S.slot[1].n_ehplmn = 3;
	fx_hex("12F377 12F387 12F399", &S.slot[1].ehplmn[0][0], &n);
	fx_card(&X, &S);
	fx_hex("62F210 62F220", b, &n);
	fake_file_set(&X.port, MI_FILE_EHPLMN, 6, b, n); /* room for two */
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	want_hex(MI_FILE_EHPLMN, 0, "12F377 12F387");
}

/* A card without these files, or with one smaller than the layout: the
 * row is skipped and the rest of the switch happens. */
static void test_missing_or_short_files_skipped(void **state)
{
	mi_u8 b[10];

	(void)state;
	fx_default_set(&S);
	fx_card(&X, &S);
	memset(b, 0x11, sizeof(b));
	fake_file_set(&X.port, MI_FILE_5GS3GPPLOCI, 10, b, 10); /* not 20 bytes */
	fx_boot(&X, TP_FULL);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(X.nv.active_slot, 2);
	assert_memory_equal(X.port.file[MI_FILE_5GS3GPPLOCI].data, b, 10);
	assert_int_equal(X.port.file[MI_FILE_EHPLMN].size, 0);
	assert_int_equal(X.port.keyset, 2);
}

/* Fetch commands, answering OK, until a REFRESH; \returns its qualifier. */
static mi_u8 next_refresh(void)
{
	mi_u16 off;

	while (fx_fetch(&X)) {
		off = X.last[1] == 0x81 ? 3 : 2;
		if (X.last[off + 3] == 0x01)
			return X.last[off + 4];
		assert_int_equal(fx_tr(&X, 0x00, ""), MI_OK);
	}
	fail_msg("no REFRESH");
	return 0xFF;
}

/* The CFG order 04, 02, 03, 00 (TS 102 223 §8.6), each refused with a 3x
 * result, is tried in order; UICC reset is not tried twice; a 2x result
 * retries the same mode with the backoff. */
static void test_refresh_fallback_list(void **state)
{
	(void)state;
	fx_default_set(&S);
	S.cfg.refresh_pref = 0x04;
	S.cfg.refresh_fallback = 0x02;
	S.cfg.refresh_more[0] = 0x03;
	S.cfg.refresh_more[1] = 0x00;
	fx_card(&X, &S);
	fx_boot(&X, TP_FULL);
	assert_int_equal(X.ram.cfg.refresh_more[1], 0x00);
	assert_int_equal(fx_loc(&X, 0, "12F377"), MI_OK);
	assert_int_equal(next_refresh(), 0x04);
	assert_int_equal(fx_tr(&X, 0x30, ""), MI_OK);
	assert_int_equal(next_refresh(), 0x02);
	assert_int_equal(fx_tr(&X, 0x31, ""), MI_OK);
	assert_int_equal(next_refresh(), 0x03);
	assert_int_equal(fx_tr(&X, 0x20, ""), MI_OK); /* busy: the same mode later */
	fx_drain(&X);
	fx_wait(&X, 30);
	assert_int_equal(next_refresh(), 0x03);
	assert_int_equal(fx_tr(&X, 0x32, ""), MI_OK);
	assert_int_equal(next_refresh(), 0x00);
	assert_int_equal(fx_tr(&X, 0x30, ""), MI_OK);
	assert_int_equal(X.ram.refresh_qual, 0xFF); /* 04 already refused: none left */
	/* the next switch starts the list again */
	fx_drain(&X);
	fx_wait(&X, 200); /* past the dwell */
	assert_int_equal(fx_loc(&X, 0, "62F210"), MI_OK);
	assert_int_equal(next_refresh(), 0x04);
}

/* A list with a gap (FF) skips it; rffb2/rffb3 are stored as qualifier + 1,
 * so a CFG written before them (RFU bytes 00) has one fallback only. */
static void test_refresh_list_codec(void **state)
{
	struct mi_cfg a, b;
	mi_u8 body[MI_CFG_BODY_LEN];

	(void)state;
	mi_cfg_defaults(&a);
	a.refresh_more[1] = 0x02;
	assert_int_equal(mi_cfg_encode(&a, body, sizeof(body)), 16);
	assert_int_equal(body[11], 0x00); /* none */
	assert_int_equal(body[12], 0x03); /* 02 + 1 */
	assert_int_equal(mi_cfg_decode(body, 16, &b), 16);
	assert_int_equal(b.refresh_more[0], 0xFF);
	assert_int_equal(b.refresh_more[1], 0x02);
	body[11] = body[12] = 0x00; /* as written before */
	assert_int_equal(mi_cfg_decode(body, 16, &b), 16);
	assert_int_equal(b.refresh_more[0], 0xFF);
	assert_int_equal(b.refresh_more[1], 0xFF);
	body[11] = 0x02; /* 01 + 1: file change only, no new IMSI read */
	assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
	body[11] = 0x06; /* 05 + 1 */
	assert_int_equal(mi_cfg_decode(body, 16, &b), MI_ERR_RANGE);
	a.refresh_more[0] = 0x01;
	assert_int_equal(mi_cfg_encode(&a, body, sizeof(body)), MI_ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_switch_clears_old_identity),
	    cmocka_unit_test(test_ehplmn_list_cut_to_ef),
	    cmocka_unit_test(test_missing_or_short_files_skipped),
	    cmocka_unit_test(test_refresh_fallback_list),
	    cmocka_unit_test(test_refresh_list_codec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
