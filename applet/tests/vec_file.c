/* SPDX-License-Identifier: Apache-2.0 */
/*! \file vec_file.c
 *  Readers for test-vectors/ (.hex and .data files); see vec.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_hex.h"
#include "vec.h"

int vec_hex_decode(const char *hex, mi_u8 *out, size_t cap)
{
	int n = mi_hex_decode(hex, out, cap > MI_LEN_MAX ? (mi_u16)MI_LEN_MAX : (mi_u16)cap);

	return n < 0 ? -1 : n;
}

int vec_read_hex_file(const char *path, mi_u8 *out, size_t cap)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int rc;

	if (!f) {
		fprintf(stderr, "vec: cannot open %s (run from the repository root)\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		rc = vec_hex_decode(line, out + n, cap - n);
		if (rc < 0) {
			fprintf(stderr, "vec: bad hex or too long in %s\n", path);
			fclose(f);
			return -1;
		}
		n += (size_t)rc;
	}
	fclose(f);
	return (int)n;
}

int vec_open(struct vec_file *vf, const char *path)
{
	vf->path = path;
	vf->line = 0;
	vf->f = fopen(path, "r");
	if (!vf->f) {
		fprintf(stderr, "vec: cannot open %s (run from the repository root)\n", path);
		return -1;
	}
	return 0;
}

void vec_close(struct vec_file *vf)
{
	if (vf->f)
		fclose(vf->f);
	vf->f = NULL;
}

/* Split "func:a:"b":c" into c->func and c->arg[]. */
static int vec_split(char *s, struct vec_case *c)
{
	size_t n;
	char *p = strchr(s, ':');

	if (!p || (size_t)(p - s) >= VEC_FUNC_MAX)
		return -1;
	memcpy(c->func, s, (size_t)(p - s));
	c->func[p - s] = '\0';
	c->nargs = 0;
	while (*p == ':') {
		p++;
		if (c->nargs >= VEC_MAX_ARGS)
			return -1;
		n = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (n + 1 >= VEC_ARG_MAX)
					return -1;
				c->arg[c->nargs][n++] = *p;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			for (; *p && *p != ':'; p++) {
				if (n + 1 >= VEC_ARG_MAX)
					return -1;
				c->arg[c->nargs][n++] = *p;
			}
		}
		c->arg[c->nargs][n] = '\0';
		c->nargs++;
	}
	return *p == '\0' ? 0 : -1;
}

int vec_next(struct vec_file *vf, struct vec_case *c)
{
	char line[2048];
	size_t n;

	while (fgets(line, sizeof(line), vf->f)) {
		vf->line++;
		n = strlen(line);
		if (n > 0 && line[n - 1] != '\n' && !feof(vf->f)) {
			fprintf(stderr, "%s:%d: line too long\n", vf->path, vf->line);
			return -1;
		}
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		c->path = vf->path;
		c->line = vf->line;
		if (vec_split(line, c) < 0) {
			fprintf(stderr, "%s:%d: malformed vector line\n", vf->path, vf->line);
			return -1;
		}
		return 1;
	}
	return 0;
}

static const struct {
	const char *name;
	int value;
} vec_err_names[] = {
    {"MI_OK", MI_OK},
    {"MI_ERR_TRUNCATED", MI_ERR_TRUNCATED},
    {"MI_ERR_LENGTH", MI_ERR_LENGTH},
    {"MI_ERR_CAPACITY", MI_ERR_CAPACITY},
    {"MI_ERR_DIGIT", MI_ERR_DIGIT},
    {"MI_ERR_RANGE", MI_ERR_RANGE},
    {"MI_ERR_TAG", MI_ERR_TAG},
    {"MI_ERR_FORMAT", MI_ERR_FORMAT},
    {"MI_ERR_CRC", MI_ERR_CRC},
    {"MI_ERR_VERSION", MI_ERR_VERSION},
    {"MI_ERR_STATE", MI_ERR_STATE},
    {"MI_ERR_NV", MI_ERR_NV},
    {"MI_ERR_NOT_FOUND", MI_ERR_NOT_FOUND},
    {"MI_ERR_BUSY", MI_ERR_BUSY},
    {"MI_ERR_UNSUPPORTED", MI_ERR_UNSUPPORTED},
    {"MI_ERR_PARAM", MI_ERR_PARAM},
};

int vec_int(const char *tok, long *out)
{
	char *end;
	size_t i;

	for (i = 0; i < sizeof(vec_err_names) / sizeof(vec_err_names[0]); i++) {
		if (strcmp(tok, vec_err_names[i].name) == 0) {
			*out = vec_err_names[i].value;
			return 0;
		}
	}
	if (*tok == '\0')
		return -1;
	*out = strtol(tok, &end, 0);
	return *end == '\0' ? 0 : -1;
}

int vec_run(const char *path, void (*run)(const struct vec_case *c))
{
	static struct vec_case c; /* 8 KiB: kept off the stack */
	struct vec_file vf;
	int rc, count = 0;

	if (vec_open(&vf, path) < 0)
		return -1;
	while ((rc = vec_next(&vf, &c)) == 1) {
		run(&c);
		count++;
	}
	vec_close(&vf);
	return rc < 0 ? -1 : count;
}
