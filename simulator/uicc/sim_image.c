/* SPDX-License-Identifier: Apache-2.0 */
/* Card image: a JSON description of a whole card (docs/card-image.md).
 * Loaded strictly: duplicate keys and unknown keys are errors, reported
 * with the JSON path; secrets never appear in a message. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_hex.h"
#include "mimsi/mi_err.h"
#include "sim_int.h"
#include "mc_json.h"

#define IMAGE_FORMAT "mimsi-card-image"
#define IMAGE_VERSION 1

/* The image's getters take a default and give the value back; the checks
 * and their messages are the host tools' one JSON kit (mc_json.h). */
static long get_hex(struct mc_json *x, json_t *obj, const char *key, const char *path,
		    uint8_t *out, size_t cap, size_t want, int required)
{
	size_t n = 0;
	int rc = mc_json_hex(x, path, obj, key, out, want ? want : 1, want ? want : cap, &n,
			     required);

	return rc <= 0 ? rc : (long)n;
}

static long get_int(struct mc_json *x, json_t *obj, const char *key, const char *path, long lo,
		    long hi, long dflt, int required)
{
	long v = dflt;

	return mc_json_int(x, path, obj, key, &v, lo, hi, required) < 0 ? lo : v;
}

static int get_bool(struct mc_json *x, json_t *obj, const char *key, const char *path, int dflt)
{
	int v = dflt;

	(void)mc_json_bool(x, path, obj, key, &v, 0);
	return v;
}

static const char *get_str(struct mc_json *x, json_t *obj, const char *key, const char *path,
			   int required)
{
	return mc_json_str(x, path, obj, key, 0, required);
}

/* PIN value: 4..8 ASCII digits, stored FF-padded (TS 102 221 §9.5.1). */
static int get_pin(struct mc_json *x, json_t *obj, const char *key, const char *path, uint8_t out[8],
		   int required)
{
	const char *s = get_str(x, obj, key, path, required);
	char sub[MC_JSON_PATH_MAX];
	size_t n;

	if (!s)
		return mc_json_failed(x) ? -1 : 0;
	n = strlen(s);
	if (n < 4 || n > 8 || strspn(s, "0123456789") != n) {
		mc_json_path_key(sub, sizeof(sub), path, key);
		return mc_json_fail(x, sub, "must be 4..8 digits");
	}
	memset(out, 0xFF, 8);
	memcpy(out, s, n);
	return 1;
}

/* Path of real FIDs from the MF: "3F00/7FF0/6F07". */
static int real_path(const struct sim_card *c, int f, char *out, size_t cap)
{
	int chain[8], n = 0, i;
	size_t pos = 0;

	while (f >= 0 && n < 8) {
		chain[n++] = f;
		f = c->files[f].parent;
	}
	out[0] = '\0';
	for (i = n - 1; i >= 0; i--) {
		int w = snprintf(out + pos, cap - pos, "%s%04X", i == n - 1 ? "" : "/", c->files[chain[i]].fid);

		if (w < 0 || (size_t)w >= cap - pos)
			return -1;
		pos += (size_t)w;
	}
	return 0;
}

/* Parent of "3F00/7FF0/6F07" by real FIDs; sets *fid. -1 = none. */
static int parent_of(const struct sim_card *c, const char *path, uint16_t *fid, int *is_mf)
{
	uint16_t p[8];
	unsigned n = 0, i;
	const char *s = path;
	int cur;

	while (*s) {
		char *end;
		unsigned long v;

		if (n == 8 || !isxdigit((unsigned char)s[0]))
			return -2;
		v = strtoul(s, &end, 16);
		if (end - s != 4)
			return -2;
		p[n++] = (uint16_t)v;
		s = end;
		if (*s == '/')
			s++;
		else if (*s)
			return -2;
	}
	if (n == 0 || p[0] != 0x3F00)
		return -2;
	*fid = p[n - 1];
	*is_mf = n == 1;
	if (n == 1)
		return -1;
	cur = sim_fs_mf(c);
	for (i = 1; i + 1 < n && cur >= 0; i++)
		cur = sim_fs_child(c, cur, p[i]);
	return cur >= 0 ? cur : -3;
}

static const char *const k_root[] = {"format", "version", "atr", "sqn_window", "pins", "keysets",
				     "active_keyset", "applet", "files", NULL};
static const char *const k_pin[] = {"ref", "value", "puk", "tries", "max_tries", "puk_tries",
				    "puk_max", "enabled", NULL};
static const char *const k_keyset[] = {"ref", "k", "opc", "sqn", NULL};
static const char *const k_applet[] = {"installed", NULL};
static const char *const k_file[] = {"path", "name", "type", "structure", "size", "record_size",
				     "sfi", "arr", "aid", "content", "link", NULL};

static void load_file_entry(struct mc_json *x, struct sim_card *c, json_t *e, const char *path)
{
	const char *p = get_str(x, e, "path", path, 1);
	const char *type = get_str(x, e, "type", path, 1);
	const char *name = get_str(x, e, "name", path, 0);
	uint8_t arr[3], aid[16];
	uint16_t fid;
	int is_mf, parent, f;
	long sfi, size;

	if (mc_json_failed(x) || mc_json_keys(x, path, e, k_file))
		return;
	parent = parent_of(c, p, &fid, &is_mf);
	if (parent == -2 || parent == -3) {
		mc_json_fail(x, path, parent == -2 ? "bad path (hex FIDs from 3F00, '/' between)"
					   : "the parent DF is not defined before this file");
		return;
	}
	if (get_hex(x, e, "arr", path, arr, 3, 3, 1) < 0)
		return;
	if (!strcmp(type, "MF") || !strcmp(type, "DF") || !strcmp(type, "ADF")) {
		uint8_t t = !strcmp(type, "MF") ? SIM_MF : !strcmp(type, "DF") ? SIM_DF : SIM_ADF;
		long aid_len = 0;

		if ((t == SIM_MF) != (is_mf != 0)) {
			mc_json_fail(x, path, "the MF is 3F00 and only 3F00");
			return;
		}
		if (t == SIM_ADF && (aid_len = get_hex(x, e, "aid", path, aid, 16, 0, 1)) < 0)
			return;
		f = sim_fs_add(c, parent, t, fid, name ? name : type);
		if (f < 0) {
			mc_json_fail(x, path, "duplicate file or too many files");
			return;
		}
		if (t == SIM_ADF) {
			memcpy(c->files[f].aid, aid, (size_t)aid_len);
			c->files[f].aid_len = (uint8_t)aid_len;
		}
	} else if (!strcmp(type, "EF") && json_object_get(e, "link")) {
		/* an EF sharing another EF's content (DF.GSM seen through ADF.USIM) */
		const char *target = get_str(x, e, "link", path, 1);
		int t;

		sfi = get_int(x, e, "sfi", path, 0, 30, 0, 0);
		if (mc_json_failed(x))
			return;
		if (is_mf || parent < 0) {
			mc_json_fail(x, path, "an EF cannot be 3F00");
			return;
		}
		if (json_object_get(e, "content") || json_object_get(e, "size") ||
		    json_object_get(e, "structure")) {
			mc_json_fail(x, path, "a \"link\" takes its structure, size and content from its target");
			return;
		}
		t = sim_fs_by_path_str(c, target);
		f = t < 0 ? -1
			  : sim_fs_add_link(c, parent, fid, name ? name : "EF", t, (uint8_t)sfi, 0, 0);
		if (f < 0) {
			mc_json_fail(x, path, t < 0 ? "the \"link\" target is not an EF defined before it"
					    : "bad link (duplicate, or a link to a link)");
			return;
		}
	} else if (!strcmp(type, "EF")) {
		const char *st = get_str(x, e, "structure", path, 1);
		uint8_t structure;
		long rec = 0, n;
		uint8_t *content;

		if (is_mf || parent < 0 || !st) {
			mc_json_fail(x, path, is_mf ? "an EF cannot be 3F00" : "missing \"structure\"");
			return;
		}
		structure = !strcmp(st, "transparent") ? SIM_TRANSPARENT
			    : !strcmp(st, "linear")    ? SIM_LINEAR
			    : !strcmp(st, "cyclic")    ? SIM_CYCLIC
						       : 0;
		if (!structure) {
			mc_json_fail(x, path, "\"structure\" must be transparent, linear or cyclic");
			return;
		}
		size = get_int(x, e, "size", path, 1, 0x7FFF, 0, 1);
		if (structure != SIM_TRANSPARENT)
			rec = get_int(x, e, "record_size", path, 1, 255, 0, 1);
		sfi = get_int(x, e, "sfi", path, 0, 30, 0, 0);
		if (mc_json_failed(x))
			return;
		f = sim_fs_add_ef(c, parent, fid, name ? name : "EF", structure, (uint16_t)size,
				  (uint16_t)rec, (uint8_t)sfi, 0, 0);
		if (f < 0) {
			mc_json_fail(x, path, "duplicate file, bad record size or out of memory");
			return;
		}
		content = sim_fs_data(c, f);
		n = get_hex(x, e, "content", path, content, (size_t)size, (size_t)size, 1);
		if (n < 0)
			return;
	} else {
		mc_json_fail(x, path, "\"type\" must be MF, DF, ADF or EF");
		return;
	}
	c->files[f].arr_fid = (uint16_t)(arr[0] << 8 | arr[1]);
	c->files[f].arr_rec = arr[2];
}

static void load_root(struct mc_json *x, struct sim_card *c, json_t *root)
{
	json_t *a, *e;
	size_t i;
	char path[64];
	long ks;
	const char *fmt;

	if (mc_json_keys(x, "$", root, k_root))
		return;
	fmt = get_str(x, root, "format", "$", 1);
	if (fmt && strcmp(fmt, IMAGE_FORMAT))
		mc_json_fail(x, "$.format", "must be \"%s\"", IMAGE_FORMAT);
	get_int(x, root, "version", "$", IMAGE_VERSION, IMAGE_VERSION, 0, 1);
	{
		long n = get_hex(x, root, "atr", "$", c->atr, SIM_ATR_MAX, 0, 1);

		if (n > 0 && n < 2)
			mc_json_fail(x, "$.atr", "too short");
		c->atr_len = n > 0 ? (size_t)n : 0;
	}
	c->sqn_window = (uint32_t)get_int(x, root, "sqn_window", "$", 1, 0x7FFFFFFFL, 1L << 28, 0);

	a = json_object_get(root, "pins");
	if (!json_is_array(a) || json_array_size(a) > MI_ARRAY_SIZE(c->pins)) {
		mc_json_fail(x, "$.pins", "must be an array of at most %zu PINs", MI_ARRAY_SIZE(c->pins));
		return;
	}
	json_array_foreach(a, i, e) {
		struct sim_pin *p = &c->pins[c->n_pins++];
		uint8_t ref;

		snprintf(path, sizeof(path), "$.pins[%zu]", i);
		if (mc_json_keys(x, path, e, k_pin) || get_hex(x, e, "ref", path, &ref, 1, 1, 1) < 0 ||
		    get_pin(x, e, "value", path, p->value, 1) < 0)
			return;
		p->ref = ref;
		p->has_puk = get_pin(x, e, "puk", path, p->puk, 0) == 1;
		p->max_tries = (uint8_t)get_int(x, e, "max_tries", path, 1, 15, 3, 0);
		p->tries = (uint8_t)get_int(x, e, "tries", path, 0, p->max_tries, p->max_tries, 0);
		p->puk_max = (uint8_t)get_int(x, e, "puk_max", path, 1, 15, 10, 0);
		p->puk_tries = (uint8_t)get_int(x, e, "puk_tries", path, 0, p->puk_max, p->puk_max, 0);
		p->enabled = (uint8_t)get_bool(x, e, "enabled", path, 1);
	}
	a = json_object_get(root, "keysets");
	if (!json_is_array(a) || json_array_size(a) > SIM_MAX_KEYSETS) {
		mc_json_fail(x, "$.keysets", "must be an array of at most %u key sets", SIM_MAX_KEYSETS);
		return;
	}
	json_array_foreach(a, i, e) {
		struct sim_keyset *k = &c->keysets[c->n_keysets++];

		snprintf(path, sizeof(path), "$.keysets[%zu]", i);
		if (mc_json_keys(x, path, e, k_keyset))
			return;
		k->ref = (uint8_t)get_int(x, e, "ref", path, 1, SIM_MAX_KEYSETS, 0, 1);
		if (get_hex(x, e, "k", path, k->k, 16, 16, 1) < 0 ||
		    get_hex(x, e, "opc", path, k->opc, 16, 16, 1) < 0 ||
		    get_hex(x, e, "sqn", path, k->sqn, 6, 6, 1) < 0)
			return;
	}
	ks = get_int(x, root, "active_keyset", "$", 1, SIM_MAX_KEYSETS, 1, 0);
	c->nv.obj[SIM_NV_OBJ_KEYSET].data[0] = (uint8_t)ks;

	a = json_object_get(root, "files");
	if (!json_is_array(a) || json_array_size(a) == 0) {
		mc_json_fail(x, "$.files", "must be a non-empty array (the MF first)");
		return;
	}
	json_array_foreach(a, i, e) {
		snprintf(path, sizeof(path), "$.files[%zu]", i);
		load_file_entry(x, c, e, path);
		if (mc_json_failed(x))
			return;
	}
	e = json_object_get(root, "applet");
	if (e) {
		if (mc_json_keys(x, "$.applet", e, k_applet))
			return;
		c->applet_installed = (uint8_t)get_bool(x, e, "installed", "$.applet", 1);
	}
}

struct sim_card *sim_card_load(const char *file, char *err, size_t err_len)
{
	struct mc_json x;
	json_t *root;
	struct sim_card *c;

	mc_json_init(&x, file, err, err_len);
	if (!file) {
		if (err && err_len)
			snprintf(err, err_len, "no image file given");
		return NULL;
	}
	root = mc_json_load_file(&x, file); /* never quotes the token: it may be a secret */
	if (!root)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		json_decref(root);
		mc_json_fail(&x, "$", "out of memory");
		return NULL;
	}
	sim_nv_init(&c->nv);
	if (sim_nv_alloc(&c->nv, SIM_NV_OBJ_KEYSET, 1, 0x01) ||
	    sim_nv_alloc(&c->nv, SIM_NV_OBJ_JOURNAL, SIM_NV_JOURNAL_SIZE, 0x00) ||
	    sim_nv_alloc(&c->nv, SIM_NV_OBJ_JFLAG, 1, 0x00))
		mc_json_fail(&x, "$", "out of memory");
	else
		load_root(&x, c, root);
	json_decref(root);
	if (!mc_json_failed(&x) && sim_fs_mf(c) < 0)
		mc_json_fail(&x, "$.files", "no MF (3F00)");
	if (mc_json_failed(&x)) {
		sim_card_free(c);
		return NULL;
	}
	sim_card_bind_applet(c);
	if (c->applet_installed) {
		/* installed: reset loads its state from EF.MI_STATE at power-on */
	} else {
		c->applet_installed = mi_applet_install(&c->applet) == MI_OK;
	}
	return c;
}

/* ---- save --------------------------------------------------------------- */

static json_t *hexstr(const uint8_t *b, size_t n)
{
	static const char d[] = "0123456789ABCDEF";
	char *s = malloc(2 * n + 1);
	json_t *j;
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = d[b[i] >> 4];
		s[2 * i + 1] = d[b[i] & 15];
	}
	s[2 * n] = '\0';
	j = json_string(s);
	free(s);
	return j;
}

static json_t *pin_str(const uint8_t v[8])
{
	char s[9];
	unsigned i;

	for (i = 0; i < 8 && v[i] != 0xFF; i++)
		s[i] = (char)v[i];
	s[i] = '\0';
	return json_string(s);
}

static json_t *build(const struct sim_card *c)
{
	json_t *root = json_object(), *a;
	unsigned i;
	int f;

	json_object_set_new(root, "format", json_string(IMAGE_FORMAT));
	json_object_set_new(root, "version", json_integer(IMAGE_VERSION));
	json_object_set_new(root, "atr", hexstr(c->atr, c->atr_len));
	json_object_set_new(root, "sqn_window", json_integer(c->sqn_window));
	a = json_array();
	for (i = 0; i < c->n_pins; i++) {
		const struct sim_pin *p = &c->pins[i];
		json_t *o = json_object();

		json_object_set_new(o, "ref", hexstr(&p->ref, 1));
		json_object_set_new(o, "value", pin_str(p->value));
		if (p->has_puk) {
			json_object_set_new(o, "puk", pin_str(p->puk));
			json_object_set_new(o, "puk_tries", json_integer(p->puk_tries));
			json_object_set_new(o, "puk_max", json_integer(p->puk_max));
		}
		json_object_set_new(o, "tries", json_integer(p->tries));
		json_object_set_new(o, "max_tries", json_integer(p->max_tries));
		json_object_set_new(o, "enabled", json_boolean(p->enabled));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "pins", a);
	a = json_array();
	for (i = 0; i < c->n_keysets; i++) {
		const struct sim_keyset *k = &c->keysets[i];
		json_t *o = json_object();

		json_object_set_new(o, "ref", json_integer(k->ref));
		json_object_set_new(o, "k", hexstr(k->k, 16));
		json_object_set_new(o, "opc", hexstr(k->opc, 16));
		json_object_set_new(o, "sqn", hexstr(k->sqn, 6));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "keysets", a);
	json_object_set_new(root, "active_keyset", json_integer(c->nv.obj[SIM_NV_OBJ_KEYSET].data[0]));
	{
		json_t *o = json_object();

		json_object_set_new(o, "installed", json_boolean(c->applet_installed));
		json_object_set_new(root, "applet", o);
	}
	a = json_array();
	/* parents before children: walk by depth */
	for (unsigned depth = 0; depth < 8; depth++) {
		for (f = 0; f < (int)SIM_MAX_FILES; f++) {
			const struct sim_file *sf = &c->files[f];
			json_t *o;
			char path[64];
			uint8_t arr[3];
			unsigned d = 0;
			int p;

			if (!sf->used)
				continue;
			for (p = sf->parent; p >= 0; p = c->files[p].parent)
				d++;
			if (d != depth || real_path(c, f, path, sizeof(path)))
				continue;
			o = json_object();
			json_object_set_new(o, "path", json_string(path));
			json_object_set_new(o, "name", json_string(sf->name));
			json_object_set_new(o, "type", json_string(sf->type == SIM_MF    ? "MF"
								   : sf->type == SIM_DF  ? "DF"
								   : sf->type == SIM_ADF ? "ADF"
											 : "EF"));
			arr[0] = (uint8_t)(sf->arr_fid >> 8);
			arr[1] = (uint8_t)sf->arr_fid;
			arr[2] = sf->arr_rec;
			json_object_set_new(o, "arr", hexstr(arr, 3));
			if (sf->type == SIM_ADF)
				json_object_set_new(o, "aid", hexstr(sf->aid, sf->aid_len));
			if (sf->type == SIM_EF && sf->link >= 0) {
				char target[64];

				if (real_path(c, sf->link, target, sizeof(target)) == 0)
					json_object_set_new(o, "link", json_string(target));
				if (sf->sfi)
					json_object_set_new(o, "sfi", json_integer(sf->sfi));
			} else if (sf->type == SIM_EF) {
				json_object_set_new(o, "structure",
						    json_string(sf->structure == SIM_TRANSPARENT ? "transparent"
								: sf->structure == SIM_LINEAR    ? "linear"
												 : "cyclic"));
				json_object_set_new(o, "size", json_integer(sim_fs_size(c, f)));
				if (sf->structure != SIM_TRANSPARENT)
					json_object_set_new(o, "record_size", json_integer(sf->rec_len));
				if (sf->sfi)
					json_object_set_new(o, "sfi", json_integer(sf->sfi));
				json_object_set_new(o, "content",
						    hexstr(c->nv.obj[sf->nv].data, sim_fs_size(c, f)));
			}
			json_array_append_new(a, o);
		}
	}
	json_object_set_new(root, "files", a);
	return root;
}

int sim_card_save(const struct sim_card *c, const char *file, char *err, size_t err_len)
{
	char tmp[4096];
	json_t *root;
	int rc, fd;

	if (err && err_len)
		err[0] = '\0';
	if (!c || !file)
		return SIM_ERR_PARAM;
	root = build(c);
	if (!root)
		return SIM_ERR_IO;
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	/* write aside (0600: the image holds keys), then rename: a crash never
	 * leaves half an image */
	rc = SIM_ERR_IO;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		FILE *f = fdopen(fd, "w");

		if (!f) {
			close(fd);
		} else {
			int ok = json_dumpf(root, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF;

			ok = fclose(f) == 0 && ok;
			if (ok && rename(tmp, file) == 0)
				rc = SIM_OK;
			else
				unlink(tmp);
		}
	}
	if (rc != SIM_OK && err && err_len)
		snprintf(err, err_len, "%s: %s", file, strerror(errno));
	json_decref(root);
	return rc;
}
