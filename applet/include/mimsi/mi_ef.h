/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ef.h
 *  The applet's EF format: THE CONTRACT between the rules compiler, the card
 *  loader, the simulator, the applet core and card vendors.
 *  docs/ef-format.md has the same layouts with worked hex examples.
 *
 *  Files live in DF.MIMSI (FID 7F4D, first level under the MF; '7F4X' is the
 *  range TS 51.011 §6.2 leaves for administrative use). Three logical files,
 *  CFG, SLOTS and RULES, each stored twice (banks A and B), plus STATE:
 *
 *    3F00 MF
 *     └─ 7F4D DF.MIMSI
 *         ├─ 6F01 EF.MI_CFG   (bank A)    6F11 EF.MI_CFG   (bank B)
 *         ├─ 6F02 EF.MI_SLOTS (bank A)    6F12 EF.MI_SLOTS (bank B)
 *         ├─ 6F03 EF.MI_RULES (bank A)    6F13 EF.MI_RULES (bank B)
 *         └─ 6F04 EF.MI_STATE (written by the applet only)
 *
 *  All are transparent EFs (TS 102 221 §11.1.1), read: PIN1, update: ADM1.
 *
 *  Every file starts with the same 14-byte header:
 *
 *     0      2      3      4        6                10               14
 *    +------+------+------+--------+----------------+----------------+------ - -
 *    | 'M'  | type | ver  | bodylen|      seq       |     CRC-32     | body ...
 *    | 'I'  |      | 0x01 |  (BE)  |      (BE)      |      (BE)      |
 *    +------+------+------+--------+----------------+----------------+------ - -
 *
 *  - magic 4D 49 ("MI"); type: 01 CFG, 02 SLOTS, 03 RULES, 04 STATE.
 *  - CRC-32 is IEEE 802.3 / zlib (reflected 0xEDB88320, init and final xor
 *    FFFFFFFF) over header bytes 0..9 followed by the body bytes.
 *  - Bytes after the body up to the EF's size are padding (FF) and ignored.
 *
 *  A/B activation. A "set" is one CFG, one SLOTS and one RULES with the same
 *  seq (and, in version-2 files, the same set id). The applet uses the
 *  highest seq for which all three files have a bank that is valid (magic,
 *  version, length, CRC and the body's own rules) and carries that seq and
 *  id; the rule is mi_set_pick() (mi_set.h), which the loader and the
 *  journey runner call too. A loader
 *  writes a new set into the banks NOT holding the active set, with seq =
 *  active seq + 1: until the last byte of the last file lands, the old set
 *  stays active; after it, the new one is. A reader never sees a mix.
 *  No valid set at all: the applet runs in safe mode (docs/applet.md).
 *
 *  Every int-returning function below returns MI_ERR_PARAM for a NULL pointer.
 */
#ifndef MIMSI_MI_EF_H
#define MIMSI_MI_EF_H

#include "mi_types.h"
#include "mi_config.h"

/* ---- identifiers ------------------------------------------------------ */
#define MI_DF_MIMSI 0x7F4Du
#define MI_EF_CFG_A 0x6F01u
#define MI_EF_SLOTS_A 0x6F02u
#define MI_EF_RULES_A 0x6F03u
#define MI_EF_STATE 0x6F04u
#define MI_EF_CFG_B 0x6F11u
#define MI_EF_SLOTS_B 0x6F12u
#define MI_EF_RULES_B 0x6F13u

/* Default EF sizes a card is personalised with (a plan may declare others). */
#define MI_EF_CFG_SIZE 48u /* 34 used by a version-2 CFG; room to grow */
#define MI_EF_SLOTS_SIZE 1024u
#define MI_EF_RULES_SIZE 4096u
#define MI_EF_STATE_SIZE 64u

/* ---- header ----------------------------------------------------------- */
#define MI_EF_MAGIC0 0x4Du /* 'M' */
#define MI_EF_MAGIC1 0x49u /* 'I' */
#define MI_EF_VERSION 0x01u
/* Version 2 (CFG, SLOTS, RULES): the body ends with the 4-byte set id (BE),
 * the same in the three files of one compile; a set whose files carry
 * different ids was mixed from two compiles and is never active (mi_set.h).
 * The id is covered by bodylen and the CRC; the records before it are the
 * version-1 body unchanged (the "payload"). */
#define MI_EF_VERSION_SET 0x02u
#define MI_EF_SET_ID_LEN 4u
#define MI_EF_HDR_LEN 14u

enum mi_ef_type {
	MI_EF_TYPE_CFG = 0x01,
	MI_EF_TYPE_SLOTS = 0x02,
	MI_EF_TYPE_RULES = 0x03,
	MI_EF_TYPE_STATE = 0x04
};

struct mi_ef_header {
	mi_u8 type;      /*!< enum mi_ef_type */
	mi_u8 version;   /*!< MI_EF_VERSION, or MI_EF_VERSION_SET */
	mi_u16 body_len; /*!< bytes of body after the header (a set id included) */
	mi_u32 seq;      /*!< set sequence number (A/B) */
	mi_u32 crc;      /*!< CRC-32 as stored */
	mi_u32 set_id;   /*!< version 2: the set id closing the body; 0 for version 1 */
	mi_u16 payload_len; /*!< body_len without the set id: what the body decoders read */
};

/*! CRC-32 (IEEE 802.3, reflected, as zlib's crc32()): feed chunks in order,
 *  starting from crc = 0; the result of each call is the CRC so far.
 *  So mi_crc32(0, "123456789", 9) == 0xCBF43926. */
mi_u32 mi_crc32(mi_u32 crc, const mi_u8 *buf, mi_u16 len);

/*! Decode and check a file: magic, \a type (0 = any), version, that
 *  14 + body_len <= len, and the CRC. Fills \a hdr even when the CRC fails.
 *  \returns 14 + body_len, or MI_ERR_TRUNCATED / MI_ERR_FORMAT /
 *  MI_ERR_VERSION / MI_ERR_LENGTH / MI_ERR_CRC / MI_ERR_TAG (wrong type). */
int mi_ef_check(const mi_u8 *file, mi_u16 len, mi_u8 type, struct mi_ef_header *hdr);

/*! Version 2: append \a set_id after the payload already placed at
 *  file + 14 (payload_len bytes), then the header (version 2, bodylen =
 *  payload_len + 4) and the CRC. \returns the file length or MI_ERR_CAPACITY /
 *  MI_ERR_PARAM / MI_ERR_RANGE as mi_ef_seal. */
int mi_ef_seal_set(mi_u8 *file, mi_u16 cap, mi_u8 type, mi_u32 seq, mi_u16 payload_len,
		   mi_u32 set_id);
/*! A file of \a len bytes with a sound header (its CRC may be stale) gets
 *  a new seq: type, version, body and set id kept, CRC recomputed (the
 *  loader's A/B write). \returns the file length or mi_ef_check's error. */
int mi_ef_reseal(mi_u8 *file, mi_u16 len, mi_u32 seq);

/*! Write the header in front of a body already placed at file + 14, and its
 *  CRC. \returns 14 + body_len, or MI_ERR_CAPACITY if cap is too small
 *  (nothing written), MI_ERR_PARAM (unknown type), MI_ERR_RANGE (> MI_LEN_MAX). */
int mi_ef_seal(mi_u8 *file, mi_u16 cap, mi_u8 type, mi_u32 seq, mi_u16 body_len);

/* ---- CFG body (16 bytes) ---------------------------------------------
 *
 *     0        2        4        6     7     8     9     10    11    12    13     16
 *    +--------+--------+--------+-----+-----+-----+-----+-----+-----+-----+------+
 *    |rotate_s|dwell_s |reeval_m|rfpr |rffb |flags|poll |fomax|rffb2|rffb3| RFU  |
 *    +--------+--------+--------+-----+-----+-----+-----+-----+-----+-----+------+
 *
 *  rfpr, then rffb, rffb2, rffb3: the REFRESH qualifiers (TS 102 223 §8.6)
 *  tried in this order when the terminal answers 30/31/32, then 04 UICC
 *  reset. rffb is a qualifier or FF (none); rffb2 and rffb3 hold qualifier
 *  + 1, so 00 is none: the RFU 00 bytes of a CFG written before them read
 *  as "no more fallbacks".
 */
#define MI_CFG_BODY_LEN 16u

#define MI_CFG_F_NAIVE 0x01u       /*!< plain round robin, rules ignored */
#define MI_CFG_F_MENU 0x02u        /*!< SET UP MENU offered */
#define MI_CFG_F_FAILOVER 0x04u    /*!< act on NETWORK REJECTION / limited service at once */
#define MI_CFG_F_RETURN_HOME 0x08u /*!< re-evaluate every reeval period */
#define MI_CFG_F_REPLACE_REFRESH 0x20u /*!< an active slot replaced by a new set: write the
					    new identity and REFRESH (else switch away) */

struct mi_cfg {
	mi_u16 rotation_s;     /*!< no-service time before rotating (default 180) */
	mi_u16 min_dwell_s;    /*!< minimum time on a slot after a switch (default 180) */
	mi_u16 reeval_min;     /*!< re-evaluation / return-home period, minutes (default 1440) */
	mi_u8 refresh_pref;    /*!< REFRESH qualifier tried first (TS 102 223 §8.6): 00, 02, 03 or 04 */
	mi_u8 refresh_fallback;/*!< qualifier after a 3x result; 0xFF = none */
	mi_u8 flags;           /*!< MI_CFG_F_* */
	mi_u8 poll_s;          /*!< seconds per STATUS poll when no TIMER MANAGEMENT (default 30) */
	mi_u8 failover_max_per_hour; /*!< immediate switches allowed per hour (default 6) */
	mi_u8 refresh_more[MI_REFRESH_FALLBACKS - 1u]; /*!< then these, in order; 0xFF = none */
};

#define MI_CFG_DEFAULT_ROTATION_S 180u
#define MI_CFG_DEFAULT_DWELL_S 180u
#define MI_CFG_DEFAULT_REEVAL_MIN 1440u
#define MI_CFG_DEFAULT_REFRESH_PREF 0x04u     /* UICC reset: every Rel-99 ME re-reads IMSI */
#define MI_CFG_DEFAULT_REFRESH_FALLBACK 0x03u /* NAA initialisation */
#define MI_CFG_DEFAULT_POLL_S 30u
#define MI_CFG_DEFAULT_FAILOVER_MAX 6u

void mi_cfg_defaults(struct mi_cfg *cfg);
/*! The \a k-th REFRESH qualifier to try: 0 the preference, 1..3 the
 *  fallbacks (FF none), 4 and above 04 UICC reset, the last resort. */
mi_u8 mi_cfg_refresh(const struct mi_cfg *cfg, mi_u8 k);
/*! \returns MI_CFG_BODY_LEN, MI_ERR_CAPACITY, or MI_ERR_RANGE (the checks
 *  of mi_cfg_decode: an invalid config is never written). */
int mi_cfg_encode(const struct mi_cfg *cfg, mi_u8 *body, mi_u16 cap);
/*! \returns MI_CFG_BODY_LEN, MI_ERR_TRUNCATED or MI_ERR_RANGE (bad qualifier, zero period). */
int mi_cfg_decode(const mi_u8 *body, mi_u16 len, struct mi_cfg *cfg);

/* ---- SLOTS body --------------------------------------------------------
 *
 *   byte 0: number of slot records n (1..10), then n records in ascending
 *   slot order, each 16 + 5*n_oplmn + 3*n_fplmn bytes, and 1 + 3*n_ehplmn
 *   more when flags has MI_SLOT_F_EHPLMN:
 *
 *     0     1     2     3     4     5                14      15      16
 *    +-----+-----+-----+-----+-----+-----------------+-------+-------+----- - -
 *    |slot |flags|spons|keys |mncl |  EF_IMSI (9)    |n_oplmn|n_fplmn| OPLMNwACT
 *    |1..10|     | id  | ref |2 / 3|  TS 31.102 §4.2.2|       |       | 5*n, FPLMN 3*n
 *    +-----+-----+-----+-----+-----+-----------------+-------+-------+----- - -
 *
 *     - - ----------+---------+------------------+
 *       ... FPLMN   |n_ehplmn | EHPLMN 3*n       |  only with MI_SLOT_F_EHPLMN
 *     - - ----------+---------+------------------+
 *
 *   EHPLMN entries are PLMNs (TS 31.102 §4.2.84). A switch writes them to
 *   EF_EHPLMN, FF-padded; a slot without the flag (or with n_ehplmn 0)
 *   clears EF_EHPLMN, so home is the IMSI's own PLMN (TS 23.122 §4.4.3).
 *   Readers older than the flag refuse such a SLOTS file (its records do
 *   not add up) and keep their set: they never misread one.
 */
#define MI_SLOT_REC_FIXED 16u

#define MI_SLOT_F_HOME 0x01u
#define MI_SLOT_F_BOOTSTRAP 0x02u
#define MI_SLOT_F_DISABLED 0x04u
#define MI_SLOT_F_EHPLMN 0x08u /*!< an EHPLMN list follows the FPLMN entries */

struct mi_slot {
	mi_u8 slot;         /*!< 1..MI_MAX_SLOTS */
	mi_u8 flags;        /*!< MI_SLOT_F_* */
	mi_u8 sponsor;      /*!< sponsor id (the compiler's report names it) */
	mi_u8 keyset;       /*!< key-set reference for AUTHENTICATE */
	mi_u8 mnc_len;      /*!< 2 or 3: written to EF_AD byte 4 on switch */
	mi_u8 imsi[9];      /*!< EF_IMSI content */
	mi_u8 n_oplmn;
	mi_u8 n_fplmn;
	mi_u8 oplmn[MI_MAX_OPLMN][5]; /*!< xPLMNwAcT entries (TS 31.102 §4.2.5) */
	mi_u8 fplmn[MI_MAX_FPLMN][3]; /*!< PLMN entries (TS 24.008 §10.5.1.13 order) */
	mi_u8 n_ehplmn;               /*!< with MI_SLOT_F_EHPLMN; encode writes the list
					   when the flag is set or n_ehplmn > 0 */
	mi_u8 ehplmn[MI_MAX_EHPLMN][3]; /*!< EHPLMN entries (TS 31.102 §4.2.84) */
};

/*! Encode one record. \returns its length or MI_ERR_CAPACITY / MI_ERR_RANGE. */
int mi_slot_encode(const struct mi_slot *s, mi_u8 *buf, mi_u16 cap);
/*! Decode one record. \returns bytes consumed or MI_ERR_TRUNCATED (< 16 bytes) /
 *  MI_ERR_LENGTH (OPLMN/FPLMN/EHPLMN entries beyond len) / MI_ERR_RANGE (slot
 *  not 1..10, mnc_len not 2/3, EF_IMSI length byte not 1..8, too many entries). */
int mi_slot_decode(const mi_u8 *buf, mi_u16 len, struct mi_slot *s);
/*! The checks of mi_slot_decode() without the copy (the applet only needs
 *  the record's length). \returns the same. */
int mi_slot_check(const mi_u8 *buf, mi_u16 len);

/* ---- RULES body --------------------------------------------------------
 *
 *     0        1        2        4                   4+7*np          end
 *    +--------+--------+--------+-------------------+-----------------+
 *    |   np   | global |   nr   | profiles 7*np     | rules 4*nr      |
 *    |profiles|profile |  (BE)  |                   | sorted by key   |
 *    +--------+--------+--------+-------------------+-----------------+
 *
 *   profile (7): pref list as 10 nibbles, high nibble first, each a slot
 *   number 1..10, 0 ends the list; then the forbidden set as a BE u16 bitmap
 *   (bit s-1 = slot s forbidden).
 *
 *   rule (4): 3-byte BE key, 1-byte profile index (< np).
 *   key = mcc << 12 | exact << 11 | mnc3 << 10 | mnc
 *     mcc 0..999 and mnc 0..999 as numbers; mnc3 = 1 for a 3-digit MNC;
 *     exact = 0 for the MCC-wide default (then mnc3 = mnc = 0).
 *   Lookup: exact key, then the MCC default key, then the global profile.
 *   Keys are strictly ascending (binary search); duplicates are invalid.
 */
#define MI_PROFILE_LEN 7u
#define MI_RULE_LEN 4u
#define MI_RULES_FIXED 4u

struct mi_profile {
	mi_u8 n_pref;                /*!< entries used in pref[] */
	mi_u8 pref[MI_MAX_SLOTS];    /*!< slot numbers, most preferred first */
	mi_u16 forbidden;            /*!< bit s-1 set: slot s is forbidden */
};

struct mi_rule {
	mi_u32 key;     /*!< see mi_rule_key() */
	mi_u8 profile;  /*!< index into the profile table */
};

/*! \returns the key of an exact (exact=1) or MCC-default (exact=0) rule. */
mi_u32 mi_rule_key(mi_u16 mcc, mi_u16 mnc, mi_u8 mnc_digits, mi_bool exact);

/*! \returns MI_PROFILE_LEN, MI_ERR_CAPACITY, or MI_ERR_RANGE (n_pref > 10, a
 *  slot outside 1..10 or repeated, forbidden bits above slot 10). */
int mi_profile_encode(const struct mi_profile *p, mi_u8 *buf, mi_u16 cap);
/*! \returns MI_PROFILE_LEN, MI_ERR_TRUNCATED, or MI_ERR_RANGE (slot 11..15, repeat,
 *  nibble after end, forbidden bits above slot 10). */
int mi_profile_decode(const mi_u8 *buf, mi_u16 len, struct mi_profile *p);
/*! Rule encode/decode: \returns MI_RULE_LEN, MI_ERR_CAPACITY / MI_ERR_TRUNCATED,
 *  or MI_ERR_RANGE (key beyond 24 bits, MCC > 999, MNC > 99 for 2 digits or
 *  > 999, MCC default with MNC bits). The profile index is checked against np
 *  by whoever reads the whole body. */
int mi_rule_encode(const struct mi_rule *r, mi_u8 *buf, mi_u16 cap);
int mi_rule_decode(const mi_u8 *buf, mi_u16 len, struct mi_rule *r);

/* ---- STATE body -------------------------------------------------------
 * Owned by the applet core; its layout is documented in docs/ef-format.md
 * and mi_applet.h. Tools may read it, never write it. */
#define MI_STATE_BODY_MAX (MI_EF_STATE_SIZE - MI_EF_HDR_LEN)

/* ---- paths ----------------------------------------------------------- */
/*! Path of a file from the MF, as FIDs without 3F00 (TS 102 221 §8.4.2);
 *  USIM files start with 7FFF (the current ADF). \returns the number of
 *  FIDs written (2 or 3), or MI_ERR_PARAM. */
int mi_ef_file_path(int file, mi_u16 path[3]);

#endif /* MIMSI_MI_EF_H */
