/* SPDX-License-Identifier: Apache-2.0 */
/* report: one self-contained HTML page (inline CSS and SVG, no scripts,
 * no external resources; well-formed XML so that it can be checked). All
 * chart geometry is integer arithmetic on micro-units. */
#include <stdlib.h>
#include <string.h>

#include "rc.h"

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *const palette[MI_MAX_SLOTS] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
						  "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
						  "#bcbd22", "#17becf"};

static void country_label(mi_u16 mcc, char *out, size_t cap)
{
	const char *c = rc_country(mcc);

	if (c)
		rc_fmt(out, cap, "%s (%03u)", c, mcc);
	else
		rc_fmt(out, cap, "MCC %03u", mcc);
}

/* Distinct sponsors in slot order (index into plan->slots of the first). */
static int sponsors(const struct rc_plan *plan, int *first)
{
	int k, n = 0;

	for (k = 0; k < plan->n_slots; k++) {
		int j;

		for (j = 0; j < n; j++)
			if (strcmp(plan->slots[first[j]].sponsor, plan->slots[k].sponsor) == 0)
				break;
		if (j == n)
			first[n++] = k;
	}
	return n;
}

static void chart(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
		  const mi_u16 *mccs, int n_mcc)
{
	int first[MI_MAX_SLOTS], ns = sponsors(plan, first), c, s;
	int64_t max = 1, *cheapest = calloc((size_t)(n_mcc * ns) + 1, sizeof(*cheapest));
	const int plot_h = 240, top = 20, left = 60, group_w = 16 * ns + 24;
	int width = left + group_w * n_mcc + 20, height = top + plot_h + 90, t;
	size_t i;

	if (!cheapest)
		return;
	/* per country and sponsor: the cheapest converted price per GB, -1 = none */
	for (i = 0; i < (size_t)(n_mcc * ns); i++)
		cheapest[i] = -1;
	for (i = 0; i < rates->n; i++) {
		const struct rc_rate *r = &rates->v[i];

		for (c = 0; c < n_mcc && mccs[c] != r->plmn.mcc; c++)
			;
		for (s = 0; s < ns && strcmp(plan->slots[first[s]].sponsor, r->sponsor) != 0; s++)
			;
		if (c == n_mcc || s == ns)
			continue;
		if (cheapest[c * ns + s] < 0 || r->conv < cheapest[c * ns + s])
			cheapest[c * ns + s] = r->conv;
		if (r->conv > max)
			max = r->conv;
	}
	{ /* a round axis: 4 steps of 1, 2, 2.5 or 5 x 10^k */
		static const int64_t mant[4] = {10, 20, 25, 50};
		int64_t scale = 10000, step = 0; /* from 0.1 */

		while (!step) {
			for (t = 0; t < 4 && !step; t++)
				if (mant[t] * scale * 4 >= max)
					step = mant[t] * scale;
			scale *= 10;
		}
		max = step * 4;
	}
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"price per GB by country and "
		"sponsor\">\n",
		width, height, width, height);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", width,
		height);
	for (t = 0; t <= 4; t++) { /* 5 grid lines with their values */
		int y = top + plot_h - plot_h * t / 4;
		char v[40];

		rc_money_format(max * t / 4, v, sizeof(v));
		fprintf(out,
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>\n",
			left, y, width - 10, y, left - 4, y + 3, v);
	}
	if (plan->ceiling >= 0 && plan->ceiling <= max) {
		int y = top + plot_h - (int)(plan->ceiling * plot_h / max);

		fprintf(out,
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#b22\" "
			"stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%d\" font-size=\"10\" "
			"fill=\"#b22\" text-anchor=\"start\">ceiling</text>\n",
			left, y, width - 10, y, left + 40, y - 3);
	}
	for (c = 0; c < n_mcc; c++) {
		char label[64];
		int x0 = left + c * group_w + 12;

		for (s = 0; s < ns; s++) {
			int64_t p = cheapest[c * ns + s];
			int h;
			char v[40];

			if (p < 0)
				continue;
			h = (int)(p * plot_h / max);
			if (h < 1)
				h = 1;
			rc_money_format(p, v, sizeof(v));
			fprintf(out,
				"<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\" "
				"fill=\"%s\"><title>",
				x0 + s * 16, top + plot_h - h, h, palette[s]);
			esc(out, plan->slots[first[s]].sponsor);
			country_label(mccs[c], label, sizeof(label));
			fprintf(out, ", ");
			esc(out, label);
			fprintf(out, ": %s %s/GB</title></rect>\n", v, plan->currency);
		}
		country_label(mccs[c], label, sizeof(label));
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" transform=\"rotate(40 %d %d)\">",
			x0, top + plot_h + 14, x0, top + plot_h + 14);
		esc(out, label);
		fprintf(out, "</text>\n");
	}
	fprintf(out,
		"<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\">%s per "
		"GB</text>\n",
		top + plot_h / 2 + 30, top + plot_h / 2 + 30, plan->currency);
	fprintf(out, "</svg>\n<p class=\"legend\">");
	for (s = 0; s < ns; s++) {
		fprintf(out, "<span><i style=\"background:%s\"></i>", palette[s]);
		esc(out, plan->slots[first[s]].sponsor);
		fprintf(out, "</span> ");
	}
	fprintf(out, "</p>\n");
	free(cheapest);
}

int rc_report_html(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
		   const struct rc_result *res)
{
	mi_u16 *mccs = malloc((res->n_plmn + 1) * sizeof(*mccs));
	int n_mcc = 0, home = -1, k;
	size_t i;
	char b[64];

	if (!mccs)
		return -1;
	for (i = 0; i < res->n_plmn; i++) /* sorted by key, so by MCC */
		if (n_mcc == 0 || mccs[n_mcc - 1] != res->plmn[i].plmn.mcc)
			mccs[n_mcc++] = res->plmn[i].plmn.mcc;
	for (k = 0; k < plan->n_slots; k++)
		if (plan->slots[k].home)
			home = plan->slots[k].index;
	fprintf(
	    out,
	    "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<title>mimsi-compile report: ");
	esc(out, plan->name[0] ? plan->name : "plan");
	fprintf(
	    out,
	    "</title>\n<style>\n"
	    "body{font-family:sans-serif;margin:2em;color:#222}\n"
	    "table{border-collapse:collapse;margin:1em 0}\n"
	    "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}\n"
	    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	    "th{background:#f3f3f3}\n.none{color:#999}\n.save{color:#2a7d2a}\n.loss{color:#b22}\n"
	    ".legend span{margin-right:1.5em}\n"
	    ".legend "
	    "i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}"
	    "\n"
	    "</style>\n</head>\n<body>\n<h1>");
	esc(out, plan->name[0] ? plan->name : "mimsi plan");
	fprintf(out, "</h1>\n<p>Set seq %lu. Prices per GB in %s", (unsigned long)plan->seq,
		plan->currency);
	if (plan->valuation_date[0])
		fprintf(out, ", FX valued on %s", plan->valuation_date);
	if (plan->ceiling >= 0) {
		rc_money_format(plan->ceiling, b, sizeof(b));
		fprintf(out, ", ceiling %s %s/GB", b, plan->currency);
	}
	fprintf(out,
		". EF bytes: CFG %u, SLOTS %zu, RULES %zu.</p>\n<h2>Slots</h2>\n<table>\n"
		"<tr><th>slot</th><th>sponsor</th><th>IMSI</th><th>role</th></tr>\n",
		res->cfg_len, res->slots_len, res->rules_len);
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *s = &plan->slots[k];

		fprintf(out, "<tr><td class=\"n\">%d</td><td>", s->index);
		esc(out, s->sponsor);
		fprintf(out, "</td><td>%s%s%s</td><td>%s%s%s</td></tr>\n", s->imsi,
			s->imsi_last[0] ? " .. " : "", s->imsi_last, s->home ? "home " : "",
			s->bootstrap ? "bootstrap " : "", s->disabled ? "disabled" : "");
	}
	fprintf(out, "</table>\n<h2>Price per GB by country and sponsor</h2>\n");
	chart(out, plan, rates, mccs, n_mcc);
	fprintf(out, "<h2>Chosen slot per country</h2>\n<table>\n<tr><th>country</th><th>PLMN</th>"
		     "<th>card rule</th><th>chosen slot</th><th>price</th><th>home IMSI</th>"
		     "<th>saving vs home IMSI</th><th>then</th></tr>\n");
	for (i = 0; i < res->n_plmn; i++) {
		const struct rc_plmn *e = &res->plmn[i];
		char pl[8], label[64], rule[8] = "global";
		int r = rc_lookup(res, &e->plmn);
		int64_t chosen = -1, hp = -1;

		rc_plmn_str(&e->plmn, pl);
		country_label(e->plmn.mcc, label, sizeof(label));
		if (r >= 0)
			rc_key_str(res->rule[r].key, rule);
		fprintf(out, "<tr><td>");
		esc(out, label);
		fprintf(out, "</td><td>%s</td><td>%s</td>", pl, rule);
		if (rc_first_allowed(&e->prof)) {
			int s = rc_first_allowed(&e->prof);

			const struct rc_rate *via = e->cell[s - 1].via;
			char vp[8];

			fprintf(out, "<td>%d ", s);
			esc(out, plan->slots[rc_plan_slot(plan, s)].sponsor);
			if (via) {
				chosen = via->conv;
				rc_money_format(chosen, b, sizeof(b));
				rc_rate_where(via, vp);
				fprintf(out, " via %s</td><td class=\"n\">%s</td>", vp, b);
			} else { /* the home IMSI, unpriced here: last resort */
				fprintf(out, " (last resort)</td><td class=\"none\">no rate</td>");
			}
		} else {
			fprintf(out, "<td class=\"none\">none may serve</td><td></td>");
		}
		if (home > 0 && e->cell[home - 1].rate) {
			hp = e->cell[home - 1].rate->conv;
			rc_money_format(hp, b, sizeof(b));
			fprintf(out, "<td class=\"n\">%s%s</td>", b,
				e->cell[home - 1].why ? " (not allowed)" : "");
		} else {
			fprintf(out, "<td class=\"none\">no rate</td>");
		}
		if (chosen >= 0 && hp >= 0) {
			int64_t d = hp - chosen;

			rc_money_format(d < 0 ? -d : d, b, sizeof(b));
			if (hp > 0)
				fprintf(out, "<td class=\"n %s\">%s%s (%lld%%)</td>",
					d >= 0 ? "save" : "loss", d < 0 ? "-" : "", b,
					(long long)(d * 100 / hp));
			else
				fprintf(out, "<td class=\"n\">%s</td>", b);
		} else {
			fprintf(out, "<td class=\"none\">n/a</td>");
		}
		fprintf(out, "<td>");
		for (k = 1; k < e->prof.n_pref; k++)
			fprintf(out, "%s%u", k > 1 ? " &gt; " : "", e->prof.pref[k]);
		fprintf(out, "</td></tr>\n");
	}
	fprintf(out, "</table>\n<p>Generated by mimsi-compile from ");
	esc(out, plan->file);
	fprintf(out, ". Chosen price = the chosen slot's rate at this network (via: its own row, "
		     "or MCC-* for a row pricing every network of the MCC). "
		     "Saving = home IMSI price at this network minus the chosen price.</p>\n</body>\n</html>\n");
	free(mccs);
	return ferror(out) ? -1 : 0;
}
