/* SPDX-License-Identifier: Apache-2.0 */
/* The journey runner: virtual-time loop, cost and time-to-service metrics,
 * readable timeline, expectation checks. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/sim_run.h"
#include "scenario/sim_setup.h"
#include "scenario/sim_trace.h"

enum { EV_TIMELINE = 1, EV_CHECK, EV_POWER_ON, EV_END };

struct run {
	const struct sim_journey *j;
	const struct sim_run_opts *o;
	struct sim_run_result *r;
	struct sim_net net;
	struct sim_hss hss;
	struct sim_evq q;
	struct sim_modem modem;
	struct sim_card *card;
	struct sim_slot_map slots;
	const char *imsis[SIM_SLOTS_MAX];
	int n_imsis;
	const char *home_imsi;
	double rate_mbh;
	sim_time_t last_t;
	int loss_open;
	double loss_acc;
	struct sim_trace trace;
	int tracing;
	struct sim_dyn *dyn; /* the planner in the loop, or NULL */
};

const char *sim_service_name(int svc)
{
	static const char *const n[] = {"off", "searching", "no service", "limited", "normal"};

	return svc >= 0 && svc <= SIM_SVC_NORMAL ? n[svc] : "?";
}

void sim_fmt_time(sim_time_t t, char *out, size_t cap)
{
	snprintf(out, cap, "%lldd %02lld:%02lld:%02lld", (long long)(t / 86400),
		 (long long)(t % 86400 / 3600), (long long)(t % 3600 / 60), (long long)(t % 60));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double sim_percentile(const double *v, int n, double pct)
{
	double *s, r;
	int k;

	if (n <= 0)
		return 0;
	s = malloc((size_t)n * sizeof(*s));
	if (!s)
		return 0;
	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	k = (int)ceil(pct / 100.0 * n) - 1; /* nearest rank */
	if (k < 0)
		k = 0;
	r = s[k < n ? k : n - 1];
	free(s);
	return r;
}

static int slot_of(const struct run *x, const char *imsi)
{
	int i;

	for (i = 0; i < x->slots.n; i++)
		if (strcmp(x->slots.slot[i].imsi, imsi) == 0)
			return x->slots.slot[i].slot;
	return 0;
}

static void add_line(struct run *x, const char *text)
{
	struct sim_run_result *r = x->r;
	char ts[32], plmn[8] = "-", line[320];
	const struct sim_modem *m = &x->modem;
	int slot = m->powered ? slot_of(x, m->imsi) : 0;

	if (m->plmn >= 0 && m->svc >= SIM_SVC_LIMITED)
		mi_plmn_format(&x->net.plmns[m->plmn].id, plmn, sizeof(plmn));
	sim_fmt_time(x->q.now, ts, sizeof(ts));
	snprintf(line, sizeof(line), "%s  %-11.11s %-7s %-10s slot %-2d %9.4f %s  %s", ts,
		 x->net.country >= 0 ? x->net.countries[x->net.country].name : "(none)", plmn,
		 sim_service_name(m->svc), slot, r->m.cost, r->m.currency, text);
	if (x->o->timeline)
		fprintf(x->o->timeline, "%s\n", line);
	if (r->n_lines < SIM_LINES_MAX) {
		char *copy = malloc(strlen(line) + 1);

		if (copy) {
			strcpy(copy, line);
			r->lines[r->n_lines] = copy;
			r->line_t[r->n_lines] = x->q.now;
			r->n_lines++;
		}
	}
}

static void on_note(void *ctx, const char *text)
{
	struct run *x = ctx;

	if (!x->o->verbose && (strncmp(text, "TIMER", 5) == 0 || strncmp(text, "PSM", 3) == 0 ||
			       strncmp(text, "POLL", 4) == 0))
		return;
	add_line(x, text);
}

static void on_apdu(void *ctx, const uint8_t *cmd, size_t cl, const uint8_t *rsp, size_t rl)
{
	struct run *x = ctx;

	if (x->tracing)
		sim_trace_apdu(&x->trace, x->q.now, cmd, cl, rsp, rl);
}

static void on_por(void *ctx, int msg, const uint8_t *por, size_t len)
{
	struct run *x = ctx;

	if (x->dyn)
		sim_dyn_por(x->dyn, msg, por, len);
}

static void dyn_line(void *ctx, const char *text)
{
	add_line(ctx, text);
}

static int served(const struct run *x)
{
	return x->modem.powered && x->modem.svc == SIM_SVC_NORMAL &&
	       sim_net_visible(&x->net, x->modem.plmn);
}

/* Integrate cost and downtime over [last_t, t): the state is constant there. */
static void account(struct run *x, sim_time_t t)
{
	struct sim_metrics *m = &x->r->m;
	double dt = (double)(t - x->last_t), best;
	int possible;

	if (dt <= 0)
		return;
	best = sim_net_cheapest(&x->net, x->imsis, x->n_imsis);
	possible = x->modem.powered && best >= 0;
	if (served(x)) {
		double mb = x->rate_mbh * dt / 3600.0, gb = mb / 1024.0;
		const struct sim_accept *a = sim_net_accepts(&x->net, x->modem.plmn, x->modem.imsi);
		double home = x->home_imsi ? sim_net_cheapest(&x->net, &x->home_imsi, 1) : -1;

		m->data_mb += mb;
		double on = sim_net_cheapest_on(&x->net, x->modem.plmn, x->imsis, x->n_imsis);

		m->cost += gb * (a ? a->price_ref : 0);
		/* oracle: the cheapest card IMSI the serving network itself accepts
		 * and prices (least cost is per network, docs/compiler.md) */
		m->cost_oracle += gb * (on >= 0 ? on : 0);
		if (home >= 0) {
			m->cost_home += gb * home;
			m->home_mb += mb;
		}
		m->served_s += dt;
	} else if (possible) {
		if (!x->loss_open) {
			x->loss_open = 1;
			x->loss_acc = 0;
		}
		x->loss_acc += dt;
	}
	if (possible)
		m->possible_s += dt;
	x->last_t = t;
}

static void close_loss(struct run *x)
{
	struct sim_metrics *m = &x->r->m;

	if (!x->loss_open || !served(x))
		return;
	x->loss_open = 0;
	if (x->loss_acc > 0 && m->n_tts < SIM_TTS_MAX)
		m->tts[m->n_tts++] = x->loss_acc;
}

static void sample(struct run *x)
{
	struct sim_run_result *r = x->r;
	struct sim_sample s;

	s.t = x->q.now;
	s.country = x->net.country;
	s.svc = x->modem.svc;
	s.plmn = x->modem.svc >= SIM_SVC_LIMITED ? x->modem.plmn : -1;
	s.slot = x->modem.powered ? slot_of(x, x->modem.imsi) : 0;
	s.cost = r->m.cost;
	if (r->n_samples > 0) {
		const struct sim_sample *p = &r->samples[r->n_samples - 1];

		if (p->country == s.country && p->svc == s.svc && p->plmn == s.plmn &&
		    p->slot == s.slot)
			return;
		if (p->t == s.t) {
			r->samples[r->n_samples - 1] = s; /* same instant: keep the last */
			return;
		}
	}
	if (r->n_samples < SIM_SAMPLES_MAX)
		r->samples[r->n_samples++] = s;
}

static void failf(struct run *x, const struct sim_exp *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void failf(struct run *x, const struct sim_exp *e, const char *fmt, ...)
{
	char msg[200], ts[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->at >= 0)
		sim_fmt_time(e->at, ts, sizeof(ts));
	else
		snprintf(ts, sizeof(ts), "end");
	if (x->r->n_exp_failed++ == 0 && snprintf(x->r->first_failure, sizeof(x->r->first_failure),
						  "%s (at %s): %s", e->where, ts, msg) < 0)
		x->r->first_failure[0] = '\0';
	if (x->o->timeline)
		fprintf(x->o->timeline, "EXPECTATION FAILED %s (at %s): %s\n", e->where, ts, msg);
}

/* A per-modem expectation on a modem it is not meant for is skipped. */
static int applies(const struct run *x, const struct sim_exp *e)
{
	uint32_t caps = x->modem.prof->caps;

	return (caps & e->caps_need) == e->caps_need && !(caps & e->caps_lack);
}

static void check_timed(struct run *x, const struct sim_exp *e)
{
	const struct sim_modem *m = &x->modem;
	char plmn[8] = "-";
	const char *svc = m->svc == SIM_SVC_NORMAL    ? "normal"
			  : m->svc == SIM_SVC_LIMITED ? "limited"
			  : m->svc == SIM_SVC_OFF     ? "off"
						      : "none";
	int slot = m->powered ? slot_of(x, m->imsi) : 0;

	if (m->svc == SIM_SVC_NORMAL && m->plmn >= 0)
		mi_plmn_format(&x->net.plmns[m->plmn].id, plmn, sizeof(plmn));
	switch (e->kind) {
	case SIM_EXP_SWITCHES_MAX: /* switches so far */
		if ((long)m->imsi_changes > e->ival)
			failf(x, e, "%lu switches so far, at most %ld allowed", m->imsi_changes,
			      e->ival);
		break;
	case SIM_EXP_SWITCHES_MIN:
		if ((long)m->imsi_changes < e->ival)
			failf(x, e, "%lu switches so far, at least %ld expected", m->imsi_changes,
			      e->ival);
		break;
	case SIM_EXP_SLOT:
		if (slot != e->ival)
			failf(x, e, "active slot is %d (IMSI %s), expected %ld", slot,
			      m->powered ? m->imsi : "-", e->ival);
		break;
	case SIM_EXP_IMSI:
		if (!m->powered || strcmp(m->imsi, e->sval) != 0)
			failf(x, e, "IMSI is %s, expected %s", m->powered ? m->imsi : "(off)",
			      e->sval);
		break;
	case SIM_EXP_SERVICE:
		if (strcmp(svc, e->sval) != 0)
			failf(x, e, "service is %s, expected %s", sim_service_name(m->svc),
			      e->sval);
		break;
	case SIM_EXP_PLMN:
		if (strcmp(plmn, e->sval) != 0)
			failf(x, e, "registered PLMN is %s, expected %s", plmn, e->sval);
		break;
	case SIM_EXP_HOME: /* TS 23.122 §4.4.3: EHPLMN first, else the IMSI's PLMN */
		mi_plmn_format(&m->hplmn, plmn, sizeof(plmn));
		if (!m->powered || strcmp(plmn, e->sval) != 0)
			failf(x, e, "the modem's home is %s, expected %s", m->powered ? plmn : "-",
			      e->sval);
		break;
	case SIM_EXP_EF: {
		uint8_t buf[256];
		int n = sim_modem_read_ef(&x->modem, e->path, e->npath, buf, e->hex_len);

		if (n != (int)e->hex_len || memcmp(buf, e->hex, e->hex_len) != 0) {
			char got[2 * 64 + 4] = "";
			int i;

			for (i = 0; i < n && i < 64; i++)
				snprintf(got + 2 * i, 3, "%02X", buf[i]);
			failf(x, e, "EF content is %s, expected other bytes",
			      n < 0 ? "unreadable" : got);
		}
		break;
	}
	default:
		break;
	}
}

/* The planner in the loop (dynamic journeys). */
static void check_dyn(struct run *x, const struct sim_exp *e)
{
	const struct sim_dyn_metrics *d = &x->r->m.dyn;
	double ratio = d->cost_static > 0 ? x->r->m.cost / d->cost_static : 0;

	switch (e->kind) {
	case SIM_EXP_SWAPS:
		if ((long)d->swaps != e->ival)
			failf(x, e, "%lu swaps committed, %ld expected", d->swaps, e->ival);
		break;
	case SIM_EXP_SWAP_SERVICE_MAX_S:
		if (d->n_swap < (int)d->swaps || d->swap_max_s > (double)e->ival)
			failf(x, e, "webhook -> service on the new IMSI max %.0f s (%d of %lu swaps served), limit %ld s",
			      d->swap_max_s, d->n_swap, d->swaps, e->ival);
		break;
	case SIM_EXP_CROSSING_OPT_MAX_S:
		if (d->cross_open || d->cross_max_s > (double)e->ival)
			failf(x, e, "crossing -> service at the optimum max %.0f s (%d never there), limit %ld s",
			      d->cross_max_s, d->cross_open, e->ival);
		break;
	case SIM_EXP_COST_VS_STATIC_MAX:
		if (ratio > e->dval)
			failf(x, e, "cost %.4f is %.3f of the static profile's %.4f, limit %.3f", x->r->m.cost, ratio,
			      d->cost_static, e->dval);
		break;
	case SIM_EXP_TIMEOUTS:
		if ((long)d->timeouts != e->ival)
			failf(x, e, "%lu swap timeouts, %ld expected", d->timeouts, e->ival);
		break;
	case SIM_EXP_PORS_LOST:
		if ((long)d->pors_lost != e->ival)
			failf(x, e, "%lu PoRs lost, %ld expected", d->pors_lost, e->ival);
		break;
	case SIM_EXP_STOCK_ALERTS_MIN:
		if ((long)d->alerts < e->ival)
			failf(x, e, "%lu stock alerts, at least %ld expected", d->alerts, e->ival);
		break;
	default:
		break;
	}
}

static void check_metric(struct run *x, const struct sim_exp *e)
{
	const struct sim_metrics *m = &x->r->m;

	switch (e->kind) {
	case SIM_EXP_SWITCHES_MAX:
		if ((long)m->switches > e->ival)
			failf(x, e, "%lu switches, at most %ld allowed", m->switches, e->ival);
		break;
	case SIM_EXP_SWITCHES_MIN:
		if ((long)m->switches < e->ival)
			failf(x, e, "%lu switches, at least %ld expected", m->switches, e->ival);
		break;
	case SIM_EXP_REFRESH_MIN:
		if ((long)m->refreshes < e->ival)
			failf(x, e, "%lu REFRESH, at least %ld expected", m->refreshes, e->ival);
		break;
	case SIM_EXP_REFRESH_MAX:
		if ((long)m->refreshes > e->ival)
			failf(x, e, "%lu REFRESH, at most %ld allowed", m->refreshes, e->ival);
		break;
	case SIM_EXP_TTS_MAX_S:
		if (m->unrecovered || m->tts_max > (double)e->ival)
			failf(x, e, "time-to-service max %.0f s%s, limit %ld s", m->tts_max,
			      m->unrecovered ? " (a loss never recovered)" : "", e->ival);
		break;
	case SIM_EXP_TTS_P95_MAX_S:
		if (m->tts_p95 > (double)e->ival)
			failf(x, e, "time-to-service p95 %.0f s, limit %ld s", m->tts_p95, e->ival);
		break;
	case SIM_EXP_COST_MAX:
		if (m->cost > e->dval)
			failf(x, e, "cost %.4f %s, limit %.4f", m->cost, m->currency, e->dval);
		break;
	case SIM_EXP_LOSSES_MAX:
		if (m->n_tts > e->ival)
			failf(x, e, "%d losses of service, at most %ld allowed", m->n_tts, e->ival);
		break;
	case SIM_EXP_OTA_PORS_MIN:
		if ((long)m->ota_pors < e->ival)
			failf(x, e, "%lu OTA PoRs, at least %ld expected", m->ota_pors, e->ival);
		break;
	case SIM_EXP_OTA_SMS_MAX:
		if ((long)m->ota_sms > e->ival)
			failf(x, e, "%lu SMS-PP to the card, at most %ld allowed", m->ota_sms, e->ival);
		break;
	default:
		if (e->kind >= SIM_EXP_SWAPS)
			check_dyn(x, e);
		else
			check_timed(x, e);
		break;
	}
}

static void add_hss(struct run *x, int from);

static void do_timeline(struct run *x, const struct sim_tl *t)
{
	char text[96];

	switch (t->kind) {
	case SIM_TL_COUNTRY:
		x->net.country = t->a;
		snprintf(text, sizeof(text), "enter %s",
			 t->a >= 0 ? x->net.countries[t->a].name : "no-coverage area");
		add_line(x, text);
		if (x->dyn)
			sim_dyn_crossing(x->dyn, t->a);
		sim_modem_net_changed(&x->modem);
		break;
	case SIM_TL_PLMN_DOWN:
	case SIM_TL_PLMN_UP: {
		char name[8];

		x->net.plmns[t->a].up = t->kind == SIM_TL_PLMN_UP;
		if (t->kind == SIM_TL_PLMN_UP)
			x->net.plmns[t->a].temp_cause = 0;
		mi_plmn_format(&x->net.plmns[t->a].id, name, sizeof(name));
		snprintf(text, sizeof(text), "network: %s %s", name,
			 t->kind == SIM_TL_PLMN_UP ? "back up" : "DOWN (outage)");
		add_line(x, text);
		sim_modem_net_changed(&x->modem);
		break;
	}
	case SIM_TL_PLMN_TEMP_REJECT: {
		char name[8];

		/* registered devices stay; new registrations are refused */
		x->net.plmns[t->a].temp_cause = t->b;
		mi_plmn_format(&x->net.plmns[t->a].id, name, sizeof(name));
		snprintf(text, sizeof(text), "network: %s rejects every registration with #%d (%s)",
			 name, t->b,
			 t->b == SIM_CAUSE_CONGESTION ? "congestion" : "network failure");
		add_line(x, text);
		sim_modem_net_changed(&x->modem);
		break;
	}
	case SIM_TL_CORE_DOWN:
	case SIM_TL_CORE_UP:
		sim_net_sponsor_core(&x->net, t->sponsor, t->kind == SIM_TL_CORE_DOWN);
		snprintf(text, sizeof(text), "core of %s %s", t->sponsor,
			 t->kind == SIM_TL_CORE_UP ? "back up" : "DOWN (its IMSIs get #17)");
		add_line(x, text);
		sim_modem_net_changed(&x->modem);
		break;
	case SIM_TL_ALTERNATE: /* alternate() */
		break;
	case SIM_TL_DATA:
		x->rate_mbh = t->d;
		snprintf(text, sizeof(text), "data use %.1f MB/h", t->d);
		add_line(x, text);
		break;
	case SIM_TL_POWER_OFF:
		add_line(x, "power off");
		sim_modem_power_off(&x->modem);
		break;
	case SIM_TL_POWER_ON:
		add_line(x, "power on");
		sim_modem_power_on(&x->modem);
		break;
	case SIM_TL_POWER_CYCLE:
		add_line(x, "power cycle");
		sim_modem_power_off(&x->modem);
		sim_modem_power_on(&x->modem);
		break;
	case SIM_TL_OTA: {
		const struct sim_ota_msg *msg = &x->j->ota[t->a];
		int i;

		snprintf(text, sizeof(text), "network: OTA message %d sent (%d SMS-PP)", t->a + 1, msg->n);
		add_line(x, text);
		for (i = 0; i < msg->n; i++)
			if (sim_modem_sms_arrive(&x->modem, t->a + 1, i == msg->n - 1, x->q.now, msg->tpdu[i],
						 msg->len[i]) < 0)
				add_line(x, "network: the modem's SMS inbox is full: SMS lost");
		break;
	}
	case SIM_TL_WRITE_SET: {
		char err[300];
		int n = x->slots.n;

		if (sim_setup_write_set(x->card, t->path, &x->slots, err, sizeof(err)) < 0) {
			snprintf(text, sizeof(text), "new set NOT written: %.70s", err);
		} else {
			snprintf(text, sizeof(text), "new set written into the banks (%.60s)",
				 t->path);
			add_hss(x, n); /* the network knows the new IMSIs */
		}
		add_line(x, text);
		break;
	}
	case SIM_TL_MENU:
		/* the n-th entry of the SIM menu: its item identifier is the
		 * applet's own (01) or the one a toolkit framework gave it */
		if (t->a < 1 || t->a > x->modem.menu_n ||
		    sim_modem_menu(&x->modem, x->modem.menu_ids[t->a - 1], t->b) < 0) {
			snprintf(text, sizeof(text), "menu item %d not offered by the card", t->a);
			add_line(x, text);
		}
		break;
	}
}

/* Flip \a k of an alternation (timeline entry \a i): country a on even
 * flips, b on odd ones; the next flip is queued while before "until". */
static void alternate(struct run *x, const struct sim_tl *t, int i, uint32_t k)
{
	struct sim_tl c = *t;
	sim_time_t next = t->at + (sim_time_t)t->d * (sim_time_t)(k + 1u);

	c.kind = SIM_TL_COUNTRY;
	c.a = (k & 1u) ? t->b : t->a;
	do_timeline(x, &c);
	if (next < t->until)
		sim_evq_push(&x->q, next, EV_TIMELINE, i, k + 1u);
}

static void fill_hss(struct run *x)
{
	static const char *const def_imsi[3] = {"262011234567890", "213770000000001",
						"213550000000001"};
	int i;

	if (x->slots.n == 0) {
		/* no rule set known: the default card's slots (shared data) */
		x->slots.n = 3;
		for (i = 0; i < 3; i++) {
			x->slots.slot[i].slot = i + 1;
			x->slots.slot[i].keyset = i + 1;
			x->slots.slot[i].flags = i == 0 ? 0x01 : 0;
			strcpy(x->slots.slot[i].imsi, def_imsi[i]);
		}
	}
	add_hss(x, 0);
}

/* Slots from \a from on: their IMSIs known to the journey and the HSS. */
static void add_hss(struct run *x, int from)
{
	const struct sim_journey *j = x->j;
	int i, k;

	for (i = from; i < x->slots.n; i++) {
		const struct sim_slot_info *s = &x->slots.slot[i];

		x->imsis[x->n_imsis++] = s->imsi;
		if ((s->flags & 0x01) && !x->home_imsi) /* MI_SLOT_F_HOME */
			x->home_imsi = s->imsi;
		for (k = 0; k < j->n_keysets; k++)
			if (j->keysets[k].ref == s->keyset)
				sim_hss_add(&x->hss, s->imsi, j->keysets[k].k, j->keysets[k].opc);
	}
}

static void finish_metrics(struct run *x)
{
	struct sim_metrics *m = &x->r->m;
	int i;

	if (x->loss_open && x->loss_acc > 0) {
		m->unrecovered = 1;
		if (m->n_tts < SIM_TTS_MAX)
			m->tts[m->n_tts++] = x->loss_acc;
	}
	m->tts_p50 = sim_percentile(m->tts, m->n_tts, 50);
	m->tts_p95 = sim_percentile(m->tts, m->n_tts, 95);
	m->tts_max = 0;
	for (i = 0; i < m->n_tts; i++)
		if (m->tts[i] > m->tts_max)
			m->tts_max = m->tts[i];
	m->switches = x->modem.imsi_changes;
	m->refreshes = x->modem.refreshes;
	m->apdus = x->modem.apdus;
	m->proactive = x->modem.proactive;
	m->rejects = x->modem.rejects;
	m->reject_events = x->modem.reject_events;
	m->ota_sms = x->modem.sms.sms;
	m->ota_bytes = x->modem.sms.bytes;
	m->ota_pors = x->modem.sms.pors;
	m->ota_apply_max_s = x->modem.sms.apply_s_max;
}

/* The planner's invariants hold or the journey fails. */
static void dyn_finish(struct run *x)
{
	struct sim_run_result *r = x->r;

	sim_dyn_finish(x->dyn, &r->m.dyn);
	if (r->m.dyn.broken && r->n_exp_failed++ == 0)
		snprintf(r->first_failure, sizeof(r->first_failure), "invariant broken %lu times, first: %.200s",
			 r->m.dyn.broken, r->m.dyn.broken_first);
}

/* The same trip on the static profile: the dynamic slot never swapped. */
static int static_cost(const struct sim_journey *j, const struct sim_run_opts *o, double *cost, char *err,
		       size_t err_len)
{
	struct sim_run_opts so;
	struct sim_run_result sr;
	int rc;

	memset(&so, 0, sizeof(so));
	so.naive = o->naive;
	so.no_failover = o->no_failover;
	so.static_run = 1;
	rc = sim_run_journey(j, &so, &sr, err, err_len);
	*cost = sr.m.cost;
	sim_run_result_free(&sr);
	return rc;
}

int sim_run_journey(const struct sim_journey *j, const struct sim_run_opts *o,
		    struct sim_run_result *r, char *err, size_t err_len)
{
	struct run *x = calloc(1, sizeof(*x));
	struct sim_modem_hooks hooks;
	struct sim_event ev;
	int i, rc = -1;

	memset(r, 0, sizeof(*r));
	r->samples = calloc(SIM_SAMPLES_MAX, sizeof(*r->samples));
	r->lines = calloc(SIM_LINES_MAX, sizeof(*r->lines));
	r->line_t = calloc(SIM_LINES_MAX, sizeof(*r->line_t));
	if (!x || !r->samples || !r->lines || !r->line_t) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	x->j = j;
	x->o = o;
	x->r = r;
	x->net = j->net;
	snprintf(r->m.currency, sizeof(r->m.currency), "%s", j->net.ref_currency);
	x->card = j->image[0] ? sim_card_load(j->image, err, err_len) : sim_card_new_default();
	if (!x->card) {
		if (!j->image[0])
			snprintf(err, err_len, "cannot create the default card");
		goto out;
	}
	if (sim_card_set_toolkit(x->card, &o->toolkit) != SIM_OK) {
		snprintf(err, err_len, "bad toolkit framework settings");
		goto out;
	}
	for (i = 0; i < j->n_keysets; i++) {
		static const uint8_t sqn0[6];

		/* personalisation, as a card image would carry it (not applet state) */
		if (j->keysets[i].custom &&
		    sim_card_set_keyset(x->card, (uint8_t)j->keysets[i].ref, j->keysets[i].k,
					j->keysets[i].opc, sqn0) != SIM_OK) {
			snprintf(err, err_len, "card refuses key set %d", j->keysets[i].ref);
			goto out;
		}
	}
	if (j->dyn && !(x->dyn = sim_dyn_new(j->dyn, !o->static_run, err, err_len)))
		goto out;
	if (sim_setup_card(x->card, x->dyn ? sim_dyn_rules(x->dyn) : j->rules,
			   (o->naive ? SIM_SETUP_NAIVE : 0) |
			       (o->no_failover ? SIM_SETUP_NO_FAILOVER : 0),
			   j->adm, &x->slots, err, err_len) < 0)
		goto out;
	sim_hss_init(&x->hss, j->seed);
	fill_hss(x);
	if (o->pcap) {
		if (sim_trace_open(&x->trace, o->pcap) < 0) {
			snprintf(err, err_len, "%s: cannot create the trace", o->pcap);
			goto out;
		}
		x->tracing = 1;
	}
	sim_evq_init(&x->q);
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = x;
	hooks.apdu = on_apdu;
	hooks.note = on_note;
	hooks.por = on_por;
	sim_modem_init(&x->modem, &j->modem, x->card, &x->net, &x->hss, &x->q, &hooks);
	if (x->dyn) {
		struct sim_dyn_env env = {x->card, &x->hss, &x->q, &x->modem, &x->net, dyn_line, x};

		if (sim_dyn_start(x->dyn, &env, err, err_len) < 0)
			goto out;
	}
	x->modem.tmsi = (uint32_t)j->seed;
	snprintf(x->modem.pin, sizeof(x->modem.pin), "%s", j->pin);
	for (i = 0; i < j->n_tl; i++)
		sim_evq_push(&x->q, j->tl[i].at, EV_TIMELINE, i, 0);
	sim_evq_push(&x->q, 0, EV_POWER_ON, 0, 0);
	for (i = 0; i < j->n_exp; i++)
		if (j->exp[i].at >= 0)
			sim_evq_push(&x->q, j->exp[i].at, EV_CHECK, i, 0);
	sim_evq_push(&x->q, j->duration, EV_END, 0, 0);
	while (sim_evq_pop(&x->q, &ev)) {
		account(x, ev.t);
		if (ev.type == EV_END)
			break;
		switch (ev.type) {
		case EV_TIMELINE:
			if (j->tl[ev.a].kind == SIM_TL_ALTERNATE)
				alternate(x, &j->tl[ev.a], ev.a, ev.gen);
			else
				do_timeline(x, &j->tl[ev.a]);
			break;
		case EV_POWER_ON:
			add_line(x, "power on");
			sim_modem_power_on(&x->modem);
			break;
		case EV_CHECK:
			if (applies(x, &j->exp[ev.a]))
				check_timed(x, &j->exp[ev.a]);
			break;
		default:
			if (ev.type >= SIM_EV_DYN_LOCATION)
				sim_dyn_event(x->dyn, &ev);
			else
				sim_modem_event(&x->modem, &ev);
			break;
		}
		if (x->dyn)
			sim_dyn_step(x->dyn, &x->slots);
		close_loss(x);
		sample(x);
	}
	account(x, j->duration);
	x->q.now = j->duration;
	finish_metrics(x);
	if (x->dyn)
		dyn_finish(x);
	if (j->dyn && !o->static_run && static_cost(j, o, &r->m.dyn.cost_static, err, err_len) < 0)
		goto out;
	for (i = 0; i < j->n_exp; i++)
		if (j->exp[i].at < 0 && applies(x, &j->exp[i]))
			check_metric(x, &j->exp[i]);
	sample(x);
	rc = 0;
out:
	if (x) {
		if (x->tracing && sim_trace_close(&x->trace) < 0 && rc == 0) {
			snprintf(err, err_len, "%s: write error", o->pcap);
			rc = -1;
		}
		sim_dyn_free(x->dyn);
		if (x->card)
			sim_card_free(x->card);
		sim_evq_free(&x->q);
		free(x);
	}
	return rc;
}

void sim_run_result_free(struct sim_run_result *r)
{
	int i;

	for (i = 0; i < r->n_lines; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->line_t);
	free(r->samples);
	memset(r, 0, sizeof(*r));
}
