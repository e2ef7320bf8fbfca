/* SPDX-License-Identifier: Apache-2.0 */
/* The journey as an SVG: country bands, service state, active slot, switch
 * markers and a time axis. Plain SVG 1.1, no script, no external files. */
#include <stdio.h>
#include <string.h>

#include "scenario/sim_run.h"

#define W 1000.0
#define X0 120.0
#define XW (W - X0 - 20.0)

static const char *const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
				      "#edc948", "#ff9da7", "#9c755f", "#e15759", "#bab0ac"};

static double xpos(sim_time_t t, sim_time_t dur)
{
	return X0 + XW * (double)t / (double)(dur > 0 ? dur : 1);
}

static const char *svc_color(int svc)
{
	switch (svc) {
	case SIM_SVC_NORMAL:
		return "#2e7d32";
	case SIM_SVC_LIMITED:
		return "#f9a825";
	case SIM_SVC_OFF:
		return "#9e9e9e";
	default:
		return "#c62828";
	}
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

/* Countries get colours in the order the journey meets them. */
static int country_colour(const struct sim_run_result *r, int country)
{
	int seen[SIM_NET_MAX_COUNTRIES], n = 0, i, k;

	for (i = 0; i < r->n_samples; i++) {
		int c = r->samples[i].country, dup = 0;

		if (c < 0)
			continue;
		for (k = 0; k < n; k++)
			dup |= seen[k] == c;
		if (!dup && n < SIM_NET_MAX_COUNTRIES)
			seen[n++] = c;
		if (c == country)
			for (k = 0; k < n; k++)
				if (seen[k] == c)
					return k % 10;
	}
	return 0;
}

int sim_svg_write(const char *path, const struct sim_journey *j, const struct sim_run_result *r)
{
	FILE *f = fopen(path, "w");
	sim_time_t dur = j->duration, step;
	int i, prev_slot = 0;
	double last_label = -1000.0;

	if (!f)
		return -1;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"250\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		W);
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">");
	esc(f, j->name);
	fprintf(f, " — %d switches, %lu REFRESH, TTS p95 %.0f s, cost %.2f %s</text>\n",
		(int)r->m.switches, r->m.refreshes, r->m.tts_p95, r->m.cost, r->m.currency);
	fprintf(f,
		"<text x=\"10\" y=\"62\">country</text>\n<text x=\"10\" y=\"102\">service</text>\n"
		"<text x=\"10\" y=\"142\">active slot</text>\n");
	for (i = 0; i < r->n_samples; i++) {
		const struct sim_sample *s = &r->samples[i];
		sim_time_t end = i + 1 < r->n_samples ? r->samples[i + 1].t : dur;
		double x1 = xpos(s->t, dur), x2 = xpos(end, dur), w = x2 - x1;

		if (end <= s->t)
			continue;
		if (s->country >= 0) {
			fprintf(
			    f,
			    "<rect x=\"%.2f\" y=\"45\" width=\"%.2f\" height=\"26\" fill=\"%s\" "
			    "fill-opacity=\"0.55\"/>\n",
			    x1, w, palette[country_colour(r, s->country)]);
		}
		/* an outage of minutes in a month still shows: at least 2 px */
		fprintf(f, "<rect x=\"%.2f\" y=\"85\" width=\"%.2f\" height=\"24\" fill=\"%s\"/>\n",
			x1, s->svc != SIM_SVC_NORMAL && w < 2.0 ? 2.0 : w, svc_color(s->svc));
		if (s->slot > 0)
			fprintf(f,
				"<rect x=\"%.2f\" y=\"125\" width=\"%.2f\" height=\"24\" "
				"fill=\"%s\"/>\n",
				x1, w, palette[(s->slot - 1) % 10]);
		if (s->slot > 0 && prev_slot > 0 && s->slot != prev_slot) {
			fprintf(
			    f,
			    "<line x1=\"%.2f\" y1=\"40\" x2=\"%.2f\" y2=\"160\" stroke=\"black\" "
			    "stroke-dasharray=\"3,2\"/>\n",
			    x1, x1);
			/* label a switch unless it would overprint the previous label */
			if (x1 - last_label >= 26.0) {
				fprintf(f,
					"<text x=\"%.2f\" y=\"172\" font-size=\"10\" "
					"text-anchor=\"middle\">%d→%d</text>\n",
					x1, prev_slot, s->slot);
				last_label = x1;
			}
		}
		if (s->slot > 0)
			prev_slot = s->slot;
	}
	/* losses of service on top, so that short ones are not painted over */
	for (i = 0; i < r->n_samples; i++) {
		const struct sim_sample *s = &r->samples[i];
		sim_time_t end = i + 1 < r->n_samples ? r->samples[i + 1].t : dur;
		double x1 = xpos(s->t, dur), w = xpos(end, dur) - x1;

		if (end > s->t && s->svc != SIM_SVC_NORMAL)
			fprintf(f,
				"<rect x=\"%.2f\" y=\"85\" width=\"%.2f\" height=\"24\" "
				"fill=\"%s\"/>\n",
				x1, w < 2.0 ? 2.0 : w, svc_color(s->svc));
	}
	/* country labels at the start of each band wide enough for them */
	for (i = 0; i < r->n_samples; i++) {
		const struct sim_sample *s = &r->samples[i];
		int k = i + 1;
		double width;

		if (s->country < 0 || (i > 0 && r->samples[i - 1].country == s->country))
			continue;
		while (k < r->n_samples && r->samples[k].country == s->country)
			k++;
		width = xpos(k < r->n_samples ? r->samples[k].t : dur, dur) - xpos(s->t, dur);
		if (width >= 7.0 * (double)strlen(j->net.countries[s->country].name)) {
			fprintf(f, "<text x=\"%.2f\" y=\"62\" font-size=\"11\">",
				xpos(s->t, dur) + 3);
			esc(f, j->net.countries[s->country].name);
			fprintf(f, "</text>\n");
		}
	}
	/* time axis */
	step = dur <= 6 * 3600	   ? 1800
	       : dur <= 2 * 86400  ? 6 * 3600
	       : dur <= 10 * 86400 ? 86400
				   : 7 * 86400;
	fprintf(f, "<line x1=\"%.0f\" y1=\"185\" x2=\"%.0f\" y2=\"185\" stroke=\"#333\"/>\n", X0,
		X0 + XW);
	for (sim_time_t t = 0; t <= dur; t += step) {
		char ts[32];

		if (step % 86400 == 0)
			snprintf(ts, sizeof(ts), "day %lld", (long long)(t / 86400));
		else
			snprintf(ts, sizeof(ts), "%lldd %02lld:%02lld", (long long)(t / 86400),
				 (long long)(t % 86400 / 3600), (long long)(t % 3600 / 60));
		fprintf(f,
			"<line x1=\"%.2f\" y1=\"182\" x2=\"%.2f\" y2=\"188\" stroke=\"#333\"/>"
			"<text x=\"%.2f\" y=\"202\" font-size=\"10\" "
			"text-anchor=\"middle\">%s</text>\n",
			xpos(t, dur), xpos(t, dur), xpos(t, dur), ts);
	}
	/* legend */
	fprintf(f, "<g font-size=\"11\">"
		   "<rect x=\"120\" y=\"222\" width=\"12\" height=\"12\" fill=\"#2e7d32\"/><text "
		   "x=\"136\" y=\"233\">normal</text>"
		   "<rect x=\"200\" y=\"222\" width=\"12\" height=\"12\" fill=\"#f9a825\"/><text "
		   "x=\"216\" y=\"233\">limited</text>"
		   "<rect x=\"280\" y=\"222\" width=\"12\" height=\"12\" fill=\"#c62828\"/><text "
		   "x=\"296\" y=\"233\">no service / searching</text>"
		   "<rect x=\"450\" y=\"222\" width=\"12\" height=\"12\" fill=\"#9e9e9e\"/><text "
		   "x=\"466\" y=\"233\">off</text>");
	for (i = 0; i < 4; i++)
		fprintf(f,
			"<rect x=\"%d\" y=\"222\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"233\">slot %d</text>",
			520 + i * 70, palette[i], 536 + i * 70, i + 1);
	fprintf(f, "</g>\n</svg>\n");
	return fclose(f) == 0 ? 0 : -1;
}
