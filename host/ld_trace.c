/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LD_HAVE_SIM
/* The simulator's GSMTAP pcap writer: one format for both tools. */
#include "sim_pcap.h"

struct ld_trace {
	struct sim_pcap *p;
};

struct ld_trace *ld_trace_open(const char *path, char *err, size_t err_len)
{
	struct ld_trace *tr = calloc(1, sizeof(*tr));

	if (!tr) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	tr->p = sim_pcap_open(path);
	if (!tr->p) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		free(tr);
		return NULL;
	}
	return tr;
}

void ld_trace_atr(struct ld_trace *tr, const uint8_t *atr, size_t len)
{
	if (tr)
		(void)sim_pcap_atr(tr->p, atr, len);
}

void ld_trace_apdu(struct ld_trace *tr, const uint8_t *cmd, size_t cmd_len, const uint8_t *mask,
		   const uint8_t *resp, size_t resp_len)
{
	uint8_t c[5 + 256 + 1];
	size_t i;

	if (!tr || cmd_len > sizeof(c))
		return;
	for (i = 0; i < cmd_len; i++)
		c[i] = (mask && mask[i]) ? 0xFFu : cmd[i]; /* secrets never reach the file */
	(void)sim_pcap_apdu(tr->p, c, cmd_len, resp, resp_len);
	memset(c, 0, sizeof(c));
}

void ld_trace_close(struct ld_trace *tr)
{
	if (!tr)
		return;
	(void)sim_pcap_close(tr->p);
	free(tr);
}

#else /* built without the simulator: the same frames, written here */
#include <sys/time.h>

#define GSMTAP_PORT 4729u       /* IANA-registered GSMTAP port (libosmocore gsmtap.h) */
#define GSMTAP_VERSION 0x02u
#define GSMTAP_HDR_WORDS 0x04u  /* 16 bytes */
#define GSMTAP_TYPE_SIM 0x04u
#define GSMTAP_SIM_APDU 0x00u
#define GSMTAP_SIM_ATR 0x01u
#define PCAP_LINKTYPE_RAW 101u  /* raw IPv4 */
#define FRAME_MAX 600u

struct ld_trace {
	FILE *f;
};

static void put_u32_le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v & 0xFFu);
	p[1] = (uint8_t)((v >> 8) & 0xFFu);
	p[2] = (uint8_t)((v >> 16) & 0xFFu);
	p[3] = (uint8_t)(v >> 24);
}

static void put_u16_be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)((v >> 8) & 0xFFu);
	p[1] = (uint8_t)(v & 0xFFu);
}

struct ld_trace *ld_trace_open(const char *path, char *err, size_t err_len)
{
	uint8_t gh[24];
	struct ld_trace *tr = calloc(1, sizeof(*tr));

	if (!tr) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	tr->f = fopen(path, "wb");
	if (!tr->f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		free(tr);
		return NULL;
	}
	put_u32_le(gh, 0xA1B2C3D4u); /* pcap, microseconds */
	gh[4] = 2;
	gh[5] = 0;
	gh[6] = 4;
	gh[7] = 0;
	put_u32_le(gh + 8, 0);
	put_u32_le(gh + 12, 0);
	put_u32_le(gh + 16, 65535u);
	put_u32_le(gh + 20, PCAP_LINKTYPE_RAW);
	fwrite(gh, 1, sizeof(gh), tr->f);
	return tr;
}

static uint16_t ip_checksum(const uint8_t *h, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)((h[i] << 8) | h[i + 1]);
	while (s >> 16)
		s = (s & 0xFFFFu) + (s >> 16);
	return (uint16_t)~s;
}

static void write_frame(struct ld_trace *tr, uint8_t sub_type, const uint8_t *pl, size_t pl_len)
{
	uint8_t fr[FRAME_MAX];
	uint8_t rh[16];
	struct timeval tv;
	size_t udp_len = 8u + 16u + pl_len, ip_len = 20u + udp_len;
	uint16_t ck;

	if (!tr || ip_len > sizeof(fr))
		return;
	memset(fr, 0, 44);
	fr[0] = 0x45; /* IPv4, 20-byte header */
	put_u16_be(fr + 2, (uint32_t)ip_len);
	fr[8] = 64;   /* TTL */
	fr[9] = 17;   /* UDP */
	fr[12] = 127; fr[15] = 1; /* 127.0.0.1 -> 127.0.0.1 */
	fr[16] = 127; fr[19] = 1;
	ck = ip_checksum(fr, 20);
	put_u16_be(fr + 10, ck);
	put_u16_be(fr + 20, GSMTAP_PORT);
	put_u16_be(fr + 22, GSMTAP_PORT);
	put_u16_be(fr + 24, (uint32_t)udp_len);
	/* GSMTAP header at 28 (checksum 0: none) */
	fr[28] = GSMTAP_VERSION;
	fr[29] = GSMTAP_HDR_WORDS;
	fr[30] = GSMTAP_TYPE_SIM;
	fr[40] = sub_type;
	memcpy(fr + 44, pl, pl_len);

	gettimeofday(&tv, NULL);
	put_u32_le(rh, (uint32_t)tv.tv_sec);
	put_u32_le(rh + 4, (uint32_t)tv.tv_usec);
	put_u32_le(rh + 8, (uint32_t)ip_len);
	put_u32_le(rh + 12, (uint32_t)ip_len);
	fwrite(rh, 1, sizeof(rh), tr->f);
	fwrite(fr, 1, ip_len, tr->f);
	fflush(tr->f);
}

void ld_trace_atr(struct ld_trace *tr, const uint8_t *atr, size_t len)
{
	write_frame(tr, GSMTAP_SIM_ATR, atr, len);
}

void ld_trace_apdu(struct ld_trace *tr, const uint8_t *cmd, size_t cmd_len, const uint8_t *mask,
		   const uint8_t *resp, size_t resp_len)
{
	uint8_t pl[5 + 255 + 258];
	size_t n = 0, i;

	if (!tr || cmd_len < 4 || cmd_len > 5 + 255 + 1 || resp_len > 258)
		return;
	/* T=0 TPDU view: CLA INS P1 P2 P3, command data, response data, SW */
	for (i = 0; i < cmd_len && i < 5; i++)
		pl[n++] = cmd[i];
	if (cmd_len == 4)
		pl[n++] = 0x00;
	if (cmd_len > 5) {
		size_t lc = cmd[4];
		for (i = 0; i < lc && 5 + i < cmd_len; i++)
			pl[n++] = (mask && mask[5 + i]) ? 0xFFu : cmd[5 + i];
	}
	memcpy(pl + n, resp, resp_len);
	n += resp_len;
	write_frame(tr, GSMTAP_SIM_APDU, pl, n);
}

void ld_trace_close(struct ld_trace *tr)
{
	if (!tr)
		return;
	fclose(tr->f);
	free(tr);
}

#endif /* LD_HAVE_SIM */
