/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_run.h
 *  The journey runner: sets up the card (rule set and naive flag written
 *  through ADM APDUs, like a loader), the network and the modem, replays
 *  the timeline in virtual time, measures, and checks the expectations.
 */
#ifndef MIMSI_SIM_RUN_H
#define MIMSI_SIM_RUN_H

#include <stdio.h>

#include "scenario/sim_dyn.h"
#include "scenario/sim_journey.h"
#include "sim_card.h"

#define SIM_TTS_MAX 4096
#define SIM_SAMPLES_MAX 8192
#define SIM_LINES_MAX 20000

/* One point of the state over time (for the SVG and --json). */
struct sim_sample {
	sim_time_t t;
	int country; /* -1 none */
	int svc;     /* enum sim_service */
	int plmn;    /* -1 none */
	int slot;    /* 0 unknown */
	double cost;
};

struct sim_metrics {
	int n_tts;
	double tts[SIM_TTS_MAX]; /* seconds, in order */
	double tts_p50, tts_p95, tts_max;
	int unrecovered;	/* losses still open at the end */
	unsigned long switches; /* IMSI changes seen by the modem */
	unsigned long refreshes;
	unsigned long apdus;
	unsigned long proactive;
	unsigned long rejects;	     /* registration rejects the modem received */
	unsigned long reject_events; /* NETWORK REJECTION envelopes the card took */
	unsigned long ota_sms;	     /* SMS-PP data downloads passed to the card */
	unsigned long ota_bytes;     /* their TPDU bytes */
	unsigned long ota_pors;	     /* OTA messages answered with a PoR */
	double ota_apply_max_s;	     /* network send -> PoR, worst message */
	double data_mb;		     /* carried */
	double cost;		     /* reference currency */
	double cost_oracle;	     /* same traffic at the cheapest card IMSI the serving
					network accepts and prices (per network, exact) */
	double cost_home;	     /* the part the home IMSI could carry, at its price */
	double home_mb;		     /* traffic the home IMSI could have carried */
	double served_s, possible_s;
	char currency[4];
	struct sim_dyn_metrics dyn; /* the planner in the loop (dyn.on) */
};

struct sim_run_opts {
	int naive;	  /* set MI_CFG_F_NAIVE in the CFG written to the card */
	int no_failover;  /* clear MI_CFG_F_FAILOVER: rules-driven rotation only */
	FILE *timeline;	  /* readable timeline, or NULL */
	int verbose;	  /* also timer and poll chatter */
	const char *pcap; /* GSMTAP trace with virtual timestamps, or NULL */
	int static_run;	  /* a dynamic journey without its planner (the static profile) */
	struct sim_toolkit_cfg toolkit; /* who owns the applet's events, menu, timers */
};

struct sim_run_result {
	struct sim_metrics m;
	int n_samples;
	struct sim_sample *samples; /* malloc'ed: free with sim_run_result_free */
	int n_exp_failed;
	char first_failure[256];
	int n_lines;
	char **lines; /* timeline lines (text) for --json */
	sim_time_t *line_t;
};

/*! Run \a j. \returns 0 (ran; see n_exp_failed), or -1 on a setup error (err). */
int sim_run_journey(const struct sim_journey *j, const struct sim_run_opts *o,
		    struct sim_run_result *r, char *err, size_t err_len);
void sim_run_result_free(struct sim_run_result *r);
/*! Nearest-rank percentile of \a n values (sorted copy). */
double sim_percentile(const double *v, int n, double pct);
/*! "1d 02:03:04" */
void sim_fmt_time(sim_time_t t, char *out, size_t cap);
const char *sim_service_name(int svc);

/* SVG timeline (sim_svg.c). \returns 0 or -1 (I/O). */
int sim_svg_write(const char *path, const struct sim_journey *j, const struct sim_run_result *r);

#endif /* MIMSI_SIM_RUN_H */
