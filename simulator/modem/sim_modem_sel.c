/* SPDX-License-Identifier: Apache-2.0 */
/* PLMN selection in automatic mode (TS 23.122 §4.4.3.1.1), registration with
 * 3G authentication (TS 33.102 §6.3) and the service state it leads to. */
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_err.h"
#include "modem/sim_modem_int.h"

static int is_forbidden(const struct sim_modem *m, const struct mi_plmn *p)
{
	int i;

	for (i = 0; i < m->n_fplmn; i++)
		if (mi_plmn_equal(&m->fplmn[i], p))
			return 1;
	return 0;
}

/* In the "forbidden LAs for roaming" list (cause #13, TS 24.008 §4.4.4.7). */
static int is_forbidden_la(const struct sim_modem *m, int idx)
{
	int i;

	for (i = 0; i < m->n_fla; i++)
		if (m->fla[i] == idx)
			return 1;
	return 0;
}

static void add_cand(struct sim_modem *m, int idx)
{
	int i;

	if (idx < 0 || !sim_net_visible(m->net, idx) || is_forbidden(m, &m->net->plmns[idx].id) ||
	    is_forbidden_la(m, idx))
		return;
	for (i = 0; i < m->n_cand; i++)
		if (m->cand[i] == idx)
			return;
	if (m->n_cand < SIM_NET_MAX_PLMNS)
		m->cand[m->n_cand++] = idx;
}

/* Candidate order: RPLMN, HPLMN (or the EHPLMNs in order), EF_OPLMNwACT in
 * order, then the others by decreasing signal (TS 23.122 §4.4.3.1.1 a, b,
 * d, e; no user list). */
void sim_modem_build_candidates(struct sim_modem *m)
{
	int i, j;
	int rest[SIM_NET_MAX_PLMNS], n_rest = 0;

	m->n_cand = 0;
	if (m->have_rplmn)
		add_cand(m, sim_net_find_plmn(m->net, &m->rplmn));
	add_cand(m, sim_net_find_plmn(m->net, &m->hplmn));
	for (i = 1; i < m->n_ehplmn; i++) /* the other EHPLMNs, in priority order */
		add_cand(m, sim_net_find_plmn(m->net, &m->ehplmn[i]));
	for (i = 0; i < m->n_oplmn; i++)
		add_cand(m, sim_net_find_plmn(m->net, &m->oplmn[i]));
	for (i = 0; i < m->net->n_plmns; i++)
		if (sim_net_visible(m->net, i))
			rest[n_rest++] = i;
	/* insertion sort, stable: equal signals keep the world's order */
	for (i = 1; i < n_rest; i++) {
		int v = rest[i];

		for (j = i;
		     j > 0 && m->net->plmns[rest[j - 1]].signal_dbm < m->net->plmns[v].signal_dbm;
		     j--)
			rest[j] = rest[j - 1];
		rest[j] = v;
	}
	for (i = 0; i < n_rest; i++)
		add_cand(m, rest[i]);
}

static int any_visible(const struct sim_modem *m)
{
	int i;

	for (i = 0; i < m->net->n_plmns; i++)
		if (sim_net_visible(m->net, i))
			return 1;
	return 0;
}

static int best_visible(const struct sim_modem *m)
{
	int i, best = -1;

	for (i = 0; i < m->net->n_plmns; i++)
		if (sim_net_visible(m->net, i) &&
		    (best < 0 || m->net->plmns[i].signal_dbm > m->net->plmns[best].signal_dbm))
			best = i;
	return best;
}

/* The service state; its report to the card and the proactive commands
 * that raises come as SIM_FX_SERVICE, then selection goes on as \a then
 * says (the last thing the caller does: sim_modem_int.h). */
static void set_service_then(struct sim_modem *m, enum sim_service svc, int plmn,
			     enum sim_modem_then then, int arg)
{
	int was_normal = m->svc == SIM_SVC_NORMAL;

	m->svc = svc;
	m->plmn = plmn;
	if (svc == SIM_SVC_NORMAL && !was_normal && m->prof->psm_sleep_s > 0) {
		m->psm_gen++;
		sim_evq_push(m->q, m->q->now + m->prof->psm_active_s, SIM_EV_MODEM_SLEEP, 0,
			     m->psm_gen);
	} else if (svc != SIM_SVC_NORMAL && was_normal) {
		m->psm_gen++;
	}
	sim_modem_fx_post(m, SIM_FX_SERVICE, (int)then, (uint32_t)arg);
}

void sim_modem_set_service(struct sim_modem *m, enum sim_service svc, int plmn)
{
	set_service_then(m, svc, plmn, SIM_THEN_NOTHING, 0);
}

/* No PLMN takes us: limited service where one is visible, a new search
 * in retry_s (SIM_THEN_SEARCH_LATER). */
static void no_service_now(struct sim_modem *m)
{
	if (any_visible(m))
		set_service_then(m, SIM_SVC_LIMITED, best_visible(m), SIM_THEN_SEARCH_LATER, 0);
	else
		set_service_then(m, SIM_SVC_NONE, -1, SIM_THEN_SEARCH_LATER, 0);
}

static void start_attempt(struct sim_modem *m, int delay_s)
{
	const struct sim_plmn *p = &m->net->plmns[m->cand[m->next_cand]];

	sim_evq_push(m->q, m->q->now + delay_s + p->reg_time_s + m->prof->attach_extra_s,
		     SIM_EV_MODEM_ATTACH, 0, m->sel_gen);
}

void sim_modem_select_plmn(struct sim_modem *m, int delay_s)
{
	m->sel_gen++;
	if (!m->powered || !m->initialised)
		return;
	if (m->sim_invalid) {
		no_service_now(m);
		return;
	}
	sim_modem_build_candidates(m);
	if (m->n_cand == 0) {
		no_service_now(m);
		return;
	}
	if (m->svc != SIM_SVC_SEARCHING) {
		set_service_then(m, SIM_SVC_SEARCHING, -1, SIM_THEN_ATTEMPT, delay_s);
		return;
	}
	m->next_cand = 0;
	start_attempt(m, delay_s);
}

void sim_modem_sel_then(struct sim_modem *m, enum sim_modem_then then, int arg)
{
	switch (then) {
	case SIM_THEN_SEARCH_LATER:
		if (!m->sim_invalid)
			sim_evq_push(m->q, m->q->now + m->prof->retry_s, SIM_EV_MODEM_SEARCH, 0,
				     m->sel_gen);
		break;
	case SIM_THEN_ATTEMPT:
		m->next_cand = 0;
		start_attempt(m, arg);
		break;
	case SIM_THEN_SELECT:
		sim_modem_select_plmn(m, arg);
		break;
	default:
		break;
	}
}

void sim_modem_sel_refresh(struct sim_modem *m)
{
	m->sel_gen++;
	set_service_then(m, SIM_SVC_SEARCHING, -1, SIM_THEN_SELECT, m->prof->search_s);
}

static void forbid(struct sim_modem *m, const struct mi_plmn *p)
{
	uint8_t c[5 + 3] = {0x00, 0xD6, 0, 0, 3}, r[8];
	size_t rl = sizeof(r);
	uint16_t sw = 0;
	int slot;

	if (is_forbidden(m, p))
		return;
	/* TS 24.008 §4.4.4.7 cause #11: the ME stores the PLMN in EF_FPLMN,
	 * in the first free entry (or over the oldest when full). */
	slot = m->n_fplmn < m->fplmn_ef_len / 3 ? m->n_fplmn : 0;
	if (m->n_fplmn < SIM_MODEM_MAX_LIST)
		m->fplmn[m->n_fplmn++] = *p;
	if (m->fplmn_ef_len < 3 || mi_plmn_encode(p, c + 5, 3) != 3)
		return;
	c[2] = (uint8_t)((slot * 3) >> 8);
	c[3] = (uint8_t)(slot * 3);
	if (sim_modem_usim_init(m, -1) == 0) {
		uint8_t s[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x7B};
		uint8_t fr[300];
		size_t fl = sizeof(fr);

		if (sim_modem_xfer(m, s, sizeof(s), fr, &fl, &sw) == 0 && sw == MI_SW_OK)
			sim_modem_xfer(m, c, sizeof(c), r, &rl, &sw);
	}
}

static void write_loci(struct sim_modem *m, const struct sim_plmn *p)
{
	/* EF_LOCI (TS 31.102 §4.2.17): TMSI, LAI (PLMN + LAC), RFU, status 00 updated */
	uint8_t c[5 + 11] = {0x00, 0xD6, 0x00, 0x00, 11};
	uint8_t s[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x7E}, r[300];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	m->tmsi = m->tmsi * 1103515245u + 12345u;
	c[5] = (uint8_t)(m->tmsi >> 24);
	c[6] = (uint8_t)(m->tmsi >> 16);
	c[7] = (uint8_t)(m->tmsi >> 8);
	c[8] = (uint8_t)m->tmsi;
	if (mi_plmn_encode(&p->id, c + 9, 3) != 3)
		return;
	c[12] = (uint8_t)(p->lac >> 8);
	c[13] = (uint8_t)p->lac;
	c[14] = 0xFF;
	c[15] = 0x00;
	if (sim_modem_usim_init(m, -1) == 0 && sim_modem_xfer(m, s, sizeof(s), r, &rl, &sw) == 0 &&
	    sw == MI_SW_OK) {
		rl = sizeof(r);
		sim_modem_xfer(m, c, sizeof(c), r, &rl, &sw);
	}
}

/* AUTHENTICATE, 3G context (TS 31.102 §7.1.2). \returns 0 on success, 1 after
 * a resync failure (try again), -1 on MAC failure or RES mismatch. */
static int authenticate(struct sim_modem *m, struct sim_auth_vector *v)
{
	uint8_t c[5 + 34 + 1] = {0x00, 0x88, 0x00, 0x81, 0x22}, r[300];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	c[5] = 0x10;
	memcpy(c + 6, v->rand, 16);
	c[22] = 0x10;
	memcpy(c + 23, v->autn, 16);
	c[39] = 0x00;
	if (sim_modem_xfer(m, c, sizeof(c), r, &rl, &sw) < 0)
		return -1;
	if (sw == MI_SW_OK && rl >= 2 && r[0] == 0xDB) {
		size_t n = r[1];

		if (n <= rl - 2 && n == v->xres_len && memcmp(r + 2, v->xres, n) == 0)
			return 0;
		sim_modem_notef(m, "network: RES does not match XRES");
		return -1;
	}
	if (sw == MI_SW_OK && rl >= 16 && r[0] == 0xDC && r[1] == 14) {
		sim_modem_notef(m, "AUTHENTICATE: synchronisation failure, network resyncs SQN");
		if (sim_hss_resync(m->hss, m->imsi, v->rand, r + 2) == 0)
			return 1;
		return -1;
	}
	sim_modem_notef(m, "AUTHENTICATE answered %04X (%s)", sw, mi_sw_text(sw));
	return -1;
}

static void next_candidate(struct sim_modem *m)
{
	if (m->next_cand < m->n_cand)
		start_attempt(m, 0);
	else
		no_service_now(m);
}

/* A registration reject for PLMN \a idx: the lists TS 24.008 §4.4.4.7 /
 * TS 24.301 §5.5.1.2.5 ask for, then SIM_FX_REJECTED: the NETWORK REJECTION
 * event if the card registered it, then the next candidate, unless the
 * card changed the subscription meanwhile (REFRESH: a new selection is
 * already running). */
static void rejected(struct sim_modem *m, int idx, int cause)
{
	const struct sim_plmn *p = &m->net->plmns[idx];
	struct sim_reject r;
	uint32_t gen = m->sel_gen;
	char name[8];

	mi_plmn_format(&p->id, name, sizeof(name));
	m->rejects++;
	sim_modem_notef(m, "%s rejects IMSI %.5s..: cause #%d%s", name, m->imsi, cause,
			sim_net_cause_temporary(cause) ? " (temporary)" : "");
	if (m->prof->forget_forbidden)
		; /* quirk: tries it again at the next search */
	else if (cause == SIM_CAUSE_PLMN_NOT_ALLOWED)
		forbid(m, &p->id); /* EF_FPLMN, on the card */
	else if (cause == SIM_CAUSE_ROAMING_NOT_ALLOWED && m->n_fla < SIM_NET_MAX_PLMNS &&
		 !is_forbidden_la(m, idx))
		m->fla[m->n_fla++] = idx; /* in the ME only */
	memset(&r, 0, sizeof(r));
	r.plmn = p->id;
	r.lac = p->lac;
	r.rac = 0x01;
	r.rat = m->prof->rat;
	r.upd_type = m->prof->rat == SIM_RAT_EUTRAN
			 ? (m->attached ? SIM_UPD_TA_UPDATING : SIM_UPD_EPS_ATTACH)
			 : (m->attached ? SIM_UPD_RA_UPDATING : SIM_UPD_GPRS_ATTACH);
	r.cause = (uint8_t)cause;
	if (!sim_net_cause_temporary(cause))
		m->attached = 0; /* deregistered: the next try is an attach */
	m->rej = r;
	sim_modem_fx_post(m, SIM_FX_REJECTED, 0, gen);
}

void sim_modem_sel_after_reject(struct sim_modem *m, uint32_t gen, int sent)
{
	if (sent && (gen != m->sel_gen || !m->powered || m->svc != SIM_SVC_SEARCHING))
		return; /* the card switched IMSI: that selection replaces this one */
	next_candidate(m);
}

void sim_modem_attach_done(struct sim_modem *m)
{
	int idx = m->cand[m->next_cand++];
	const struct sim_plmn *p = &m->net->plmns[idx];
	char name[8];
	struct sim_auth_vector v;
	int tries, rc = -1, cause;

	mi_plmn_format(&p->id, name, sizeof(name));
	if (!sim_net_visible(m->net, idx)) {
		next_candidate(m);
		return;
	}
	cause = sim_net_reject_cause(m->net, idx, m->imsi);
	if (cause) {
		rejected(m, idx, cause);
		return;
	}
	for (tries = 0; tries < 2; tries++) {
		if (sim_hss_vector(m->hss, m->imsi, &v) < 0) {
			sim_modem_notef(m, "%s: IMSI unknown in HSS", name);
			next_candidate(m);
			return;
		}
		rc = authenticate(m, &v);
		if (rc != 1)
			break;
	}
	if (rc != 0) {
		/* TS 24.008 §4.3.2.5: authentication reject, SIM invalid until reset */
		sim_modem_notef(m, "%s: authentication reject, SIM invalid until reset", name);
		m->sim_invalid = 1;
		no_service_now(m);
		return;
	}
	write_loci(m, p);
	m->attached = 1;
	m->rplmn = p->id;
	m->have_rplmn = 1;
	if (m->prof->periodic_s > 0)
		sim_evq_push(m->q, m->q->now + m->prof->periodic_s, SIM_EV_MODEM_PERIODIC, 0,
			     m->sel_gen);
	sim_modem_set_service(m, SIM_SVC_NORMAL, idx);
}

/* Periodic registration update (TS 24.008 §4.4.2 T3212, TS 24.301 T3412):
 * the network authenticates again with the IMSI the ME registered. */
void sim_modem_periodic(struct sim_modem *m)
{
	struct sim_auth_vector v;
	char name[8];
	int rc = -1, tries;

	if (m->svc != SIM_SVC_NORMAL || m->plmn < 0)
		return;
	mi_plmn_format(&m->net->plmns[m->plmn].id, name, sizeof(name));
	for (tries = 0; tries < 2; tries++) {
		if (sim_hss_vector(m->hss, m->imsi, &v) < 0)
			break;
		rc = authenticate(m, &v);
		if (rc != 1)
			break;
	}
	if (rc != 0) {
		sim_modem_notef(
		    m, "%s: periodic update: authentication reject, SIM invalid until reset", name);
		m->sim_invalid = 1;
		m->sel_gen++;
		no_service_now(m);
		return;
	}
	sim_evq_push(m->q, m->q->now + m->prof->periodic_s, SIM_EV_MODEM_PERIODIC, 0, m->sel_gen);
}

static int same_candidates(struct sim_modem *m)
{
	int old[SIM_NET_MAX_PLMNS], n_old = m->n_cand, i;

	memcpy(old, m->cand, sizeof(old));
	sim_modem_build_candidates(m);
	if (n_old != m->n_cand)
		goto differ;
	for (i = 0; i < n_old; i++)
		if (old[i] != m->cand[i])
			goto differ;
	return 1;
differ:
	m->n_cand = n_old;
	memcpy(m->cand, old, sizeof(old));
	return 0;
}

void sim_modem_sel_net_changed(struct sim_modem *m)
{
	if (!m->powered || !m->initialised)
		return;
	if (m->asleep) {
		m->net_dirty = 1;
		return;
	}
	switch (m->svc) {
	case SIM_SVC_NORMAL:
		if (!sim_net_visible(m->net, m->plmn) ||
		    sim_net_core_down(m->net, m->plmn, m->imsi)) {
			char name[8];

			mi_plmn_format(&m->net->plmns[m->plmn].id, name, sizeof(name));
			sim_modem_notef(m, "lost %s", name);
			sim_modem_select_plmn(m, m->prof->search_s);
		}
		break;
	case SIM_SVC_SEARCHING:
		if (!same_candidates(m))
			sim_modem_select_plmn(m, m->prof->search_s);
		break;
	case SIM_SVC_NONE:
	case SIM_SVC_LIMITED:
		sim_modem_select_plmn(m, m->prof->search_s);
		break;
	default:
		break;
	}
}
