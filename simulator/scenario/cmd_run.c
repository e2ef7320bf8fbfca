/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary: the journey runner (issue "Virtual modem ...") replaces this. */
#include <stdio.h>
#include <sysexits.h>

#include "scenario/sim_cmds.h"

int sim_cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mimsi-sim run: the journey runner is not built yet\n");
	return EX_UNAVAILABLE;
}

int sim_cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mimsi-sim compare: the journey runner is not built yet\n");
	return EX_UNAVAILABLE;
}
