/* SPDX-License-Identifier: Apache-2.0 */
/* A small pcsc-lite client for the end-to-end check and the round-trip
 * benchmark (simulator/tests/check_vpcd.sh, bench_vpcd.sh): it talks to a
 * reader through real pcscd, exactly as any PC/SC application would.
 *
 *   pcsc_client READER script FILE   run an APDU script with expectations
 *   pcsc_client READER bench N       N x (SELECT + READ BINARY), prints APDUs/s
 *
 * Script lines (blank and '#' lines ignored):
 *   <name>: <C-APDU hex> [= <expected R-APDU hex, X = any nibble, * = any rest>]
 *   !drain <name>   while the last SW is 91xx: FETCH, answer "OK" (TERMINAL
 *                   RESPONSE built from the command details) and go on
 *   !reset <name>   warm reset through pcscd (SCardReconnect, SCARD_RESET_CARD)
 *   !expect-proactive <type hex> <name>: the last SW is 91xx and FETCH gives a
 *                   proactive command of that type (e.g. 01 REFRESH)
 * 61xx is followed by GET RESPONSE and 6Cxx re-sent with the right Le
 * automatically; the expectation applies to the final answer.
 * Prints "check_vpcd: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>

static SCARDCONTEXT ctx;
static SCARDHANDLE card;
static DWORD proto;
static unsigned passed, failed;
static unsigned char last[300];
static DWORD last_len;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s && n < cap; s++) {
		int v = hexval(*s);

		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static void print_hex(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", b[i]);
}

static int xmit_raw(const unsigned char *cmd, size_t n)
{
	const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	LONG rv;

	last_len = sizeof(last);
	rv = SCardTransmit(card, pci, cmd, (DWORD)n, NULL, last, &last_len);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "SCardTransmit: %s\n", pcsc_stringify_error(rv));
		last_len = 0;
		return -1;
	}
	return last_len >= 2 ? 0 : -1;
}

static unsigned sw(void)
{
	return last_len >= 2 ? (unsigned)(last[last_len - 2] << 8 | last[last_len - 1]) : 0;
}

/* T=0 rules: 61xx -> GET RESPONSE, 6Cxx -> same command with Le = xx. */
static int xmit(const unsigned char *cmd, size_t n)
{
	unsigned char again[300];

	if (xmit_raw(cmd, n))
		return -1;
	if ((sw() >> 8) == 0x6C && n >= 4) {
		memcpy(again, cmd, n < 5 ? n : 5);
		again[4] = (unsigned char)sw();
		if (xmit_raw(again, 5))
			return -1;
	}
	if ((sw() >> 8) == 0x61) {
		unsigned char gr[5] = {(unsigned char)(cmd[0] & 0x03), 0xC0, 0, 0, (unsigned char)sw()};

		if (xmit_raw(gr, 5))
			return -1;
	}
	return 0;
}

static int match(const char *pat)
{
	size_t i = 0, nib = 0, total = last_len * 2;

	for (; pat[i]; i++) {
		unsigned v;

		if (pat[i] == ' ')
			continue;
		if (pat[i] == '*')
			return 1;
		if (nib >= total)
			return 0;
		v = nib % 2 ? (last[nib / 2] & 15u) : (last[nib / 2] >> 4);
		if (pat[i] != 'X' && pat[i] != 'x' && hexval(pat[i]) != (int)v)
			return 0;
		nib++;
	}
	return nib == total;
}

static void result(const char *name, int ok, const char *why)
{
	printf("%s %s", ok ? "PASS" : "FAIL", name);
	if (!ok && why)
		printf(" (%s)", why);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

/* FETCH the pending command; \returns its type or -1. */
static int fetch(unsigned char *cmd, size_t *len)
{
	unsigned char f[5] = {0x80, 0x12, 0x00, 0x00, (unsigned char)sw()};

	if ((sw() >> 8) != 0x91 || xmit(f, 5) || sw() != 0x9000 || last_len < 9 || last[0] != 0xD0)
		return -1;
	*len = last_len - 2;
	memcpy(cmd, last, *len);
	/* D0 L 81 03 num type qual (1-byte length: every command we fetch is short) */
	return last[1] < 0x80 && (last[2] & 0x7F) == 0x01 ? last[5] : -1;
}

/* TERMINAL RESPONSE "command performed successfully" (TS 102 223 §6.8). */
static int respond_ok(const unsigned char *cmd, size_t len)
{
	unsigned char tr[64] = {0x80, 0x14, 0x00, 0x00, 0};
	size_t n = 5, i;

	memcpy(tr + n, "\x81\x03", 2);
	memcpy(tr + n + 2, cmd + 4, 3);
	n += 5;
	memcpy(tr + n, "\x82\x02\x82\x81\x83\x01\x00", 7);
	n += 7;
	if (cmd[5] == 0x27) { /* TIMER MANAGEMENT: echo the timer identifier */
		for (i = 2; i + 2 < len; i += 2u + cmd[i + 1])
			if ((cmd[i] & 0x7F) == 0x24) {
				memcpy(tr + n, cmd + i, 3);
				n += 3;
				break;
			}
	} else if (cmd[5] == 0x26 && cmd[6] == 0x00) { /* PLI location: 262-01 */
		memcpy(tr + n, "\x93\x07\x62\xF2\x10\x00\x01\x00\x02", 9);
		n += 9;
	} else if (cmd[5] == 0x24) { /* SELECT ITEM: the first item */
		memcpy(tr + n, "\x90\x01\x01", 3);
		n += 3;
	}
	tr[4] = (unsigned char)(n - 5);
	return xmit(tr, n);
}

static int run_script(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *colon, *eq;
		unsigned char cmd[300];
		size_t n;

		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (!strncmp(p, "!drain", 6)) {
			unsigned guard = 0;
			int ok = 1;

			while ((sw() >> 8) == 0x91 && guard++ < 16) {
				unsigned char pc[300];
				size_t pl;

				if (fetch(pc, &pl) < 0 || respond_ok(pc, pl)) {
					ok = 0;
					break;
				}
			}
			result(p + 7, ok && (sw() == 0x9000 || (sw() >> 8) == 0x91), "proactive session did not end");
			continue;
		}
		if (!strncmp(p, "!reset", 6)) {
			LONG rv = SCardReconnect(card, SCARD_SHARE_SHARED,
						 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_RESET_CARD, &proto);

			last_len = 0;
			result(p + 7, rv == SCARD_S_SUCCESS, pcsc_stringify_error(rv));
			continue;
		}
		if (!strncmp(p, "!expect-proactive", 17)) {
			char *name;
			unsigned type;
			unsigned char pc[300];
			size_t pl;
			int t, used = 0;

			if (sscanf(p + 17, " %x %n", &type, &used) != 1 || !used) {
				fprintf(stderr, "%s: bad line: %s\n", path, p);
				fclose(f);
				return 2;
			}
			name = p + 17 + used;
			t = fetch(pc, &pl);
			printf("  fetched: ");
			print_hex(pc, t < 0 ? 0 : pl);
			printf("\n");
			result(name, t == (int)type, "no such proactive command pending");
			if (t >= 0)
				respond_ok(pc, pl);
			continue;
		}
		colon = strchr(p, ':');
		if (!colon) {
			fprintf(stderr, "%s: bad line: %s\n", path, p);
			fclose(f);
			return 2;
		}
		*colon = '\0';
		eq = strchr(colon + 1, '=');
		if (eq)
			*eq = '\0';
		n = unhex(colon + 1, cmd, sizeof(cmd));
		if (n < 4 || xmit(cmd, n)) {
			result(p, 0, "transmit failed");
			continue;
		}
		printf("  > ");
		print_hex(cmd, n);
		printf("\n  < ");
		print_hex(last, last_len);
		printf("\n");
		if (eq)
			result(p, match(eq + 1), "unexpected response");
	}
	fclose(f);
	printf("check_vpcd: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(long n)
{
	static const unsigned char sel[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2};
	static const unsigned char rd[] = {0x00, 0xB0, 0x00, 0x00, 0x0A};
	double t0, dt;
	long i;

	t0 = now();
	for (i = 0; i < n; i++) {
		if (xmit_raw(sel, sizeof(sel)) || sw() != 0x9000 || xmit_raw(rd, sizeof(rd)) ||
		    sw() != 0x9000) {
			fprintf(stderr, "bench: APDU failed at %ld\n", i);
			return 1;
		}
	}
	dt = now() - t0;
	printf("vpcd round trip: %ld APDUs in %.3f s = %.0f APDUs/s (%.3f ms per APDU)\n", 2 * n, dt,
	       (double)(2 * n) / dt, dt * 1000.0 / (double)(2 * n));
	return 0;
}

int main(int argc, char **argv)
{
	LONG rv;
	int rc;

	if (argc != 4 || (strcmp(argv[2], "script") && strcmp(argv[2], "bench"))) {
		fprintf(stderr, "usage: pcsc_client READER (script FILE | bench N)\n");
		return 2;
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "SCardEstablishContext: %s\n", pcsc_stringify_error(rv));
		return 2;
	}
	rv = SCardConnect(ctx, argv[1], SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card,
			  &proto);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "SCardConnect(%s): %s\n", argv[1], pcsc_stringify_error(rv));
		SCardReleaseContext(ctx);
		return 2;
	}
	rc = !strcmp(argv[2], "script") ? run_script(argv[3]) : bench(atol(argv[3]));
	SCardDisconnect(card, SCARD_LEAVE_CARD);
	SCardReleaseContext(ctx);
	return rc;
}
