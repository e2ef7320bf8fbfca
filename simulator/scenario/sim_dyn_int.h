/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_dyn_int.h
 *  Inside the dynamic loop: the stock (sim_dyn_stock.c builds it), the
 *  loop's state (sim_dyn.c runs the planner side), the network side
 *  (sim_dyn_net.c) and the checks and metrics (sim_dyn_watch.c). The planner
 *  side calls the other three; they call only sim_dyn_net.c's lines.
 */
#ifndef MIMSI_SIM_DYN_INT_H
#define MIMSI_SIM_DYN_INT_H

#include "scenario/sim_dyn.h"
#include "st_plan.h"

#define DYN_PATH 600
#define DYN_QUEUED 64 /* SMS and PoRs held back by a "delay" fault */

/* The inventory in its temporary directory. */
struct dyn_stock {
	struct st_ctx c;
	struct st_key tkey;
	int have_key;
	FILE *devnull;		   /* the library's result lines go nowhere */
	char dir[256];		   /* temporary: database, counters, sets */
	char rules[DYN_PATH];	   /* the profile's set (generation + IMSIs) */
	char counters[DYN_PATH];   /* OTA counters, never reused */
	char ota_keys[DYN_PATH];   /* the operator's OTA key sets of its cards */
	unsigned kvn;
	char iccid[24];
	int n_pos;
	char imsi[ST_MAX_POSITIONS][16]; /* position i + 1 */
	int64_t epoch;		   /* stock time at the journey's t = 0 */
	int64_t n_imsis;	   /* the inventory's IMSIs (a constant) */
};

/* The OTA operation in flight (one per card). */
enum op_kind { OP_NONE, OP_SWAP, OP_REWRITE };

struct op {
	enum op_kind kind;
	int id;		      /* matches its timeout event */
	int pos;	      /* the profile's dynamic position = the card's slot */
	char newi[16], oldi[16];
	int first, last;      /* the loop's OTA messages of the operation */
	int pors_ok;	      /* of its messages before the last */
	char plmn[8];	      /* the location it serves */
	char set[DYN_PATH];   /* the set its packets carry */
	sim_time_t webhook_at;
};

struct held {		      /* an SMS or PoR a "delay" fault holds back */
	int used, msg, last;
	uint8_t data[SIM_SMS_TPDU_MAX];
	size_t len;
};

/* The loop. */
struct sim_dyn {
	const struct sim_dyn_def *d;
	int planner;
	struct dyn_stock s;
	struct sim_dyn_env env;
	struct st_plan_ota ota;
	struct st_plan_opts po;
	char base[DYN_PATH];	/* the operator's record of the card's set */
	char next[DYN_PATH];	/* where the planner writes the set of the next packets */
	int active_bank;	/* where that set is (0 = A) */
	int n_sets, op_ids, n_msgs;
	struct op op;
	int reported_country;	/* of the last location event sent */
	char loc[DYN_QUEUED][8];
	int n_loc;
	char pending[8];	/* a location that waits for the operation */
	struct held sms[DYN_QUEUED], por[DYN_QUEUED];
	/* metrics */
	struct sim_dyn_metrics m;
	int svc_open;
	char svc_imsi[16];
	sim_time_t svc_from;
	int cross_open, decided, opt_prev, broken_prev;
	int cross_country;
	sim_time_t cross_t, opt_since;
};

/* sim_dyn_net.c: the network side (SMSC, faults, timeline lines) */
void dyn_say(struct sim_dyn *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*! A string member of a planner output, "" when absent. */
const char *dyn_jstr(const json_t *o, const char *key);
/*! The journey's fault of \a kind on the loop's OTA message \a msg (SMS \a sms). */
const struct sim_dyn_fault *dyn_fault(const struct sim_dyn *y, int msg, enum sim_dyn_fault_kind kind, int sms);
/*! Hold an SMS or PoR back \a delay: queued as event \a type. \returns 0 or -1. */
int dyn_hold_back(struct sim_dyn *y, struct held *h, int type, int msg, int last, const uint8_t *data,
		  size_t len, sim_time_t delay);
void dyn_sms_to_modem(struct sim_dyn *y, int msg, int last, const uint8_t *tpdu, size_t len);
/*! The planner's packets to the modem, one OTA message per packet, faults
 *  applied; \a first..\a last get the messages' numbers. \returns 0 or -1. */
int dyn_send_packets(struct sim_dyn *y, const json_t *packets, int *first, int *last);

/* sim_dyn_watch.c: invariants and metrics */
void dyn_broken(struct sim_dyn *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*! sim_dyn_stock.c: build from the stock file. \returns 0 or -1 (err). */
int dyn_stock_build(struct dyn_stock *s, const char *file, char *err, size_t err_len);
/*! IMSIs in available / reserved / embedded / hold, and whether each one
 *  is in exactly one consistent state. \returns count, or -1 (\a why). */
int64_t dyn_stock_count(struct dyn_stock *s, char *why, size_t cap);
void dyn_stock_free(struct dyn_stock *s);

#endif /* MIMSI_SIM_DYN_INT_H */
