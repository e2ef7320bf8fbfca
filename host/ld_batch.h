/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_batch.h
 *  `batch CSV --dir DIR`: program cards one per insertion. The CSV names each
 *  card by ICCID with its ADM, IMSI slots and optional K/OPc; a result log
 *  (CSV, or JSON lines when it ends in .json) makes the run resumable.
 */
#ifndef MIMSI_LD_BATCH_H
#define MIMSI_LD_BATCH_H

#include <stddef.h>

#include "ld_card.h"
#include "ld_keys.h"
#include "ld_write.h"

#define LD_BATCH_SLOTS 10u

struct ld_batch_row {
	char iccid[24];
	uint8_t adm[8];
	int has_adm;
	char imsi[LD_BATCH_SLOTS][16]; /*!< "" = keep the compiled IMSI */
	int has_keys;                  /*!< K/OPc columns filled (never printed) */
	struct ld_slot_keys keys;      /*!< kN/opcN: key set N into the key store */
	int done;                      /*!< in the log as ok (checked again on insertion) */
	uint32_t done_seq;             /*!< the set seq the log recorded for it */
};

struct ld_batch {
	struct ld_batch_row *rows;
	size_t n_rows;
};

/*! Parse the CSV (header line names the columns: iccid, adm, imsi1..imsi10,
 *  k1.., opc1..; '#' lines are comments). */
int ld_batch_load(const char *path, struct ld_batch *b, char *err, size_t err_len);
/*! Mark rows whose ICCID the log records as ok (its last line for the card),
 *  with the set seq written. \returns how many. */
int ld_batch_resume(struct ld_batch *b, const char *log_path);
void ld_batch_free(struct ld_batch *b);

struct ld_batch_opts {
	const char *dir;        /*!< compiled set */
	const char *log_path;   /*!< result log (append) */
	unsigned timeout_s;     /*!< wait for the next card; 0 = forever */
	unsigned max_cards;     /*!< stop after this many insertions; 0 = no limit */
	int json;               /*!< log as JSON lines */
	struct ld_write_opts wopts;
};

struct ld_batch_stats {
	unsigned done, failed, refused, skipped, remaining;
};

/*! Run the batch loop on the card session. \returns LD_OK when every row
 *  is done, LD_ERR_TIMEOUT when it stopped waiting with rows left. */
int ld_batch_run(struct ld_card *c, struct ld_batch *b, const struct ld_batch_opts *o,
		 struct ld_batch_stats *st);

#endif /* MIMSI_LD_BATCH_H */
