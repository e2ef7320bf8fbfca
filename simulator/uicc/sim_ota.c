/* SPDX-License-Identifier: Apache-2.0 */
/* SMS-PP data download (3GPP TS 31.111 §7.1.1) of secured packets
 * (3GPP TS 31.115, ETSI TS 102 225): the card OS's half.
 *
 * ENVELOPE D1 -> SMS-DELIVER TPDU -> (concatenated parts) -> command
 * packet -> TAR, keys, RC/CC, minimum security level, counter -> the
 * script runs as one NV transaction with the new counter -> response
 * packet (PoR) in the ENVELOPE response (61xx + GET RESPONSE under T=0,
 * sent by the terminal in the SMS-DELIVER-REPORT) or by a SEND SHORT
 * MESSAGE proactive command (SPI2 b6). A packet refused for any reason
 * changes nothing. */
#include <string.h>

#include <openssl/crypto.h>

#include "sim_cmd.h"
#include "sim_ota.h"

#define PKT_MAX (OTA_REASM_MAX_SMS * OTA_UD_MAX)

struct ota_job {
	struct ota_cmd_hdr h;
	struct ota_cmd cmd;
	struct ota_key kic, kid;
	uint8_t opened;    /*!< deciphered and authenticated: its counter is known */
	uint8_t status;
	struct ota_rfm_resp rfm;
	uint8_t has_rfm;
};

/* SPI1 parts ranked for the minimum security level check (TS 102 225
 * §5.1.1, TS 102 226 §8.2.1.3.2.4.2): integrity none < RC < CC < DS,
 * ciphering, and a counter the card checks (10 or 11). */
static int level_ok(uint8_t spi1, uint8_t msl)
{
	if (OTA_SPI1_INTEGRITY(spi1) < OTA_SPI1_INTEGRITY(msl))
		return 0;
	if ((msl & OTA_SPI1_CIPHER) && !(spi1 & OTA_SPI1_CIPHER))
		return 0;
	if (OTA_SPI1_CNTR(msl) >= OTA_CNTR_HIGHER && OTA_SPI1_CNTR(spi1) < OTA_CNTR_HIGHER)
		return 0;
	return 1;
}

static uint64_t cntr_value(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < OTA_CNTR_LEN; i++)
		v = v << 8 | p[i];
	return v;
}

/* Counter key version: the one of the key that authenticates the packet. */
static unsigned cntr_kvn(const struct ota_cmd_hdr *h)
{
	return OTA_SPI1_INTEGRITY(h->spi1) != OTA_INT_NONE ? h->kid >> 4u : h->kic >> 4u;
}

/* TS 102 225 §5.1.1 counter management. \returns a status, OK to go on. */
static uint8_t check_counter(struct sim_card *c, const struct ota_job *j)
{
	unsigned mode = OTA_SPI1_CNTR(j->h.spi1);
	uint8_t stored[OTA_CNTR_LEN];
	uint64_t have, got;

	if (mode < OTA_CNTR_HIGHER)
		return OTA_ST_OK;
	if (sim_ota_cntr_get(c, cntr_kvn(&j->h), stored) != 0)
		return OTA_ST_UNIDENTIFIED;
	have = cntr_value(stored);
	got = cntr_value(j->cmd.cntr);
	if (have == 0xFFFFFFFFFFull)
		return OTA_ST_CNTR_BLOCKED;
	if (got <= have)
		return OTA_ST_CNTR_LOW;
	if (mode == OTA_CNTR_NEXT && got != have + 1u)
		return OTA_ST_CNTR_HIGH;
	return OTA_ST_OK;
}

/* The keys KIc/KID name, when the card has them: they open the packet and
 * secure the PoR (also when the command itself is not ciphered, has no CC,
 * or is refused: a sender decodes every PoR with the security its SPI2
 * asked for, TS 102 225 §5.2.1). */
static void load_keys(struct sim_card *c, struct ota_job *j)
{
	if (sim_ota_key(c, j->h.kic, 0, &j->kic) != 0)
		memset(&j->kic, 0, sizeof(j->kic));
	if (sim_ota_key(c, j->h.kid, 1, &j->kid) != 0)
		memset(&j->kid, 0, sizeof(j->kid));
	if (OTA_SPI1_INTEGRITY(j->h.spi1) == OTA_INT_RC)
		j->kid.id = j->h.kid; /* a CRC needs no key */
}

/* Decipher and check the RC/CC. \returns a status. */
static uint8_t open_packet(struct ota_job *j, uint8_t *work, size_t cap)
{
	unsigned integrity = OTA_SPI1_INTEGRITY(j->h.spi1);

	if ((j->h.spi1 & OTA_SPI1_CIPHER) && j->kic.len == 0)
		return OTA_ST_UNIDENTIFIED;
	if (integrity == OTA_INT_CC && j->kid.len == 0)
		return OTA_ST_UNIDENTIFIED;
	switch (ota_cmd_open(&j->h, &j->kic, &j->kid, work, cap, &j->cmd)) {
	case OTA_OK:
		j->opened = 1;
		return OTA_ST_OK;
	case OTA_ERR_CHECK:
		return OTA_ST_RC_CC_DS_FAILED;
	case OTA_ERR_CRYPTO:
		return OTA_ST_CIPHER_ERROR;
	default:
		return OTA_ST_UNIDENTIFIED;
	}
}

/* Counter and script as one NV transaction. A failed command rolls the
 * script back but still spends the counter: the packet cannot be replayed. */
static int apply(struct sim_card *c, struct ota_job *j, const struct sim_ota_tar *tar)
{
	int spend = OTA_SPI1_CNTR(j->h.spi1) >= OTA_CNTR_HIGHER;
	int ok;

	if (sim_nv_capture_begin(&c->nv) != 0)
		return -1;
	ok = (!spend || sim_ota_cntr_put(c, cntr_kvn(&j->h), j->cmd.cntr) == 0);
	j->has_rfm = 1;
	ok = ok && sim_ota_rfm_run(c, tar, j->cmd.data, j->cmd.data_len, &j->rfm) == 0;
	if (ok)
		return sim_nv_capture_commit(&c->nv);
	sim_nv_capture_abort(&c->nv);
	if (!spend || c->nv.torn)
		return 0;
	if (sim_nv_capture_begin(&c->nv) != 0)
		return -1;
	if (sim_ota_cntr_put(c, cntr_kvn(&j->h), j->cmd.cntr) != 0) {
		sim_nv_capture_abort(&c->nv);
		return -1;
	}
	return sim_nv_capture_commit(&c->nv);
}

/* The PoR, secured as SPI2 asks with the keys the card has; in clear when
 * it lacks them (an unknown key version). */
static int build_por(const struct ota_job *j, uint8_t *out, size_t cap)
{
	struct ota_por por;
	uint8_t data[OTA_UD_MAX + 8];
	uint8_t spi2 = j->h.spi2;
	int n = 0;

	memset(&por, 0, sizeof(por));
	memcpy(por.tar, j->h.tar, OTA_TAR_LEN);
	if (j->opened)
		memcpy(por.cntr, j->cmd.cntr, OTA_CNTR_LEN);
	por.status = j->status;
	if (j->has_rfm) {
		n = ota_rfm_resp_encode(&j->rfm, data, sizeof(data));
		if (n < 0)
			n = 0;
		por.data = data;
		por.data_len = (size_t)n;
	}
	if (j->kic.len == 0)
		spi2 &= (uint8_t)~OTA_SPI2_POR_CIPHER;
	if (OTA_SPI2_POR_INTEGRITY(spi2) == OTA_INT_CC && j->kid.len == 0)
		spi2 &= (uint8_t)~0x0Cu;
	n = ota_por_build(spi2, &por, &j->kic, &j->kid, out, cap);
	if (n == OTA_ERR_ALG) /* e.g. an RC asked with a KID that names a CC */
		n = ota_por_build(0x01, &por, NULL, NULL, out, cap);
	return n;
}

/* SEND SHORT MESSAGE (TS 102 223 §6.6.9) with the PoR in an SMS-SUBMIT to
 * the sender of the command (TS 31.115 §4.3). */
static int send_por_by_sms(struct sim_card *c, const struct ota_addr *to, const uint8_t *por, size_t len)
{
	uint8_t tpdu[OTA_TPDU_MAX];
	uint8_t *p = c->port.proactive;
	int n = ota_sms_submit_build(to, 0x00, por, len, tpdu, sizeof(tpdu));
	size_t body, pos = 0;

	if (n < 0)
		return -1;
	body = 5u + 4u + 1u + ((size_t)n >= 0x80 ? 2u : 1u) + (size_t)n;
	if (body + 3u > sizeof(c->port.proactive) || c->port.proactive_len)
		return -1;
	p[pos++] = 0xD0;
	if (body >= 0x80)
		p[pos++] = 0x81;
	p[pos++] = (uint8_t)body;
	memcpy(p + pos, (const uint8_t[]){0x81, 0x03, 0x01, 0x13, 0x00, 0x82, 0x02, 0x81, 0x83}, 9);
	pos += 9;
	p[pos++] = 0x8B;
	if (n >= 0x80)
		p[pos++] = 0x81;
	p[pos++] = (uint8_t)n;
	memcpy(p + pos, tpdu, (size_t)n);
	c->port.proactive_len = (uint16_t)(pos + (size_t)n);
	c->os_proactive = SIM_OSP_OTA;
	return 0;
}

static void process_packet(struct sim_card *c, const struct ota_addr *from, const uint8_t *pkt, size_t len,
			   struct sim_rsp *r)
{
	static uint8_t work[PKT_MAX];
	struct ota_job j;
	struct sim_ota_tar tar;
	uint8_t por[SIM_RESP_MAX];
	int n;

	memset(&j, 0, sizeof(j));
	if (ota_cmd_parse(pkt, len, &j.h) != OTA_OK) {
		r->sw = MI_SW_BAD_DATA; /* not a command packet: no TAR to answer */
		return;
	}
	load_keys(c, &j);
	if (sim_ota_tar_find(c, j.h.tar, &tar) != 0)
		j.status = OTA_ST_TAR_UNKNOWN;
	else
		j.status = open_packet(&j, work, sizeof(work));
	if (j.status == OTA_ST_OK && !level_ok(j.h.spi1, tar.msl))
		j.status = OTA_ST_SECURITY_LEVEL;
	if (j.status == OTA_ST_OK)
		j.status = check_counter(c, &j);
	if (j.status == OTA_ST_OK && apply(c, &j, &tar) != 0) {
		if (c->nv.torn)
			return;
		j.status = OTA_ST_NO_MEMORY;
	}
	OPENSSL_cleanse(work, sizeof(work));
	/* TS 102 225 §5.1.1 SPI2 b2..b1: PoR always, on error only, or never */
	if (OTA_SPI2_POR(j.h.spi2) == OTA_POR_NONE ||
	    (OTA_SPI2_POR(j.h.spi2) == OTA_POR_ON_ERROR && j.status == OTA_ST_OK)) {
		r->sw = MI_SW_OK;
		goto out;
	}
	n = build_por(&j, por, sizeof(por));
	if (n < 0) {
		r->sw = MI_SW_OK;
		goto out;
	}
	if (j.h.spi2 & OTA_SPI2_POR_SUBMIT) {
		r->sw = send_por_by_sms(c, from, por, (size_t)n) == 0 ? MI_SW_OK : MI_SW_TOOLKIT_BUSY;
		goto out;
	}
	memcpy(r->data, por, (size_t)n);
	r->len = (uint16_t)n;
	r->sw = MI_SW_OK;
out:
	OPENSSL_cleanse(&j, sizeof(j));
}

int sim_ota_envelope(struct sim_card *c, const uint8_t *data, uint16_t len, struct sim_rsp *r)
{
	static uint8_t pkt[PKT_MAX];
	const uint8_t *tpdu;
	size_t tl, pl;
	struct ota_sms s;
	int rc;

	if (len < 1 || data[0] != 0xD1)
		return 0;
	if (ota_envelope_parse(data, len, &tpdu, &tl) != OTA_OK || ota_sms_parse(tpdu, tl, &s) != OTA_OK) {
		r->sw = MI_SW_BAD_DATA;
		return 1;
	}
	/* (U)SIM data download with a command packet (TS 23.040 §9.2.3.9,
	 * TS 31.115 §4.2); any other SMS-PP download is the applet's */
	if (s.pid != 0x7F || (!s.has_cpi && !s.concat))
		return 0;
	rc = ota_reasm_add(&c->ota_reasm, &s, pkt, sizeof(pkt), &pl);
	if (rc < 0) {
		r->sw = MI_SW_BAD_DATA;
		return 1;
	}
	if (rc == 0) {
		r->sw = MI_SW_OK; /* more parts to come */
		return 1;
	}
	process_packet(c, &s.addr, pkt, pl, r);
	return 1;
}

void sim_ota_terminal_response(struct sim_card *c, struct sim_rsp *r)
{
	/* the PoR left (or the terminal could not send it): nothing to redo,
	 * the sender repeats the command with a new counter (TS 102 225 §5.1.1) */
	c->os_proactive = 0;
	r->sw = MI_SW_OK;
}
