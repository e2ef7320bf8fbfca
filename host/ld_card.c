/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_card.h"
#include "ld_trace.h"

#include <ctype.h>
#include <string.h>
#include <sysexits.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_hex.h"
#include "mimsi/mi_apdu.h"
#include "mimsi/mi_tlv.h"

#define INS_SELECT 0xA4u       /* TS 102 221 §11.1.1 */
#define INS_READ_BINARY 0xB0u  /* §11.1.3 */
#define INS_UPDATE_BINARY 0xD6u /* §11.1.4 */
#define INS_READ_RECORD 0xB2u  /* §11.1.5 */
#define INS_VERIFY 0x20u       /* §11.1.9 */
#define INS_CHANGE_PIN 0x24u   /* §11.1.10 */
#define INS_DISABLE_PIN 0x26u  /* §11.1.11 */
#define INS_ENABLE_PIN 0x28u   /* §11.1.12 */
#define INS_UNBLOCK_PIN 0x2Cu  /* §11.1.13 */
#define INS_GET_RESPONSE 0xC0u /* §11.1.2 */
#define INS_CREATE_FILE 0xE0u  /* TS 102 222 §6.3 */
#define FCP_TAG 0x62u          /* TS 102 221 §11.1.1.3 */

int ld_sysexit(int err)
{
	switch (err) {
	case LD_OK: return EX_OK;
	case LD_ERR_NO_READER:
	case LD_ERR_NO_CARD:
	case LD_ERR_UNSUPPORTED: return EX_UNAVAILABLE;
	case LD_ERR_PARAM: return EX_USAGE;
	case LD_ERR_REFUSED: return EX_NOPERM;
	case LD_ERR_FORMAT: return EX_DATAERR;
	case LD_ERR_TIMEOUT: return EX_TEMPFAIL;
	default: return EX_IOERR; /* transport failures, a read-back that differs */
	}
}

const char *ld_strerror(int err)
{
	switch (err) {
	case LD_OK: return "ok";
	case LD_ERR_IO: return "transport error";
	case LD_ERR_NO_READER: return "no such reader";
	case LD_ERR_NO_CARD: return "no card in the reader";
	case LD_ERR_BUFFER: return "response buffer too small";
	case LD_ERR_REMOVED: return "card removed or connection lost";
	case LD_ERR_TIMEOUT: return "timed out waiting for the card";
	case LD_ERR_SW: return "unexpected status word";
	case LD_ERR_PARAM: return "bad argument";
	case LD_ERR_REFUSED: return "refused by a safety guard";
	case LD_ERR_VERIFY: return "read-back differs from what was written";
	case LD_ERR_FORMAT: return "malformed content";
	case LD_ERR_UNSUPPORTED: return "not supported";
	default: return "unknown error";
	}
}

void ld_card_init(struct ld_card *c, struct ld_transport *t)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->max_chunk = 255;
}

int ld_card_power(struct ld_card *c)
{
	size_t n = sizeof(c->atr);
	int rc = c->t->ops->reset(c->t->ctx, c->atr, &n);

	if (rc < 0) {
		c->atr_len = 0;
		return rc;
	}
	c->atr_len = n;
	ld_trace_atr(c->trace, c->atr, n);
	if (c->transcript) {
		fprintf(c->transcript, "ATR ");
		ld_hex_masked(c->transcript, c->atr, n, NULL, 0);
		fprintf(c->transcript, "\n");
	}
	if (c->log) {
		fprintf(c->log, "ATR ");
		ld_hex_masked(c->log, c->atr, n, NULL, 0);
		fprintf(c->log, "\n");
	}
	return LD_OK;
}

int ld_apdu_mask(const uint8_t *cmd, size_t len, uint8_t *secret_mask)
{
	size_t i;
	int masked = 0;

	memset(secret_mask, 0, len);
	if (len <= 5)
		return 0;
	switch (cmd[1]) {
	case INS_VERIFY:
	case INS_CHANGE_PIN:
	case INS_DISABLE_PIN:
	case INS_ENABLE_PIN:
	case INS_UNBLOCK_PIN:
		for (i = 5; i < len && i < 5u + cmd[4]; i++)
			secret_mask[i] = 1;
		masked = 1;
		break;
	default:
		break;
	}
	return masked;
}

void ld_hex_masked(FILE *f, const uint8_t *buf, size_t len, const uint8_t *mask, int xx)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (mask && mask[i])
			fputs(xx ? "XX" : "**", f);
		else
			fprintf(f, "%02X", buf[i]);
	}
}

static const char *ins_name(uint8_t ins)
{
	switch (ins) {
	case INS_SELECT: return "SELECT";
	case INS_READ_BINARY: return "READ BINARY";
	case INS_UPDATE_BINARY: return "UPDATE BINARY";
	case INS_READ_RECORD: return "READ RECORD";
	case INS_VERIFY: return "VERIFY";
	case INS_CHANGE_PIN: return "CHANGE PIN";
	case INS_DISABLE_PIN: return "DISABLE PIN";
	case INS_ENABLE_PIN: return "ENABLE PIN";
	case INS_UNBLOCK_PIN: return "UNBLOCK PIN";
	case INS_GET_RESPONSE: return "GET RESPONSE";
	case INS_CREATE_FILE: return "CREATE FILE";
	case 0xE4: return "DELETE FILE";
	case 0xF2: return "STATUS";
	case 0x88: return "AUTHENTICATE";
	case 0x10: return "TERMINAL PROFILE";
	case 0xC2: return "ENVELOPE";
	case 0x12: return "FETCH";
	case 0x14: return "TERMINAL RESPONSE";
	default: return "?";
	}
}

/* One raw exchange: transport, counters, log, trace, transcript. */
static int raw_xfer(struct ld_card *c, const uint8_t *cmd, size_t len, uint8_t *resp,
		    size_t *resp_len)
{
	uint8_t mask[5 + 256 + 1];
	int rc;

	if (len < 4 || len > sizeof(mask))
		return LD_ERR_PARAM;
	ld_apdu_mask(cmd, len, mask);
	if (c->mask_data && len > 5)
		memset(mask + 5, 1, len - 5);
	rc = c->t->ops->transmit(c->t->ctx, cmd, len, resp, resp_len);
	c->n_apdu++;
	if (c->log) {
		fprintf(c->log, "> ");
		ld_hex_masked(c->log, cmd, len, mask, 0);
		fprintf(c->log, "  %s\n", ins_name(cmd[1]));
	}
	if (rc < 0) {
		if (c->log)
			fprintf(c->log, "< (%s)\n", ld_strerror(rc));
		if (c->transcript) {
			ld_hex_masked(c->transcript, cmd, len, mask, 1);
			fprintf(c->transcript, " -> !%s\n", rc == LD_ERR_REMOVED ? "removed" : "error");
		}
		return rc;
	}
	if (*resp_len < 2)
		return LD_ERR_FORMAT;
	if (c->log) {
		uint16_t sw = (uint16_t)((resp[*resp_len - 2] << 8) | resp[*resp_len - 1]);
		fprintf(c->log, "< ");
		ld_hex_masked(c->log, resp, *resp_len, NULL, 0);
		fprintf(c->log, "  %s\n", mi_sw_text(sw));
	}
	ld_trace_apdu(c->trace, cmd, len, mask, resp, *resp_len);
	if (c->transcript) {
		ld_hex_masked(c->transcript, cmd, len, mask, 1);
		fprintf(c->transcript, " -> ");
		ld_hex_masked(c->transcript, resp, *resp_len, NULL, 1);
		fprintf(c->transcript, "\n");
	}
	return LD_OK;
}

int ld_xfer(struct ld_card *c, const uint8_t *cmd, size_t len, uint8_t *data,
	    size_t *data_len, uint16_t *sw)
{
	uint8_t resp[LD_RESP_MAX];
	uint8_t again[5 + 256 + 1];
	size_t n = sizeof(resp), cap = data_len ? *data_len : 0, got = 0;
	int rc, rounds;

	if (data_len)
		*data_len = 0;
	*sw = 0;
	rc = raw_xfer(c, cmd, len, resp, &n);
	if (rc < 0)
		return rc;
	/* 6Cxx: wrong Le, re-send the same command with Le = xx (ISO 7816-3 §10.3.3) */
	if (resp[n - 2] == 0x6C && len >= 4 && len <= 5) {
		memcpy(again, cmd, 4);
		again[4] = resp[n - 1];
		n = sizeof(resp);
		rc = raw_xfer(c, again, 5, resp, &n);
		if (rc < 0)
			return rc;
	}
	for (rounds = 0; rounds < 64; rounds++) {
		size_t dl = n - 2;
		if (dl > 0) {
			if (got + dl > cap)
				return LD_ERR_BUFFER;
			memcpy(data + got, resp, dl);
			got += dl;
		}
		*sw = (uint16_t)((resp[n - 2] << 8) | resp[n - 1]);
		if (resp[n - 2] != 0x61)
			break;
		/* 61xx: xx bytes wait, fetch them with GET RESPONSE (TS 102 221 §7.3.1.1.4) */
		again[0] = (uint8_t)(cmd[0] & 0x03u);
		again[1] = INS_GET_RESPONSE;
		again[2] = 0;
		again[3] = 0;
		again[4] = resp[n - 1];
		n = sizeof(resp);
		rc = raw_xfer(c, again, 5, resp, &n);
		if (rc < 0)
			return rc;
	}
	if (data_len)
		*data_len = got;
	return LD_OK;
}

/* ---- FCP ------------------------------------------------------------- */
int ld_fcp_decode(const uint8_t *buf, size_t len, struct ld_fcp *fcp)
{
	struct mi_btlv outer, in;
	mi_u16 off = 0;
	int n;

	memset(fcp, 0, sizeof(*fcp));
	if (len > 0xFFFFu)
		return LD_ERR_FORMAT;
	n = mi_btlv_decode(buf, (mi_u16)len, &outer);
	if (n < 0 || outer.tag != FCP_TAG)
		return LD_ERR_FORMAT;
	while (off < outer.len) {
		n = mi_btlv_decode(outer.val + off, (mi_u16)(outer.len - off), &in);
		if (n < 0)
			return LD_ERR_FORMAT;
		switch (in.tag) {
		case 0x82: /* file descriptor */
			if (in.len >= 1) {
				fcp->fdb = in.val[0];
				fcp->is_df = (in.val[0] & 0x38u) == 0x38u;
			}
			break;
		case 0x83:
			if (in.len == 2)
				fcp->fid = (uint16_t)((in.val[0] << 8) | in.val[1]);
			break;
		case 0x80: /* file size */
		case 0x81: { /* total file size */
			uint32_t v = 0;
			mi_u16 i;
			if (in.len > 4)
				return LD_ERR_FORMAT;
			for (i = 0; i < in.len; i++)
				v = (v << 8) | in.val[i];
			if (in.tag == 0x80 || fcp->size == 0)
				fcp->size = v;
			break;
		}
		case 0x8B: /* referenced security attributes: EF_ARR FID + record */
			if (in.len == 3) {
				fcp->has_arr = 1;
				fcp->arr_fid = (uint16_t)((in.val[0] << 8) | in.val[1]);
				fcp->arr_rec = in.val[2];
			}
			break;
		case 0x8A:
			if (in.len == 1)
				fcp->lcsi = in.val[0];
			break;
		default:
			break;
		}
		off = (mi_u16)(off + n);
	}
	return LD_OK;
}

int ld_select_fid(struct ld_card *c, uint16_t fid, struct ld_fcp *fcp, uint16_t *sw)
{
	/* P2 04: return the FCP; 0C: no data, one APDU less under T=0
	 * (TS 102 221 §11.1.1.2) */
	uint8_t cmd[7] = {0x00, INS_SELECT, 0x00, fcp ? 0x04 : 0x0C, 0x02, (uint8_t)(fid >> 8),
			  (uint8_t)(fid & 0xFFu)};
	uint8_t data[LD_FCP_MAX];
	size_t n = sizeof(data);
	int rc = ld_xfer(c, cmd, sizeof(cmd), data, &n, sw);

	if (rc < 0)
		return rc;
	if (fcp) {
		memset(fcp, 0, sizeof(*fcp));
		if (*sw == MI_SW_OK && n > 0)
			(void)ld_fcp_decode(data, n, fcp);
	}
	return LD_OK;
}

int ld_select_aid(struct ld_card *c, const uint8_t *aid, size_t aid_len, uint16_t *sw)
{
	uint8_t cmd[5 + 16];
	uint8_t data[LD_FCP_MAX];
	size_t n = sizeof(data);

	if (aid_len == 0 || aid_len > 16)
		return LD_ERR_PARAM;
	cmd[0] = 0x00;
	cmd[1] = INS_SELECT;
	cmd[2] = 0x04; /* by DF name */
	cmd[3] = 0x04;
	cmd[4] = (uint8_t)aid_len;
	memcpy(cmd + 5, aid, aid_len);
	return ld_xfer(c, cmd, 5 + aid_len, data, &n, sw);
}

int ld_select_path(struct ld_card *c, const uint16_t *path, size_t n, struct ld_fcp *fcp,
		   uint16_t *sw)
{
	size_t i;
	int rc = ld_select_fid(c, 0x3F00, n == 0 ? fcp : NULL, sw);

	for (i = 0; rc == LD_OK && *sw == MI_SW_OK && i < n; i++)
		rc = ld_select_fid(c, path[i], i + 1 == n ? fcp : NULL, sw);
	return rc;
}

int ld_read_binary(struct ld_card *c, uint32_t off, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = len - done, n;
		uint32_t o = off + (uint32_t)done;
		uint8_t cmd[5];
		uint16_t sw;
		int rc;

		if (chunk > c->max_chunk)
			chunk = c->max_chunk;
		if (o > 0x7FFFu)
			return LD_ERR_PARAM; /* P1 b8 = 0: 15-bit offset (TS 102 221 §11.1.3) */
		cmd[0] = 0x00;
		cmd[1] = INS_READ_BINARY;
		cmd[2] = (uint8_t)(o >> 8);
		cmd[3] = (uint8_t)(o & 0xFFu);
		cmd[4] = (uint8_t)chunk;
		n = chunk;
		rc = ld_xfer(c, cmd, 5, buf + done, &n, &sw);
		if (rc < 0)
			return rc;
		if (sw != MI_SW_OK || n == 0)
			return LD_ERR_SW;
		done += n;
	}
	return LD_OK;
}

int ld_read_record(struct ld_card *c, uint8_t rec, uint8_t *buf, size_t *len, uint16_t *sw)
{
	/* P2 04: absolute record in the current EF (TS 102 221 §11.1.5) */
	uint8_t cmd[5] = {0x00, INS_READ_RECORD, rec, 0x04, 0x00};

	return ld_xfer(c, cmd, 5, buf, len, sw);
}

static int send_or_print(struct ld_card *c, const uint8_t *cmd, size_t len)
{
	uint16_t sw;
	int rc;

	if (c->dry) {
		uint8_t mask[5 + 256];
		ld_apdu_mask(cmd, len, mask);
		ld_hex_masked(c->dry, cmd, len, mask, 0);
		fprintf(c->dry, "  %s\n", ins_name(cmd[1]));
		return LD_OK;
	}
	rc = ld_xfer(c, cmd, len, NULL, NULL, &sw);
	if (rc < 0)
		return rc;
	return sw == MI_SW_OK ? LD_OK : LD_ERR_SW;
}

int ld_update_binary(struct ld_card *c, uint16_t off, const uint8_t *data, size_t len)
{
	uint8_t cmd[5 + 255];

	if (len == 0 || len > 255 || off > 0x7FFFu)
		return LD_ERR_PARAM;
	cmd[0] = 0x00;
	cmd[1] = INS_UPDATE_BINARY;
	cmd[2] = (uint8_t)(off >> 8);
	cmd[3] = (uint8_t)(off & 0xFFu);
	cmd[4] = (uint8_t)len;
	memcpy(cmd + 5, data, len);
	c->n_update++;
	return send_or_print(c, cmd, 5 + len);
}

int ld_create_file(struct ld_card *c, const uint8_t *fcp, size_t len)
{
	uint8_t cmd[5 + 255];

	if (len == 0 || len > 255)
		return LD_ERR_PARAM;
	cmd[0] = 0x00;
	cmd[1] = INS_CREATE_FILE;
	cmd[2] = 0x00;
	cmd[3] = 0x00;
	cmd[4] = (uint8_t)len;
	memcpy(cmd + 5, fcp, len);
	c->n_create++;
	return send_or_print(c, cmd, 5 + len);
}

int ld_verify_query(struct ld_card *c, uint8_t ref)
{
	/* VERIFY without data: the retry counter, no attempt used (TS 102 221 §11.1.9) */
	uint8_t cmd[4] = {0x00, INS_VERIFY, 0x00, ref};
	uint16_t sw;
	int rc = ld_xfer(c, cmd, 4, NULL, NULL, &sw);

	if (rc < 0)
		return rc;
	if (sw == MI_SW_OK)
		return LD_TRIES_NOT_NEEDED;
	if ((sw & 0xFFF0u) == MI_SW_VERIFY_FAIL)
		return (int)(sw & 0x0Fu);
	if (sw == MI_SW_BLOCKED)
		return 0;
	return LD_ERR_SW;
}

int ld_verify(struct ld_card *c, uint8_t ref, const uint8_t value[8], int *tries_left)
{
	uint8_t cmd[13] = {0x00, INS_VERIFY, 0x00, ref, 0x08};
	uint16_t sw;
	int rc;

	*tries_left = -1;
	memcpy(cmd + 5, value, 8);
	c->n_verify++;
	if (c->dry)
		return send_or_print(c, cmd, sizeof(cmd));
	rc = ld_xfer(c, cmd, sizeof(cmd), NULL, NULL, &sw);
	memset(cmd, 0, sizeof(cmd));
	if (rc < 0)
		return rc;
	if (sw == MI_SW_OK)
		return LD_OK;
	if ((sw & 0xFFF0u) == MI_SW_VERIFY_FAIL) {
		*tries_left = (int)(sw & 0x0Fu);
		return LD_ERR_REFUSED;
	}
	if (sw == MI_SW_BLOCKED) {
		*tries_left = 0;
		return LD_ERR_REFUSED;
	}
	return LD_ERR_SW;
}

int ld_hex_parse(const char *text, uint8_t *out, size_t cap)
{
	int n = mi_hex_decode(text, out, (mi_u16)(cap > MI_LEN_MAX ? MI_LEN_MAX : cap));

	if (n == MI_ERR_CAPACITY)
		return LD_ERR_BUFFER;
	return n < 0 ? LD_ERR_PARAM : n;
}

int ld_parse_secret(const char *text, uint8_t out[8])
{
	size_t len = strlen(text), i;

	if (len >= 4 && len <= 8) {
		/* ASCII digits padded with FF (TS 102 221 §9.5.1) */
		for (i = 0; i < len; i++)
			if (!isdigit((unsigned char)text[i]))
				return LD_ERR_PARAM;
		memset(out, 0xFF, 8);
		memcpy(out, text, len);
		return LD_OK;
	}
	if (len == 16 && ld_hex_parse(text, out, 8) == 8)
		return LD_OK;
	return LD_ERR_PARAM;
}
