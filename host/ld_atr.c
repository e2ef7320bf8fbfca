/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_atr.h"

#include <jansson.h>
#include "ld_transport.h"

#include <string.h>

/* ISO/IEC 7816-3 §8.3 Table 7 (Fi) and Table 8 (Di); 0 = RFU */
static const unsigned fi_table[16] = {372, 372, 558, 744, 1116, 1488, 1860, 0,
				      0,   512, 768, 1024, 1536, 2048, 0, 0};
static const unsigned di_table[16] = {0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0};

int ld_atr_decode(const uint8_t *atr, size_t len, struct ld_atr *out)
{
	size_t i = 2, k;
	uint8_t y, td;
	unsigned level = 1, last_t = 0;
	int any_td = 0;

	memset(out, 0, sizeof(*out));
	if (len < 2 || len > 33)
		return LD_ERR_FORMAT;
	out->ts = atr[0];
	if (out->ts != 0x3B && out->ts != 0x3F)
		return LD_ERR_FORMAT;
	out->n_hist = atr[1] & 0x0Fu;
	y = (uint8_t)(atr[1] >> 4);
	out->fi = 372; /* default Fi/Di when TA1 is absent (§8.3) */
	out->di = 1;
	for (;;) {
		int ta = (y & 1u) != 0, tb = (y & 2u) != 0, tc = (y & 4u) != 0, tdp = (y & 8u) != 0;
		size_t need = (size_t)ta + (size_t)tb + (size_t)tc + (size_t)tdp;
		if (i + need > len)
			return LD_ERR_FORMAT;
		if (ta) {
			if (level == 1) {
				out->has_ta1 = 1;
				out->ta1 = atr[i];
				out->fi = fi_table[atr[i] >> 4];
				out->di = di_table[atr[i] & 0x0Fu];
			} else if (level >= 3 && last_t == 15 && !out->has_t15_ta) {
				/* first TA after T=15: UICC clock stop / class (TS 102 221 §6.3.3) */
				out->has_t15_ta = 1;
				out->t15_ta = atr[i];
			}
			i++;
		}
		i += (size_t)tb + (size_t)tc;
		if (!tdp)
			break;
		td = atr[i++];
		any_td = 1;
		last_t = td & 0x0Fu;
		out->protocols = (uint16_t)(out->protocols | (1u << last_t));
		y = (uint8_t)(td >> 4);
		level++;
	}
	if (!any_td)
		out->protocols = 1u; /* no TD1: T=0 only */
	if (i + out->n_hist > len)
		return LD_ERR_FORMAT;
	memcpy(out->hist, atr + i, out->n_hist);
	i += out->n_hist;
	/* TCK present unless only T=0 is offered (§8.2.5) */
	out->has_tck = (out->protocols & ~1u) != 0;
	if (out->has_tck) {
		uint8_t x = 0;
		if (i + 1 != len)
			return LD_ERR_FORMAT;
		for (k = 1; k < len; k++)
			x ^= atr[k];
		out->tck_ok = x == 0;
	} else if (i != len) {
		return LD_ERR_FORMAT;
	}
	return LD_OK;
}

static const char *clock_stop_text(uint8_t ta)
{
	switch (ta >> 6) {
	case 0: return "not supported";
	case 1: return "state L";
	case 2: return "state H";
	default: return "no preference";
	}
}

json_t *ld_atr_json(const struct ld_atr *a)
{
	json_t *o, *protos = json_array();
	char hist[2 * sizeof(a->hist) + 1], ta1[3];
	size_t i;
	unsigned t;

	for (t = 0; protos && t < 16; t++)
		if (a->protocols & (1u << t))
			json_array_append_new(protos, json_integer(t));
	for (i = 0; i < a->n_hist; i++)
		snprintf(hist + 2 * i, 3, "%02X", a->hist[i]);
	hist[2 * a->n_hist] = '\0';
	snprintf(ta1, sizeof(ta1), "%02X", a->ta1);
	o = json_pack("{s:s, s:o*, s:o, s:I, s:I, s:s, s:o}", "convention",
		      a->ts == 0x3B ? "direct" : "inverse", "protocols", protos, "ta1",
		      a->has_ta1 ? json_string(ta1) : json_null(), "fi", (json_int_t)a->fi, "di",
		      (json_int_t)a->di, "historical", hist, "tck",
		      !a->has_tck ? json_null() : json_string(a->tck_ok ? "valid" : "invalid"));
	return o;
}

void ld_atr_print(FILE *f, const struct ld_atr *a, int json)
{
	size_t i;
	unsigned t;

	if (json) {
		json_t *o = ld_atr_json(a);
		if (o)
			json_dumpf(o, f, 0);
		json_decref(o);
		return;
	}
	fprintf(f, "  convention  %s\n  protocols  ", a->ts == 0x3B ? "direct (3B)" : "inverse (3F)");
	for (t = 0; t < 16; t++)
		if (a->protocols & (1u << t))
			fprintf(f, " T=%u", t);
	fprintf(f, "\n");
	if (a->has_ta1)
		fprintf(f, "  TA1         %02X: Fi=%u Di=%u (%u clocks/ETU)\n", a->ta1, a->fi, a->di,
			a->di ? a->fi / a->di : 0);
	else
		fprintf(f, "  TA1         absent: Fi=372 Di=1\n");
	if (a->has_t15_ta)
		fprintf(f, "  UICC        clock stop %s, classes%s%s%s\n", clock_stop_text(a->t15_ta),
			(a->t15_ta & 1u) ? " A(5V)" : "", (a->t15_ta & 2u) ? " B(3V)" : "",
			(a->t15_ta & 4u) ? " C(1.8V)" : "");
	fprintf(f, "  historical ");
	for (i = 0; i < a->n_hist; i++)
		fprintf(f, " %02X", a->hist[i]);
	fprintf(f, "\n  TCK         %s\n",
		!a->has_tck ? "absent (T=0 only)" : a->tck_ok ? "valid" : "INVALID");
}
