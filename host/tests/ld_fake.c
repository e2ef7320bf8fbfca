/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ld_card.h"

#define FAKE_LINES_MAX 4096u

struct fake_line {
	unsigned lineno;
	uint8_t cmd[5 + 256 + 1], wild[5 + 256 + 1];
	size_t cmd_len;
	uint8_t resp[LD_RESP_MAX];
	size_t resp_len;
	int removed;
};

struct fake_ctx {
	struct fake_line *lines;
	size_t n, next;
	uint8_t atr[LD_ATR_MAX];
	size_t atr_len;
	unsigned mismatch;
	char why[600];
	int in_txn;
	unsigned txns;          /* transactions begun */
	unsigned writes_outside; /* VERIFY with data or UPDATE BINARY outside one */
};

static int parse_cmd(const char *s, struct fake_line *l)
{
	size_t n = 0;

	while (*s) {
		char h[3];
		if (*s == ' ') {
			s++;
			continue;
		}
		if (!s[1] || n >= sizeof(l->cmd))
			return -1;
		if ((s[0] == 'X' || s[0] == 'x') && (s[1] == 'X' || s[1] == 'x')) {
			l->wild[n] = 1;
			l->cmd[n++] = 0;
		} else {
			h[0] = s[0];
			h[1] = s[1];
			h[2] = '\0';
			if (ld_hex_parse(h, &l->cmd[n], 1) != 1)
				return -1;
			l->wild[n++] = 0;
		}
		s += 2;
	}
	l->cmd_len = n;
	return n >= 4 ? 0 : -1;
}

static int fake_open(void **ctx, const char *spec, char *err, size_t err_len)
{
	struct fake_ctx *f = calloc(1, sizeof(*f));
	FILE *fp = fopen(spec, "r");
	char line[1400];
	unsigned lineno = 0;

	if (!f || !fp) {
		snprintf(err, err_len, "cannot open %s", spec);
		free(f);
		if (fp)
			fclose(fp);
		return LD_ERR_PARAM;
	}
	f->lines = calloc(FAKE_LINES_MAX, sizeof(*f->lines));
	/* default: the simulator's T=0 ATR shape */
	f->atr_len = (size_t)ld_hex_parse("3B9F96801FC78031A073BE21136743200718000001A5", f->atr,
					  sizeof(f->atr));
	while (f->lines && fgets(line, sizeof(line), fp)) {
		char *p = line, *arrow;
		struct fake_line *l;
		lineno++;
		p[strcspn(p, "#\r\n")] = '\0';
		p += strspn(p, " \t");
		if (!*p)
			continue;
		if (strncmp(p, "ATR ", 4) == 0) {
			int n = ld_hex_parse(p + 4, f->atr, sizeof(f->atr));
			f->atr_len = n > 0 ? (size_t)n : 0;
			continue;
		}
		arrow = strstr(p, "->");
		if (!arrow || f->n >= FAKE_LINES_MAX)
			goto bad;
		*arrow = '\0';
		l = &f->lines[f->n];
		l->lineno = lineno;
		if (parse_cmd(p, l) < 0)
			goto bad;
		arrow += 2;
		arrow += strspn(arrow, " \t");
		if (strncmp(arrow, "!removed", 8) == 0) {
			l->removed = 1;
		} else {
			int n = ld_hex_parse(arrow, l->resp, sizeof(l->resp));
			if (n < 2)
				goto bad;
			l->resp_len = (size_t)n;
		}
		f->n++;
	}
	fclose(fp);
	*ctx = f;
	return LD_OK;
bad:
	snprintf(err, err_len, "%s:%u: bad transcript line", spec, lineno);
	fclose(fp);
	free(f->lines);
	free(f);
	return LD_ERR_FORMAT;
}

static int fake_atr(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct fake_ctx *f = ctx;

	if (*atr_len < f->atr_len)
		return LD_ERR_BUFFER;
	memcpy(atr, f->atr, f->atr_len);
	*atr_len = f->atr_len;
	return LD_OK;
}

static int fake_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			 size_t *resp_len)
{
	struct fake_ctx *f = ctx;
	struct fake_line *l;
	size_t cap = *resp_len, i;
	int ok;

	*resp_len = 0;
	if (f->next >= f->n) {
		if (!f->mismatch) {
			f->mismatch = 0xFFFFFFFFu;
			snprintf(f->why, sizeof(f->why), "command sent after the end of the transcript");
		}
		return LD_ERR_REMOVED;
	}
	l = &f->lines[f->next++];
	if (!f->in_txn && cmd_len > 5 && (cmd[1] == 0x20 || cmd[1] == 0xD6))
		f->writes_outside++;
	ok = l->cmd_len == cmd_len;
	for (i = 0; ok && i < cmd_len; i++)
		ok = l->wild[i] || l->cmd[i] == cmd[i];
	if (!ok) {
		if (!f->mismatch) {
			size_t n = 0;
			f->mismatch = l->lineno;
			n += (size_t)snprintf(f->why, sizeof(f->why), "line %u: sent ", l->lineno);
			for (i = 0; i < cmd_len && n + 3 < sizeof(f->why); i++)
				n += (size_t)snprintf(f->why + n, sizeof(f->why) - n, "%02X", cmd[i]);
		}
		return LD_ERR_IO;
	}
	if (l->removed)
		return LD_ERR_REMOVED;
	if (l->resp_len > cap)
		return LD_ERR_BUFFER;
	memcpy(resp, l->resp, l->resp_len);
	*resp_len = l->resp_len;
	return LD_OK;
}

static int fake_reset(void *ctx, uint8_t *atr, size_t *atr_len)
{
	return fake_atr(ctx, atr, atr_len);
}

static int fake_wait(void *ctx, int present, unsigned timeout_ms)
{
	(void)ctx;
	(void)present;
	(void)timeout_ms;
	return LD_OK;
}

static int fake_reconnect(void *ctx)
{
	(void)ctx;
	return LD_OK;
}

static const char *fake_name(void *ctx)
{
	(void)ctx;
	return "fake";
}

static const char *fake_err(void *ctx)
{
	return ((struct fake_ctx *)ctx)->why;
}

static void fake_close(void *ctx)
{
	struct fake_ctx *f = ctx;

	free(f->lines);
	free(f);
}

static int fake_begin(void *ctx)
{
	struct fake_ctx *f = ctx;

	if (f->in_txn)
		return LD_ERR_IO; /* no nesting in PC/SC */
	f->in_txn = 1;
	f->txns++;
	return LD_OK;
}

static int fake_end(void *ctx)
{
	struct fake_ctx *f = ctx;

	if (!f->in_txn)
		return LD_ERR_IO;
	f->in_txn = 0;
	return LD_OK;
}

static const struct ld_transport_ops fake_ops = {
	.name = "fake",
	.open = fake_open,
	.reset = fake_reset,
	.atr = fake_atr,
	.transmit = fake_transmit,
	.wait_card = fake_wait,
	.reconnect = fake_reconnect,
	.reader_name = fake_name,
	.last_error = fake_err,
	.close = fake_close,
	.begin = fake_begin,
	.end = fake_end,
};

int ld_fake_open(struct ld_transport *t, const char *path)
{
	char err[200];
	int rc = fake_open(&t->ctx, path, err, sizeof(err));

	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return rc;
	}
	t->ops = &fake_ops;
	return LD_OK;
}

size_t ld_fake_left(const struct ld_transport *t)
{
	const struct fake_ctx *f = t->ctx;

	return f->n - f->next;
}

unsigned ld_fake_mismatch(const struct ld_transport *t)
{
	return ((const struct fake_ctx *)t->ctx)->mismatch;
}

const char *ld_fake_why(const struct ld_transport *t)
{
	return ((const struct fake_ctx *)t->ctx)->why;
}

void ld_fake_txn(const struct ld_transport *t, unsigned *txns, unsigned *writes_outside,
		 int *open_now)
{
	const struct fake_ctx *f = t->ctx;

	*txns = f->txns;
	*writes_outside = f->writes_outside;
	*open_now = f->in_txn;
}
