/* SPDX-License-Identifier: Apache-2.0 */
/* compile --base OLD_DIR: keep profile indices stable across compiles.
 *
 * The RULES body holds the profiles before the rules, so a change in the
 * number of profiles moves every rule: one new profile would cost a rewrite
 * of the whole table. Here a profile the old set already has keeps its index;
 * a new one reuses the index of an old profile nothing refers to any more;
 * only when none is free does the table grow. Unused old profiles stay in
 * place (dead but harmless: no rule points at them), and so do the spare
 * places a plan reserves with profile_spares. */
#include <stdlib.h>
#include <string.h>

#include "rc.h"

static int same(const struct mi_profile *a, const struct mi_profile *b)
{
	return a->n_pref == b->n_pref && a->forbidden == b->forbidden &&
	       memcmp(a->pref, b->pref, a->n_pref) == 0;
}

int rc_rebase(struct rc_result *res, const struct rc_set *base, rc_error_t *err)
{
	int map[MI_PROFILES_MAX], taken[MI_PROFILES_MAX];
	struct mi_profile out[MI_PROFILES_MAX];
	int n_out = base->n_prof, i, j;
	size_t r;

	/* new spares are not wanted: the old set's unused places are the spares */
	res->n_prof -= res->n_spares;
	res->n_spares = 0;
	memset(taken, 0, sizeof(taken));
	memcpy(out, base->prof, sizeof(out[0]) * (size_t)base->n_prof);
	for (i = 0; i < res->n_prof; i++) { /* profiles the old set has */
		map[i] = -1;
		for (j = 0; j < base->n_prof; j++)
			if (!taken[j] && same(&res->prof[i], &base->prof[j])) {
				map[i] = j;
				taken[j] = 1;
				break;
			}
	}
	for (i = 0, j = 0; i < res->n_prof; i++) { /* new ones: free places first */
		if (map[i] >= 0)
			continue;
		while (j < base->n_prof && taken[j])
			j++;
		if (j < base->n_prof) {
			map[i] = j;
			taken[j] = 1;
		} else if (n_out < (int)MI_PROFILES_MAX) {
			map[i] = n_out++;
		} else {
			rc_err_msg(err,
				   "--base: more than %u profiles with the old ones kept; compile "
				   "without --base",
				   MI_PROFILES_MAX);
			return -1;
		}
		out[map[i]] = res->prof[i];
	}
	for (r = 0; r < res->n_rule; r++)
		res->rule[r].profile = (mi_u8)map[res->rule[r].profile];
	res->global = map[res->global];
	memcpy(res->prof, out, sizeof(out[0]) * (size_t)n_out);
	res->n_prof = n_out;
	return 0;
}
