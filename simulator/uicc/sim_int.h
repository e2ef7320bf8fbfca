/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_int.h
 *  Private to simulator/uicc: the card's file tree, channels, PINs, key sets
 *  and the applet it hosts.
 */
#ifndef MIMSI_SIM_INT_H
#define MIMSI_SIM_INT_H

#include <stdint.h>
#include <stdio.h>

#include "mimsi/mi_applet.h"
#include "ota.h"
#include "sim_card.h"
#include "sim_nv.h"
#include "sim_port.h"

#define SIM_MAX_FILES (SIM_NV_MAX_OBJ - SIM_NV_OBJ_FIRST_FILE)
#define SIM_MAX_CHANNELS 4u     /* basic channel + 1..3 (TS 102 221 §11.1.17) */
#define SIM_MAX_KEYSETS 10u
#define SIM_ATR_MAX 33u
#define SIM_RESP_MAX 258u
#define SIM_LABEL_MAX 32u

/* File descriptor byte (TS 102 221 §11.1.1.4.3). */
enum sim_ftype { SIM_MF = 1, SIM_DF, SIM_ADF, SIM_EF };
enum sim_fstruct { SIM_TRANSPARENT = 1, SIM_LINEAR = 2, SIM_CYCLIC = 6 };

struct sim_file {
	uint8_t used;
	uint8_t type;      /*!< enum sim_ftype */
	uint8_t structure; /*!< enum sim_fstruct (EF only) */
	uint8_t sfi;       /*!< 0 = none */
	uint8_t lcsi;      /*!< TS 102 221 §11.1.1.4.9: 05 activated, 04 deactivated */
	uint8_t shareable;
	uint16_t fid;
	int parent;        /*!< index, -1 for the MF */
	uint16_t rec_len;  /*!< record EFs */
	uint8_t n_rec;
	uint16_t arr_fid;  /*!< 8B: EF_ARR and record */
	uint8_t arr_rec;
	int nv;            /*!< NV object of an EF's content */
	int link;          /*!< index of the EF whose content this one shares, or -1 */
	uint8_t aid[16];   /*!< ADF */
	uint8_t aid_len;
	char name[SIM_LABEL_MAX]; /*!< for logs and images, e.g. "EF.IMSI" */
};

struct sim_pin {
	uint8_t ref;       /*!< key reference (TS 102 221 §9.5.1) */
	uint8_t value[8];
	uint8_t puk[8];
	uint8_t tries, max_tries;
	uint8_t puk_tries, puk_max;
	uint8_t enabled;
	uint8_t has_puk;
	uint8_t verified;  /*!< RAM: cleared at reset */
};

struct sim_keyset {
	uint8_t ref;       /*!< 1..SIM_MAX_KEYSETS */
	uint8_t k[16];
	uint8_t opc[16];
	uint8_t sqn[6];    /*!< highest SQN accepted (SQN_MS) */
};

struct sim_channel {
	uint8_t open;
	int df;            /*!< current DF (or ADF / MF) */
	int ef;            /*!< current EF, -1 none */
	int adf;           /*!< selected application, -1 none */
	int rec;           /*!< current record (1-based), 0 none */
};

struct sim_card {
	uint8_t atr[SIM_ATR_MAX];
	size_t atr_len;
	struct sim_file files[SIM_MAX_FILES];
	struct sim_pin pins[6];
	unsigned n_pins;
	struct sim_keyset keysets[SIM_MAX_KEYSETS];
	unsigned n_keysets;
	uint32_t sqn_window;  /*!< accepted SQN - SQN_MS (TS 33.102 Annex C.2) */
	struct sim_channel ch[SIM_MAX_CHANNELS];
	uint8_t powered;
	uint8_t tp_seen;
	/* T=0 GET RESPONSE buffer (TS 102 221 §7.3.1.1.4) */
	uint8_t pending[SIM_RESP_MAX];
	uint16_t pending_len;
	/* NV, port and the hosted applet */
	struct sim_nv nv;
	struct mi_port port;
	struct mi_applet applet;
	struct mi_nv app_nv;
	struct mi_ram app_ram;
	uint8_t applet_installed;
	/* over the air (sim_ota*.c): SMS parts awaited, RFM session, PoR sent
	 * by SEND SHORT MESSAGE waiting for its TERMINAL RESPONSE (RAM only) */
	struct ota_reasm ota_reasm;
	uint8_t rfm_on;      /*!< an RFM script runs: access rules use its domain */
	uint8_t rfm_domain;  /*!< 00 full access, else the one key reference granted */
	uint8_t os_proactive; /*!< the pending proactive command is the card OS's (SIM_OSP_*) */
	uint8_t cat_open;     /*!< a fetched command awaits its TERMINAL RESPONSE */
	uint8_t mask_data;   /*!< this APDU wrote a secret (key store): mask it in traces */
	/* traces */
	FILE *log;
	struct sim_pcap *pcap;
	uint32_t apdus;
};

/* sim_fs.c */
int sim_fs_add(struct sim_card *c, int parent, uint8_t type, uint16_t fid, const char *name);
int sim_fs_add_ef(struct sim_card *c, int parent, uint16_t fid, const char *name, uint8_t structure,
		  uint16_t size, uint16_t rec_len, uint8_t sfi, uint16_t arr_fid, uint8_t arr_rec);
/*! An EF that shares the content of EF \a target (the DF.GSM files that are
 *  the ADF.USIM files seen from a 2G terminal, TS 31.102 Annex E): same
 *  structure, size and content, its own FID, SFI and access rule. */
int sim_fs_add_link(struct sim_card *c, int parent, uint16_t fid, const char *name, int target,
		    uint8_t sfi, uint16_t arr_fid, uint8_t arr_rec);
int sim_fs_child(const struct sim_card *c, int df, uint16_t fid);
int sim_fs_mf(const struct sim_card *c);
int sim_fs_by_path(const struct sim_card *c, const uint16_t *path, unsigned n);
uint16_t sim_fs_size(const struct sim_card *c, int f);
uint8_t *sim_fs_data(struct sim_card *c, int f);
int sim_fs_fcp(struct sim_card *c, int f, uint8_t *out, uint16_t cap);
int sim_fs_by_sfi(const struct sim_card *c, int df, uint8_t sfi);
void sim_fs_delete(struct sim_card *c, int f);
int sim_fs_path_str(const struct sim_card *c, int f, char *out, size_t cap);
int sim_fs_by_path_str(const struct sim_card *c, const char *path);

/* sim_access.c: EF_ARR (TS 102 221 §9.2.4) */
enum sim_am { SIM_AM_READ = 0x01, SIM_AM_UPDATE = 0x02, SIM_AM_DEACT = 0x08, SIM_AM_ACT = 0x10,
	      SIM_AM_DELETE_CHILD = 0x01, SIM_AM_CREATE_EF = 0x02, SIM_AM_CREATE_DF = 0x04,
	      SIM_AM_DELETE_SELF = 0x40 };
/*! \returns 0x9000 if allowed, else the SW (6982). */
uint16_t sim_access_check(struct sim_card *c, int f, uint8_t am);
struct sim_pin *sim_pin_find(struct sim_card *c, uint8_t ref);

/* sim_access.c: 1 when the file can never be read (key stores): what is
 * written into it is masked in traces */
int sim_file_secret(struct sim_card *c, int f);

/* sim_keystore.c: slot keys K/OPc (DF.MIMSI/EF.MI_KEYS, docs/ef-format.md) */
#define SIM_FID_MI_KEYS 0x6F0Eu
#define SIM_KEYSTORE_REC 32u /* K(16) OPc(16) */
/*! The key set AUTHENTICATE uses for \a ref: K/OPc from the key store
 *  when its record is written, else the image's; NULL if neither. */
struct sim_keyset *sim_keystore_keyset(struct sim_card *c, uint8_t ref);
/*! Key-set references the applet may select (1..n). */
unsigned sim_keystore_refs(const struct sim_card *c);

/* os_proactive: whose command the terminal fetches */
#define SIM_OSP_OTA 1u     /*!< the PoR of an OTA command (sim_ota.c) */
#define SIM_OSP_TOOLKIT 2u /*!< the toolkit framework's (sim_toolkit.c) */

/* sim_toolkit.c: the toolkit framework when it owns the applet's resources */
/*! Queue the SET UP EVENT LIST / SET UP MENU the applet's registrations owe
 *  the terminal, when no proactive command is pending or under way. */
void sim_toolkit_flush(struct sim_card *c);
/*! 1 when the envelope goes to the applet: always when the applet owns its
 *  resources, else only for what it registered (its events, timers, menu
 *  item); 0: the framework has no taker for it. */
int sim_toolkit_routes(const struct sim_card *c, const uint8_t *env, uint16_t len);

/* sim_default.c */
int sim_default_build(struct sim_card *c);
void sim_card_bind_applet(struct sim_card *c);

/* ATR TCK */
uint8_t sim_atr_tck(const uint8_t *atr, size_t len);

#endif /* MIMSI_SIM_INT_H */
