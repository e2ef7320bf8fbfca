/* SPDX-License-Identifier: Apache-2.0 */
/*! \file rc.h
 *  mimsi-compile internals: sponsor rate sheets (CSV) and a plan (JSON) in,
 *  the applet's CFG / SLOTS / RULES EFs (mi_ef.h) out.
 *
 *  Money is exact: every price is an integer count of micro-units (1e-6) of
 *  its currency, FX rates are integers in micro-units of the reporting
 *  currency per unit of the foreign one. No float or double anywhere.
 *
 *  Errors: the first one wins (like jansson's json_error_t). Each carries a
 *  location: "file:line:column" for CSV and JSON syntax, "file: $.json.path"
 *  for JSON content.
 */
#ifndef MIMSI_RC_H
#define MIMSI_RC_H

#include <stdint.h>
#include <stdio.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"

/* ---- exact money ------------------------------------------------------ */
#define RC_SCALE 1000000LL	       /* micro-units: 1.01 -> 1010000 */
#define RC_DECIMALS 6		       /* more decimals than this is an error */
#define RC_INT_DIGITS 9		       /* at most 999999999.999999 per unit */
#define RC_MB_PER_GB 1024LL	       /* binary GB, as carriers bill data */
#define RC_MONEY_MAX 999999999999999LL /* cap of any converted amount (1e9 units) */

/*! Parse "1.01" / "0.41" / "12" exactly into micro-units.
 *  \returns 0, or -1 with a message in \a why (no location). */
int rc_money_parse(const char *s, int64_t *micro, char *why, size_t whylen);
/*! Format micro-units exactly: at least 2 decimals, more only when needed
 *  (1010000 -> "1.01", 1234567 -> "1.234567"). */
void rc_money_format(int64_t micro, char *out, size_t cap);
/*! a * b / RC_SCALE rounded half-up, b = FX rate in micro-units.
 *  \returns 0, or -1 on overflow past RC_MONEY_MAX. */
int rc_money_convert(int64_t amount, int64_t rate, int64_t *out);

/* ---- errors ---------------------------------------------------------- */
enum rc_err_kind {
	RC_EK_DATA = 0,	 /*!< invalid input data (EX_DATAERR) */
	RC_EK_NOINPUT,	 /*!< an input cannot be opened (EX_NOINPUT) */
	RC_EK_CANTCREAT, /*!< an output cannot be written (EX_CANTCREAT) */
	RC_EK_NOMEM	 /*!< out of memory (EX_OSERR) */
};

typedef struct rc_error {
	char text[512]; /*!< the whole message, location first; "" = no error */
	int kind;	/*!< enum rc_err_kind of that first error */
} rc_error_t;

void rc_err_clear(rc_error_t *e);
int rc_err_isset(const rc_error_t *e);
/* CSV / JSON syntax: "file:line:column: text" (first error wins). */
void rc_err_at(rc_error_t *e, const char *file, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* JSON content: "file: $.path: text". */
void rc_err_path(rc_error_t *e, const char *file, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* I/O and memory, with the kind that picks the exit code. */
void rc_err_io(rc_error_t *e, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* No location (I/O, size budget...). */
void rc_err_msg(rc_error_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- rate sheets ----------------------------------------------------- */
#define RC_NAME_MAX 48
#define RC_FILE_MAX 256

enum rc_unit { RC_UNIT_GB = 1, RC_UNIT_MB = 2 };

struct rc_rate {
	char sponsor[RC_NAME_MAX];
	struct mi_plmn plmn; /*!< mnc 0 when wild */
	int wild;	     /*!< MNC '*': prices every network of the MCC */
	int64_t price;	     /*!< micro-units per unit, as written */
	char price_text[24]; /*!< the cell, for explain */
	char currency[4];
	enum rc_unit unit;
	int64_t per_gb;	  /*!< micro-units per GB in its own currency */
	int64_t conv;	  /*!< micro-units per GB in the reporting currency */
	int64_t fx;	  /*!< FX rate used (micro-units), RC_SCALE if none */
	const char *file; /*!< owned by rc_rates.files */
	long line;
	long col_sponsor, col_price, col_currency; /*!< for errors found later */
	size_t order;				   /*!< load order: ties in sorting, first wins */
};

struct rc_rates {
	struct rc_rate *v;
	size_t n, cap;
	size_t duplicates; /*!< identical rows accepted and merged */
	size_t ignored;	   /*!< rows of sponsors in $.ignore_sponsors */
	char **files;	   /*!< names of the sheets read */
	size_t n_files;
};

/*! Parse one CSV file and append its rows. \returns 0 or -1 (error set). */
int rc_csv_load(const char *path, struct rc_rates *rates, rc_error_t *err);
/*! The same from memory (tests). */
int rc_csv_parse(const char *file, const char *buf, size_t len, struct rc_rates *rates,
		 rc_error_t *err);
void rc_rates_free(struct rc_rates *rates);

/* ---- plan ------------------------------------------------------------ */
struct rc_slot {
	int index; /*!< 1..MI_MAX_SLOTS */
	char sponsor[RC_NAME_MAX];
	char imsi[16];	    /*!< first IMSI (digits) */
	char imsi_last[16]; /*!< last IMSI of a range, "" for one IMSI */
	int home, bootstrap, disabled;
	int keyset;
	int mnc_len;	     /*!< 2 or 3 */
	int sponsor_id;	     /*!< 1.. in order of first appearance */
	int json_index;	     /*!< position in $.slots, for errors */
	struct mi_plmn plmn; /*!< the IMSI's own PLMN */
	int n_ehplmn;	     /*!< EF_EHPLMN written on a switch (TS 31.102 §4.2.84); 0 clears it */
	struct mi_plmn ehplmn[MI_MAX_EHPLMN];
};

struct rc_fx {
	char currency[4];
	char date[11]; /*!< YYYY-MM-DD */
	int64_t rate;  /*!< micro-units of the reporting currency per unit */
};

struct rc_cov {
	struct mi_plmn plmn;
	int exact; /*!< 0 = MCC-wide (E212-262) */
};

enum rc_level { RC_LEVEL_NONE = 0, RC_LEVEL_HIGH = 1, RC_LEVEL_MEDIUM = 2, RC_LEVEL_LOW = 3 };

struct rc_override {
	struct mi_plmn plmn; /*!< exact, or MCC only when exact == 0 */
	int exact;
	int local_only; /*!< only slots whose IMSI has this MCC */
	mi_u16 forbid;	/*!< bit s-1: slot s forbidden */
	int n_order;
	mi_u8 order[MI_MAX_SLOTS]; /*!< pinned order (slot numbers) */
	char path[48];		   /*!< "$.overrides[2]" for explain */
};

struct rc_pref {
	struct mi_plmn plmn;
	enum rc_level level;
	char sponsor[RC_NAME_MAX]; /*!< "" = every sponsor */
};

#define RC_MAX_FX 64
#define RC_MAX_COV 512
#define RC_MAX_OVR 256
#define RC_MAX_PREF 512

struct rc_plan {
	char file[RC_FILE_MAX];
	char name[96];
	mi_u32 seq;
	char currency[4];
	struct mi_plmn home_plmn;
	char valuation_date[11];
	struct rc_fx fx[RC_MAX_FX];
	int n_fx;
	struct rc_slot slots[MI_MAX_SLOTS];
	int n_slots;
	int n_sponsors;
	struct rc_cov cov[RC_MAX_COV];
	int n_cov;
	int64_t ceiling; /*!< micro-units per GB, reporting currency; -1 = none */
	struct rc_override ovr[RC_MAX_OVR];
	int n_ovr;
	struct rc_pref pref[RC_MAX_PREF];
	int n_pref;
	mi_u16 act;		     /*!< AcT of OPLMNwACT entries */
	int pref_depth;		     /*!< slots kept in each preference list, 1..10 */
	int oplmn_max;		     /*!< OPLMNwACT entries per slot, 0..MI_MAX_OPLMN */
	int fplmn_max;		     /*!< FPLMN entries per slot, 0..MI_MAX_FPLMN */
	int profile_spares;	     /*!< spare profile places for compile --base */
	int forbid_unlisted;	     /*!< every slot not in a list is forbidden (fewer profiles) */
	char (*ignore)[RC_NAME_MAX]; /*!< sponsors whose rate rows are skipped */
	int n_ignore;
	struct mi_cfg cfg;
	mi_u16 size_cfg, size_slots, size_rules; /*!< declared EF sizes */
};

int rc_plan_load(const char *path, struct rc_plan *plan, rc_error_t *err);
void rc_plan_free(struct rc_plan *plan);
/*! From memory (tests); \a file names the source in errors. */
int rc_plan_parse(const char *file, const char *text, struct rc_plan *plan, rc_error_t *err);
/*! The FX rate of currency \a cur into the plan's currency on its valuation
 *  date (the newest $.fx entry not after it): micro-units, or -1 when none. */
int64_t rc_fx_rate(const struct rc_plan *plan, const char *cur);
/*! Index into plan->slots of slot number s, or -1. */
int rc_plan_slot(const struct rc_plan *plan, int s);

/* ---- choice ---------------------------------------------------------- */
/* Why a slot is forbidden at a PLMN (bits; explain prints each). */
#define RC_WHY_NO_RATE 0x01u
#define RC_WHY_COVERAGE 0x02u
#define RC_WHY_CEILING 0x04u
#define RC_WHY_OVERRIDE 0x08u
#define RC_WHY_LOCAL_ONLY 0x10u
#define RC_WHY_DISABLED 0x20u
#define RC_WHY_DEPTH 0x40u /* allowed but beyond pref_depth */

/* One slot at one PLMN P. Per network: a slot serves P only where its
 * sponsor prices P itself (P's row, or an MNC wildcard row of P's MCC);
 * the home slot without a rate is the last resort (docs/compiler.md,
 * "The choice"). */
struct rc_cell {
	const struct rc_rate *rate; /*!< the row pricing P (exact or wildcard); NULL: none */
	const struct rc_rate *via;  /*!< the row that ranks the slot in P's order: rate when
				       it may serve P (NULL: the home slot, unpriced);
				       when forbidden at P, its cheapest network of the
				       country (a candidate without service), or NULL */
	unsigned net;		    /*!< RC_WHY_* why the slot cannot use network P; 0 = it can */
	unsigned why;		    /*!< RC_WHY_* why it is not in P's order; 0 = allowed */
};

struct rc_plmn {
	struct mi_plmn plmn;
	mi_u32 key;
	struct rc_cell cell[MI_MAX_SLOTS]; /*!< indexed by slot number - 1 */
	struct mi_profile prof;
	int ovr_order;		      /*!< override whose order was pinned, -1 */
	int ovr_forbid[MI_MAX_SLOTS]; /*!< override that forbade slot, -1 */
	int rule;		      /*!< index of the rule that serves it, -1 = global */
	mi_u8 cand[MI_MAX_SLOTS];     /*!< forbidden here, usable elsewhere in the country:
					 candidates without service, by price (via) */
	mi_u8 n_cand;
};

struct rc_result {
	struct rc_plmn *plmn; /*!< sorted by key */
	size_t n_plmn;
	struct mi_profile prof[MI_PROFILES_MAX];
	int n_prof;
	int global;	      /*!< index of the global profile */
	int n_spares;	      /*!< trailing spare profiles (plan profile_spares) */
	struct mi_rule *rule; /*!< sorted by key */
	size_t n_rule;
	struct rc_plmn *mccdef; /*!< per MCC: what an MNC no input names gets */
	size_t n_mccdef;
	struct mi_slot slot[MI_MAX_SLOTS];
	int n_slot;
	int oplmn_dropped[MI_MAX_SLOTS], fplmn_dropped[MI_MAX_SLOTS];
	/* encoded files: header + body, no padding */
	mi_u8 cfg[MI_EF_CFG_SIZE];
	mi_u16 cfg_len;
	mi_u8 *slots_ef, *rules_ef;
	size_t slots_len, rules_len;
	mi_u32 set_id; /*!< the one set id of the three files (mi_ef.h version 2) */
};

/*! Convert prices to the reporting currency (FX), then choose. */
int rc_choose(const struct rc_plan *plan, struct rc_rates *rates, struct rc_result *res,
	      rc_error_t *err);
struct rc_set;
/*! Renumber the profiles so that those already in \a base keep their index
 *  and new ones take the places of profiles \a base has but no longer needs:
 *  a small change then rewrites few bytes (diff / OTA). Call after
 *  rc_choose, before rc_emit. */
int rc_rebase(struct rc_result *res, const struct rc_set *base, rc_error_t *err);
/*! Encode the three EFs and check the size budget. */
int rc_emit(const struct rc_plan *plan, struct rc_result *res, rc_error_t *err);
void rc_result_free(struct rc_result *res);

/*! Everything above in one go: load plan and sheets, choose, emit. */
int rc_build(const char *plan_path, char *const *rate_paths, int n_rates, struct rc_plan *plan,
	     struct rc_rates *rates, struct rc_result *res, rc_error_t *err);

/*! Evaluate one PLMN (any, listed or not): cells, order, profile. */
void rc_eval_plmn(const struct rc_plan *plan, const struct rc_rates *rates, const struct mi_plmn *p,
		  struct rc_plmn *out);
/*! The rule the card applies to \a p: index into res->rule, or -1 = global. */
int rc_lookup(const struct rc_result *res, const struct mi_plmn *p);
/*! rc_build, then rc_rebase on the set in \a base_dir when it is not NULL. */
int rc_build_base(const char *plan_path, char *const *rate_paths, int n_rates, const char *base_dir,
		  struct rc_plan *plan, struct rc_rates *rates, struct rc_result *res,
		  rc_error_t *err);
/*! The first slot of a profile's order that is not forbidden (the card's
 *  choice with service there), 0 if none. */
int rc_first_allowed(const struct mi_profile *p);
/*! The evaluation behind the MCC default of \a mcc (its order holds the
 *  candidates without service when no slot is priced there), or NULL. */
const struct rc_plmn *rc_mcc_default(const struct rc_result *res, mi_u16 mcc);
/*! The PLMN entry for an exact PLMN, or NULL. */
const struct rc_plmn *rc_find_plmn(const struct rc_result *res, const struct mi_plmn *p);

/* ---- outputs --------------------------------------------------------- */
/*! Write the EFs (.bin, .hex) and report.json into DIR atomically. */
int rc_write_dir(const char *dir, const struct rc_plan *plan, const struct rc_rates *rates,
		 const struct rc_result *res, rc_error_t *err);
/*! report.json as text (caller frees). */
char *rc_report_json(const struct rc_plan *plan, const struct rc_rates *rates,
		     const struct rc_result *res);
int rc_explain(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
	       const struct rc_result *res, const struct mi_plmn *p, int json);
int rc_report_html(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
		   const struct rc_result *res);

/* A compiled set read back from a directory. */
struct rc_set {
	mi_u8 *file[3]; /*!< cfg, slots, rules */
	size_t len[3];
	struct mi_ef_header hdr[3];
	struct mi_cfg cfg;
	struct mi_slot slot[MI_MAX_SLOTS];
	int n_slot;
	struct mi_profile prof[MI_PROFILES_MAX];
	int n_prof, global;
	struct mi_rule *rule;
	size_t n_rule;
};

int rc_set_load(const char *dir, struct rc_set *set, rc_error_t *err);
/*! Decode EF images already in memory (set->file/len filled). */
int rc_set_decode(struct rc_set *set, const char *what, rc_error_t *err);
void rc_set_free(struct rc_set *set);
int rc_decompile(FILE *out, const struct rc_set *set, int json);
/*! A byte range of a file to rewrite. */
struct rc_range {
	size_t off, len;
};
/*! The diff planner (loader, OTA): the byte ranges that turn \a a into \a b,
 *  two runs merged when fewer than 5 bytes (one UPDATE BINARY header) apart.
 *  \returns the number of ranges (at most \a cap written). */
size_t rc_diff_ranges(const mi_u8 *a, size_t na, const mi_u8 *b, size_t nb, struct rc_range *r,
		      size_t cap);
/*! \returns 0 same, 1 different (printed), -1 error. */
int rc_diff(FILE *out, const struct rc_set *a, const struct rc_set *b, int json);

/* ---- helpers --------------------------------------------------------- */
/*! Reasons as text: "no rate, over ceiling" (why = RC_WHY_* bits). */
void rc_why_text(unsigned why, char *out, size_t cap);
/*! One PLMN's evaluation as JSON (explain --json, report.json). */
struct json_t;
struct json_t *rc_plmn_json(const struct rc_plan *plan, const struct rc_result *res,
			    const struct rc_plmn *e);
/*! "213-*" for an MCC default key, "213-77" for an exact one. */
void rc_key_str(mi_u32 key, char out[8]);
/*! Profile as text: "order 2 > 1; forbidden none". */
void rc_prof_text(const struct mi_profile *p, char *out, size_t cap);
/*! Country name of an MCC (ITU-T E.212), or NULL. */
const char *rc_country(mi_u16 mcc);
/*! The MCCs of the country of \a mcc (Japan: 440, 441), ascending, at most
 *  \a cap; an MCC without a name is a country of its own. \returns count. */
int rc_country_mccs(mi_u16 mcc, mi_u16 *out, int cap);
#define RC_COUNTRY_MCCS 8 /* enough for any country (E.212: the US has 7) */
/*! 1 if this MCC's networks use 3-digit MNCs (E.212 list). */
int rc_mcc_mnc3(mi_u16 mcc);
/*! 1 if an ISO 4217 code we know. */
int rc_currency_known(const char *code);
/*! Parse "262-01" strictly (dash required). \returns 0 or -1 with why. */
int rc_plmn_text(const char *s, struct mi_plmn *p, char *why, size_t whylen);
void rc_plmn_str(const struct mi_plmn *p, char out[8]);
/*! Where a rate row applies: "213-77", or "213-*" for an MNC wildcard row. */
void rc_rate_where(const struct rc_rate *r, char out[8]);
void rc_hex(const mi_u8 *b, size_t n, char *out);
/*! snprintf that may cut (paths, labels): callers accept a cut string. */
void rc_fmt(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
char *rc_read_file(const char *path, size_t *len, rc_error_t *err);

#endif /* MIMSI_RC_H */
