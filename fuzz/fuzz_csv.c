/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_csv.c
 *  The host tools' one CSV reader, mc_csv_read_mem (host/common/mc_csv.c),
 *  on any bytes. Byte 0 picks the options and what the callback does, byte 1
 *  the row at which it stops; the rest is the CSV text, an exact heap block
 *  (not NUL-terminated), so a read past its end is an ASan report.
 *    byte 0: b1 '#' comment lines · b2 ';' as the delimiter · b3 small limits
 *            (4 fields, 8 bytes a field) · b4 the callback stops at row
 *            byte 1 with 7 · b5 it sets its own error when it stops
 *  Properties: the reader returns 0 with no error, -1 with an error naming
 *  the file, or exactly the callback's 7 (after which it is not called
 *  again); rows are numbered from 0 in order; every field is within the
 *  limits and NUL-terminated at its length; its line:column lies in the text
 *  and, for ASCII text, points at the field's value as it stands there (as
 *  it is, or quoted with its quotes doubled) or, for an empty field, at a
 *  quote, the delimiter or the blanks and line end after it; everything is
 *  freed (LeakSanitizer).
 */
#include <string.h>

#include "fuzz.h"
#include "mc_csv.h"

#define FILE_NAME "fuzz.csv"
#define STOP_VALUE 7

struct seen {
	const uint8_t *text;
	size_t len;
	const size_t *line_start; /* offset of each line's first byte */
	long lines;
	int ascii;
	unsigned char delim;
	struct mc_csv_opts o;
	int stop, own_error;
	size_t stop_at, rows;
	int stopped;
};

/* The field's value stands in the text from \a off: as it is, or quoted
 * with its quotes doubled. */
static int value_at(const struct seen *s, size_t off, const char *v, size_t n)
{
	size_t i;

	if (s->text[off] != '"')
		return off + n <= s->len && memcmp(s->text + off, v, n) == 0;
	for (off++, i = 0; i < n; i++, off++) {
		if (off >= s->len || s->text[off] != (uint8_t)v[i])
			return 0;
		if (v[i] == '"' && (++off >= s->len || s->text[off] != '"'))
			return 0;
	}
	return 1;
}

static void check_place(const struct seen *s, const struct mc_csv_row *row, size_t i)
{
	size_t off;
	uint8_t b;

	FUZZ_ASSERT(row->line[i] >= 1 && row->line[i] <= s->lines);
	FUZZ_ASSERT(row->col[i] >= 1);
	if (!s->ascii)
		return; /* columns count UTF-8 characters: no byte offset */
	off = s->line_start[row->line[i] - 1] + (size_t)row->col[i] - 1;
	FUZZ_ASSERT(off < s->len);
	b = s->text[off];
	if (row->len[i] > 0)
		FUZZ_ASSERT(value_at(s, off, row->field[i], row->len[i]));
	else
		FUZZ_ASSERT(b == s->delim || b == '"' || b == '\r' || b == '\n' || b == ' ' ||
			    b == '\t');
}

static int on_row(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err)
{
	struct seen *s = ctx;
	size_t i;

	FUZZ_ASSERT(!s->stopped);
	FUZZ_ASSERT(strcmp(row->file, FILE_NAME) == 0);
	FUZZ_ASSERT(row->index == s->rows);
	FUZZ_ASSERT(row->n >= 1 && row->n <= s->o.max_fields);
	for (i = 0; i < row->n; i++) {
		FUZZ_ASSERT(row->len[i] <= s->o.max_field_len);
		FUZZ_ASSERT(row->field[i][row->len[i]] == '\0');
		check_place(s, row, i);
		if (i > 0)
			FUZZ_ASSERT(row->line[i] >= row->line[i - 1]);
	}
	s->rows++;
	if (s->stop && row->index == s->stop_at) {
		if (s->own_error)
			mc_csv_err_field(err, row, row->n, "stopped here");
		s->stopped = 1;
		return STOP_VALUE;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t line_start[4097];
	struct seen s;
	struct mc_csv_err err;
	size_t i;
	int rc;

	if (size < 2 || size - 2 > 4096u)
		return 0;
	memset(&s, 0, sizeof(s));
	s.o.comments = data[0] & 1;
	s.delim = (data[0] & 2) ? ';' : ',';
	s.o.delim = (data[0] & 2) ? ';' : 0;
	s.o.max_fields = (data[0] & 4) ? 4 : 256;
	s.o.max_field_len = (data[0] & 4) ? 8 : 4096;
	s.stop = (data[0] & 8) != 0;
	s.own_error = (data[0] & 16) != 0;
	s.stop_at = data[1];
	s.text = data + 2;
	s.len = size - 2;
	s.line_start = line_start;
	s.ascii = 1;
	/* a UTF-8 BOM is skipped, not counted in columns */
	i = s.len >= 3 && s.text[0] == 0xEF && s.text[1] == 0xBB && s.text[2] == 0xBF ? 3 : 0;
	line_start[0] = i;
	s.lines = 1;
	for (; i < s.len; i++) {
		if (s.text[i] >= 0x80)
			s.ascii = 0;
		if (s.text[i] == '\n')
			line_start[s.lines++] = i + 1;
	}

	rc = mc_csv_read_mem(FILE_NAME, (const char *)s.text, s.len, &s.o, on_row, &s, &err);
	FUZZ_ASSERT(memchr(err.text, '\0', sizeof(err.text)) != NULL);
	if (rc == 0) {
		FUZZ_ASSERT(err.text[0] == '\0' && !s.stopped);
	} else if (rc == STOP_VALUE) {
		FUZZ_ASSERT(s.stopped);
		FUZZ_ASSERT(strncmp(err.text, FILE_NAME ":", sizeof(FILE_NAME)) == 0);
	} else {
		FUZZ_ASSERT(rc == -1 && !s.stopped);
		FUZZ_ASSERT(strncmp(err.text, FILE_NAME ":", sizeof(FILE_NAME)) == 0);
		FUZZ_ASSERT(err.line >= 0 && err.line <= s.lines + 1);
	}
	return 0;
}
