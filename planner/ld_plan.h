/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_plan.h
 *  The applet's files as a loader sees them (mi_ef.h): the six banks read
 *  from a card, which set is active (the core's one rule, mi_set_pick()),
 *  a compiled set loaded from a directory, and the write planner (A/B
 *  banks, byte-range diff, chunking, safe order). Shared by mimsi-card
 *  (host/) and the journey runner (simulator/scenario/), which write sets
 *  the same way; it depends on the applet core only.
 */
#ifndef MIMSI_LD_PLAN_H
#define MIMSI_LD_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "mimsi/mi_ef.h"
#include "ld_err.h"

#define LD_EF_MAX 32767u /* 15-bit READ/UPDATE BINARY offset (TS 102 221 §11.1.3) */
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

/*! A bank's header and CRC (mi_ef_check): sets check and hdr. */
void ld_bank_eval(struct ld_bank *b, uint8_t type);
/*! Every bank judged by the core's rule (mi_set_bank_check): check > 0 only
 *  when header, CRC and the body's own rules all pass, as on the card. */
void ld_image_eval(struct ld_image *img);
static inline int ld_bank_valid(const struct ld_bank *b)
{
	return b->present && b->data && b->check > 0;
}

/*! The active set by the applet's own rule (mi_set_pick(), mi_set.h): the
 *  highest seq for which every kind has a valid bank (header, CRC and
 *  contents) carrying it. \returns 1 and fills which[] (bank per kind) and
 *  *seq, or 0 when no complete set exists (the card is in safe mode). */
int ld_image_active(const struct ld_image *img, int which[LD_KINDS], uint32_t *seq);
/*! Highest seq of any bank whose header and CRC pass (0 when none). */
uint32_t ld_image_max_seq(const struct ld_image *img);

/*! Free the banks' buffers. */
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

#endif /* MIMSI_LD_PLAN_H */
