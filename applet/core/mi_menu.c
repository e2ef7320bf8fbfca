/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_menu.c
 *  Manual choice: SET UP MENU offers one item; choosing it brings SELECT
 *  ITEM with "Automatic" and one item per enabled slot. A chosen slot is
 *  pinned (no automatic switch) until the user picks "Automatic".
 */
#include "mi_apply_int.h"
#include "mi_cat_int.h"
#include "mi_menu_int.h"
#include "mi_nv_int.h"
#include "mi_switch_int.h"
#include "mi_toolkit_int.h"

/* MENU SELECTION envelope (D3, TS 102 223 §7.2): keypad -> UICC, item id. */
int mi_menu_selection(struct mi_applet *a, const struct mi_tlvs *t)
{
	struct mi_ram *r = a->ram;

	if (!mi_cat_dev_is(t, MI_DEV_KEYPAD, MI_DEV_UICC) || !t->v[MI_T_ITEM])
		return MI_ERR_TAG;
	if (t->l[MI_T_ITEM] != 1u)
		return MI_ERR_LENGTH;
	if (!MI_TK_ITEM_OK(a, t->v[MI_T_ITEM][0]))
		return MI_ERR_RANGE; /* not our entry */
	if (!(r->cfg.flags & MI_CFG_F_MENU) || !(r->caps & MI_CAP_SETUP_MENU))
		return MI_ERR_STATE; /* no menu was set up */
	if (!(r->caps & MI_CAP_SELECT_ITEM))
		return MI_ERR_UNSUPPORTED;
	if (t->v[MI_T_HELP])
		return MI_OK; /* help request: no help text to give */
	r->queue |= MI_Q_SELECT;
	return MI_OK;
}

/* Item identifier of a SELECT ITEM response (§8.10): "Automatic" or an
 * enabled slot. \returns the item or a negative mi_err (nothing changed). */
int mi_menu_item(struct mi_applet *a, const struct mi_tlvs *t)
{
	mi_u8 item;

	if (!t->v[MI_T_ITEM])
		return MI_ERR_TAG;
	if (t->l[MI_T_ITEM] != 1u)
		return MI_ERR_LENGTH;
	item = t->v[MI_T_ITEM][0];
	if (item == MI_ITEM_AUTO)
		return item;
	if (item < 1u || item > MI_MAX_SLOTS || !(a->ram->enabled & MI_BIT(item)))
		return MI_ERR_RANGE;
	return item;
}

/* Pin the chosen slot (switching to it), or return to automatic. */
int mi_menu_choose(struct mi_applet *a, mi_u8 item)
{
	struct mi_nv nv = *a->nv;

	if (item == MI_ITEM_AUTO)
		return mi_event_in(a, MI_EV(MI_EV_AUTO, 0), 0, 0); /* unpinned, looked at again */
	nv.pinned_slot = item;
	nv.failed = 0;
	if (item != nv.active_slot)
		return mi_switch(a, item, &nv);
	return mi_nv_commit(a, &nv);
}
