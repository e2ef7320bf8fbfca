/* SPDX-License-Identifier: Apache-2.0 */
/*! \file engine_fx.c
 *  The engine test fixture (engine_fx.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fx.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_timer.h"
#include "vec.h"

void fx_hex(const char *hex, mi_u8 *out, mi_u16 *len)
{
	int n = vec_hex_decode(hex, out, 512);

	if (n < 0)
		fail_msg("bad hex in test: %s", hex);
	*len = (mi_u16)n;
}

static void plmn(const char *text, mi_u8 out[3])
{
	struct mi_plmn p;

	assert_int_equal(mi_plmn_parse(text, (mi_u16)strlen(text), &p), MI_OK);
	assert_int_equal(mi_plmn_encode(&p, out, 3), 3);
}

static void slot(struct mi_slot *s, mi_u8 n, mi_u8 flags, mi_u8 keyset, const char *imsi)
{
	memset(s, 0, sizeof(*s));
	s->slot = n;
	s->flags = flags;
	s->sponsor = n;
	s->keyset = keyset;
	s->mnc_len = 2;
	assert_int_equal(mi_imsi_encode(imsi, (mi_u16)strlen(imsi), s->imsi, 9), 9);
}

static void oplmn(struct mi_slot *s, const char *text)
{
	plmn(text, s->oplmn[s->n_oplmn]);
	s->oplmn[s->n_oplmn][3] = 0x40; /* E-UTRAN (TS 31.102 §4.2.5) */
	s->oplmn[s->n_oplmn][4] = 0x00;
	s->n_oplmn++;
}

static void prof(struct fx_set *s, const char *pref, mi_u16 forbid)
{
	struct mi_profile *p = &s->prof[s->n_prof++];

	memset(p, 0, sizeof(*p));
	for (; *pref; pref++)
		p->pref[p->n_pref++] = (mi_u8)(*pref == 'A' ? 10 : *pref - '0');
	p->forbidden = forbid;
}

static void rule(struct fx_set *s, mi_u16 mcc, int mnc, mi_u8 profile)
{
	struct mi_rule *r = &s->rule[s->n_rules++];

	r->key = mi_rule_key(mcc, mnc < 0 ? 0 : (mi_u16)mnc, mnc > 99 ? 3 : 2, mnc >= 0);
	r->profile = profile;
}

void fx_default_set(struct fx_set *s)
{
	memset(s, 0, sizeof(*s));
	mi_cfg_defaults(&s->cfg);
	slot(&s->slot[0], 1, MI_SLOT_F_HOME | MI_SLOT_F_BOOTSTRAP, 1, "262011234567890");
	oplmn(&s->slot[0], "262-01");
	slot(&s->slot[1], 2, 0, 2, "213770000000001");
	oplmn(&s->slot[1], "213-77");
	oplmn(&s->slot[1], "213-78");
	plmn("213-03", s->slot[1].fplmn[0]);
	s->slot[1].n_fplmn = 1;
	slot(&s->slot[2], 3, 0, 3, "213550000000001");
	slot(&s->slot[3], 4, 0, 3, "901280000000001");
	s->n_slots = 4;
	prof(s, "14", 0);	/* 0 global */
	prof(s, "231", 0);	/* 1 MCC 213 */
	prof(s, "21", 1u << 2); /* 2 213-77: forbid 3 */
	prof(s, "32", 1u << 0); /* 3 213-55: forbid 1 */
	prof(s, "1", 0);	/* 4 MCC 262 */
	prof(s, "1", 0x0E);	/* 5 262-01: forbid 2,3,4 */
	prof(s, "43", 1u << 0); /* 6 MCC 276: forbid 1 */
	s->n_prof = 7;
	s->global = 0;
	/* ascending keys */
	rule(s, 213, -1, 1);
	rule(s, 213, 55, 3);
	rule(s, 213, 77, 2);
	rule(s, 262, -1, 4);
	rule(s, 262, 1, 5);
	rule(s, 276, -1, 6);
}

void fx_write_set(struct fx *x, const struct fx_set *s, int bank, mi_u32 seq)
{
	mi_u8 f[FAKE_FILE_MAX];
	mi_u16 off;
	int i, rc;

	memset(f, 0xFF, sizeof(f));
	assert_int_equal(mi_cfg_encode(&s->cfg, f + MI_EF_HDR_LEN, 64), MI_CFG_BODY_LEN);
	rc = mi_ef_seal(f, sizeof(f), MI_EF_TYPE_CFG, seq, MI_CFG_BODY_LEN);
	assert_true(rc > 0);
	fake_file_set(&x->port, bank ? MI_FILE_CFG_B : MI_FILE_CFG_A, MI_EF_CFG_SIZE, f,
		      (mi_u16)rc);

	memset(f, 0xFF, sizeof(f));
	off = MI_EF_HDR_LEN;
	f[off++] = (mi_u8)s->n_slots;
	for (i = 0; i < s->n_slots; i++) {
		rc = mi_slot_encode(&s->slot[i], f + off, (mi_u16)(sizeof(f) - off));
		assert_true(rc > 0);
		off = (mi_u16)(off + rc);
	}
	rc = mi_ef_seal(f, sizeof(f), MI_EF_TYPE_SLOTS, seq, (mi_u16)(off - MI_EF_HDR_LEN));
	assert_true(rc > 0);
	fake_file_set(&x->port, bank ? MI_FILE_SLOTS_B : MI_FILE_SLOTS_A, MI_EF_SLOTS_SIZE, f,
		      (mi_u16)rc);

	memset(f, 0xFF, sizeof(f));
	off = MI_EF_HDR_LEN;
	f[off++] = (mi_u8)s->n_prof;
	f[off++] = s->global;
	f[off++] = (mi_u8)(s->n_rules >> 8);
	f[off++] = (mi_u8)s->n_rules;
	for (i = 0; i < s->n_prof; i++) {
		assert_int_equal(mi_profile_encode(&s->prof[i], f + off, 7), 7);
		off = (mi_u16)(off + 7);
	}
	for (i = 0; i < s->n_rules; i++) {
		assert_int_equal(mi_rule_encode(&s->rule[i], f + off, 4), 4);
		off = (mi_u16)(off + 4);
	}
	rc = mi_ef_seal(f, sizeof(f), MI_EF_TYPE_RULES, seq, (mi_u16)(off - MI_EF_HDR_LEN));
	assert_true(rc > 0);
	fake_file_set(&x->port, bank ? MI_FILE_RULES_B : MI_FILE_RULES_A, MI_EF_RULES_SIZE, f,
		      (mi_u16)rc);
}

void fx_card(struct fx *x, const struct fx_set *s)
{
	static const mi_u8 ad[4] = {0x00, 0x00, 0x00, 0x02};
	static const mi_u8 loci[11] = {0x47, 0xD1, 0x26, 0x4A, 0x62, 0xF2,
				       0x10, 0x37, 0x21, 0x00, 0x00};
	mi_u8 buf[64];
	mi_u16 n;

	memset(x, 0, sizeof(*x));
	fake_port_init(&x->port);
	x->a.port = &x->port;
	x->a.nv = &x->nv;
	x->a.ram = &x->ram;
	fx_hex("082926102143658709", buf, &n); /* 262011234567890 */
	fake_file_set(&x->port, MI_FILE_IMSI, 9, s ? s->slot[0].imsi : buf, 9);
	fake_file_set(&x->port, MI_FILE_AD, 4, ad, 4);
	fake_file_set(&x->port, MI_FILE_LOCI, 11, loci, 11);
	fx_hex("11223344 556677 62F210 3721 05 00", buf, &n);
	fake_file_set(&x->port, MI_FILE_PSLOCI, 14, buf, n);
	fx_hex("0B F6 62F210 8001 02 11223344 62F210 0001 00", buf, &n);
	fake_file_set(&x->port, MI_FILE_EPSLOCI, 18, buf, n);
	fx_hex("62F220 FFFFFF FFFFFF FFFFFF", buf, &n);
	fake_file_set(&x->port, MI_FILE_FPLMN, 12, buf, n);
	fx_hex("62F2104000 FFFFFF0000 FFFFFF0000 FFFFFF0000 FFFFFF0000", buf, &n);
	fake_file_set(&x->port, MI_FILE_OPLMNWACT, 25, buf, n);
	memset(buf, 0x5A, 33);
	buf[0] = 0x02;
	fake_file_set(&x->port, MI_FILE_KEYS, 33, buf, 33);
	fake_file_set(&x->port, MI_FILE_KEYSPS, 33, buf, 33);
	fake_file_set(&x->port, MI_FILE_CFG_A, MI_EF_CFG_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_CFG_B, MI_EF_CFG_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_SLOTS_A, MI_EF_SLOTS_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_SLOTS_B, MI_EF_SLOTS_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_RULES_A, MI_EF_RULES_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_RULES_B, MI_EF_RULES_SIZE, NULL, 0);
	fake_file_set(&x->port, MI_FILE_STATE, MI_EF_STATE_SIZE, NULL, 0);
	if (s)
		fx_write_set(x, s, 0, 1);
}

/* Terminal side: note TIMER MANAGEMENT starts (TS 102 223 §6.4.21). */
static void fx_note_timer(struct fx *x)
{
	const mi_u8 *b = x->last;
	mi_u16 off = b[1] == 0x81 ? 3 : 2;
	mi_u32 secs;

	if (x->last_len < off + 5u || b[off + 3] != 0x27 || b[off + 4] != 0x00)
		return;
	/* 81 03 .. 82 02 81 82 A4 01 id A5 03 hh mm ss */
	assert_int_equal(b[off + 9], 0xA4);
	assert_int_equal(b[off + 12], 0xA5);
	assert_int_equal(mi_timer_decode(b + off + 14, 3, &secs), 3);
	assert_true(b[off + 11] >= 1 && b[off + 11] <= 8);
	x->t_exp[b[off + 11]] = x->t_now + secs;
}

mi_u16 fx_fetch(struct fx *x)
{
	x->last_len = fake_fetch(&x->port, x->last, sizeof(x->last));
	if (x->last_len)
		fx_note_timer(x);
	return x->last_len;
}

void fx_expect(struct fx *x, const char *name)
{
	char path[256];
	mi_u8 want[256];
	int n;

	snprintf(path, sizeof(path), "test-vectors/cat/%s.hex", name);
	n = vec_read_hex_file(path, want, sizeof(want));
	assert_true(n > 0);
	assert_int_equal(fx_fetch(x), n);
	assert_memory_equal(x->last, want, (size_t)n);
}

int fx_tr(struct fx *x, mi_u8 result, const char *extra_hex)
{
	mi_u8 tr[300];
	mi_u16 off = x->last[1] == 0x81 ? 3 : 2, n = 0;

	/* 81 03 <command details> 82 02 82 81 83 01 <result> [extra] */
	memcpy(tr, x->last + off, 5);
	memcpy(tr + 5, "\x82\x02\x82\x81\x83\x01", 6);
	tr[11] = result;
	if (extra_hex && *extra_hex)
		fx_hex(extra_hex, tr + 12, &n);
	return mi_applet_terminal_response(&x->a, tr, (mi_u16)(12 + n));
}

int fx_drain(struct fx *x)
{
	int k = 0;

	while (fx_fetch(x)) {
		assert_int_equal(fx_tr(x, 0x00, ""), MI_OK);
		k++;
	}
	return k;
}

void fx_boot(struct fx *x, const char *tp_hex)
{
	mi_u8 tp[32];
	mi_u16 n;

	assert_int_equal(mi_applet_install(&x->a), MI_OK);
	assert_int_equal(mi_applet_reset(&x->a), MI_OK);
	fx_hex(tp_hex, tp, &n);
	assert_int_equal(mi_applet_terminal_profile(&x->a, tp, n), MI_OK);
	fx_drain(x);
}

int fx_loc(struct fx *x, mi_u8 status, const char *plmn_hex)
{
	char hex[128];
	mi_u8 env[64];
	mi_u16 n;

	if (plmn_hex)
		snprintf(hex, sizeof(hex), "D613 990103 82028281 1B01%02X 1307%s00010002", status,
			 plmn_hex);
	else
		snprintf(hex, sizeof(hex), "D60A 990103 82028281 1B01%02X", status);
	fx_hex(hex, env, &n);
	return mi_applet_envelope(&x->a, env, n);
}

int fx_timer(struct fx *x, mi_u8 id)
{
	char hex[64];
	mi_u8 env[32];
	mi_u16 n;

	snprintf(hex, sizeof(hex), "D70C 82028281 2401%02X A503000000", id);
	fx_hex(hex, env, &n);
	return mi_applet_envelope(&x->a, env, n);
}

/* Answer TIMER MANAGEMENT commands (terminal housekeeping). \returns 1 if
 * another command is pending (left for the test), else 0. */
static int fx_timers_only(struct fx *x)
{
	mi_u16 off;

	while (x->port.cmd_len) {
		off = x->port.cmd[1] == 0x81 ? 3 : 2;
		if (x->port.cmd[off + 3] != 0x27)
			return 1;
		fx_fetch(x);
		assert_int_equal(fx_tr(x, 0x00, ""), MI_OK);
	}
	return 0;
}

mi_u32 fx_wait(struct fx *x, mi_u32 seconds)
{
	mi_u32 start = x->t_now, end = x->t_now + seconds, best;
	int k, id;

	for (;;) {
		if (fx_timers_only(x))
			return x->t_now - start;
		if (!(x->ram.caps & MI_CAP_TIMER)) {
			if (x->t_now + x->ram.cfg.poll_s > end)
				break;
			x->t_now += x->ram.cfg.poll_s;
			assert_int_equal(mi_applet_status(&x->a), MI_OK);
			continue;
		}
		id = 0;
		best = 0;
		for (k = 1; k <= 8; k++)
			if (x->t_exp[k] && x->t_exp[k] <= end && (!id || x->t_exp[k] < best))
				id = k, best = x->t_exp[k];
		if (!id)
			break;
		x->t_now = best;
		x->t_exp[id] = 0;
		assert_int_equal(fx_timer(x, (mi_u8)id), MI_OK);
	}
	x->t_now = end;
	return seconds;
}

static int fx_file(const char *name, mi_u8 *buf, size_t cap)
{
	char path[256];
	int n;

	snprintf(path, sizeof(path), "test-vectors/cat/%s.hex", name);
	n = vec_read_hex_file(path, buf, cap);
	assert_true(n >= 0);
	return n;
}

int fx_env_file(struct fx *x, const char *name)
{
	mi_u8 buf[256];
	int n = fx_file(name, buf, sizeof(buf));

	return mi_applet_envelope(&x->a, buf, (mi_u16)n);
}

int fx_tr_file(struct fx *x, const char *name)
{
	mi_u8 buf[256];
	int n = fx_file(name, buf, sizeof(buf));

	return mi_applet_terminal_response(&x->a, buf, (mi_u16)n);
}

void fx_snap(const struct fx *x, struct fx_snap *s)
{
	memcpy(&s->nv, &x->nv, sizeof(s->nv));
	memcpy(&s->ram, &x->ram, sizeof(s->ram));
	s->commits = x->port.commits;
	s->sends = x->port.sends;
	s->cmd_len = x->port.cmd_len;
}

void fx_same(const struct fx *x, const struct fx_snap *s)
{
	assert_memory_equal(&s->nv, &x->nv, sizeof(s->nv));
	assert_memory_equal(&s->ram, &x->ram, sizeof(s->ram));
	assert_int_equal(s->commits, x->port.commits);
	assert_int_equal(s->sends, x->port.sends);
	assert_int_equal(s->cmd_len, x->port.cmd_len);
}
