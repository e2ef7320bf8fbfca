/* SPDX-License-Identifier: Apache-2.0 */
/* SMS TPDUs of 3GPP TS 23.040 for (U)SIM data download, their user data
 * headers (TS 23.040 §9.2.3.24, TS 31.115 §4), concatenation across SMS,
 * and the SMS-PP download ENVELOPE of TS 31.111 §7.1.1. */
#include <ctype.h>
#include <string.h>

#include "ota.h"

#define PID_DATA_DOWNLOAD 0x7Fu /* TS 23.040 §9.2.3.9: (U)SIM data download */
#define DCS_8BIT_CLASS2 0xF6u  /* TS 23.038 §4: 8-bit data, class 2 (SIM specific) */
#define FO_UDHI 0x40u          /* TS 23.040 §9.2.3.23 */
#define MTI_DELIVER 0x00u
#define MTI_SUBMIT 0x01u
#define IEI_CONCAT8 0x00u
#define IEI_CONCAT16 0x08u
#define IEI_CPI 0x70u /* TS 31.115 §4.2: command packet identifier */
#define IEI_RPI 0x71u /* TS 31.115 §4.3: response packet identifier */
#define TAG_SMSPP 0xD1u
#define TAG_DEVICE 0x02u
#define TAG_ADDRESS 0x06u
#define TAG_TPDU 0x0Bu

/* Address field: digit count, TON/NPI, swapped BCD with F filler (§9.1.2.5). */
static int addr_put(const struct ota_addr *a, int sc_form, uint8_t *out, size_t cap)
{
	size_t n = strlen(a->digits), i, bytes = (n + 1) / 2;
	size_t pos = 0;

	if (n > 20 || cap < bytes + 2)
		return OTA_ERR_CAPACITY;
	/* TP-OA/TP-DA count digits; an RP/CAT address counts bytes (TON included) */
	out[pos++] = (uint8_t)(sc_form ? bytes + 1 : n);
	out[pos++] = a->ton_npi;
	for (i = 0; i < bytes; i++) {
		uint8_t lo, hi;

		if (!isdigit((unsigned char)a->digits[2 * i]))
			return OTA_ERR_FORMAT;
		lo = (uint8_t)(a->digits[2 * i] - '0');
		if (2 * i + 1 < n) {
			if (!isdigit((unsigned char)a->digits[2 * i + 1]))
				return OTA_ERR_FORMAT;
			hi = (uint8_t)(a->digits[2 * i + 1] - '0');
		} else {
			hi = 0x0F;
		}
		out[pos++] = (uint8_t)(hi << 4 | lo);
	}
	return (int)pos;
}

static int addr_get(const uint8_t *p, size_t len, struct ota_addr *a)
{
	size_t n, bytes, i, k = 0;

	if (len < 2)
		return OTA_ERR_SHORT;
	n = p[0];
	bytes = (n + 1) / 2;
	if (n > 20)
		return OTA_ERR_FORMAT;
	if (len < 2 + bytes)
		return OTA_ERR_SHORT;
	a->ton_npi = p[1];
	for (i = 0; i < n; i++) {
		uint8_t d = (uint8_t)((i & 1) ? p[2 + i / 2] >> 4 : p[2 + i / 2] & 0x0F);

		a->digits[k++] = d < 10 ? (char)('0' + d) : d == 0x0A ? '*' : d == 0x0B ? '#' : '?';
	}
	a->digits[k] = '\0';
	return (int)(2 + bytes);
}

int ota_sms_deliver_build(const struct ota_addr *oa, const uint8_t scts[7], const uint8_t *ud,
			  size_t udl, uint8_t *out, size_t cap)
{
	size_t pos = 0;
	int n;

	if (udl > OTA_UD_MAX)
		return OTA_ERR_FORMAT;
	if (cap < 1)
		return OTA_ERR_CAPACITY;
	out[pos++] = MTI_DELIVER | FO_UDHI;
	n = addr_put(oa, 0, out + pos, cap - pos);
	if (n < 0)
		return n;
	pos += (size_t)n;
	if (cap - pos < 2u + 7u + 1u + udl)
		return OTA_ERR_CAPACITY;
	out[pos++] = PID_DATA_DOWNLOAD;
	out[pos++] = DCS_8BIT_CLASS2;
	memcpy(out + pos, scts, 7);
	pos += 7;
	out[pos++] = (uint8_t)udl; /* 8-bit data: UDL counts octets, UDH included */
	memcpy(out + pos, ud, udl);
	return (int)(pos + udl);
}

int ota_sms_submit_build(const struct ota_addr *da, uint8_t mr, const uint8_t *ud, size_t udl,
			 uint8_t *out, size_t cap)
{
	size_t pos = 0;
	int n;

	if (udl > OTA_UD_MAX)
		return OTA_ERR_FORMAT;
	if (cap < 2)
		return OTA_ERR_CAPACITY;
	out[pos++] = MTI_SUBMIT | FO_UDHI; /* TP-VPF 00: no validity period */
	out[pos++] = mr;
	n = addr_put(da, 0, out + pos, cap - pos);
	if (n < 0)
		return n;
	pos += (size_t)n;
	if (cap - pos < 3u + udl)
		return OTA_ERR_CAPACITY;
	out[pos++] = PID_DATA_DOWNLOAD;
	out[pos++] = DCS_8BIT_CLASS2;
	out[pos++] = (uint8_t)udl;
	memcpy(out + pos, ud, udl);
	return (int)(pos + udl);
}

/* 8-bit data in the DCS (TS 23.038 §4): general group 00xx with
 * alphabet 01, or group F with b3 set. */
static int dcs_8bit(uint8_t dcs)
{
	if ((dcs & 0xF0u) == 0xF0u)
		return (dcs & 0x04u) != 0;
	if ((dcs & 0xC0u) == 0x00u)
		return ((dcs >> 2) & 0x03u) == 0x01u;
	return 0;
}

static int udh_parse(struct ota_sms *s)
{
	size_t udhl, pos = 1;

	if (s->udl < 1)
		return OTA_ERR_SHORT;
	udhl = s->ud[0];
	if (1u + udhl > s->udl)
		return OTA_ERR_SHORT;
	while (pos < 1u + udhl) {
		uint8_t iei, l;

		if (pos + 2u > 1u + udhl)
			return OTA_ERR_SHORT;
		iei = s->ud[pos];
		l = s->ud[pos + 1];
		if (pos + 2u + l > 1u + udhl)
			return OTA_ERR_SHORT;
		const uint8_t *v = s->ud + pos + 2;

		if (iei == IEI_CONCAT8) {
			if (l != 3 || v[1] == 0 || v[2] == 0 || v[2] > v[1])
				return OTA_ERR_FORMAT;
			s->concat = 1;
			s->ref = v[0];
			s->total = v[1];
			s->seq = v[2];
		} else if (iei == IEI_CONCAT16) {
			if (l != 4 || v[2] == 0 || v[3] == 0 || v[3] > v[2])
				return OTA_ERR_FORMAT;
			s->concat = 2;
			s->ref = (uint16_t)(v[0] << 8 | v[1]);
			s->total = v[2];
			s->seq = v[3];
		} else if (iei == IEI_CPI) {
			s->has_cpi = 1;
		} else if (iei == IEI_RPI) {
			s->has_rpi = 1;
		}
		pos += 2u + l;
	}
	s->body = s->ud + 1 + udhl;
	s->body_len = s->udl - 1 - udhl;
	return OTA_OK;
}

int ota_sms_parse(const uint8_t *tpdu, size_t len, struct ota_sms *s)
{
	size_t pos = 0;
	int n;

	memset(s, 0, sizeof(*s));
	if (len < 1)
		return OTA_ERR_SHORT;
	s->first_octet = tpdu[pos++];
	if ((s->first_octet & 0x03u) == MTI_SUBMIT) {
		if ((s->first_octet & 0x18u) != 0)
			return OTA_ERR_FORMAT; /* a validity period: not what a PoR uses */
		if (pos >= len)
			return OTA_ERR_SHORT;
		pos++; /* TP-MR */
	} else if ((s->first_octet & 0x03u) != MTI_DELIVER) {
		return OTA_ERR_FORMAT;
	}
	n = addr_get(tpdu + pos, len - pos, &s->addr);
	if (n < 0)
		return n;
	pos += (size_t)n;
	if (len - pos < 2)
		return OTA_ERR_SHORT;
	s->pid = tpdu[pos++];
	s->dcs = tpdu[pos++];
	if ((s->first_octet & 0x03u) == MTI_DELIVER) {
		if (len - pos < 7)
			return OTA_ERR_SHORT;
		memcpy(s->scts, tpdu + pos, 7);
		pos += 7;
	}
	if (len - pos < 1)
		return OTA_ERR_SHORT;
	s->udl = tpdu[pos++];
	if (!dcs_8bit(s->dcs))
		return OTA_ERR_FORMAT;
	if (s->udl > OTA_UD_MAX || s->udl > len - pos)
		return OTA_ERR_SHORT;
	s->ud = tpdu + pos;
	if (!(s->first_octet & FO_UDHI)) {
		s->body = s->ud;
		s->body_len = s->udl;
		return OTA_OK;
	}
	return udh_parse(s);
}

int ota_split(const uint8_t *pkt, size_t len, const struct ota_split_opt *opt,
	      uint8_t ud[][OTA_UD_MAX], size_t *udl, unsigned max_sms)
{
	unsigned ie_len, first_hdr, next_hdr, n, i;
	size_t pos = 0;

	if (max_sms == 0)
		return OTA_ERR_CAPACITY;
	if (3u + len <= OTA_UD_MAX) {
		ud[0][0] = 0x02;
		ud[0][1] = IEI_CPI;
		ud[0][2] = 0x00;
		memcpy(ud[0] + 3, pkt, len);
		udl[0] = 3u + len;
		return 1;
	}
	if (opt->iei != IEI_CONCAT8 && opt->iei != IEI_CONCAT16)
		return OTA_ERR_FORMAT;
	ie_len = opt->iei == IEI_CONCAT8 ? 5u : 6u;
	first_hdr = 1u + ie_len + 2u;
	next_hdr = 1u + ie_len;
	n = 1u + (unsigned)((len - (OTA_UD_MAX - first_hdr) + (OTA_UD_MAX - next_hdr) - 1u) /
			    (OTA_UD_MAX - next_hdr));
	if (n > max_sms || n > 255u)
		return OTA_ERR_CAPACITY;
	for (i = 0; i < n; i++) {
		uint8_t *u = ud[i];
		unsigned h = 1;
		size_t take, room;

		u[0] = (uint8_t)((i == 0 ? first_hdr : next_hdr) - 1u);
		u[h++] = opt->iei;
		if (opt->iei == IEI_CONCAT8) {
			u[h++] = 3;
			u[h++] = (uint8_t)opt->ref;
		} else {
			u[h++] = 4;
			u[h++] = (uint8_t)(opt->ref >> 8);
			u[h++] = (uint8_t)opt->ref;
		}
		u[h++] = (uint8_t)n;
		u[h++] = (uint8_t)(i + 1);
		if (i == 0) {
			u[h++] = IEI_CPI;
			u[h++] = 0x00;
		}
		room = OTA_UD_MAX - h;
		take = len - pos < room ? len - pos : room;
		memcpy(u + h, pkt + pos, take);
		pos += take;
		udl[i] = h + take;
	}
	return (int)n;
}

int ota_reasm_add(struct ota_reasm *r, const struct ota_sms *s, uint8_t *out, size_t cap,
		  size_t *out_len)
{
	size_t pos = 0;
	unsigned i;

	*out_len = 0;
	if (!s->concat) {
		if (!s->has_cpi)
			return OTA_ERR_FORMAT;
		if (s->body_len > cap)
			return OTA_ERR_CAPACITY;
		memcpy(out, s->body, s->body_len);
		*out_len = s->body_len;
		return 1;
	}
	if (s->total > OTA_REASM_MAX_SMS)
		return OTA_ERR_CAPACITY;
	if (s->seq == 1 && !s->has_cpi)
		return OTA_ERR_FORMAT;
	/* a part of another message (reference, count or sender) starts over */
	if (!r->active || r->ref != s->ref || r->total != s->total || r->iei != s->concat ||
	    strcmp(r->oa.digits, s->addr.digits) != 0) {
		memset(r, 0, sizeof(*r));
		r->active = 1;
		r->ref = s->ref;
		r->total = s->total;
		r->iei = s->concat;
		r->oa = s->addr;
	}
	r->part_len[s->seq - 1] = (uint16_t)s->body_len;
	memcpy(r->part[s->seq - 1], s->body, s->body_len);
	r->have |= (uint8_t)(1u << (s->seq - 1));
	if (r->have != (uint8_t)((1u << r->total) - 1u))
		return 0;
	for (i = 0; i < r->total; i++) {
		if (pos + r->part_len[i] > cap)
			return OTA_ERR_CAPACITY;
		memcpy(out + pos, r->part[i], r->part_len[i]);
		pos += r->part_len[i];
	}
	memset(r, 0, sizeof(*r));
	*out_len = pos;
	return 1;
}

/* BER-TLV / COMPREHENSION-TLV length: 1 byte below 128, else 81 xx. */
static size_t put_len(uint8_t *p, size_t len)
{
	if (len < 0x80) {
		p[0] = (uint8_t)len;
		return 1;
	}
	p[0] = 0x81;
	p[1] = (uint8_t)len;
	return 2;
}

static int get_len(const uint8_t *p, size_t avail, size_t *len)
{
	if (avail < 1)
		return OTA_ERR_SHORT;
	if (p[0] < 0x80) {
		*len = p[0];
		return 1;
	}
	if (p[0] != 0x81 || avail < 2 || p[1] < 0x80)
		return OTA_ERR_FORMAT;
	*len = p[1];
	return 2;
}

int ota_envelope_build(const struct ota_addr *sc, const uint8_t *tpdu, size_t len, uint8_t *out,
		       size_t cap)
{
	uint8_t body[256];
	size_t pos = 0, data_len, hdr;
	int n;

	/* device identities: network (83) to UICC (81), TS 31.111 §7.1.1.2 */
	body[pos++] = 0x82;
	body[pos++] = 0x02;
	body[pos++] = 0x83;
	body[pos++] = 0x81;
	if (sc) {
		uint8_t a[OTA_ADDR_MAX + 2];

		n = addr_put(sc, 1, a, sizeof(a));
		if (n < 0)
			return n;
		body[pos++] = 0x86;
		memcpy(body + pos, a, (size_t)n); /* a[0] = byte count = the TLV length */
		pos += (size_t)n;
	}
	if (len > OTA_TPDU_MAX)
		return OTA_ERR_FORMAT;
	body[pos++] = 0x8B;
	pos += put_len(body + pos, len);
	memcpy(body + pos, tpdu, len);
	pos += len;
	hdr = pos < 0x80 ? 2 : 3;
	data_len = hdr + pos;
	if (data_len > 255)
		return OTA_ERR_FORMAT;
	if (cap < 5 + data_len)
		return OTA_ERR_CAPACITY;
	out[0] = 0x80;
	out[1] = 0xC2;
	out[2] = 0x00;
	out[3] = 0x00;
	out[4] = (uint8_t)data_len;
	out[5] = TAG_SMSPP;
	put_len(out + 6, pos);
	memcpy(out + 5 + hdr, body, pos);
	return (int)(5 + data_len);
}

int ota_envelope_parse(const uint8_t *data, size_t len, const uint8_t **tpdu, size_t *tpdu_len)
{
	size_t body, pos;
	int n;

	if (len < 2)
		return OTA_ERR_SHORT;
	if (data[0] != TAG_SMSPP)
		return OTA_ERR_FORMAT;
	n = get_len(data + 1, len - 1, &body);
	if (n < 0)
		return n;
	pos = 1u + (size_t)n;
	if (body > len - pos)
		return OTA_ERR_SHORT;
	len = pos + body;
	while (pos < len) {
		uint8_t tag = data[pos++];
		size_t l;

		n = get_len(data + pos, len - pos, &l);
		if (n < 0)
			return n;
		pos += (size_t)n;
		if (l > len - pos)
			return OTA_ERR_SHORT;
		if ((tag & 0x7Fu) == TAG_TPDU) {
			*tpdu = data + pos;
			*tpdu_len = l;
			return OTA_OK;
		}
		pos += l;
	}
	return OTA_ERR_FORMAT;
}

int ota_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex))
			continue;
		if (!isxdigit((unsigned char)*hex))
			return -1;
		v = isdigit((unsigned char)*hex) ? *hex - '0' : (tolower((unsigned char)*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 && n <= 0x7FFFFFFF ? (int)n : -1;
}
