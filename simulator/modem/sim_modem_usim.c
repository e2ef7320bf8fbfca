/* SPDX-License-Identifier: Apache-2.0 */
/* The lowest layer of the virtual ME: the APDU transport (61xx / 6Cxx /
 * 91xx), file reads and the USIM initialisation (TS 31.102 §5.1.1). It
 * calls no other file of the modem. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "modem/sim_modem_int.h"

#define RESP_MAX 300

void sim_modem_notef(struct sim_modem *m, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	if (!m->hooks.note)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	m->hooks.note(m->hooks.ctx, text);
}

static int raw_xfer(struct sim_modem *m, const uint8_t *cmd, size_t len, uint8_t *resp,
		    size_t *resp_len)
{
	size_t cap = *resp_len;
	int rc = sim_card_transmit(m->card, cmd, len, resp, resp_len);

	m->apdus++;
	if (m->hooks.apdu)
		m->hooks.apdu(m->hooks.ctx, cmd, len, resp, rc == SIM_OK ? *resp_len : 0);
	if (rc != SIM_OK || *resp_len < 2 || *resp_len > cap)
		return -1;
	return 0;
}

int sim_modem_xfer(struct sim_modem *m, const uint8_t *cmd, size_t len, uint8_t *resp,
		   size_t *resp_len, uint16_t *sw)
{
	uint8_t c[MI_APDU_BUF + 1], r[RESP_MAX];
	size_t rl = sizeof(r), out = 0, cap = *resp_len;
	int guard;

	*resp_len = 0;
	if (!m->powered || len < 4 || len > MI_APDU_BUF)
		return -1;
	memcpy(c, cmd, len);
	if (raw_xfer(m, c, len, r, &rl) < 0)
		return -1;
	*sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
	if ((*sw & 0xFF00u) == MI_SW_WRONG_LE) {
		/* ISO 7816-3 §10.3.4 (T=0): re-send with Le = SW2 */
		if (len == 4)
			len = 5;
		c[len - 1] = (uint8_t)(*sw & 0xFF);
		rl = sizeof(r);
		if (raw_xfer(m, c, len, r, &rl) < 0)
			return -1;
		*sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
	}
	for (guard = 0; guard < 16; guard++) {
		size_t n = rl - 2;

		if (n > cap - out)
			n = cap - out;
		memcpy(resp + out, r, n);
		out += n;
		if ((*sw & 0xFF00u) != MI_SW_BYTES_AVAILABLE)
			break;
		/* TS 102 221 §7.3.1.1.4: case 4 under T=0, fetch with GET RESPONSE */
		c[0] = 0x00;
		c[1] = 0xC0;
		c[2] = 0x00;
		c[3] = 0x00;
		c[4] = (uint8_t)(*sw & 0xFF);
		rl = sizeof(r);
		if (raw_xfer(m, c, 5, r, &rl) < 0)
			return -1;
		*sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
	}
	*resp_len = out;
	if ((*sw & 0xFF00u) == MI_SW_PROACTIVE) {
		/* TS 102 221 §14.6.2: a proactive command is waiting for FETCH */
		m->fetch_pending = 1;
		m->fetch_len = (uint8_t)(*sw & 0xFF);
		*sw = MI_SW_OK;
	}
	return 0;
}

/* Walk the FCP (TS 102 221 §11.1.1.3) for the file size (80) and the record
 * layout in the file descriptor (82). */
static void fcp_info(const uint8_t *fcp, size_t len, int *size, int *rec_len, int *n_rec)
{
	size_t i = 2;

	*size = -1;
	*rec_len = 0;
	*n_rec = 0;
	if (len < 2 || fcp[0] != 0x62)
		return;
	if (fcp[1] == 0x81)
		i = 3;
	while (i + 2 <= len) {
		uint8_t tag = fcp[i], l = fcp[i + 1];

		if (i + 2u + l > len)
			return;
		if (tag == 0x80 && l >= 2)
			*size = fcp[i + 2] << 8 | fcp[i + 3];
		if (tag == 0x82 && l >= 5) {
			*rec_len = fcp[i + 4] << 8 | fcp[i + 5];
			*n_rec = fcp[i + 6];
		}
		i += 2u + l;
	}
}

static uint16_t select_fid(struct sim_modem *m, uint16_t fid, int *size, int *rec_len, int *n_rec)
{
	uint8_t c[7] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0, 0}, r[RESP_MAX];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	c[5] = (uint8_t)(fid >> 8);
	c[6] = (uint8_t)fid;
	if (sim_modem_xfer(m, c, sizeof(c), r, &rl, &sw) < 0)
		return MI_SW_TECHNICAL;
	if (sw == MI_SW_OK)
		fcp_info(r, rl, size, rec_len, n_rec);
	return sw;
}

static int read_binary(struct sim_modem *m, int size, uint8_t *buf, size_t cap)
{
	int off = 0;

	if (size < 0 || (size_t)size > cap)
		size = (int)cap;
	while (off < size) {
		uint8_t c[5] = {0x00, 0xB0, 0, 0, 0}, r[RESP_MAX];
		size_t rl = sizeof(r);
		uint16_t sw = 0;
		int n = size - off > 255 ? 255 : size - off;

		c[2] = (uint8_t)(off >> 8);
		c[3] = (uint8_t)off;
		c[4] = (uint8_t)n;
		if (sim_modem_xfer(m, c, 5, r, &rl, &sw) < 0 || sw != MI_SW_OK || rl == 0)
			return off ? off : -1;
		if (rl > (size_t)n)
			rl = (size_t)n;
		memcpy(buf + off, r, rl);
		off += (int)rl;
	}
	return off;
}

/* Read a transparent EF of the current ADF; \returns bytes or -1. */
static int read_ef(struct sim_modem *m, uint16_t fid, uint8_t *buf, size_t cap)
{
	int size, rec_len, n_rec;

	if (select_fid(m, fid, &size, &rec_len, &n_rec) != MI_SW_OK)
		return -1;
	return read_binary(m, size, buf, cap);
}

int sim_modem_read_ef(struct sim_modem *m, const uint16_t *path, int n, uint8_t *buf, size_t cap)
{
	int i, size = -1, rec_len, n_rec;

	if (select_fid(m, 0x3F00, &size, &rec_len, &n_rec) != MI_SW_OK)
		return -1;
	for (i = 0; i < n; i++) {
		uint16_t fid = path[i];

		if (fid == 0x7FFF) {
			/* the ADF: re-select it by AID */
			if (sim_modem_usim_init(m, -1) < 0)
				return -1;
			continue;
		}
		if (select_fid(m, fid, &size, &rec_len, &n_rec) != MI_SW_OK)
			return -1;
	}
	return read_binary(m, size, buf, cap);
}

/* USIM AID from EF_DIR (TS 102 221 §13.1), or the partial 3GPP USIM AID. */
static int select_usim(struct sim_modem *m)
{
	static const uint8_t usim_prefix[7] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	uint8_t aid[16], c[5 + 16], r[RESP_MAX];
	size_t aid_len = sizeof(usim_prefix), rl;
	int size, rec_len = 0, n_rec = 0, rec;
	uint16_t sw = 0;

	memcpy(aid, usim_prefix, sizeof(usim_prefix));
	if (select_fid(m, 0x3F00, &size, &rec_len, &n_rec) != MI_SW_OK)
		return -1;
	if (select_fid(m, 0x2F00, &size, &rec_len, &n_rec) == MI_SW_OK && rec_len > 0) {
		for (rec = 1; rec <= n_rec && rec < 16; rec++) {
			uint8_t rc[5] = {0x00, 0xB2, 0, 0x04, 0};

			rc[2] = (uint8_t)rec;
			rc[4] = (uint8_t)rec_len;
			rl = sizeof(r);
			if (sim_modem_xfer(m, rc, 5, r, &rl, &sw) < 0 || sw != MI_SW_OK)
				break;
			/* 61 L 4F len AID ... */
			if (rl >= 4 && r[0] == 0x61 && r[2] == 0x4F && r[3] <= 16 &&
			    4u + r[3] <= rl && r[3] >= 7 && memcmp(r + 4, usim_prefix, 7) == 0) {
				aid_len = r[3];
				memcpy(aid, r + 4, aid_len);
				break;
			}
		}
	}
	c[0] = 0x00;
	c[1] = 0xA4;
	c[2] = 0x04; /* by DF name (TS 102 221 §11.1.1.2) */
	c[3] = 0x04;
	c[4] = (uint8_t)aid_len;
	memcpy(c + 5, aid, aid_len);
	rl = sizeof(r);
	if (sim_modem_xfer(m, c, 5 + aid_len, r, &rl, &sw) < 0 || sw != MI_SW_OK)
		return -1;
	return 0;
}

static int check_pin(struct sim_modem *m)
{
	uint8_t c[13] = {0x00, 0x20, 0x00, 0x01}, r[8];
	size_t rl = sizeof(r), n;
	uint16_t sw = 0;

	/* VERIFY without data: 9000 = disabled or verified (TS 102 221 §11.1.9) */
	if (sim_modem_xfer(m, c, 4, r, &rl, &sw) < 0)
		return -1;
	if (sw == MI_SW_OK)
		return 0;
	n = strlen(m->pin);
	if ((sw & 0xFFF0u) != MI_SW_VERIFY_FAIL || n < 4 || n > 8) {
		sim_modem_notef(m, "PIN1 required and not given: SIM not usable");
		return -1;
	}
	c[4] = 0x08;
	memset(c + 5, 0xFF, 8);
	memcpy(c + 5, m->pin, n);
	rl = sizeof(r);
	if (sim_modem_xfer(m, c, 13, r, &rl, &sw) < 0 || sw != MI_SW_OK) {
		sim_modem_notef(m, "PIN1 verification failed (SW %04X)", sw);
		return -1;
	}
	return 0;
}

static int imsi_to_hplmn(const char *imsi, uint8_t mnc_len, struct mi_plmn *p)
{
	char t[7];
	size_t n = 3u + mnc_len;

	if (strlen(imsi) < n)
		return -1;
	memcpy(t, imsi, n);
	t[n] = 0;
	return mi_plmn_parse(t, (mi_u16)n, p) == MI_OK ? 0 : -1;
}

/* send_tp: 1 = full init with TERMINAL PROFILE, 0 = NAA re-init, -1 = select only */
int sim_modem_usim_init(struct sim_modem *m, int send_tp)
{
	uint8_t buf[256];
	char imsi[16];
	int n, i;

	if (select_usim(m) < 0) {
		sim_modem_notef(m, "ADF.USIM not found");
		return -1;
	}
	if (send_tp < 0)
		return 0;
	if (check_pin(m) < 0)
		return -1;
	if (send_tp > 0) {
		uint8_t c[5 + SIM_TP_MAX] = {0x80, 0x10, 0x00, 0x00}, r[8];
		size_t rl = sizeof(r);
		uint16_t sw = 0;

		/* TS 102 221 §11.2.1 TERMINAL PROFILE */
		c[4] = (uint8_t)m->prof->tp_len;
		memcpy(c + 5, m->prof->tp, m->prof->tp_len);
		if (sim_modem_xfer(m, c, 5 + m->prof->tp_len, r, &rl, &sw) < 0 || sw != MI_SW_OK)
			sim_modem_notef(m, "TERMINAL PROFILE answered %04X", sw);
	}
	n = read_ef(m, 0x6F07, buf, MI_EF_IMSI_LEN);
	if (n < (int)MI_EF_IMSI_LEN ||
	    mi_imsi_decode(buf, (mi_u16)n, imsi, (mi_u16)sizeof(imsi)) < 0) {
		sim_modem_notef(m, "EF_IMSI unreadable");
		return -1;
	}
	m->mnc_len = 2;
	n = read_ef(m, 0x6FAD, buf, 8); /* TS 31.102 §4.2.18: byte 4 = MNC length */
	if (n >= 4 && ((buf[3] & 0x0F) == 2 || (buf[3] & 0x0F) == 3))
		m->mnc_len = buf[3] & 0x0F;
	if (strcmp(m->imsi, imsi) != 0) {
		/* a new subscriber: its registration and the forbidden LAs for
		 * roaming go with the old one (TS 24.008 §4.4.1, TS 24.301 §5.3.2) */
		m->attached = 0;
		m->n_fla = 0;
	}
	if (m->imsi[0] && strcmp(m->imsi, imsi) != 0) {
		m->imsi_changes++;
		sim_modem_notef(m, "IMSI now %s", imsi);
	}
	memcpy(m->imsi, imsi, sizeof(imsi));
	if (imsi_to_hplmn(m->imsi, m->mnc_len, &m->hplmn) < 0)
		memset(&m->hplmn, 0, sizeof(m->hplmn));
	/* TS 23.122 §4.4.3: a non-empty EHPLMN list replaces the HPLMN derived
	 * from the IMSI; its first entry has the highest priority */
	m->n_ehplmn = 0;
	n = read_ef(m, 0x6FD9, buf, sizeof(buf)); /* EF_EHPLMN §4.2.84 */
	for (i = 0; i + 3 <= n && m->n_ehplmn < SIM_MODEM_MAX_LIST; i += 3)
		if (mi_plmn_decode(buf + i, 3, &m->ehplmn[m->n_ehplmn]) == 3)
			m->n_ehplmn++;
	if (m->n_ehplmn)
		m->hplmn = m->ehplmn[0];
	m->have_rplmn = 0;
	n = read_ef(m, 0x6F7E, buf, 11); /* EF_LOCI §4.2.17: LAI at 4, status at 10 */
	if (n == 11 && buf[10] == 0x00 && mi_plmn_decode(buf + 4, 3, &m->rplmn) == 3)
		m->have_rplmn = 1;
	m->n_fplmn = 0;
	n = read_ef(m, 0x6F7B, buf, sizeof(buf)); /* EF_FPLMN §4.2.16 */
	m->fplmn_ef_len = n > 0 ? n : 0;
	for (i = 0; i + 3 <= n && m->n_fplmn < SIM_MODEM_MAX_LIST; i += 3)
		if (mi_plmn_decode(buf + i, 3, &m->fplmn[m->n_fplmn]) == 3)
			m->n_fplmn++;
	m->n_oplmn = 0;
	n = read_ef(m, 0x6F61, buf, sizeof(buf)); /* EF_OPLMNwACT §4.2.53 */
	for (i = 0; i + 5 <= n && m->n_oplmn < SIM_MODEM_MAX_LIST; i += 5) {
		mi_u16 act;

		if (mi_plmnwact_decode(buf + i, 5, &m->oplmn[m->n_oplmn], &act) == 5)
			m->n_oplmn++;
	}
	m->sim_invalid = 0;
	m->initialised = 1;
	return 0;
}
