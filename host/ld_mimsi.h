/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_mimsi.h
 *  The applet's files on a card (mi_ef.h): reading the six banks, finding the
 *  active set, loading a compiled set from a directory, and the write
 *  planner (A/B banks, byte-range diff, chunking, safe order).
 */
#ifndef MIMSI_LD_MIMSI_H
#define MIMSI_LD_MIMSI_H

#include <stddef.h>
#include <stdint.h>

#include "mimsi/mi_ef.h"
#include "ld_card.h"

#define LD_KINDS 3u /* CFG, SLOTS, RULES (set order of mi_ef.h) */
enum ld_kind { LD_CFG = 0, LD_SLOTS = 1, LD_RULES = 2 };

extern const uint16_t ld_bank_fid[LD_KINDS][2]; /* [kind][A=0/B=1] */
extern const uint8_t ld_kind_type[LD_KINDS];
extern const char *const ld_kind_name[LD_KINDS];

struct ld_bank {
	uint16_t fid;
	int present;               /*!< SELECT answered 9000 */
	uint32_t size;             /*!< EF size (FCP tag 80) */
	uint8_t *data;             /*!< size bytes (read_len of them read), or NULL */
	uint32_t read_len;         /*!< bytes read from offset 0; the rest is unknown */
	int check;                 /*!< mi_ef_check() result (> 0: valid) */
	struct mi_ef_header hdr;
};

struct ld_image {
	int df_present;
	struct ld_bank bank[LD_KINDS][2];
	struct ld_bank state;
};

/*! Evaluate a bank's content with mi_ef_check (sets check and hdr). */
void ld_bank_eval(struct ld_bank *b, uint8_t type);
static inline int ld_bank_valid(const struct ld_bank *b)
{
	return b->present && b->data && b->check > 0;
}

/*! The applet's rule (mi_ef.h "A/B activation"): the highest seq for which
 *  every kind has a valid bank carrying it. \returns 1 and fills which[]
 *  (bank per kind) and *seq, or 0 when no complete set exists. */
int ld_image_active(const struct ld_image *img, int which[LD_KINDS], uint32_t *seq);
/*! Highest seq of any valid bank (0 when none). */
uint32_t ld_image_max_seq(const struct ld_image *img);

/*! SELECT DF.MIMSI and read every bank (and STATE): each bank's header,
 *  then its body, nothing beyond. Absent files are marked, not errors. */
int ld_image_read(struct ld_card *c, struct ld_image *img);
/*! The same, reading at least want[kind] bytes of each bank (the length of
 *  the file about to be written there, for the diff). */
int ld_image_read_want(struct ld_card *c, struct ld_image *img, const uint16_t want[LD_KINDS]);
void ld_image_free(struct ld_image *img);

/* ---- a compiled set --------------------------------------------------- */
struct ld_set {
	uint8_t *file[LD_KINDS];
	uint16_t len[LD_KINDS];
};

/*! Load DIR/ef_cfg.bin, ef_slots.bin, ef_rules.bin (each checked with
 *  mi_ef_check). */
int ld_set_load_dir(const char *dir, struct ld_set *s, char *err, size_t err_len);
/*! Replace the IMSI of slot \a slot (1..10) in the SLOTS file, resealed. */
int ld_set_patch_imsi(struct ld_set *s, unsigned slot, const char *imsi, char *err,
		      size_t err_len);
void ld_set_free(struct ld_set *s);

/* ---- the write plan ---------------------------------------------------- */
#define LD_MERGE_GAP 8u /* equal bytes cheaper to resend than a new APDU */

struct ld_update {
	uint16_t fid;
	uint16_t off;
	uint16_t len;
	const uint8_t *data; /*!< points into the plan's sealed file */
};

struct ld_plan {
	int identical;          /*!< the active set already has these bodies */
	int has_active;
	uint32_t active_seq;
	uint32_t new_seq;
	int target[LD_KINDS];   /*!< bank written per kind (0 = A, 1 = B) */
	uint8_t *file[LD_KINDS];/*!< sealed new files (seq = new_seq) */
	uint16_t len[LD_KINDS];
	struct ld_update *upd;
	size_t n_upd;
	size_t bytes;           /*!< data bytes in the updates */
	int missing;            /*!< target banks absent on the card (need --create) */
};

/*! Plan the write of \a set onto a card whose files are \a img: the target
 *  banks are those not holding the active set; seq = highest valid seq + 1
 *  (so a bank left over from an interrupted write can never complete a
 *  set); only differing byte ranges, chunked at \a max_chunk; files in the
 *  order RULES, SLOTS, CFG, each file's header chunk last. An absent target
 *  bank is planned as if it were empty (all FF) and counted in missing. */
int ld_plan_make(const struct ld_image *img, const struct ld_set *set, unsigned max_chunk,
		 struct ld_plan *plan, char *err, size_t err_len);
void ld_plan_free(struct ld_plan *plan);

#endif /* MIMSI_LD_MIMSI_H */
