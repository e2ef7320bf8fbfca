/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_cmd.h
 *  Private: APDU handlers of the simulated card and their dispatch table.
 */
#ifndef MIMSI_SIM_CMD_H
#define MIMSI_SIM_CMD_H

#include "mimsi/mi_apdu.h"
#include "sim_int.h"

struct sim_rsp {
	uint8_t data[SIM_RESP_MAX];
	uint16_t len;
	uint16_t sw;
};

typedef void (*sim_handler)(struct sim_card *c, struct sim_channel *ch, const struct mi_apdu *a,
			    struct sim_rsp *r);

#define SIM_CMD_T0_OUT 0x01u /*!< response data goes through 61xx + GET RESPONSE */

struct sim_cmd {
	uint8_t cla_mask, cla, ins, flags;
	sim_handler fn;
	const char *name;
};

/*! \returns the table entry for this CLA/INS, or NULL with *sw = 6E00/6D00. */
const struct sim_cmd *sim_cmd_find(uint8_t cla, uint8_t ins, uint16_t *sw);
/*! The name of an instruction for logs ("SELECT"), "?" if unknown. */
const char *sim_cmd_name(uint8_t cla, uint8_t ins);

/* sim_cmd.c: file system commands */
void sim_cmd_select(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_status(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_read_binary(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_update_binary(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_read_record(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_update_record(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_search_record(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_manage_channel(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_get_response(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
/* sim_pin.c */
void sim_cmd_verify(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_change(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_disable(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_enable(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_unblock(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
/* sim_admin.c: TS 102 222 */
void sim_cmd_create_file(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_delete_file(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
/* sim_auth.c */
void sim_cmd_authenticate(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
/* sim_cat.c: TS 102 223 */
void sim_cmd_terminal_profile(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_fetch(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_terminal_response(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);
void sim_cmd_envelope(struct sim_card *, struct sim_channel *, const struct mi_apdu *, struct sim_rsp *);

/* sim_ota.c: SMS-PP data download (TS 31.111 §7.1.1, TS 31.115) */
/*! \returns 1 if the ENVELOPE data was an OTA command packet (or a part
 *  of one) and \a r holds the answer, 0 if the applet should get it. */
int sim_ota_envelope(struct sim_card *c, const uint8_t *data, uint16_t len, struct sim_rsp *r);
/*! TERMINAL RESPONSE to the card OS's own SEND SHORT MESSAGE (a PoR). */
void sim_ota_terminal_response(struct sim_card *c, struct sim_rsp *r);
/* sim_ota_rfm.c: TS 102 226 remote file management */
struct sim_ota_tar;
/*! Run \a script in the RFM context of \a tar (start DF, access domain).
 *  \returns 0 when every command succeeded, -1 when one failed (\a resp
 *  tells which). */
int sim_ota_rfm_run(struct sim_card *c, const struct sim_ota_tar *tar, const uint8_t *script,
		    size_t len, struct ota_rfm_resp *resp);

/* helpers shared by the handlers */
/*! A command defined without a data field (STATUS, READ BINARY/RECORD,
 *  GET RESPONSE, FETCH...) came with one: answers 6700 (TS 102 221 §10.2.1.3)
 *  and \returns 1; else 0. */
int sim_data_refused(const struct mi_apdu *a, struct sim_rsp *r);
/*! Le as a count: 256 for Le byte 00; 0 when absent. */
unsigned sim_le(const struct mi_apdu *a);
/*! Case-2 answer: exactly Le bytes of \a data, or 6Cxx. */
void sim_rsp_data_le(struct sim_rsp *r, const struct mi_apdu *a, const uint8_t *data, uint16_t len);

/*! TERMINAL RESPONSE to the toolkit framework's own command (sim_toolkit.c). */
void sim_toolkit_terminal_response(struct sim_card *c, const uint8_t *data, uint16_t len,
				   struct sim_rsp *r);

#endif /* MIMSI_SIM_CMD_H */
