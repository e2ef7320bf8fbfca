/* SPDX-License-Identifier: Apache-2.0 */
/* Modem capabilities as data: names, TERMINAL PROFILE bits, defaults. */
#include <string.h>

#include "modem/sim_modem.h"

/* TERMINAL PROFILE bit of each capability (TS 102 223 §5.2): byte (1-based), bit b1..b8. */
static const struct {
	const char *name;
	uint32_t cap;
	uint8_t byte, bit;
} cap_table[] = {
    {"sms_pp_download", SIM_CAP_SMS_PP_DOWNLOAD, 1, 2},
    {"menu_selection", SIM_CAP_MENU_SELECTION, 1, 4},
    {"timer_expiration", SIM_CAP_TIMER_EXPIRATION, 1, 6},
    {"display_text", SIM_CAP_DISPLAY_TEXT, 3, 1},
    {"more_time", SIM_CAP_MORE_TIME, 3, 4},
    {"poll_interval", SIM_CAP_POLL_INTERVAL, 3, 6},
    {"polling_off", SIM_CAP_POLLING_OFF, 3, 7},
    {"refresh", SIM_CAP_REFRESH, 3, 8},
    {"select_item", SIM_CAP_SELECT_ITEM, 4, 1},
    {"set_up_menu", SIM_CAP_SET_UP_MENU, 4, 6},
    {"provide_local_info", SIM_CAP_PLI_LOCATION, 4, 7},
    {"set_up_event_list", SIM_CAP_SET_UP_EVENT_LIST, 5, 1},
    {"event_location_status", SIM_CAP_EVENT_LOCATION, 5, 5},
    {"timer_management", SIM_CAP_TIMER_MANAGEMENT, 8, 1},
    {"timer_get_value", SIM_CAP_TIMER_GET, 8, 2},
    {"pli_date_time", SIM_CAP_PLI_DATE_TIME, 8, 3},
    {"pli_access_technology", SIM_CAP_PLI_ACCESS_TECH, 9, 8},
    {"event_network_rejection_geran", SIM_CAP_EVENT_REJECT_GERAN, 25, 5},
    {"event_network_rejection", SIM_CAP_EVENT_REJECT_EUTRAN, 25, 7},
};

uint32_t sim_cap_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cap_table) / sizeof(cap_table[0]); i++)
		if (strcmp(cap_table[i].name, name) == 0)
			return cap_table[i].cap;
	return 0;
}

size_t sim_cap_terminal_profile(uint32_t caps, uint8_t *tp, size_t cap)
{
	size_t i, len = 0;

	memset(tp, 0, cap);
	tp[0] = 0x01; /* byte 1 b1: profile download (TS 102 223 §5.2) */
	len = 1;
	for (i = 0; i < sizeof(cap_table) / sizeof(cap_table[0]); i++) {
		size_t byte = cap_table[i].byte;

		if (!(caps & cap_table[i].cap) || byte > cap)
			continue;
		tp[byte - 1] |= (uint8_t)(1u << (cap_table[i].bit - 1));
		if (byte > len)
			len = byte;
	}
	return len;
}

void sim_modem_profile_default(struct sim_modem_profile *p)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->name, "rel99");
	p->caps = SIM_CAP_MENU_SELECTION | SIM_CAP_TIMER_EXPIRATION | SIM_CAP_DISPLAY_TEXT |
		  SIM_CAP_MORE_TIME | SIM_CAP_POLL_INTERVAL | SIM_CAP_POLLING_OFF |
		  SIM_CAP_REFRESH | SIM_CAP_SELECT_ITEM | SIM_CAP_SET_UP_MENU |
		  SIM_CAP_PLI_LOCATION | SIM_CAP_SET_UP_EVENT_LIST | SIM_CAP_EVENT_LOCATION |
		  SIM_CAP_TIMER_MANAGEMENT | SIM_CAP_TIMER_GET | SIM_CAP_PLI_DATE_TIME |
		  SIM_CAP_PLI_ACCESS_TECH;
	p->tp_len = sim_cap_terminal_profile(p->caps, p->tp, sizeof(p->tp));
	p->refresh = SIM_REFRESH_ACCEPT;
	p->attach_extra_s = 0;
	p->search_s = 2;
	p->status_poll_s = 30; /* TS 102 221 §14.5.2 */
	p->retry_s = 60;
	p->psm_active_s = 0;
	p->psm_sleep_s = 0;
	p->rat = SIM_RAT_EUTRAN;
}
