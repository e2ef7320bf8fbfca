/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_fake.h
 *  A transport that replays a recorded transcript (test-vectors/apdu/
 *  host-*.apdu): each line "CMD -> RESP" (hex; XX in CMD matches any byte,
 *  e.g. a masked ADM; RESP "!removed" drops the card); "ATR hex" sets the
 *  ATR; '#' starts a comment. Every command sent must equal the next line.
 */
#ifndef MIMSI_LD_FAKE_H
#define MIMSI_LD_FAKE_H

#include <stddef.h>

#include "ld_transport.h"

int ld_fake_open(struct ld_transport *t, const char *path);
/*! Lines not consumed yet. */
size_t ld_fake_left(const struct ld_transport *t);
/*! 0, or the transcript line of the first command that did not match. */
unsigned ld_fake_mismatch(const struct ld_transport *t);
/*! Text of the first mismatch (expected vs sent). */
const char *ld_fake_why(const struct ld_transport *t);

/*! Exclusive transactions begun, VERIFY-with-data and UPDATE BINARY
 *  commands sent outside one, and whether one is still open. */
void ld_fake_txn(const struct ld_transport *t, unsigned *txns, unsigned *writes_outside,
		 int *open_now);

#endif /* MIMSI_LD_FAKE_H */
