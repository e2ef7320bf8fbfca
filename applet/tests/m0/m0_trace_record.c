/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_trace_record.c
 *  Host side of the Cortex-M0 measurement: linked into bench_engine with
 *  `-Wl,--wrap=mi_applet_*`, it writes every entry-point call of
 *  `bench_engine --events` to the file named by $MI_M0_TRACE (format in
 *  m0_trace.h), then lets the call through. Without the variable it only
 *  lets the calls through.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../fake_port.h"
#include "m0_trace.h"
#include "mimsi/mi_applet.h"
#include "mimsi/mi_ef.h"

int __real_mi_applet_install(struct mi_applet *a);
int __real_mi_applet_reset(struct mi_applet *a);
int __real_mi_applet_terminal_profile(struct mi_applet *a, const mi_u8 *tp, mi_u16 len);
int __real_mi_applet_envelope(struct mi_applet *a, const mi_u8 *env, mi_u16 len);
int __real_mi_applet_terminal_response(struct mi_applet *a, const mi_u8 *tr, mi_u16 len);
int __real_mi_applet_status(struct mi_applet *a);

int __wrap_mi_applet_install(struct mi_applet *a);
int __wrap_mi_applet_reset(struct mi_applet *a);
int __wrap_mi_applet_terminal_profile(struct mi_applet *a, const mi_u8 *tp, mi_u16 len);
int __wrap_mi_applet_envelope(struct mi_applet *a, const mi_u8 *env, mi_u16 len);
int __wrap_mi_applet_terminal_response(struct mi_applet *a, const mi_u8 *tr, mi_u16 len);
int __wrap_mi_applet_status(struct mi_applet *a);

static FILE *trace;
static int trace_failed;

static void put8(unsigned v)
{
	if (trace && fputc((int)(v & 0xFFu), trace) == EOF)
		trace_failed = 1;
}

static void put16(unsigned v)
{
	put8(v >> 8);
	put8(v);
}

static void put32(mi_u32 v)
{
	put16((unsigned)(v >> 16));
	put16((unsigned)v);
}

static void put_bytes(const mi_u8 *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		put8(p[i]);
}

static void finish(void)
{
	if (!trace)
		return;
	put8('E');
	if (fclose(trace) != 0 || trace_failed) {
		fprintf(stderr, "m0_trace_record: cannot write %s\n", getenv("MI_M0_TRACE"));
		exit(74); /* EX_IOERR */
	}
	trace = NULL;
}

/* The committed files of the fake port at install: the replay's card. */
static void put_card(const struct mi_port *p)
{
	unsigned f, n;

	for (f = 0; f < MI_FILE_COUNT; f++) {
		const struct fake_file *ff = &p->file[f];

		if (!ff->size)
			continue;
		for (n = ff->size; n > 0 && ff->data[n - 1] == 0xFF; n--)
			;
		put8('F');
		put8(f);
		put16(ff->size);
		put16(n);
		put_bytes(ff->data, n);
	}
	put8('K');
	put8(p->keyset);
	put8(p->n_keysets);
}

static void begin(struct mi_applet *a, enum m0_entry e, const mi_u8 *in, mi_u16 len)
{
	const char *path = getenv("MI_M0_TRACE");

	if (e == M0_INSTALL && !trace && path && *path) {
		trace = fopen(path, "wb");
		if (!trace) {
			fprintf(stderr, "m0_trace_record: cannot create %s\n", path);
			exit(73); /* EX_CANTCREAT */
		}
		atexit(finish);
		put_bytes((const mi_u8 *)M0_TRACE_MAGIC, M0_TRACE_MAGIC_LEN);
		put_card(a->port);
	}
	put8('C');
	put8(e);
	put8(a->port->cmd_len == 0);
	put16(len);
	put_bytes(in, len);
}

static int end(struct mi_applet *a, int rc)
{
	const struct mi_port *p = a->port;
	mi_u32 crc = 0;
	unsigned f;

	if (!trace)
		return rc;
	for (f = 0; f < MI_FILE_COUNT; f++)
		crc = mi_crc32(crc, p->file[f].data, p->file[f].size);
	crc = mi_crc32(crc, &p->keyset, 1);
	put8('R');
	put16((unsigned)rc);
	put16(p->cmd_len);
	put32(p->cmd_len ? mi_crc32(0, p->cmd, p->cmd_len) : 0);
	put32(crc);
	return rc;
}

int __wrap_mi_applet_install(struct mi_applet *a)
{
	begin(a, M0_INSTALL, NULL, 0);
	return end(a, __real_mi_applet_install(a));
}

int __wrap_mi_applet_reset(struct mi_applet *a)
{
	begin(a, M0_RESET, NULL, 0);
	return end(a, __real_mi_applet_reset(a));
}

int __wrap_mi_applet_terminal_profile(struct mi_applet *a, const mi_u8 *tp, mi_u16 len)
{
	begin(a, M0_TERMINAL_PROFILE, tp, len);
	return end(a, __real_mi_applet_terminal_profile(a, tp, len));
}

int __wrap_mi_applet_envelope(struct mi_applet *a, const mi_u8 *env, mi_u16 len)
{
	begin(a, M0_ENVELOPE, env, len);
	return end(a, __real_mi_applet_envelope(a, env, len));
}

int __wrap_mi_applet_terminal_response(struct mi_applet *a, const mi_u8 *tr, mi_u16 len)
{
	begin(a, M0_TERMINAL_RESPONSE, tr, len);
	return end(a, __real_mi_applet_terminal_response(a, tr, len));
}

int __wrap_mi_applet_status(struct mi_applet *a)
{
	begin(a, M0_STATUS, NULL, 0);
	return end(a, __real_mi_applet_status(a));
}
