/* SPDX-License-Identifier: Apache-2.0 */
/* The OTA swap planner in the loop (sim_dyn.h, docs/planner.md "In the
 * loop"). The network reports each registration in a new country to the
 * planner after the webhook delay; the planner's events run in its order:
 * hss-create (keys unwrapped with the transport key), ota-slot (SMS-PP
 * through the modem to the card), and on the PoR hss-remove of the old
 * IMSI; no PoR in time is swap-timeout, whose rewrite of the old IMSI
 * must be confirmed before the HSS forgets the new one. One OTA operation
 * at a time per card: a location reported meanwhile is planned again when
 * the operation ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "ota.h"
#include "rc.h"

#include "scenario/sim_dyn_int.h"

struct sim_dyn *sim_dyn_new(const struct sim_dyn_def *d, int planner, char *err, size_t err_len)
{
	struct sim_dyn *y = calloc(1, sizeof(*y));
	int64_t micro;
	char why[120];

	if (!y) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	y->d = d;
	y->planner = planner;
	y->reported_country = -1;
	y->m.on = 1;
	if (dyn_stock_build(&y->s, d->stock, err, err_len) < 0) {
		sim_dyn_free(y);
		return NULL;
	}
	y->po.min_stay_s = (int64_t)(d->min_stay_h * 3600);
	y->po.default_stay_s = (int64_t)(d->stay_h * 3600);
	y->po.gb_per_day = (int64_t)(d->gb_per_day * 1e6 + 0.5);
	if (rc_money_parse(d->ota_cost, &micro, why, sizeof(why)) < 0) {
		snprintf(err, err_len, "dynamic.ota_cost: %s", why);
		sim_dyn_free(y);
		return NULL;
	}
	y->po.ota_cost = micro;
	y->ota.keys = y->s.ota_keys;
	y->ota.kvn = y->s.kvn;
	y->ota.counters = y->s.counters;
	y->ota.base = y->base;
	/* the operator cannot know what a bank holds after a lost message:
	 * every swap writes its set whole (TS 102 226 UPDATE BINARY) */
	y->ota.bank_holds = "empty";
	y->ota.tkey = &y->s.tkey;
	y->po.ota = &y->ota;
	return y;
}

const char *sim_dyn_rules(const struct sim_dyn *y)
{
	return y->s.rules;
}

/* K/OPc of a stock IMSI, as the HSS's provisioning unwraps them. */
static int stock_keys(struct sim_dyn *y, const char *imsi, uint8_t k[16], uint8_t opc[16])
{
	json_t *ev = st_plan_hss_create(&y->s.c, imsi);
	int rc = ev ? st_plan_hss_keys(&y->s.c, &y->s.tkey, ev, k, opc) : -1;

	json_decref(ev);
	return rc;
}

int sim_dyn_start(struct sim_dyn *y, const struct sim_dyn_env *env, char *err, size_t err_len)
{
	static const uint8_t sqn0[6];
	struct sim_slot_map map;
	uint8_t k[16], opc[16];
	int i, j;

	y->env = *env;
	snprintf(y->base, sizeof(y->base), "%s/set-0", y->s.dir);
	if (mkdir(y->base, 0700) < 0) {
		snprintf(err, err_len, "%s: cannot create", y->base);
		return -1;
	}
	/* the operator's record of the card as personalised (its seq included) */
	if (sim_setup_active_set(env->card, &map, &y->active_bank, y->base) != 1) {
		snprintf(err, err_len, "the card has no complete set after set-up");
		return -1;
	}
	/* the SM-DP+ personalises each slot's key set with its IMSI's K/OPc;
	 * the MVNE provisions them in the HSS */
	for (i = 0; i < y->s.n_pos; i++)
		for (j = 0; j < map.n; j++) {
			if (map.slot[j].slot != i + 1)
				continue;
			if (stock_keys(y, y->s.imsi[i], k, opc) < 0) {
				snprintf(err, err_len, "stock: %s", y->s.c.err.text);
				return -1;
			}
			if (sim_card_set_keyset(env->card, (uint8_t)map.slot[j].keyset, k, opc, sqn0) != SIM_OK ||
			    sim_hss_add(env->hss, y->s.imsi[i], k, opc) < 0) {
				snprintf(err, err_len, "slot %d: key set %d not personalised", i + 1, map.slot[j].keyset);
				return -1;
			}
		}
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	dyn_say(y, "stock: profile %s for the dynamic model, %lld IMSIs in the inventory", y->s.iccid,
	    (long long)y->s.n_imsis);
	return 0;
}

/* ---- the planner --------------------------------------------------------- */

static void check_stock(struct sim_dyn *y)
{
	char why[200];
	int64_t n = dyn_stock_count(&y->s, why, sizeof(why));

	if (n < 0)
		dyn_broken(y, "inventory: %s", why);
	else if (n != y->s.n_imsis)
		dyn_broken(y, "inventory: %lld IMSIs, %lld at the start", (long long)n, (long long)y->s.n_imsis);
}

static int country_of_plmn(const struct sim_dyn *y, const char *plmn)
{
	int i;

	for (i = 0; i < y->env.net->n_plmns; i++) {
		char t[8];

		mi_plmn_format(&y->env.net->plmns[i].id, t, sizeof(t));
		if (!strcmp(t, plmn))
			return y->env.net->plmns[i].country;
	}
	return -1;
}

static void op_end(struct sim_dyn *y);

static void decided_for(struct sim_dyn *y, const char *plmn)
{
	if (y->cross_open && country_of_plmn(y, plmn) == y->cross_country)
		y->decided = 1;
}

static void do_replace(struct sim_dyn *y, const json_t *out, const char *plmn)
{
	const json_t *ev = json_object_get(out, "events"), *create = json_array_get(ev, 0);
	const json_t *slot = json_array_get(ev, 1);
	uint8_t k[16], opc[16];
	struct op *o = &y->op;

	memset(o, 0, sizeof(*o));
	o->kind = OP_SWAP;
	o->id = ++y->op_ids;
	o->pos = (int)json_integer_value(json_object_get(json_object_get(out, "dynamic"), "position"));
	snprintf(o->newi, sizeof(o->newi), "%s", dyn_jstr(json_object_get(out, "new"), "imsi"));
	snprintf(o->oldi, sizeof(o->oldi), "%s", dyn_jstr(json_object_get(out, "dynamic"), "imsi"));
	o->webhook_at = y->env.q->now;
	snprintf(o->plmn, sizeof(o->plmn), "%s", plmn);
	snprintf(o->set, sizeof(o->set), "%s", y->next);
	/* 1: the HSS learns the new IMSI before any SMS leaves */
	if (strcmp(dyn_jstr(create, "do"), "hss-create") || stock_keys(y, o->newi, k, opc) < 0 ||
	    sim_hss_add(y->env.hss, o->newi, k, opc) < 0) {
		dyn_say(y, "HSS: IMSI %s NOT created (%s): no OTA, the reservation released", o->newi, y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		OPENSSL_cleanse(k, 16);
		OPENSSL_cleanse(opc, 16);
		/* nothing was sent: the card still holds the old IMSI */
		if (st_release(&y->s.c, y->s.iccid, o->pos) < 0)
			dyn_say(y, "planner: release: %s", y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		y->m.released++;
		op_end(y);
		return;
	}
	OPENSSL_cleanse(k, 16);
	OPENSSL_cleanse(opc, 16);
	dyn_say(y, "HSS: IMSI %s created (K/OPc unwrapped with the transport key %s)", o->newi,
	    dyn_jstr(json_object_get(create, "keys"), "key_label"));
	/* 2: the OTA, whose PoR decides */
	if (strcmp(dyn_jstr(slot, "do"), "ota-slot") || dyn_send_packets(y, json_object_get(slot, "packets"), &o->first, &o->last) < 0)
		dyn_say(y, "network: the OTA of IMSI %s could not be sent", o->newi);
	y->svc_open = 1;
	snprintf(y->svc_imsi, sizeof(y->svc_imsi), "%s", o->newi);
	y->svc_from = y->env.q->now;
	sim_evq_push(y->env.q, y->env.q->now + y->d->por_timeout, SIM_EV_DYN_TIMEOUT, o->id, 0);
}

/* The operator's record of the card after a confirmed slot write: the set
 * its packets carried (the new sponsor's lists and rules with the IMSI). */
static void record(struct sim_dyn *y)
{
	snprintf(y->base, sizeof(y->base), "%s", y->op.set);
	y->active_bank = 1 - y->active_bank;
}

/* Where the planner writes the set of the next packets. */
static void next_sent(struct sim_dyn *y)
{
	snprintf(y->next, sizeof(y->next), "%s/set-%d", y->s.dir, ++y->n_sets);
	y->ota.keep_dir = y->next;
}

static void webhook(struct sim_dyn *y, const char *plmn)
{
	json_t *ev, *out = NULL, *a;
	char at[32];
	size_t i;

	y->m.webhooks++;
	if (y->op.kind == OP_REWRITE) {
		/* the inventory has no reservation then: hold the event back */
		snprintf(y->pending, sizeof(y->pending), "%s", plmn);
		dyn_say(y, "planner: location %s waits for the rewrite of the old IMSI", plmn);
		return;
	}
	st_time_format(y->s.epoch + y->env.q->now, at, sizeof(at));
	y->ota.bank = 1 - y->active_bank; /* the bank the card's set is not in */
	next_sent(y);
	ev = json_pack("{s:s, s:s, s:s}", "iccid", y->s.iccid, "plmn", plmn, "at", at);
	y->s.c.at = y->s.epoch + y->env.q->now;
	if (st_plan_swap(&y->s.c, ev, &y->po, &out) < 0) {
		dyn_say(y, "planner: location %s: %s", plmn, y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		json_decref(ev);
		return;
	}
	json_decref(ev);
	json_array_foreach(json_object_get(out, "alerts"), i, a)
	{
		y->m.alerts++;
		dyn_say(y, "stock alert: %s %s (%s)", dyn_jstr(a, "alert"), dyn_jstr(a, "ipool"), dyn_jstr(a, "sponsor"));
	}
	if (!strcmp(dyn_jstr(out, "decision"), "replace")) {
		const json_t *n = json_object_get(out, "new");

		dyn_say(y, "planner: location %s: replace %s (%s %s) by %s (%s %s%s)", plmn, dyn_jstr(json_object_get(out, "dynamic"), "imsi"),
		    dyn_jstr(json_object_get(out, "dynamic"), "sponsor"), dyn_jstr(out, "price_now"), dyn_jstr(n, "imsi"),
		    dyn_jstr(n, "sponsor"), dyn_jstr(n, "price"), json_is_true(json_object_get(n, "from_hold")) ? ", on hold for the subscriber" : "");
		do_replace(y, out, plmn);
	} else {
		dyn_say(y, "planner: location %s: keep (%s, %s %s)", plmn, dyn_jstr(out, "reason"), dyn_jstr(out, "price_now"),
		    dyn_jstr(out, "currency"));
		if (!strcmp(dyn_jstr(out, "reason"), "in-flight"))
			snprintf(y->pending, sizeof(y->pending), "%s", plmn);
		else
			decided_for(y, plmn);
	}
	json_decref(out);
	check_stock(y);
}

/* The operation is over: a location that came meanwhile is planned now;
 * else the decision for its location is final. */
static void op_end(struct sim_dyn *y)
{
	char plmn[8];

	snprintf(plmn, sizeof(plmn), "%s", y->op.plmn);
	memset(&y->op, 0, sizeof(y->op));
	if (!y->pending[0]) {
		decided_for(y, plmn);
		return;
	}
	snprintf(plmn, sizeof(plmn), "%s", y->pending);
	y->pending[0] = '\0';
	dyn_say(y, "planner: the location that came meanwhile (%s), again", plmn);
	y->m.webhooks--; /* the same webhook */
	webhook(y, plmn);
}

static void hss_remove(struct sim_dyn *y, const char *imsi, const char *why)
{
	if (sim_hss_remove(y->env.hss, imsi) == 0)
		dyn_say(y, "HSS: IMSI %s removed (%s)", imsi, why);
}

static void por_arrive(struct sim_dyn *y, int msg, const uint8_t *por, size_t len)
{
	struct op *o = &y->op;
	json_t *out = NULL;
	uint8_t status = 0xFF;

	y->s.c.at = y->s.epoch + y->env.q->now;
	if (o->kind == OP_NONE || msg < o->first || msg > o->last) {
		/* the SMSC matches a report to its SMS: no other swap can take it */
		if (st_plan_por_keys(&y->s.c, &y->ota, por, len, ST_PLAN_SPI2, &status) == 0)
			dyn_say(y, "planner: PoR of OTA message %d says: %s", msg, ota_status_text(status));
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		if (o->kind == OP_NONE && st_plan_por(&y->s.c, y->s.iccid, y->s.n_pos, por, len, ST_PLAN_SPI2, &y->ota, &out) < 0)
			dyn_say(y, "planner: PoR of OTA message %d refused: %s", msg, y->s.c.err.text);
		else
			dyn_say(y, "planner: PoR of OTA message %d: its operation is over, ignored", msg);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		json_decref(out);
		return;
	}
	if (st_plan_por_keys(&y->s.c, &y->ota, por, len, ST_PLAN_SPI2, &status) < 0) {
		dyn_say(y, "planner: PoR of OTA message %d: %s", msg, y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		return;
	}
	if (status == 0 && msg < o->last) {
		o->pors_ok++;
		return;
	}
	if (status == 0 && o->pors_ok != o->last - o->first) {
		dyn_say(y, "planner: PoR of OTA message %d, an earlier message unconfirmed: the timeout decides", msg);
		return;
	}
	if (o->kind == OP_REWRITE) {
		if (status == 0) {
			dyn_say(y, "planner: PoR of the rewrite: the card holds %s again", o->oldi);
			record(y);
			hss_remove(y, o->newi, "after the rewrite's PoR");
		} else {
			dyn_say(y, "planner: the rewrite failed (status %02X): the HSS keeps both IMSIs", status);
		}
		op_end(y);
		return;
	}
	if (st_plan_por(&y->s.c, y->s.iccid, o->pos, por, len, ST_PLAN_SPI2, &y->ota, &out) < 0) {
		dyn_say(y, "planner: swap-por: %s", y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		return;
	}
	dyn_say(y, "planner: PoR of OTA message %d: %s (%s)", msg, dyn_jstr(out, "result"), dyn_jstr(out, "status"));
	if (!strcmp(dyn_jstr(out, "result"), "committed")) {
		y->m.swaps++;
		record(y);
		hss_remove(y, o->oldi, "after the PoR");
	} else {
		y->m.released++;
		y->svc_open = 0;
		hss_remove(y, o->newi, "the card kept the old IMSI");
	}
	json_decref(out);
	check_stock(y);
	op_end(y);
}

void sim_dyn_por(struct sim_dyn *y, int msg, const uint8_t *por, size_t len)
{
	const struct sim_dyn_fault *f;

	if (msg <= SIM_DYN_MSG_BASE)
		return; /* one of the journey's own OTA messages */
	msg -= SIM_DYN_MSG_BASE;
	if (dyn_fault(y, msg, SIM_DYN_LOSE_POR, 0)) {
		y->m.pors_lost++;
		dyn_say(y, "network: PoR of OTA message %d LOST (fault)", msg);
		return;
	}
	if ((f = dyn_fault(y, msg, SIM_DYN_DELAY_POR, 0))) {
		dyn_say(y, "network: PoR of OTA message %d held back %lld s (fault)", msg, (long long)f->delay);
		if (dyn_hold_back(y, y->por, SIM_EV_DYN_POR, msg, 1, por, len, f->delay) < 0)
			dyn_say(y, "network: PoR of OTA message %d lost (too many held back)", msg);
		return;
	}
	por_arrive(y, msg, por, len);
}

/* The old set sealed with seq + 1, as if the swap had been taken: the
 * rewrite built on it carries seq + 2 into the swap's bank. */
static int rewrite_base(struct sim_dyn *y, const struct op *o)
{
	char dir[DYN_PATH], err[200], imsis[ST_MAX_POSITIONS][16];

	memset(imsis, 0, sizeof(imsis));
	snprintf(imsis[o->pos - 1], 16, "%s", o->oldi);
	snprintf(dir, sizeof(dir), "%s/set-%d", y->s.dir, ++y->n_sets);
	if (sim_setup_set_imsis(y->base, o->pos, (const char(*)[16])imsis, 1, dir, err, sizeof(err)) < 0)
		return st_fail(&y->s.c, ST_E_DATA, "%s", err);
	snprintf(y->base, sizeof(y->base), "%s", dir);
	y->ota.bank = 1 - y->active_bank; /* the swap's bank */
	return 0;
}

static void timeout(struct sim_dyn *y, int id)
{
	struct op *o = &y->op;
	json_t *out = NULL, *packets = NULL;

	if (o->kind == OP_NONE || o->id != id)
		return; /* ended meanwhile */
	y->s.c.at = y->s.epoch + y->env.q->now;
	if (o->kind == OP_REWRITE) {
		dyn_say(y, "planner: no PoR for the rewrite of %s: the HSS keeps %s too", o->oldi, o->newi);
		op_end(y);
		return;
	}
	y->m.timeouts++;
	y->svc_open = 0;
	if (st_plan_timeout(&y->s.c, y->s.iccid, o->pos, &out) < 0) {
		dyn_say(y, "planner: swap-timeout: %s", y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		op_end(y);
		return;
	}
	dyn_say(y, "planner: no PoR in %lld s: swap-timeout, %s released, %s written again", (long long)y->d->por_timeout,
	    o->newi, o->oldi);
	json_decref(out);
	check_stock(y);
	/* the card may have taken the swap and lost only its PoR: the old
	 * IMSI goes back with a higher counter (a late SMS of the swap is then
	 * refused by the card, TS 102 225 §5.1.1), then the HSS forgets. Into
	 * the swap's bank with seq + 2: above the swap's set if the card took
	 * it (while that bank is written the card falls back on the other,
	 * which holds the old set), above the old set if it did not. */
	next_sent(y);
	if (rewrite_base(y, o) < 0 ||
	    st_plan_ota_build(&y->s.c, &y->ota, y->s.iccid, o->pos, o->oldi, &packets) < 0 ||
	    dyn_send_packets(y, packets, &o->first, &o->last) < 0) {
		dyn_say(y, "planner: the rewrite could not be built: %s", y->s.c.err.text);
		memset(&y->s.c.err, 0, sizeof(y->s.c.err));
		json_decref(packets);
		op_end(y);
		return;
	}
	json_decref(packets);
	snprintf(o->set, sizeof(o->set), "%s", y->next);
	o->kind = OP_REWRITE;
	o->id = ++y->op_ids;
	o->pors_ok = 0;
	sim_evq_push(y->env.q, y->env.q->now + y->d->por_timeout, SIM_EV_DYN_TIMEOUT, o->id, 0);
}

void sim_dyn_event(struct sim_dyn *y, const struct sim_event *ev)
{
	struct held *h;

	switch (ev->type) {
	case SIM_EV_DYN_LOCATION:
		if (ev->a >= 0 && ev->a < y->n_loc)
			webhook(y, y->loc[ev->a]);
		break;
	case SIM_EV_DYN_SMS:
		h = &y->sms[ev->a];
		dyn_say(y, "network: a held-back SMS of OTA message %d goes out now", h->msg);
		dyn_sms_to_modem(y, h->msg, h->last, h->data, h->len);
		h->used = 0;
		break;
	case SIM_EV_DYN_POR:
		h = &y->por[ev->a];
		h->used = 0;
		por_arrive(y, h->msg, h->data, h->len);
		break;
	case SIM_EV_DYN_TIMEOUT:
		timeout(y, ev->a);
		break;
	default:
		break;
	}
}


void sim_dyn_free(struct sim_dyn *y)
{
	if (!y)
		return;
	dyn_stock_free(&y->s);
	free(y);
}
