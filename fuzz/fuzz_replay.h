/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_replay.h
 *  A seed corpus replayed through the fuzz target included before this
 *  header, for the cmocka tests that check a target's properties in
 *  `make check` with the normal compiler (no clang, no libFuzzer): a
 *  broken property aborts (FUZZ_ASSERT), which the test reports.
 */
#ifndef MIMSI_FUZZ_REPLAY_H
#define MIMSI_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>

#include "fuzz.h"

/*! Every file of \a dir, its first \a cap bytes in \a buf, through
 *  LLVMFuzzerTestOneInput. \returns how many files, or -1 when \a dir
 *  cannot be read or the target returned non-zero. */
static int fuzz_replay_dir(const char *dir, uint8_t *buf, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while (n >= 0 && (e = readdir(d)) != NULL) {
		char path[512];
		size_t len;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f) {
			n = -1;
			break;
		}
		len = fread(buf, 1, cap, f);
		fclose(f);
		n = LLVMFuzzerTestOneInput(buf, len) == 0 ? n + 1 : -1;
	}
	closedir(d);
	return n;
}

#endif /* MIMSI_FUZZ_REPLAY_H */
