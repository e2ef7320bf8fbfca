/* SPDX-License-Identifier: Apache-2.0 */
/* PC/SC transport (pcsc-lite). T=0 preferred: it is mandatory for a UICC
 * (TS 102 221 §7); T=1 only when the card or reader offers nothing else. */
#include "ld_transport.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <winscard.h>

#include "mc_ids.h"

#define READERS_MAX 16u

struct pcsc_ctx {
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	int connected;
	DWORD proto;
	char reader[256];
	char err[160];
	size_t n_match; /* readers the -r selection matched */
	int in_txn;
};

static int map_rv(struct pcsc_ctx *p, LONG rv, const char *what)
{
	snprintf(p->err, sizeof(p->err), "%s: %s", what, pcsc_stringify_error(rv));
	switch (rv) {
	case (LONG)SCARD_S_SUCCESS: return LD_OK;
	case (LONG)SCARD_W_REMOVED_CARD:
	case (LONG)SCARD_E_NO_SMARTCARD:
	case (LONG)SCARD_W_UNPOWERED_CARD:
	case (LONG)SCARD_W_UNRESPONSIVE_CARD:
	case (LONG)SCARD_E_READER_UNAVAILABLE:
		return LD_ERR_REMOVED;
	case (LONG)SCARD_E_TIMEOUT: return LD_ERR_TIMEOUT;
	case (LONG)SCARD_E_INSUFFICIENT_BUFFER: return LD_ERR_BUFFER;
	case (LONG)SCARD_E_UNKNOWN_READER: return LD_ERR_NO_READER;
	default: return LD_ERR_IO;
	}
}

/* Reader list as a multi-string (NUL-separated, double NUL at the end). */
static int list_names(SCARDCONTEXT ctx, char *buf, DWORD cap, const char *names[], size_t *n)
{
	DWORD len = cap;
	LONG rv = SCardListReaders(ctx, NULL, buf, &len);
	char *s;

	*n = 0;
	if (rv == (LONG)SCARD_E_NO_READERS_AVAILABLE)
		return LD_OK;
	if (rv != (LONG)SCARD_S_SUCCESS)
		return LD_ERR_IO;
	for (s = buf; *s && *n < READERS_MAX; s += strlen(s) + 1)
		names[(*n)++] = s;
	return LD_OK;
}

/* a reader given by its index ("0", "1", ...) rather than by its name */
static int all_digits(const char *s)
{
	return mc_is_digits(s, 1, SIZE_MAX);
}

static int pcsc_open(void **ctxp, const char *spec, char *err, size_t err_len)
{
	struct pcsc_ctx *p = calloc(1, sizeof(*p));
	char buf[4096];
	const char *names[READERS_MAX];
	size_t n, i, pick = (size_t)-1;
	LONG rv;

	if (!p) {
		snprintf(err, err_len, "out of memory");
		return LD_ERR_IO;
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &p->ctx);
	if (rv != (LONG)SCARD_S_SUCCESS) {
		snprintf(err, err_len, "PC/SC: %s (is pcscd running?)", pcsc_stringify_error(rv));
		free(p);
		return LD_ERR_IO;
	}
	if (list_names(p->ctx, buf, sizeof(buf), names, &n) < 0 || n == 0) {
		snprintf(err, err_len, "PC/SC: no readers");
		SCardReleaseContext(p->ctx);
		free(p);
		return LD_ERR_NO_READER;
	}
	if (spec && all_digits(spec)) {
		unsigned long idx = strtoul(spec, NULL, 10);
		if (idx < n)
			pick = idx;
		p->n_match = 1;
	} else {
		/* name substring (or none): the first match holding a card, else
		 * the first match, as "Virtual PCD" names two slots */
		SCARD_READERSTATE rs[READERS_MAX];
		size_t first = (size_t)-1;
		memset(rs, 0, sizeof(rs));
		for (i = 0; i < n; i++) {
			rs[i].szReader = names[i];
			rs[i].dwCurrentState = SCARD_STATE_UNAWARE;
		}
		(void)SCardGetStatusChange(p->ctx, 0, rs, (DWORD)n);
		for (i = 0; i < n; i++) {
			if (spec && *spec && !strstr(names[i], spec))
				continue;
			/* only a name can be ambiguous; no -r takes the card's reader */
			if (spec && *spec)
				p->n_match++;
			if (first == (size_t)-1)
				first = i;
			if (pick == (size_t)-1 && (rs[i].dwEventState & SCARD_STATE_PRESENT))
				pick = i;
		}
		if (pick == (size_t)-1)
			pick = first;
	}
	if (pick == (size_t)-1) {
		snprintf(err, err_len, "PC/SC: no reader matches \"%s\" (%zu reader%s; see mimsi-card list)",
			 spec, n, n == 1 ? "" : "s");
		SCardReleaseContext(p->ctx);
		free(p);
		return LD_ERR_NO_READER;
	}
	snprintf(p->reader, sizeof(p->reader), "%s", names[pick]);
	if (!p->n_match)
		p->n_match = 1;
	*ctxp = p;
	return LD_OK;
}

static int pcsc_connect(struct pcsc_ctx *p)
{
	LONG rv = SCardConnect(p->ctx, p->reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, &p->card,
			       &p->proto);

	if (rv == (LONG)SCARD_E_PROTO_MISMATCH)
		rv = SCardConnect(p->ctx, p->reader, SCARD_SHARE_SHARED,
				  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &p->card, &p->proto);
	if (rv == (LONG)SCARD_E_NO_SMARTCARD) {
		map_rv(p, rv, "SCardConnect");
		return LD_ERR_NO_CARD;
	}
	if (rv != (LONG)SCARD_S_SUCCESS)
		return map_rv(p, rv, "SCardConnect");
	p->connected = 1;
	/* Start from a reset card: no PIN/ADM state left by another program. */
	rv = SCardReconnect(p->card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			    SCARD_RESET_CARD, &p->proto);
	return map_rv(p, rv, "SCardReconnect");
}

static int pcsc_atr(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct pcsc_ctx *p = ctx;
	char name[256];
	DWORD nlen = sizeof(name), state, proto, alen = MAX_ATR_SIZE;
	BYTE buf[MAX_ATR_SIZE];
	LONG rv;

	if (!p->connected)
		return LD_ERR_NO_CARD;
	rv = SCardStatus(p->card, name, &nlen, &state, &proto, buf, &alen);
	if (rv != (LONG)SCARD_S_SUCCESS) {
		*atr_len = 0;
		return map_rv(p, rv, "SCardStatus");
	}
	if (alen > *atr_len) {
		*atr_len = 0;
		return LD_ERR_BUFFER;
	}
	memcpy(atr, buf, alen);
	*atr_len = alen;
	return LD_OK;
}

static int pcsc_reset(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct pcsc_ctx *p = ctx;
	int rc;

	if (!p->connected) {
		rc = pcsc_connect(p); /* connects and resets */
	} else {
		LONG rv = SCardReconnect(p->card, SCARD_SHARE_SHARED,
					 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_RESET_CARD,
					 &p->proto);
		rc = map_rv(p, rv, "SCardReconnect");
	}
	if (rc < 0) {
		*atr_len = 0;
		return rc;
	}
	return pcsc_atr(ctx, atr, atr_len);
}

static int pcsc_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			 size_t *resp_len)
{
	struct pcsc_ctx *p = ctx;
	DWORD rlen = (DWORD)*resp_len;
	const SCARD_IO_REQUEST *pci = p->proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	LONG rv;

	*resp_len = 0;
	if (!p->connected)
		return LD_ERR_NO_CARD;
	rv = SCardTransmit(p->card, pci, cmd, (DWORD)cmd_len, NULL, resp, &rlen);
	if (rv != (LONG)SCARD_S_SUCCESS)
		return map_rv(p, rv, "SCardTransmit");
	*resp_len = rlen;
	return LD_OK;
}

static int pcsc_wait_card(void *ctx, int present, unsigned timeout_ms)
{
	struct pcsc_ctx *p = ctx;
	SCARD_READERSTATE rs;
	LONG rv;

	memset(&rs, 0, sizeof(rs));
	rs.szReader = p->reader;
	rs.dwCurrentState = SCARD_STATE_UNAWARE;
	for (;;) {
		DWORD st;
		rv = SCardGetStatusChange(p->ctx, timeout_ms ? timeout_ms : INFINITE, &rs, 1);
		if (rv != (LONG)SCARD_S_SUCCESS)
			return map_rv(p, rv, "SCardGetStatusChange");
		st = rs.dwEventState;
		if (present && (st & SCARD_STATE_PRESENT) && !(st & SCARD_STATE_MUTE))
			return LD_OK;
		if (!present && (st & SCARD_STATE_EMPTY))
			return LD_OK;
		rs.dwCurrentState = st & ~(DWORD)SCARD_STATE_CHANGED;
	}
}

static int pcsc_reconnect(void *ctx)
{
	struct pcsc_ctx *p = ctx;

	if (p->connected) {
		SCardDisconnect(p->card, SCARD_RESET_CARD);
		p->connected = 0;
	}
	p->in_txn = 0;
	return pcsc_connect(p);
}

/* SCardBeginTransaction: pcsc-lite then serves no other application's
 * command to this card until the end (PC/SC part 5 §3.1.3). */
static int pcsc_begin(void *ctx)
{
	struct pcsc_ctx *p = ctx;
	LONG rv;

	if (!p->connected)
		return LD_ERR_NO_CARD;
	rv = SCardBeginTransaction(p->card);
	if (rv == (LONG)SCARD_S_SUCCESS)
		p->in_txn = 1;
	return map_rv(p, rv, "SCardBeginTransaction");
}

static int pcsc_end(void *ctx)
{
	struct pcsc_ctx *p = ctx;

	if (!p->in_txn)
		return LD_OK;
	p->in_txn = 0;
	return map_rv(p, SCardEndTransaction(p->card, SCARD_LEAVE_CARD), "SCardEndTransaction");
}

static size_t pcsc_matches(void *ctx)
{
	return ((struct pcsc_ctx *)ctx)->n_match;
}

static const char *pcsc_reader_name(void *ctx)
{
	return ((struct pcsc_ctx *)ctx)->reader;
}

static const char *pcsc_last_error(void *ctx)
{
	return ((struct pcsc_ctx *)ctx)->err;
}

static void pcsc_close(void *ctx)
{
	struct pcsc_ctx *p = ctx;

	if (!p)
		return;
	/* reset on the way out: a verified ADM must not outlive the session */
	if (p->connected)
		SCardDisconnect(p->card, SCARD_RESET_CARD);
	SCardReleaseContext(p->ctx);
	free(p);
}

const struct ld_transport_ops ld_pcsc_ops = {
	.name = "pcsc",
	.open = pcsc_open,
	.reset = pcsc_reset,
	.atr = pcsc_atr,
	.transmit = pcsc_transmit,
	.wait_card = pcsc_wait_card,
	.reconnect = pcsc_reconnect,
	.reader_name = pcsc_reader_name,
	.last_error = pcsc_last_error,
	.close = pcsc_close,
	.begin = pcsc_begin,
	.end = pcsc_end,
	.matches = pcsc_matches,
};

/* ---- list -------------------------------------------------------------- */
static void atr_hex(char *out, const SCARD_READERSTATE *rs)
{
	DWORD j;

	out[0] = '\0';
	for (j = 0; j < rs->cbAtr && j < MAX_ATR_SIZE; j++)
		sprintf(out + 2 * j, "%02X", rs->rgbAtr[j]);
}

int ld_pcsc_list(const char *filter, json_t *arr);
int ld_pcsc_list(const char *filter, json_t *arr)
{
	SCARDCONTEXT ctx;
	char buf[4096], atr[2 * MAX_ATR_SIZE + 1];
	const char *names[READERS_MAX];
	SCARD_READERSTATE rs[READERS_MAX];
	size_t n, i;
	int shown = 0;
	LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);

	if (rv != (LONG)SCARD_S_SUCCESS) {
		fprintf(stderr, "mimsi-card: PC/SC: %s (is pcscd running?)\n",
			pcsc_stringify_error(rv));
		return LD_ERR_IO;
	}
	if (list_names(ctx, buf, sizeof(buf), names, &n) < 0) {
		SCardReleaseContext(ctx);
		return LD_ERR_IO;
	}
	memset(rs, 0, sizeof(rs));
	for (i = 0; i < n; i++) {
		rs[i].szReader = names[i];
		rs[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	if (n > 0)
		(void)SCardGetStatusChange(ctx, 0, rs, (DWORD)n);
	for (i = 0; i < n; i++) {
		int present = (rs[i].dwEventState & SCARD_STATE_PRESENT) != 0;
		if (filter && *filter && !all_digits(filter) && !strstr(names[i], filter))
			continue;
		if (filter && all_digits(filter) && strtoul(filter, NULL, 10) != i)
			continue;
		shown++;
		atr_hex(atr, &rs[i]);
		if (arr) {
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:s}", "index",
							     (json_int_t)i, "transport", "pcsc", "name",
							     names[i], "card", present,
							     "atr", present ? atr : ""));
		} else {
			printf("%zu: %s  [%s]", i, names[i], present ? "card" : "empty");
			if (present)
				printf("  ATR %s", atr);
			printf("\n");
		}
	}
	if (!shown && !arr)
		printf(filter && *filter ? "(no PC/SC reader matches)\n" : "(no PC/SC readers)\n");
	SCardReleaseContext(ctx);
	return shown;
}
