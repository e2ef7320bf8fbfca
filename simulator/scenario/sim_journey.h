/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_journey.h
 *  A journey: the card (image + compiled rule set), the world (network),
 *  the modem profile, a timeline and expectations. Loaded from JSON with
 *  jansson; unknown keys are rejected and every error names its JSON path,
 *  e.g. `timeline[3].country: unknown MCC "999"`. docs/scenarios.md has
 *  the format.
 */
#ifndef MIMSI_SIM_JOURNEY_H
#define MIMSI_SIM_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

#include "modem/sim_modem.h"
#include "net/sim_evq.h"
#include "net/sim_net.h"

#define SIM_PATH_MAX 256
#define SIM_KEYSETS_MAX 10

enum sim_tl_kind {
	SIM_TL_COUNTRY,	  /* a = country index, -1 = no coverage at all */
	SIM_TL_PLMN_DOWN, /* a = PLMN index */
	SIM_TL_PLMN_UP,
	SIM_TL_DATA, /* d = MB per hour */
	SIM_TL_POWER_OFF,
	SIM_TL_POWER_ON,
	SIM_TL_POWER_CYCLE,
	SIM_TL_MENU,		 /* a = item, b = SELECT ITEM answer (0 = none) */
	SIM_TL_PLMN_TEMP_REJECT, /* a = PLMN index, b = cause #17 / #22 (until plmn_up) */
	SIM_TL_CORE_DOWN,	 /* sponsor's core down: its IMSIs get #17 everywhere */
	SIM_TL_CORE_UP,
	SIM_TL_ALTERNATE, /* a, b = country indexes, every d seconds from at until until */
	SIM_TL_OTA,	  /* a = OTA message index: the network sends its SMS */
	SIM_TL_WRITE_SET /* path: a compiled set written into the running card */
};

struct sim_tl {
	sim_time_t at;
	enum sim_tl_kind kind;
	int a, b;
	double d;
	sim_time_t until;	    /* SIM_TL_ALTERNATE: end of the alternation */
	char sponsor[SIM_NAME_MAX]; /* SIM_TL_CORE_DOWN / _UP */
	char path[SIM_PATH_MAX]; /* SIM_TL_WRITE_SET */
};

enum sim_exp_kind {
	SIM_EXP_SLOT,	 /* at: active slot (by the IMSI the modem uses) */
	SIM_EXP_IMSI,	 /* at: IMSI the modem uses */
	SIM_EXP_SERVICE, /* at: normal / limited / none / off */
	SIM_EXP_PLMN,	 /* at: registered PLMN */
	SIM_EXP_EF,	 /* at: EF content read through APDUs */
	SIM_EXP_HOME,	 /* at: the modem's home PLMN (EHPLMN, else from the IMSI) */
	SIM_EXP_SWITCHES_MAX,
	SIM_EXP_SWITCHES_MIN,
	SIM_EXP_REFRESH_MIN,
	SIM_EXP_REFRESH_MAX,
	SIM_EXP_TTS_MAX_S, /* every time-to-service */
	SIM_EXP_TTS_P95_MAX_S,
	SIM_EXP_COST_MAX, /* reference currency */
	SIM_EXP_LOSSES_MAX,
	SIM_EXP_OTA_PORS_MIN, /* OTA messages answered with a PoR */
	SIM_EXP_OTA_SMS_MAX,  /* SMS-PP data downloads passed to the card */
	/* dynamic journeys (the planner in the loop) */
	SIM_EXP_SWAPS,		     /* swaps committed on their PoR, exactly */
	SIM_EXP_SWAP_SERVICE_MAX_S,  /* webhook -> service on the new IMSI, every swap */
	SIM_EXP_CROSSING_OPT_MAX_S,  /* border crossing -> service at the optimum, every one */
	SIM_EXP_COST_VS_STATIC_MAX,  /* cost / cost of the static profile */
	SIM_EXP_TIMEOUTS,	     /* swaps ended by swap-timeout, exactly */
	SIM_EXP_PORS_LOST,	     /* PoRs a fault lost, exactly */
	SIM_EXP_STOCK_ALERTS_MIN     /* pool-empty alerts */
};

struct sim_exp {
	enum sim_exp_kind kind;
	sim_time_t at; /* -1: at the end */
	long ival;
	double dval;
	char sval[32];
	uint16_t path[4];
	int npath;
	uint8_t hex[256];
	size_t hex_len;
	char where[40];	    /* "expect[3]" for messages */
	uint32_t caps_need; /* checked only on a modem with all of these (enum sim_cap) */
	uint32_t caps_lack; /* ... and none of these */
};

struct sim_keyset_def {
	int ref;
	int custom; /* listed in the journey: personalised into the card before the run */
	uint8_t k[16], opc[16];
};

/*! An OTA message: the SMS-DELIVER TPDUs (TS 23.040, PID 7F) the network
 *  sends, e.g. `mimsi-ota build --out tpdu`. */
#define SIM_OTA_SMS_MAX 8
struct sim_ota_msg {
	int n;
	uint8_t tpdu[SIM_OTA_SMS_MAX][176];
	size_t len[SIM_OTA_SMS_MAX];
};

/*! Failure injection on the dynamic loop's OTA messages (counted 1, 2, ...
 *  in the order the loop sends them, the timeout's rewrite included). */
enum sim_dyn_fault_kind {
	SIM_DYN_LOSE_SMS,  /* the network loses SMS \a sms of the message */
	SIM_DYN_DELAY_SMS, /* ... delivers it \a delay later */
	SIM_DYN_LOSE_POR,  /* the PoR never reaches the planner */
	SIM_DYN_DELAY_POR  /* ... reaches it \a delay later */
};
struct sim_dyn_fault {
	int msg; /* the loop's OTA message (1-based) */
	enum sim_dyn_fault_kind kind;
	int sms; /* 1-based SMS of the message (SMS faults) */
	sim_time_t delay;
};
#define SIM_DYN_FAULTS_MAX 8
/*! A dynamic-model subscriber (use case 2.4-2.6): the stock the planner
 *  starts from, the webhook delay, the planner's guards, failures. */
struct sim_dyn_def {
	char stock[SIM_PATH_MAX]; /* the stock file (docs/scenarios.md) */
	sim_time_t webhook_delay; /* location event -> planner */
	sim_time_t por_timeout;	  /* OTA sent -> swap-timeout */
	double min_stay_h, stay_h, gb_per_day; /* the planner's guards */
	char ota_cost[16];		       /* decimal, plan currency */
	int n_faults;
	struct sim_dyn_fault faults[SIM_DYN_FAULTS_MAX];
};

struct sim_journey {
	char name[64];
	char description[512];
	char known_issue[512];	  /* a broken expectation already reported upstream */
	char image[SIM_PATH_MAX]; /* empty: built-in default card */
	char rules[SIM_PATH_MAX]; /* compiled rule set directory; empty: as on the card */
	char pin[9];
	char adm[9];
	int n_keysets;
	struct sim_keyset_def keysets[SIM_KEYSETS_MAX];
	struct sim_net net;
	struct sim_modem_profile modem;
	sim_time_t duration;
	uint64_t seed;
	int n_tl;
	struct sim_tl *tl;
	int n_exp;
	struct sim_exp *exp;
	int n_ota;
	struct sim_ota_msg *ota;
	struct sim_dyn_def *dyn; /* NULL: no planner in the loop */
};

/*! Load and check a journey. On error returns -1 with "FILE: PATH: reason" in err. */
int sim_journey_load(const char *path, struct sim_journey *j, char *err, size_t err_len);
void sim_journey_free(struct sim_journey *j);
/*! Load a modem profile by name (test-vectors/scenarios/modems/NAME.json)
 *  or by path. \returns 0, or -1 with the reason in \a err. */
int sim_modem_profile_load(const char *name_or_path, struct sim_modem_profile *m, char *err,
			   size_t err_len);
/*! Give the profile the failover aids (\a on: NETWORK REJECTION event for
 *  its RAT and PROVIDE LOCAL INFORMATION) or take them away; the TERMINAL
 *  PROFILE follows and the name gets "+fo" / "-fo". */
void sim_modem_profile_failover(struct sim_modem_profile *m, int on);
/*! Longest journey time: 100 years of virtual time (an int64 of seconds
 *  holds far more, but a longer journey is a typo that would run forever). */
#define SIM_DURATION_MAX ((sim_time_t)100 * 365 * 86400)
/*! Parse "90", "90s", "15m", "2h", "3d" (also combined: "1d2h30m"; each unit
 *  once, largest first; at most SIM_DURATION_MAX). \returns 0 or -1. */
int sim_parse_duration(const char *text, sim_time_t *out);

#endif /* MIMSI_SIM_JOURNEY_H */
