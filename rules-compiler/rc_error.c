/* SPDX-License-Identifier: Apache-2.0 */
/* First error wins: later calls leave an existing message alone. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rc.h"

void rc_err_clear(rc_error_t *e)
{
	e->text[0] = '\0';
	e->kind = RC_EK_DATA;
}

int rc_err_isset(const rc_error_t *e)
{
	return e->text[0] != '\0';
}

static void err_tail(rc_error_t *e, size_t at, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void err_tail(rc_error_t *e, size_t at, const char *fmt, va_list ap)
{
	if (at < sizeof(e->text))
		vsnprintf(e->text + at, sizeof(e->text) - at, fmt, ap);
}

static size_t err_len(int n, size_t cap)
{
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap;
}

void rc_err_at(rc_error_t *e, const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rc_err_isset(e))
		return;
	n = snprintf(e->text, sizeof(e->text), "%s:%ld:%ld: ", file, line, col);
	va_start(ap, fmt);
	err_tail(e, err_len(n, sizeof(e->text)), fmt, ap);
	va_end(ap);
}

void rc_err_path(rc_error_t *e, const char *file, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rc_err_isset(e))
		return;
	n = snprintf(e->text, sizeof(e->text), "%s: %s: ", file, path);
	va_start(ap, fmt);
	err_tail(e, err_len(n, sizeof(e->text)), fmt, ap);
	va_end(ap);
}

void rc_err_msg(rc_error_t *e, const char *fmt, ...)
{
	va_list ap;

	if (rc_err_isset(e))
		return;
	va_start(ap, fmt);
	err_tail(e, 0, fmt, ap);
	va_end(ap);
}

void rc_err_io(rc_error_t *e, int kind, const char *fmt, ...)
{
	va_list ap;

	if (rc_err_isset(e))
		return;
	e->kind = kind;
	va_start(ap, fmt);
	err_tail(e, 0, fmt, ap);
	va_end(ap);
}
