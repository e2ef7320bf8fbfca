/* SPDX-License-Identifier: Apache-2.0 */
/* Encode the three EFs with the shared codec (applet/core/mi_ef*.c), check
 * them against the EF sizes the plan declares, and write a set directory
 * atomically: everything goes to DIR.tmp-PID first, renamed at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc.h"

static int by_bytes_desc(const void *a, const void *b)
{
	const long *x = a, *y = b; /* pairs: bytes, id */

	if (x[0] != y[0])
		return x[0] < y[0] ? 1 : -1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

static void budget_rules(const struct rc_plan *plan, const struct rc_result *res, size_t need,
			 rc_error_t *err)
{
	long(*mcc)[2] = calloc(1000, sizeof(*mcc));
	char list[256] = "";
	size_t i, at = 0;
	int k;

	if (!mcc) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return;
	}
	for (k = 0; k < 1000; k++)
		mcc[k][1] = k;
	for (i = 0; i < res->n_rule; i++)
		mcc[res->rule[i].key >> 12][0] += MI_RULE_LEN;
	qsort(mcc, 1000, sizeof(*mcc), by_bytes_desc);
	for (k = 0; k < 5 && mcc[k][0] > 0 && at < sizeof(list); k++) {
		const char *name = rc_country((mi_u16)mcc[k][1]);
		int w = snprintf(list + at, sizeof(list) - at, "%s%03ld %s %ld B", k ? ", " : "",
				 mcc[k][1], name ? name : "", mcc[k][0]);

		at += w > 0 ? (size_t)w : 0;
	}
	rc_err_msg(err,
		   "EF.MI_RULES needs %zu bytes, the plan declares %u ($.ef_sizes.rules). Biggest "
		   "contributors: %zu rule rows = %zu B (by MCC: %s); %d profiles = %u B; header, "
		   "counts and set id %u B. "
		   "Lower $.pref_depth, pin orders per country, or declare a larger EF",
		   need, plan->size_rules, res->n_rule, res->n_rule * MI_RULE_LEN, list,
		   res->n_prof, (unsigned)res->n_prof * MI_PROFILE_LEN,
		   MI_EF_HDR_LEN + MI_RULES_FIXED + MI_EF_SET_ID_LEN);
	free(mcc);
}

/* Bytes of one slot record, as mi_slot_encode() writes it (one rule). */
static size_t slot_len(const struct mi_slot *m)
{
	mi_u8 buf[MI_SLOT_REC_FIXED + 5u * MI_MAX_OPLMN + 3u * MI_MAX_FPLMN + 1u +
		  3u * MI_MAX_EHPLMN];
	int n = mi_slot_encode(m, buf, sizeof(buf));

	return n > 0 ? (size_t)n : 0;
}

/* The plan's EHPLMN list of each slot (TS 31.102 §4.2.84) into its record. */
static int put_ehplmn(const struct rc_plan *plan, struct rc_result *res, rc_error_t *err)
{
	int k, j, i;

	for (k = 0; k < res->n_slot; k++)
		for (j = 0; j < plan->n_slots; j++) {
			const struct rc_slot *s = &plan->slots[j];
			struct mi_slot *m = &res->slot[k];

			if (s->index != m->slot)
				continue;
			m->n_ehplmn = (mi_u8)s->n_ehplmn;
			for (i = 0; i < s->n_ehplmn; i++)
				if (mi_plmn_encode(&s->ehplmn[i], m->ehplmn[i], 3) < 0) {
					rc_err_msg(err, "cannot encode an EHPLMN entry of slot %d",
						   s->index);
					return -1;
				}
		}
	return 0;
}

static void budget_slots(const struct rc_plan *plan, const struct rc_result *res, size_t need,
			 rc_error_t *err)
{
	long v[MI_MAX_SLOTS][2];
	char list[256] = "";
	size_t at = 0;
	int k;

	for (k = 0; k < res->n_slot; k++) {
		v[k][0] = (long)slot_len(&res->slot[k]);
		v[k][1] = res->slot[k].slot;
	}
	qsort(v, (size_t)res->n_slot, sizeof(v[0]), by_bytes_desc);
	for (k = 0; k < res->n_slot && at < sizeof(list); k++) {
		int w = snprintf(list + at, sizeof(list) - at, "%sslot %ld %ld B", k ? ", " : "",
				 v[k][1], v[k][0]);

		at += w > 0 ? (size_t)w : 0;
	}
	rc_err_msg(err,
		   "EF.MI_SLOTS needs %zu bytes, the plan declares %u ($.ef_sizes.slots). Biggest "
		   "contributors: %s. Lower $.oplmn_max / $.fplmn_max or declare a larger EF",
		   need, plan->size_slots, list);
}

int rc_emit(const struct rc_plan *plan, struct rc_result *res, rc_error_t *err)
{
	size_t slots_len = MI_EF_HDR_LEN + 1 + MI_EF_SET_ID_LEN, rules_len, off;
	mi_u32 set_id;
	int k, rc;
	size_t i;

	rc = mi_cfg_encode(&plan->cfg, res->cfg + MI_EF_HDR_LEN, MI_CFG_BODY_LEN);
	if (rc < 0) {
		rc_err_path(err, plan->file, "$.config", "cannot encode EF.MI_CFG: %s",
			    mi_strerror(rc));
		return -1;
	}
	res->cfg_len = (mi_u16)(MI_EF_HDR_LEN + MI_CFG_BODY_LEN + MI_EF_SET_ID_LEN);
	if (res->cfg_len > plan->size_cfg) {
		rc_err_msg(err, "EF.MI_CFG needs %u bytes, the plan declares %u ($.ef_sizes.cfg)",
			   res->cfg_len, plan->size_cfg);
		return -1;
	}
	if (put_ehplmn(plan, res, err) < 0)
		return -1;
	for (k = 0; k < res->n_slot; k++)
		slots_len += slot_len(&res->slot[k]);
	if (slots_len > plan->size_slots) {
		budget_slots(plan, res, slots_len, err);
		return -1;
	}
	rules_len = MI_EF_HDR_LEN + MI_RULES_FIXED + MI_PROFILE_LEN * (size_t)res->n_prof +
		    MI_RULE_LEN * res->n_rule + MI_EF_SET_ID_LEN;
	if (rules_len > plan->size_rules) {
		budget_rules(plan, res, rules_len, err);
		return -1;
	}
	res->slots_ef = malloc(slots_len);
	res->rules_ef = malloc(rules_len);
	if (!res->slots_ef || !res->rules_ef) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	off = MI_EF_HDR_LEN;
	res->slots_ef[off++] = (mi_u8)res->n_slot;
	for (k = 0; k < res->n_slot; k++) {
		rc = mi_slot_encode(&res->slot[k], res->slots_ef + off, (mi_u16)(slots_len - off));
		if (rc < 0) {
			rc_err_msg(err, "cannot encode slot %u: %s", res->slot[k].slot,
				   mi_strerror(rc));
			return -1;
		}
		off += (size_t)rc;
	}
	res->slots_len = off; /* payload end; sealed with the set id below */
	off = MI_EF_HDR_LEN;
	res->rules_ef[off++] = (mi_u8)res->n_prof;
	res->rules_ef[off++] = (mi_u8)res->global;
	MI_PUT_U16_BE(res->rules_ef, off, res->n_rule);
	off += 2;
	for (k = 0; k < res->n_prof; k++) {
		rc = mi_profile_encode(&res->prof[k], res->rules_ef + off,
				       (mi_u16)(rules_len - off));
		if (rc < 0) {
			rc_err_msg(err, "cannot encode profile %d: %s", k, mi_strerror(rc));
			return -1;
		}
		off += (size_t)rc;
	}
	for (i = 0; i < res->n_rule; i++) {
		rc = mi_rule_encode(&res->rule[i], res->rules_ef + off, (mi_u16)(rules_len - off));
		if (rc < 0) {
			rc_err_msg(err, "cannot encode rule %zu: %s", i, mi_strerror(rc));
			return -1;
		}
		off += (size_t)rc;
	}
	res->rules_len = off;
	/* one set id in the three files (mi_ef.h, version 2): the CRC-32 of the
	 * three payloads, so two compiles of other content never share it and
	 * the same inputs give the same bytes; never 0 (0 = no id) */
	set_id = mi_crc32(0, res->cfg + MI_EF_HDR_LEN, MI_CFG_BODY_LEN);
	set_id = mi_crc32(set_id, res->slots_ef + MI_EF_HDR_LEN,
			  (mi_u16)(res->slots_len - MI_EF_HDR_LEN));
	set_id = mi_crc32(set_id, res->rules_ef + MI_EF_HDR_LEN,
			  (mi_u16)(res->rules_len - MI_EF_HDR_LEN));
	if (set_id == 0)
		set_id = 1;
	rc = mi_ef_seal_set(res->cfg, sizeof(res->cfg), MI_EF_TYPE_CFG, plan->seq, MI_CFG_BODY_LEN,
			    set_id);
	if (rc >= 0)
		rc = mi_ef_seal_set(res->slots_ef, (mi_u16)slots_len, MI_EF_TYPE_SLOTS, plan->seq,
				    (mi_u16)(res->slots_len - MI_EF_HDR_LEN), set_id);
	if (rc >= 0) {
		res->slots_len = (size_t)rc;
		rc = mi_ef_seal_set(res->rules_ef, (mi_u16)rules_len, MI_EF_TYPE_RULES, plan->seq,
				    (mi_u16)(res->rules_len - MI_EF_HDR_LEN), set_id);
	}
	if (rc < 0) {
		rc_err_msg(err, "cannot seal the EF files: %s", mi_strerror(rc));
		return -1;
	}
	res->rules_len = (size_t)rc;
	res->set_id = set_id;
	return 0;
}

int rc_build(const char *plan_path, char *const *rate_paths, int n_rates, struct rc_plan *plan,
	     struct rc_rates *rates, struct rc_result *res, rc_error_t *err)
{
	int i;

	memset(res, 0, sizeof(*res));
	if (rc_plan_load(plan_path, plan, err) < 0)
		return -1;
	for (i = 0; i < n_rates; i++)
		if (rc_csv_load(rate_paths[i], rates, err) < 0)
			return -1;
	if (rc_choose(plan, rates, res, err) < 0)
		return -1;
	return rc_emit(plan, res, err);
}

int rc_build_base(const char *plan_path, char *const *rate_paths, int n_rates, const char *base_dir,
		  struct rc_plan *plan, struct rc_rates *rates, struct rc_result *res,
		  rc_error_t *err)
{
	struct rc_set *base;
	int i, rc = -1;

	if (!base_dir)
		return rc_build(plan_path, rate_paths, n_rates, plan, rates, res, err);
	memset(res, 0, sizeof(*res));
	base = calloc(1, sizeof(*base));
	if (!base) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	if (rc_set_load(base_dir, base, err) < 0 || rc_plan_load(plan_path, plan, err) < 0)
		goto out;
	for (i = 0; i < n_rates; i++)
		if (rc_csv_load(rate_paths[i], rates, err) < 0)
			goto out;
	if (rc_choose(plan, rates, res, err) < 0 || rc_rebase(res, base, err) < 0)
		goto out;
	rc = rc_emit(plan, res, err);
out:
	rc_set_free(base);
	free(base);
	return rc;
}

/* ---- writing a set directory ---------------------------------------- */
static const char *const rc_out_files[] = {"ef_cfg.bin",   "ef_cfg.hex",   "ef_slots.bin",
					   "ef_slots.hex", "ef_rules.bin", "ef_rules.hex",
					   "report.json"};

static int write_file(const char *dir, const char *name, const void *data, size_t len,
		      rc_error_t *err)
{
	char path[4096];
	FILE *f;

	rc_fmt(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		rc_err_io(err, RC_EK_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		rc_err_io(err, RC_EK_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_ef(const char *dir, const char *base, const mi_u8 *b, size_t n, rc_error_t *err)
{
	char name[64], *hex = malloc(2 * n + 2);
	int rc;

	if (!hex) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	rc_hex(b, n, hex);
	hex[2 * n] = '\n';
	snprintf(name, sizeof(name), "%s.bin", base);
	rc = write_file(dir, name, b, n, err);
	snprintf(name, sizeof(name), "%s.hex", base);
	if (rc == 0)
		rc = write_file(dir, name, hex, 2 * n + 1, err);
	free(hex);
	return rc;
}

static void remove_set(const char *dir)
{
	char path[4096];
	size_t i;

	for (i = 0; i < MI_ARRAY_SIZE(rc_out_files); i++) {
		rc_fmt(path, sizeof(path), "%s/%s", dir, rc_out_files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int rc_write_dir(const char *dir, const struct rc_plan *plan, const struct rc_rates *rates,
		 const struct rc_result *res, rc_error_t *err)
{
	char tmp[4096], old[4096];
	struct stat st;
	char *json;
	int had = 0, rc;
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	rc_fmt(tmp, sizeof(tmp), "%.*s.tmp-%ld", (int)n, dir, (long)getpid());
	rc_fmt(old, sizeof(old), "%.*s.old-%ld", (int)n, dir, (long)getpid());
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rc_err_io(err, RC_EK_CANTCREAT, "%s: exists and is not a directory", dir);
			return -1;
		}
		had = 1;
	}
	if (mkdir(tmp, 0777) != 0) {
		rc_err_io(err, RC_EK_CANTCREAT, "%s: cannot create: %s", tmp, strerror(errno));
		return -1;
	}
	json = rc_report_json(plan, rates, res);
	rc = json ? 0 : -1;
	if (!json)
		rc_err_io(err, RC_EK_NOMEM, "cannot build report.json");
	if (rc == 0)
		rc = write_ef(tmp, "ef_cfg", res->cfg, res->cfg_len, err);
	if (rc == 0)
		rc = write_ef(tmp, "ef_slots", res->slots_ef, res->slots_len, err);
	if (rc == 0)
		rc = write_ef(tmp, "ef_rules", res->rules_ef, res->rules_len, err);
	if (rc == 0)
		rc = write_file(tmp, "report.json", json, strlen(json), err);
	free(json);
	if (rc == 0 && had && rename(dir, old) != 0) {
		rc_err_io(err, RC_EK_CANTCREAT, "%s: cannot move aside: %s", dir, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, dir) != 0) {
		rc_err_io(err, RC_EK_CANTCREAT, "%s: cannot rename into place: %s", tmp,
			  strerror(errno));
		if (had)
			rename(old, dir);
		rc = -1;
	}
	if (rc != 0) {
		remove_set(tmp);
		return -1;
	}
	if (had) {
		remove_set(old);
		if (stat(old, &st) == 0)
			fprintf(stderr,
				"mimsi-compile: %s: other files kept here from the previous %s\n",
				old, dir);
	}
	return 0;
}
