/* SPDX-License-Identifier: Apache-2.0 */
/* Lookups over the virtual network's tables. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/sim_net.h"

int sim_net_find_plmn(const struct sim_net *net, const struct mi_plmn *id)
{
	int i;

	for (i = 0; i < net->n_plmns; i++)
		if (mi_plmn_equal(&net->plmns[i].id, id))
			return i;
	return -1;
}

int sim_net_find_country(const struct sim_net *net, const char *name_or_mcc)
{
	int i;
	size_t len = strlen(name_or_mcc);
	int digits = len == 3 && strspn(name_or_mcc, "0123456789") == 3;

	for (i = 0; i < net->n_countries; i++) {
		const struct sim_country *c = &net->countries[i];

		if (digits && c->mcc == (uint16_t)atoi(name_or_mcc))
			return i;
		if (!digits && strcasecmp(c->name, name_or_mcc) == 0)
			return i;
	}
	return -1;
}

int sim_net_visible(const struct sim_net *net, int plmn)
{
	if (plmn < 0 || plmn >= net->n_plmns || net->country < 0)
		return 0;
	return net->plmns[plmn].up && net->plmns[plmn].country == net->country;
}

static uint16_t imsi_mcc(const char *imsi)
{
	return (uint16_t)((imsi[0] - '0') * 100 + (imsi[1] - '0') * 10 + (imsi[2] - '0'));
}

const struct sim_accept *sim_net_accepts(const struct sim_net *net, int plmn, const char *imsi)
{
	const struct sim_plmn *p;
	const struct sim_accept *best = NULL;
	size_t best_len = 0;
	int i;

	if (plmn < 0 || plmn >= net->n_plmns || strlen(imsi) < 6)
		return NULL;
	p = &net->plmns[plmn];
	if (net->countries[p->country].local_imsi_only &&
	    imsi_mcc(imsi) != net->countries[p->country].mcc)
		return NULL;
	for (i = 0; i < p->n_accept; i++) {
		size_t l = strlen(p->accept[i].prefix);

		if (l > best_len && strncmp(p->accept[i].prefix, imsi, l) == 0) {
			best = &p->accept[i];
			best_len = l;
		}
	}
	return best;
}

int sim_net_reject_cause(const struct sim_net *net, int plmn, const char *imsi)
{
	const struct sim_accept *a;
	const struct sim_plmn *p;

	if (plmn < 0 || plmn >= net->n_plmns)
		return SIM_CAUSE_PLMN_NOT_ALLOWED;
	p = &net->plmns[plmn];
	if (p->temp_cause)
		return p->temp_cause;
	a = sim_net_accepts(net, plmn, imsi);
	if (a)
		return a->core_down ? SIM_CAUSE_NETWORK_FAILURE : 0;
	return p->no_agreement_cause ? p->no_agreement_cause : SIM_CAUSE_PLMN_NOT_ALLOWED;
}

int sim_net_core_down(const struct sim_net *net, int plmn, const char *imsi)
{
	const struct sim_accept *a = sim_net_accepts(net, plmn, imsi);

	return a && a->core_down;
}

int sim_net_sponsor_core(struct sim_net *net, const char *sponsor, int down)
{
	int i, k, n = 0;

	for (i = 0; i < net->n_plmns; i++)
		for (k = 0; k < net->plmns[i].n_accept; k++)
			if (strcmp(net->plmns[i].accept[k].sponsor, sponsor) == 0) {
				net->plmns[i].accept[k].core_down = down;
				n++;
			}
	return n;
}

int sim_net_cause_temporary(int cause)
{
	/* TS 24.301 §5.5.1.2.5: #17 and #22 leave the PLMN a candidate */
	return cause == SIM_CAUSE_NETWORK_FAILURE || cause == SIM_CAUSE_CONGESTION;
}

double sim_net_cheapest(const struct sim_net *net, const char *const *imsis, int n)
{
	double best = -1;
	int i, k;

	for (i = 0; i < net->n_plmns; i++) {
		if (!sim_net_visible(net, i) || net->plmns[i].temp_cause)
			continue;
		for (k = 0; k < n; k++) {
			const struct sim_accept *a = sim_net_accepts(net, i, imsis[k]);

			if (a && !a->core_down && (best < 0 || a->price_ref < best))
				best = a->price_ref;
		}
	}
	return best;
}

double sim_net_cheapest_on(const struct sim_net *net, int plmn, const char *const *imsis, int n)
{
	double best = -1;
	int k;

	for (k = 0; k < n; k++) {
		const struct sim_accept *a = sim_net_accepts(net, plmn, imsis[k]);

		if (a && (best < 0 || a->price_ref < best))
			best = a->price_ref;
	}
	return best;
}

int sim_net_to_ref(const struct sim_net *net, const char *currency, double amount, double *out)
{
	int i;

	if (strcmp(currency, net->ref_currency) == 0) {
		*out = amount;
		return 0;
	}
	for (i = 0; i < net->n_fx; i++) {
		if (strcmp(net->fx[i].currency, currency) == 0) {
			*out = amount * net->fx[i].to_ref;
			return 0;
		}
	}
	return -1;
}
