/* SPDX-License-Identifier: Apache-2.0 */
/*! \file test_decide.c
 *  The pure decision unit alone (mi_decide.c with mi_choice.c): linked with
 *  no port and no NV code at all (applet/module.mk), fed the state, the
 *  rules view and an event from the vectors of test-vectors/decide/ (JSON)
 *  and checked on the whole decision: the slot, optional or not, the timers
 *  stopped and started, the commands owed, the failover state and every
 *  field of the new persistent state (test-vectors/README.md, "decide/").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "mi_decide_int.h"
#include "mimsi/mi_plmn.h"

#define DECIDE_DIR "test-vectors/decide/"

static const char *const files[] = {"mandatory.json", "optional.json", "failover.json",
				    "no-service.json", "timers.json"};

/* One case's context, for the messages. */
static char where[256];

static void fail_at(const char *what, const char *key)
{
	print_error("%s: %s '%s'\n", where, what, key);
	fail();
}

/* Every key of \a o must be one of \a keys (a typo never passes silently). */
static void only_keys(json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		fail_at("not an object:", "");
	json_object_foreach(o, k, v)
	{
		for (i = 0; keys[i] && strcmp(keys[i], k) != 0; i++)
			;
		if (!keys[i])
			fail_at("unknown key", k);
	}
}

/* The value of \a name in \a names (NULL-terminated), as table \a vals says. */
static unsigned word(const char *name, const char *const *names, const unsigned *vals)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return vals[i];
	fail_at("unknown word", name);
	return 0;
}

/* An array of words ORed together, or of slot numbers as a bitmap. */
static unsigned words(json_t *a, const char *const *names, const unsigned *vals)
{
	unsigned m = 0;
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		fail_at("not an array:", "");
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v))
			fail_at("not a word:", "");
		m |= word(json_string_value(v), names, vals);
	}
	return m;
}

static mi_u16 slots(json_t *a)
{
	mi_u16 m = 0;
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		fail_at("not an array of slots:", "");
	json_array_foreach(a, i, v)
	{
		json_int_t s = json_integer_value(v);

		if (!json_is_integer(v) || s < 1 || s > MI_MAX_SLOTS)
			fail_at("not a slot number:", "");
		m = (mi_u16)(m | MI_BIT((unsigned)s));
	}
	return m;
}

static unsigned num(json_t *v, unsigned max)
{
	json_int_t n = json_integer_value(v);

	if (!json_is_integer(v) || n < 0 || (json_int_t)max < n)
		fail_at("number out of range:", "");
	return (unsigned)n;
}

/* "262-01" into the 3 bytes of TS 24.008 §10.5.1.13; *mcc its MCC. */
static void plmn(json_t *v, mi_u8 out[3], mi_u16 *mcc)
{
	const char *s = json_string_value(v);
	struct mi_plmn p;

	if (!s || mi_plmn_parse(s, (mi_u16)strlen(s), &p) < 0 || mi_plmn_encode(&p, out, 3) != 3)
		fail_at("not a PLMN:", s ? s : "");
	if (mcc)
		*mcc = p.mcc;
}

static const char *const timer_names[] = {"rotate", "dwell", "retry", "reeval", NULL};
static const unsigned timer_ids[] = {MI_TIMER_ROTATE, MI_TIMER_DWELL, MI_TIMER_RETRY,
				     MI_TIMER_REEVAL};
static const unsigned timer_bits[] = {1u, 2u, 4u, 8u};
static const char *const fo_names[] = {"pli", "lock", NULL};
static const unsigned fo_vals[] = {MI_FO_PLI, MI_FO_LOCK};
static const char *const svc_names[] = {"normal", "limited", "none", "unknown", NULL};
static const unsigned svc_vals[] = {MI_SERVICE_NORMAL, MI_SERVICE_LIMITED, MI_SERVICE_NONE,
				    MI_SERVICE_UNKNOWN};

/* The RAM facts a decision reads. */
static void ram_read(json_t *o, struct mi_ram *r)
{
	static const char *const keys[] = {"mode", "cfg",	"failover_max", "service", "plmn",
					   "caps", "slots",	"bootstrap",	"timers",  "fo",
					   "now",  "fo_window", "refresh_owed", NULL};
	static const char *const cfg_names[] = {"naive", "failover", "menu", "return_home", NULL};
	static const unsigned cfg_vals[] = {MI_CFG_F_NAIVE, MI_CFG_F_FAILOVER, MI_CFG_F_MENU,
					    MI_CFG_F_RETURN_HOME};
	static const char *const cap_names[] = {"refresh", "pli",	 "events",
						"timer",   "net_reject", NULL};
	static const unsigned cap_vals[] = {MI_CAP_REFRESH, MI_CAP_PLI, MI_CAP_EVENTS, MI_CAP_TIMER,
					    MI_CAP_NET_REJECT};
	static const char *const mode_names[] = {"rules", "safe", NULL};
	static const unsigned mode_vals[] = {MI_MODE_RULES, MI_MODE_SAFE};
	json_t *v;
	unsigned t;

	only_keys(o, keys);
	if ((v = json_object_get(o, "mode")))
		r->mode = (mi_u8)word(json_string_value(v), mode_names, mode_vals);
	if ((v = json_object_get(o, "cfg")))
		r->cfg.flags = (mi_u8)words(v, cfg_names, cfg_vals);
	if ((v = json_object_get(o, "failover_max")))
		r->cfg.failover_max_per_hour = (mi_u8)num(v, 255);
	if ((v = json_object_get(o, "service")))
		r->service = (mi_u8)word(json_string_value(v), svc_names, svc_vals);
	if ((v = json_object_get(o, "plmn")))
		plmn(v, r->plmn, NULL);
	if ((v = json_object_get(o, "caps")))
		r->caps = (mi_u8)words(v, cap_names, cap_vals);
	if ((v = json_object_get(o, "slots")))
		r->enabled = slots(v);
	if ((v = json_object_get(o, "bootstrap")))
		r->bootstrap = slots(v);
	if ((v = json_object_get(o, "now")))
		r->now_s = num(v, 0x7FFFFFFFu);
	if ((v = json_object_get(o, "fo_window")))
		r->fo_window = num(v, 0x7FFFFFFFu);
	if ((v = json_object_get(o, "timers"))) { /* running: due in 100 s */
		t = words(v, timer_names, timer_bits);
		for (unsigned k = 0; k < MI_TIMER_COUNT; k++)
			r->deadline[k] = (t & (1u << k)) ? r->now_s + 100u : 0u;
	}
	if ((v = json_object_get(o, "fo")))
		r->fo_armed = (mi_u8)words(v, fo_names, fo_vals);
	if ((v = json_object_get(o, "refresh_owed")))
		r->refresh_qual = json_is_true(v) ? 0x04u : MI_REFRESH_NONE;
}

/* The persistent state, field by field (names of docs/applet.md). */
static void state_read(json_t *o, struct mi_nv *nv)
{
	static const char *const keys[] = {"active",   "prev",	   "pinned", "failed",
					   "last_mcc", "flags",	   "bounce", "round",
					   "fo_count", "switches", NULL};
	static const char *const flag_names[] = {"unverified", "dwell", "probe", NULL};
	static const unsigned flag_vals[] = {MI_NV_F_UNVERIFIED, MI_NV_F_DWELL, MI_NV_F_PROBE};
	json_t *v;

	only_keys(o, keys);
	if ((v = json_object_get(o, "active")))
		nv->active_slot = (mi_u8)num(v, MI_MAX_SLOTS);
	if ((v = json_object_get(o, "prev")))
		nv->prev_slot = (mi_u8)num(v, MI_MAX_SLOTS);
	if ((v = json_object_get(o, "pinned")))
		nv->pinned_slot = (mi_u8)num(v, MI_MAX_SLOTS);
	if ((v = json_object_get(o, "failed")))
		nv->failed = slots(v);
	if ((v = json_object_get(o, "last_mcc")))
		nv->last_mcc = json_is_null(v) ? MI_MCC_NONE : (mi_u16)num(v, 999);
	if ((v = json_object_get(o, "flags")))
		nv->flags = (mi_u8)((nv->flags & (MI_NV_BOUNCE | MI_NV_ROUND)) |
				    words(v, flag_names, flag_vals));
	if ((v = json_object_get(o, "bounce")))
		nv->flags = (mi_u8)((nv->flags & ~MI_NV_BOUNCE) | num(v, 3) << MI_NV_BOUNCE_SHIFT);
	if ((v = json_object_get(o, "round")))
		nv->flags = (mi_u8)((nv->flags & ~MI_NV_ROUND) | num(v, 3) << MI_NV_ROUND_SHIFT);
	if ((v = json_object_get(o, "fo_count")))
		nv->fo_count = (mi_u8)num(v, 255);
	if ((v = json_object_get(o, "switches")))
		nv->switches = (mi_u16)num(v, 65535);
}

static void profile_read(json_t *o, struct mi_profile *p)
{
	static const char *const keys[] = {"pref", "forbid", NULL};
	json_t *v;
	size_t i;

	only_keys(o, keys);
	memset(p, 0, sizeof(*p));
	if ((v = json_object_get(o, "pref"))) {
		if (!json_is_array(v) || json_array_size(v) > MI_MAX_SLOTS)
			fail_at("pref:", "not a list of at most 10 slots");
		for (i = 0; i < json_array_size(v); i++)
			p->pref[p->n_pref++] = (mi_u8)num(json_array_get(v, i), MI_MAX_SLOTS);
	}
	if ((v = json_object_get(o, "forbid")))
		p->forbidden = slots(v);
}

static mi_u8 ev_plmn[3];

static void event_read(json_t *o, struct mi_event *e)
{
	static const char *const keys[] = {"location", "plmn", "pli", "reject",
					   "timer",    "menu", NULL};
	json_t *v, *p = json_object_get(o, "plmn");

	only_keys(o, keys);
	memset(e, 0, sizeof(*e));
	if ((v = json_object_get(o, "location"))) {
		e->kind = MI_EV_LOCATION;
		e->arg = (mi_u8)word(json_string_value(v), svc_names, svc_vals);
	} else if ((v = json_object_get(o, "pli"))) {
		e->kind = MI_EV_PLI;
		p = v;
	} else if ((v = json_object_get(o, "reject"))) {
		e->kind = MI_EV_REJECT;
		e->arg = (mi_u8)num(v, 255);
	} else if ((v = json_object_get(o, "timer"))) {
		e->kind = MI_EV_TIMER;
		e->arg = (mi_u8)word(json_string_value(v), timer_names, timer_ids);
	} else if ((v = json_object_get(o, "menu"))) {
		if (!json_is_string(v) || strcmp(json_string_value(v), "automatic") != 0)
			fail_at("menu:", "only \"automatic\" is an event");
		e->kind = MI_EV_AUTO;
	} else {
		fail_at("event:", "none of location, pli, reject, timer, menu");
	}
	if (p) {
		plmn(p, ev_plmn, &e->mcc);
		if (e->kind != MI_EV_REJECT) /* a rejection gives its network's MCC only */
			e->plmn = ev_plmn;
	}
}

/* A section of a case over the file's defaults: "ram" and "state" key by
 * key (a case's key wins), a profile ("here", "country") as a whole. */
static json_t *section(json_t *defaults, json_t *c, const char *name)
{
	json_t *d = json_object_get(defaults, name), *s = json_object_get(c, name);
	json_t *m = json_object();

	if (json_is_object(d) && (!s || !strcmp(name, "ram") || !strcmp(name, "state")))
		json_object_update(m, d);
	if (s && !json_is_object(s))
		fail_at("not an object:", name);
	if (s)
		json_object_update(m, s);
	return m;
}

static void check_case(json_t *defaults, json_t *c)
{
	static const char *const keys[] = {"name",    "why",   "state",	 "ram", "here",
					   "country", "event", "expect", NULL};
	static const char *const expect_keys[] = {"switch", "optional", "stop",	 "arm", "queue",
						  "fo",	    "new_hour", "state", NULL};
	static const char *const q_names[] = {"pli", "refresh", NULL};
	static const unsigned q_vals[] = {MI_Q_PLI, MI_Q_REFRESH};
	struct mi_ram r;
	struct mi_decision d;
	struct mi_nv want;
	json_t *x, *v, *s;
	unsigned arm = 0;

	only_keys(c, keys);
	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	r.refresh_qual = MI_REFRESH_NONE;
	d.nv.last_mcc = MI_MCC_NONE;
	s = section(defaults, c, "ram");
	ram_read(s, &r);
	json_decref(s);
	s = section(defaults, c, "state");
	state_read(s, &d.nv);
	json_decref(s);
	s = section(defaults, c, "here");
	profile_read(s, &d.v.here);
	json_decref(s);
	s = section(defaults, c, "country");
	profile_read(s, &d.v.country);
	json_decref(s);
	event_read(json_object_get(c, "event"), &d.e);
	want = d.nv;
	x = json_object_get(c, "expect");
	only_keys(x, expect_keys);
	if ((v = json_object_get(x, "state")))
		state_read(v, &want);
	/* outputs start as garbage: the decision must set every one */
	memset(&d.queue, 0xA5,
	       offsetof(struct mi_decision, e) - offsetof(struct mi_decision, queue));

	mi_decide(&r, &d);

	v = json_object_get(x, "switch");
	if (d.slot != (v ? num(v, MI_MAX_SLOTS) : 0u)) {
		print_error("%s: switch to slot %u, expected %u\n", where, d.slot,
			    v ? num(v, MI_MAX_SLOTS) : 0u);
		fail();
	}
	if ((v = json_object_get(x, "optional")) &&
	    !!(d.nv.flags & MI_NV_F_PROBE) != json_is_true(v)) {
		print_error("%s: the switch is %s, expected %s\n", where,
			    (d.nv.flags & MI_NV_F_PROBE) ? "optional (a probe)" : "mandatory",
			    json_is_true(v) ? "optional" : "mandatory");
		fail();
	}
	v = json_object_get(x, "stop");
	if (d.stop != (v ? word(json_string_value(v), timer_names, timer_ids) : 0u)) {
		print_error("%s: stops timer %u\n", where, d.stop);
		fail();
	}
	if ((v = json_object_get(x, "arm")))
		arm = words(v, timer_names, timer_bits);
	if ((v = json_object_get(x, "new_hour")) && json_is_true(v))
		arm |= MI_ARM_FO_HOUR;
	if (d.arm != arm) {
		print_error("%s: arm bits %02X, expected %02X (rotate 1, dwell 2, reeval 8, new "
			    "failover hour 80)\n",
			    where, d.arm, arm);
		fail();
	}
	v = json_object_get(x, "queue");
	if (d.queue != (v ? words(v, q_names, q_vals) : 0u)) {
		print_error("%s: commands owed %02X\n", where, d.queue);
		fail();
	}
	v = json_object_get(x, "fo");
	if (d.fo_armed != (v ? words(v, fo_names, fo_vals) : r.fo_armed)) {
		print_error("%s: failover state %02X\n", where, d.fo_armed);
		fail();
	}
	if (memcmp(&d.nv, &want, sizeof(want)) != 0) {
		print_error("%s: state active %u prev %u pinned %u failed %03X last_mcc %u flags "
			    "%02X fo_count %u; expected active %u prev %u pinned %u failed %03X "
			    "last_mcc %u flags %02X fo_count %u\n",
			    where, d.nv.active_slot, d.nv.prev_slot, d.nv.pinned_slot, d.nv.failed,
			    d.nv.last_mcc, d.nv.flags, d.nv.fo_count, want.active_slot,
			    want.prev_slot, want.pinned_slot, want.failed, want.last_mcc,
			    want.flags, want.fo_count);
		fail();
	}
}

static void run_file(const char *name)
{
	static const char *const keys[] = {"description", "defaults", "cases", NULL};
	char path[128];
	json_error_t err;
	json_t *root, *c;
	size_t i;

	snprintf(path, sizeof(path), DECIDE_DIR "%s", name);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		print_error("%s:%d:%d: %s (run from the repository root)\n", path, err.line,
			    err.column, err.text);
		fail();
	}
	snprintf(where, sizeof(where), "%s", path);
	only_keys(root, keys);
	assert_true(json_array_size(json_object_get(root, "cases")) > 0);
	json_array_foreach(json_object_get(root, "cases"), i, c)
	{
		snprintf(where, sizeof(where), "%s: case %zu \"%s\"", path, i + 1,
			 json_string_value(json_object_get(c, "name")));
		check_case(json_object_get(root, "defaults"), c);
	}
	json_decref(root);
}

static void test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		run_file(files[i]);
}

/* The unit keeps nothing between calls: the same input twice gives the
 * same decision, and the input it reads is not written. */
static void test_pure(void **state)
{
	struct mi_ram r, r0;
	struct mi_decision d1, d2;
	static const mi_u8 p213_55[3] = {0x12, 0xF3, 0x55};

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&d1, 0, sizeof(d1));
	r.mode = MI_MODE_RULES;
	r.enabled = 0x000F;
	r.service = MI_SERVICE_NORMAL;
	r.plmn[0] = 0x12, r.plmn[1] = 0xF3, r.plmn[2] = 0x77;
	d1.nv.active_slot = 2;
	d1.nv.last_mcc = 213;
	d1.e.kind = MI_EV_LOCATION;
	d1.e.arg = MI_SERVICE_NORMAL;
	d1.e.plmn = p213_55;
	d1.e.mcc = 213;
	d1.v.here.n_pref = 2, d1.v.here.pref[0] = 3, d1.v.here.pref[1] = 2;
	d1.v.here.forbidden = 0x0001;
	d1.v.country.n_pref = 3, d1.v.country.pref[0] = 2, d1.v.country.pref[1] = 3;
	d1.v.country.pref[2] = 1;
	d2 = d1;
	r0 = r;
	mi_decide(&r, &d1);
	mi_decide(&r, &d2);
	assert_memory_equal(&r, &r0, sizeof(r));
	assert_memory_equal(&d1, &d2, sizeof(d1));
	assert_int_equal(d1.slot, 0); /* 3 is better on 213-55, but a new network: dwell first */
	assert_int_equal(d1.arm, MI_TBIT(MI_TIMER_DWELL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_pure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
