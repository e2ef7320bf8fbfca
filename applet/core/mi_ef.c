/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_ef.c
 *  The 14-byte header shared by every EF of DF.MIMSI (check and seal), and
 *  the standard path of each file the core touches. Layouts: mi_ef.h.
 */
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_port.h"

/* Header offsets (mi_ef.h diagram). */
#define MI_EF_OFF_TYPE 2u
#define MI_EF_OFF_VER 3u
#define MI_EF_OFF_LEN 4u
#define MI_EF_OFF_SEQ 6u
#define MI_EF_OFF_CRC 10u /* the CRC covers bytes 0..9, then the body */

static mi_bool mi_ef_type_known(mi_u8 type)
{
	return (mi_bool)(type >= MI_EF_TYPE_CFG && type <= MI_EF_TYPE_STATE);
}

static mi_u32 mi_ef_crc(const mi_u8 *file, mi_u16 body_len)
{
	mi_u32 crc = mi_crc32(0, file, MI_EF_OFF_CRC);

	return mi_crc32(crc, file + MI_EF_HDR_LEN, body_len);
}

int mi_ef_check(const mi_u8 *file, mi_u16 len, mi_u8 type, struct mi_ef_header *hdr)
{
	struct mi_ef_header h;
	mi_u32 total;

	if (!file)
		return MI_ERR_PARAM;
	MI_MEMSET(&h, 0, sizeof(h));
	if (hdr)
		*hdr = h;
	if (len < MI_EF_HDR_LEN)
		return MI_ERR_TRUNCATED;
	if (file[0] != MI_EF_MAGIC0 || file[1] != MI_EF_MAGIC1)
		return MI_ERR_FORMAT;
	h.type = file[MI_EF_OFF_TYPE];
	h.version = file[MI_EF_OFF_VER];
	h.body_len = MI_GET_U16_BE(file, MI_EF_OFF_LEN);
	h.seq = MI_GET_U32_BE(file, MI_EF_OFF_SEQ);
	h.crc = MI_GET_U32_BE(file, MI_EF_OFF_CRC);
	if (hdr)
		*hdr = h;
	if (!mi_ef_type_known(h.type) || (type != 0 && h.type != type))
		return MI_ERR_TAG;
	if (h.version != MI_EF_VERSION &&
	    (h.version != MI_EF_VERSION_SET || h.type == MI_EF_TYPE_STATE))
		return MI_ERR_VERSION;
	total = (mi_u32)MI_EF_HDR_LEN + h.body_len;
	if (total > len || total > MI_LEN_MAX)
		return MI_ERR_LENGTH;
	h.payload_len = h.body_len;
	if (h.version == MI_EF_VERSION_SET) { /* the set id closes the body */
		if (h.body_len < MI_EF_SET_ID_LEN)
			return MI_ERR_LENGTH;
		h.payload_len = (mi_u16)(h.body_len - MI_EF_SET_ID_LEN);
		h.set_id = MI_GET_U32_BE(file, MI_EF_HDR_LEN + h.payload_len);
	}
	if (hdr)
		*hdr = h;
	if (mi_ef_crc(file, h.body_len) != h.crc)
		return MI_ERR_CRC;
	return (int)total;
}

int mi_ef_seal(mi_u8 *file, mi_u16 cap, mi_u8 type, mi_u32 seq, mi_u16 body_len)
{
	mi_u32 total = (mi_u32)MI_EF_HDR_LEN + body_len, crc;

	if (!file || !mi_ef_type_known(type))
		return MI_ERR_PARAM;
	if (total > MI_LEN_MAX)
		return MI_ERR_RANGE;
	if (total > cap)
		return MI_ERR_CAPACITY;
	file[0] = MI_EF_MAGIC0;
	file[1] = MI_EF_MAGIC1;
	file[MI_EF_OFF_TYPE] = type;
	file[MI_EF_OFF_VER] = MI_EF_VERSION;
	MI_PUT_U16_BE(file, MI_EF_OFF_LEN, body_len);
	MI_PUT_U32_BE(file, MI_EF_OFF_SEQ, seq);
	/* once: the macro reads its value argument four times */
	crc = mi_ef_crc(file, body_len);
	MI_PUT_U32_BE(file, MI_EF_OFF_CRC, crc);
	return (int)total;
}

int mi_ef_seal_set(mi_u8 *file, mi_u16 cap, mi_u8 type, mi_u32 seq, mi_u16 payload_len,
		   mi_u32 set_id)
{
	mi_u32 total = (mi_u32)MI_EF_HDR_LEN + payload_len + MI_EF_SET_ID_LEN;
	int rc;

	if (!file || !mi_ef_type_known(type) || type == MI_EF_TYPE_STATE)
		return MI_ERR_PARAM;
	if (total > MI_LEN_MAX)
		return MI_ERR_RANGE;
	if (total > cap)
		return MI_ERR_CAPACITY;
	MI_PUT_U32_BE(file, MI_EF_HDR_LEN + payload_len, set_id);
	rc = mi_ef_seal(file, cap, type, seq, (mi_u16)(payload_len + MI_EF_SET_ID_LEN));
	if (rc >= 0) { /* the version byte is in the CRC: seal again as version 2 */
		file[MI_EF_OFF_VER] = MI_EF_VERSION_SET;
		set_id = mi_ef_crc(file, (mi_u16)(payload_len + MI_EF_SET_ID_LEN));
		MI_PUT_U32_BE(file, MI_EF_OFF_CRC, set_id);
	}
	return rc;
}

int mi_ef_reseal(mi_u8 *file, mi_u16 len, mi_u32 seq)
{
	struct mi_ef_header h;
	mi_u32 crc;
	int rc = mi_ef_check(file, len, 0, &h);

	if (rc == MI_ERR_CRC) /* the header is sound: a new CRC is the point */
		rc = (int)(MI_EF_HDR_LEN + h.body_len);
	if (rc < 0)
		return rc;
	MI_PUT_U32_BE(file, MI_EF_OFF_SEQ, seq);
	crc = mi_ef_crc(file, h.body_len);
	MI_PUT_U32_BE(file, MI_EF_OFF_CRC, crc);
	return rc;
}

/* FID of each enum mi_file, in enum order, and the DF it lives in. */
#define MI_ADF_CURRENT 0x7FFFu /* current ADF in a path (TS 102 221 §8.4.2) */

struct mi_ef_fid {
	mi_u16 df;
	mi_u16 ef;
};

#define MI_DF_5GS 0x5FC0u /* DF_5GS under ADF.USIM (TS 31.102 §4.4.11) */

static const struct mi_ef_fid mi_ef_fids[MI_FILE_COUNT] = {
    {MI_ADF_CURRENT, 0x6F07u}, /* EF_IMSI, TS 31.102 §4.2.2 */
    {MI_ADF_CURRENT, 0x6FADu}, /* EF_AD §4.2.18 */
    {MI_ADF_CURRENT, 0x6F7Eu}, /* EF_LOCI §4.2.17 */
    {MI_ADF_CURRENT, 0x6F73u}, /* EF_PSLOCI §4.2.23 */
    {MI_ADF_CURRENT, 0x6FE3u}, /* EF_EPSLOCI §4.2.91 */
    {MI_ADF_CURRENT, 0x6F7Bu}, /* EF_FPLMN §4.2.16 */
    {MI_ADF_CURRENT, 0x6F61u}, /* EF_OPLMNwACT §4.2.53 */
    {MI_ADF_CURRENT, 0x6F08u}, /* EF_KEYS §4.2.4 */
    {MI_ADF_CURRENT, 0x6F09u}, /* EF_KEYSPS §4.2.5 */
    {MI_DF_MIMSI, MI_EF_CFG_A},	  {MI_DF_MIMSI, MI_EF_CFG_B},	{MI_DF_MIMSI, MI_EF_SLOTS_A},
    {MI_DF_MIMSI, MI_EF_SLOTS_B}, {MI_DF_MIMSI, MI_EF_RULES_A}, {MI_DF_MIMSI, MI_EF_RULES_B},
    {MI_DF_MIMSI, MI_EF_STATE},
    {MI_ADF_CURRENT, 0x6FD9u}, /* EF_EHPLMN §4.2.84 */
    {MI_ADF_CURRENT, 0x6FE4u}, /* EF_EPSNSC §4.2.92 */
    /* DF_5GS (§4.4.11): 4F01 5GS3GPPLOCI, 4F02 5GSN3GPPLOCI, 4F03
     * 5GS3GPPNSC, 4F04 5GSN3GPPNSC, 4F05 5GAUTHKEYS, 4F07 SUCI_Calc_Info,
     * 4F0A Routing_Indicator */
    {MI_DF_5GS, 0x4F01u},	  {MI_DF_5GS, 0x4F02u},	{MI_DF_5GS, 0x4F03u},
    {MI_DF_5GS, 0x4F04u},	  {MI_DF_5GS, 0x4F05u},	{MI_DF_5GS, 0x4F07u},
    {MI_DF_5GS, 0x4F0Au},
};

int mi_ef_file_path(int file, mi_u16 path[3])
{
	if (!path || file < 0 || file >= (int)MI_FILE_COUNT)
		return MI_ERR_PARAM;
	if (mi_ef_fids[file].df == MI_DF_5GS) { /* a DF inside the ADF: three FIDs */
		path[0] = MI_ADF_CURRENT;
		path[1] = MI_DF_5GS;
		path[2] = mi_ef_fids[file].ef;
		return 3;
	}
	path[0] = mi_ef_fids[file].df;
	path[1] = mi_ef_fids[file].ef;
	path[2] = 0;
	return 2;
}
