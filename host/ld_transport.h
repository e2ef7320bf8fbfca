/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_transport.h
 *  mimsi-card transports behind one operations table: PC/SC (pcsc-lite),
 *  NFC (libnfc, optional) and the in-process simulator. transmit() follows
 *  the SCardTransmit length contract: capacity in, actual out, 0 on error,
 *  LD_ERR_BUFFER when the response does not fit.
 */
#ifndef MIMSI_LD_TRANSPORT_H
#define MIMSI_LD_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ld_err.h" /* the loader errors, shared with the planner (planner/) */


const char *ld_strerror(int err);
/*! The sysexits.h code mimsi-card exits with for \a err. */
int ld_sysexit(int err);

#define LD_ATR_MAX 33u
#define LD_RESP_MAX 258u /* 256 data + SW1 SW2 */

struct ld_transport_ops {
	const char *name;
	/*! Connect to the reader/device chosen by \a spec (transport-specific). */
	int (*open)(void **ctx, const char *spec, char *err, size_t err_len);
	/*! Cold reset; ATR out (capacity in, actual out). */
	int (*reset)(void *ctx, uint8_t *atr, size_t *atr_len);
	/*! ATR of the card now in the reader. */
	int (*atr)(void *ctx, uint8_t *atr, size_t *atr_len);
	int (*transmit)(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			size_t *resp_len);
	/*! Wait until a card is present (\a present = 1) or absent (0);
	 *  timeout_ms 0 = forever. LD_ERR_TIMEOUT when it does not happen. */
	int (*wait_card)(void *ctx, int present, unsigned timeout_ms);
	/*! Reconnect after a new insertion (power up, read the ATR). */
	int (*reconnect)(void *ctx);
	/*! Reader name for messages. */
	const char *(*reader_name)(void *ctx);
	/*! Last transport error text (never a secret). */
	const char *(*last_error)(void *ctx);
	void (*close)(void *ctx);
	/*! Optional (NULL: not needed). Exclusive access to the card for a
	 *  VERIFY ADM -> UPDATE -> read-back sequence, so no other program can
	 *  use the verified ADM state or interleave commands. */
	int (*begin)(void *ctx);
	int (*end)(void *ctx);
	/*! Optional: make what was written durable (the simulator saves its
	 *  image file). \returns LD_OK or LD_ERR_IO with last_error set. */
	int (*commit)(void *ctx);
	/*! Optional: how many readers the -r selection matched (1 when NULL). */
	size_t (*matches)(void *ctx);
};

struct ld_transport {
	const struct ld_transport_ops *ops;
	void *ctx;
};

extern const struct ld_transport_ops ld_pcsc_ops;
extern const struct ld_transport_ops ld_sim_ops;
#ifdef HAVE_LIBNFC
extern const struct ld_transport_ops ld_nfc_ops;
#endif

/*! Open the transport \a reader names: "nfc:[N|name]" (libnfc), "sim:[IMAGE]"
 *  (in-process simulator, default card when empty), anything else PC/SC by
 *  index or name substring (NULL = first reader with a card, else reader 0). */
int ld_transport_open(struct ld_transport *t, const char *reader, char *err, size_t err_len);
void ld_transport_close(struct ld_transport *t);

/*! The optional operations; a transport without them succeeds. */
int ld_transport_begin(struct ld_transport *t);
int ld_transport_end(struct ld_transport *t);
int ld_transport_commit(struct ld_transport *t);
size_t ld_transport_matches(struct ld_transport *t);

/*! Print readers (PC/SC, and libnfc devices when built with it) whose name
 *  contains \a filter (NULL: all); as JSON (jansson) when \a json. */
int ld_list_readers(const char *filter, int json);

/* ---- in-process simulator extras (tests, tear simulation) -------------- */
struct sim_card;
/*! Wrap an existing simulated card (not freed on close). */
int ld_sim_attach(struct ld_transport *t, struct sim_card *card);
/*! After \a n more commands the connection drops: later transmits fail with
 *  LD_ERR_REMOVED until ld_sim_reinsert(). n < 0 disables the cut. */
void ld_sim_cut_after(struct ld_transport *t, long n);
/*! Power-cycle the card and clear the cut (a re-insertion). */
int ld_sim_reinsert(struct ld_transport *t);
/*! Commands delivered to the card since open. */
unsigned long ld_sim_commands(const struct ld_transport *t);

#endif /* MIMSI_LD_TRANSPORT_H */
