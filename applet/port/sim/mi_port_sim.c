/* SPDX-License-Identifier: Apache-2.0 */
/* mi_port.h over the simulated card's NV (sim_nv.h): staged writes, one
 * journal per transaction, proactive command buffer. */
#include <string.h>

#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "sim_port.h"
#include "sim_port_stats_int.h"

void sim_port_init(struct mi_port *port, struct sim_nv *nv)
{
	unsigned i;

	memset(port, 0, sizeof(*port));
	port->nv = nv;
	for (i = 0; i < MI_FILE_COUNT; i++)
		port->file_obj[i] = -1;
}

void sim_port_map(struct mi_port *port, enum mi_file file, int obj)
{
	if ((unsigned)file < MI_FILE_COUNT)
		port->file_obj[file] = obj;
}

void sim_port_power_loss(struct mi_port *port)
{
	port->in_txn = 0;
	port->n_staged = 0;
	port->stage_used = 0;
	port->proactive_len = 0;
	port->tk.owed = 0; /* a new session: owed again after the next TERMINAL PROFILE */
}

static const struct sim_nv_obj *file_obj(struct mi_port *port, enum mi_file file, int *id)
{
	int o;

	if ((unsigned)file >= MI_FILE_COUNT)
		return NULL;
	o = port->file_obj[file];
	if (o < 0 || !port->nv->obj[o].data)
		return NULL;
	*id = o;
	return &port->nv->obj[o];
}

mi_s32 mi_port_file_size(struct mi_port *port, enum mi_file file)
{
	int id;
	const struct sim_nv_obj *o = file_obj(port, file, &id);

	return o ? (mi_s32)o->size : MI_ERR_NOT_FOUND;
}

int mi_port_file_read(struct mi_port *port, enum mi_file file, mi_u16 offset, mi_u8 *buf,
		      mi_u16 len)
{
	int id;
	unsigned i;
	const struct sim_nv_obj *o = file_obj(port, file, &id);

	if (!o)
		return MI_ERR_NOT_FOUND;
	if ((mi_u32)offset + len > o->size)
		return MI_ERR_RANGE;
	memcpy(buf, o->data + offset, len);
	/* Reads inside a transaction see what was staged, in order. */
	for (i = 0; i < port->n_staged; i++) {
		const struct sim_port_staged *s = &port->staged[i];
		mi_u32 lo, hi;

		if (s->obj != (uint16_t)id)
			continue;
		lo = s->off > offset ? s->off : offset;
		hi = (mi_u32)s->off + s->len < (mi_u32)offset + len ? (mi_u32)s->off + s->len
								    : (mi_u32)offset + len;
		if (lo < hi)
			memcpy(buf + (lo - offset), port->stage + s->at + (lo - s->off), hi - lo);
	}
	return MI_OK;
}

static int stage(struct mi_port *port, unsigned obj, mi_u16 offset, const mi_u8 *buf, mi_u16 len)
{
	struct sim_port_staged *s;

	if (port->n_staged >= SIM_PORT_MAX_STAGED || SIM_PORT_STAGE_SIZE - port->stage_used < len)
		return MI_ERR_NV;
	s = &port->staged[port->n_staged++];
	s->obj = (uint16_t)obj;
	s->off = offset;
	s->len = len;
	s->at = port->stage_used;
	memcpy(port->stage + port->stage_used, buf, len);
	port->stage_used = (uint16_t)(port->stage_used + len);
	return MI_OK;
}

int mi_port_file_write(struct mi_port *port, enum mi_file file, mi_u16 offset, const mi_u8 *buf,
		       mi_u16 len)
{
	int id;
	const struct sim_nv_obj *o = file_obj(port, file, &id);

	if (!o)
		return MI_ERR_NOT_FOUND;
	if ((mi_u32)offset + len > o->size)
		return MI_ERR_RANGE;
	if (!port->in_txn)
		return MI_ERR_STATE;
	return stage(port, (unsigned)id, offset, buf, len);
}

int mi_port_txn_begin(struct mi_port *port)
{
	if (port->in_txn)
		return MI_ERR_STATE;
	port->in_txn = 1;
	port->n_staged = 0;
	port->stage_used = 0;
	return MI_OK;
}

void mi_port_txn_abort(struct mi_port *port)
{
	if (port->in_txn)
		sim_port_stats_abort();
	port->in_txn = 0;
	port->n_staged = 0;
	port->stage_used = 0;
}

/* Serialize the staged writes as a journal body (sim_nv.h):
 * 'J' 'N' n(2) { obj(2) off(2) len(2) data } * n  CRC-32(4). */
static int journal_build(struct mi_port *port, size_t *out_len)
{
	uint8_t *j = port->journal;
	size_t pos = 4;
	unsigned i;

	j[0] = 0x4A;
	j[1] = 0x4E;
	MI_PUT_U16_BE(j, 2, port->n_staged);
	for (i = 0; i < port->n_staged; i++) {
		const struct sim_port_staged *s = &port->staged[i];

		if (sizeof(port->journal) - pos < 6u + s->len + 4u)
			return MI_ERR_NV;
		MI_PUT_U16_BE(j, pos, s->obj);
		MI_PUT_U16_BE(j, pos + 2, s->off);
		MI_PUT_U16_BE(j, pos + 4, s->len);
		memcpy(j + pos + 6, port->stage + s->at, s->len);
		pos += 6u + s->len;
	}
	const mi_u32 crc = mi_crc32(0, j, (mi_u16)pos); /* the macro reads it 4 times */
	MI_PUT_U32_BE(j, pos, crc);
	*out_len = pos + 4u;
	return MI_OK;
}

/* The resource sheet's NV figures: this transaction's writes and bytes,
 * and what goes to NV (journal, the flag set and cleared, the data applied). */
static void count_commit(const struct mi_port *port, size_t journal_len)
{
	int imsi = port->file_obj[MI_FILE_IMSI], is_switch = 0;
	unsigned i;

	for (i = 0; i < port->n_staged; i++)
		is_switch |= imsi >= 0 && port->staged[i].obj == (uint16_t)imsi;
	sim_port_stats_commit(port->n_staged, port->stage_used,
			      (unsigned)journal_len + 2u + port->stage_used, is_switch);
}

int mi_port_txn_commit(struct mi_port *port)
{
	static const uint8_t flag_on = SIM_NV_JFLAG_COMMITTED, flag_off = 0;
	struct sim_nv *nv = port->nv;
	size_t len;
	int rc;

	if (!port->in_txn)
		return MI_ERR_STATE;
	port->in_txn = 0;
	rc = journal_build(port, &len);
	if (rc == MI_OK)
		count_commit(port, len);
	port->n_staged = 0;
	port->stage_used = 0;
	if (rc != MI_OK)
		return rc;
	if (!nv->obj[SIM_NV_OBJ_JOURNAL].data || !nv->obj[SIM_NV_OBJ_JFLAG].data)
		return MI_ERR_NV;
	if (sim_nv_write(nv, SIM_NV_OBJ_JOURNAL, 0, port->journal, (uint16_t)len) != 0 ||
	    sim_nv_write(nv, SIM_NV_OBJ_JFLAG, 0, &flag_on, 1) != 0 ||
	    sim_nv_journal_apply(nv, port->journal, len) != 0 ||
	    sim_nv_write(nv, SIM_NV_OBJ_JFLAG, 0, &flag_off, 1) != 0)
		return MI_ERR_NV;
	return MI_OK;
}

int mi_port_proactive_send(struct mi_port *port, const mi_u8 *cmd, mi_u16 len)
{
	if (port->proactive_len)
		return MI_ERR_BUSY;
	if (len == 0 || len > sizeof(port->proactive))
		return MI_ERR_CAPACITY;
	memcpy(port->proactive, cmd, len);
	port->proactive_len = len;
	sim_port_stats_proactive();
	return MI_OK;
}

int mi_port_keyset_select(struct mi_port *port, mi_u8 keyset)
{
	if (keyset == 0 || keyset > port->n_keysets || !port->in_txn)
		return MI_ERR_NOT_FOUND;
	return stage(port, SIM_NV_OBJ_KEYSET, 0, &keyset, 1);
}

void mi_port_panic(struct mi_port *port, mi_u16 code)
{
	port->panic_code = code;
	port->panicked = 1;
}
