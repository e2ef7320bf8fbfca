/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_port_template.c
 *  Skeleton of a card-OS port of the mimsi applet core (docs/porting.md).
 *
 *  Copy this file into your card OS, replace every "VENDOR:" part with the
 *  OS's own calls, and keep the contract of mi_port.h:
 *   - file access by role (enum mi_file), never by path inside the core;
 *   - writes only inside a transaction; commit makes all of them durable at
 *     once or none (Java Card JCSystem.beginTransaction/commitTransaction);
 *   - one proactive command pending at a time, copied by the port;
 *   - panic for broken invariants only (never for bad input).
 *
 *  Toolkit resources: on a plain card the core sends SET UP EVENT LIST and
 *  SET UP MENU itself and the four toolkit functions at the end are never
 *  called (build the core with MI_PORT_TOOLKIT = MI_TOOLKIT_APPLET, the
 *  default). On a UICC toolkit card (ETSI TS 102 241) the framework owns
 *  them: build with -DMI_PORT_TOOLKIT=MI_TOOLKIT_FRAMEWORK and fill those
 *  four in (docs/porting.md §8).
 *
 *  This skeleton compiles and links with the core as it is, in every mode
 *  (applet/tests/check_template_port.sh): every file is "not found", so the
 *  core runs in safe mode and never switches. It is NOT a port until the
 *  VENDOR parts are filled in.
 */
#include "mimsi/mi_applet.h"
#include "mimsi/mi_ef.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_port.h"

/* VENDOR: the port context. The core only passes a pointer to it; put
 * here whatever the OS needs: file handles, the transaction state, the
 * buffer the FETCH handler reads the proactive command from. */
struct mi_port {
	mi_u8 in_txn;			  /*!< a transaction is open */
	mi_u8 keyset;			  /*!< key set AUTHENTICATE uses (applies at commit) */
	mi_u8 staged_keyset;		  /*!< key set chosen inside the open transaction */
	mi_u8 cmd[MI_PROACTIVE_BUF + 3u]; /*!< proactive command for the next FETCH */
	mi_u16 cmd_len;			  /*!< 0: none pending */
	mi_u16 panic_code;		  /*!< last panic, for the OS log */
	/* framework-owned toolkit resources (MI_TOOLKIT_FRAMEWORK / _RUNTIME) */
	mi_u8 fw_toolkit;		      /*!< the framework owns them (mi_port_caps) */
	mi_u8 menu_item;		      /*!< item identifier of the applet's menu entry */
	mi_u8 timer_id[MI_TIMER_COUNT + 1u]; /*!< per role 1..4: allocateTimer()'s id, 0 none */
};

/* VENDOR: map each role to your file handle. mi_ef_file_path() gives the
 * standard path: USIM files under the current ADF (7FFF), the applet's files
 * under DF.MIMSI 7F4D (FIDs in mi_ef.h). A card without EF_EPSLOCI, say,
 * or without DF_5GS, returns MI_ERR_NOT_FOUND for it: the core skips
 * every missing USIM file (the switch's file table, mi_switch.c). */
static int port_lookup(enum mi_file file, mi_u16 path[3])
{
	if ((unsigned)file >= (unsigned)MI_FILE_COUNT)
		return MI_ERR_NOT_FOUND;
	/* 2 FIDs, or 3 for the DF_5GS files (7FFF 5FC0 4Fxx) */
	return mi_ef_file_path((int)file, path) > 0 ? MI_OK : MI_ERR_NOT_FOUND;
}

int mi_port_file_read(struct mi_port *port, enum mi_file file, mi_u16 offset, mi_u8 *buf,
		      mi_u16 len)
{
	mi_u16 path[3];
	int rc = port_lookup(file, path);

	(void)port;
	(void)offset;
	(void)buf;
	(void)len;
	if (rc < 0)
		return rc;
	/* VENDOR: select path[0]/path[1] (no change of the terminal's current
	 * file!) and read len bytes at offset; inside a transaction the read
	 * must see the writes staged so far. Beyond the file size:
	 * MI_ERR_RANGE. */
	return MI_ERR_NOT_FOUND;
}

int mi_port_file_write(struct mi_port *port, enum mi_file file, mi_u16 offset, const mi_u8 *buf,
		       mi_u16 len)
{
	mi_u16 path[3];
	int rc = port_lookup(file, path);

	(void)offset;
	(void)buf;
	(void)len;
	if (rc < 0)
		return rc;
	if (!port->in_txn)
		return MI_ERR_STATE; /* the core always writes inside a transaction */
	/* VENDOR: stage the write in the OS transaction (Java Card: an update
	 * of a transient-free persistent array inside beginTransaction), or
	 * MI_ERR_NV when the journal is full. */
	return MI_ERR_NOT_FOUND;
}

mi_s32 mi_port_file_size(struct mi_port *port, enum mi_file file)
{
	mi_u16 path[3];
	int rc = port_lookup(file, path);

	(void)port;
	if (rc < 0)
		return rc;
	/* VENDOR: the EF's size from its FCP (TS 102 221 §11.1.1.4.1). */
	return MI_ERR_NOT_FOUND;
}

int mi_port_txn_begin(struct mi_port *port)
{
	if (port->in_txn)
		return MI_ERR_STATE; /* the core never nests */
	/* VENDOR: open the OS transaction. */
	port->in_txn = 1;
	port->staged_keyset = port->keyset;
	return MI_OK;
}

int mi_port_txn_commit(struct mi_port *port)
{
	if (!port->in_txn)
		return MI_ERR_STATE;
	/* VENDOR: commit; if the OS reports a failure return MI_ERR_NV (the
	 * core then calls mi_port_txn_abort and keeps its old state). */
	port->keyset = port->staged_keyset;
	port->in_txn = 0;
	return MI_OK;
}

void mi_port_txn_abort(struct mi_port *port)
{
	/* VENDOR: roll the OS transaction back. */
	port->staged_keyset = port->keyset;
	port->in_txn = 0;
}

int mi_port_proactive_send(struct mi_port *port, const mi_u8 *cmd, mi_u16 len)
{
	mi_u16 k;

	if (port->cmd_len)
		return MI_ERR_BUSY; /* the core retries on a later event */
	if (!len || len > sizeof(port->cmd))
		return MI_ERR_CAPACITY;
	/* The core reuses its buffer: copy. VENDOR: answer the next APDU with
	 * 91xx (xx = len) and return the bytes on FETCH (TS 102 221 §14.6.3),
	 * or, on Java Card, hand them to ProactiveHandler. */
	for (k = 0; k < len; k++)
		port->cmd[k] = cmd[k];
	port->cmd_len = len;
	return MI_OK;
}

int mi_port_keyset_select(struct mi_port *port, mi_u8 keyset)
{
	if (!port->in_txn)
		return MI_ERR_STATE;
	/* VENDOR: check that K/OPc set `keyset` exists (else MI_ERR_NOT_FOUND)
	 * and make AUTHENTICATE use it once the transaction commits. */
	port->staged_keyset = keyset;
	return MI_OK;
}

void mi_port_panic(struct mi_port *port, mi_u16 code)
{
	/* VENDOR: log the code (never a secret) and mute the applet until the
	 * next reset. Returning is allowed: the core abandons the event. */
	port->panic_code = code;
}

/* ---- toolkit resources owned by the framework (mi_port.h) -------------
 * Called only when the core is built with MI_PORT_TOOLKIT set to
 * MI_TOOLKIT_FRAMEWORK (never mi_port_caps) or MI_TOOLKIT_RUNTIME. */

mi_u8 mi_port_caps(struct mi_port *port)
{
	/* VENDOR: a UICC toolkit card: MI_PORT_CAP_FW_TOOLKIT. */
	return port->fw_toolkit ? MI_PORT_CAP_FW_TOOLKIT : 0u;
}

int mi_port_events_register(struct mi_port *port, const mi_u8 *events, mi_u8 n)
{
	mi_u8 k;

	(void)port;
	for (k = 0; k < n; k++) {
		/* VENDOR: ToolkitRegistry.setEvent() for each code (TS 102 223
		 * §8.25): 03 -> EVENT_EVENT_DOWNLOAD_LOCATION_STATUS, 12 ->
		 * EVENT_EVENT_DOWNLOAD_NETWORK_REJECTION (3GPP TS 31.130), and
		 * clearEvent() for the one not in the list. The framework then
		 * sends SET UP EVENT LIST itself; route those events to
		 * mi_applet_envelope() from processToolkit(). */
		if (events[k] != 0x03u && events[k] != 0x12u)
			return MI_ERR_UNSUPPORTED;
	}
	return MI_OK;
}

int mi_port_menu_register(struct mi_port *port, const mi_u8 *text, mi_u8 len)
{
	(void)text;
	(void)len;
	/* VENDOR: the entry comes from the INSTALL parameters (one menu entry,
	 * mimsi-card install-params); at install initMenuEntry() returned its
	 * identifier into port->menu_item. Here: changeMenuEntry() with the
	 * text if it differs, enableMenuEntry(), and return the identifier. No
	 * entry (refused at install): MI_ERR_UNSUPPORTED, the core offers no
	 * menu. */
	if (!port->menu_item)
		return MI_ERR_UNSUPPORTED;
	return port->menu_item;
}

int mi_port_timer_id(struct mi_port *port, mi_u8 role)
{
	if (role < 1u || role > MI_TIMER_COUNT)
		return MI_ERR_PARAM;
	if (!port->timer_id[role]) {
		/* VENDOR: ToolkitRegistry.allocateTimer(); on
		 * ToolkitException.NO_TIMER_AVAILABLE return MI_ERR_CAPACITY
		 * (the INSTALL granted fewer timers than the 4 roles: the core
		 * then keeps time by STATUS polls). The id persists like the
		 * registry: the same one at every later call. */
		return MI_ERR_CAPACITY;
	}
	return port->timer_id[role];
}
