/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_dyn_int.h
 *  Inside the dynamic loop: the stock (sim_dyn_stock.c builds it) and the
 *  loop's state (sim_dyn.c runs it).
 */
#ifndef MIMSI_SIM_DYN_INT_H
#define MIMSI_SIM_DYN_INT_H

#include "scenario/sim_dyn.h"
#include "st_plan.h"

#define DYN_PATH 600
#define DYN_QUEUED 64 /* SMS and PoRs held back by a "delay" fault */

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

/*! sim_dyn_stock.c: build from the stock file. \returns 0 or -1 (err). */
int dyn_stock_build(struct dyn_stock *s, const char *file, char *err, size_t err_len);
/*! IMSIs in available / reserved / embedded / hold, and whether each one
 *  is in exactly one consistent state. \returns count, or -1 (\a why). */
int64_t dyn_stock_count(struct dyn_stock *s, char *why, size_t cap);
void dyn_stock_free(struct dyn_stock *s);

#endif /* MIMSI_SIM_DYN_INT_H */
