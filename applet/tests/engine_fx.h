/* SPDX-License-Identifier: Apache-2.0 */
/*! \file engine_fx.h
 *  Fixture for the engine tests: a card in the fake port with the USIM
 *  files, an EF set built with the mi_ef.h encoders, and helpers that play
 *  the terminal (TERMINAL PROFILE, FETCH, TERMINAL RESPONSE, ENVELOPEs).
 *
 *  The default set (seq 1, bank A) is the Andorra/Balkan example:
 *    slot 1 Own 262011234567890 home+bootstrap, keyset 1, OPLMN 262-01
 *    slot 2 Partner X 213770000000001, keyset 2, OPLMN 213-77, 213-78; FPLMN 213-03
 *    slot 3 Partner Y 213550000000001, keyset 3
 *    slot 4 Partner W 901280000000001, keyset 3
 *  rules: global [1,4] · MCC 213 [2,3,1] · 213-77 [2,1] forbid 3 ·
 *         213-55 [3,2] forbid 1 · MCC 262 [1] · 262-01 [1] forbid 2,3,4 ·
 *         MCC 276 [4,3] forbid 1
 */
#ifndef MIMSI_TESTS_ENGINE_FX_H
#define MIMSI_TESTS_ENGINE_FX_H

#include "fake_port.h"
#include "mimsi/mi_applet.h"

/* Terminal profiles (test-vectors/cat/tp_*.hex hold the same bytes). */
#define TP_FULL "2800806111000001"     /* REFRESH, menu, SELECT ITEM, PLI, events, timers */
#define TP_NO_TIMER "0800806111000000" /* no TIMER MANAGEMENT: STATUS polls are the clock */
#define TP_NO_REFRESH "2800006111000001"
#define TP_NO_MENU "2000804011000001" /* no SET UP MENU, no SELECT ITEM */

struct fx {
	struct mi_port port;
	struct mi_nv nv;
	struct mi_ram ram;
	struct mi_applet a;
	mi_u8 last[256]; /* the last command fetched */
	mi_u16 last_len;
	mi_u32 t_now;	 /* the terminal's clock, seconds */
	mi_u32 t_exp[9]; /* terminal timers 1..8: t_now at expiry, 0 = stopped */
};

struct fx_set {
	struct mi_cfg cfg;
	struct mi_slot slot[MI_MAX_SLOTS];
	int n_slots;
	struct mi_profile prof[16];
	int n_prof;
	mi_u8 global;
	struct mi_rule rule[16];
	int n_rules;
};

/*! The default set described above (cfg = defaults). */
void fx_default_set(struct fx_set *s);
/*! Encode \a s as bank \a bank (0 A, 1 B) with \a seq. */
void fx_write_set(struct fx *x, const struct fx_set *s, int bank, mi_u32 seq);
/*! A fresh card: USIM files (EF_IMSI = slot 1) and \a s in bank A, seq 1. */
void fx_card(struct fx *x, const struct fx_set *s);
/*! install + reset + TERMINAL PROFILE \a tp_hex; answers the start-up
 *  commands with OK until none is pending. */
void fx_boot(struct fx *x, const char *tp_hex);

void fx_hex(const char *hex, mi_u8 *out, mi_u16 *len);
/*! Fetch the pending command into x->last. \returns its length (0: none). */
mi_u16 fx_fetch(struct fx *x);
/*! Fetch and compare with test-vectors/cat/NAME.hex. */
void fx_expect(struct fx *x, const char *name);
/*! TERMINAL RESPONSE to x->last with \a result (and extra TLV hex, may be ""). */
int fx_tr(struct fx *x, mi_u8 result, const char *extra_hex);
/*! Answer every pending command with OK. \returns how many. */
int fx_drain(struct fx *x);
/*! EVENT DOWNLOAD location status; \a plmn_hex is the 3-byte PLMN or NULL. */
int fx_loc(struct fx *x, mi_u8 status, const char *plmn_hex);
/*! TIMER EXPIRATION for timer \a id. */
int fx_timer(struct fx *x, mi_u8 id);
/*! Let \a seconds pass: STATUS polls or timer expiries, whichever the
 *  terminal profile gave; TIMER MANAGEMENT commands are answered OK on the
 *  way. Stops early when another command is pending (left for the test).
 *  \returns the seconds that passed. */
mi_u32 fx_wait(struct fx *x, mi_u32 seconds);
/*! Feed a hex file from test-vectors/cat/ as ENVELOPE or TERMINAL RESPONSE. */
int fx_env_file(struct fx *x, const char *name);
int fx_tr_file(struct fx *x, const char *name);

/* State snapshots for "no state change" checks. */
struct fx_snap {
	struct mi_nv nv;
	struct mi_ram ram;
	unsigned commits, sends;
	mi_u16 cmd_len;
};
void fx_snap(const struct fx *x, struct fx_snap *s);
void fx_same(const struct fx *x, const struct fx_snap *s);

#endif /* MIMSI_TESTS_ENGINE_FX_H */
