/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_datapath.h
 *  Where the files a journey names are found, so that `mimsi-sim run` works
 *  from any directory: relative to the journey file, then $MIMSI_DATADIR,
 *  then the installed data directory ($(PREFIX)/share/mimsi, whose layout is
 *  that of test-vectors/; a name is tried there as given and under
 *  scenarios/, so a journey copied out of it keeps working), then the
 *  current directory (a source tree).
 */
#ifndef MIMSI_SIM_DATAPATH_H
#define MIMSI_SIM_DATAPATH_H

#include <stddef.h>

/*! Resolve \a name (a file or a directory) named in \a base_file (NULL: on
 *  the command line). \a out gets the first candidate that exists.
 *  \returns 0, or -1 when none exists (\a out then holds \a name) or the
 *  path does not fit. */
int sim_data_path(const char *base_file, const char *name, char *out, size_t cap);

/*! The data directories searched after the journey's own: $MIMSI_DATADIR
 *  (when set) and the installed one. \returns how many (at most 2). */
int sim_data_dirs(const char *dirs[2]);

#endif /* MIMSI_SIM_DATAPATH_H */
