/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_applet_envelope.c
 *  The applet core driven like a terminal would, on the unit tests' fake
 *  port (applet/tests/fake_port.c): ENVELOPEs, TERMINAL RESPONSEs, STATUS
 *  polls, resets and new EF sets, in any order and with any bytes.
 *
 *  Input: byte 0 = setup (bits 0..1: terminal profile full / no timer /
 *  no refresh / no menu; bit 2: no EF set, safe mode), then records
 *  "op len data[len]" (a short last record is cut to what remains):
 *    op % 8 = 0 ENVELOPE(data)          1 TERMINAL RESPONSE(data)
 *             2 STATUS                   3 FETCH (the command is dropped)
 *             4 reset                    5 new EF file: data[0] % 3 picks
 *               CFG/SLOTS/RULES, data[1..] is the body (new_file())
 *             6 FETCH, then a TERMINAL RESPONSE to that command with
 *               result data[0] and data[1..] appended
 *             7 TERMINAL PROFILE(data)
 *  Properties after every step: no mi_port_panic (it is for broken
 *  invariants, never for bad input), no transaction left open, a return
 *  code from mi_err, a pending proactive command is one well-formed D0
 *  BER-TLV whose C-TLVs fill it exactly (SELECT ITEM: item N reads
 *  "Slot N"), and with the built-in set, the active slot's IMSI and key
 *  set are the ones in EF_IMSI and the port; after any switch, EF_IMSI,
 *  EF_AD, EF_OPLMNwACT and the key set are those of the active slot's record.
 */
#include <string.h>

#include "fuzz.h"
#include "fake_port.h"
#include "mimsi/mi_applet.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_tlv.h"

/* Terminal profiles, as in test-vectors/cat/tp_*.hex (TS 102 223 §5.2). */
static const mi_u8 tp_list[4][8] = {
	{0x28, 0x00, 0x80, 0x61, 0x11, 0x00, 0x00, 0x01}, /* full */
	{0x08, 0x00, 0x80, 0x61, 0x11, 0x00, 0x00, 0x00}, /* no TIMER MANAGEMENT */
	{0x28, 0x00, 0x00, 0x61, 0x11, 0x00, 0x00, 0x01}, /* no REFRESH */
	{0x20, 0x00, 0x80, 0x40, 0x11, 0x00, 0x00, 0x01}, /* no menu, no SELECT ITEM */
};

static struct mi_port port; /* 256 KiB: too big for the stack */
static struct mi_nv nv;
static struct mi_ram ram;
static struct mi_applet app;
static mi_bool custom_set; /* an EF file from the input was sealed */
static mi_bool tampered;   /* the bank in use was overwritten since reset */
static mi_u16 last_switches; /* nv.switches after the previous step */

/* EF_IMSI of slots 1..3 of the default set (TS 31.102 §4.2.2). */
static const mi_u8 slot_imsi[3][9] = {
	{0x08, 0x29, 0x26, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09}, /* 262011234567890 */
	{0x08, 0x29, 0x31, 0x77, 0x00, 0x00, 0x00, 0x00, 0x10}, /* 213770000000001 */
	{0x08, 0x29, 0x31, 0x55, 0x00, 0x00, 0x00, 0x00, 0x10}, /* 213550000000001 */
};

static void put_file(enum mi_file f, mi_u16 size, const char *hex)
{
	mi_u8 b[64];
	mi_u16 n = 0;
	unsigned v;

	while (hex && hex[0] && hex[1] && n < sizeof(b)) {
		if (hex[0] == ' ') {
			hex++;
			continue;
		}
		FUZZ_ASSERT(sscanf(hex, "%2x", &v) == 1);
		b[n++] = (mi_u8)v;
		hex += 2;
	}
	fake_file_set(&port, f, size, b, n);
}

static mi_u16 slot_rec(mi_u8 *out, mi_u8 n, mi_u8 flags, const char *imsi,
		       const char *oplmn1, const char *oplmn2)
{
	struct mi_slot s;
	struct mi_plmn p;
	const char *op[2] = {oplmn1, oplmn2};
	int i, rc;

	memset(&s, 0, sizeof(s));
	s.slot = n;
	s.flags = flags;
	s.sponsor = n;
	s.keyset = n;
	s.mnc_len = 2;
	FUZZ_ASSERT(mi_imsi_encode(imsi, 15, s.imsi, 9) == 9);
	for (i = 0; i < 2 && op[i]; i++) {
		FUZZ_ASSERT(mi_plmn_parse(op[i], 6, &p) == MI_OK);
		/* UTRAN + E-UTRAN + GSM (TS 31.102 §4.2.5) */
		FUZZ_ASSERT(mi_plmnwact_encode(&p, 0xC080u, s.oplmn[s.n_oplmn++], 5) == 5);
	}
	rc = mi_slot_encode(&s, out, 64);
	FUZZ_ASSERT(rc > 0);
	return (mi_u16)rc;
}

static mi_u16 profile(mi_u8 *out, const char *pref, mi_u16 forbid)
{
	struct mi_profile p;

	memset(&p, 0, sizeof(p));
	for (; *pref; pref++)
		p.pref[p.n_pref++] = (mi_u8)(*pref - '0');
	p.forbidden = forbid;
	FUZZ_ASSERT(mi_profile_encode(&p, out, MI_PROFILE_LEN) == (int)MI_PROFILE_LEN);
	return MI_PROFILE_LEN;
}

static mi_u16 rule(mi_u8 *out, mi_u16 mcc, int mnc, mi_u8 prof)
{
	struct mi_rule r;

	r.key = mi_rule_key(mcc, mnc < 0 ? 0 : (mi_u16)mnc, 2, mnc >= 0);
	r.profile = prof;
	FUZZ_ASSERT(mi_rule_encode(&r, out, MI_RULE_LEN) == (int)MI_RULE_LEN);
	return MI_RULE_LEN;
}

static void seal_into(enum mi_file f, mi_u16 size, mi_u8 type, mi_u32 seq, mi_u8 *file,
		      mi_u16 body_len)
{
	int n = mi_ef_seal(file, size, type, seq, body_len);

	if (n > 0)
		fake_file_set(&port, f, size, file, (mi_u16)n);
}

/* The Balkan example set (slots Own, Partner X, Partner Y), bank A, seq 1. */
static void default_set(void)
{
	struct mi_cfg cfg;
	mi_u8 f[512];
	mi_u16 o;

	mi_cfg_defaults(&cfg);
	FUZZ_ASSERT(mi_cfg_encode(&cfg, f + MI_EF_HDR_LEN, 64) == (int)MI_CFG_BODY_LEN);
	seal_into(MI_FILE_CFG_A, MI_EF_CFG_SIZE, MI_EF_TYPE_CFG, 1, f, MI_CFG_BODY_LEN);

	o = MI_EF_HDR_LEN;
	f[o++] = 3;
	o = (mi_u16)(o + slot_rec(f + o, 1, MI_SLOT_F_HOME | MI_SLOT_F_BOOTSTRAP,
				  "262011234567890", "262-01", NULL));
	o = (mi_u16)(o + slot_rec(f + o, 2, 0, "213770000000001", "213-77", "213-78"));
	o = (mi_u16)(o + slot_rec(f + o, 3, 0, "213550000000001", "213-55", NULL));
	seal_into(MI_FILE_SLOTS_A, MI_EF_SLOTS_SIZE, MI_EF_TYPE_SLOTS, 1, f,
		  (mi_u16)(o - MI_EF_HDR_LEN));

	o = MI_EF_HDR_LEN;
	f[o++] = 4; /* profiles */
	f[o++] = 0; /* global */
	f[o++] = 0;
	f[o++] = 4; /* rules */
	o = (mi_u16)(o + profile(f + o, "123", 0));
	o = (mi_u16)(o + profile(f + o, "231", 0));
	o = (mi_u16)(o + profile(f + o, "21", 1u << 2));
	o = (mi_u16)(o + profile(f + o, "1", 0x06));
	o = (mi_u16)(o + rule(f + o, 213, -1, 1)); /* keys ascending */
	o = (mi_u16)(o + rule(f + o, 213, 55, 1));
	o = (mi_u16)(o + rule(f + o, 213, 77, 2));
	o = (mi_u16)(o + rule(f + o, 262, 1, 3));
	seal_into(MI_FILE_RULES_A, MI_EF_RULES_SIZE, MI_EF_TYPE_RULES, 1, f,
		  (mi_u16)(o - MI_EF_HDR_LEN));
}

static void card(mi_bool with_set)
{
	fake_port_init(&port);
	memset(&nv, 0, sizeof(nv));
	memset(&ram, 0, sizeof(ram));
	app.port = &port;
	app.nv = &nv;
	app.ram = &ram;
	put_file(MI_FILE_IMSI, 9, "082926102143658709"); /* 262011234567890 */
	put_file(MI_FILE_AD, 4, "00000002");
	put_file(MI_FILE_LOCI, 11, "47D1264A62F21037210000");
	put_file(MI_FILE_PSLOCI, 14, "11223344556677 62F210 3721 0500");
	put_file(MI_FILE_EPSLOCI, 18, "0BF662F2108001021122334462F210000100");
	put_file(MI_FILE_FPLMN, 12, "62F220FFFFFFFFFFFFFFFFFF");
	put_file(MI_FILE_OPLMNWACT, 25, "62F2104000 FFFFFF0000 FFFFFF0000 FFFFFF0000 FFFFFF0000");
	put_file(MI_FILE_KEYS, 33, "02");
	put_file(MI_FILE_KEYSPS, 33, "02");
	put_file(MI_FILE_CFG_A, MI_EF_CFG_SIZE, NULL);
	put_file(MI_FILE_CFG_B, MI_EF_CFG_SIZE, NULL);
	put_file(MI_FILE_SLOTS_A, MI_EF_SLOTS_SIZE, NULL);
	put_file(MI_FILE_SLOTS_B, MI_EF_SLOTS_SIZE, NULL);
	put_file(MI_FILE_RULES_A, MI_EF_RULES_SIZE, NULL);
	put_file(MI_FILE_RULES_B, MI_EF_RULES_SIZE, NULL);
	put_file(MI_FILE_STATE, MI_EF_STATE_SIZE, NULL);
	if (with_set)
		default_set();
}

static void check_rc(int rc)
{
	FUZZ_ASSERT(rc <= MI_OK && rc >= MI_ERR_PARAM);
}

/* SELECT ITEM (TS 102 223 §6.6.8): after "Automatic" (id 80), one item per
 * slot whose text is "Slot N" for item id N (mi_cat.c). */
static void check_select_item(const mi_u8 *v, mi_u16 len)
{
	struct mi_ctlv c;
	char want[8];
	mi_u16 off = 0;
	int n, w;

	while (off < len) {
		n = mi_ctlv_decode(v + off, (mi_u16)(len - off), &c);
		FUZZ_ASSERT(n > 0);
		off = (mi_u16)(off + (mi_u16)n);
		if (c.tag != 0x0Fu || c.len < 1u || c.val[0] == 0x80u)
			continue;
		FUZZ_ASSERT(c.val[0] >= 1u && c.val[0] <= MI_MAX_SLOTS);
		w = snprintf(want, sizeof(want), "Slot %u", (unsigned)c.val[0]);
		FUZZ_ASSERT(c.len == (mi_u16)(w + 1) && memcmp(c.val + 1, want, (size_t)w) == 0);
	}
}

/* Right after a committed switch: the USIM files and the key set hold the
 * active slot's record of the active set (mi_ef.h SLOTS, TS 31.102 §4.2). */
static void check_switch(void)
{
	const struct fake_file *sl = &port.file[(ram.banks & 2u) ? MI_FILE_SLOTS_B
								 : MI_FILE_SLOTS_A];
	const struct fake_file *op = &port.file[MI_FILE_OPLMNWACT];
	const mi_u8 *rec;
	mi_u16 off, k, n;

	FUZZ_ASSERT(nv.active_slot >= 1u && nv.active_slot <= MI_MAX_SLOTS);
	off = ram.slot_off[nv.active_slot - 1u];
	FUZZ_ASSERT(off >= MI_EF_HDR_LEN + 1u && off + MI_SLOT_REC_FIXED <= sl->size);
	rec = sl->data + off;
	FUZZ_ASSERT(rec[0] == nv.active_slot);
	FUZZ_ASSERT(memcmp(port.file[MI_FILE_IMSI].data, rec + 5, 9) == 0);
	FUZZ_ASSERT((port.file[MI_FILE_AD].data[3] & 0x0Fu) == (rec[4] & 0x0Fu));
	FUZZ_ASSERT(port.keyset == rec[3]);
	n = (mi_u16)(5u * rec[14]);
	for (k = 0; k < op->size; k++) {
		if (k < n)
			FUZZ_ASSERT(op->data[k] == rec[MI_SLOT_REC_FIXED + k]);
		else
			FUZZ_ASSERT(op->data[k] == ((k % 5u) < 3u ? 0xFFu : 0x00u));
	}
}

static void check_invariants(void)
{
	struct mi_btlv b;
	struct mi_ctlv c;
	mi_u16 off = 0;
	int n;

	FUZZ_ASSERT(port.panics == 0u);
	FUZZ_ASSERT(port.in_txn == 0);
	FUZZ_ASSERT(nv.active_slot <= MI_MAX_SLOTS && nv.pinned_slot <= MI_MAX_SLOTS);
	if (nv.switches != last_switches && !tampered)
		check_switch();
	last_switches = nv.switches;
	if (!custom_set && nv.active_slot != 0u) {
		/* the committed switch: EF_IMSI and key set of the active slot */
		FUZZ_ASSERT(nv.active_slot <= 3u);
		FUZZ_ASSERT(memcmp(port.file[MI_FILE_IMSI].data, slot_imsi[nv.active_slot - 1u],
				   9) == 0);
		FUZZ_ASSERT(port.keyset == nv.active_slot);
	}
	if (port.cmd_len == 0u)
		return;
	FUZZ_ASSERT(port.cmd_len <= sizeof(port.cmd));
	n = mi_btlv_decode(port.cmd, port.cmd_len, &b);
	FUZZ_ASSERT(n == (int)port.cmd_len && b.tag == MI_BTAG_PROACTIVE);
	while (off < b.len) {
		n = mi_ctlv_decode(b.val + off, (mi_u16)(b.len - off), &c);
		FUZZ_ASSERT(n > 0);
		off = (mi_u16)(off + (mi_u16)n);
	}
	FUZZ_ASSERT(off == b.len);
	/* command details 81 03 nn tt qq first (TS 102 223 §8.6) */
	if (b.len >= 5u && (b.val[0] & 0x7Fu) == 0x01u && b.val[3] == 0x24u)
		check_select_item(b.val, b.len);
}

/* Answer the pending command: 81 command details, 82 02 82 81, 83 result. */
static int answer(const mi_u8 *d, mi_u16 n)
{
	mi_u8 cmd[256], tr[300];
	mi_u16 len, off, extra;

	len = fake_fetch(&port, cmd, sizeof(cmd));
	if (len < 7u || n < 1u)
		return MI_OK;
	off = cmd[1] == 0x81u ? 3u : 2u;
	if (len < off + 5u)
		return MI_OK;
	memcpy(tr, cmd + off, 5);
	memcpy(tr + 5, "\x82\x02\x82\x81\x83\x01", 6);
	tr[11] = d[0];
	extra = (mi_u16)(n - 1u);
	if (extra > sizeof(tr) - 12u)
		extra = (mi_u16)(sizeof(tr) - 12u);
	memcpy(tr + 12, d + 1, extra);
	return mi_applet_terminal_response(&app, tr, (mi_u16)(12u + extra));
}

/* A new EF file as a loader writes it (mi_ef.h A/B activation): into the
 * bank of that kind NOT in use, with seq = active seq + 1; it counts from
 * the next reset. With bit 7 of data[0] set, it overwrites the bank in use
 * instead (outside the loader contract: the engine validated that bank at
 * reset, so until the next reset only the memory-safety and panic checks
 * apply). */
static void new_file(const mi_u8 *d, mi_u16 n)
{
	mi_u8 f[MI_EF_HDR_LEN + 256u];
	mi_u8 kind, bank;
	enum mi_file file;

	if (n < 1u)
		return;
	kind = (mi_u8)((d[0] & 0x7Fu) % 3u);
	bank = (mi_u8)((ram.banks >> kind) & 1u);
	if (d[0] & 0x80u)
		tampered = MI_TRUE;
	else
		bank ^= 1u;
	file = (enum mi_file)(MI_FILE_CFG_A + kind * 2u + bank);
	memcpy(f + MI_EF_HDR_LEN, d + 1, (size_t)(n - 1u));
	seal_into(file, port.file[file].size, (mi_u8)(kind + 1u), ram.set_seq + 1u, f,
		  (mi_u16)(n - 1u));
	custom_set = MI_TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 1;
	mi_u8 op, *d;
	mi_u16 n;
#ifdef FUZZ_TRACE
	mi_u16 k;
#endif

	if (size < 1u || size > 4096u)
		return 0;
	card((data[0] & 0x04u) == 0u);
	custom_set = MI_FALSE;
	tampered = MI_FALSE;
	check_rc(mi_applet_install(&app));
	last_switches = nv.switches;
	check_rc(mi_applet_reset(&app));
	check_rc(mi_applet_terminal_profile(&app, tp_list[data[0] & 3u], 8));
	check_invariants();
	while (pos + 2u <= size) {
		op = (mi_u8)(data[pos] & 7u);
		n = data[pos + 1];
		pos += 2;
		if (n > size - pos)
			n = (mi_u16)(size - pos);
		/* an exact heap copy: reads past the record are ASan reports */
		d = NULL;
		if (n > 0u) {
			d = malloc(n);
			FUZZ_ASSERT(d != NULL);
			memcpy(d, data + pos, n);
		}
		pos += n;
		switch (op) {
		case 0:
			check_rc(mi_applet_envelope(&app, d ? d : (const mi_u8 *)"", n));
			break;
		case 1:
			check_rc(mi_applet_terminal_response(&app, d ? d : (const mi_u8 *)"", n));
			break;
		case 2:
			check_rc(mi_applet_status(&app));
			break;
		case 3:
			port.cmd_len = 0;
			break;
		case 4:
			check_rc(mi_applet_reset(&app));
			tampered = MI_FALSE;
			break;
		case 5:
			new_file(d, n);
			break;
		case 6:
			check_rc(answer(d, n));
			break;
		default:
			check_rc(mi_applet_terminal_profile(&app, d ? d : (const mi_u8 *)"", n));
			break;
		}
		free(d);
#ifdef FUZZ_TRACE /* -DFUZZ_TRACE: one line per step, to read a reproducer */
		fprintf(stderr, "op %u len %u: mode %u slot %u caps %02X cmd", op, n, ram.mode,
			nv.active_slot, ram.caps);
		for (k = 0; k < port.cmd_len; k++)
			fprintf(stderr, " %02X", port.cmd[k]);
		fprintf(stderr, "\n");
#endif
		check_invariants();
	}
	return 0;
}
