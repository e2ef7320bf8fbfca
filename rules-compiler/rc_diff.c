/* SPDX-License-Identifier: Apache-2.0 */
/* diff: what changed between two compiled sets, as rule rows and as the
 * byte ranges a loader (or OTA) must rewrite with UPDATE BINARY. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rc.h"

/* An UPDATE BINARY carries at most 255 data bytes in a short APDU
 * (TS 102 221 §11.1.4, ISO 7816-4 §5.1); each costs a 5-byte header, so
 * two changed runs closer than that are cheaper sent as one. */
#define RC_UB_MAX 255u
#define RC_UB_HDR 5u

size_t rc_diff_ranges(const mi_u8 *a, size_t na, const mi_u8 *b, size_t nb, struct rc_range *r,
		      size_t cap)
{
	size_t i = 0, n = 0;

	while (i < nb) {
		size_t start;

		if (i < na && a[i] == b[i]) {
			i++;
			continue;
		}
		start = i;
		while (i < nb && !(i < na && a[i] == b[i]))
			i++;
		if (n > 0 && start - (r[n - 1].off + r[n - 1].len) < RC_UB_HDR) {
			r[n - 1].len = i - r[n - 1].off;
		} else if (n < cap) {
			r[n].off = start;
			r[n].len = i - start;
			n++;
		}
	}
	return n;
}

static const char *prof_of(const struct rc_set *s, mi_u32 key, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < s->n_rule; i++)
		if (s->rule[i].key == key) {
			rc_prof_text(&s->prof[s->rule[i].profile], buf, cap);
			return buf;
		}
	return NULL;
}

static int slot_equal(const struct mi_slot *x, const struct mi_slot *y)
{
	return x->slot == y->slot && x->flags == y->flags && x->sponsor == y->sponsor &&
	       x->keyset == y->keyset && x->mnc_len == y->mnc_len &&
	       memcmp(x->imsi, y->imsi, sizeof(x->imsi)) == 0 && x->n_oplmn == y->n_oplmn &&
	       x->n_fplmn == y->n_fplmn && memcmp(x->oplmn, y->oplmn, 5u * x->n_oplmn) == 0 &&
	       memcmp(x->fplmn, y->fplmn, 3u * x->n_fplmn) == 0;
}

int rc_diff(FILE *out, const struct rc_set *a, const struct rc_set *b, int json)
{
	static const char *const names[3] = {"ef_cfg", "ef_slots", "ef_rules"};
	json_t *root = json_object(), *rows = json_array(), *files = json_array(),
	       *sl = json_array();
	char pa[96], pb[96], key[8], ga[96], gb[96];
	size_t i = 0, j = 0, total_cmds = 0, total_bytes = 0;
	int changed = 0, k;
	struct rc_range *r = NULL;

	/* rule rows: merge the two sorted key lists */
	rc_prof_text(&a->prof[a->global], ga, sizeof(ga));
	rc_prof_text(&b->prof[b->global], gb, sizeof(gb));
	if (strcmp(ga, gb) != 0) {
		json_t *x = json_object();

		json_object_set_new(x, "key", json_string("global"));
		json_object_set_new(x, "old", json_string(ga));
		json_object_set_new(x, "new", json_string(gb));
		json_array_append_new(rows, x);
	}
	while (i < a->n_rule || j < b->n_rule) {
		mi_u32 kk;
		const char *oa, *ob;

		if (j >= b->n_rule || (i < a->n_rule && a->rule[i].key < b->rule[j].key))
			kk = a->rule[i++].key;
		else if (i >= a->n_rule || b->rule[j].key < a->rule[i].key)
			kk = b->rule[j++].key;
		else {
			kk = a->rule[i].key;
			i++;
			j++;
		}
		oa = prof_of(a, kk, pa, sizeof(pa));
		ob = prof_of(b, kk, pb, sizeof(pb));
		if (oa && ob && strcmp(oa, ob) == 0)
			continue;
		{
			json_t *x = json_object();

			rc_key_str(kk, key);
			json_object_set_new(x, "key", json_string(key));
			json_object_set_new(x, "old", oa ? json_string(oa) : json_null());
			json_object_set_new(x, "new", ob ? json_string(ob) : json_null());
			json_array_append_new(rows, x);
		}
	}
	for (k = 0; k < (int)MI_MAX_SLOTS; k++) {
		const struct mi_slot *x = NULL, *y = NULL;
		int t;

		for (t = 0; t < a->n_slot; t++)
			if (a->slot[t].slot == k + 1)
				x = &a->slot[t];
		for (t = 0; t < b->n_slot; t++)
			if (b->slot[t].slot == k + 1)
				y = &b->slot[t];
		if ((x || y) && !(x && y && slot_equal(x, y)))
			json_array_append_new(sl, json_integer(k + 1));
	}
	for (k = 0; k < 3; k++) {
		json_t *f = json_object(), *ra = json_array();
		size_t n, t, cmds = 0, bytes = 0, cap = b->len[k] + 1;

		free(r);
		r = malloc(cap * sizeof(*r));
		if (!r) {
			json_decref(root);
			json_decref(rows);
			json_decref(files);
			json_decref(sl);
			return -1;
		}
		n = rc_diff_ranges(a->file[k], a->len[k], b->file[k], b->len[k], r, cap);
		for (t = 0; t < n; t++) {
			json_t *x = json_object();

			json_object_set_new(x, "offset", json_integer((json_int_t)r[t].off));
			json_object_set_new(x, "length", json_integer((json_int_t)r[t].len));
			json_array_append_new(ra, x);
			cmds += (r[t].len + RC_UB_MAX - 1) / RC_UB_MAX;
			bytes += r[t].len;
		}
		json_object_set_new(f, "file", json_string(names[k]));
		json_object_set_new(f, "old_bytes", json_integer((json_int_t)a->len[k]));
		json_object_set_new(f, "new_bytes", json_integer((json_int_t)b->len[k]));
		json_object_set_new(f, "ranges", ra);
		json_object_set_new(f, "update_binary", json_integer((json_int_t)cmds));
		json_object_set_new(f, "bytes", json_integer((json_int_t)bytes));
		json_array_append_new(files, f);
		total_cmds += cmds;
		total_bytes += bytes;
	}
	free(r);
	changed = total_bytes > 0;
	json_object_set_new(root, "rule_rows", rows);
	json_object_set_new(root, "slots_changed", sl);
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "update_binary", json_integer((json_int_t)total_cmds));
	json_object_set_new(root, "bytes", json_integer((json_int_t)total_bytes));
	if (json) {
		char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (text)
			fprintf(out, "%s\n", text);
		free(text);
	} else {
		json_t *x;
		size_t t;

		fprintf(out, "rule rows changed: %zu\n", json_array_size(rows));
		json_array_foreach(rows, t, x)
		{
			json_t *o = json_object_get(x, "old"), *nw = json_object_get(x, "new");
			const char *kk = json_string_value(json_object_get(x, "key"));

			if (json_is_null(o))
				fprintf(out, "  + %-7s %s\n", kk, json_string_value(nw));
			else if (json_is_null(nw))
				fprintf(out, "  - %-7s %s\n", kk, json_string_value(o));
			else
				fprintf(out, "  ~ %-7s %s  ->  %s\n", kk, json_string_value(o),
					json_string_value(nw));
		}
		fprintf(out, "slots changed:");
		json_array_foreach(sl, t, x)
		    fprintf(out, " %lld", (long long)json_integer_value(x));
		fprintf(out, "%s\n", json_array_size(sl) ? "" : " none");
		json_array_foreach(files, t, x)
		{
			json_t *ra = json_object_get(x, "ranges"), *y;
			size_t u;

			fprintf(out, "%s.bin: %lld -> %lld bytes, %lld UPDATE BINARY, %lld bytes:",
				json_string_value(json_object_get(x, "file")),
				(long long)json_integer_value(json_object_get(x, "old_bytes")),
				(long long)json_integer_value(json_object_get(x, "new_bytes")),
				(long long)json_integer_value(json_object_get(x, "update_binary")),
				(long long)json_integer_value(json_object_get(x, "bytes")));
			json_array_foreach(ra, u, y)
			{
				long long off = json_integer_value(json_object_get(y, "offset"));
				long long len = json_integer_value(json_object_get(y, "length"));

				fprintf(out, " %lld..%lld", off, off + len - 1);
			}
			fprintf(out, "%s\n", json_array_size(ra) ? "" : " none");
		}
		fprintf(out, "total: %zu UPDATE BINARY commands, %zu bytes\n", total_cmds,
			total_bytes);
	}
	json_decref(root);
	return changed;
}
