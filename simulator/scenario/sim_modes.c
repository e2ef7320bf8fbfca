/* SPDX-License-Identifier: Apache-2.0 */
/* One journey in the four ways fast failover is compared: naive rotation, rules-driven
 * rotation (failover flag cleared in CFG, modem without the failover aids), fast failover on a
 * modem with the failover aids, and fast failover on the same modem without them. */
#include <stdlib.h>
#include <string.h>

#include "scenario/sim_modes.h"

const char *const sim_mode_names[SIM_MODES] = {"naive", "rules", "failover", "failover-nocap"};

int sim_run_mode(const struct sim_journey *j, int mode, struct sim_run_result *r, char *err,
		 size_t err_len)
{
	struct sim_journey *c = malloc(sizeof(*c));
	struct sim_run_opts o;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!c) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	*c = *j; /* shallow: timeline and expectations are shared, never freed here */
	memset(&o, 0, sizeof(o));
	o.naive = mode == SIM_MODE_NAIVE;
	o.no_failover = mode == SIM_MODE_RULES;
	/* rules: every failover aid off, in the card and in the modem, so the
	 * applet runs its pre-issue-8 logic (rotation timer on the rules) */
	if (mode != SIM_MODE_NAIVE)
		sim_modem_profile_failover(&c->modem, mode == SIM_MODE_FAST);
	rc = sim_run_journey(c, &o, r, err, err_len);
	free(c);
	return rc;
}
