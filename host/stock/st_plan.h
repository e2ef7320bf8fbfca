/* SPDX-License-Identifier: Apache-2.0 */
/*! \file st_plan.h
 *  The OTA swap planner (use case 2.5, docs/planner.md): a location event
 *  in, keep or replace the profile's dynamic IMSI out. st_plan_decide is the
 *  decision alone (no database: the unit tests drive it); st_plan_swap reads
 *  the inventory, decides, reserves and writes the provisioning events;
 *  st_plan_por / st_plan_timeout end a swap in flight.
 */
#ifndef MIMSI_ST_PLAN_H
#define MIMSI_ST_PLAN_H

#include "st.h"

#define ST_PLAN_MAX_CAND 32
#define ST_PLAN_NAME 64

/*! One sponsor of one dynamic pool that could take the dynamic slot. */
struct st_plan_cand {
	char ipool[ST_PLAN_NAME], sponsor[ST_PLAN_NAME];
	int64_t price;	  /*!< micro-units per GB (plan currency) in the event's country; -1 none */
	int64_t held_for; /*!< IMSIs on hold for this subscriber */
	int64_t available;
};

struct st_plan_in {
	int64_t price_now;   /*!< best price of the profile's current IMSIs there; -1 none */
	char sponsor_now[ST_PLAN_NAME]; /*!< the dynamic slot's sponsor (never a candidate) */
	int64_t stay_s;	     /*!< expected stay */
	int64_t min_stay_s;  /*!< shorter visits keep the profile */
	int64_t ota_cost;    /*!< micro-units (plan currency) one swap costs */
	int64_t gb_per_day;  /*!< micro-GB a day the subscriber uses */
	int in_flight;	     /*!< a swap of this profile waits for its PoR */
	struct st_plan_cand cand[ST_PLAN_MAX_CAND];
	int n_cand;
};

enum st_plan_why {
	ST_PLAN_SWAP = 0,    /*!< replace with cand[choice] */
	ST_PLAN_BEST,	     /*!< no candidate is cheaper */
	ST_PLAN_SHORT_VISIT, /*!< the stay is shorter than the minimum */
	ST_PLAN_NOT_WORTH,   /*!< the saving over the stay does not pay the OTA */
	ST_PLAN_EMPTY,	     /*!< cheaper sponsors exist but their pools are empty */
	ST_PLAN_IN_FLIGHT    /*!< another swap waits for its PoR */
};

struct st_plan_out {
	enum st_plan_why why;
	int choice;	 /*!< index into cand, or -1 */
	int64_t saving;	 /*!< expected saving over the stay (micro-units), -1 unbounded */
	int empty[ST_PLAN_MAX_CAND]; /*!< indexes of cheaper candidates found empty */
	int n_empty;
};

/*! Decide: the cheapest candidate with stock (an IMSI on hold for this
 *  subscriber first among equal prices) that is strictly cheaper than what
 *  the profile has, when the visit is long enough and the saving exceeds
 *  the OTA's cost. */
void st_plan_decide(const struct st_plan_in *in, struct st_plan_out *out);
/*! "swap", "best", "short-visit", "not-worth-it", "pool-empty", "in-flight". */
const char *st_plan_why_name(enum st_plan_why why);

/*! SPI2 of the planner's packets (mimsi-ota's default): PoR always, ciphered,
 *  with a cryptographic checksum (TS 102 225 §5.1.1). */
#define ST_PLAN_SPI2 0x19
/*! Where the OTA packets come from (mimsi-ota build --slot's inputs). */
struct st_plan_ota {
	const char *keys;	 /*!< OTA key sets (JSON, docs/ota.md) */
	unsigned kvn;		 /*!< key version of KIc/KID */
	const char *counters;	 /*!< counters per card, never reused */
	const char *base;	 /*!< the set the card holds now (a directory) */
	const char *bank_holds;	 /*!< what the target bank holds: a set, "empty", NULL = base */
	int bank;		 /*!< 0 = A, 1 = B */
	const struct st_key *tkey; /*!< transport key, to unwrap the new IMSI's K/OPc */
	const char *keep_dir;	 /*!< where to write the set the packets carry (the
				      operator's record once its PoR confirms it); NULL: not kept */
};
struct rc_plan;
struct rc_rates;
struct rc_set;
/*! The set after a swap: the profile pool's plan with \a imsi and its
 *  batch's sponsor at position \a pos, priced by that sponsor's sheet,
 *  compiled as mimsi-compile --base would on \a base_dir with seq + 1.
 *  \a out gets the three files (rc_set_free); \a keep_dir, when not NULL,
 *  gets the set directory. */
int st_plan_set_build(struct st_ctx *c, const char *iccid, int pos, const char *imsi, const char *base_dir,
		      const char *keep_dir, struct rc_set *out);
/*! Put \a imsi of \a sponsor at slot \a pos of \a plan (its PLMN and
 *  MNC length from E.212; a new sponsor drops the old one's EHPLMN list
 *  and preferences). \returns 0, -1 no such slot or a bad IMSI. */
int st_plan_set_slot(struct rc_plan *plan, int pos, const char *imsi, const char *sponsor);
/*! Keep the rows that price the plan: its sponsors from the profile
 *  pool's sheets (the first \a n_own rows), \a sponsor from the first sheet
 *  that prices it (the profile pool's when it does). */
void st_plan_set_rates(const struct rc_plan *plan, struct rc_rates *rates, size_t n_own, const char *sponsor);
/*! The secured packets (SMS TPDUs, ENVELOPEs) that write the set of the
 *  swap to slot \a slot's \a imsi (st_plan_set_build) and its K/OPc. */
int st_plan_ota_build(struct st_ctx *c, const struct st_plan_ota *o, const char *iccid, int slot,
		      const char *imsi, json_t **out);
/*! Decode and verify a secured PoR with the key set; \a status gets its status. */
int st_plan_por_keys(struct st_ctx *c, const struct st_plan_ota *o, const unsigned char *pkt, size_t len,
		     unsigned spi2, uint8_t *status);

struct st_plan_opts {
	int64_t min_stay_s, default_stay_s, ota_cost, gb_per_day;
	const struct st_plan_ota *ota; /*!< NULL: events only, no packets */
};
/*! Plan for one location event (JSON: "iccid" or "imsi", "plmn" "MCC-MNC",
 *  "at", optional "stay_hours"); reserves the chosen IMSI. \a out gets the
 *  decision and the ordered provisioning events. */
int st_plan_swap(struct st_ctx *c, const json_t *event, const struct st_plan_opts *o, json_t **out);
/*! The PoR of the swap at \a pos (a response packet from its UDH 02 71 00,
 *  decoded with libmimsi-ota, \a spi2 of the command): status 00 commits,
 *  any other status releases. A PoR that does not decode changes nothing. */
int st_plan_por(struct st_ctx *c, const char *iccid, int pos, const unsigned char *por, size_t len,
		unsigned spi2, const struct st_plan_ota *ota, json_t **out);
/*! No PoR came in time: release the reservation, undo the HSS creation. */
int st_plan_timeout(struct st_ctx *c, const char *iccid, int pos, json_t **out);

/*! The hss-create event of \a imsi: its K/OPc as the stock holds them,
 *  wrapped by the transport key and named by its label and check value. */
json_t *st_plan_hss_create(struct st_ctx *c, const char *imsi);
/*! What the HSS's provisioning does with an hss-create event: unwrap K and
 *  OPc with its copy of the transport key (refused when the event names
 *  another key by its check value, or holds none). */
int st_plan_hss_keys(struct st_ctx *c, const struct st_key *tkey, const json_t *ev, uint8_t k[16],
		     uint8_t opc[16]);

#endif /* MIMSI_ST_PLAN_H */
