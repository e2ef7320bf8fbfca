/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_nv.h
 *  The simulated card's non-volatile memory: a set of byte objects (EF
 *  contents, the active key-set byte, the applet's persistent state, the
 *  transaction journal). Every write to any of them goes through
 *  sim_nv_write(), which counts writes and can cut the power before write N
 *  or inside it (only a prefix of the bytes lands): tear injection.
 *
 *  Journal (used by the port's transactions, see mi_port.h):
 *    1. the staged entries + CRC-32 are written to the journal object,
 *    2. the one-byte commit flag is set (a single byte cannot be torn),
 *    3. each entry is applied to its object,
 *    4. the commit flag is cleared.
 *  sim_nv_recover() at power-up re-applies a committed journal (idempotent)
 *  and ignores an uncommitted one: all of a transaction, or nothing.
 */
#ifndef MIMSI_SIM_NV_H
#define MIMSI_SIM_NV_H

#include <stddef.h>
#include <stdint.h>

#define SIM_NV_MAX_OBJ 160u
#define SIM_NV_OBJ_KEYSET 0u    /*!< 1 byte: active key-set reference */
/* object 1 is reserved; the applet's state is its own EF (EF.MI_STATE) */
#define SIM_NV_OBJ_JOURNAL 2u   /*!< journal body */
#define SIM_NV_OBJ_JFLAG 3u     /*!< 1 byte commit flag */
#define SIM_NV_OBJ_FIRST_FILE 4u
#define SIM_NV_JOURNAL_SIZE 12288u
#define SIM_NV_JFLAG_COMMITTED 0xA5u
#define SIM_NV_LOG 1024u /* lengths of the first writes after tear_arm (tests) */

struct sim_nv_obj {
	uint8_t *data; /*!< NULL: object unused */
	uint16_t size;
};

struct sim_nv {
	struct sim_nv_obj obj[SIM_NV_MAX_OBJ];
	uint32_t writes;    /*!< NV writes since the counter was reset */
	uint32_t tear_at;   /*!< cut at this write index (1-based); 0 = never */
	uint16_t tear_keep; /*!< bytes of the cut write that still land */
	uint8_t torn;       /*!< power was cut: every later write is lost */
	uint16_t wlen[SIM_NV_LOG]; /*!< length of write n+1 since the counter reset */
	/* write capture (sim_nv_capture_begin): the RAM view changes at once,
	 * the NV only at commit, through the journal */
	uint8_t *cap_redo;  /*!< journal body being built */
	uint8_t *cap_undo;  /*!< before-images: {obj off len bytes} */
	size_t cap_redo_len, cap_undo_len;
	uint16_t cap_n;
	uint8_t cap_on;
};

void sim_nv_init(struct sim_nv *nv);
void sim_nv_free(struct sim_nv *nv);
/*! Allocate object \a id of \a size bytes filled with \a fill.
 *  \returns 0 or -1 (no memory, id in use or out of range). */
int sim_nv_alloc(struct sim_nv *nv, unsigned id, uint16_t size, uint8_t fill);
/*! \returns a free file object id, or -1. */
int sim_nv_alloc_file(struct sim_nv *nv, uint16_t size, uint8_t fill);
void sim_nv_release(struct sim_nv *nv, unsigned id);
/*! One NV write (the only way anything persistent changes).
 *  \returns 0, or -1 if the range is bad or the power was cut. */
int sim_nv_write(struct sim_nv *nv, unsigned id, uint16_t off, const uint8_t *src, uint16_t len);
/*! Arm tear injection: cut the power at write number \a at (counted from
 *  the next sim_nv_tear_arm call), letting \a keep bytes of it land
 *  (0 = before the write). at = 0 disarms. Resets the write counter. */
void sim_nv_tear_arm(struct sim_nv *nv, uint32_t at, uint16_t keep);
/*! Power-up after a cut: clear the torn flag, finish or drop the journal.
 *  \returns 1 if a committed transaction was replayed, 0 otherwise. */
int sim_nv_recover(struct sim_nv *nv);
/*! Apply a serialized journal body (used by recovery and commit). */
int sim_nv_journal_apply(struct sim_nv *nv, const uint8_t *body, size_t len);
/*! \returns 1 if \a body holds a complete journal with a valid CRC. */
int sim_nv_journal_valid(const uint8_t *body, size_t len, size_t *used);

/*! Capture every following write: a card OS operation made of many writes
 *  (an OTA script) lands all at once at sim_nv_capture_commit(), or not at
 *  all. Reads see the captured writes. \returns 0 or -1 (no memory, or a
 *  capture already open). A captured write past SIM_NV_JOURNAL_SIZE fails. */
int sim_nv_capture_begin(struct sim_nv *nv);
/*! Write the captured writes as one journaled transaction (journal, commit
 *  flag, apply, clear flag: see above). \returns 0, or -1 if the power was
 *  cut (recovery then keeps all of it or none). */
int sim_nv_capture_commit(struct sim_nv *nv);
/*! Forget the captured writes: the NV is as before sim_nv_capture_begin(). */
void sim_nv_capture_abort(struct sim_nv *nv);

#endif /* MIMSI_SIM_NV_H */
