/* SPDX-License-Identifier: Apache-2.0 */
/*! \file st.h
 *  mimsi-stock: the operator's inventory of sponsor IMSIs and eSIM profiles
 *  on one SQLite file (docs/stock.md). Every function takes the context, runs
 *  prepared statements only, and reports the first error in c->err with the
 *  st_rc that picks the exit code. Functions that change the database run in
 *  one BEGIN IMMEDIATE transaction each (st_begin / st_end): two processes
 *  never hand out the same IMSI or ICCID, and a crash leaves nothing half made.
 *
 *  IMSI states (the OTA swap planner builds on them):
 *    available -> embedded            generate, or embed from a dynamic pool
 *    available|hold -> reserved       reserve (the planner's OTA swap in flight)
 *    reserved -> embedded             commit (on the PoR); release undoes reserve
 *    embedded -> hold                 dispose, swap, unembed (days per MCC)
 *    hold -> available | eol          when the hold ends (batch policy)
 *    available -> eol                 batch cancel
 *    eol -> removed                   batch remove (only when all are eol)
 *  Profile states: available -> assigned -> disposed (never reused).
 */
#ifndef MIMSI_ST_H
#define MIMSI_ST_H

#include "mimsi_build.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <sqlite3.h>

#include "mc_ids.h"

#define ST_VERSION MIMSI_VERSION /* one version for every tool: mk/version.mk */
#define ST_MAX_POSITIONS 10 /* IMSIs per profile, as the applet's slots */

enum st_rc {
	ST_OK = 0,
	ST_E_USAGE = -1,     /*!< bad command line (EX_USAGE) */
	ST_E_DATA = -2,	     /*!< bad input data (EX_DATAERR) */
	ST_E_NOINPUT = -3,   /*!< input file missing (EX_NOINPUT) */
	ST_E_CANTCREAT = -4, /*!< output not writable (EX_CANTCREAT) */
	ST_E_DB = -5,	     /*!< database error (EX_IOERR) */
	ST_E_STATE = -6,     /*!< refused in this state (EX_NOPERM) */
	ST_E_NOTFOUND = -7,  /*!< no such name (EX_DATAERR) */
	ST_E_EMPTY = -8,     /*!< not enough stock (EX_UNAVAILABLE) */
	ST_E_KEY = -9,	     /*!< transport key missing or wrong (EX_CONFIG) */
	ST_E_BUSY = -10,     /*!< database locked past the busy timeout (EX_TEMPFAIL) */
	ST_E_SOFTWARE = -11, /*!< internal (EX_SOFTWARE) */
	ST_E_COMPILER = -12  /*!< mimsi-compile failed or missing (EX_UNAVAILABLE) */
};

struct st_err {
	char text[1024]; /*!< "" = no error */
	int rc;
};

struct st_ctx {
	sqlite3 *db;
	const char *path;
	int64_t at;	/*!< --at, seconds since the epoch (UTC) */
	int json;	/*!< --json */
	int busy_ms;	/*!< busy timeout */
	FILE *out;	/*!< data output (stdout) */
	struct st_err err;
};

/* ---- errors ---------------------------------------------------------- */
/*! Record the first error; \returns rc. */
int st_fail(struct st_ctx *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*! SQLite's error, with what was being done; \returns ST_E_DB or ST_E_BUSY. */
int st_fail_db(struct st_ctx *c, const char *what);
int st_exit_code(int rc);

/*! A command's result: \a j as JSON with --json, else the text (the
 *  format's arguments). Takes the reference of \a j. */
void st_result(struct st_ctx *c, json_t *j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- database (st_db.c) ---------------------------------------------- */
/*! Open (creating when \a create), WAL, foreign keys, busy timeout, migrate. */
int st_open(struct st_ctx *c, const char *path, int create);
void st_close(struct st_ctx *c);
/*! BEGIN IMMEDIATE, then end holds due at c->at (st_sweep). */
int st_begin(struct st_ctx *c);
/*! COMMIT when rc == ST_OK, else ROLLBACK; \returns rc (or a commit error). */
int st_end(struct st_ctx *c, int rc);
/*! The current schema version (PRAGMA user_version). */
int st_schema_version(struct st_ctx *c);
int st_schema_latest(void);

/* Prepared statements with bound values. fmt has one letter per '?':
 * 'i' int64_t, 'd' int, 't' const char * (NULL binds NULL), 'b' blob (const
 * void *, int len), 'n' NULL. */
sqlite3_stmt *st_prep(struct st_ctx *c, const char *sql, const char *fmt, ...);
/*! Run a statement returning no rows. \returns rows changed, or <0. */
int st_run(struct st_ctx *c, const char *sql, const char *fmt, ...);
/*! First column of the first row as int64. \returns 1 found, 0 none, <0. */
int st_get_i64(struct st_ctx *c, int64_t *out, const char *sql, const char *fmt, ...);
/*! Id of a named row in \a table (sponsor, batch, ...), or an error naming it. */
int st_id(struct st_ctx *c, const char *table, const char *kind, const char *name, int64_t *id);

/* ---- time (st_time.c) ------------------------------------------------ */
/*! "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC) or "now". \returns 0 or -1. */
int st_time_parse(const char *s, int64_t *t);
/*! ISO 8601 UTC: "2026-04-30T00:00:00Z" (or the date only when midnight and \a short_form). */
void st_time_format(int64_t t, char *out, size_t cap);

/* ---- identifiers (st_ids.c) ------------------------------------------ */
/* The digit, IMSI, ICCID and Luhn checks are the host tools' one set,
 * mc_ids.h. */
/*! Parse "MCC-MNC" ("213-77", "302-777"). \returns 0 or -1. */
int st_plmn_parse(const char *s, char mcc[4], char mnc[4]);

/* ---- keys (st_crypto.c) ---------------------------------------------- */
struct st_key {
	unsigned char k[32];
	int len; /*!< 16, 24 or 32 */
	char label[96];
	char kcv[7]; /*!< key check value: first 3 bytes of AES-ECB(key, 0^128), hex */
	int64_t id;  /*!< transport_key row */
	void *ctx[4]; /*!< OpenSSL contexts, set up once per key (st_crypto.c) */
};
/*! Load from a file of hex digits (comments '#'); the path comes from
 *  \a path, else the environment MIMSI_STOCK_KEY_FILE. Never prints the key. */
int st_key_load(struct st_ctx *c, const char *path, const char *label, struct st_key *key);
/*! Record the key's label and KCV (or check them against the recorded ones). */
int st_key_register(struct st_ctx *c, struct st_key *key);
void st_key_wipe(struct st_key *key);
/*! AES key wrap, RFC 3394 (len a multiple of 8, >= 16): out gets len + 8 bytes. */
int st_wrap(const struct st_key *key, const unsigned char *in, int len, unsigned char *out);
int st_unwrap(const struct st_key *key, const unsigned char *in, int len, unsigned char *out);
/*! AES key wrap with padding, RFC 5649 (any len 1..64): out gets (len+7)/8*8 + 8. */
int st_wrap_pad(const struct st_key *key, const unsigned char *in, int len, unsigned char *out);
/*! \returns the plaintext length, or -1. */
int st_unwrap_pad(const struct st_key *key, const unsigned char *in, int len, unsigned char *out);
/*! Random bytes from OpenSSL's CSPRNG. */
int st_random(unsigned char *out, int len);
/*! n random decimal digits (no modulo bias), NUL-terminated. */
int st_random_digits(char *out, size_t n);
void st_hex(const unsigned char *in, size_t len, char *out);
int st_hex_decode(const char *in, unsigned char *out, size_t cap);

/* ---- inventory (st_inv.c) -------------------------------------------- */
int st_sponsor_add(struct st_ctx *c, const char *name, char **plmns, int n_plmns);
struct st_batch_import {
	const char *name, *sponsor, *policy; /* policy "recycle" | "eol" */
	const char *first, *last;	     /* a range, or */
	const char *csv;		     /* a CSV with a header: imsi[,k,opc] */
	const struct st_key *key;	     /* needed when the CSV has K/OPc */
};
int st_batch_import(struct st_ctx *c, const struct st_batch_import *b);
int st_batch_policy(struct st_ctx *c, const char *name, const char *policy);
int st_batch_cancel(struct st_ctx *c, const char *name);
int st_batch_remove(struct st_ctx *c, const char *name);
int st_hold_set(struct st_ctx *c, const char *mcc, int64_t days);
int st_product_add(struct st_ctx *c, const char *name, const char *coverage);
int st_pool_create(struct st_ctx *c, const char *name, const char *iccid_range, const char *plan,
		   char **rates, int n_rates);
int st_pool_link(struct st_ctx *c, const char *pool, const char *product, int64_t priority, int unlink);
int st_ipool_create(struct st_ctx *c, const char *name);
int st_ipool_link(struct st_ctx *c, const char *pool, const char *product, int unlink);
int st_ipool_add(struct st_ctx *c, const char *pool, const char *batch, int64_t count);
int st_threshold_set(struct st_ctx *c, const char *kind, const char *name, int64_t profiles,
		     int64_t imsis);
/*! Lists as JSON (sponsors, batches, pools, products, ipools, holds). */
int st_list(struct st_ctx *c, const char *what, json_t **out);

/* ---- generate (st_gen.c) --------------------------------------------- */
struct st_gen_opts {
	const char *pool;
	char **batches; /* position i+1 from batches[i] */
	int k;
	int64_t count;
	const char *out_dir;
	const char *compiler; /* mimsi-compile, or NULL: $MIMSI_COMPILE, beside argv[0], PATH */
	int cards;	      /* also the mimsi-card batch CSV (ADM in clear, mode 0600) */
	const struct st_key *key;
};
struct st_gen_result {
	int64_t generation, count;
	char iccid_first[24], iccid_last[24];
	char smdp[600], perso[600], cards[600], rules_dir[600];
	char rules_sha256[65];
};
int st_generate(struct st_ctx *c, const struct st_gen_opts *o, struct st_gen_result *r);
/*! Write the outputs of an existing generation again (after a crash between
 *  COMMIT and the renames, or to re-send). */
int st_export(struct st_ctx *c, int64_t generation, const char *out_dir, int cards,
	      const struct st_key *key, struct st_gen_result *r);
/*! The applet's rule set of a generation: the three EF files mimsi-compile
 *  writes (docs/ef-format.md), and the SHA-256 over them in that order. */
struct st_rules {
	unsigned char *ef[3]; /*!< ef_cfg, ef_slots, ef_rules; NULL = no rule set */
	size_t len[3];
	char sha256[65];
};
extern const char *const st_ef_names[3];
/*! Compile the pool's plan and rate sheets with mimsi-compile, the coverage
 *  narrowed to the pool's products (st_rules.c). \a sponsors[i] is the
 *  sponsor of position i + 1, which must match the plan's slot i + 1. */
int st_rules_build(struct st_ctx *c, int64_t pool_id, char **sponsors, int k,
		   const char *compiler, struct st_rules *out);
void st_rules_free(struct st_rules *r);

/* ---- lifecycle (st_life.c) ------------------------------------------- */
/*! End the holds due at c->at: to available (recycle) or eol. \returns count or <0. */
int st_sweep(struct st_ctx *c, int64_t *to_available, int64_t *to_eol);
/*! Assign a profile to an account: by ICCID, or the first available of the
 *  product's pools by priority, or of one pool. \a iccid_out gets the ICCID. */
int st_assign(struct st_ctx *c, const char *account, const char *iccid, const char *product,
	      const char *pool, char iccid_out[24]);
/*! Dispose profiles (one transaction for all): assignment closed, IMSIs on hold. */
int st_dispose(struct st_ctx *c, char **iccids, int n);
/*! Dispose the account's profile (\a old, or its only one) and assign a new one. */
int st_swap(struct st_ctx *c, const char *account, const char *old, const char *iccid,
	    const char *product, const char *pool, char iccid_out[24]);
/*! Reserve an IMSI of a dynamic pool for position \a pos of a profile: an IMSI
 *  of that pool on hold for the profile's account first (use case 2.5: the
 *  same subscriber gets its IMSI back), else the lowest available one. */
int st_reserve(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char imsi_out[16]);
/*! reserve + commit in one transaction (no OTA round trip to wait for). */
int st_embed(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char imsi_out[16]);
/*! The PoR arrived: reserved -> embedded, the position's old IMSI -> hold. */
int st_commit(struct st_ctx *c, const char *iccid, int pos);
/*! The OTA swap failed: the reserved IMSI goes back (hold or available). */
int st_release(struct st_ctx *c, const char *iccid, int pos);
/*! Take position \a pos's IMSI out of the profile (-> hold). */
int st_unembed(struct st_ctx *c, const char *iccid, int pos);

/* ---- reports (st_report.c) ------------------------------------------- */
/*! Stock per sponsor and per product with thresholds. \a alerts gets how many
 *  figures are below their threshold. */
int st_stock(struct st_ctx *c, json_t **out, int *alerts);
/*! Who had the IMSI at c->at (history: every embedding). */
int st_audit(struct st_ctx *c, const char *imsi, int history, json_t **out);
/*! A profile: state, account, key label, wrapped keys, IMSIs and sponsors. */
int st_show(struct st_ctx *c, const char *iccid, json_t **out);

#endif /* MIMSI_ST_H */
