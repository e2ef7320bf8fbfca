/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_instparams_cmd.h
 *  `mimsi-card install-params build|lint`: argv[0] is "install-params".
 *  \returns a sysexits.h code. */
#ifndef MIMSI_LD_INSTPARAMS_CMD_H
#define MIMSI_LD_INSTPARAMS_CMD_H

int ld_instparams_main(int argc, char **argv);

#endif /* MIMSI_LD_INSTPARAMS_CMD_H */
