/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_replay.c
 *  Instructions per event of the core built for Cortex-M0, under QEMU's
 *  microbit machine (scripts/card-check.sh runs it). Replays m0.trace (the
 *  calls of `bench_engine --events`, recorded on the host: m0_trace.h)
 *  through the mi_applet_* entry points, checks every answer against the
 *  host's, and prints one line per call:
 *      m0-call INDEX ENTRY INSTRUCTIONS PROACTIVE-TYPE
 *  The count: QEMU runs with -icount shift=7, so its virtual clock advances
 *  exactly 128 ns per instruction executed; the nRF51 TIMER0 (16 MHz, 32
 *  bits) captured before and after the call gives 2.048 ticks per
 *  instruction, TIMER1 (16 MHz / 512) the wraps of TIMER0. The capture
 *  sequence itself is measured once and taken off.
 */
#include "m0_harness.h"
#include "m0_trace.h"
#include "mimsi/mi_ef.h"

#define TIMER0 0x40008000u
#define TIMER1 0x40009000u
#define REG(base, off) (*(volatile mi_u32 *)((base) + (off)))
#define T_START 0x000u
#define T_CAPTURE0 0x040u
#define T_MODE 0x504u
#define T_BITMODE 0x508u
#define T_PRESCALER 0x510u
#define T_CC0 0x540u

static struct mi_port port;
static struct mi_nv nv;
static struct mi_ram ram;
static mi_u8 input[512];

/* ---- the trace, read through semihosting in small pieces */
static int trace_fd;
static mi_u8 rbuf[128];
static mi_u32 rpos, rlen;

static mi_u8 get8(void)
{
	if (rpos == rlen) {
		rlen = m0_read(trace_fd, rbuf, sizeof(rbuf));
		rpos = 0;
		if (!rlen)
			m0_fail("m0.trace ends early");
	}
	return rbuf[rpos++];
}

static mi_u16 get16(void)
{
	mi_u16 v = (mi_u16)(get8() << 8);

	return (mi_u16)(v | get8());
}

static mi_u32 get32(void)
{
	mi_u32 v = (mi_u32)get16() << 16;

	return v | get16();
}

static void get_bytes(mi_u8 *p, mi_u16 n)
{
	while (n--)
		*p++ = get8();
}

/* ---- the instruction counter */
struct stamp {
	mi_u32 fine, coarse;
};

static void stamp(struct stamp *s)
{
	REG(TIMER0, T_CAPTURE0) = 1;
	REG(TIMER1, T_CAPTURE0) = 1;
	s->fine = REG(TIMER0, T_CC0);
	s->coarse = REG(TIMER1, T_CC0);
}

static void timers_start(void)
{
	REG(TIMER0, T_MODE) = 0;
	REG(TIMER0, T_BITMODE) = 3; /* 32 bits */
	REG(TIMER0, T_PRESCALER) = 0;
	REG(TIMER1, T_MODE) = 0;
	REG(TIMER1, T_BITMODE) = 3;
	REG(TIMER1, T_PRESCALER) = 9; /* 16 MHz / 512 */
	REG(TIMER0, T_START) = 1;
	REG(TIMER1, T_START) = 1;
}

/* Instructions between two stamps: 16 MHz ticks over 128 ns per
 * instruction (125/256 instruction per tick), rounded. */
static mi_u32 instructions(const struct stamp *a, const struct stamp *b)
{
	mi_u32 fine = b->fine - a->fine, coarse = b->coarse - a->coarse;
	unsigned long long approx = (unsigned long long)coarse << 9, ticks = fine;

	while (ticks + (1ull << 31) < approx) /* TIMER0 wrapped */
		ticks += 1ull << 32;
	return (mi_u32)((ticks * 125u + 128u) >> 8);
}

static mi_u32 overhead;

/* A loop of a known length (2 instructions a turn) checks that the clock
 * counts instructions exactly, then the empty interval gives the overhead.
 * The turns come from memory so both runs load them with the same code. */
static volatile mi_u32 turns[2] = {1000, 3000};

static void __attribute__((noinline)) spin(mi_u32 n)
{
	__asm__ volatile(".syntax unified\n1:\tsubs %0, %0, #1\n\tbne 1b\n\t.syntax divided"
			 : "+l"(n));
}

static mi_u32 __attribute__((noinline)) measure_spin(mi_u32 n)
{
	struct stamp a, b;

	stamp(&a);
	spin(n);
	stamp(&b);
	return instructions(&a, &b);
}

static void calibrate(void)
{
	struct stamp a, b;
	mi_u32 n1, n2;

	stamp(&a);
	stamp(&b);
	overhead = instructions(&a, &b);
	n1 = measure_spin(turns[0]);
	n2 = measure_spin(turns[1]);
	if (n2 - n1 != 2u * (turns[1] - turns[0])) {
		m0_put_u32("m0: 2,000 more turns of a 2-instruction loop counted ", n2 - n1);
		m0_fail("QEMU does not count instructions exactly (run it with -icount shift=7)");
	}
}

/* ---- output */
static char *put_dec(char *o, mi_u32 v)
{
	char t[10];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (n)
		*o++ = t[--n];
	return o;
}

static const char *entry_name(mi_u8 e, mi_u8 tag)
{
	switch (e) {
	case M0_INSTALL:
		return "install";
	case M0_RESET:
		return "reset";
	case M0_TERMINAL_PROFILE:
		return "terminal_profile";
	case M0_ENVELOPE: /* BER-TLV tags of the envelopes (TS 101 220 §7.2) */
		return tag == 0xD3 ? "envelope_menu" : tag == 0xD6 ? "envelope_event" :
		       tag == 0xD7 ? "envelope_timer" : "envelope";
	case M0_TERMINAL_RESPONSE:
		return "terminal_response";
	default:
		return "status";
	}
}

static void report(mi_u32 index, const char *name, mi_u32 insns, int cmd_type)
{
	static const char hex[] = "0123456789ABCDEF";
	char line[80], *o = line;
	const char *s = "m0-call ";

	while (*s)
		*o++ = *s++;
	o = put_dec(o, index);
	*o++ = ' ';
	while (*name)
		*o++ = *name++;
	*o++ = ' ';
	o = put_dec(o, insns);
	*o++ = ' ';
	if (cmd_type < 0) {
		*o++ = '-';
	} else {
		*o++ = hex[cmd_type >> 4];
		*o++ = hex[cmd_type & 15];
	}
	*o++ = '\n';
	*o = '\0';
	m0_puts(line);
}

static int call(mi_u8 e, struct mi_applet *a, mi_u16 len)
{
	switch (e) {
	case M0_INSTALL:
		return mi_applet_install(a);
	case M0_RESET:
		return mi_applet_reset(a);
	case M0_TERMINAL_PROFILE:
		return mi_applet_terminal_profile(a, input, len);
	case M0_ENVELOPE:
		return mi_applet_envelope(a, input, len);
	case M0_TERMINAL_RESPONSE:
		return mi_applet_terminal_response(a, input, len);
	default:
		return mi_applet_status(a);
	}
}

/* One 'C' record and its 'R': run, count, compare with the host. */
static void replay_call(struct mi_applet *a, mi_u32 index)
{
	struct stamp s0, s1;
	mi_u8 e = get8(), fetched = get8();
	mi_u16 len = get16(), rc, cmd_len;
	mi_u32 cmd_crc, files_crc, insns;
	int got;

	if (e >= M0_ENTRY_COUNT || len > sizeof(input))
		m0_fail("a call record of m0.trace is malformed");
	get_bytes(input, len);
	if (fetched)
		port.cmd_len = 0; /* the terminal took it (FETCH) */
	cmd_len = port.cmd_len;
	stamp(&s0);
	got = call(e, a, len);
	stamp(&s1);
	insns = instructions(&s0, &s1) - overhead;
	if (get8() != 'R')
		m0_fail("m0.trace: a call without its answer");
	rc = get16();
	if (get16() != port.cmd_len || (mi_u16)got != rc)
		m0_fail("the M0 build answered a call otherwise than the host build");
	cmd_crc = get32();
	files_crc = get32();
	if ((port.cmd_len && mi_crc32(0, port.cmd, port.cmd_len) != cmd_crc) ||
	    m0_port_crc(&port) != files_crc)
		m0_fail("the M0 build wrote other files or another command than the host build");
	report(index, entry_name(e, len ? input[0] : 0), insns,
	       port.cmd_len && !cmd_len ? port.cmd[(port.cmd[1] == 0x81 ? 3 : 2) + 3] : -1);
}

static void load_file(void)
{
	mi_u8 f = get8();
	mi_u16 size = get16(), held = get16();
	mi_u8 *d = m0_port_file_room(&port, (enum mi_file)f, size, held);

	if (!d)
		m0_fail("m0.trace: a file does not fit the RAM arena (m0_port.c)");
	get_bytes(d, held);
}

int main(void)
{
	struct mi_applet a;
	mi_u8 magic[M0_TRACE_MAGIC_LEN], t;
	mi_u32 n = 0, i;

	timers_start();
	calibrate();
	trace_fd = m0_open("m0.trace");
	if (trace_fd < 0)
		m0_fail("cannot open m0.trace");
	get_bytes(magic, sizeof(magic));
	for (i = 0; i < M0_TRACE_MAGIC_LEN; i++)
		if (magic[i] != (mi_u8)M0_TRACE_MAGIC[i])
			m0_fail("m0.trace is not an event trace of this version");
	a.port = &port;
	a.nv = &nv;
	a.ram = &ram;
	while ((t = get8()) != 'E') {
		if (t == 'F') {
			load_file();
		} else if (t == 'K') {
			port.keyset = get8();
			port.n_keysets = get8();
		} else if (t == 'C') {
			replay_call(&a, n++);
		} else {
			m0_fail("m0.trace: unknown record");
		}
	}
	if (port.panics)
		m0_fail("the core panicked");
	m0_put_u32("m0-calls ", n);
	return 0;
}
