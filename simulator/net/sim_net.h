/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_net.h
 *  The virtual network: countries, their PLMNs (identity, signal, cell,
 *  registration time, up or down), and per PLMN the roaming agreements:
 *  which IMSI ranges it accepts and the price per GB it charges the sponsor
 *  of that range. Prices are kept in the quoted currency and converted to
 *  the reference currency with the world's dated FX table.
 *  Pure data: the journey parser fills it, the modem and the runner ask it.
 */
#ifndef MIMSI_SIM_NET_H
#define MIMSI_SIM_NET_H

#include <stdint.h>

#include "mimsi/mi_plmn.h"

#define SIM_NET_MAX_COUNTRIES 24
#define SIM_NET_MAX_PLMNS 48
#define SIM_NET_MAX_ACCEPT 12
#define SIM_NET_MAX_FX 8
#define SIM_NAME_MAX 32

/* Reject causes the network gives (TS 24.008 §10.5.3.6 / TS 24.301 §9.9.3.9). */
#define SIM_CAUSE_ILLEGAL_MS 3		 /* authentication failed */
#define SIM_CAUSE_PLMN_NOT_ALLOWED 11	 /* no agreement for this IMSI: ME adds it to FPLMN */
#define SIM_CAUSE_ROAMING_NOT_ALLOWED 13 /* no agreement, ME forbids the LA/TA for roaming */
#define SIM_CAUSE_NETWORK_FAILURE 17	 /* temporary: core network fault */
#define SIM_CAUSE_CONGESTION 22		 /* temporary: overload (TS 24.301 §5.5.1.2.5) */

struct sim_accept {
	char prefix[16]; /*!< IMSI digits the agreement covers */
	char sponsor[SIM_NAME_MAX];
	double price; /*!< per GB, in \a currency */
	char currency[4];
	double price_ref; /*!< per GB, in the world's reference currency */
	int core_down;	  /*!< the sponsor's core is down (journey): #17 for its IMSIs */
};

struct sim_plmn {
	struct mi_plmn id;
	char name[SIM_NAME_MAX];
	int country;	/*!< index into sim_net.countries */
	int signal_dbm; /*!< higher is better; -140..-40 */
	uint16_t lac;
	uint16_t ci;
	int reg_time_s;		/*!< time the network takes to accept or reject */
	int up;			/*!< 0 during an outage: no cell, so no reject either */
	int no_agreement_cause; /*!< cause for an IMSI without agreement: #11 or #13 */
	int temp_cause;		/*!< 0, or #17 / #22: every IMSI rejected for now (journey) */
	int n_accept;
	struct sim_accept accept[SIM_NET_MAX_ACCEPT];
};

struct sim_country {
	char name[SIM_NAME_MAX];
	uint16_t mcc;
	int local_imsi_only; /*!< its PLMNs refuse every IMSI of another MCC */
};

struct sim_fx {
	char currency[4];
	double to_ref; /*!< 1 unit = to_ref units of the reference currency */
};

struct sim_net {
	char ref_currency[4];
	char fx_date[16];
	int n_fx;
	struct sim_fx fx[SIM_NET_MAX_FX];
	int n_countries;
	struct sim_country countries[SIM_NET_MAX_COUNTRIES];
	int n_plmns;
	struct sim_plmn plmns[SIM_NET_MAX_PLMNS];
	int country; /*!< where the device is now; -1 = nowhere (no coverage) */
};

/*! \returns the PLMN index or -1. */
int sim_net_find_plmn(const struct sim_net *net, const struct mi_plmn *id);
/*! \returns the country index by name (case-insensitive) or by MCC digits, or -1. */
int sim_net_find_country(const struct sim_net *net, const char *name_or_mcc);
/*! \returns 1 if the PLMN radiates where the device is now and is up. */
int sim_net_visible(const struct sim_net *net, int plmn);
/*! The agreement of \a plmn that covers \a imsi (longest prefix), or NULL.
 *  NULL also when the country demands a local IMSI and the MCC differs. */
const struct sim_accept *sim_net_accepts(const struct sim_net *net, int plmn, const char *imsi);
/*! The registration answer of \a plmn for \a imsi: 0 accepted, else the
 *  reject cause (TS 24.008 §10.5.3.6, TS 24.301 §9.9.3.9). A temporary
 *  cause (congestion, network failure) wins over everything; then an IMSI
 *  range without an agreement (or a foreign MCC where the country demands
 *  a local IMSI) gets the PLMN's no_agreement_cause (#11 or #13); an
 *  agreement whose sponsor's core is down gets #17 network failure (the
 *  home network of the IMSI does not answer the update location). */
int sim_net_reject_cause(const struct sim_net *net, int plmn, const char *imsi);
/*! \returns 1 if the agreement of \a plmn covering \a imsi has its sponsor's
 *  core down (the registration would be refused with #17). */
int sim_net_core_down(const struct sim_net *net, int plmn, const char *imsi);
/*! Mark every agreement of \a sponsor (by name) as core down (\a down 1)
 *  or back up. \returns the number of agreements changed. */
int sim_net_sponsor_core(struct sim_net *net, const char *sponsor, int down);
/*! \returns 1 if \a cause is temporary (the same PLMN may accept later). */
int sim_net_cause_temporary(int cause);
/*! Cheapest price (reference currency per GB) any visible PLMN offers for
 *  any of the \a n IMSIs; -1 if none can be served now. */
double sim_net_cheapest(const struct sim_net *net, const char *const *imsis, int n);
/*! Cheapest price (reference currency per GB) that network \a plmn itself
 *  accepts and prices for any of the \a n IMSIs; -1 if it accepts none. The
 *  journeys' least-cost oracle: per serving network, exact. */
double sim_net_cheapest_on(const struct sim_net *net, int plmn, const char *const *imsis, int n);
/*! Convert \a amount in \a currency to the reference currency.
 *  \returns 0, or -1 if the currency is not in the FX table. */
int sim_net_to_ref(const struct sim_net *net, const char *currency, double amount, double *out);

#endif /* MIMSI_SIM_NET_H */
