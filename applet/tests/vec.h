/* SPDX-License-Identifier: Apache-2.0 */
/*! \file vec.h
 *  Test-vector readers shared by the applet tests (host only).
 *
 *  .hex files: hex digits, whitespace ignored, '#' starts a comment line.
 *  .data files (test-vectors/README.md): one case per line,
 *      func:arg:arg:...
 *  where an argument is a "quoted string" (may hold ':') or a bare token
 *  (a number or an MI_ERR_* name). Blank lines and '#' lines are skipped.
 */
#ifndef MIMSI_TESTS_VEC_H
#define MIMSI_TESTS_VEC_H

#include <stddef.h>
#include <stdio.h>

#include "mimsi/mi_types.h"

#define VEC_MAX_ARGS 8
#define VEC_ARG_MAX 1024
#define VEC_FUNC_MAX 48

struct vec_case {
	const char *path;
	int line;
	char func[VEC_FUNC_MAX];
	int nargs;
	char arg[VEC_MAX_ARGS][VEC_ARG_MAX];
};

struct vec_file {
	FILE *f;
	const char *path;
	int line;
};

/*! Decode hex text (whitespace allowed). \returns bytes written or -1. */
int vec_hex_decode(const char *hex, mi_u8 *out, size_t cap);
/*! Read a .hex file. \returns bytes or -1 (and prints why on stderr). */
int vec_read_hex_file(const char *path, mi_u8 *out, size_t cap);

/*! \returns 0 or -1 (cannot open). */
int vec_open(struct vec_file *vf, const char *path);
/*! \returns 1 with a case, 0 at the end, -1 on a malformed line. */
int vec_next(struct vec_file *vf, struct vec_case *c);
void vec_close(struct vec_file *vf);
/*! Call \a run on every case of the .data file \a path.
 *  \returns the number of cases, or -1 (cannot open, or a malformed line). */
int vec_run(const char *path, void (*run)(const struct vec_case *c));

/*! Parse a result token: decimal/0x number or an MI_ERR_* / MI_OK name.
 *  \returns 0 and sets *out, or -1. */
int vec_int(const char *tok, long *out);

#endif /* MIMSI_TESTS_VEC_H */
