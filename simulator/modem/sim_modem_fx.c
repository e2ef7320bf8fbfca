/* SPDX-License-Identifier: Apache-2.0 */
/* Effects one part of the modem posts for another (sim_modem_int.h): a
 * sim_evq in the modem's own storage, every effect at time 0 so that they
 * come out in the order posted. */
#include "modem/sim_modem_int.h"

void sim_modem_fx_post(struct sim_modem *m, enum sim_modem_fx type, int a, uint32_t gen)
{
	/* at most one is pending (sim_modem_int.h), so the storage never fills */
	if (sim_evq_push(&m->fx, 0, (int)type, a, gen) < 0)
		sim_modem_notef(m, "modem: effect %d lost (queue full)", (int)type);
}
