/* SPDX-License-Identifier: Apache-2.0 */
/* INSTALL [for install] parameters: the linter. Each decoder records the
 * fields it reads and the faults it sees; offsets are into the input blob. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ld_instparams.h"

/* Timer identifiers 1..8 (TS 102 223 §8.37): a framework has no more. */
#define IP_TIMERS_MAX 8u

struct lint {
	struct ip_report *r;
	const uint8_t *b; /* the whole input: offsets are b-relative */
	const struct ip_needs *need;
};

const char *ip_sev_name(enum ip_sev s)
{
	return s == IP_ERROR ? "error" : s == IP_WARN ? "warning" : "note";
}

#define IP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static void field(struct lint *l, const uint8_t *p, unsigned len, const char *path, const char *fmt,
		  ...) IP_PRINTF(5, 6);
static void finding(struct lint *l, enum ip_sev sev, const uint8_t *p, const char *code,
		    const char *fmt, ...) IP_PRINTF(5, 6);

static void field(struct lint *l, const uint8_t *p, unsigned len, const char *path, const char *fmt,
		  ...)
{
	struct ip_field *f;
	va_list ap;

	if (l->r->nf >= IP_MAX_FIELDS)
		return;
	f = &l->r->f[l->r->nf++];
	f->off = (unsigned)(p - l->b);
	f->len = len;
	snprintf(f->path, sizeof(f->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

static void finding(struct lint *l, enum ip_sev sev, const uint8_t *p, const char *code,
		    const char *fmt, ...)
{
	struct ip_finding *x;
	va_list ap;

	if (sev == IP_ERROR)
		l->r->errors++;
	else if (sev == IP_WARN)
		l->r->warnings++;
	if (l->r->nx >= IP_MAX_FINDINGS)
		return;
	x = &l->r->x[l->r->nx++];
	x->sev = sev;
	x->off = (unsigned)(p - l->b);
	snprintf(x->code, sizeof(x->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof(x->text), fmt, ap);
	va_end(ap);
}

static void hex_of(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 3 <= cap; i++)
		snprintf(out + 2 * i, 3, "%02X", p[i]);
}

/* One BER-TLV with a one-byte tag and a short or 81 length (GP §11.5.2.3.7
 * fields are under 256 bytes). \returns the header length, 0 at a fault
 * (reported). */
static size_t tlv_head(struct lint *l, const uint8_t *p, size_t n, const char *where, size_t *len)
{
	if (n < 2) {
		finding(l, IP_ERROR, p, "tlv-length", "%s: tag %02X without a length byte", where,
			p[0]);
		return 0;
	}
	if (p[1] < 0x80u) {
		*len = p[1];
	} else if (p[1] == 0x81u && n >= 3 && p[2] >= 0x80u) {
		*len = p[2];
	} else {
		finding(l, IP_ERROR, p + 1, "tlv-length",
			"%s: tag %02X has length byte %02X: lengths are 00..7F or 81 80..81 FF",
			where, p[0], p[1]);
		return 0;
	}
	if (2u + (p[1] == 0x81u) + *len > n) {
		finding(l, IP_ERROR, p + 1, "tlv-length",
			"%s: tag %02X says %zu bytes, %zu remain: the card answers 6A80", where,
			p[0], *len, n - 2u - (p[1] == 0x81u));
		return 0;
	}
	return 2u + (p[1] == 0x81u);
}

/* Access domain (TS 102 226 §8.2.1.3.2.1 for 'CA', §8.2.1.3.2.2 for the
 * '81'/'82' entries): 00 full access, FF no access, 01/02 + access
 * condition data. */
static void access_domain(struct lint *l, const uint8_t *p, size_t n, const char *path)
{
	char h[40];

	if (n == 0) {
		finding(l, IP_ERROR, p, "access-domain",
			"%s: empty access domain (length 00): give 00 (full access) at least",
			path);
		return;
	}
	hex_of(h, sizeof(h), p + 1, n - 1);
	if (p[0] == 0x00u && n == 1) {
		field(l, p, 1, path, "access domain 00: full access to the file system");
		l->r->file_access = 1;
	} else if (p[0] == 0xFFu && n == 1) {
		field(l, p, 1, path, "access domain FF: no access to the file system");
		if (l->need && l->need->files)
			finding(
			    l, IP_ERROR, p, "access-domain",
			    "%s: no file access, but the applet updates EF_IMSI and its own EFs: "
			    "give 00 (full access) or access conditions with ADM",
			    path);
	} else if ((p[0] == 0x01u || p[0] == 0x02u) && n >= 2) {
		field(l, p, (unsigned)n, path, "access domain %02X: access conditions %s", p[0], h);
		l->r->file_access = 1;
		if (p[0] == 0x02u && n != 4)
			finding(l, IP_ERROR, p, "access-domain",
				"%s: access domain 02 (UICC access mechanism) carries 3 bytes of "
				"access "
				"conditions, here %zu",
				path, n - 1);
	} else {
		field(l, p, (unsigned)n, path, "access domain %02X %s", p[0], h);
		finding(
		    l, IP_ERROR, p, "access-domain",
		    "%s: access domain %02X with %zu bytes: known are 00 and FF alone, 01 or 02 "
		    "with access conditions",
		    path, p[0], n - 1);
	}
}

/* One LV inside the toolkit value. \returns bytes used, 0 if it overruns. */
static size_t lv(struct lint *l, const uint8_t *p, size_t n, const char *path, const char *code)
{
	if (1u + p[0] > n) {
		finding(l, IP_ERROR, p, code, "%s: length %02X runs %zu bytes past the end", path,
			p[0], 1u + p[0] - n);
		return 0;
	}
	return 1u + p[0];
}

static void toolkit_needs(struct lint *l, const uint8_t *v, const char *pre)
{
	const struct ip_needs *need = l->need;

	if (v[1] > IP_TIMERS_MAX)
		finding(l, IP_ERROR, v + 1, "timers-range",
			"%s: %u timers: timer identifiers are 1..8 (TS 102 223 §8.37)", pre, v[1]);
	if (!need)
		return;
	if (v[1] < need->timers)
		finding(l, IP_ERROR, v + 1, "timers-fewer",
			"%s: %u timers allowed, the applet runs %u (rotation, dwell, retry, "
			"re-evaluation): TIMER MANAGEMENT fails",
			pre, v[1], need->timers);
	if (v[3] < need->menu_entries)
		finding(l, IP_ERROR, v + 3, "menu-fewer",
			"%s: %u menu entries allowed, the applet sets up %u", pre, v[3],
			need->menu_entries);
	if (need->menu_entries && v[2] < need->menu_text)
		finding(l, IP_ERROR, v + 2, "menu-text-short",
			"%s: menu entry text up to %u bytes, the applet's item needs %u", pre, v[2],
			need->menu_text);
}

/* The toolkit application parameters: 'CA' (TS 102 226 §8.2.1.3.2.1, access
 * domain first) or 'EA'/'80' (§8.2.1.3.2.2, none). Fields after the menu
 * entries may be left out from the end; a field cut short is a fault. */
static void toolkit(struct lint *l, const uint8_t *v, size_t n, int has_ad, const char *pre)
{
	char path[24];
	size_t i = 0, k, u;

	l->r->toolkit = 1;
	if (has_ad) {
		snprintf(path, sizeof(path), "%s/access", pre);
		if (n < 1 || 1u + v[0] > n) {
			finding(l, IP_ERROR, v, "access-domain",
				"%s: access domain length %s runs past the end", pre,
				n < 1 ? "(missing)" : "byte");
			return;
		}
		field(l, v, 1, path, "access domain length %u", v[0]);
		access_domain(l, v + 1, v[0], path);
		i = 1u + v[0];
	}
	if (n - i < 4) {
		finding(
		    l, IP_ERROR, v + i, "toolkit-short",
		    "%s: priority, timers, menu text length and menu entries are mandatory; %zu "
		    "of the 4 bytes are there",
		    pre, n - i);
		return;
	}
	snprintf(path, sizeof(path), "%s/priority", pre);
	field(l, v + i, 1, path, "priority level %u (01 = highest)", v[i]);
	snprintf(path, sizeof(path), "%s/timers", pre);
	field(l, v + i + 1, 1, path, "maximum number of timers %u", v[i + 1]);
	snprintf(path, sizeof(path), "%s/menu-text", pre);
	field(l, v + i + 2, 1, path, "maximum text length for a menu entry %u", v[i + 2]);
	snprintf(path, sizeof(path), "%s/menu-entries", pre);
	field(l, v + i + 3, 1, path, "maximum number of menu entries %u", v[i + 3]);
	toolkit_needs(l, v + i, pre);
	k = v[i + 3];
	i += 4;
	if (n - i < 2 * k) {
		finding(
		    l, IP_ERROR, v + i, "menu-length",
		    "%s: %zu menu entries need %zu bytes of position/identifier pairs, %zu remain: "
		    "the card answers 6A80",
		    pre, k, 2 * k, n - i);
		return;
	}
	for (u = 0; u < k; u++, i += 2) {
		snprintf(path, sizeof(path), "%s/menu%zu", pre, u + 1);
		field(l, v + i, 2, path, "menu entry %zu: position %u, identifier %u%s", u + 1,
		      v[i], v[i + 1], v[i + 1] == 0 ? " (the framework picks)" : "");
		if (u == 0 && l->need && l->need->menu_id && v[i + 1] &&
		    v[i + 1] != l->need->menu_id)
			finding(l, IP_WARN, v + i + 1, "menu-id",
				"%s: menu identifier %u, the applet answers item %u", pre, v[i + 1],
				l->need->menu_id);
	}
	if (i == n) {
		finding(
		    l, IP_NOTE, v + i, "tail-absent",
		    "%s: maximum channels, MSL, TAR and services left out (allowed from the end)",
		    pre);
		return;
	}
	snprintf(path, sizeof(path), "%s/channels", pre);
	field(l, v + i, 1, path, "maximum number of channels %u", v[i]);
	if (v[i] > 7)
		finding(l, IP_WARN, v + i, "channels-range",
			"%s: %u channels: channel identifiers are 1..7 (TS 102 223)", pre, v[i]);
	if (++i == n) {
		finding(l, IP_NOTE, v + i, "tail-absent", "%s: MSL, TAR and services left out",
			pre);
		return;
	}
	snprintf(path, sizeof(path), "%s/msl", pre);
	u = lv(l, v + i, n - i, path, "msl-length");
	if (!u)
		return;
	if (v[i] == 0) {
		field(l, v + i, 1, path, "minimum security level: none (length 00)");
	} else {
		char h[40];
		hex_of(h, sizeof(h), v + i + 1, v[i]);
		/* MSL parameter and data, compared with the SPI of incoming
		 * secured packets (TS 102 225 §5.1.1) */
		field(l, v + i, (unsigned)u, path, "minimum security level %s", h);
	}
	if ((i += u) == n) {
		finding(l, IP_NOTE, v + i, "tail-absent", "%s: TAR and services left out", pre);
		return;
	}
	snprintf(path, sizeof(path), "%s/tar", pre);
	u = lv(l, v + i, n - i, path, "tar-length");
	if (!u)
		return;
	if (v[i] % 3u) {
		finding(
		    l, IP_ERROR, v + i, "tar-length",
		    "%s: TAR field of %u bytes: TAR values are 3 bytes each (TS 102 225 §5.1)",
		    pre, v[i]);
	} else if (v[i] == 0) {
		field(l, v + i, 1, path, "TAR values: none (no secured packets addressed to it)");
	} else {
		for (k = 0; k < v[i]; k += 3) {
			const uint8_t *t = v + i + 1 + k;
			field(l, t, 3, path, "TAR %02X%02X%02X", t[0], t[1], t[2]);
			if (!t[0] && !t[1] && !t[2])
				finding(l, IP_WARN, t, "tar-reserved",
					"%s: TAR 000000 addresses the Issuer Security Domain", pre);
		}
	}
	if ((i += u) == n)
		return;
	snprintf(path, sizeof(path), "%s/services", pre);
	field(l, v + i, 1, path, "maximum number of services %u", v[i]);
	if (++i < n)
		finding(l, IP_ERROR, v + i, "toolkit-trailing",
			"%s: %zu bytes after the last field (maximum number of services)", pre,
			n - i);
}

/* '81'/'82' (TS 102 226 §8.2.1.3.2.2): repeated LV AID (00 = the UICC file
 * system), LV access domain, LV access domain DAP. */
static void uicc_access(struct lint *l, const uint8_t *v, size_t n, const char *pre)
{
	char path[24], h[40];
	size_t i = 0, u;
	unsigned e = 0;

	while (i < n) {
		e++;
		snprintf(path, sizeof(path), "%s/%u", pre, e);
		if (!(u = lv(l, v + i, n - i, path, "access-length")))
			return;
		hex_of(h, sizeof(h), v + i + 1, v[i]);
		field(l, v + i, (unsigned)u, path, "file system: %s%s", v[i] ? "ADF " : "UICC (MF)",
		      h);
		if (v[i] && (v[i] < 5 || v[i] > 16))
			finding(l, IP_ERROR, v + i, "aid-length", "%s: AID of %u bytes (5..16)",
				path, v[i]);
		i += u;
		if (i >= n || !(u = lv(l, v + i, n - i, path, "access-length"))) {
			if (i >= n)
				finding(l, IP_ERROR, v + i, "access-length",
					"%s: access domain missing after the AID", path);
			return;
		}
		access_domain(l, v + i + 1, v[i], path);
		i += u;
		if (i >= n || !(u = lv(l, v + i, n - i, path, "access-length"))) {
			if (i >= n)
				finding(l, IP_ERROR, v + i, "access-length",
					"%s: access domain DAP length missing", path);
			return;
		}
		if (v[i])
			field(l, v + i, (unsigned)u, path,
			      "access domain DAP, %u bytes (not checked)", v[i]);
		i += u;
	}
}

static void quota(struct lint *l, const uint8_t *p, size_t len, const char *path, const char *what)
{
	unsigned long q = 0;
	size_t k;

	for (k = 0; k < len; k++)
		q = q << 8 | p[k];
	field(l, p, (unsigned)len, path, "%s quota %lu bytes", what, q);
	if (len != 2 && len != 4)
		finding(l, IP_ERROR, p, "quota-length", "%s: memory quota of %zu bytes (2 or 4)",
			path, len);
}

static void system_ef(struct lint *l, const uint8_t *v, size_t n)
{
	size_t i = 0, h, len;

	while (i < n) {
		const uint8_t *p = v + i;
		if (!(h = tlv_head(l, p, n - i, "EF", &len)))
			return;
		switch (p[0]) {
		case 0xC7:
			quota(l, p + h, len, "EF/C7", "volatile memory");
			break;
		case 0xC8:
			quota(l, p + h, len, "EF/C8", "non-volatile memory");
			break;
		case 0xD7:
			quota(l, p + h, len, "EF/D7", "volatile reserved memory");
			break;
		case 0xD8:
			quota(l, p + h, len, "EF/D8", "non-volatile reserved memory");
			break;
		case 0xCA:
			field(l, p, (unsigned)h, "EF/CA",
			      "SIM file access and toolkit parameters, %zu bytes (TS 102 226 "
			      "§8.2.1.3.2.1)",
			      len);
			toolkit(l, p + h, len, 1, "EF/CA");
			break;
		default:
			field(l, p, (unsigned)(h + len), "EF/?", "tag %02X, %zu bytes", p[0], len);
			finding(l, IP_WARN, p, "unknown-tag",
				"EF: tag %02X is not a system specific parameter this tool knows",
				p[0]);
		}
		i += h + len;
	}
}

static void uicc_ea(struct lint *l, const uint8_t *v, size_t n)
{
	size_t i = 0, h, len;

	while (i < n) {
		const uint8_t *p = v + i;
		if (!(h = tlv_head(l, p, n - i, "EA", &len)))
			return;
		if (p[0] == 0x80) {
			field(l, p, (unsigned)h, "EA/80",
			      "UICC toolkit application parameters, %zu bytes (TS 102 226 "
			      "§8.2.1.3.2.2)",
			      len);
			toolkit(l, p + h, len, 0, "EA/80");
		} else if (p[0] == 0x81 || p[0] == 0x82) {
			field(l, p, (unsigned)h, p[0] == 0x81 ? "EA/81" : "EA/82",
			      "UICC %saccess application parameters, %zu bytes",
			      p[0] == 0x82 ? "administrative " : "", len);
			uicc_access(l, p + h, len, p[0] == 0x81 ? "EA/81" : "EA/82");
		} else {
			field(l, p, (unsigned)(h + len), "EA/?", "tag %02X, %zu bytes", p[0], len);
			finding(
			    l, IP_WARN, p, "unknown-tag",
			    "EA: tag %02X is not a UICC system specific parameter this tool knows",
			    p[0]);
		}
		i += h + len;
	}
}

/* The install parameters field (GP §11.5.2.3.7, Table 11-49): 'C9' first
 * and mandatory, then 'EF' and 'EA', each once. */
static void params(struct lint *l, const uint8_t *v, size_t n)
{
	size_t i = 0, h, len;
	int seen_c9 = 0, seen_ef = 0, seen_ea = 0, has_ca_before;
	char hx[140];

	if (n == 0 || v[0] != 0xC9)
		finding(l, IP_ERROR, v, "no-c9",
			"the install parameters field must start with 'C9' (application specific "
			"parameters, mandatory, may be empty: C900)");
	while (i < n) {
		const uint8_t *p = v + i;
		if (!(h = tlv_head(l, p, n - i, "install parameters", &len)))
			return;
		if ((p[0] == 0xC9 && seen_c9) || (p[0] == 0xEF && seen_ef) ||
		    (p[0] == 0xEA && seen_ea))
			finding(l, IP_ERROR, p, "duplicate-tag", "tag %02X appears twice", p[0]);
		switch (p[0]) {
		case 0xC9:
			if (i)
				finding(l, IP_ERROR, p, "c9-not-first",
					"'C9' at offset %zu: it must come first", i);
			seen_c9 = 1;
			hex_of(hx, sizeof(hx), p + h, len);
			field(l, p, (unsigned)(h + len), "C9",
			      "application specific parameters, %zu bytes%s%s (given to install())",
			      len, len ? ": " : "", hx);
			break;
		case 0xEF:
			if (seen_ea)
				finding(l, IP_WARN, p, "order",
					"'EF' after 'EA': the order is C9, EF, EA");
			seen_ef = 1;
			field(l, p, (unsigned)h, "EF", "system specific parameters, %zu bytes",
			      len);
			system_ef(l, p + h, len);
			break;
		case 0xEA:
			seen_ea = 1;
			has_ca_before = l->r->toolkit;
			field(l, p, (unsigned)h, "EA", "UICC system specific parameters, %zu bytes",
			      len);
			uicc_ea(l, p + h, len);
			if (has_ca_before && l->r->toolkit)
				finding(l, IP_WARN, p, "both-forms",
					"both 'CA' and 'EA' toolkit parameters: give one of them");
			break;
		case 0xCA:
			finding(
			    l, IP_ERROR, p, "ca-outside-ef",
			    "'CA' at the top level: it belongs inside 'EF' (EF len CA len ...)");
			field(l, p, (unsigned)h, "CA", "toolkit parameters outside 'EF', %zu bytes",
			      len);
			toolkit(l, p + h, len, 1, "CA");
			break;
		default:
			field(l, p, (unsigned)(h + len), "?", "tag %02X, %zu bytes", p[0], len);
			finding(l, IP_WARN, p, "unknown-tag",
				"tag %02X is not an install parameter this tool knows", p[0]);
		}
		i += h + len;
	}
}

static int lv_field(struct lint *l, const uint8_t *p, size_t n, const char *path, const char *what,
		    size_t *used)
{
	char h[40];

	if (n < 1 || 1u + p[0] > n) {
		finding(l, IP_ERROR, p, "data-length", "INSTALL data: %s %s", what,
			n < 1 ? "missing" : "length runs past the end");
		return -1;
	}
	hex_of(h, sizeof(h), p + 1, p[0]);
	field(l, p, 1u + p[0], path, "%s: %s%s", what, p[0] ? h : "(empty)",
	      p[0] > 18 ? "..." : "");
	*used = 1u + p[0];
	return 0;
}

/* INSTALL [for install] data (GP §11.5.2.3.2): LV load file AID, LV module
 * AID, LV application AID, LV privileges, LV install parameters, LV token. */
static void install_data(struct lint *l, const uint8_t *v, size_t n)
{
	static const char *const names[] = {"executable load file AID", "executable module AID",
					    "application AID"};
	size_t i = 0, u, k;

	for (k = 0; k < 3; k++) {
		if (lv_field(l, v + i, n - i, "data/aid", names[k], &u))
			return;
		if (v[i] < 5 || v[i] > 16)
			finding(l, IP_ERROR, v + i, "aid-length", "%s of %u bytes (5..16)",
				names[k], v[i]);
		i += u;
	}
	if (lv_field(l, v + i, n - i, "data/privileges", "privileges", &u))
		return;
	if (v[i] != 1 && v[i] != 3)
		finding(l, IP_ERROR, v + i, "privileges", "privileges of %u bytes (1 or 3)", v[i]);
	i += u;
	if (i >= n || 1u + v[i] > n - i) {
		finding(l, IP_ERROR, v + i, "data-length",
			"INSTALL data: install parameters length %s",
			i >= n ? "missing" : "runs past the end");
		return;
	}
	field(l, v + i, 1, "data/params", "install parameters field, %u bytes", v[i]);
	params(l, v + i + 1, v[i]);
	i += 1u + v[i];
	if (lv_field(l, v + i, n - i, "data/token", "install token", &u))
		return;
	if (i + u < n)
		finding(l, IP_ERROR, v + i + u, "data-length",
			"INSTALL data: %zu bytes after the install token", n - i - u);
}

static void apdu(struct lint *l, const uint8_t *v, size_t n)
{
	if (n < 5) {
		finding(l, IP_ERROR, v, "apdu", "an INSTALL APDU has a 5-byte header");
		return;
	}
	field(l, v, 4, "apdu", "CLA %02X INS %02X P1 %02X P2 %02X", v[0], v[1], v[2], v[3]);
	if (v[1] != 0xE6)
		finding(l, IP_ERROR, v + 1, "apdu", "INS %02X is not INSTALL (E6)", v[1]);
	if (v[2] != 0x04 && v[2] != 0x0C)
		finding(
		    l, IP_ERROR, v + 2, "apdu",
		    "P1 %02X: INSTALL [for install] is 04, [for install and make selectable] 0C",
		    v[2]);
	if (v[4] != n - 5 && v[4] != n - 6)
		finding(l, IP_ERROR, v + 4, "apdu-lc", "Lc %02X but %zu data bytes follow", v[4],
			n - 5);
	field(l, v + 4, 1, "apdu", "Lc %u", v[4]);
	install_data(l, v + 5, (size_t)v[4] <= n - 5 ? v[4] : n - 5);
}

static enum ip_kind guess(const uint8_t *b, size_t n)
{
	if (n >= 5 && (b[0] & 0xF0u) == 0x80u && b[1] == 0xE6)
		return IP_KIND_APDU;
	if (n >= 1 && b[0] == 0xC9)
		return IP_KIND_PARAMS;
	if (n >= 6 && b[0] >= 5 && b[0] <= 16 && 1u + b[0] < n)
		return IP_KIND_DATA; /* starts with an AID length */
	return IP_KIND_VALUE;
}

void ip_needs_mimsi(struct ip_needs *n)
{
	n->timers = 4;	     /* enum mi_timer_id: rotate, dwell, retry, re-evaluate */
	n->menu_entries = 1; /* the one SET UP MENU item */
	n->menu_text = 11;   /* "IMSI choice" */
	n->menu_id = 1;	     /* the core answers item 01 */
	n->files = 1;	     /* EF_IMSI, the location EFs, DF.MIMSI */
}

unsigned ip_lint(const uint8_t *blob, size_t n, enum ip_kind kind, const struct ip_needs *need,
		 struct ip_report *r)
{
	struct lint l = {r, blob, need};

	memset(r, 0, sizeof(*r));
	r->kind = kind == IP_KIND_AUTO ? guess(blob, n) : kind;
	switch (r->kind) {
	case IP_KIND_APDU:
		apdu(&l, blob, n);
		break;
	case IP_KIND_DATA:
		install_data(&l, blob, n);
		break;
	case IP_KIND_VALUE:
		field(&l, blob, 0, "CA", "the value of 'CA' alone (TS 102 226 §8.2.1.3.2.1)");
		if (kind == IP_KIND_AUTO) {
			char h[2 * 100 + 1];
			hex_of(h, sizeof(h), blob, n);
			finding(&l, IP_NOTE, blob, "bare-value",
				"read as the value of 'CA' alone: as INSTALL parameters it is "
				"C900EF%02XCA%02X%s",
				(unsigned)(n + 2), (unsigned)n, n + 2 < 0x80 ? h : "...");
		}
		toolkit(&l, blob, n, 1, "CA");
		break;
	default:
		params(&l, blob, n);
		break;
	}
	if (need && !r->errors && !r->toolkit)
		finding(&l, IP_ERROR, blob, "no-toolkit",
			"no toolkit parameters ('EF'/'CA' or 'EA'/'80'): the card installs a plain "
			"applet, with no menu, timers or events");
	if (need && need->files && r->toolkit && !r->file_access && !r->errors)
		finding(&l, IP_ERROR, blob, "no-file-access",
			"no access domain gives file access ('CA' access domain or 'EA'/'81'): the "
			"applet cannot update EF_IMSI");
	return r->errors;
}
