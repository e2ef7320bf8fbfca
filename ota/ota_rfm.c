/* SPDX-License-Identifier: Apache-2.0 */
/* Remote APDU scripts of ETSI TS 102 226 §5: the compact format (C-APDUs
 * one after the other, §5.1) and the expanded format (Command Scripting
 * template AA holding C-APDU TLVs 22, §5.2), and the responses of both. */
#include <string.h>

#include "ota.h"

#define TAG_CMD_SCRIPT 0xAAu /* Command Scripting template, definite length */
#define TAG_CMD_SCRIPT_INDEF 0xAEu /* ... indefinite length (80), ends with 00 00 */
#define TAG_CAPDU 0x22u
#define TAG_RSP_SCRIPT 0xABu /* Response Scripting template */
#define TAG_RAPDU 0x23u
#define TAG_N_EXECUTED 0x80u

static size_t ber_len_size(size_t len)
{
	return len < 0x80 ? 1 : len < 0x100 ? 2 : 3;
}

static void ber_len_put(uint8_t *p, size_t len)
{
	if (len < 0x80) {
		p[0] = (uint8_t)len;
	} else if (len < 0x100) {
		p[0] = 0x81;
		p[1] = (uint8_t)len;
	} else {
		p[0] = 0x82;
		p[1] = (uint8_t)(len >> 8);
		p[2] = (uint8_t)len;
	}
}

static int ber_len_get(const uint8_t *p, size_t avail, size_t *len)
{
	if (avail < 1)
		return OTA_ERR_SHORT;
	if (p[0] < 0x80) {
		*len = p[0];
		return 1;
	}
	if (p[0] == 0x81 && avail >= 2) {
		*len = p[1];
		return 2;
	}
	if (p[0] == 0x82 && avail >= 3) {
		*len = (size_t)p[1] << 8 | p[2];
		return 3;
	}
	return avail < 2 ? OTA_ERR_SHORT : OTA_ERR_FORMAT;
}

int ota_rfm_add(enum ota_rfm_format f, uint8_t *script, size_t len, size_t cap, const uint8_t *apdu,
		size_t apdu_len)
{
	size_t need = apdu_len;

	if (apdu_len < 4)
		return OTA_ERR_FORMAT;
	if (f == OTA_RFM_EXPANDED)
		need += 1 + ber_len_size(apdu_len);
	if (cap - len < need || len > cap)
		return OTA_ERR_CAPACITY;
	if (f == OTA_RFM_EXPANDED) {
		script[len++] = TAG_CAPDU;
		ber_len_put(script + len, apdu_len);
		len += ber_len_size(apdu_len);
	}
	memcpy(script + len, apdu, apdu_len);
	return (int)(len + apdu_len);
}

int ota_rfm_close(enum ota_rfm_format f, uint8_t *script, size_t len, size_t cap)
{
	size_t h;

	if (f != OTA_RFM_EXPANDED)
		return (int)len;
	h = 1 + ber_len_size(len);
	if (cap < len + h)
		return OTA_ERR_CAPACITY;
	memmove(script + h, script, len);
	script[0] = TAG_CMD_SCRIPT;
	ber_len_put(script + 1, len);
	return (int)(len + h);
}

int ota_rfm_begin(struct ota_rfm_iter *it, const uint8_t *script, size_t len)
{
	memset(it, 0, sizeof(*it));
	if (len > 0 && script[0] == TAG_CMD_SCRIPT) {
		size_t body;
		int n = ber_len_get(script + 1, len - 1, &body);

		if (n < 0)
			return n;
		if (body > len - 1 - (size_t)n)
			return OTA_ERR_SHORT;
		it->format = OTA_RFM_EXPANDED;
		it->p = script + 1 + n;
		it->len = body;
		return OTA_OK;
	}
	if (len >= 2 && script[0] == TAG_CMD_SCRIPT_INDEF && script[1] == 0x80) {
		it->format = OTA_RFM_EXPANDED;
		it->p = script + 2;
		it->len = len - 2; /* the walk stops at the end-of-contents 00 00 */
		return OTA_OK;
	}
	it->format = OTA_RFM_COMPACT;
	it->p = script;
	it->len = len;
	return OTA_OK;
}

/* Commands whose P3 is Le in the compact format: they send no data. */
static int p3_is_le(uint8_t ins)
{
	switch (ins) {
	case 0xB0: /* READ BINARY */
	case 0xB2: /* READ RECORD */
	case 0xC0: /* GET RESPONSE */
	case 0xF2: /* STATUS */
	case 0x84: /* GET CHALLENGE */
	case 0xCA: /* GET DATA */
		return 1;
	default:
		return 0;
	}
}

int ota_rfm_next(struct ota_rfm_iter *it, const uint8_t **apdu, size_t *apdu_len)
{
	size_t left = it->len - it->pos;
	const uint8_t *p = it->p + it->pos;

	if (left == 0)
		return 0;
	if (it->format == OTA_RFM_EXPANDED) {
		for (;;) {
			size_t l;
			int n;

			if (left < 2)
				return OTA_ERR_SHORT;
			if (p[0] == 0x00 && p[1] == 0x00) {
				it->pos = it->len; /* end of contents (indefinite form) */
				return 0;
			}
			n = ber_len_get(p + 1, left - 1, &l);
			if (n < 0)
				return n;
			if (l > left - 1 - (size_t)n)
				return OTA_ERR_SHORT;
			it->pos += 1 + (size_t)n + l;
			if (p[0] == TAG_CAPDU) {
				if (l < 4)
					return OTA_ERR_FORMAT;
				*apdu = p + 1 + n;
				*apdu_len = l;
				return 1;
			}
			/* other TLVs (immediate action, error action): skipped */
			left = it->len - it->pos;
			p = it->p + it->pos;
			if (left == 0)
				return 0;
		}
	}
	if (left < 5)
		return OTA_ERR_SHORT;
	{
		size_t n = 5u + (p3_is_le(p[1]) ? 0u : p[4]);

		if (n > left)
			return OTA_ERR_SHORT;
		*apdu = p;
		*apdu_len = n;
		it->pos += n;
	}
	return 1;
}

void ota_rfm_resp_init(struct ota_rfm_resp *r, enum ota_rfm_format f)
{
	memset(r, 0, sizeof(*r));
	r->format = f;
}

int ota_rfm_resp_add(struct ota_rfm_resp *r, const uint8_t *data, size_t len, uint16_t sw)
{
	r->n++;
	r->last_sw = sw;
	if (r->format == OTA_RFM_COMPACT) {
		/* only the last command's data is returned (TS 102 226 §5.1.2) */
		r->len = len <= sizeof(r->buf) ? len : 0;
		if (r->len)
			memcpy(r->buf, data, len);
		return OTA_OK;
	}
	if (sizeof(r->buf) - r->len < 2u + len + 2u) {
		if (sizeof(r->buf) - r->len < 4u)
			return OTA_ERR_CAPACITY;
		len = 0; /* no room for the data: the status word still goes back */
	}
	r->buf[r->len++] = TAG_RAPDU;
	r->buf[r->len++] = (uint8_t)(len + 2u);
	if (len)
		memcpy(r->buf + r->len, data, len);
	r->len += len;
	r->buf[r->len++] = (uint8_t)(sw >> 8);
	r->buf[r->len++] = (uint8_t)sw;
	return OTA_OK;
}

int ota_rfm_resp_encode(const struct ota_rfm_resp *r, uint8_t *out, size_t cap)
{
	size_t inner, pos = 0;

	if (r->format == OTA_RFM_COMPACT) {
		if (cap < 3u + r->len)
			return OTA_ERR_CAPACITY;
		out[0] = r->n;
		out[1] = (uint8_t)(r->last_sw >> 8);
		out[2] = (uint8_t)r->last_sw;
		memcpy(out + 3, r->buf, r->len);
		return (int)(3u + r->len);
	}
	inner = 3u + r->len;
	if (cap < 1u + ber_len_size(inner) + inner)
		return OTA_ERR_CAPACITY;
	out[pos++] = TAG_RSP_SCRIPT;
	ber_len_put(out + pos, inner);
	pos += ber_len_size(inner);
	out[pos++] = TAG_N_EXECUTED;
	out[pos++] = 1;
	out[pos++] = r->n;
	memcpy(out + pos, r->buf, r->len);
	return (int)(pos + r->len);
}
