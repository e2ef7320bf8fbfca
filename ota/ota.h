/* SPDX-License-Identifier: Apache-2.0 */
/*! \file ota.h
 *  libmimsi-ota: the over-the-air codec both sides use (the simulated card
 *  and mimsi-ota). Secured packets of ETSI TS 102 225 carried in SMS-PP as
 *  3GPP TS 31.115 says, SMS TPDUs of 3GPP TS 23.040, the ENVELOPE of
 *  TS 31.111 and the remote file management scripts of ETSI TS 102 226.
 *  Every cryptographic operation goes through OpenSSL EVP.
 *
 *  Errors are negative enum ota_err values; functions that write return the
 *  number of bytes written. Keys never leave the structures passed in.
 */
#ifndef MIMSI_OTA_H
#define MIMSI_OTA_H

#include <stddef.h>
#include <stdint.h>

enum ota_err {
	OTA_OK = 0,
	OTA_ERR_SHORT = -1,    /*!< input shorter than its header or length fields say */
	OTA_ERR_FORMAT = -2,   /*!< a field has a value the standard does not allow */
	OTA_ERR_CAPACITY = -3, /*!< output buffer too small */
	OTA_ERR_ALG = -4,      /*!< algorithm or key length not supported */
	OTA_ERR_CRYPTO = -5,   /*!< OpenSSL failed */
	OTA_ERR_CHECK = -6     /*!< RC/CC did not verify */
};

/* ---- SPI, KIc, KID (TS 102 225 §5.1.1 - §5.1.3) ----------------------- */

/* SPI1 b2..b1: redundancy check, cryptographic checksum, signature */
#define OTA_SPI1_INTEGRITY(s) ((s) & 0x03u)
#define OTA_SPI1_CIPHER 0x04u
#define OTA_SPI1_CNTR(s) (((s) >> 3) & 0x03u)
/* SPI2: PoR required (b2..b1), PoR integrity (b4..b3), PoR ciphered (b5),
 * PoR by SMS-SUBMIT (b6) */
#define OTA_SPI2_POR(s) ((s) & 0x03u)
#define OTA_SPI2_POR_INTEGRITY(s) (((s) >> 2) & 0x03u)
#define OTA_SPI2_POR_CIPHER 0x10u
#define OTA_SPI2_POR_SUBMIT 0x20u

enum ota_integrity { OTA_INT_NONE = 0, OTA_INT_RC = 1, OTA_INT_CC = 2, OTA_INT_DS = 3 };
enum ota_cntr_mode { OTA_CNTR_NONE = 0, OTA_CNTR_UNCHECKED = 1, OTA_CNTR_HIGHER = 2,
		     OTA_CNTR_NEXT = 3 };
enum ota_por_mode { OTA_POR_NONE = 0, OTA_POR_ALWAYS = 1, OTA_POR_ON_ERROR = 2 };

/*! Response packet status codes (TS 102 225 §5.2.2, Table 5). */
enum ota_status {
	OTA_ST_OK = 0x00,
	OTA_ST_RC_CC_DS_FAILED = 0x01,
	OTA_ST_CNTR_LOW = 0x02,
	OTA_ST_CNTR_HIGH = 0x03,
	OTA_ST_CNTR_BLOCKED = 0x04,
	OTA_ST_CIPHER_ERROR = 0x05,
	OTA_ST_UNIDENTIFIED = 0x06,
	OTA_ST_NO_MEMORY = 0x07,
	OTA_ST_MORE_TIME = 0x08,
	OTA_ST_TAR_UNKNOWN = 0x09,
	OTA_ST_SECURITY_LEVEL = 0x0A,
	OTA_ST_VIA_SUBMIT = 0x0B,
	OTA_ST_VIA_USSD = 0x0C
};
/*! A short English text for a status code ("counter low"). */
const char *ota_status_text(uint8_t status);

/*! Algorithms named by the low nibble of KIc/KID (TS 102 225 §5.1.2, §5.1.3). */
enum ota_alg { OTA_ALG_BAD = 0, OTA_ALG_DES_CBC, OTA_ALG_3DES2, OTA_ALG_3DES3, OTA_ALG_AES,
	       OTA_ALG_CRC16, OTA_ALG_CRC32 };
/*! The ciphering algorithm of a KIc byte. */
enum ota_alg ota_kic_alg(uint8_t kic);
/*! The algorithm of a KID byte for \a integrity (RC or CC). */
enum ota_alg ota_kid_alg(uint8_t kid, unsigned integrity);
/*! Bytes of an RC/CC made by \a alg: 2 CRC16, 4 CRC32, 8 CC. */
unsigned ota_check_len(enum ota_alg alg);

#define OTA_KEY_MAX 32u
/*! One key with the KIc or KID byte that names its algorithm. */
struct ota_key {
	uint8_t id;               /*!< the KIc/KID byte as sent */
	uint8_t len;              /*!< 8, 16, 24 (DES) or 16, 24, 32 (AES) */
	uint8_t key[OTA_KEY_MAX];
};

/* ---- crypto primitives (ota_crypto.c) ------------------------------- */

/*! Cipher block size of \a alg (8 DES, 16 AES), 0 if not a cipher. */
unsigned ota_block_len(enum ota_alg alg);
/*! CBC with a zero IV, no padding (the caller pads), in place.
 *  \returns OTA_OK or a negative ota_err. */
int ota_cbc(enum ota_alg alg, const struct ota_key *k, int encrypt, uint8_t *buf, size_t len);
/*! The 8-byte CC: 3DES/DES CBC-MAC over data zero-padded to 8 (last block),
 *  or AES-CMAC truncated to 8 bytes (TS 102 225 §5.1.3). */
int ota_cc(enum ota_alg alg, const struct ota_key *k, const uint8_t *data, size_t len, uint8_t out[8]);
/*! CRC16 (ISO/IEC 13239, X.25) and CRC32 (ISO/IEC 13239) as RC, big-endian. */
uint16_t ota_crc16(const uint8_t *data, size_t len);
uint32_t ota_crc32(const uint8_t *data, size_t len);
/*! RC/CC of \a data by the algorithm of \a kid for \a integrity; writes
 *  ota_check_len() bytes. \returns bytes written or a negative ota_err. */
int ota_check(unsigned integrity, const struct ota_key *kid, const uint8_t *data, size_t len,
	      uint8_t *out);

/* ---- command packet (TS 102 225 §5.1, TS 31.115 §4.2) ------------------ */

#define OTA_CNTR_LEN 5u
#define OTA_TAR_LEN 3u

/*! What a command packet says in clear, and its secured data once opened. */
struct ota_cmd {
	uint8_t spi1, spi2, kic, kid;
	uint8_t tar[OTA_TAR_LEN];
	uint8_t cntr[OTA_CNTR_LEN];
	uint8_t pcntr;
	const uint8_t *data; /*!< secured data (deciphered by ota_cmd_open) */
	size_t data_len;
};

/*! Build a command packet, CPL first, no UDH (the SMS layer adds `70 00`).
 *  Keys: \a kic when SPI1 ciphers, \a kid when it asks for RC/CC (NULL
 *  otherwise). CNTR, PCNTR, padding and RC/CC are computed here.
 *  \returns packet length or a negative ota_err. */
int ota_cmd_build(const struct ota_cmd *cmd, const struct ota_key *kic, const struct ota_key *kid,
		  uint8_t *out, size_t cap);

/*! The parts of a received command packet before any key is used. */
struct ota_cmd_hdr {
	uint8_t spi1, spi2, kic, kid;
	uint8_t tar[OTA_TAR_LEN];
	const uint8_t *pkt; /*!< from CPL */
	size_t len;         /*!< CPL + 2 */
	unsigned chl;
};
/*! Check the lengths of a command packet (CPL first) and read its header.
 *  \a len may exceed the packet (trailing bytes are ignored). */
int ota_cmd_parse(const uint8_t *pkt, size_t len, struct ota_cmd_hdr *h);

/*! Decipher (into \a work, at least h->len bytes) and check RC/CC.
 *  \returns OTA_OK; OTA_ERR_CHECK when RC/CC fails; OTA_ERR_ALG when a key
 *  does not fit; OTA_ERR_FORMAT for bad padding/lengths. Fills \a cmd
 *  (data points into \a work). */
int ota_cmd_open(const struct ota_cmd_hdr *h, const struct ota_key *kic, const struct ota_key *kid,
		 uint8_t *work, size_t work_cap, struct ota_cmd *cmd);

/* ---- response packet (TS 102 225 §5.2, TS 31.115 §4.3) ---------------- */

/*! A response packet in clear. */
struct ota_por {
	uint8_t tar[OTA_TAR_LEN];
	uint8_t cntr[OTA_CNTR_LEN];
	uint8_t pcntr;
	uint8_t status;
	const uint8_t *data; /*!< additional response data (RFM response) */
	size_t data_len;
};

/*! Build a response packet with its UDH `02 71 00` (TS 31.115 §4.3): its
 *  integrity and ciphering follow \a spi2 with the keys of the command.
 *  \returns length or a negative ota_err. */
int ota_por_build(uint8_t spi2, const struct ota_por *por, const struct ota_key *kic,
		  const struct ota_key *kid, uint8_t *out, size_t cap);
/*! Parse a response packet starting at its UDH (`02 71 00`), decipher it
 *  into \a work and check its RC/CC as \a spi2 says. \returns OTA_OK,
 *  OTA_ERR_CHECK when the RC/CC is wrong, or another negative ota_err. */
int ota_por_parse(uint8_t spi2, const uint8_t *pkt, size_t len, const struct ota_key *kic,
		  const struct ota_key *kid, uint8_t *work, size_t work_cap, struct ota_por *por);

/* ---- SMS (TS 23.040 §9.2.2, TS 31.115 §4) --------------------------- */

#define OTA_UD_MAX 140u
#define OTA_TPDU_MAX 176u
#define OTA_ADDR_MAX 12u

/*! An address field (TS 23.040 §9.1.2.5) as digits. */
struct ota_addr {
	uint8_t ton_npi;     /*!< e.g. 0x81 unknown/ISDN, 0x91 international */
	char digits[21];
};

/*! The user data of one SMS of an OTA message and where it belongs. */
struct ota_sms {
	uint8_t first_octet; /*!< MTI, UDHI... */
	uint8_t pid, dcs;
	struct ota_addr addr; /*!< OA of a DELIVER, DA of a SUBMIT */
	uint8_t scts[7];
	const uint8_t *ud;   /*!< whole TP-UD (UDH included) */
	size_t udl;
	/* from the UDH */
	uint8_t has_cpi;     /*!< IEI 70: command packet follows (TS 31.115 §4.2) */
	uint8_t has_rpi;     /*!< IEI 71: response packet follows */
	uint8_t concat;      /*!< IEI 00 or 08 present */
	uint16_t ref;
	uint8_t total, seq;
	const uint8_t *body; /*!< TP-UD after the UDH */
	size_t body_len;
};

/*! SMS-DELIVER TPDU for data download: PID 7F (U)SIM data download, DCS F6
 *  8-bit class 2 (TS 23.040 §9.2.3.9, TS 23.038 §4), UDHI set.
 *  \returns TPDU length or a negative ota_err. */
int ota_sms_deliver_build(const struct ota_addr *oa, const uint8_t scts[7], const uint8_t *ud,
			  size_t udl, uint8_t *out, size_t cap);
/*! SMS-SUBMIT TPDU carrying a PoR by SEND SHORT MESSAGE (TS 31.115 §4.3):
 *  PID 7F, DCS F6, no validity period. */
int ota_sms_submit_build(const struct ota_addr *da, uint8_t mr, const uint8_t *ud, size_t udl,
			 uint8_t *out, size_t cap);
/*! Parse an SMS-DELIVER or SMS-SUBMIT TPDU with 8-bit user data and its UDH. */
int ota_sms_parse(const uint8_t *tpdu, size_t len, struct ota_sms *s);

/*! Concatenation IEI for ota_split(): 00 (8-bit reference) or 08 (16-bit). */
struct ota_split_opt {
	uint8_t iei;         /*!< 0x00 or 0x08 */
	uint16_t ref;
};
/*! Cut a command packet (CPL first) into TP-UDs: one SMS with UDH
 *  `02 70 00` when it fits, otherwise concatenated SMS whose first UDH
 *  holds the concatenation IE and the CPI (TS 31.115 §4.2, TS 23.040
 *  §9.2.3.24.1). ud[i] gets OTA_UD_MAX bytes each, udl[i] its length.
 *  \returns the number of SMS or a negative ota_err. */
int ota_split(const uint8_t *pkt, size_t len, const struct ota_split_opt *opt,
	      uint8_t ud[][OTA_UD_MAX], size_t *udl, unsigned max_sms);

/*! Reassembly of a concatenated command packet, one SMS at a time. */
#define OTA_REASM_MAX_SMS 8u
struct ota_reasm {
	uint8_t active;
	uint16_t ref;
	uint8_t total;
	uint8_t have;         /*!< bitmap of received parts */
	uint8_t iei;
	struct ota_addr oa;
	uint16_t part_len[OTA_REASM_MAX_SMS];
	uint8_t part[OTA_REASM_MAX_SMS][OTA_UD_MAX];
};
/*! Add one parsed SMS. \returns 1 when \a out holds the whole command
 *  packet (length in *out_len), 0 when more parts are awaited, or a
 *  negative ota_err (the SMS is not an OTA command). A part of another
 *  message restarts the reassembly. */
int ota_reasm_add(struct ota_reasm *r, const struct ota_sms *s, uint8_t *out, size_t cap,
		  size_t *out_len);

/* ---- ENVELOPE SMS-PP download (TS 31.111 §7.1.1) ---------------------- */

/*! `80 C2 00 00 Lc D1 L 82 02 83 81 [86 SC] 8B L TPDU`. \a sc may be NULL.
 *  \returns APDU length or a negative ota_err. */
int ota_envelope_build(const struct ota_addr *sc, const uint8_t *tpdu, size_t len, uint8_t *out,
		       size_t cap);
/*! Find the SMS TPDU in the data of an SMS-PP download ENVELOPE (from D1). */
int ota_envelope_parse(const uint8_t *data, size_t len, const uint8_t **tpdu, size_t *tpdu_len);

/* ---- remote file management scripts (TS 102 226 §5) --------------------- */

enum ota_rfm_format { OTA_RFM_COMPACT = 0, OTA_RFM_EXPANDED = 1 };

/*! Append one C-APDU to a script being built: as is (compact) or as a
 *  C-APDU TLV `22` (expanded; ota_rfm_close wraps them in `AA`).
 *  \returns the new length or a negative ota_err. */
int ota_rfm_add(enum ota_rfm_format f, uint8_t *script, size_t len, size_t cap, const uint8_t *apdu,
		size_t apdu_len);
/*! Finish an expanded script (insert the `AA` template); no-op for compact. */
int ota_rfm_close(enum ota_rfm_format f, uint8_t *script, size_t len, size_t cap);

/*! Walks the C-APDUs of a script. */
struct ota_rfm_iter {
	const uint8_t *p;
	size_t len, pos;
	enum ota_rfm_format format;
};
/*! Start walking \a script; the format is told by its first byte (`AA`
 *  command scripting template, or `AE 80` ... `00 00` in the indefinite
 *  form = expanded; anything else compact). */
int ota_rfm_begin(struct ota_rfm_iter *it, const uint8_t *script, size_t len);
/*! Next C-APDU: \returns 1 with the C-APDU and its length set, 0 at the end, or a
 *  negative ota_err. In compact format P3 is Lc except for the commands
 *  that only read (Le, TS 102 226 §5.1.1). */
int ota_rfm_next(struct ota_rfm_iter *it, const uint8_t **apdu, size_t *apdu_len);

/*! Response data of a script: compact `n SW1 SW2 [data]` or expanded
 *  `AB L 80 01 n {23 L data SW}` built from the R-APDUs recorded one by one. */
struct ota_rfm_resp {
	enum ota_rfm_format format;
	uint8_t n;           /*!< commands executed */
	uint16_t last_sw;
	size_t len;          /*!< bytes in buf */
	uint8_t buf[OTA_UD_MAX];
};
void ota_rfm_resp_init(struct ota_rfm_resp *r, enum ota_rfm_format f);
/*! Record one executed command. */
int ota_rfm_resp_add(struct ota_rfm_resp *r, const uint8_t *data, size_t len, uint16_t sw);
/*! The response data (compact or expanded) into \a out. */
int ota_rfm_resp_encode(const struct ota_rfm_resp *r, uint8_t *out, size_t cap);

/* ---- hex helpers for tools and tests ------------------------------------ */

/*! Decode hex (spaces allowed). \returns bytes or -1. */
int ota_hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif /* MIMSI_OTA_H */
