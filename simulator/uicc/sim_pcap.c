/* SPDX-License-Identifier: Apache-2.0 */
/* GSMTAP SIM frames in a pcap file (see sim_pcap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "sim_pcap.h"

#define PCAP_MAGIC 0xA1B2C3D4u
#define LINKTYPE_RAW 101u  /* raw IPv4/IPv6 (tcpdump.org link-layer types) */
#define IP_HDR 20u
#define UDP_HDR 8u
#define GSMTAP_HDR 16u
#define FRAME_MAX 1024u

struct sim_pcap {
	FILE *f;
	unsigned long frames;
	uint16_t ip_id;
};

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

struct sim_pcap *sim_pcap_open(const char *path)
{
	uint8_t h[24];
	struct sim_pcap *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->f = fopen(path, "wb");
	if (!p->f) {
		free(p);
		return NULL;
	}
	/* pcap global header (native little-endian writer) */
	le32(h, PCAP_MAGIC);
	h[4] = 2, h[5] = 0; /* version 2.4 */
	h[6] = 4, h[7] = 0;
	le32(h + 8, 0);      /* thiszone */
	le32(h + 12, 0);     /* sigfigs */
	le32(h + 16, 65535); /* snaplen */
	le32(h + 20, LINKTYPE_RAW);
	if (fwrite(h, sizeof(h), 1, p->f) != 1) {
		fclose(p->f);
		free(p);
		return NULL;
	}
	return p;
}

/* RFC 791 header checksum */
static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t s = 0;
	unsigned i;

	for (i = 0; i < IP_HDR; i += 2)
		s += (uint32_t)((h[i] << 8) | h[i + 1]);
	while (s >> 16)
		s = (s & 0xFFFFu) + (s >> 16);
	return (uint16_t)~s;
}

static int frame(struct sim_pcap *p, uint8_t sub_type, const uint8_t *a, size_t alen,
		 const uint8_t *b, size_t blen)
{
	uint8_t fr[FRAME_MAX], rec[16];
	size_t payload = GSMTAP_HDR + alen + blen;
	size_t total = IP_HDR + UDP_HDR + payload;
	uint8_t *ip = fr, *udp = fr + IP_HDR, *g = udp + UDP_HDR;
	struct timeval tv;

	if (!p || total > sizeof(fr))
		return -1;
	memset(fr, 0, IP_HDR + UDP_HDR + GSMTAP_HDR);
	ip[0] = 0x45; /* IPv4, 5 words */
	be16(ip + 2, (uint16_t)total);
	be16(ip + 4, p->ip_id++);
	ip[8] = 64;  /* TTL */
	ip[9] = 17;  /* UDP */
	ip[12] = 127, ip[15] = 1;
	ip[16] = 127, ip[19] = 1;
	be16(ip + 10, ip_csum(ip));
	be16(udp, SIM_GSMTAP_PORT);
	be16(udp + 2, SIM_GSMTAP_PORT);
	be16(udp + 4, (uint16_t)(UDP_HDR + payload));
	/* UDP checksum 0 = none (RFC 768, IPv4) */
	g[0] = 2;  /* GSMTAP version */
	g[1] = 4;  /* header length in 32-bit words */
	g[2] = SIM_GSMTAP_TYPE_SIM;
	g[12] = sub_type;
	memcpy(g + GSMTAP_HDR, a, alen);
	if (blen)
		memcpy(g + GSMTAP_HDR + alen, b, blen);
	gettimeofday(&tv, NULL);
	le32(rec, (uint32_t)tv.tv_sec);
	le32(rec + 4, (uint32_t)tv.tv_usec);
	le32(rec + 8, (uint32_t)total);
	le32(rec + 12, (uint32_t)total);
	if (fwrite(rec, sizeof(rec), 1, p->f) != 1 || fwrite(fr, total, 1, p->f) != 1)
		return -1;
	p->frames++;
	return 0;
}

int sim_pcap_apdu(struct sim_pcap *p, const uint8_t *cmd, size_t cmd_len, const uint8_t *rsp,
		  size_t rsp_len)
{
	return frame(p, SIM_GSMTAP_SIM_APDU, cmd, cmd_len, rsp, rsp_len);
}

int sim_pcap_atr(struct sim_pcap *p, const uint8_t *atr, size_t len)
{
	return frame(p, SIM_GSMTAP_SIM_ATR, atr, len, NULL, 0);
}

unsigned long sim_pcap_frames(const struct sim_pcap *p)
{
	return p ? p->frames : 0;
}

int sim_pcap_close(struct sim_pcap *p)
{
	int rc;

	if (!p)
		return 0;
	rc = fclose(p->f) == 0 ? 0 : -1;
	free(p);
	return rc;
}
