/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_setup.h
 *  Before a journey: write its compiled rule set (optionally in naive
 *  mode) into the card through ADM APDUs, and learn the slot table.
 */
#ifndef MIMSI_SIM_SETUP_H
#define MIMSI_SIM_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "sim_card.h"

#define SIM_SLOTS_MAX 10

struct sim_slot_info {
	int slot;
	int keyset;
	int flags; /* MI_SLOT_F_* */
	char imsi[16];
};

struct sim_slot_map {
	int n;
	struct sim_slot_info slot[SIM_SLOTS_MAX];
};

/* \a mode of sim_setup_card: flags changed in the CFG written. */
#define SIM_SETUP_NAIVE 1	/* set MI_CFG_F_NAIVE: plain round robin */
#define SIM_SETUP_NO_FAILOVER 2 /* clear MI_CFG_F_FAILOVER: rules-driven rotation only */

/*! \a rules_dir may be NULL/empty (keep the card's set; with a \a mode the
 *  active set is re-written with its flags changed). \returns 0 or -1 (err). */
int sim_setup_card(struct sim_card *c, const char *rules_dir, int mode, const char *adm,
		   struct sim_slot_map *map, char *err, size_t err_len);

/*! During a journey: write the compiled set in \a dir into the running card
 *  (sim_card_write_set) and add its slots to \a map (IMSIs not yet there).
 *  \returns 0 or -1 (err). */
int sim_setup_write_set(struct sim_card *c, const char *dir, struct sim_slot_map *map, char *err,
			size_t err_len);

#define SIM_SETUP_PATH_MAX 512
/*! The set the applet uses now (the core's rule, as a loader judges the
 *  banks), seen past the access rules: an observation for the runner, never
 *  an APDU. \a map gets its slots, \a bank the bank of its SLOTS file (0 =
 *  A), and \a dir (when not NULL) its three files. \returns 1, 0 when the
 *  card has no complete set (safe mode), -1 on an error. */
int sim_setup_active_set(const struct sim_card *c, struct sim_slot_map *map, int *bank, const char *dir);
/*! The set in \a base with the IMSI of slot i + 1 replaced by \a imsi[i]
 *  (an empty string keeps it), every file sealed with seq + \a seq_step
 *  (1: what an OTA slot replacement writes), into \a dir (created). */
int sim_setup_set_imsis(const char *base, int n, const char (*imsi)[16], unsigned seq_step, const char *dir,
			char *err, size_t err_len);

#endif /* MIMSI_SIM_SETUP_H */
