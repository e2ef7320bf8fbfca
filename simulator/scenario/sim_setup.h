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

#endif /* MIMSI_SIM_SETUP_H */
