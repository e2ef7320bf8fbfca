/* SPDX-License-Identifier: Apache-2.0 */
/* The applet's rule set for a generation, made by the built mimsi-compile
 * (its command line is the stable interface; librc's internals change).
 * The pool's plan and rate sheets come from the database; the plan's
 * "coverage" becomes the union of the E212 codes of the pool's products when
 * any product lists some (use case 1.1: "limited scope of product-covered
 * rate codes"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "st.h"

const char *const st_ef_names[3] = {"ef_cfg", "ef_slots", "ef_rules"};

void st_rules_free(struct st_rules *r)
{
	int i;

	for (i = 0; i < 3; i++) {
		free(r->ef[i]);
		r->ef[i] = NULL;
		r->len[i] = 0;
	}
	r->sha256[0] = '\0';
}

static int write_file(struct st_ctx *c, const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		return st_fail(c, ST_E_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
	return 0;
}

static int read_blob(struct st_ctx *c, const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return st_fail(c, ST_E_COMPILER, "%s: mimsi-compile wrote no such file", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*out = malloc(n > 0 ? (size_t)n : 1);
	if (!*out || n < 0 || fread(*out, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return st_fail(c, ST_E_COMPILER, "%s: read error", path);
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

/* The products' coverage, or NULL when none lists any. */
static json_t *products_coverage(struct st_ctx *c, int64_t pool_id)
{
	sqlite3_stmt *s = st_prep(c,
				  "SELECT pr.coverage FROM pool_product pp JOIN product pr ON "
				  "pr.id = pp.product_id WHERE pp.pool_id = ? AND pr.coverage IS NOT "
				  "NULL ORDER BY pr.name",
				  "i", pool_id);
	json_t *cov = NULL;

	while (s && sqlite3_step(s) == SQLITE_ROW) {
		char *dup = strdup((const char *)sqlite3_column_text(s, 0)), *tok, *save = NULL;
		if (!cov)
			cov = json_array();
		for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			size_t i;
			json_t *v;
			int seen = 0;
			json_array_foreach(cov, i, v) seen |= strcmp(json_string_value(v), tok) == 0;
			if (!seen)
				json_array_append_new(cov, json_string(tok));
		}
		free(dup);
	}
	sqlite3_finalize(s);
	return cov;
}

static int check_slots(struct st_ctx *c, json_t *plan, char **sponsors, int k, const char *pool)
{
	json_t *slots = json_object_get(plan, "slots"), *sl;
	size_t i;

	if (!json_is_array(slots) || json_array_size(slots) != (size_t)k)
		return st_fail(c, ST_E_DATA, "pool '%s': the plan has %zu slots, the generation %d "
					     "IMSIs per profile",
			       pool, json_is_array(slots) ? json_array_size(slots) : 0, k);
	json_array_foreach(slots, i, sl)
	{
		json_int_t idx = json_integer_value(json_object_get(sl, "index"));
		const char *sp = json_string_value(json_object_get(sl, "sponsor"));
		if (idx < 1 || idx > k || !sp)
			return st_fail(c, ST_E_DATA, "pool '%s': plan $.slots[%zu] has no index 1..%d "
						     "or no sponsor",
				       pool, i, k);
		if (strcmp(sp, sponsors[idx - 1]) != 0)
			return st_fail(c, ST_E_DATA, "pool '%s': plan slot %lld is sponsor '%s', the "
						     "batch for position %lld is of sponsor '%s'",
				       pool, (long long)idx, sp, (long long)idx, sponsors[idx - 1]);
	}
	return 0;
}

static const char *compiler_path(const char *given, char *buf, size_t cap)
{
	const char *env = getenv("MIMSI_COMPILE");
	ssize_t n;
	char *slash;

	if (given)
		return given;
	if (env && *env)
		return env;
	/* beside this program (build/ or PREFIX/bin) */
	n = readlink("/proc/self/exe", buf, cap - 1);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof("/mimsi-compile") < cap) {
			strcpy(slash, "/mimsi-compile");
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return "mimsi-compile";
}

static int run_compiler(struct st_ctx *c, const char *exe, char **argv)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return st_fail(c, ST_E_COMPILER, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* its summary is not ours to print: stdout stays ours (JSON) */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execvp(exe, argv);
		fprintf(stderr, "mimsi-stock: cannot run %s: %s (build it, or give --compiler or "
				"MIMSI_COMPILE)\n",
			exe, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return st_fail(c, ST_E_COMPILER, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return st_fail(c, ST_E_COMPILER, "%s compile failed (exit %d): see its message above",
			       exe, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static void rm_tree(const char *dir, char **names, int n)
{
	char p[1200];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
}

int st_rules_build(struct st_ctx *c, int64_t pool_id, char **sponsors, int k,
		   const char *compiler, struct st_rules *out)
{
	sqlite3_stmt *s;
	json_t *plan = NULL, *rates = NULL, *cov, *r;
	json_error_t je;
	char dir[] = "/tmp/mimsi-stock-rules-XXXXXX", path[600], exe_buf[512], pool[128];
	char *argv[40], *made[40], *text;
	int argc = 0, n_made = 0, rc = 0, i;
	size_t ri;
	EVP_MD_CTX *md;
	unsigned char dg[32];
	unsigned dl = 0;

	memset(out, 0, sizeof(*out));
	s = st_prep(c, "SELECT name, plan_json, rates_json FROM profile_pool WHERE id = ?", "i",
		    pool_id);
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_type(s, 1) == SQLITE_NULL) {
		sqlite3_finalize(s);
		return 0; /* a pool without rules: profiles carry no rule set */
	}
	snprintf(pool, sizeof(pool), "%s", (const char *)sqlite3_column_text(s, 0));
	plan = json_loads((const char *)sqlite3_column_text(s, 1), 0, &je);
	rates = json_loads((const char *)sqlite3_column_text(s, 2), 0, &je);
	sqlite3_finalize(s);
	if (!plan || !rates) {
		rc = st_fail(c, ST_E_DATA, "pool '%s': stored rule inputs unreadable", pool);
		goto out;
	}
	if (check_slots(c, plan, sponsors, k, pool) < 0) {
		rc = c->err.rc;
		goto out;
	}
	cov = products_coverage(c, pool_id);
	if (cov)
		json_object_set_new(plan, "coverage", cov);
	if (!mkdtemp(dir)) {
		rc = st_fail(c, ST_E_CANTCREAT, "mkdtemp: %s", strerror(errno));
		goto out;
	}
	argv[argc++] = (char *)compiler_path(compiler, exe_buf, sizeof(exe_buf));
	argv[argc++] = "compile";
	snprintf(path, sizeof(path), "%s/plan.json", dir);
	text = json_dumps(plan, JSON_INDENT(2));
	rc = write_file(c, path, text, strlen(text));
	free(text);
	made[n_made++] = "plan.json";
	argv[argc++] = strdup(path);
	json_array_foreach(rates, ri, r)
	{
		const char *name = json_string_value(json_object_get(r, "name"));
		const char *t = json_string_value(json_object_get(r, "text"));
		if (rc || argc > 30 || !name || !t || strchr(name, '/'))
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		rc = write_file(c, path, t, strlen(t));
		made[n_made++] = (char *)name;
		argv[argc++] = strdup(path);
	}
	snprintf(path, sizeof(path), "%s/out", dir);
	argv[argc++] = "-o";
	argv[argc++] = strdup(path);
	argv[argc] = NULL;
	if (!rc)
		rc = run_compiler(c, argv[0], argv);
	for (i = 0; !rc && i < 3; i++) {
		snprintf(path, sizeof(path), "%s/out/%s.bin", dir, st_ef_names[i]);
		rc = read_blob(c, path, &out->ef[i], &out->len[i]);
	}
	/* clean the temporary tree: out/ holds .bin, .hex and the report */
	snprintf(path, sizeof(path), "%s/out", dir);
	{
		static char *outs[] = {"ef_cfg.bin",   "ef_cfg.hex",  "ef_slots.bin", "ef_slots.hex",
				       "ef_rules.bin", "ef_rules.hex", "report.json", "report.md"};
		rm_tree(path, outs, 8);
		rmdir(path);
	}
	rm_tree(dir, made, n_made);
	rmdir(dir);
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "-o") != 0)
			free(argv[i]);
	if (rc)
		goto out;
	md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (i = 0; i < 3; i++)
		EVP_DigestUpdate(md, out->ef[i], out->len[i]);
	EVP_DigestFinal_ex(md, dg, &dl);
	EVP_MD_CTX_free(md);
	st_hex(dg, 32, out->sha256);
	for (i = 0; out->sha256[i]; i++)
		out->sha256[i] = (char)(out->sha256[i] >= 'A' ? out->sha256[i] + 32 : out->sha256[i]);
out:
	json_decref(plan);
	json_decref(rates);
	if (rc)
		st_rules_free(out);
	return rc;
}
