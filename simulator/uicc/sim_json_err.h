/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_json_err.h
 *  Error text that is safe to print: jansson's parse errors end with the
 *  token near the error ("... near '\"1234567x'"), which can be part of an
 *  ADM, PIN or key; and names from a file may carry control bytes that a
 *  terminal would act on.
 */
#ifndef MIMSI_SIM_JSON_ERR_H
#define MIMSI_SIM_JSON_ERR_H

#include <stddef.h>

#include <jansson.h>

/*! jansson's message without the quoted token ("near '...'" is cut; the
 *  line and column stay in the error struct). Edits \a je in place. */
const char *sim_json_error_text(json_error_t *je);

/*! Escape every byte outside printable ASCII of \a s, in place, as \\xHH
 *  (cut to fit \a cap). */
void sim_text_escape(char *s, size_t cap);

#endif /* MIMSI_SIM_JSON_ERR_H */
