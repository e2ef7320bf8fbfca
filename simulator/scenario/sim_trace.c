/* SPDX-License-Identifier: Apache-2.0 */
/* pcap + IPv4 + UDP + GSMTAP framing with virtual timestamps. */
#include <string.h>

#include "scenario/sim_trace.h"

#define TRACE_EPOCH 1793491200u /* 2026-11-01T00:00:00Z */

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int sim_trace_open(struct sim_trace *t, const char *path)
{
	uint8_t gh[24] = {0};

	memset(t, 0, sizeof(*t));
	t->f = fopen(path, "wb");
	if (!t->f)
		return -1;
	put_le32(gh, 0xA1B2C3D4u); /* pcap magic, microseconds */
	gh[4] = 2;		   /* version 2.4 */
	gh[6] = 4;
	put_le32(gh + 16, 65535); /* snaplen */
	put_le32(gh + 20, 101);	  /* LINKTYPE_RAW */
	if (fwrite(gh, sizeof(gh), 1, t->f) != 1)
		t->io_error = 1;
	t->last_t = -1;
	return 0;
}

void sim_trace_apdu(struct sim_trace *t, sim_time_t now, const uint8_t *cmd, size_t cmd_len,
		    const uint8_t *rsp, size_t rsp_len)
{
	uint8_t h[16 + 20 + 8 + 16], masked[5 + 16];
	size_t plen = cmd_len + rsp_len, ip_len = 20 + 8 + 16 + plen;
	uint32_t sum = 0;
	int i;

	if (!t->f || ip_len > 0xFFFF)
		return;
	if (now != t->last_t) {
		t->last_t = now;
		t->usec = 0;
	} else if (t->usec < 999999u) {
		t->usec++;
	}
	put_le32(h, TRACE_EPOCH + (uint32_t)now);
	put_le32(h + 4, t->usec);
	put_le32(h + 8, (uint32_t)ip_len);
	put_le32(h + 12, (uint32_t)ip_len);
	/* IPv4 (RFC 791), 127.0.0.1 -> 127.0.0.1, UDP */
	memset(h + 16, 0, 20);
	h[16] = 0x45;
	h[18] = (uint8_t)(ip_len >> 8);
	h[19] = (uint8_t)ip_len;
	h[20] = (uint8_t)(t->frames >> 8);
	h[21] = (uint8_t)t->frames;
	h[24] = 64;
	h[25] = 17;
	h[28] = 127;
	h[31] = 1;
	h[32] = 127;
	h[35] = 1;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[16 + i] << 8 | h[17 + i]);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	sum = ~sum & 0xFFFF;
	h[26] = (uint8_t)(sum >> 8);
	h[27] = (uint8_t)sum;
	/* UDP (RFC 768), checksum 0 = none */
	h[36] = 0x12;
	h[37] = 0x79;
	h[38] = 0x12;
	h[39] = 0x79; /* 4729 GSMTAP */
	h[40] = (uint8_t)((ip_len - 20) >> 8);
	h[41] = (uint8_t)(ip_len - 20);
	h[42] = 0;
	h[43] = 0;
	/* GSMTAP v2 header: version, length in words, type SIM, ..., sub-type APDU */
	memset(h + 44, 0, 16);
	h[44] = 0x02;
	h[45] = 0x04;
	h[46] = 0x04;
	h[56] = 0x00;
	if (cmd_len > 5 && cmd_len <= sizeof(masked) &&
	    (cmd[1] == 0x20 || cmd[1] == 0x24 || cmd[1] == 0x26 || cmd[1] == 0x28 ||
	     cmd[1] == 0x2C)) {
		/* VERIFY / CHANGE / DISABLE / ENABLE / UNBLOCK PIN (TS 102 221 §11.1.9-13):
		 * never put a PIN or ADM code into a trace */
		memcpy(masked, cmd, 5);
		memset(masked + 5, '*', cmd_len - 5);
		cmd = masked;
	}
	if (fwrite(h, sizeof(h), 1, t->f) != 1 || fwrite(cmd, 1, cmd_len, t->f) != cmd_len ||
	    fwrite(rsp, 1, rsp_len, t->f) != rsp_len)
		t->io_error = 1;
	t->frames++;
}

int sim_trace_close(struct sim_trace *t)
{
	int rc = t->io_error ? -1 : 0;

	if (t->f && fclose(t->f) != 0)
		rc = -1;
	t->f = NULL;
	return rc;
}
