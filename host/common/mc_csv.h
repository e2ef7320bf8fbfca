/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mc_csv.h
 *  One RFC 4180 CSV reader for the host tools, on Debian's libcsv.
 *
 *  Quoted fields (with commas, doubled quotes and embedded line ends), CRLF or
 *  LF line ends, a leading UTF-8 BOM, optional '#' comment lines and blank
 *  lines are accepted. Every row reaches a callback with each field's text and
 *  the line:column where it starts, so the caller's errors can name
 *  file:line:column (columns count UTF-8 characters from 1). Field values are
 *  never copied into error messages: a CSV may carry keys.
 */
#ifndef MIMSI_MC_CSV_H
#define MIMSI_MC_CSV_H

#include <stdarg.h>
#include <stddef.h>

#define MC_CSV_ERR_MAX 512

/*! The first error wins (like jansson's json_error_t). */
struct mc_csv_err {
	char text[MC_CSV_ERR_MAX]; /*!< "file:line:column: what", "" = none */
	long line, col;		   /*!< where, 0 when the error has no place */
};

struct mc_csv_row {
	const char *file; /*!< the name given to the reader */
	size_t index;	  /*!< 0 for the first row (the header, when there is one) */
	size_t n;	  /*!< fields */
	char **field;	  /*!< NUL-terminated texts (a field may hold a NUL: see len) */
	const size_t *len;
	const long *line; /*!< line of each field's first character */
	const long *col;  /*!< column of each field's first character */
};

/*! Called once per row; return 0 to go on, anything else stops the reader
 *  and is returned by it (set \a err first, e.g. with mc_csv_err_field). */
typedef int (*mc_csv_row_fn)(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err);

struct mc_csv_opts {
	unsigned char delim;	/*!< 0 = ',' */
	int comments;		/*!< lines starting with '#' are skipped */
	size_t max_fields;	/*!< 0 = 256 */
	size_t max_field_len;	/*!< 0 = 4096 bytes */
};

/*! Read a file ("-" is stdin). \returns 0, the callback's non-zero value, or
 *  -1 on a syntax, size or I/O error (err set with file:line:column). */
int mc_csv_read_file(const char *path, const struct mc_csv_opts *opts, mc_csv_row_fn fn,
		     void *ctx, struct mc_csv_err *err);
/*! The same from memory; \a name is the file name used in messages. */
int mc_csv_read_mem(const char *name, const char *buf, size_t len, const struct mc_csv_opts *opts,
		    mc_csv_row_fn fn, void *ctx, struct mc_csv_err *err);

/*! Set "file:line:column: text" at field \a i of \a row (first error wins). */
void mc_csv_err_field(struct mc_csv_err *err, const struct mc_csv_row *row, size_t i,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*! Set "file:line:column: text" at an explicit place (first error wins). */
void mc_csv_err_at(struct mc_csv_err *err, const char *file, long line, long col,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*! Index of the header field named \a name (ASCII case-insensitive, blanks
 *  around ignored), or -1. */
int mc_csv_column(const struct mc_csv_row *header, const char *name);

#endif /* MIMSI_MC_CSV_H */
