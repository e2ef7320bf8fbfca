/* SPDX-License-Identifier: Apache-2.0 */
/* Network-side authentication (TS 33.102 §6.3) with the UICC helper's
 * Milenage: vectors, RES check data, SQN re-synchronisation. */
#include <string.h>

#include "net/sim_hss.h"
#include "sim_milenage.h"

#define SQN_STEP 32u /* TS 33.102 Annex C.1.1: SEQ advances, IND in the low bits */
static const uint8_t amf_auth[2] = {0x80, 0x00}; /* separation bit set (TS 33.401 Annex H) */

void sim_hss_init(struct sim_hss *h, uint64_t seed)
{
	memset(h, 0, sizeof(*h));
	h->rng = seed ? seed : 0x9E3779B97F4A7C15ull;
}

static struct sim_hss_sub *find(struct sim_hss *h, const char *imsi)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->subs[i].imsi, imsi) == 0)
			return &h->subs[i];
	return NULL;
}

int sim_hss_add(struct sim_hss *h, const char *imsi, const uint8_t k[16], const uint8_t opc[16])
{
	struct sim_hss_sub *s = find(h, imsi);

	if (!s) {
		if (h->n >= SIM_HSS_MAX_SUBS || strlen(imsi) >= sizeof(s->imsi))
			return -1;
		s = &h->subs[h->n++];
		memset(s, 0, sizeof(*s));
		strcpy(s->imsi, imsi);
		s->sqn = SQN_STEP;
	}
	memcpy(s->k, k, 16);
	memcpy(s->opc, opc, 16);
	return 0;
}

int sim_hss_remove(struct sim_hss *h, const char *imsi)
{
	struct sim_hss_sub *s = find(h, imsi);

	if (!s)
		return -1;
	*s = h->subs[--h->n];
	memset(&h->subs[h->n], 0, sizeof(h->subs[h->n]));
	return 0;
}

int sim_hss_knows(const struct sim_hss *h, const char *imsi)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->subs[i].imsi, imsi) == 0)
			return 1;
	return 0;
}

static uint64_t next_rand(struct sim_hss *h)
{
	/* xorshift64*: deterministic for a given seed */
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return h->rng * 0x2545F4914F6CDD1Dull;
}

static void put48(uint8_t *out, uint64_t v)
{
	int i;

	for (i = 5; i >= 0; i--) {
		out[i] = (uint8_t)(v & 0xFF);
		v >>= 8;
	}
}

int sim_hss_vector(struct sim_hss *h, const char *imsi, struct sim_auth_vector *v)
{
	struct sim_hss_sub *s = find(h, imsi);
	struct sim_milenage_out o;
	uint8_t sqn[6];
	int i;

	if (!s)
		return -1;
	for (i = 0; i < 16; i += 8) {
		uint64_t r = next_rand(h);
		int j;

		for (j = 0; j < 8; j++)
			v->rand[i + j] = (uint8_t)(r >> (8 * j));
	}
	put48(sqn, s->sqn);
	if (sim_milenage(s->k, s->opc, v->rand, sqn, amf_auth, &o))
		return -1;
	/* AUTN = SQN xor AK || AMF || MAC-A (TS 33.102 §6.3.2) */
	for (i = 0; i < 6; i++)
		v->autn[i] = (uint8_t)(sqn[i] ^ o.ak[i]);
	memcpy(v->autn + 6, amf_auth, 2);
	memcpy(v->autn + 8, o.mac_a, 8);
	memcpy(v->xres, o.res, 8);
	v->xres_len = 8;
	s->sqn += SQN_STEP;
	memset(&o, 0, sizeof(o));
	return 0;
}

int sim_hss_resync(struct sim_hss *h, const char *imsi, const uint8_t rand[16],
		   const uint8_t auts[14])
{
	static const uint8_t amf_resync[2] = {0x00, 0x00}; /* TS 33.102 §6.3.3: AMF* = 0 */
	struct sim_hss_sub *s = find(h, imsi);
	struct sim_milenage_out o;
	uint8_t sqn_ms[6];
	uint64_t v = 0;
	int i;

	if (!s)
		return -1;
	/* f5* needs only RAND; SQN does not enter it */
	memset(sqn_ms, 0, sizeof(sqn_ms));
	if (sim_milenage(s->k, s->opc, rand, sqn_ms, amf_resync, &o))
		return -1;
	for (i = 0; i < 6; i++)
		sqn_ms[i] = (uint8_t)(auts[i] ^ o.ak_s[i]);
	if (sim_milenage(s->k, s->opc, rand, sqn_ms, amf_resync, &o))
		return -1;
	if (memcmp(o.mac_s, auts + 6, 8) != 0)
		return -1;
	for (i = 0; i < 6; i++)
		v = v << 8 | sqn_ms[i];
	s->sqn = v + SQN_STEP;
	memset(&o, 0, sizeof(o));
	return 0;
}
