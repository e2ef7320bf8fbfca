/* SPDX-License-Identifier: Apache-2.0 */
#include "scenario/sim_datapath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mimsi_build.h"

/* The repository's data lives under test-vectors/; installed, the same tree
 * is the data directory itself. */
#define SRC_PREFIX "test-vectors/"

int sim_data_dirs(const char *dirs[2])
{
	const char *env = getenv("MIMSI_DATADIR");
	int n = 0;

	if (env && *env)
		dirs[n++] = env;
	dirs[n++] = MIMSI_DATADIR_INSTALLED;
	return n;
}

static int try_path(char *out, size_t cap, const char *dir, size_t dir_len, const char *name)
{
	int n = dir_len ? snprintf(out, cap, "%.*s/%s", (int)dir_len, dir, name)
			: snprintf(out, cap, "%s", name);

	return n > 0 && (size_t)n < cap && access(out, F_OK) == 0 ? 0 : -1;
}

int sim_data_path(const char *base_file, const char *name, char *out, size_t cap)
{
	const char *dirs[2], *slash;
	size_t pre = strlen(SRC_PREFIX);
	int n, i;

	if (!cap)
		return -1;
	if (name[0] == '/')
		return try_path(out, cap, NULL, 0, name);
	if (base_file && (slash = strrchr(base_file, '/')) != NULL &&
	    try_path(out, cap, base_file, (size_t)(slash - base_file), name) == 0)
		return 0;
	if (base_file && !strrchr(base_file, '/') && try_path(out, cap, NULL, 0, name) == 0)
		return 0; /* the journey is in the current directory */
	n = sim_data_dirs(dirs);
	for (i = 0; i < n; i++) {
		char sc[4096];
		int k = snprintf(sc, sizeof(sc), "%s/scenarios", dirs[i]);

		if (try_path(out, cap, dirs[i], strlen(dirs[i]), name) == 0)
			return 0;
		if (strncmp(name, SRC_PREFIX, pre) == 0 &&
		    try_path(out, cap, dirs[i], strlen(dirs[i]), name + pre) == 0)
			return 0;
		/* a journey copied out of scenarios/ names its files from there */
		if (k > 0 && (size_t)k < sizeof(sc) && try_path(out, cap, sc, (size_t)k, name) == 0)
			return 0;
	}
	if (try_path(out, cap, NULL, 0, name) == 0)
		return 0;
	snprintf(out, cap, "%s", name);
	return -1;
}
