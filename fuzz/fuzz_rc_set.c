/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_rc_set.c
 *  The compiler's reader of compiled sets (rules-compiler/rc_set.c,
 *  rc_set_decode: EF images as read back from a card or a directory), then
 *  mimsi-compile's decompile and diff on what it accepts.
 *
 *  Input: byte 0 flags (bit 0: recompute each file's CRC, so the fuzzer
 *  gets past it while every header field stays its own), bytes 1..2 and
 *  3..4 the BE lengths of the CFG and SLOTS images, then CFG, SLOTS, and
 *  RULES as the rest (lengths beyond the input are cut).
 *  Properties: rc_set_decode returns 0 or -1 with a message; on 0, the
 *  text and JSON decompiles succeed, the JSON parses, and the set diffed
 *  with itself is "same" (0) in text and JSON.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "rc.h"

static mi_u8 *take(const uint8_t *data, size_t size, size_t *pos, size_t want, size_t *len)
{
	mi_u8 *f;

	if (want > size - *pos)
		want = size - *pos;
	f = malloc(want ? want : 1u);
	FUZZ_ASSERT(f != NULL);
	memcpy(f, data + *pos, want);
	*pos += want;
	*len = want;
	return f;
}

/* CRC-32 of mi_ef.h over header bytes 0..9 and the body the header names. */
static void fix_crc(mi_u8 *f, size_t len)
{
	mi_u32 crc;
	size_t body;

	if (len < MI_EF_HDR_LEN)
		return;
	body = MI_GET_U16_BE(f, 4);
	if (body > len - MI_EF_HDR_LEN)
		body = len - MI_EF_HDR_LEN;
	crc = mi_crc32(0, f, 10);
	crc = mi_crc32(crc, f + MI_EF_HDR_LEN, (mi_u16)body);
	MI_PUT_U32_BE(f, 10, crc);
}

static void check_output(const struct rc_set *s)
{
	char *buf = NULL;
	size_t len = 0;
	json_error_t jerr;
	json_t *j;
	FILE *out;

	out = open_memstream(&buf, &len);
	FUZZ_ASSERT(out != NULL);
	FUZZ_ASSERT(rc_decompile(out, s, 0) == 0);
	FUZZ_ASSERT(rc_diff(out, s, s, 0) == 0);
	FUZZ_ASSERT(fclose(out) == 0);
	free(buf);

	buf = NULL;
	out = open_memstream(&buf, &len);
	FUZZ_ASSERT(out != NULL);
	FUZZ_ASSERT(rc_decompile(out, s, 1) == 0);
	FUZZ_ASSERT(fclose(out) == 0);
	j = json_loadb(buf, len, 0, &jerr);
	FUZZ_ASSERT(j != NULL);
	json_decref(j);
	free(buf);

	buf = NULL;
	out = open_memstream(&buf, &len);
	FUZZ_ASSERT(out != NULL);
	FUZZ_ASSERT(rc_diff(out, s, s, 1) == 0);
	FUZZ_ASSERT(fclose(out) == 0);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_set s;
	rc_error_t err;
	size_t pos = 5, want[3];
	int k, rc;

	if (size < 5u || size > 16384u)
		return 0;
	memset(&s, 0, sizeof(s));
	want[0] = MI_GET_U16_BE(data, 1);
	want[1] = MI_GET_U16_BE(data, 3);
	want[2] = size;
	for (k = 0; k < 3; k++) {
		s.file[k] = take(data, size, &pos, want[k], &s.len[k]);
		if (data[0] & 1u)
			fix_crc(s.file[k], s.len[k]);
	}
	rc_err_clear(&err);
	rc = rc_set_decode(&s, "fuzz", &err);
	if (rc == 0) {
		FUZZ_ASSERT(!rc_err_isset(&err));
		FUZZ_ASSERT(s.n_slot >= 1 && s.n_slot <= (int)MI_MAX_SLOTS);
		FUZZ_ASSERT(s.n_prof >= 1 && s.global < s.n_prof);
		check_output(&s);
	} else {
		FUZZ_ASSERT(rc == -1 && rc_err_isset(&err));
	}
	rc_set_free(&s);
	return 0;
}
