/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_port.c
 *  The mi_port.h contract for the Cortex-M0 replay: files in a RAM arena
 *  (the microbit has 16 KB; the tail of FF bytes of a big file is not
 *  held), writes in place with an undo log so that a transaction costs
 *  what it costs on a card with a journal, not a copy of every file.
 *  Answers as the engine tests' fake port does (applet/tests/fake_port.c),
 *  so the replay sees what the host saw.
 */
#include <string.h>

#include "m0_harness.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"

#define M0_ARENA 8192u

static mi_u8 arena[M0_ARENA];
static mi_u16 arena_used;

mi_u8 *m0_port_file_room(struct mi_port *p, enum mi_file f, mi_u16 size, mi_u16 held)
{
	/* small files are held whole: the applet writes those */
	mi_u16 room = size <= 256u ? size : held;
	mi_u8 *d = arena + arena_used;

	if ((unsigned)f >= MI_FILE_COUNT || held > size || room > M0_ARENA - arena_used)
		return NULL;
	arena_used = (mi_u16)(arena_used + room);
	memset(d, 0xFF, room);
	p->file[f].size = size;
	p->file[f].held = room;
	p->file[f].data = d;
	return d;
}

mi_u32 m0_port_crc(const struct mi_port *p)
{
	static const mi_u8 ff[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
				     0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	mi_u32 crc = 0;
	unsigned f, n;

	for (f = 0; f < MI_FILE_COUNT; f++) {
		const struct m0_file *mf = &p->file[f];

		crc = mi_crc32(crc, mf->data, mf->held);
		for (n = mf->held; n < mf->size; n += 16u)
			crc = mi_crc32(crc, ff, (mi_u16)(mf->size - n < 16u ? mf->size - n : 16u));
	}
	return mi_crc32(crc, &p->keyset, 1);
}

int mi_port_file_read(struct mi_port *p, enum mi_file f, mi_u16 off, mi_u8 *buf, mi_u16 len)
{
	const struct m0_file *mf;
	mi_u16 n;

	if ((unsigned)f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	mf = &p->file[f];
	if ((unsigned)off + len > mf->size)
		return MI_ERR_RANGE;
	n = off >= mf->held ? 0 : (mi_u16)(mf->held - off < len ? mf->held - off : len);
	memcpy(buf, mf->data + off, n);
	memset(buf + n, 0xFF, (size_t)(len - n));
	return MI_OK;
}

int mi_port_file_write(struct mi_port *p, enum mi_file f, mi_u16 off, const mi_u8 *buf,
		       mi_u16 len)
{
	struct m0_file *mf;
	mi_u8 *u;

	if ((unsigned)f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	if (!p->in_txn)
		return MI_ERR_STATE;
	mf = &p->file[f];
	if ((unsigned)off + len > mf->size)
		return MI_ERR_RANGE;
	if ((unsigned)off + len > mf->held)
		m0_fail("a write past the bytes held of a big file (m0_port.c)");
	if (len + 5u > M0_UNDO_MAX - p->undo_len)
		m0_fail("a transaction larger than the undo log (M0_UNDO_MAX)");
	u = p->undo + p->undo_len;
	memcpy(u, mf->data + off, len);
	u[len] = (mi_u8)f;
	u[len + 1] = (mi_u8)(off >> 8);
	u[len + 2] = (mi_u8)off;
	u[len + 3] = (mi_u8)(len >> 8);
	u[len + 4] = (mi_u8)len;
	p->undo_len = (mi_u16)(p->undo_len + len + 5u);
	memcpy(mf->data + off, buf, len);
	return MI_OK;
}

mi_s32 mi_port_file_size(struct mi_port *p, enum mi_file f)
{
	if ((unsigned)f >= MI_FILE_COUNT || !p->file[f].size)
		return MI_ERR_NOT_FOUND;
	return p->file[f].size;
}

int mi_port_txn_begin(struct mi_port *p)
{
	if (p->in_txn)
		return MI_ERR_STATE;
	p->undo_len = 0;
	p->staged_keyset = p->keyset;
	p->in_txn = 1;
	return MI_OK;
}

int mi_port_txn_commit(struct mi_port *p)
{
	if (!p->in_txn)
		return MI_ERR_STATE;
	p->keyset = p->staged_keyset;
	p->in_txn = 0;
	p->commits++;
	return MI_OK;
}

/* Put the old bytes back, the last write first. */
void mi_port_txn_abort(struct mi_port *p)
{
	mi_u16 end = p->undo_len, off, len;
	const mi_u8 *t;

	while (p->in_txn && end >= 5u) {
		t = p->undo + end - 5u;
		off = (mi_u16)(t[1] << 8 | t[2]);
		len = (mi_u16)(t[3] << 8 | t[4]);
		end = (mi_u16)(end - 5u - len);
		memcpy(p->file[t[0]].data + off, p->undo + end, len);
	}
	p->undo_len = 0;
	p->in_txn = 0;
}

int mi_port_proactive_send(struct mi_port *p, const mi_u8 *cmd, mi_u16 len)
{
	if (p->cmd_len)
		return MI_ERR_BUSY;
	if (!len || len > sizeof(p->cmd))
		return MI_ERR_CAPACITY;
	memcpy(p->cmd, cmd, len);
	p->cmd_len = len;
	return MI_OK;
}

int mi_port_keyset_select(struct mi_port *p, mi_u8 keyset)
{
	if (!p->in_txn || keyset < 1 || keyset > p->n_keysets)
		return MI_ERR_NOT_FOUND;
	p->staged_keyset = keyset;
	return MI_OK;
}

void mi_port_panic(struct mi_port *p, mi_u16 code)
{
	(void)code;
	p->panics++;
}
