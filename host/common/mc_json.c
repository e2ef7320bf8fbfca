/* SPDX-License-Identifier: Apache-2.0 */
/* Strict JSON getters shared by the compiler, the simulator and the loader:
 * one wording for one mistake, whichever tool reads the file. */
#include "mc_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mimsi/mi_hex.h"

void mc_json_init(struct mc_json *j, const char *file, char *err, size_t len)
{
	j->file = file;
	j->err = err;
	j->len = len;
	if (err && len)
		err[0] = '\0';
}

int mc_json_failed(const struct mc_json *j)
{
	return j->err && j->len && j->err[0] != '\0';
}

int mc_json_fail(struct mc_json *j, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!j->err || !j->len || j->err[0])
		return -1; /* the first error wins */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(j->err, j->len, "%s: %s%s%s", j->file, path, *path ? ": " : "", msg);
	if (!j->err[0]) /* an empty file name and path: still an error */
		snprintf(j->err, j->len, "?");
	mc_text_escape(j->err, j->len); /* key names come from the file */
	return -1;
}

void mc_json_path_key(char *out, size_t cap, const char *path, const char *key)
{
	int n = snprintf(out, cap, "%s%s%s", path, *path ? "." : "", key);

	if (n < 0 || (size_t)n >= cap)
		out[cap - 1] = '\0';
}

void mc_json_path_index(char *out, size_t cap, const char *path, size_t i)
{
	int n = snprintf(out, cap, "%s[%zu]", path, i);

	if (n < 0 || (size_t)n >= cap)
		out[cap - 1] = '\0';
}

int mc_json_keys(struct mc_json *j, const char *path, json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return mc_json_fail(j, path, "expected an object");
	json_object_foreach(o, key, v)
	{
		const char *const *a;
		char s[MC_JSON_PATH_MAX];

		for (a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (!*a) {
			mc_json_path_key(s, sizeof(s), path, key);
			return mc_json_fail(j, s, "unknown key");
		}
	}
	return 0;
}

json_t *mc_json_get(struct mc_json *j, const char *path, json_t *o, const char *key,
		    int required, char *sub)
{
	char s[MC_JSON_PATH_MAX];
	json_t *v = json_object_get(o, key);

	mc_json_path_key(s, sizeof(s), path, key);
	if (sub)
		memcpy(sub, s, sizeof(s));
	if (!v && required)
		mc_json_fail(j, s, "missing");
	return v;
}

/* The value of key, or why not: 1 present, 0 absent, -1 missing. */
static int lookup(struct mc_json *j, const char *path, json_t *o, const char *key, int required,
		  char *s, json_t **v)
{
	*v = mc_json_get(j, path, o, key, required, s);
	if (!*v)
		return required ? -1 : 0;
	return 1;
}

const char *mc_json_str(struct mc_json *j, const char *path, json_t *o, const char *key,
			size_t max, int required)
{
	char s[MC_JSON_PATH_MAX];
	const unsigned char *c;
	json_t *v;

	if (lookup(j, path, o, key, required, s, &v) <= 0)
		return NULL;
	if (!json_is_string(v)) {
		mc_json_fail(j, s, "must be a string");
		return NULL;
	}
	if (max && json_string_length(v) >= max) {
		mc_json_fail(j, s, "longer than %zu characters", max - 1);
		return NULL;
	}
	/* names reach terminals and logs: no escape sequences, no NUL */
	c = (const unsigned char *)json_string_value(v);
	if (strlen((const char *)c) != json_string_length(v)) {
		mc_json_fail(j, s, "contains a control character");
		return NULL;
	}
	for (; *c; c++)
		if (*c < 0x20 || *c == 0x7F) {
			mc_json_fail(j, s, "contains a control character");
			return NULL;
		}
	return json_string_value(v);
}

int mc_json_int(struct mc_json *j, const char *path, json_t *o, const char *key, long *out,
		long min, long max, int required)
{
	char s[MC_JSON_PATH_MAX];
	json_int_t x;
	json_t *v;
	int rc = lookup(j, path, o, key, required, s, &v);

	if (rc <= 0)
		return rc;
	if (!json_is_integer(v))
		return mc_json_fail(j, s, "must be an integer");
	x = json_integer_value(v);
	if (x < min || x > max)
		return mc_json_fail(j, s, "must be in %ld..%ld", min, max);
	*out = (long)x;
	return 1;
}

int mc_json_num(struct mc_json *j, const char *path, json_t *o, const char *key, double *out,
		double min, double max, int required)
{
	char s[MC_JSON_PATH_MAX];
	json_t *v;
	int rc = lookup(j, path, o, key, required, s, &v);

	if (rc <= 0)
		return rc;
	if (!json_is_number(v))
		return mc_json_fail(j, s, "must be a number");
	if (json_number_value(v) < min || json_number_value(v) > max)
		return mc_json_fail(j, s, "must be in %g..%g", min, max);
	*out = json_number_value(v);
	return 1;
}

int mc_json_bool(struct mc_json *j, const char *path, json_t *o, const char *key, int *out,
		 int required)
{
	char s[MC_JSON_PATH_MAX];
	json_t *v;
	int rc = lookup(j, path, o, key, required, s, &v);

	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return mc_json_fail(j, s, "must be true or false");
	*out = json_is_true(v);
	return 1;
}

int mc_json_hex(struct mc_json *j, const char *path, json_t *o, const char *key, uint8_t *out,
		size_t min, size_t max, size_t *len, int required)
{
	char s[MC_JSON_PATH_MAX];
	const char *h;
	size_t i, n;
	json_t *v;
	int rc = lookup(j, path, o, key, required, s, &v);

	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return mc_json_fail(j, s, "must be a hex string");
	h = json_string_value(v);
	n = json_string_length(v);
	if (n % 2 || n / 2 < min || n / 2 > max) {
		if (min == max)
			return mc_json_fail(j, s, "must be %zu bytes of hex", max);
		return mc_json_fail(j, s, "must be %zu..%zu bytes of hex", min, max);
	}
	i = strspn(h, "0123456789abcdefABCDEF"); /* no separators: one form */
	if (i != n) /* the place of a bad digit only, never the digit */
		return mc_json_fail(j, s, "not hex at character %zu", i);
	if (mi_hex_decode(h, out, (mi_u16)(n / 2)) != (int)(n / 2))
		return mc_json_fail(j, s, "must be %zu..%zu bytes of hex", min, max);
	if (len)
		*len = n / 2;
	return 1;
}

json_t *mc_json_load_file(struct mc_json *j, const char *file)
{
	json_error_t je;
	json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &je);

	if (!root && j->err && j->len && !j->err[0]) {
		if (je.line > 0)
			snprintf(j->err, j->len, "%s:%d:%d: %s", file, je.line, je.column,
				 mc_json_error_text(&je));
		else
			snprintf(j->err, j->len, "%s: %s", file, mc_json_error_text(&je));
		mc_text_escape(j->err, j->len);
	}
	return root;
}

const char *mc_json_error_text(json_error_t *je)
{
	char *near = strstr(je->text, " near '");

	if (near)
		*near = '\0';
	return je->text;
}

void mc_text_escape(char *s, size_t cap)
{
	char tmp[1024];
	size_t i, o = 0;

	for (i = 0; s[i] && o + 5 < sizeof(tmp); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F) {
			tmp[o++] = (char)c;
		} else {
			snprintf(tmp + o, 5, "\\x%02X", c);
			o += 4;
		}
	}
	tmp[o] = '\0';
	if (cap)
		snprintf(s, cap, "%s", tmp);
}
