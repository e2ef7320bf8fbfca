/* SPDX-License-Identifier: Apache-2.0 */
/* The database: open with WAL and foreign keys, migrate the schema
 * (PRAGMA user_version), transactions, and the prepared-statement helpers
 * every other file uses (values are always bound, never spliced). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "st.h"
#include "st_schema.h"

int st_fail(struct st_ctx *c, int rc, const char *fmt, ...)
{
	va_list ap;

	if (c->err.text[0])
		return c->err.rc ? c->err.rc : rc;
	va_start(ap, fmt);
	vsnprintf(c->err.text, sizeof(c->err.text), fmt, ap);
	va_end(ap);
	c->err.rc = rc;
	return rc;
}

void st_result(struct st_ctx *c, json_t *j, const char *fmt, ...)
{
	va_list ap;

	if (c->json) {
		json_dumpf(j, c->out, JSON_PRESERVE_ORDER);
		fputc('\n', c->out);
	} else {
		va_start(ap, fmt);
		vfprintf(c->out, fmt, ap);
		va_end(ap);
	}
	json_decref(j);
}

int st_fail_db(struct st_ctx *c, const char *what)
{
	int code = sqlite3_errcode(c->db);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return st_fail(c, ST_E_BUSY, "%s: %s: database busy (another mimsi-stock holds it "
					     "longer than the busy timeout, %d ms)",
			       c->path, what, c->busy_ms);
	return st_fail(c, ST_E_DB, "%s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

int st_exit_code(int rc)
{
	switch (rc) {
	case ST_OK: return EX_OK;
	case ST_E_USAGE: return EX_USAGE;
	case ST_E_DATA:
	case ST_E_NOTFOUND: return EX_DATAERR;
	case ST_E_NOINPUT: return EX_NOINPUT;
	case ST_E_CANTCREAT: return EX_CANTCREAT;
	case ST_E_STATE: return EX_NOPERM;
	case ST_E_EMPTY:
	case ST_E_COMPILER: return EX_UNAVAILABLE;
	case ST_E_KEY: return EX_CONFIG;
	case ST_E_BUSY: return EX_TEMPFAIL;
	case ST_E_DB: return EX_IOERR;
	default: return EX_SOFTWARE;
	}
}

static int bind_va(struct st_ctx *c, sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 0; fmt && fmt[i] && rc == SQLITE_OK; i++) {
		int idx = i + 1;
		switch (fmt[i]) {
		case 'i': rc = sqlite3_bind_int64(st, idx, va_arg(ap, int64_t)); break;
		case 'd': rc = sqlite3_bind_int(st, idx, va_arg(ap, int)); break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, idx);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			int n = va_arg(ap, int);
			rc = p ? sqlite3_bind_blob(st, idx, p, n, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, idx);
			break;
		}
		case 'n': rc = sqlite3_bind_null(st, idx); break;
		default: return st_fail(c, ST_E_SOFTWARE, "bind: bad format letter '%c'", fmt[i]);
		}
	}
	return rc == SQLITE_OK ? 0 : st_fail_db(c, "bind");
}

static sqlite3_stmt *prep_va(struct st_ctx *c, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		st_fail_db(c, "prepare");
		return NULL;
	}
	if (bind_va(c, st, fmt, ap) < 0) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *st_prep(struct st_ctx *c, const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;

	va_start(ap, fmt);
	st = prep_va(c, sql, fmt, ap);
	va_end(ap);
	return st;
}

int st_run(struct st_ctx *c, const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int rc;

	va_start(ap, fmt);
	st = prep_va(c, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return c->err.rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return st_fail_db(c, "update");
	return sqlite3_changes(c->db);
}

int st_get_i64(struct st_ctx *c, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int rc;

	va_start(ap, fmt);
	st = prep_va(c, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return c->err.rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : st_fail_db(c, "query");
}

int st_id(struct st_ctx *c, const char *table, const char *kind, const char *name, int64_t *id)
{
	/* table names come from the code, never from the user */
	static const char *const tables[] = {"sponsor", "batch", "profile_pool", "product",
					     "imsi_pool"};
	char sql[96];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(table, tables[i]) == 0)
			break;
	if (i == sizeof(tables) / sizeof(tables[0]))
		return st_fail(c, ST_E_SOFTWARE, "st_id: unknown table %s", table);
	if (!name || !*name)
		return st_fail(c, ST_E_USAGE, "a %s name is needed", kind);
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE name = ?", tables[i]);
	rc = st_get_i64(c, id, sql, "t", name);
	if (rc == 0)
		return st_fail(c, ST_E_NOTFOUND, "no %s named '%s'", kind, name);
	return rc < 0 ? rc : 0;
}

int st_schema_latest(void)
{
	return (int)st_n_migrations;
}

int st_schema_version(struct st_ctx *c)
{
	int64_t v = 0;

	if (st_get_i64(c, &v, "PRAGMA user_version", NULL) < 0)
		return -1;
	return (int)v;
}

static int exec_plain(struct st_ctx *c, const char *sql, const char *what)
{
	/* constant SQL (schema, pragmas, transaction control) only */
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return st_fail_db(c, what);
	return 0;
}

static int migrate(struct st_ctx *c)
{
	int v = st_schema_version(c);
	char pragma[48];

	if (v < 0)
		return c->err.rc;
	if (v > (int)st_n_migrations)
		return st_fail(c, ST_E_DB, "%s: schema version %d is newer than this mimsi-stock "
					   "(%d): use a newer mimsi-stock",
			       c->path, v, (int)st_n_migrations);
	for (; v < (int)st_n_migrations; v++) {
		if (exec_plain(c, "BEGIN IMMEDIATE", "migrate") < 0)
			return c->err.rc;
		/* re-read under the lock: another process may have migrated */
		if (st_schema_version(c) != v) {
			exec_plain(c, "ROLLBACK", "migrate");
			return migrate(c);
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (exec_plain(c, st_migrations[v], "migrate") < 0 ||
		    exec_plain(c, pragma, "migrate") < 0 || exec_plain(c, "COMMIT", "migrate") < 0) {
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
			return c->err.rc;
		}
	}
	return 0;
}

int st_open(struct st_ctx *c, const char *path, int create)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

	c->path = path;
	if (!create && access(path, F_OK) != 0)
		return st_fail(c, ST_E_NOINPUT, "%s: no such database (create it with: mimsi-stock "
						"--db %s init)",
			       path, path);
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		st_fail(c, ST_E_CANTCREAT, "%s: cannot open: %s", path,
			c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		c->db = NULL;
		return c->err.rc;
	}
	sqlite3_busy_timeout(c->db, c->busy_ms > 0 ? c->busy_ms : 60000);
	if (exec_plain(c, "PRAGMA journal_mode = WAL", "WAL") < 0 ||
	    exec_plain(c, "PRAGMA foreign_keys = ON", "foreign keys") < 0 ||
	    exec_plain(c, "PRAGMA synchronous = NORMAL", "synchronous") < 0 ||
	    /* 32 MiB of page cache and reads through mmap: the audit's random
	     * lookups and a 100,000-profile generation stay in memory */
	    exec_plain(c, "PRAGMA cache_size = -32768", "cache") < 0 ||
	    exec_plain(c, "PRAGMA mmap_size = 1073741824", "mmap") < 0 ||
	    exec_plain(c, "PRAGMA temp_store = MEMORY", "temp store") < 0)
		return c->err.rc;
	return migrate(c);
}

void st_close(struct st_ctx *c)
{
	if (c->db)
		sqlite3_close(c->db);
	c->db = NULL;
}

int st_begin(struct st_ctx *c)
{
	if (exec_plain(c, "BEGIN IMMEDIATE", "begin") < 0)
		return c->err.rc;
	if (st_sweep(c, NULL, NULL) < 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return c->err.rc;
	}
	return 0;
}

int st_end(struct st_ctx *c, int rc)
{
	if (rc == ST_OK) {
		if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
			return ST_OK;
		rc = st_fail_db(c, "commit");
	}
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
