/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fake_port.c
 *  The test port of fake_port.h: the mi_port.h contract in RAM.
 */
#include <string.h>

#include "fake_port.h"
#include "mimsi/mi_err.h"

void fake_port_init(struct mi_port *p)
{
	memset(p, 0, sizeof(*p));
	p->keyset = 1;
	p->n_keysets = 3;
}

void fake_file_set(struct mi_port *p, enum mi_file f, mi_u16 size, const mi_u8 *data, mi_u16 len)
{
	struct fake_file *ff = &p->file[f];

	ff->size = size;
	memset(ff->data, 0xFF, sizeof(ff->data));
	if (data)
		memcpy(ff->data, data, len < size ? len : size);
}

static struct fake_file *view(struct mi_port *p, enum mi_file f)
{
	return p->in_txn ? &p->staged[f] : &p->file[f];
}

int mi_port_file_read(struct mi_port *p, enum mi_file f, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	struct fake_file *ff;

	if ((int)f < 0 || f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	ff = view(p, f);
	if ((unsigned)off + len > ff->size)
		return MI_ERR_RANGE;
	if (p->fail_read_file && (int)f == p->fail_read_file - 1)
		return MI_ERR_NV;
	memcpy(buf, ff->data + off, len);
	p->reads++;
	return MI_OK;
}

int mi_port_file_write(struct mi_port *p, enum mi_file f, mi_u16 off, const mi_u8 *buf, mi_u16 len)
{
	if ((int)f < 0 || f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	if (!p->in_txn)
		return MI_ERR_STATE;
	if ((unsigned)off + len > p->staged[f].size)
		return MI_ERR_RANGE;
	if (p->fail_write > 0 && --p->fail_write == 0)
		return MI_ERR_NV;
	memcpy(p->staged[f].data + off, buf, len);
	p->writes++;
	return MI_OK;
}

mi_s32 mi_port_file_size(struct mi_port *p, enum mi_file f)
{
	if ((int)f < 0 || f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	return p->file[f].size;
}

int mi_port_txn_begin(struct mi_port *p)
{
	if (p->in_txn)
		return MI_ERR_STATE;
	memcpy(p->staged, p->file, sizeof(p->file));
	p->staged_keyset = p->keyset;
	p->in_txn = 1;
	return MI_OK;
}

int mi_port_txn_commit(struct mi_port *p)
{
	if (!p->in_txn)
		return MI_ERR_STATE;
	if (p->fail_commit) {
		p->fail_commit = 0;
		return MI_ERR_NV;
	}
	memcpy(p->file, p->staged, sizeof(p->file));
	p->keyset = p->staged_keyset;
	p->in_txn = 0;
	p->commits++;
	return MI_OK;
}

void mi_port_txn_abort(struct mi_port *p)
{
	p->in_txn = 0;
	p->aborts++;
}

int mi_port_proactive_send(struct mi_port *p, const mi_u8 *cmd, mi_u16 len)
{
	if (p->cmd_len)
		return MI_ERR_BUSY;
	if (!len || len > sizeof(p->cmd))
		return MI_ERR_CAPACITY;
	memcpy(p->cmd, cmd, len);
	p->cmd_len = len;
	p->sends++;
	return MI_OK;
}

int mi_port_keyset_select(struct mi_port *p, mi_u8 keyset)
{
	if (!p->in_txn || keyset < 1 || keyset > p->n_keysets || keyset == p->refuse_keyset)
		return MI_ERR_NOT_FOUND;
	p->staged_keyset = keyset;
	return MI_OK;
}

void mi_port_panic(struct mi_port *p, mi_u16 code)
{
	p->panics++;
	p->panic_code = code;
}

void fake_port_framework(struct mi_port *p, mi_u8 timers, mi_u8 first_id, mi_u8 menu_item)
{
	p->fw = 1;
	p->fw_timers = timers;
	p->fw_first_id = first_id;
	p->fw_menu_item = menu_item;
}

mi_u8 mi_port_caps(struct mi_port *p)
{
	return p->fw ? MI_PORT_CAP_FW_TOOLKIT : 0u;
}

int mi_port_events_register(struct mi_port *p, const mi_u8 *events, mi_u8 n)
{
	p->fw_event_regs++;
	if (p->fw_refuse_events || n > sizeof(p->fw_events))
		return MI_ERR_UNSUPPORTED;
	memcpy(p->fw_events, events, n);
	p->fw_n_events = n;
	return MI_OK;
}

int mi_port_menu_register(struct mi_port *p, const mi_u8 *text, mi_u8 len)
{
	p->fw_menu_regs++;
	if (!p->fw_menu_item || len > sizeof(p->fw_menu_text))
		return MI_ERR_UNSUPPORTED;
	memcpy(p->fw_menu_text, text, len);
	p->fw_menu_len = len;
	return p->fw_menu_item;
}

/* ToolkitRegistry.allocateTimer() once per role, then the same id. */
int mi_port_timer_id(struct mi_port *p, mi_u8 role)
{
	p->fw_timer_asks++;
	if (role < 1 || role > MI_TIMER_COUNT)
		return MI_ERR_PARAM;
	if (!p->fw_timer_id[role]) {
		if (p->fw_n_timers >= p->fw_timers)
			return MI_ERR_CAPACITY;
		p->fw_timer_id[role] = (mi_u8)(p->fw_first_id + p->fw_n_timers++);
	}
	return p->fw_timer_id[role];
}

mi_u16 fake_fetch(struct mi_port *p, mi_u8 *out, mi_u16 cap)
{
	mi_u16 n = p->cmd_len;

	if (n > cap)
		n = cap;
	memcpy(out, p->cmd, n);
	p->cmd_len = 0;
	return n;
}
