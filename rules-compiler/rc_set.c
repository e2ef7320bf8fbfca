/* SPDX-License-Identifier: Apache-2.0 */
/* A compiled set read back: load DIR/ef_*.bin, check each header and CRC
 * (mi_ef_check) and decode every record with the applet's own decoders. */
#include <stdlib.h>
#include <string.h>

#include "rc.h"

static const char *const set_names[3] = {"ef_cfg.bin", "ef_slots.bin", "ef_rules.bin"};
static const mi_u8 set_types[3] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};

int rc_set_load(const char *dir, struct rc_set *set, rc_error_t *err)
{
	char path[4096];
	int i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < 3; i++) {
		char *b;

		rc_fmt(path, sizeof(path), "%s/%s", dir, set_names[i]);
		b = rc_read_file(path, &set->len[i], err);
		if (!b)
			return -1;
		set->file[i] = (mi_u8 *)b;
	}
	return rc_set_decode(set, dir, err);
}

static int bad(rc_error_t *err, const char *what, int i, const char *part, int rc)
{
	rc_err_msg(err, "%s/%s: %s: %s", what, set_names[i], part, mi_strerror(rc));
	return -1;
}

int rc_set_decode(struct rc_set *set, const char *what, rc_error_t *err)
{
	const mi_u8 *b;
	size_t off, end, i;
	int k, rc;

	for (k = 0; k < 3; k++) {
		if (set->len[k] > MI_LEN_MAX)
			return bad(err, what, k, "header", MI_ERR_LENGTH);
		rc = mi_ef_check(set->file[k], (mi_u16)set->len[k], set_types[k], &set->hdr[k]);
		if (rc < 0)
			return bad(err, what, k, "header", rc);
	}
	/* one set: the three files carry one set id (version 2), or none */
	if (set->hdr[1].set_id != set->hdr[0].set_id || set->hdr[2].set_id != set->hdr[0].set_id) {
		rc_err_msg(err,
			   "%s: a set mixed from two compiles: set ids %08X (cfg), %08X (slots), "
			   "%08X (rules)",
			   what, (unsigned)set->hdr[0].set_id, (unsigned)set->hdr[1].set_id,
			   (unsigned)set->hdr[2].set_id);
		return -1;
	}
	b = set->file[0] + MI_EF_HDR_LEN;
	rc = mi_cfg_decode(b, set->hdr[0].payload_len, &set->cfg);
	if (rc < 0)
		return bad(err, what, 0, "body", rc);
	/* SLOTS: count, then the records */
	b = set->file[1] + MI_EF_HDR_LEN;
	end = set->hdr[1].payload_len;
	if (end < 1 || b[0] < 1 || b[0] > MI_MAX_SLOTS)
		return bad(err, what, 1, "slot count", MI_ERR_RANGE);
	set->n_slot = b[0];
	for (off = 1, k = 0; k < set->n_slot; k++) {
		rc = mi_slot_decode(b + off, (mi_u16)(end - off), &set->slot[k]);
		if (rc < 0)
			return bad(err, what, 1, "slot record", rc);
		off += (size_t)rc;
	}
	if (off != end)
		return bad(err, what, 1, "bytes after the last slot", MI_ERR_LENGTH);
	/* RULES: np, global, nr, profiles, rules */
	b = set->file[2] + MI_EF_HDR_LEN;
	end = set->hdr[2].payload_len;
	if (end < MI_RULES_FIXED)
		return bad(err, what, 2, "body", MI_ERR_TRUNCATED);
	set->n_prof = b[0];
	set->global = b[1];
	set->n_rule = MI_GET_U16_BE(b, 2);
	if (set->n_prof < 1 || set->global >= set->n_prof)
		return bad(err, what, 2, "global profile", MI_ERR_RANGE);
	if (end !=
	    MI_RULES_FIXED + MI_PROFILE_LEN * (size_t)set->n_prof + MI_RULE_LEN * set->n_rule)
		return bad(err, what, 2, "body length", MI_ERR_LENGTH);
	off = MI_RULES_FIXED;
	for (k = 0; k < set->n_prof; k++, off += MI_PROFILE_LEN) {
		rc = mi_profile_decode(b + off, MI_PROFILE_LEN, &set->prof[k]);
		if (rc < 0)
			return bad(err, what, 2, "profile", rc);
	}
	set->rule = malloc((set->n_rule ? set->n_rule : 1) * sizeof(*set->rule));
	if (!set->rule) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	for (i = 0; i < set->n_rule; i++, off += MI_RULE_LEN) {
		rc = mi_rule_decode(b + off, MI_RULE_LEN, &set->rule[i]);
		if (rc < 0)
			return bad(err, what, 2, "rule", rc);
		if (set->rule[i].profile >= set->n_prof)
			return bad(err, what, 2, "rule profile index", MI_ERR_RANGE);
		if (i > 0 && set->rule[i].key <= set->rule[i - 1].key)
			return bad(err, what, 2, "rule keys not ascending", MI_ERR_FORMAT);
	}
	return 0;
}

void rc_set_free(struct rc_set *set)
{
	int k;

	for (k = 0; k < 3; k++)
		free(set->file[k]);
	free(set->rule);
	memset(set, 0, sizeof(*set));
}
