/* SPDX-License-Identifier: Apache-2.0 */
/* In-process APDUs per second: a SELECT + READ BINARY mix on the default
 * card (SELECT by FID, by path and by AID, with and without FCP + GET
 * RESPONSE, then READ BINARY), through sim_card_transmit(). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sim_test_util.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static const char *const mix[] = {
		"00A4000C022FE2", "00B000000A",                 /* MF: EF_ICCID */
		"00A4040C07A0000000871002",                    /* ADF.USIM by AID */
		"00A4000C026F07", "00B0000009",                 /* EF_IMSI */
		"00A40004026F7E", "00C0000019", "00B000000B",   /* EF_LOCI with FCP */
		"00A4080C047FFF6FAD", "00B0000004",             /* EF_AD by path */
		"00A4000C023F00",                               /* back to the MF */
	};
	uint8_t cmd[16][32];
	size_t len[16], k;
	struct sim_card *c = sim_card_new_default();
	unsigned long n = 0, rounds = 100000, r;
	double t0, dt;

	if (!c || sim_card_power_on(c, NULL, NULL) != SIM_OK)
		return 1;
	for (k = 0; k < sizeof(mix) / sizeof(mix[0]); k++)
		len[k] = (size_t)st_unhex(mix[k], cmd[k], sizeof(cmd[k]));
	t0 = now();
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < sizeof(mix) / sizeof(mix[0]); k++) {
			uint8_t rsp[300];
			size_t rl = sizeof(rsp);

			if (sim_card_transmit(c, cmd[k], len[k], rsp, &rl) != SIM_OK ||
			    (rsp[rl - 2] != 0x90 && rsp[rl - 2] != 0x61)) {
				fprintf(stderr, "bench_apdu: %s failed\n", mix[k]);
				return 1;
			}
			n++;
		}
	}
	dt = now() - t0;
	printf("in-process: %lu APDUs (SELECT + READ BINARY mix) in %.3f s = %.0f APDUs/s (%.2f us per APDU)\n",
	       n, dt, (double)n / dt, dt * 1e6 / (double)n);
	sim_card_free(c);
	return 0;
}
