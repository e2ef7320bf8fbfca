/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_cmds.h
 *  Sub-commands of mimsi-sim that live in the journey runner; main.c
 *  dispatches to them. Each returns a sysexits.h code.
 */
#ifndef MIMSI_SIM_CMDS_H
#define MIMSI_SIM_CMDS_H

/*! mimsi-sim run JOURNEY [--naive] [--json] [--trace F] [--svg F] */
int sim_cmd_run(int argc, char **argv);
/*! mimsi-sim compare JOURNEY */
int sim_cmd_compare(int argc, char **argv);

#endif /* MIMSI_SIM_CMDS_H */
