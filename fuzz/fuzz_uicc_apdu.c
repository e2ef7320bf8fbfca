/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_uicc_apdu.c
 *  The simulated UICC (simulator/uicc/sim_card.h): a fresh default card,
 *  powered on, then every C-APDU of the input through sim_card_transmit.
 *
 *  Input: records "len cap apdu[len]" (a short last record is cut; len 255
 *  takes the whole rest, for over-long commands): cap 0 gives a 258-byte
 *  response buffer (256 data + SW1 SW2), cap 1..255 that many bytes, to
 *  reach the "buffer too small" path. A record with len 254 is no APDU but
 *  a power cut: "254 at keep" arms tear injection at NV write at (1..16)
 *  keeping keep bytes of it; the command that tears gets SIM_ERR_TORN and
 *  the card must power on again and answer SELECT MF normally.
 *  Properties: SIM_OK with 2 <= resp_len <= capacity and a status word
 *  whose SW1 is 6x or 9x (ISO/IEC 7816-4 §5.1.3), or SIM_ERR_BUFFER with
 *  resp_len 0 (PC/SC contract); nothing is written past the capacity (the
 *  response buffer is an exact heap block); the card frees cleanly (leaks
 *  are reported by LeakSanitizer). The APDU trace is on (into memory): the
 *  data of a PIN command (VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK: TS 102
 *  221 §11.1.9..13) never shows in it, only '*' after the 5-byte header.
 */
#include <string.h>

#include "fuzz.h"
#include "sim_card.h"

#define RESP_MAX 258u

static int is_pin_ins(uint8_t ins)
{
	return ins == 0x20u || ins == 0x24u || ins == 0x26u || ins == 0x28u || ins == 0x2Cu;
}

/* The trace line of a PIN command: "C: " + header hex, then only '*'. */
static void check_masked(const char *line)
{
	const char *c = strstr(line, "C: "), *end;

	FUZZ_ASSERT(c != NULL);
	c += 3 + 10;
	end = strstr(c, " R:");
	FUZZ_ASSERT(end != NULL);
	for (; c < end; c++)
		FUZZ_ASSERT(*c == '*');
}

static int one_apdu(struct sim_card *card, const uint8_t *cmd, size_t len, size_t cap)
{
	uint8_t *c = malloc(len ? len : 1u);
	uint8_t *resp = malloc(cap);
	size_t rlen = cap;
	uint8_t sw1;
	int rc;

	FUZZ_ASSERT(c != NULL && resp != NULL);
	memcpy(c, cmd, len);
	rc = sim_card_transmit(card, c, len, resp, &rlen);
	if (rc == SIM_ERR_TORN) {
		FUZZ_ASSERT(rlen == 0u);
	} else if (rc == SIM_ERR_BUFFER) {
		FUZZ_ASSERT(rlen == 0u && cap < RESP_MAX);
	} else {
		FUZZ_ASSERT(rc == SIM_OK);
		FUZZ_ASSERT(rlen >= 2u && rlen <= cap);
		sw1 = resp[rlen - 2u];
		FUZZ_ASSERT((sw1 & 0xF0u) == 0x60u || (sw1 & 0xF0u) == 0x90u);
	}
	free(resp);
	free(c);
	return rc;
}

/* After a power cut: power on, and the file system answers (SELECT MF). */
static void power_again(struct sim_card *card)
{
	static const uint8_t select_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	uint8_t atr[64], resp[RESP_MAX];
	size_t atr_len = sizeof(atr), rlen = sizeof(resp);

	FUZZ_ASSERT(sim_card_transmit(card, select_mf, sizeof(select_mf), resp, &rlen) ==
		    SIM_ERR_POWER);
	sim_card_tear_arm(card, 0, 0);
	FUZZ_ASSERT(sim_card_power_on(card, atr, &atr_len) == SIM_OK);
	rlen = sizeof(resp);
	FUZZ_ASSERT(sim_card_transmit(card, select_mf, sizeof(select_mf), resp, &rlen) == SIM_OK);
	FUZZ_ASSERT(rlen == 2u && resp[0] == 0x90u && resp[1] == 0x00u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_card *card;
	uint8_t atr[64];
	size_t atr_len = sizeof(atr), pos = 0, len, cap, logged = 0, log_len = 0;
	char *log_buf = NULL;
	FILE *log;
	int n = 0, rc;

	if (size > 8192u)
		return 0;
	card = sim_card_new_default();
	FUZZ_ASSERT(card != NULL);
	FUZZ_ASSERT(sim_card_power_on(card, atr, &atr_len) == SIM_OK);
	FUZZ_ASSERT(atr_len >= 2u && atr_len <= 33u); /* ISO/IEC 7816-3 §8.2 */
	log = open_memstream(&log_buf, &log_len);
	FUZZ_ASSERT(log != NULL);
	sim_card_set_trace(card, log, NULL);
	while (pos + 2u <= size && n++ < 64) {
		len = data[pos];
		cap = data[pos + 1] ? data[pos + 1] : RESP_MAX;
		pos += 2;
		if (len == 254u) { /* power cut at NV write (byte % 16 + 1) */
			if (pos >= size)
				break;
			sim_card_tear_arm(card, (uint32_t)(data[pos - 1u] % 16u + 1u), data[pos]);
			pos++;
			continue;
		}
		if (len > size - pos || len == 255u)
			len = size - pos;
		rc = one_apdu(card, data + pos, len, cap);
		FUZZ_ASSERT(fflush(log) == 0);
		if (rc == SIM_ERR_TORN) {
			power_again(card);
			logged = log_len;
			pos += len;
			continue;
		}
		if (rc == SIM_OK && len > 5u && is_pin_ins(data[pos + 1]))
			check_masked(log_buf + logged);
		logged = log_len;
		pos += len;
	}
	sim_card_power_off(card);
	sim_card_free(card);
	FUZZ_ASSERT(fclose(log) == 0);
	free(log_buf);
	return 0;
}
