/* SPDX-License-Identifier: Apache-2.0 */
/* decompile: a compiled set as a readable table or JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rc.h"

static const char *refresh_name(mi_u8 q)
{
	switch (q) { /* TS 102 223 §8.6 */
	case 0x00:
		return "naa-init-full-fcn";
	case 0x02:
		return "naa-init-fcn";
	case 0x03:
		return "naa-init";
	case 0x04:
		return "uicc-reset";
	case 0xFF:
		return "none";
	default:
		return "?";
	}
}

static void act_text(mi_u16 act, char *out, size_t cap)
{
	rc_fmt(out, cap, "%s%s%s%s", act & MI_ACT_EUTRAN ? "E" : "", act & MI_ACT_UTRAN ? "U" : "",
	       act & MI_ACT_GSM ? "G" : "", act & MI_ACT_NGRAN ? "N" : "");
}

static void flags_text(mi_u8 f, char *out, size_t cap)
{
	rc_fmt(out, cap, "%s%s%s%s%s", f & MI_CFG_F_NAIVE ? " naive" : "",
	       f & MI_CFG_F_MENU ? " menu" : "", f & MI_CFG_F_FAILOVER ? " failover" : "",
	       f & MI_CFG_F_RETURN_HOME ? " return_home" : "",
	       f & MI_CFG_F_REPLACE_REFRESH ? " replace_refresh" : "");
}

/* The fallbacks after the first (CFG bytes 11-12) that are set. */
static int more_fallbacks(const struct mi_cfg *c)
{
	int n = 0;

	while (n < (int)MI_REFRESH_FALLBACKS - 1 && c->refresh_more[n] != 0xFF)
		n++;
	return n;
}

/* The EHPLMN entries of a slot record as "MCC-MNC" strings. */
static void ehplmn_json(json_t *x, const struct mi_slot *m)
{
	json_t *e = json_array();
	char b[8];
	int j;

	for (j = 0; j < m->n_ehplmn; j++) {
		struct mi_plmn p;

		if (mi_plmn_decode(m->ehplmn[j], 3, &p) < 0)
			continue;
		rc_plmn_str(&p, b);
		json_array_append_new(e, json_string(b));
	}
	json_object_set_new(x, "ehplmn", e);
}

static void slot_flags(mi_u8 f, char *out, size_t cap)
{
	rc_fmt(out, cap, "%s%s%s%s", f & MI_SLOT_F_HOME ? " home" : "",
	       f & MI_SLOT_F_BOOTSTRAP ? " bootstrap" : "",
	       f & MI_SLOT_F_DISABLED ? " disabled" : "", f & MI_SLOT_F_EHPLMN ? " ehplmn" : "");
}

static json_t *hdr_json(const struct mi_ef_header *h, size_t len)
{
	json_t *o = json_object();
	char crc[9];

	rc_fmt(crc, sizeof(crc), "%08lX", (unsigned long)h->crc);
	json_object_set_new(o, "bytes", json_integer((json_int_t)len));
	json_object_set_new(o, "seq", json_integer(h->seq));
	json_object_set_new(o, "crc32", json_string(crc));
	rc_fmt(crc, sizeof(crc), "%08lX", (unsigned long)h->set_id);
	json_object_set_new(o, "set_id", h->set_id ? json_string(crc) : json_null());
	return o;
}

static int decompile_json(FILE *out, const struct rc_set *s)
{
	json_t *root = json_object(), *o, *a;
	char b[96], *text;
	size_t i;
	int k, j;

	o = hdr_json(&s->hdr[0], s->len[0]);
	json_object_set_new(o, "rotation_s", json_integer(s->cfg.rotation_s));
	json_object_set_new(o, "min_dwell_s", json_integer(s->cfg.min_dwell_s));
	json_object_set_new(o, "reeval_min", json_integer(s->cfg.reeval_min));
	json_object_set_new(o, "refresh", json_string(refresh_name(s->cfg.refresh_pref)));
	json_object_set_new(o, "refresh_fallback",
			    json_string(refresh_name(s->cfg.refresh_fallback)));
	if (more_fallbacks(&s->cfg)) { /* the whole order, TS 102 223 §8.6 */
		a = json_array();
		json_array_append_new(a, json_string(refresh_name(s->cfg.refresh_fallback)));
		for (k = 0; k < more_fallbacks(&s->cfg); k++)
			json_array_append_new(
			    a, json_string(refresh_name(s->cfg.refresh_more[k])));
		json_object_set_new(o, "refresh_fallbacks", a);
	}
	json_object_set_new(o, "flags", json_integer(s->cfg.flags));
	json_object_set_new(o, "poll_s", json_integer(s->cfg.poll_s));
	json_object_set_new(o, "failover_max_per_hour", json_integer(s->cfg.failover_max_per_hour));
	json_object_set_new(root, "cfg", o);
	o = hdr_json(&s->hdr[1], s->len[1]);
	a = json_array();
	for (k = 0; k < s->n_slot; k++) {
		const struct mi_slot *m = &s->slot[k];
		json_t *x = json_object(), *l = json_array(), *f = json_array();
		char imsi[16];

		json_object_set_new(x, "slot", json_integer(m->slot));
		if (mi_imsi_decode(m->imsi, sizeof(m->imsi), imsi, sizeof(imsi)) < 0)
			rc_fmt(imsi, sizeof(imsi), "?");
		json_object_set_new(x, "imsi", json_string(imsi));
		json_object_set_new(x, "flags", json_integer(m->flags));
		json_object_set_new(x, "sponsor_id", json_integer(m->sponsor));
		json_object_set_new(x, "keyset", json_integer(m->keyset));
		json_object_set_new(x, "mnc_len", json_integer(m->mnc_len));
		for (j = 0; j < m->n_oplmn; j++) {
			struct mi_plmn p;
			mi_u16 act = 0;
			char pl[8], at[8];

			if (mi_plmnwact_decode(m->oplmn[j], 5, &p, &act) < 0)
				continue;
			rc_plmn_str(&p, pl);
			act_text(act, at, sizeof(at));
			rc_fmt(b, sizeof(b), "%s/%s", pl, at);
			json_array_append_new(l, json_string(b));
		}
		for (j = 0; j < m->n_fplmn; j++) {
			struct mi_plmn p;

			if (mi_plmn_decode(m->fplmn[j], 3, &p) < 0)
				continue;
			rc_plmn_str(&p, b);
			json_array_append_new(f, json_string(b));
		}
		json_object_set_new(x, "oplmnwact", l);
		json_object_set_new(x, "fplmn", f);
		if (m->flags & MI_SLOT_F_EHPLMN)
			ehplmn_json(x, m);
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "slots", a);
	json_object_set_new(root, "slots", o);
	o = hdr_json(&s->hdr[2], s->len[2]);
	json_object_set_new(o, "global", json_integer(s->global));
	a = json_array();
	for (k = 0; k < s->n_prof; k++) {
		rc_prof_text(&s->prof[k], b, sizeof(b));
		json_array_append_new(a, json_string(b));
	}
	json_object_set_new(o, "profiles", a);
	a = json_array();
	for (i = 0; i < s->n_rule; i++) {
		json_t *x = json_object();

		rc_key_str(s->rule[i].key, b);
		json_object_set_new(x, "key", json_string(b));
		json_object_set_new(x, "profile", json_integer(s->rule[i].profile));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "rules", a);
	json_object_set_new(root, "rules", o);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return -1;
	fprintf(out, "%s\n", text);
	free(text);
	return 0;
}

int rc_decompile(FILE *out, const struct rc_set *s, int json)
{
	char b[96];
	size_t i;
	int k, j;

	if (json)
		return decompile_json(out, s);
	if (s->hdr[0].set_id)
		fprintf(out, "set id %08lX (the same in the three files)\n",
			(unsigned long)s->hdr[0].set_id);
	fprintf(out, "EF.MI_CFG    %zu bytes, seq %lu, CRC-32 %08lX\n", s->len[0],
		(unsigned long)s->hdr[0].seq, (unsigned long)s->hdr[0].crc);
	flags_text(s->cfg.flags, b, sizeof(b));
	fprintf(
	    out,
	    "  rotation_s %u, min_dwell_s %u, reeval_min %u, poll_s %u, failover_max_per_hour %u\n",
	    s->cfg.rotation_s, s->cfg.min_dwell_s, s->cfg.reeval_min, s->cfg.poll_s,
	    s->cfg.failover_max_per_hour);
	fprintf(out, "  refresh %02X (%s), fallback %02X (%s)", s->cfg.refresh_pref,
		refresh_name(s->cfg.refresh_pref), s->cfg.refresh_fallback,
		refresh_name(s->cfg.refresh_fallback));
	for (k = 0; k < more_fallbacks(&s->cfg); k++)
		fprintf(out, " then %02X (%s)", s->cfg.refresh_more[k],
			refresh_name(s->cfg.refresh_more[k]));
	fprintf(out, ", flags %02X:%s\n", s->cfg.flags, b[0] ? b : " none");
	fprintf(out, "EF.MI_SLOTS  %zu bytes, seq %lu, CRC-32 %08lX, %d slots\n", s->len[1],
		(unsigned long)s->hdr[1].seq, (unsigned long)s->hdr[1].crc, s->n_slot);
	for (k = 0; k < s->n_slot; k++) {
		const struct mi_slot *m = &s->slot[k];
		char imsi[16];

		if (mi_imsi_decode(m->imsi, sizeof(m->imsi), imsi, sizeof(imsi)) < 0)
			rc_fmt(imsi, sizeof(imsi), "?");
		slot_flags(m->flags, b, sizeof(b));
		fprintf(out, "  slot %u: IMSI %s, MNC length %u, sponsor %u, keyset %u, flags%s\n",
			m->slot, imsi, m->mnc_len, m->sponsor, m->keyset, b[0] ? b : " none");
		fprintf(out, "    OPLMNwACT (%u):", m->n_oplmn);
		for (j = 0; j < m->n_oplmn; j++) {
			struct mi_plmn p;
			mi_u16 act = 0;
			char pl[8];

			if (mi_plmnwact_decode(m->oplmn[j], 5, &p, &act) < 0) {
				fprintf(out, " ?");
				continue;
			}
			rc_plmn_str(&p, pl);
			act_text(act, b, sizeof(b));
			fprintf(out, " %s/%s", pl, b);
		}
		fprintf(out, "%s\n    FPLMN (%u):", m->n_oplmn ? "" : " -", m->n_fplmn);
		for (j = 0; j < m->n_fplmn; j++) {
			struct mi_plmn p;

			if (mi_plmn_decode(m->fplmn[j], 3, &p) < 0) {
				fprintf(out, " ?");
				continue;
			}
			rc_plmn_str(&p, b);
			fprintf(out, " %s", b);
		}
		fprintf(out, "%s\n", m->n_fplmn ? "" : " -");
		if (!(m->flags & MI_SLOT_F_EHPLMN))
			continue;
		fprintf(out, "    EHPLMN (%u):", m->n_ehplmn);
		for (j = 0; j < m->n_ehplmn; j++) {
			struct mi_plmn p;

			if (mi_plmn_decode(m->ehplmn[j], 3, &p) < 0) {
				fprintf(out, " ?");
				continue;
			}
			rc_plmn_str(&p, b);
			fprintf(out, " %s", b);
		}
		fprintf(out, "%s\n", m->n_ehplmn ? "" : " - (cleared on a switch)");
	}
	fprintf(out, "EF.MI_RULES  %zu bytes, seq %lu, CRC-32 %08lX, %d profiles, %zu rules\n",
		s->len[2], (unsigned long)s->hdr[2].seq, (unsigned long)s->hdr[2].crc, s->n_prof,
		s->n_rule);
	for (k = 0; k < s->n_prof; k++) {
		rc_prof_text(&s->prof[k], b, sizeof(b));
		fprintf(out, "  profile %3d: %s%s\n", k, b, k == s->global ? "  (global)" : "");
	}
	for (i = 0; i < s->n_rule; i++) {
		rc_key_str(s->rule[i].key, b);
		fprintf(out, "  rule %-7s -> profile %u\n", b, s->rule[i].profile);
	}
	return 0;
}
