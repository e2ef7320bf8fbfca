/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-ota: decoding a PoR (TS 102 225 §5.2) and sending packets to a
 * card as SMS-PP download ENVELOPEs (TS 31.111 §7.1.1) through any
 * mimsi-card transport, the PoR coming back in the ENVELOPE response or by
 * a SEND SHORT MESSAGE proactive command (TS 102 223 §6.6.9). */
#include <stdio.h>
#include <string.h>

#include "ota_send.h"

int ot_por_decode(const uint8_t *pkt, size_t len, uint8_t spi2, const struct ot_keyset *ks, struct ot_por *out)
{
	memset(out, 0, sizeof(*out));
	if (ota_por_parse(spi2, pkt, len, &ks->kic, &ks->kid, out->work, sizeof(out->work), &out->por) ==
	    OTA_OK) {
		out->ok = out->secured = 1;
		return 0;
	}
	/* a card answers a failed security check with a PoR in clear */
	if (ota_por_parse(0x01, pkt, len, NULL, NULL, out->work, sizeof(out->work), &out->por) == OTA_OK &&
	    out->por.status != OTA_ST_OK) {
		out->ok = 1;
		return 0;
	}
	return -1;
}

void ot_por_print(FILE *f, const struct ot_por *p, int json)
{
	size_t i;

	if (json) {
		fprintf(f, "{\"status\": %u, \"status_text\": \"%s\", \"secured\": %s, \"tar\": \"%02X%02X%02X\", "
			   "\"counter\": %llu, \"data\": \"",
			p->por.status, ota_status_text(p->por.status), p->secured ? "true" : "false",
			p->por.tar[0], p->por.tar[1], p->por.tar[2],
			(unsigned long long)(((uint64_t)p->por.cntr[0] << 32) | ((uint64_t)p->por.cntr[1] << 24) |
					     ((uint64_t)p->por.cntr[2] << 16) | ((uint64_t)p->por.cntr[3] << 8) |
					     p->por.cntr[4]));
		for (i = 0; i < p->por.data_len; i++)
			fprintf(f, "%02X", p->por.data[i]);
		fprintf(f, "\"}");
		return;
	}
	fprintf(f, "PoR %02X %s%s", p->por.status, ota_status_text(p->por.status),
		p->secured ? " (RC/CC verified)" : " (not secured)");
	if (p->por.data_len) {
		fprintf(f, ", response data ");
		for (i = 0; i < p->por.data_len; i++)
			fprintf(f, "%02X", p->por.data[i]);
	}
	fputc('\n', f);
}

/* The SMS-SUBMIT inside a SEND SHORT MESSAGE: its user data is the PoR. */
static int por_from_proactive(const uint8_t *cmd, size_t len, const uint8_t **ud, size_t *udl)
{
	size_t pos = 0, body;
	struct ota_sms s;

	if (len < 2 || cmd[0] != 0xD0)
		return -1;
	pos = 1;
	body = cmd[pos] == 0x81 ? cmd[pos + 1] : cmd[pos];
	pos += cmd[pos] == 0x81 ? 2u : 1u;
	if (body > len - pos)
		return -1;
	len = pos + body;
	while (pos + 2 <= len) {
		uint8_t tag = (uint8_t)(cmd[pos] & 0x7F);
		size_t l = cmd[pos + 1], h = 2;

		if (l == 0x81 && pos + 3 <= len) {
			l = cmd[pos + 2];
			h = 3;
		}
		if (pos + h + l > len)
			return -1;
		if (tag == 0x01 && l >= 2 && cmd[pos + h + 1] != 0x13)
			return -1; /* not SEND SHORT MESSAGE */
		if (tag == 0x0B) {
			if (ota_sms_parse(cmd + pos + h, l, &s) != OTA_OK || !s.has_rpi)
				return -1;
			*ud = s.ud;
			*udl = s.udl;
			return 0;
		}
		pos += h + l;
	}
	return -1;
}

int ot_send_packet(struct ld_card *c, const struct ot_packet *pk, uint8_t spi2, const struct ot_keyset *ks,
		   struct ot_por *por, int *got_por, char *err, size_t err_len)
{
	uint8_t data[LD_RESP_MAX];
	size_t dl;
	uint16_t sw = 0;
	unsigned i;
	int rc;

	*got_por = 0;
	for (i = 0; i < pk->n_sms; i++) {
		dl = sizeof(data);
		rc = ld_xfer(c, pk->env[i], pk->env_len[i], data, &dl, &sw);
		if (rc < 0) {
			snprintf(err, err_len, "ENVELOPE %u: %s", i + 1, ld_strerror(rc));
			return rc;
		}
		if (i + 1 < pk->n_sms && sw != 0x9000) {
			snprintf(err, err_len, "ENVELOPE %u of %u: SW %04X", i + 1, pk->n_sms, sw);
			return LD_ERR_SW;
		}
	}
	if (sw == 0x9000 && dl > 0) {
		*got_por = ot_por_decode(data, dl, spi2, ks, por) == 0;
		if (!*got_por) {
			snprintf(err, err_len, "the response is not a valid PoR (RC/CC or format)");
			return LD_ERR_FORMAT;
		}
		return LD_OK;
	}
	if ((sw >> 8) == 0x91) {
		/* FETCH the SEND SHORT MESSAGE, TERMINAL RESPONSE "sent" (TS 102 223 §6.8) */
		uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
		uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x01, 0x13, 0x00,
				0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
		const uint8_t *ud;
		size_t udl;

		dl = sizeof(data);
		rc = ld_xfer(c, fetch, sizeof(fetch), data, &dl, &sw);
		if (rc < 0 || sw != 0x9000 || por_from_proactive(data, dl, &ud, &udl) != 0) {
			snprintf(err, err_len, "the card's proactive command is not a SEND SHORT MESSAGE with a PoR");
			return rc < 0 ? rc : LD_ERR_FORMAT;
		}
		*got_por = ot_por_decode(ud, udl, spi2, ks, por) == 0;
		if (dl > 4 && data[2] == 0x81)
			tr[7] = data[5]; /* copy the command number */
		else if (dl > 3)
			tr[7] = data[4];
		rc = ld_xfer(c, tr, sizeof(tr), NULL, NULL, &sw);
		if (rc < 0)
			return rc;
		if (!*got_por) {
			snprintf(err, err_len, "the SMS-SUBMIT does not carry a valid PoR");
			return LD_ERR_FORMAT;
		}
		return LD_OK;
	}
	if (sw == 0x9000)
		return LD_OK; /* no PoR asked, or none on success */
	snprintf(err, err_len, "ENVELOPE: SW %04X", sw);
	return LD_ERR_SW;
}
