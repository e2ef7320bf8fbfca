/* SPDX-License-Identifier: Apache-2.0 */
/* Reference tables (ITU-T E.212 country codes, ISO 4217 currencies) and
 * small helpers shared by the commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc.h"

struct rc_mcc_name {
	mi_u16 mcc;
	const char *name;
};

/* ITU-T E.212 (Annex to ITU OB 1162, 2019) geographic MCCs we name in
 * reports; an MCC not listed is shown as "MCC nnn". Sorted by MCC. */
static const struct rc_mcc_name rc_mcc_names[] = {
    {202, "Greece"},	      {204, "Netherlands"},   {206, "Belgium"},
    {208, "France"},	      {212, "Monaco"},	      {213, "Andorra"},
    {214, "Spain"},	      {216, "Hungary"},	      {218, "Bosnia and Herzegovina"},
    {219, "Croatia"},	      {220, "Serbia"},	      {221, "Kosovo"},
    {222, "Italy"},	      {226, "Romania"},	      {228, "Switzerland"},
    {230, "Czechia"},	      {231, "Slovakia"},      {232, "Austria"},
    {234, "United Kingdom"},  {238, "Denmark"},	      {240, "Sweden"},
    {242, "Norway"},	      {244, "Finland"},	      {246, "Lithuania"},
    {247, "Latvia"},	      {248, "Estonia"},	      {250, "Russia"},
    {255, "Ukraine"},	      {259, "Moldova"},	      {260, "Poland"},
    {262, "Germany"},	      {266, "Gibraltar"},     {268, "Portugal"},
    {270, "Luxembourg"},      {272, "Ireland"},	      {274, "Iceland"},
    {276, "Albania"},	      {278, "Malta"},	      {280, "Cyprus"},
    {284, "Bulgaria"},	      {286, "Turkey"},	      {293, "Slovenia"},
    {294, "North Macedonia"}, {295, "Liechtenstein"}, {297, "Montenegro"},
    {302, "Canada"},	      {310, "United States"}, {311, "United States"},
    {334, "Mexico"},	      {404, "India"},	      {425, "Israel"},
    {440, "Japan"},	      {441, "Japan"},	      {450, "South Korea"},
    {460, "China"},	      {505, "Australia"},     {530, "New Zealand"},
    {602, "Egypt"},	      {655, "South Africa"},  {724, "Brazil"},
    {901, "International"},
};

const char *rc_country(mi_u16 mcc)
{
	size_t i;

	for (i = 0; i < MI_ARRAY_SIZE(rc_mcc_names); i++)
		if (rc_mcc_names[i].mcc == mcc)
			return rc_mcc_names[i].name;
	return NULL;
}

int rc_country_mccs(mi_u16 mcc, mi_u16 *out, int cap)
{
	const char *name = rc_country(mcc);
	size_t i;
	int n = 0;

	if (!name || cap < 1) { /* unnamed: a country of its own */
		if (cap >= 1)
			out[n++] = mcc;
		return n;
	}
	for (i = 0; i < MI_ARRAY_SIZE(rc_mcc_names) && n < cap; i++) /* sorted by MCC */
		if (strcmp(rc_mcc_names[i].name, name) == 0)
			out[n++] = rc_mcc_names[i].mcc;
	return n;
}

/* MCCs whose operators use 3-digit MNCs (ITU-T E.212 list of MNCs; North
 * America and the Caribbean, India's 405, and a few others). */
static const mi_u16 rc_mnc3_mccs[] = {
    302, 310, 311, 312, 313, 314, 315, 316, 334, 338, 342, 344, 346,
    348, 352, 354, 356, 358, 360, 365, 376, 405, 708, 722, 732,
};

int rc_mcc_mnc3(mi_u16 mcc)
{
	size_t i;

	for (i = 0; i < MI_ARRAY_SIZE(rc_mnc3_mccs); i++)
		if (rc_mnc3_mccs[i] == mcc)
			return 1;
	return 0;
}

/* ISO 4217 active codes (2024 list, precious metals and funds left out). */
static const char rc_currencies[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB "
    "BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP "
    "DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF "
    "IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK "
    "LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN "
    "NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF "
    "SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP "
    "TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR "
    "ZMW ZWL";

int rc_currency_known(const char *code)
{
	size_t i;

	if (strlen(code) != 3)
		return 0;
	for (i = 0; i + 3 <= sizeof(rc_currencies) - 1; i += 4)
		if (memcmp(rc_currencies + i, code, 3) == 0)
			return 1;
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int rc_plmn_text(const char *s, struct mi_plmn *p, char *why, size_t whylen)
{
	const char *dash = strchr(s, '-');
	size_t nmcc, nmnc;

	if (!dash) {
		snprintf(why, whylen, "PLMN '%s' must be MCC-MNC, e.g. 262-01", s);
		return -1;
	}
	nmcc = (size_t)(dash - s);
	nmnc = strlen(dash + 1);
	if (nmcc != 3 || !all_digits(s, nmcc)) {
		snprintf(why, whylen, "MCC in '%s' must be 3 digits", s);
		return -1;
	}
	if (nmnc < 2 || nmnc > 3 || !all_digits(dash + 1, nmnc)) {
		snprintf(why, whylen, "MNC in '%s' must be 2 or 3 digits", s);
		return -1;
	}
	if (mi_plmn_parse(s, (mi_u16)strlen(s), p) != MI_OK) {
		snprintf(why, whylen, "PLMN '%s' is not valid", s);
		return -1;
	}
	return 0;
}

void rc_plmn_str(const struct mi_plmn *p, char out[8])
{
	if (mi_plmn_format(p, out, 8) < 0)
		snprintf(out, 8, "?");
}

void rc_rate_where(const struct rc_rate *r, char out[8])
{
	if (r->wild)
		rc_fmt(out, 8, "%03u-*", r->plmn.mcc);
	else
		rc_plmn_str(&r->plmn, out);
}

void rc_hex(const mi_u8 *b, size_t n, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0x0Fu];
	}
	out[2 * n] = '\0';
}

char *rc_read_file(const char *path, size_t *len, rc_error_t *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		rc_err_io(err, RC_EK_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				rc_err_io(err, RC_EK_NOMEM, "%s: out of memory", path);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		rc_err_io(err, RC_EK_NOINPUT, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

void rc_fmt(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

int rc_first_allowed(const struct mi_profile *p)
{
	int k;

	for (k = 0; k < p->n_pref; k++)
		if (!(p->forbidden & (1u << (p->pref[k] - 1))))
			return p->pref[k];
	return 0;
}
