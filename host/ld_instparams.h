/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ld_instparams.h
 *  GlobalPlatform INSTALL [for install] parameters of a UICC toolkit applet:
 *  a linter that explains every field of a blob and names what makes a card
 *  answer 6A80, and a builder from the values an applet needs.
 *
 *  Layouts (the tags and clauses are cited where they are decoded):
 *  - INSTALL command data: GP Card Specification v2.2 §11.5.2.3.2;
 *  - install parameters field: GP §11.5.2.3.7 (Table 11-49): 'C9'
 *    application specific, 'EF' system specific ('C7' volatile and 'C8'
 *    non-volatile memory quota);
 *  - 'CA' in 'EF', SIM file access and toolkit parameters: ETSI TS 102 226
 *    §8.2.1.3.2.1 (access domain first);
 *  - 'EA', UICC system specific parameters: TS 102 226 §8.2.1.3.2.2 with
 *    '80' UICC toolkit parameters (no access domain), '81' UICC access and
 *    '82' UICC administrative access parameters.
 */
#ifndef MIMSI_LD_INSTPARAMS_H
#define MIMSI_LD_INSTPARAMS_H

#include <stddef.h>
#include <stdint.h>

enum ip_kind {
	IP_KIND_AUTO,	/*!< guess from the first bytes */
	IP_KIND_APDU,	/*!< a whole INSTALL APDU (80 E6 04|0C 00 Lc ...) */
	IP_KIND_DATA,	/*!< INSTALL [for install] command data (LV fields) */
	IP_KIND_PARAMS, /*!< the install parameters field (C9 ...) */
	IP_KIND_VALUE	/*!< the value of 'CA' alone, as pySim's --install-params take it */
};

enum ip_sev { IP_NOTE, IP_WARN, IP_ERROR };

#define IP_MAX_FIELDS 96
#define IP_MAX_FINDINGS 32

struct ip_field {
	unsigned off, len; /*!< bytes of the input blob */
	char path[24];	   /*!< e.g. "EF/CA/timers" */
	char text[160];	   /*!< what the bytes say */
};

struct ip_finding {
	enum ip_sev sev;
	unsigned off;
	char code[20];	/*!< stable name, e.g. "timers-fewer" (test vectors use it) */
	char text[240]; /*!< what is wrong and what to do */
};

struct ip_report {
	enum ip_kind kind; /*!< the kind read (after guessing) */
	struct ip_field f[IP_MAX_FIELDS];
	unsigned nf;
	struct ip_finding x[IP_MAX_FINDINGS];
	unsigned nx, errors, warnings;
	int toolkit;	 /*!< toolkit parameters found ('CA' or 'EA'/'80') */
	int file_access; /*!< an access domain other than "no access" was found */
};

/*! What the applet needs from the card's toolkit framework. */
struct ip_needs {
	unsigned timers;       /*!< timers the applet runs */
	unsigned menu_entries; /*!< menu entries it sets up */
	unsigned menu_text;    /*!< longest menu entry text */
	unsigned menu_id;      /*!< item identifier the applet answers; 0 = any */
	int files;	       /*!< it updates files (EF_IMSI): no-access domain is an error */
};

/*! The mimsi applet's needs (enum mi_timer_id, the SET UP MENU item). */
void ip_needs_mimsi(struct ip_needs *n);

/*! Explain \a blob and list its faults against \a need (NULL = structure
 *  only). \returns the number of errors. */
unsigned ip_lint(const uint8_t *blob, size_t n, enum ip_kind kind, const struct ip_needs *need,
		 struct ip_report *r);

#define IP_MAX_MENU 8
#define IP_MAX_TAR 8

/*! Values of the install parameters; ip_spec_mimsi() fills the defaults. */
struct ip_spec {
	int uicc_form;		  /*!< 0: 'EF'/'CA' (with access domain); 1: 'EA'/'80' + '81' */
	uint8_t access_domain[8]; /*!< 'CA' form, or each '81' entry in the UICC form */
	size_t ad_len;
	uint8_t priority, timers, menu_text, menu_entries;
	uint8_t menu_pos[IP_MAX_MENU], menu_id[IP_MAX_MENU];
	uint8_t channels;
	uint8_t msl[8];
	size_t msl_len;
	uint8_t tar[IP_MAX_TAR][3];
	size_t n_tar;
	int services;		       /*!< -1: field left out */
	long volatile_quota, nv_quota; /*!< -1: left out */
	uint8_t app[64];	       /*!< 'C9' value */
	size_t app_len;
	uint8_t usim_aid[16]; /*!< UICC form: ADF given file access in '81' too */
	size_t usim_aid_len;
};

void ip_spec_mimsi(struct ip_spec *s);

/*! Build the install parameters field (C9 ...) or, with \a value_only,
 *  the toolkit value alone. \returns its length, or -1 if it does not fit
 *  \a cap or a value is out of range. */
int ip_build(const struct ip_spec *s, int value_only, uint8_t *out, size_t cap);

/*! The findings' severity as a word ("error", "warning", "note"). */
const char *ip_sev_name(enum ip_sev s);

#endif /* MIMSI_LD_INSTPARAMS_H */
