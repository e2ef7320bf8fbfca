/* SPDX-License-Identifier: Apache-2.0 */
/* The built-in default card: the test card every tool and test can use
 * without a file (values in docs/card-image.md and sim_card.h). */
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_config.h"
#include "mimsi/mi_hex.h"
#include "mimsi/mi_bcd.h"
#include "mimsi/mi_err.h"
#include "sim_int.h"
#include "sim_ota.h"

/* a real sysmoUSIM-SJS1 card's ATR: T=0 offered (pySim needs it), TCK valid
 * (ISO/IEC 7816-3 §8.2.5) */
static const uint8_t default_atr[] = {0x3B, 0x9F, 0x96, 0x80, 0x1F, 0xC7, 0x80, 0x31, 0xA0, 0x73, 0xBE,
				      0x21, 0x13, 0x67, 0x43, 0x20, 0x07, 0x18, 0x00, 0x00, 0x01, 0xA5};

/* USIM AID: 3GPP RID + 1002 (TS 101 220 Annex E) */
static const uint8_t usim_aid[16] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
				     0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};

#define ARR_REC_LEN 40u
#define ARR_RECS 10u
/* EF_ARR records (TS 102 221 §9.2.4, expanded format). AM byte for EFs:
 * b1 read/search, b2 update, b4 deactivate, b5 activate, b7 delete. */
#define SC_PIN1 0xA4, 0x06, 0x83, 0x01, 0x01, 0x95, 0x01, 0x08
#define SC_ADM1 0xA4, 0x06, 0x83, 0x01, 0x0A, 0x95, 0x01, 0x08
static const uint8_t arr_always_adm[] = {0x80, 0x01, 0x01, 0x90, 0x00, 0x80, 0x01, 0x7E, SC_ADM1};
static const uint8_t arr_pin1_pin1[] = {0x80, 0x01, 0x03, SC_PIN1, 0x80, 0x01, 0x7C, SC_ADM1};
static const uint8_t arr_pin1_adm[] = {0x80, 0x01, 0x01, SC_PIN1, 0x80, 0x01, 0x7E, SC_ADM1};
static const uint8_t arr_adm_adm[] = {0x80, 0x01, 0x7F, SC_ADM1};
static const uint8_t arr_df[] = {0x80, 0x01, 0x7F, SC_ADM1}; /* DF: create/delete by ADM */
/* key stores: never read (97 = never), updated under ADM */
static const uint8_t arr_never_adm[] = {0x80, 0x01, 0x01, 0x97, 0x00, 0x80, 0x01, 0x7E, SC_ADM1};
enum { ARR_ALWAYS_ADM = 1, ARR_PIN1_PIN1 = 2, ARR_PIN1_ADM = 3, ARR_ADM_ADM = 4, ARR_DF = 5,
       ARR_NEVER_ADM = 6, ARR_IMSI = 10 };

static int add_arr(struct sim_card *c, int df, uint16_t fid, uint8_t sfi)
{
	static const struct {
		const uint8_t *r;
		size_t n;
		unsigned rec;
	} recs[] = {
		{arr_always_adm, sizeof(arr_always_adm), ARR_ALWAYS_ADM},
		{arr_pin1_pin1, sizeof(arr_pin1_pin1), ARR_PIN1_PIN1},
		{arr_pin1_adm, sizeof(arr_pin1_adm), ARR_PIN1_ADM},
		{arr_adm_adm, sizeof(arr_adm_adm), ARR_ADM_ADM},
		{arr_df, sizeof(arr_df), ARR_DF},
		{arr_pin1_adm, sizeof(arr_pin1_adm), ARR_IMSI},
		{arr_never_adm, sizeof(arr_never_adm), ARR_NEVER_ADM},
	};
	int f = sim_fs_add_ef(c, df, fid, "EF.ARR", SIM_LINEAR, ARR_REC_LEN * ARR_RECS, ARR_REC_LEN, sfi,
			      fid, ARR_ALWAYS_ADM);
	unsigned i;

	if (f < 0)
		return -1;
	for (i = 0; i < MI_ARRAY_SIZE(recs); i++)
		memcpy(sim_fs_data(c, f) + (recs[i].rec - 1) * ARR_REC_LEN, recs[i].r, recs[i].n);
	return f;
}

static int put(struct sim_card *c, int f, const uint8_t *v, size_t n)
{
	if (f < 0 || n > sim_fs_size(c, f))
		return -1;
	memcpy(sim_fs_data(c, f), v, n);
	return 0;
}

static void pin(struct sim_card *c, uint8_t ref, const char *v, const char *puk, uint8_t enabled)
{
	struct sim_pin *p = &c->pins[c->n_pins++];

	memset(p, 0, sizeof(*p));
	p->ref = ref;
	memset(p->value, 0xFF, 8);
	memcpy(p->value, v, strlen(v));
	p->tries = p->max_tries = 3;
	p->enabled = enabled;
	if (puk) {
		memset(p->puk, 0xFF, 8);
		memcpy(p->puk, puk, strlen(puk));
		p->has_puk = 1;
		p->puk_tries = p->puk_max = 10;
	}
}

static void hex(uint8_t *out, const char *h)
{
	/* built-in constants of known length: a bad one is a programming error */
	if (mi_hex_decode(h, out, (mi_u16)(strlen(h) / 2)) < 0)
		abort();
}

/* TS 35.208 test sets 1..3; SQN_MS just below each set's SQN
 * so the published vector is fresh on a new card. */
static const struct {
	const char *k, *opc, *sqn_ms;
} test_sets[3] = {
	{"465b5ce8b199b49faa5f0a2ee238a6bc", "cd63cb71954a9f4e48a5994e37a02baf", "ff9bb4d0b5e7"},
	{"0396eb317b6d1c36f19c1c84cd6ffd16", "53c15671c60a4b731c55b4a441c0bde2", "fd8eef40df5d"},
	{"fec86ba6eb707ed08905757b1bb44b8f", "1006020f0a478bf6b699f15c062e42b3", "9d0277595fdc"},
};

/* Files of a modern profile (TS 31.102 Rel-15+): EF_EHPLMN, EF_EPSNSC and
 * DF_5GS, each as the operator personalises it for the home IMSI (262-01):
 * a switch must leave none of the old identity behind in them. */
static int add_modern_files(struct sim_card *c, int adf)
{
	/* §4.2.84: the home PLMN first, unused entries FF */
	static const uint8_t ehplmn[] = {0x62, 0xF2, 0x10, 0xFF, 0xFF, 0xFF,
					 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	/* §4.2.92 / §4.4.11.4: A0 L, 80 01 KSI, 81 20 key, 82 04 UL count,
	 * 83 04 DL count, 84 01|02 algorithms; a context from an earlier
	 * attach (KSI 02) with a recognisable key */
	static const uint8_t nsc_head[] = {0xA0, 0x34, 0x80, 0x01, 0x02, 0x81, 0x20};
	static const uint8_t nsc_tail[] = {0x82, 0x04, 0x00, 0x00, 0x00, 0x2A,
					   0x83, 0x04, 0x00, 0x00, 0x00, 0x11, 0x84, 0x01, 0x12};
	/* §4.4.11.2: 5G-GUTI from an earlier registration, TAI 262-01/000001, updated */
	static const uint8_t loci5g[] = {0x0B, 0xF2, 0x62, 0xF2, 0x10, 0x01, 0x02, 0x03,
					 0x11, 0x22, 0x33, 0x44, 0x55, 0x62, 0xF2, 0x10,
					 0x00, 0x00, 0x01, 0x00};
	/* §4.4.11.8: profile A (01) with key 1; the home network public key is
	 * the TS 33.501 Annex C.4.3 test key (public data) */
	static const char *suci = "A0020101A125800101812035"
				  "5a8d38864820197c3394b92613b20b91633cbd897119273bf8e4a6f4eec0a650";
	/* §4.4.11.11: routing indicator 123 (digits 2|1, F|3), RFU 00 00 */
	static const uint8_t ri[] = {0x21, 0xF3, 0x00, 0x00};
	uint8_t rec[57], b[80];
	int f, df, k;

#define EF(fid, name, size, sfi, rule) \
	sim_fs_add_ef(c, adf, fid, name, SIM_TRANSPARENT, size, 0, sfi, 0x6F06, rule)
	if (put(c, EF(0x6FD9, "EF.EHPLMN", sizeof(ehplmn), 0x1D, ARR_PIN1_ADM), ehplmn,
		sizeof(ehplmn)))
		return -1;
	memset(rec, 0xFF, sizeof(rec));
	memcpy(rec, nsc_head, sizeof(nsc_head));
	memset(rec + sizeof(nsc_head), 0x5A, 32);
	memcpy(rec + sizeof(nsc_head) + 32, nsc_tail, sizeof(nsc_tail));
	f = sim_fs_add_ef(c, adf, 0x6FE4, "EF.EPSNSC", SIM_LINEAR, 54, 54, 0x18, 0x6F06,
			  ARR_PIN1_PIN1);
	if (put(c, f, rec, 54))
		return -1;
	df = sim_fs_add(c, adf, SIM_DF, 0x5FC0, "DF.5GS");
	if (df < 0)
		return -1;
	c->files[df].arr_fid = 0x2F06;
	c->files[df].arr_rec = ARR_DF;
#undef EF
#define EF5(fid, name, st, size, rl, sfi, rule) \
	sim_fs_add_ef(c, df, fid, name, st, size, rl, sfi, 0x6F06, rule)
	if (put(c, EF5(0x4F01, "EF.5GS3GPPLOCI", SIM_TRANSPARENT, 20, 0, 0x01, ARR_PIN1_PIN1), loci5g,
		sizeof(loci5g)) ||
	    put(c, EF5(0x4F02, "EF.5GSN3GPPLOCI", SIM_TRANSPARENT, 20, 0, 0x02, ARR_PIN1_PIN1),
		loci5g, sizeof(loci5g)))
		return -1;
	rec[1] = 0x37; /* 5G: algorithms in two bytes, the record 57 bytes */
	rec[sizeof(nsc_head) + 32 + 14] = 0x02;
	rec[sizeof(nsc_head) + 32 + 15] = 0x12;
	rec[sizeof(nsc_head) + 32 + 16] = 0x21;
	for (k = 0; k < 2; k++)
		if (put(c, EF5((uint16_t)(0x4F03 + k), k ? "EF.5GSN3GPPNSC" : "EF.5GS3GPPNSC",
			       SIM_LINEAR, 57, 57, (uint8_t)(3 + k), ARR_PIN1_PIN1),
			rec, 57))
			return -1;
	memset(b, 0xFF, sizeof(b));
	b[0] = 0x80; /* K_AUSF, K_SEAF from an earlier authentication */
	b[1] = 0x20;
	memset(b + 2, 0x3C, 32);
	b[34] = 0x81;
	b[35] = 0x20;
	memset(b + 36, 0x4B, 32);
	if (put(c, EF5(0x4F05, "EF.5GAUTHKEYS", SIM_TRANSPARENT, 68, 0, 0x05, ARR_PIN1_PIN1), b, 68))
		return -1;
	memset(b, 0xFF, sizeof(b));
	if (mi_hex_decode(suci, b, (mi_u16)(strlen(suci) / 2)) < 0 ||
	    put(c, EF5(0x4F07, "EF.SUCI_Calc_Info", SIM_TRANSPARENT, 48, 0, 0x07, ARR_PIN1_ADM), b,
		48) ||
	    put(c, EF5(0x4F0A, "EF.Routing_Indicator", SIM_TRANSPARENT, 4, 0, 0x0A, ARR_PIN1_ADM),
		ri, sizeof(ri)))
		return -1;
#undef EF5
	return 0;
}

/* DF.GSM for 2G terminals and tools: the GSM files that a UICC carries in
 * ADF.USIM too are the same files seen twice (links, one content: an IMSI
 * switch shows in both); EF.SST is the GSM service table (TS 51.011
 * §10.3.7): CHV1 disable, ADN, SMS parameters, SPN. */
static int add_df_gsm(struct sim_card *c, int mf, int adf)
{
	static const struct {
		uint16_t fid;
		const char *name;
		uint8_t rule;
	} links[] = {
	    {0x6F07, "EF.IMSI", ARR_IMSI},	    {0x6F78, "EF.ACC", ARR_PIN1_ADM},
	    {0x6FAD, "EF.AD", ARR_PIN1_ADM},	    {0x6F46, "EF.SPN", ARR_PIN1_ADM},
	    {0x6F31, "EF.HPPLMN", ARR_PIN1_ADM},    {0x6F60, "EF.PLMNwAcT", ARR_PIN1_PIN1},
	    {0x6F61, "EF.OPLMNwAcT", ARR_PIN1_ADM}, {0x6F62, "EF.HPLMNwAcT", ARR_PIN1_ADM},
	    {0x6F7B, "EF.FPLMN", ARR_PIN1_PIN1},    {0x6F7E, "EF.LOCI", ARR_PIN1_PIN1},
	};
	static const uint8_t sst[] = {0x0F, 0x00, 0xC0, 0x00, 0x03};
	unsigned i;
	int df = sim_fs_add(c, mf, SIM_DF, 0x7F20, "DF.GSM");

	if (df < 0)
		return -1;
	c->files[df].arr_fid = 0x2F06;
	c->files[df].arr_rec = ARR_DF;
	for (i = 0; i < MI_ARRAY_SIZE(links); i++)
		if (sim_fs_add_link(c, df, links[i].fid, links[i].name,
				    sim_fs_child(c, adf, links[i].fid), 0, 0x2F06, links[i].rule) < 0)
			return -1;
	return put(c, sim_fs_add_ef(c, df, 0x6F38, "EF.SST", SIM_TRANSPARENT, sizeof(sst), 0, 0,
				    0x2F06, ARR_PIN1_ADM),
		   sst, sizeof(sst));
}

int sim_default_build(struct sim_card *c)
{
	static const uint8_t dir_rec[] = {0x61, 0x19, 0x4F, 0x10, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10,
					  0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00,
					  0x50, 0x05, 'U', 'S', 'i', 'm', '1'};
	/* UST (TS 31.102 §4.2.8): what the modem and the applet use: 19 SPN,
	 * 20 user PLMN, 27 GSM access, 42 OPLMN, 43 HPLMN, 71 EHPLMN, 85 EPS
	 * MM info, 122 5GS MM info, 123 5G security parameters, 124 SUCI
	 * calculated by the ME. */
	static const unsigned ust_services[] = {19, 20, 27, 42, 43, 71, 85, 122, 123, 124};
	static const uint8_t ad[] = {0x00, 0x00, 0x00, 0x02};
	static const uint8_t loci[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x62, 0xF2, 0x10, 0xFF, 0xFE, 0xFF, 0x01};
	static const uint8_t hplmn[] = {0x62, 0xF2, 0x10, 0x40, 0x00, 0x62, 0xF2, 0x10, 0x80, 0x00};
	static const uint8_t spn[] = {0x01, 'm', 'i', 'm', 's', 'i'};
	static const uint8_t keys_empty[] = {0x07}; /* KSI 07: no key (TS 31.102 §4.2.3, §4.2.4) */
	static const uint8_t hpplmn[] = {0x0A};   /* 10 x 6 min */
	static const uint8_t pl[] = {'e', 'n'};
	uint8_t buf[16];
	uint8_t ust[16] = {0};
	int mf, adf, df, f;
	unsigned i;

	memcpy(c->atr, default_atr, sizeof(default_atr));
	c->atr_len = sizeof(default_atr);
	c->sqn_window = 1u << 28; /* TS 33.102 Annex C.2.2: L = 2^28 */

	/* NV objects that are not files */
	if (sim_nv_alloc(&c->nv, SIM_NV_OBJ_KEYSET, 1, 0x01) ||
	    sim_nv_alloc(&c->nv, SIM_NV_OBJ_JOURNAL, SIM_NV_JOURNAL_SIZE, 0x00) ||
	    sim_nv_alloc(&c->nv, SIM_NV_OBJ_JFLAG, 1, 0x00))
		return -1;

	mf = sim_fs_add(c, -1, SIM_MF, 0x3F00, "MF");
	if (mf < 0 || add_arr(c, mf, 0x2F06, 0x06) < 0)
		return -1;
	c->files[mf].arr_fid = 0x2F06;
	c->files[mf].arr_rec = ARR_DF;
	/* MF-level EFs (TS 102 221 §13) */
	f = sim_fs_add_ef(c, mf, 0x2F00, "EF.DIR", SIM_LINEAR, 2 * 38, 38, 0x1E, 0x2F06, ARR_ALWAYS_ADM);
	if (put(c, f, dir_rec, sizeof(dir_rec)))
		return -1;
	f = sim_fs_add_ef(c, mf, 0x2FE2, "EF.ICCID", SIM_TRANSPARENT, 10, 0, 0x02, 0x2F06, ARR_ALWAYS_ADM);
	if (mi_iccid_encode("89491026201000012345", 20, buf, sizeof(buf)) != MI_EF_ICCID_LEN ||
	    put(c, f, buf, MI_EF_ICCID_LEN))
		return -1;
	f = sim_fs_add_ef(c, mf, 0x2F05, "EF.PL", SIM_TRANSPARENT, 10, 0, 0x05, 0x2F06, ARR_PIN1_PIN1);
	if (put(c, f, pl, sizeof(pl)))
		return -1;

	/* DF_TELECOM with an ADN book, DF_GSM for legacy terminals */
	df = sim_fs_add(c, mf, SIM_DF, 0x7F10, "DF.TELECOM");
	if (df < 0)
		return -1;
	c->files[df].arr_fid = 0x2F06;
	c->files[df].arr_rec = ARR_DF;
	if (sim_fs_add_ef(c, df, 0x6F3A, "EF.ADN", SIM_LINEAR, 10 * 30, 30, 0, 0x2F06, ARR_PIN1_PIN1) < 0)
		return -1;
	/* the SMS parameters and MSISDN a 2G tool reads (TS 51.011 §10.5.6, §10.5.5) */
	if (sim_fs_add_ef(c, df, 0x6F42, "EF.SMSP", SIM_LINEAR, 40, 40, 0, 0x2F06, ARR_PIN1_PIN1) < 0 ||
	    sim_fs_add_ef(c, df, 0x6F40, "EF.MSISDN", SIM_LINEAR, 34, 34, 0, 0x2F06, ARR_PIN1_PIN1) < 0)
		return -1;

	/* ADF.USIM (TS 31.102 §4.2) */
	adf = sim_fs_add(c, mf, SIM_ADF, 0x7FF0, "ADF.USIM");
	if (adf < 0 || add_arr(c, adf, 0x6F06, 0x17) < 0)
		return -1;
	memcpy(c->files[adf].aid, usim_aid, sizeof(usim_aid));
	c->files[adf].aid_len = sizeof(usim_aid);
	c->files[adf].arr_fid = 0x2F06;
	c->files[adf].arr_rec = ARR_DF;
#define EF(fid, name, size, sfi, rule) \
	sim_fs_add_ef(c, adf, fid, name, SIM_TRANSPARENT, size, 0, sfi, 0x6F06, rule)
	f = EF(0x6F07, "EF.IMSI", 9, 0x07, ARR_IMSI);
	if (mi_imsi_encode("262011234567890", 15, buf, sizeof(buf)) != MI_EF_IMSI_LEN ||
	    put(c, f, buf, MI_EF_IMSI_LEN))
		return -1;
	if (put(c, EF(0x6F08, "EF.KEYS", 33, 0x08, ARR_PIN1_PIN1), keys_empty, 1) ||
	    put(c, EF(0x6F09, "EF.KEYSPS", 33, 0x09, ARR_PIN1_PIN1), keys_empty, 1) ||
	    EF(0x6F60, "EF.PLMNwAcT", 40, 0x0A, ARR_PIN1_PIN1) < 0 ||
	    put(c, EF(0x6F31, "EF.HPPLMN", 1, 0x12, ARR_PIN1_ADM), hpplmn, 1))
		return -1;
	for (i = 0; i < MI_ARRAY_SIZE(ust_services); i++)
		ust[(ust_services[i] - 1) / 8] |= (uint8_t)(1u << ((ust_services[i] - 1) % 8));
	if (put(c, EF(0x6F38, "EF.UST", sizeof(ust), 0x04, ARR_PIN1_ADM), ust, sizeof(ust)) ||
	    put(c, EF(0x6F46, "EF.SPN", 17, 0, ARR_PIN1_ADM), spn, sizeof(spn)))
		return -1;
	/* ACC: access class from the last IMSI digit (TS 22.011 §4.2): 0 -> ACC0 */
	buf[0] = 0x00;
	buf[1] = 0x01;
	if (put(c, EF(0x6F78, "EF.ACC", 2, 0x06, ARR_PIN1_ADM), buf, 2) ||
	    EF(0x6F7B, "EF.FPLMN", 24, 0x0D, ARR_PIN1_PIN1) < 0 || /* 8 entries: MI_MAX_FPLMN */
	    put(c, EF(0x6F7E, "EF.LOCI", 11, 0x0B, ARR_PIN1_PIN1), loci, sizeof(loci)) ||
	    put(c, EF(0x6FAD, "EF.AD", 4, 0x03, ARR_PIN1_ADM), ad, sizeof(ad)))
		return -1;
	f = EF(0x6F73, "EF.PSLOCI", 14, 0x0C, ARR_PIN1_PIN1);
	if (f < 0)
		return -1;
	sim_fs_data(c, f)[13] = 0x01; /* routing area not updated */
	if (EF(0x6F61, "EF.OPLMNwACT", 80, 0x11, ARR_PIN1_ADM) < 0 ||
	    put(c, EF(0x6F62, "EF.HPLMNwAcT", 10, 0x13, ARR_PIN1_ADM), hplmn, sizeof(hplmn)))
		return -1;
	f = EF(0x6FE3, "EF.EPSLOCI", 18, 0x1E, ARR_PIN1_PIN1);
	if (f < 0)
		return -1;
	sim_fs_data(c, f)[17] = 0x01; /* not updated */
	/* FF-filled xPLMN lists: AcT bytes 00 for empty entries (§4.2.5) */
	{
		static const char *lists[] = {"7FFF/6F60", "7FFF/6F61"};
		unsigned l, e;

		for (l = 0; l < 2; l++) {
			int g = sim_fs_by_path_str(c, lists[l]);

			for (e = 0; e + 5 <= sim_fs_size(c, g); e += 5) {
				sim_fs_data(c, g)[e + 3] = 0x00;
				sim_fs_data(c, g)[e + 4] = 0x00;
			}
		}
	}
	if (add_modern_files(c, adf) < 0)
		return -1;
	/* a cyclic EF (incoming call information, §4.2.33) */
	if (sim_fs_add_ef(c, adf, 0x6F80, "EF.ICI", SIM_CYCLIC, 4 * 34, 34, 0x14, 0x6F06, ARR_PIN1_PIN1) < 0)
		return -1;
#undef EF

	if (add_df_gsm(c, mf, adf) < 0)
		return -1;

	/* DF.MIMSI and the applet's seven EFs (mi_ef.h), FF-filled: safe mode
	 * until a loader (or sim_card_load_ef_dir) writes a set */
	df = sim_fs_add(c, mf, SIM_DF, MI_DF_MIMSI, "DF.MIMSI");
	if (df < 0)
		return -1;
	c->files[df].arr_fid = 0x2F06;
	c->files[df].arr_rec = ARR_DF;
	if (sim_fs_add_ef(c, df, MI_EF_CFG_A, "EF.MI_CFG.A", SIM_TRANSPARENT, MI_EF_CFG_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_SLOTS_A, "EF.MI_SLOTS.A", SIM_TRANSPARENT, MI_EF_SLOTS_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_RULES_A, "EF.MI_RULES.A", SIM_TRANSPARENT, MI_EF_RULES_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_STATE, "EF.MI_STATE", SIM_TRANSPARENT, MI_EF_STATE_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_CFG_B, "EF.MI_CFG.B", SIM_TRANSPARENT, MI_EF_CFG_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_SLOTS_B, "EF.MI_SLOTS.B", SIM_TRANSPARENT, MI_EF_SLOTS_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0 ||
	    sim_fs_add_ef(c, df, MI_EF_RULES_B, "EF.MI_RULES.B", SIM_TRANSPARENT, MI_EF_RULES_SIZE, 0, 0, 0x2F06, ARR_PIN1_ADM) < 0)
		return -1;
	/* the slot key store (docs/ef-format.md): record n = key set n, FF = empty */
	if (sim_fs_add_ef(c, df, SIM_FID_MI_KEYS, "EF.MI_KEYS", SIM_LINEAR, SIM_MAX_KEYSETS * SIM_KEYSTORE_REC,
			  SIM_KEYSTORE_REC, 0, 0x2F06, ARR_NEVER_ADM) < 0)
		return -1;

	/* DF.OTA: the card OS's OTA key sets, counters and TARs (docs/ota.md) */
	df = sim_fs_add(c, mf, SIM_DF, SIM_FID_DF_OTA, "DF.OTA");
	if (df < 0)
		return -1;
	c->files[df].arr_fid = 0x2F06;
	c->files[df].arr_rec = ARR_DF;
	if (sim_fs_add_ef(c, df, SIM_FID_OTA_KEYS, "EF.OTA_KEYS", SIM_LINEAR, SIM_OTA_KVN_MAX * SIM_OTA_KEY_REC,
			  SIM_OTA_KEY_REC, 0, 0x2F06, ARR_NEVER_ADM) < 0 ||
	    (f = sim_fs_add_ef(c, df, SIM_FID_OTA_CNTR, "EF.OTA_CNTR", SIM_TRANSPARENT,
			       SIM_OTA_KVN_MAX * OTA_CNTR_LEN, 0, 0, 0x2F06, ARR_ADM_ADM)) < 0 ||
	    sim_fs_add_ef(c, df, SIM_FID_OTA_TAR, "EF.OTA_TAR", SIM_LINEAR, SIM_OTA_TARS * SIM_OTA_TAR_REC,
			  SIM_OTA_TAR_REC, 0, 0x2F06, ARR_ADM_ADM) < 0)
		return -1;
	memset(sim_fs_data(c, f), 0x00, sim_fs_size(c, f)); /* every counter starts at 0 */
	if (sim_ota_default_content(c) != 0)
		return -1;

	/* PINs (TS 102 221 §9.5.1): PIN1 01 (disabled), PIN2 81, ADM1 0A */
	pin(c, 0x01, "1234", "12345678", 0);
	pin(c, 0x81, "5678", "87654321", 1);
	pin(c, 0x0A, "12345678", NULL, 1);

	for (i = 0; i < 3; i++) {
		uint8_t k[16], opc[16], sqn[6];

		hex(k, test_sets[i].k);
		hex(opc, test_sets[i].opc);
		hex(sqn, test_sets[i].sqn_ms);
		c->keysets[i].ref = (uint8_t)(i + 1);
		memcpy(c->keysets[i].k, k, 16);
		memcpy(c->keysets[i].opc, opc, 16);
		memcpy(c->keysets[i].sqn, sqn, 6);
	}
	c->n_keysets = 3;
	return 0;
}

struct sim_card *sim_card_new_default(void)
{
	struct sim_card *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	sim_nv_init(&c->nv);
	if (sim_default_build(c) != 0) {
		sim_card_free(c);
		return NULL;
	}
	sim_card_bind_applet(c);
	c->applet_installed = mi_applet_install(&c->applet) == MI_OK;
	return c;
}
