/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_info.h"

#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "ld_atr.h"
#include "ld_mimsi.h"
#include "ld_write.h"
#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_tlv.h"

#define FID_DIR 0x2F00u  /* TS 102 221 §13.1 */
#define FID_ADF 0x7FFFu
#define APPS_MAX 8u

struct app {
	uint8_t aid[16];
	size_t aid_len;
	char label[33];
};

/* EF_DIR records: 61 L 4F L AID [50 L label] (TS 102 221 §13.1). */
static size_t read_apps(struct ld_card *c, struct app *apps)
{
	static const uint16_t path[1] = {FID_DIR};
	uint8_t rec[256];
	uint16_t sw;
	size_t n = 0;
	uint8_t r;

	if (ld_select_path(c, path, 1, NULL, &sw) < 0 || sw != MI_SW_OK)
		return 0;
	for (r = 1; r < 255 && n < APPS_MAX; r++) {
		size_t len = sizeof(rec);
		struct mi_btlv tmpl, in;
		mi_u16 off = 0;
		if (ld_read_record(c, r, rec, &len, &sw) < 0 || sw != MI_SW_OK)
			break;
		if (mi_btlv_decode(rec, (mi_u16)len, &tmpl) < 0 || tmpl.tag != 0x61)
			continue;
		memset(&apps[n], 0, sizeof(apps[n]));
		while (off < tmpl.len) {
			int k = mi_btlv_decode(tmpl.val + off, (mi_u16)(tmpl.len - off), &in);
			if (k < 0)
				break;
			if (in.tag == 0x4F && in.len <= 16) {
				memcpy(apps[n].aid, in.val, in.len);
				apps[n].aid_len = in.len;
			} else if (in.tag == 0x50 && in.len < sizeof(apps[n].label)) {
				size_t i;
				for (i = 0; i < in.len; i++)
					apps[n].label[i] =
						(in.val[i] >= 0x20 && in.val[i] < 0x7F) ? (char)in.val[i] : '.';
			}
			off = (mi_u16)(off + k);
		}
		if (apps[n].aid_len)
			n++;
	}
	return n;
}

/* USIM: the first EF_DIR application with the 3GPP USIM code (A0000000871002). */
static int select_usim(struct ld_card *c, const struct app *apps, size_t n)
{
	static const uint8_t usim[7] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	uint16_t sw;
	size_t i;

	for (i = 0; i < n; i++)
		if (apps[i].aid_len >= 7 && memcmp(apps[i].aid, usim, 7) == 0) {
			if (ld_select_aid(c, apps[i].aid, apps[i].aid_len, &sw) == LD_OK &&
			    sw == MI_SW_OK)
				return LD_OK;
		}
	return LD_ERR_SW;
}

static int read_ef(struct ld_card *c, uint16_t fid, uint8_t *buf, size_t cap, size_t *len)
{
	struct ld_fcp fcp;
	uint16_t sw;
	size_t n;
	int rc = ld_select_fid(c, fid, &fcp, &sw);

	*len = 0;
	if (rc < 0)
		return rc;
	if (sw != MI_SW_OK)
		return LD_ERR_SW;
	n = fcp.size < cap ? fcp.size : cap;
	if (n == 0)
		return LD_ERR_FORMAT;
	rc = ld_read_binary(c, 0, buf, n);
	if (rc < 0)
		return rc;
	*len = n;
	return LD_OK;
}

static void hex(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02X", b[i]);
}

static int all_same(const uint8_t *b, size_t n, uint8_t v)
{
	while (n--)
		if (*b++ != v)
			return 0;
	return 1;
}

/* A bank never written holds the erased pattern (all FF, or all 00 on some
 * cards): "empty", not a bad file. */
static const char *bank_status(const struct ld_bank *b)
{
	size_t n = b->read_len < MI_EF_HDR_LEN ? b->read_len : MI_EF_HDR_LEN;

	if (!b->present)
		return "absent";
	if (b->check > 0)
		return "valid";
	if (b->data && n && (all_same(b->data, n, 0xFF) || all_same(b->data, n, 0x00)))
		return "empty";
	return mi_strerror(b->check);
}

static void tries_out(FILE *out, const char *name, int t)
{
	if (t == LD_TRIES_NOT_NEEDED)
		fprintf(out, "  %-6s verified or disabled\n", name);
	else if (t < 0)
		fprintf(out, "  %-6s unknown\n", name);
	else
		fprintf(out, "  %-6s %d tr%s left\n", name, t, t == 1 ? "y" : "ies");
}

static json_t *hex_json(const uint8_t *b, size_t n)
{
	char buf[2 * 4096 + 1];
	size_t i;

	if (n > 4096)
		n = 4096;
	for (i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02X", b[i]);
	buf[2 * n] = '\0';
	return json_string(buf);
}

/* Text from the card (read_apps keeps printable ASCII only): jansson
 * escapes quotes and backslashes, so a label cannot break the JSON. */
static json_t *card_text_json(const char *s)
{
	return json_string(s);
}

static int dump_json(FILE *out, json_t *o)
{
	int rc = o && json_dumpf(o, out, 0) == 0 ? LD_OK : LD_ERR_IO; /* one line */

	if (rc == LD_OK)
		fputc('\n', out);
	json_decref(o);
	return rc;
}

static json_t *tries_json(int t)
{
	if (t == LD_TRIES_NOT_NEEDED)
		return json_string("verified-or-disabled");
	return t < 0 ? json_null() : json_integer(t);
}

static json_t *info_json(struct ld_card *c, const struct ld_atr *atr, const char *iccid,
			 const char *imsi, const struct app *apps, size_t n_apps,
			 const struct ld_image *img, const uint32_t *seq, int t_pin1, int t_pin2,
			 int t_adm1)
{
	json_t *japps = json_array(), *files = json_array();
	size_t i;
	unsigned k, bk;

	for (i = 0; i < n_apps; i++)
		json_array_append_new(japps, json_pack("{s:o, s:o}", "aid",
						       hex_json(apps[i].aid, apps[i].aid_len),
						       "label", card_text_json(apps[i].label)));
	for (k = 0; k < LD_KINDS; k++)
		for (bk = 0; bk < 2; bk++) {
			const struct ld_bank *b = &img->bank[k][bk];
			char fid[5], bank[2] = {bk ? 'B' : 'A', 0};
			json_t *f;

			snprintf(fid, sizeof(fid), "%04X", b->fid);
			f = json_pack("{s:s, s:s, s:s, s:b, s:I}", "fid", fid, "kind",
				      ld_kind_name[k], "bank", bank, "present", b->present, "size",
				      (json_int_t)b->size);
			if (f && b->present && b->data && b->hdr.type) {
				json_object_set_new(f, "version", json_integer(b->hdr.version));
				json_object_set_new(f, "seq", json_integer(b->hdr.seq));
				json_object_set_new(f, "crc_valid", json_boolean(b->check > 0));
			}
			if (f)
				json_object_set_new(f, "status", json_string(bank_status(b)));
			json_array_append_new(files, f);
		}
	return json_pack("{s:s, s:o, s:o, s:s, s:s, s:o, s:{s:b, s:o, s:o}, s:{s:o, s:o, s:o}}",
			 "reader", c->t->ops->reader_name(c->t->ctx), "atr",
			 hex_json(c->atr, c->atr_len), "atr_decoded", ld_atr_json(atr), "iccid",
			 iccid, "imsi", imsi, "applications", japps, "mimsi", "df",
			 img->df_present, "files", files, "active_seq",
			 seq ? json_integer(*seq) : json_null(), "retries", "PIN1",
			 tries_json(t_pin1), "PIN2", tries_json(t_pin2), "ADM1", tries_json(t_adm1));
}

int ld_info(struct ld_card *c, FILE *out, int json)
{
	struct ld_atr atr;
	struct app apps[APPS_MAX];
	struct ld_image img;
	char iccid[24] = "", imsi[20] = "";
	uint8_t buf[16];
	size_t n_apps, len, i;
	uint32_t seq = 0;
	int which[LD_KINDS], active, t_pin1, t_adm1, t_pin2 = -1, rc;
	unsigned k, bk;
	uint16_t sw;

	rc = ld_atr_decode(c->atr, c->atr_len, &atr);
	if (ld_read_iccid(c, iccid, sizeof(iccid)) < 0)
		iccid[0] = '\0';
	(void)ld_select_fid(c, 0x3F00, NULL, &sw);
	t_pin1 = ld_verify_query(c, LD_KEYREF_PIN1);
	t_adm1 = ld_verify_query(c, LD_KEYREF_ADM1);
	n_apps = read_apps(c, apps);
	if (select_usim(c, apps, n_apps) == LD_OK) {
		t_pin2 = ld_verify_query(c, LD_KEYREF_PIN2);
		if (read_ef(c, 0x6F07, buf, 9, &len) == LD_OK &&
		    mi_imsi_decode(buf, (mi_u16)len, imsi, sizeof(imsi)) < 0)
			imsi[0] = '\0';
	}
	rc = ld_image_read(c, &img);
	if (rc < 0)
		return rc;
	active = ld_image_active(&img, which, &seq);

	if (json) {
		json_t *o = info_json(c, &atr, iccid, imsi, apps, n_apps, &img, active ? &seq : NULL,
				      t_pin1, t_pin2, t_adm1);
		rc = dump_json(out, o);
		ld_image_free(&img);
		return rc;
	} else {
		fprintf(out, "reader  %s\nATR     ", c->t->ops->reader_name(c->t->ctx));
		hex(out, c->atr, c->atr_len);
		fprintf(out, "\n");
		ld_atr_print(out, &atr, 0);
		fprintf(out, "ICCID   %s\nIMSI    %s\napplications (EF_DIR):\n",
			iccid[0] ? iccid : "(unreadable)", imsi[0] ? imsi : "(unreadable)");
		for (i = 0; i < n_apps; i++) {
			fprintf(out, "  ");
			hex(out, apps[i].aid, apps[i].aid_len);
			fprintf(out, "  %s\n", apps[i].label);
		}
		fprintf(out, "mimsi applet files (DF.MIMSI 7F4D %s):\n",
			img.df_present ? "present" : "ABSENT");
		for (k = 0; k < LD_KINDS; k++)
			for (bk = 0; bk < 2; bk++) {
				const struct ld_bank *b = &img.bank[k][bk];
				fprintf(out, "  %04X %-5s %c  ", b->fid, ld_kind_name[k], bk ? 'B' : 'A');
				if (!b->present) {
					fprintf(out, "absent\n");
					continue;
				}
				fprintf(out, "%5u bytes", (unsigned)b->size);
				if (b->data && b->hdr.type)
					fprintf(out, "  v%u seq %u crc %s", b->hdr.version,
						(unsigned)b->hdr.seq, b->check > 0 ? "valid" : "INVALID");
				fprintf(out, "  %s%s\n", bank_status(b),
					active && which[k] == (int)bk && b->hdr.seq == seq ? "  [active]"
											     : "");
			}
		if (active)
			fprintf(out, "  active set: seq %u\n", (unsigned)seq);
		else
			fprintf(out, "  active set: none (the applet runs in safe mode)\n");
		fprintf(out, "retry counters:\n");
		tries_out(out, "PIN1", t_pin1);
		tries_out(out, "PIN2", t_pin2);
		tries_out(out, "ADM1", t_adm1);
	}
	ld_image_free(&img);
	return LD_OK;
}

/* ---- read --------------------------------------------------------------- */
/* ---- read as text --------------------------------------------------------- */
static void plmn_out(FILE *out, const uint8_t *p3)
{
	struct mi_plmn p;
	char txt[12];

	if (mi_plmn_decode(p3, 3, &p) < 0 || mi_plmn_format(&p, txt, sizeof(txt)) < 0)
		snprintf(txt, sizeof(txt), "%02X%02X%02X", p3[0], p3[1], p3[2]);
	fputs(txt, out);
}

static void decode_slots(FILE *out, const uint8_t *body, uint16_t len)
{
	uint16_t off = 1;
	uint8_t n = len ? body[0] : 0, i, j;

	for (i = 0; i < n; i++) {
		struct mi_slot s;
		char imsi[20];
		int rc = mi_slot_decode(body + off, (mi_u16)(len - off), &s);
		if (rc < 0)
			break;
		off = (uint16_t)(off + rc);
		if (mi_imsi_decode(s.imsi, sizeof(s.imsi), imsi, sizeof(imsi)) < 0)
			snprintf(imsi, sizeof(imsi), "?");
		fprintf(out, "  slot %u  IMSI %s  flags %02X%s%s  sponsor %u  keys %u  mnc %u\n"
			     "          OPLMN:",
			s.slot, imsi, s.flags, (s.flags & MI_SLOT_F_HOME) ? " home" : "",
			(s.flags & MI_SLOT_F_BOOTSTRAP) ? " bootstrap" : "", s.sponsor, s.keyset,
			s.mnc_len);
		for (j = 0; j < s.n_oplmn; j++) {
			fputc(' ', out);
			plmn_out(out, s.oplmn[j]);
		}
		fprintf(out, "\n          FPLMN:");
		for (j = 0; j < s.n_fplmn; j++) {
			fputc(' ', out);
			plmn_out(out, s.fplmn[j]);
		}
		if (s.flags & MI_SLOT_F_EHPLMN) { /* written to EF_EHPLMN on a switch */
			fprintf(out, "\n          EHPLMN:");
			for (j = 0; j < s.n_ehplmn; j++) {
				fputc(' ', out);
				plmn_out(out, s.ehplmn[j]);
			}
		}
		fputc('\n', out);
	}
}

static void decode_body(FILE *out, unsigned kind, const uint8_t *body, uint16_t len)
{
	if (kind == LD_CFG) {
		struct mi_cfg cfg;
		if (mi_cfg_decode(body, len, &cfg) < 0) {
			fprintf(out, "  (CFG body does not decode)\n");
			return;
		}
		fprintf(out,
			"  rotation %us  dwell %us  reeval %umin  refresh %02X/%02X/%02X/%02X  "
			"flags %02X  poll %us  failover %u/h\n",
			cfg.rotation_s, cfg.min_dwell_s, cfg.reeval_min, cfg.refresh_pref,
			cfg.refresh_fallback, cfg.refresh_more[0], cfg.refresh_more[1], cfg.flags,
			cfg.poll_s, cfg.failover_max_per_hour);
	} else if (kind == LD_SLOTS) {
		decode_slots(out, body, len);
	} else {
		unsigned np = 0, gp = 0, nr = 0;
		if (len >= MI_RULES_FIXED) {
			np = body[0];
			gp = body[1];
			nr = ((unsigned)body[2] << 8) | body[3];
		}
		fprintf(out, "  %u profiles, global profile %u, %u rules\n", np, gp, nr);
	}
}

static int save_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char path[4096];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return LD_ERR_IO;
	fwrite(b, 1, n, f);
	if (fclose(f) != 0)
		return LD_ERR_IO;
	snprintf(path, sizeof(path), "%s/%s.hex", dir, name);
	f = fopen(path, "w");
	if (!f)
		return LD_ERR_IO;
	for (i = 0; i < n; i++)
		fprintf(f, "%02X", b[i]);
	fprintf(f, "\n");
	return fclose(f) == 0 ? LD_OK : LD_ERR_IO;
}

struct net_ef {
	uint16_t fid;
	const char *name;
	unsigned entry; /* 3 PLMN list, 5 PLMNwAcT list, 0 raw */
};

/* TS 31.102 §4.2 */
static const struct net_ef net_efs[] = {
	{0x6F07, "EF_IMSI", 0},     {0x6FAD, "EF_AD", 0},        {0x6F7B, "EF_FPLMN", 3},
	{0x6F61, "EF_OPLMNwACT", 5}, {0x6F60, "EF_PLMNwACT", 5}, {0x6F62, "EF_HPLMNwACT", 5},
	{0x6F31, "EF_HPPLMN", 0},   {0x6F7E, "EF_LOCI", 0},      {0x6F73, "EF_PSLOCI", 0},
	{0x6FE3, "EF_EPSLOCI", 0},
};

/* xPLMNwAcT access technologies (TS 31.102 §4.2.5), as mimsi-compile prints them */
static void act_out(FILE *out, const uint8_t *a)
{
	unsigned act = (unsigned)(a[0] << 8 | a[1]);

	fputc('/', out);
	if (act & MI_ACT_EUTRAN)
		fputc('E', out);
	if (act & MI_ACT_UTRAN)
		fputc('U', out);
	if (act & MI_ACT_NGRAN)
		fputc('N', out);
	if (act & MI_ACT_GSM)
		fputc('G', out);
}

static void net_list(FILE *out, const uint8_t *b, size_t n, unsigned entry)
{
	size_t i;
	int first = 1;

	for (i = 0; i + entry <= n; i += entry) {
		if (b[i] == 0xFF && b[i + 1] == 0xFF && b[i + 2] == 0xFF)
			continue;
		fprintf(out, " ");
		plmn_out(out, b + i);
		if (entry == 5)
			act_out(out, b + i + 3);
		first = 0;
	}
	if (first)
		fprintf(out, " (empty)");
}

/* Update status byte of LOCI / PSLOCI / EPSLOCI (TS 31.102 §4.2.17, §4.2.23, §4.2.91). */
static const char *update_status(uint8_t st, const char *area)
{
	static char buf[40];

	switch (st & 0x07u) {
	case 0:
		return "updated";
	case 1:
		return "not updated";
	case 2:
		return area ? "PLMN not allowed" : "roaming not allowed";
	case 3:
		if (area) {
			snprintf(buf, sizeof(buf), "%s not allowed", area);
			return buf;
		}
		return "reserved";
	default:
		return "reserved";
	}
}

static int all_ff(const uint8_t *b, size_t n)
{
	while (n--)
		if (*b++ != 0xFF)
			return 0;
	return 1;
}

/* A readable line for the EFs that are not PLMN lists; NULL-free, may be "". */
static void net_describe(char *d, size_t cap, uint16_t fid, const uint8_t *b, size_t n)
{
	char plmn[12] = "none";
	struct mi_plmn p;

	d[0] = '\0';
	switch (fid) {
	case 0x6FAD: /* §4.2.18: mode, then the MNC length in byte 4 */
		if (n >= 4)
			snprintf(d, cap, "%s, MNC length %u",
				 b[0] == 0x00 ? "normal operation" :
				 b[0] == 0x80 ? "type approval" :
				 b[0] == 0x01 ? "normal + specific facilities" :
				 b[0] == 0x81 ? "type approval + specific facilities" :
				 b[0] == 0x02 ? "maintenance" :
				 b[0] == 0x04 ? "cell test" : "unknown mode",
				 b[3] & 0x0Fu);
		break;
	case 0x6F31: /* §4.2.6: higher priority PLMN search period, n x 6 min */
		if (n >= 1)
			snprintf(d, cap, b[0] ? "search every %u min" : "no periodic search",
				 6u * b[0]);
		break;
	case 0x6F7E: /* §4.2.17: TMSI(4) LAI(5) RFU(1) status(1) */
		if (n >= 11) {
			if (mi_plmn_decode(b + 4, 3, &p) == 3)
				(void)mi_plmn_format(&p, plmn, sizeof(plmn));
			snprintf(d, cap, "TMSI %s, LAI %s LAC %02X%02X, %s",
				 all_ff(b, 4) ? "none" : "set", plmn, b[7], b[8],
				 update_status(b[10], "LA"));
		}
		break;
	case 0x6F73: /* §4.2.23: P-TMSI(4) signature(3) RAI(6) status(1) */
		if (n >= 14) {
			if (mi_plmn_decode(b + 7, 3, &p) == 3)
				(void)mi_plmn_format(&p, plmn, sizeof(plmn));
			snprintf(d, cap, "P-TMSI %s, RAI %s LAC %02X%02X RAC %02X, %s",
				 all_ff(b, 4) ? "none" : "set", plmn, b[10], b[11], b[12],
				 update_status(b[13], "RA"));
		}
		break;
	case 0x6FE3: /* §4.2.91: GUTI(12) TAI(5) status(1) */
		if (n >= 18) {
			if (mi_plmn_decode(b + 12, 3, &p) == 3)
				(void)mi_plmn_format(&p, plmn, sizeof(plmn));
			snprintf(d, cap, "GUTI %s, TAI %s TAC %02X%02X, %s",
				 all_ff(b, 12) ? "none" : "set", plmn, b[15], b[16],
				 update_status(b[17], NULL));
		}
		break;
	default:
		break;
	}
}

/* ---- read as JSON (jansson) ------------------------------------------- */
static json_t *plmn_json(const uint8_t *p3)
{
	struct mi_plmn p;
	char txt[12];

	if (mi_plmn_decode(p3, 3, &p) < 0 || mi_plmn_format(&p, txt, sizeof(txt)) < 0)
		snprintf(txt, sizeof(txt), "%02X%02X%02X", p3[0], p3[1], p3[2]);
	return json_string(txt);
}

static json_t *slots_json(const uint8_t *body, uint16_t len)
{
	json_t *arr = json_array();
	uint16_t off = 1;
	uint8_t n = len ? body[0] : 0, i, j;

	for (i = 0; i < n; i++) {
		struct mi_slot s;
		char imsi[20];
		json_t *op = json_array(), *fp = json_array(), *o;
		int rc = mi_slot_decode(body + off, (mi_u16)(len - off), &s);

		if (rc < 0) {
			json_decref(op);
			json_decref(fp);
			break;
		}
		off = (uint16_t)(off + rc);
		if (mi_imsi_decode(s.imsi, sizeof(s.imsi), imsi, sizeof(imsi)) < 0)
			snprintf(imsi, sizeof(imsi), "?");
		for (j = 0; j < s.n_oplmn; j++)
			json_array_append_new(op, plmn_json(s.oplmn[j]));
		for (j = 0; j < s.n_fplmn; j++)
			json_array_append_new(fp, plmn_json(s.fplmn[j]));
		o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:s, s:o, s:o}", "slot", s.slot, "flags",
			      s.flags, "sponsor", s.sponsor, "keyset", s.keyset, "mnc_len", s.mnc_len,
			      "imsi", imsi, "oplmn", op, "fplmn", fp);
		if (o && (s.flags & MI_SLOT_F_EHPLMN)) { /* written to EF_EHPLMN on a switch */
			json_t *eh = json_array();

			for (j = 0; j < s.n_ehplmn; j++)
				json_array_append_new(eh, plmn_json(s.ehplmn[j]));
			json_object_set_new(o, "ehplmn", eh);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *body_json(unsigned kind, const uint8_t *body, uint16_t len)
{
	if (kind == LD_CFG) {
		struct mi_cfg cfg;
		if (mi_cfg_decode(body, len, &cfg) < 0)
			return json_null();
		return json_pack("{s:i, s:i, s:i, s:i, s:i, s:[i, i], s:i, s:i, s:i}", "rotation_s",
				 cfg.rotation_s, "min_dwell_s", cfg.min_dwell_s, "reeval_min",
				 cfg.reeval_min, "refresh_pref", cfg.refresh_pref, "refresh_fallback",
				 cfg.refresh_fallback, "refresh_fallback_more", cfg.refresh_more[0],
				 cfg.refresh_more[1], "flags", cfg.flags, "poll_s", cfg.poll_s,
				 "failover_max_per_hour", cfg.failover_max_per_hour);
	}
	if (kind == LD_SLOTS)
		return slots_json(body, len);
	if (len < MI_RULES_FIXED)
		return json_pack("{s:i, s:i, s:i}", "profiles", 0, "global_profile", 0, "rules", 0);
	return json_pack("{s:i, s:i, s:i}", "profiles", body[0], "global_profile", body[1], "rules",
			 (int)(((unsigned)body[2] << 8) | body[3]));
}

static json_t *net_ef_json(const struct net_ef *e, const uint8_t *b, size_t n)
{
	json_t *o = json_pack("{s:o}", "hex", hex_json(b, n));
	char d[96];

	if (!o)
		return NULL;
	if (e->fid == 0x6F07) {
		char imsi[20];
		if (mi_imsi_decode(b, (mi_u16)n, imsi, sizeof(imsi)) > 0)
			json_object_set_new(o, "imsi", json_string(imsi));
	} else {
		net_describe(d, sizeof(d), e->fid, b, n);
		if (d[0])
			json_object_set_new(o, "decoded", json_string(d));
	}
	if (e->entry) {
		json_t *pl = json_array();
		size_t i;
		for (i = 0; i + e->entry <= n; i += e->entry)
			if (!(b[i] == 0xFF && b[i + 1] == 0xFF && b[i + 2] == 0xFF))
				json_array_append_new(pl, plmn_json(b + i));
		json_object_set_new(o, "plmns", pl);
	}
	return o;
}

int ld_read(struct ld_card *c, FILE *out, int json, const char *dir)
{
	static const char *const names[LD_KINDS] = {"ef_cfg", "ef_slots", "ef_rules"};
	struct ld_image img;
	struct app apps[APPS_MAX];
	uint32_t seq = 0;
	int which[LD_KINDS], active, rc;
	size_t n_apps, i;
	unsigned k;
	json_t *root = NULL, *set = NULL, *usim = NULL;

	rc = ld_image_read(c, &img);
	if (rc < 0)
		return rc;
	active = ld_image_active(&img, which, &seq);
	if (json) {
		set = json_object();
		usim = json_object();
		root = json_pack("{s:o, s:o, s:o}", "active_seq",
				 active ? json_integer(seq) : json_null(), "set", set, "usim", usim);
		if (!root) {
			ld_image_free(&img);
			return LD_ERR_IO;
		}
	} else if (active)
		fprintf(out, "active set seq %u\n", (unsigned)seq);
	else
		fprintf(out, "no valid set on the card (applet in safe mode)\n");
	for (k = 0; active && k < LD_KINDS; k++) {
		const struct ld_bank *b = &img.bank[k][which[k]];
		const uint8_t *body = b->data + MI_EF_HDR_LEN;
		size_t whole = (size_t)MI_EF_HDR_LEN + b->hdr.body_len;

		if (json) {
			char fid[5], crc[9];
			snprintf(fid, sizeof(fid), "%04X", b->fid);
			snprintf(crc, sizeof(crc), "%08X", (unsigned)b->hdr.crc);
			json_object_set_new(set, ld_kind_name[k],
					    json_pack("{s:s, s:i, s:s, s:o, s:o}", "fid", fid,
						      "body_len", b->hdr.body_len, "crc", crc, "hex",
						      hex_json(b->data, whole), "decoded",
						      body_json(k, body, b->hdr.payload_len)));
		} else {
			fprintf(out, "%s (EF %04X, %u body bytes, CRC %08X):\n", ld_kind_name[k],
				b->fid, b->hdr.body_len, (unsigned)b->hdr.crc);
			decode_body(out, k, body, b->hdr.payload_len); /* before a set id */
		}
		if (dir && save_file(dir, names[k], b->data, whole) < 0) {
			fprintf(stderr, "mimsi-card: cannot write into %s: %s\n", dir, strerror(errno));
			ld_image_free(&img);
			json_decref(root);
			return LD_ERR_IO;
		}
	}
	ld_image_free(&img);
	if (!json)
		fprintf(out, "network selection (ADF.USIM):\n");
	n_apps = read_apps(c, apps);
	if (select_usim(c, apps, n_apps) == LD_OK) {
		for (i = 0; i < sizeof(net_efs) / sizeof(net_efs[0]); i++) {
			uint8_t b[256];
			size_t n;
			const struct net_ef *e = &net_efs[i];
			if (read_ef(c, e->fid, b, sizeof(b), &n) < 0)
				continue;
			if (json) {
				json_object_set_new(usim, e->name, net_ef_json(e, b, n));
				continue;
			}
			fprintf(out, "  %-13s ", e->name);
			if (!e->entry)
				hex(out, b, n);
			if (e->fid == 0x6F07) {
				char imsi[20];
				if (mi_imsi_decode(b, (mi_u16)n, imsi, sizeof(imsi)) > 0)
					fprintf(out, "  (%s)", imsi);
			} else {
				char d[96];

				net_describe(d, sizeof(d), e->fid, b, n);
				if (d[0])
					fprintf(out, "  (%s)", d);
			}
			if (e->entry)
				net_list(out, b, n, e->entry);
			fprintf(out, "\n");
		}
	}
	return json ? dump_json(out, root) : LD_OK;
}
