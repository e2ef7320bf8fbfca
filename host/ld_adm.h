/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_adm.h
 *  Where the ADM1 value comes from, never the command line (argv shows in
 *  `ps` and in shell history): --adm-file FILE, the MIMSI_ADM environment
 *  variable, or a prompt on the terminal without echo.
 */
#ifndef MIMSI_LD_ADM_H
#define MIMSI_LD_ADM_H

#include <stddef.h>
#include <stdint.h>

/*! Get the ADM: from \a file when given (its first line), else $MIMSI_ADM,
 *  else a prompt on /dev/tty when \a may_prompt. The text must be 8 digits
 *  or 16 hex digits (TS 102 221 §9.5.1 coding by ld_parse_secret).
 *  \returns 1 with \a adm set, 0 when there is no source, or a negative
 *  ld_err with \a err set (the value is never quoted). */
int ld_adm_get(const char *file, int may_prompt, uint8_t adm[8], char *err, size_t err_len);

#endif /* MIMSI_LD_ADM_H */
