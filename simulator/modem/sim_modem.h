/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_modem.h
 *  The virtual modem (ME): it speaks only APDUs to the card through
 *  sim_card_transmit(), handles 61xx / 6Cxx / 91xx like a real ME, runs the
 *  CAT loop (FETCH, TERMINAL RESPONSE, TIMER MANAGEMENT timers in virtual
 *  time, event downloads, STATUS polls), selects a PLMN as TS 23.122 §4.4.3
 *  says, authenticates with AUTHENTICATE and registers on the virtual network.
 *  What the modem can do comes from a profile (data), so quirks of real
 *  modems are journeys, not code paths.
 */
#ifndef MIMSI_SIM_MODEM_H
#define MIMSI_SIM_MODEM_H

#include <stddef.h>
#include <stdint.h>

#include "mimsi/mi_plmn.h"
#include "net/sim_evq.h"
#include "net/sim_hss.h"
#include "net/sim_net.h"
#include "sim_card.h"
#include "modem/sim_modem_sms.h"

#define SIM_TP_MAX 32
#define SIM_MODEM_MAX_LIST 32
#define SIM_MODEM_TIMERS 8 /* TS 102 223 §8.37: timer identifiers 1..8 */
#define SIM_MODEM_MENU_MAX 16
#define SIM_MODEM_FX_MAX 4 /* effects pending at once (one is the most used) */

/* Capabilities a modem profile lists; each maps to TERMINAL PROFILE bits. */
enum sim_cap {
	SIM_CAP_MENU_SELECTION = 1u << 0,
	SIM_CAP_TIMER_EXPIRATION = 1u << 1,
	SIM_CAP_DISPLAY_TEXT = 1u << 2,
	SIM_CAP_MORE_TIME = 1u << 3,
	SIM_CAP_POLL_INTERVAL = 1u << 4,
	SIM_CAP_POLLING_OFF = 1u << 5,
	SIM_CAP_REFRESH = 1u << 6,
	SIM_CAP_SELECT_ITEM = 1u << 7,
	SIM_CAP_SET_UP_MENU = 1u << 8,
	SIM_CAP_PLI_LOCATION = 1u << 9,
	SIM_CAP_SET_UP_EVENT_LIST = 1u << 10,
	SIM_CAP_EVENT_LOCATION = 1u << 11,
	SIM_CAP_TIMER_MANAGEMENT = 1u << 12,
	SIM_CAP_TIMER_GET = 1u << 13,
	SIM_CAP_PLI_DATE_TIME = 1u << 14,
	SIM_CAP_PLI_ACCESS_TECH = 1u << 15,
	SIM_CAP_SMS_PP_DOWNLOAD = 1u << 16,
	SIM_CAP_EVENT_REJECT_GERAN = 1u << 17, /* network rejection, GERAN/UTRAN (25,b5) */
	SIM_CAP_EVENT_REJECT_EUTRAN = 1u << 18 /* network rejection, E-UTRAN (25,b7) */
};

/* Access technology of the modem's registrations (TS 102 223 §8.61). */
#define SIM_RAT_UTRAN 0x03
#define SIM_RAT_EUTRAN 0x08

/* Update/attach type (TS 31.111 §8.92). */
#define SIM_UPD_GPRS_ATTACH 0x03
#define SIM_UPD_RA_UPDATING 0x05
#define SIM_UPD_EPS_ATTACH 0x09
#define SIM_UPD_TA_UPDATING 0x0B

/*! A network rejection as the ME saw it (the contents of the event). */
struct sim_reject {
	struct mi_plmn plmn;
	uint16_t lac;	  /*!< LAC (UTRAN) or TAC (E-UTRAN) */
	uint8_t rac;	  /*!< routing area code (UTRAN only) */
	uint8_t rat;	  /*!< SIM_RAT_* */
	uint8_t upd_type; /*!< SIM_UPD_* */
	uint8_t cause;	  /*!< EMM/MM cause (TS 24.301 §9.9.3.9, TS 24.008 §10.5.3.6) */
};

/*! Encode the EVENT DOWNLOAD - Network Rejection envelope (event 12,
 *  TS 31.111 §7.5.2, contents §7.5.2.2): event list, device
 *  identities terminal -> UICC, tracking area identification 7D (E-UTRAN)
 *  or routing area identification 73 (UTRAN), access technology 3F,
 *  update/attach type 74, rejection cause code 75.
 *  \returns the length, or 0 if \a cap is too small or the PLMN invalid. */
size_t sim_modem_reject_envelope(const struct sim_reject *r, uint8_t *out, size_t cap);

/*! \returns the capability bit named \a name ("refresh", "timer_management"...), or 0. */
uint32_t sim_cap_from_name(const char *name);
/*! Build the TERMINAL PROFILE bytes for \a caps (TS 102 223 §5.2). \returns length. */
size_t sim_cap_terminal_profile(uint32_t caps, uint8_t *tp, size_t cap);

/*! What the modem does with REFRESH. */
enum sim_refresh_mode {
	SIM_REFRESH_ACCEPT = 0,	 /*!< as the spec says: reset / NAA init / re-read files */
	SIM_REFRESH_BUSY,	 /*!< answers 20 (currently unable) every time */
	SIM_REFRESH_UNSUPPORTED, /*!< answers 30 (beyond capabilities) */
	SIM_REFRESH_DEFERRED	 /*!< answers 00 but keeps the old IMSI until the next reset */
};

struct sim_modem_profile {
	char name[32];
	uint32_t caps;		/*!< enum sim_cap bits */
	uint8_t tp[SIM_TP_MAX]; /*!< TERMINAL PROFILE sent */
	size_t tp_len;
	enum sim_refresh_mode refresh;
	uint8_t refresh_refuse; /*!< bit q: REFRESH qualifier q answered 30 (beyond
				     capabilities), the others as \a refresh says */
	int attach_extra_s; /*!< added to every registration attempt (slow attach) */
	int search_s;	    /*!< radio scan before the first attempt */
	int status_poll_s;  /*!< STATUS period while awake (TS 102 221 §14.5.2: 30 s) */
	int retry_s;	    /*!< new PLMN search period without normal service */
	int psm_active_s;   /*!< PSM: awake this long after registering ... */
	int psm_sleep_s;    /*!< ... then asleep this long (0 = no PSM) */
	int periodic_s; /*!< periodic registration with authentication (T3212/T3412), 0 = none */
	uint8_t rat; /*!< SIM_RAT_EUTRAN (default) or SIM_RAT_UTRAN: the form of a reject event */
	int forget_forbidden; /*!< quirk: keeps no forbidden PLMN/LA lists, so a rejecting
				    PLMN is tried (and reported) again at every search */
};

void sim_modem_profile_default(struct sim_modem_profile *p);

enum sim_service {
	SIM_SVC_OFF = 0,   /*!< modem or card powered off */
	SIM_SVC_SEARCHING, /*!< selecting / attaching: no service yet, nothing reported */
	SIM_SVC_NONE,	   /*!< no PLMN visible */
	SIM_SVC_LIMITED,   /*!< PLMNs visible, none accepted us */
	SIM_SVC_NORMAL	   /*!< registered */
};

/* Event types the modem queues (the runner passes them back). */
enum sim_modem_ev {
	SIM_EV_MODEM_POLL = 100,
	SIM_EV_MODEM_TIMER,  /* a = timer id */
	SIM_EV_MODEM_ATTACH, /* registration attempt concludes */
	SIM_EV_MODEM_SEARCH, /* new PLMN search without service */
	SIM_EV_MODEM_SLEEP,
	SIM_EV_MODEM_WAKE,
	SIM_EV_MODEM_RETRY,   /* re-send envelopes the card answered 9300 */
	SIM_EV_MODEM_PERIODIC, /* periodic registration update */
	SIM_EV_MODEM_SMS       /* a = inbox slot: SMS-PP from the network (sim_modem_sms.h) */
};

/*! Calls out of the modem; any may be NULL. */
struct sim_modem_hooks {
	void *ctx;
	/*! One APDU exchange as it crossed the interface (for the pcap). */
	void (*apdu)(void *ctx, const uint8_t *cmd, size_t cmd_len, const uint8_t *resp,
		     size_t resp_len);
	/*! A line for the timeline: proactive commands, rejections, resets. */
	void (*note)(void *ctx, const char *text);
	/*! The PoR of OTA message \a msg, as the SMS-DELIVER-REPORT carries it
	 *  back to the network (NULL: nobody listens). */
	void (*por)(void *ctx, int msg, const uint8_t *por, size_t len);
};

struct sim_modem_timer {
	int active;
	sim_time_t expiry;
	uint32_t value_s;
	uint32_t gen;
};

struct sim_modem {
	const struct sim_modem_profile *prof;
	struct sim_card *card;
	struct sim_net *net;
	struct sim_hss *hss;
	struct sim_evq *q;
	struct sim_modem_hooks hooks;

	int powered;
	int asleep;
	int initialised;   /* USIM init done: files read */
	int sim_invalid;   /* authentication rejected: no attempts until reset */
	int fetch_pending; /* card said 91xx */
	uint8_t fetch_len;
	char imsi[16]; /* the IMSI the ME uses (read at init / REFRESH) */
	uint8_t mnc_len;
	struct mi_plmn hplmn; /* home: the first EHPLMN if any, else from the IMSI */
	int n_ehplmn;	      /* EF_EHPLMN entries (TS 31.102 §4.2.84), all "home" */
	struct mi_plmn ehplmn[SIM_MODEM_MAX_LIST];
	int n_fplmn;
	struct mi_plmn fplmn[SIM_MODEM_MAX_LIST];
	int fplmn_ef_len; /* EF_FPLMN size for writing rejected PLMNs */
	int n_oplmn;
	struct mi_plmn oplmn[SIM_MODEM_MAX_LIST];
	int have_rplmn;
	struct mi_plmn rplmn; /* last registered PLMN (EF_LOCI, TS 23.122 §4.4.3.1.1) */

	enum sim_service svc;
	int plmn; /* registered PLMN (NORMAL) or camped (LIMITED), -1 */
	int cand[SIM_NET_MAX_PLMNS];
	int n_cand, next_cand, attempt;
	uint32_t sel_gen; /* invalidates queued ATTACH / SEARCH events */
	uint32_t tmsi;
	int attached;		    /* registered with the current IMSI: next one is an update */
	int n_fla;		    /* forbidden LAs/TAs for roaming (#13), by PLMN index */
	int fla[SIM_NET_MAX_PLMNS]; /* kept in the ME, cleared with a new IMSI (TS 24.008 §4.4.1) */
	uint8_t rej_env[32];	    /* a rejection envelope the card answered 9300 */
	size_t rej_env_len;

	/* CAT */
	int ev_location; /* SET UP EVENT LIST holds location status (03) */
	int ev_reject;	 /* SET UP EVENT LIST holds network rejection (12) */
	uint16_t env_sw; /* status word of the last ENVELOPE */
	int rep_status;	 /* last location status reported: -1 none, 0/1/2 */
	int rep_plmn;
	int poll_s;
	uint32_t poll_gen;
	uint32_t psm_gen;
	struct sim_modem_timer timers[SIM_MODEM_TIMERS + 1];
	uint32_t timers_due; /* bit id: expired, envelope not yet accepted */
	int menu_n;
	uint8_t menu_ids[SIM_MODEM_MENU_MAX];
	int select_choice; /* SELECT ITEM answer queued by the journey, 0 = none */
	int retry_queued;
	int in_cat;    /* inside the FETCH loop: nested callers leave it to drain */
	int net_dirty; /* coverage changed while asleep */
	char pin[9];   /* PIN1 if enabled (secret: never logged) */

	/* counters */
	unsigned long apdus;
	unsigned long refreshes;
	unsigned long proactive;
	unsigned long imsi_changes;
	unsigned long rejects;	     /* registration rejects received */
	unsigned long reject_events; /* NETWORK REJECTION envelopes the card accepted */
	int last_refresh_result;
	struct sim_modem_sms sms; /* SMS-PP data download (OTA) */

	/* effects one part of the modem posts for another (sim_modem_int.h);
	 * fx keeps its events in fx_buf: a modem is not copied once initialised */
	struct sim_evq fx;
	struct sim_event fx_buf[SIM_MODEM_FX_MAX];
	struct sim_reject rej; /* the registration reject SIM_FX_REJECTED reports */
};

void sim_modem_init(struct sim_modem *m, const struct sim_modem_profile *prof,
		    struct sim_card *card, struct sim_net *net, struct sim_hss *hss,
		    struct sim_evq *q, const struct sim_modem_hooks *hooks);
/*! Power the card, initialise the USIM, start CAT and PLMN selection. \returns 0 or -1. */
int sim_modem_power_on(struct sim_modem *m);
void sim_modem_power_off(struct sim_modem *m);
/*! Coverage changed (country entered, PLMN up or down): re-evaluate. */
void sim_modem_net_changed(struct sim_modem *m);
/*! A modem event popped from the queue. */
void sim_modem_event(struct sim_modem *m, const struct sim_event *ev);
/*! The user picks menu item \a item; \a select answers a following SELECT ITEM. */
int sim_modem_menu(struct sim_modem *m, int item, int select);
/*! Read a whole transparent EF by path from the MF (FIDs, 7FFF = ADF.USIM)
 *  through APDUs. \returns bytes read or -1. */
int sim_modem_read_ef(struct sim_modem *m, const uint16_t *path, int n, uint8_t *buf, size_t cap);

#endif /* MIMSI_SIM_MODEM_H */
