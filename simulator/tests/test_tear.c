/* SPDX-License-Identifier: Apache-2.0 */
/* Tear test: cut the power at every NV write (before it, and inside it with
 * part of its bytes landed) during
 *  1. an IMSI switch driven through APDUs (TERMINAL PROFILE, location
 *     ENVELOPE that calls for a switch): the applet's journaled transaction;
 *  2. a rules-file update: UPDATE BINARY APDUs writing a new set (seq 2)
 *     into bank B, one NV write per APDU, not transactional;
 *  3. an OTA packet (TS 102 225) whose RFM script writes bank B files and
 *     spends a counter: the card OS's journaled transaction;
 *  4. the adoption of a set written while the card runs, at the next
 *     STATUS: the active slot's lists (same IMSI), and a replaced active
 *     slot (new identity and REFRESH): one journaled transaction each;
 * restart the card from what was committed and check that EF_IMSI, the
 * active key set and EF.MI_STATE agree (all old or all new), that every
 * applet EF is wholly old or wholly new as a set, and that the applet then
 * behaves as the set it sees says. Prints the number of tear points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mimsi/mi_ef.h"
#include "sim_test_util.h"
#include "st_ota.h"

static const char *const switch_files[] = {
    "7FFF/6F07",      "7FFF/6FAD",	"7FFF/6F7E",	  "7FFF/6F73",	    "7FFF/6FE3",
    "7FFF/6F7B",      "7FFF/6F61",	"7FFF/6F08",	  "7FFF/6F09",	    "7F4D/6F04",
    "7FFF/6FD9",      "7FFF/6FE4",	"7FFF/5FC0/4F01", "7FFF/5FC0/4F02", "7FFF/5FC0/4F03",
    "7FFF/5FC0/4F04", "7FFF/5FC0/4F05", "7FFF/5FC0/4F07", "7FFF/5FC0/4F0A"};
static const char *const set_files[] = {"7F4D/6F01", "7F4D/6F02", "7F4D/6F03",
					"7F4D/6F11", "7F4D/6F12", "7F4D/6F13"};
#define N_SW (sizeof(switch_files) / sizeof(switch_files[0]))
#define N_SET (sizeof(set_files) / sizeof(set_files[0]))

struct snap {
	uint8_t sw[N_SW][128];
	uint8_t set[N_SET][MI_EF_RULES_SIZE];
	int keyset;
};

static unsigned tear_points;

static void take(struct sim_card *c, struct snap *s)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < N_SW; i++)
		assert_true(sim_card_ef_read(c, switch_files[i], s->sw[i], sizeof(s->sw[i])) > 0);
	for (i = 0; i < N_SET; i++)
		assert_true(sim_card_ef_read(c, set_files[i], s->set[i], sizeof(s->set[i])) > 0);
	s->keyset = sim_card_active_keyset(c);
}

/* 1 = equals a in the switch part, 2 = equals b, 0 = a mix. */
static int switch_state(const struct snap *x, const struct snap *a, const struct snap *b)
{
	int is_a = x->keyset == a->keyset, is_b = x->keyset == b->keyset;
	unsigned i;

	for (i = 0; i < N_SW; i++) {
		is_a &= !memcmp(x->sw[i], a->sw[i], sizeof(x->sw[i]));
		is_b &= !memcmp(x->sw[i], b->sw[i], sizeof(x->sw[i]));
	}
	return is_a ? 1 : is_b ? 2 : 0;
}

static struct sim_card *prepare_switch(void)
{
	struct sim_card *c = st_card_with_set();

	assert_non_null(c);
	assert_int_equal(st_terminal_profile(c), 0);
	return c;
}

static void test_tear_imsi_switch(void **state)
{
	static struct snap old, new, now;
	struct sim_card *c;
	unsigned lens[256], w, n, points = 0;
	int sw;

	(void)state;
	c = prepare_switch();
	take(c, &old);
	sim_card_tear_arm(c, 0, 0);
	sw = st_envelope_location(c, "12F377");
	assert_int_equal(sw >> 8, 0x91);
	w = sim_card_nv_writes(c);
	assert_true(w >= 4 && w < 256); /* journal, flag, >= 1 apply, flag */
	for (n = 1; n <= w; n++)
		lens[n] = sim_card_nv_write_len(c, n);
	take(c, &new);
	assert_int_equal(switch_state(&new, &old, &new), 2);
	assert_int_not_equal(old.keyset, new.keyset);
	sim_card_free(c);

	for (n = 1; n <= w; n++) {
		unsigned keeps[4] = {0, 1, lens[n] / 2, lens[n] ? lens[n] - 1 : 0}, k;

		for (k = 0; k < 4; k++) {
			int st;

			if (k > 0 && (keeps[k] == 0 || keeps[k] >= lens[n] || keeps[k] == keeps[k - 1]))
				continue;
			c = prepare_switch();
			sim_card_tear_arm(c, n, (uint16_t)keeps[k]);
			assert_int_equal(st_envelope_location(c, "12F377"), SIM_ERR_TORN);
			/* the card is off: it answers nothing until the next power-on */
			assert_int_equal(st_xmit(c, "00A40004023F00", NULL, NULL), SIM_ERR_POWER);
			assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
			take(c, &now);
			st = switch_state(&now, &old, &new);
			if (st == 0)
				fail_msg("tear at write %u keep %u: EF_IMSI, key set and state disagree", n,
					 keeps[k]);
			/* the rules files are not touched by a switch */
			assert_memory_equal(now.set, old.set, sizeof(now.set));
			/* the journal commits at the flag write: before it old, after it new */
			if (st == 1) {
				/* the applet still works: it switches again */
				assert_int_equal(st_terminal_profile(c), 0);
				sw = st_envelope_location(c, "12F377");
				assert_int_equal(sw >> 8, 0x91);
				take(c, &now);
				assert_int_equal(switch_state(&now, &old, &new), 2);
			}
			sim_card_free(c);
			points++;
		}
	}
	printf("IMSI switch: %u NV writes, %u tear points, all consistent\n", w, points);
	tear_points += points;
}

/* The loader's writes: new set (seq 2, home preferred) into bank B. */
static int update_set(struct sim_card *c)
{
	static uint8_t cfg[MI_EF_CFG_SIZE], slots[MI_EF_SLOTS_SIZE], rules[MI_EF_RULES_SIZE];
	static const struct {
		const char *fid;
		uint8_t *data;
		size_t len;
	} files[] = {{"6F11", cfg, sizeof(cfg)}, {"6F12", slots, sizeof(slots)}, {"6F13", rules, sizeof(rules)}};
	unsigned i;
	char apdu[32];
	int sw;

	if (st_build_set(2, 0, cfg, slots, rules))
		return -1;
	sw = st_xmit(c, "0020000A083132333435363738", NULL, NULL);
	if (sw != 0x9000)
		return sw;
	sw = st_xmit(c, "00A4000C027F4D", NULL, NULL);
	if (sw != 0x9000)
		return sw;
	for (i = 0; i < 3; i++) {
		size_t off;

		snprintf(apdu, sizeof(apdu), "00A4000C02%s", files[i].fid);
		sw = st_xmit(c, apdu, NULL, NULL);
		if (sw != 0x9000)
			return sw;
		for (off = 0; off < files[i].len; off += 255) {
			uint8_t cmd[5 + 255];
			size_t n = files[i].len - off < 255 ? files[i].len - off : 255;

			cmd[0] = 0x00, cmd[1] = 0xD6;
			cmd[2] = (uint8_t)(off >> 8), cmd[3] = (uint8_t)off;
			cmd[4] = (uint8_t)n;
			memcpy(cmd + 5, files[i].data + off, n);
			sw = st_xmit_raw(c, cmd, 5 + n, NULL, NULL);
			if (sw != 0x9000)
				return sw;
		}
	}
	return 0x9000;
}

/* Which set the files say is active: 2 if all of bank B is valid with seq 2. */
static int active_set(const struct snap *s)
{
	static const uint8_t types[3] = {MI_EF_TYPE_CFG, MI_EF_TYPE_SLOTS, MI_EF_TYPE_RULES};
	static const uint16_t sizes[3] = {MI_EF_CFG_SIZE, MI_EF_SLOTS_SIZE, MI_EF_RULES_SIZE};
	unsigned i;

	for (i = 0; i < 3; i++) {
		struct mi_ef_header h;

		if (mi_ef_check(s->set[3 + i], sizes[i], types[i], &h) < 0 || h.seq != 2)
			return 1;
	}
	return 2;
}

static void test_tear_rules_update(void **state)
{
	static struct snap old, new, now;
	struct sim_card *c;
	unsigned lens[64], w, n, points = 0, seen[3] = {0};
	unsigned i;
	int sw;

	(void)state;
	c = st_card_with_set();
	assert_non_null(c);
	take(c, &old);
	sim_card_tear_arm(c, 0, 0);
	assert_int_equal(update_set(c), 0x9000);
	w = sim_card_nv_writes(c);
	assert_int_equal(w, 1 + 5 + 17); /* CFG 32 B, SLOTS 1024 B, RULES 4096 B by 255 */
	for (n = 1; n <= w; n++)
		lens[n] = sim_card_nv_write_len(c, n);
	take(c, &new);
	assert_int_equal(active_set(&old), 1);
	assert_int_equal(active_set(&new), 2);
	sim_card_free(c);

	for (n = 1; n <= w + 1; n++) {
		unsigned keeps[3] = {0, 1, n <= w ? lens[n] / 2 : 0}, k;

		for (k = 0; k < 3; k++) {
			int act;
			uint8_t imsi[9];

			if (k > 0 && (n > w || keeps[k] == keeps[k - 1]))
				continue;
			c = st_card_with_set();
			assert_non_null(c);
			sim_card_tear_arm(c, n <= w ? n : 0, (uint16_t)keeps[k]);
			sw = update_set(c);
			assert_int_equal(sw, n <= w ? SIM_ERR_TORN : 0x9000);
			/* restart (after the cut, or as a loader's final reset) */
			assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
			take(c, &now);
			/* bank A (the active set) is never touched */
			for (i = 0; i < 3; i++)
				assert_memory_equal(now.set[i], old.set[i], sizeof(now.set[i]));
			/* bank B files: each wholly old or wholly new, except the one
			 * cut mid-way, which must then not validate */
			for (i = 3; i < 6; i++) {
				int is_old = !memcmp(now.set[i], old.set[i], sizeof(now.set[i]));
				int is_new = !memcmp(now.set[i], new.set[i], sizeof(now.set[i]));

				if (!is_old && !is_new)
					assert_int_equal(active_set(&now), 1);
			}
			act = active_set(&now);
			seen[act]++;
			assert_int_equal(switch_state(&now, &old, &old), 1);
			/* the applet uses the same set: the old one prefers the sponsor
			 * at 213-77, the new one home (the applet may still REFRESH to
			 * confirm slot 1 when its state did not know the slot) */
			assert_int_equal(st_terminal_profile(c), 0);
			sw = st_envelope_location(c, "12F377");
			assert_true(sw == 0x9000 || (sw >> 8) == 0x91);
			assert_int_equal(sim_card_ef_read(c, "7FFF/6F07", imsi, sizeof(imsi)), 9);
			assert_int_equal(imsi[2], act == 1 ? 0x31 : 0x26);
			assert_int_equal(sim_card_active_keyset(c), act == 1 ? 2 : 1);
			sim_card_free(c);
			if (n <= w)
				points++;
		}
	}
	assert_true(seen[1] > 0 && seen[2] > 0);
	printf("rules update: %u NV writes, %u tear points (old set after %u restarts, new after %u)\n", w,
	       points, seen[1], seen[2]);
	tear_points += points;
}

/* The OTA script: a new CFG into bank B and 200 bytes of SLOTS.B. */
static size_t ota_script(uint8_t *out)
{
	static const uint8_t sel_cfg[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x11};
	static const uint8_t sel_slots[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x12};
	size_t n = 0;

	memcpy(out + n, sel_cfg, sizeof(sel_cfg));
	n += sizeof(sel_cfg);
	memcpy(out + n, (const uint8_t[]){0x00, 0xD6, 0x00, 0x00, 32}, 5);
	memset(out + n + 5, 0xC3, 32);
	n += 5 + 32;
	memcpy(out + n, sel_slots, sizeof(sel_slots));
	n += sizeof(sel_slots);
	memcpy(out + n, (const uint8_t[]){0x00, 0xD6, 0x00, 0x00, 200}, 5);
	memset(out + n + 5, 0x3C, 200);
	return n + 5 + 200;
}

static void test_tear_ota_update(void **state)
{
	static const uint8_t tar_mimsi[3] = {0xB0, 0x00, 0x20};
	uint8_t script[300];
	size_t len = ota_script(script);
	char *old, *new, *now;
	struct st_sent s;
	struct sim_card *c;
	unsigned w, n, k, points = 0, seen_old = 0, seen_new = 0;

	(void)state;
	c = st_card_with_set();
	assert_non_null(c);
	old = st_image_text(c);
	sim_card_tear_arm(c, 0, 0);
	st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, script, len, 0, &s);
	assert_int_equal(s.por.status, OTA_ST_OK);
	w = sim_card_nv_writes(c);
	assert_int_equal(w, 1 + 1 + 3 + 1); /* journal, flag, counter + 2 files, flag */
	new = st_image_text(c);
	sim_card_free(c);
	for (n = 1; n <= w; n++) {
		for (k = 0; k < 2; k++) {
			c = st_card_with_set();
			assert_non_null(c);
			sim_card_tear_arm(c, n, (uint16_t)(k ? sim_card_nv_write_len(c, n) / 2 : 0));
			st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, script, len, 0, &s);
			assert_int_equal(s.sw, SIM_ERR_TORN);
			assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
			now = st_image_text(c);
			/* the whole packet (files and counter) or nothing of it */
			if (!strcmp(now, new)) {
				seen_new++;
			} else {
				assert_string_equal(now, old);
				seen_old++;
				/* not applied: the same packet is still accepted */
				st_ota_send(c, 0x16, 0x19, tar_mimsi, 1, script, len, 0, &s);
				assert_int_equal(s.por.status, OTA_ST_OK);
			}
			free(now);
			sim_card_free(c);
			points++;
		}
	}
	assert_true(seen_old > 0 && seen_new > 0);
	printf("OTA update: %u NV writes, %u tear points (old after %u restarts, new after %u)\n", w,
	       points, seen_old, seen_new);
	tear_points += points;
	free(old);
	free(new);
}

/* Card on set 1, at home on slot 1; then a set 2 written into bank B as
 * RFM would (sim_card_write_set): slot 1 with another OPLMNwACT entry, or
 * (\a replace) with another IMSI and a CFG asking for the new identity. */
static struct sim_card *prepare_adoption(int replace)
{
	static uint8_t cfg[MI_EF_CFG_SIZE], slots[MI_EF_SLOTS_SIZE], rules[MI_EF_RULES_SIZE];
	const uint8_t *files[3] = {cfg, slots, rules};
	uint16_t lens[3] = {MI_EF_CFG_SIZE, MI_EF_SLOTS_SIZE, MI_EF_RULES_SIZE};
	struct mi_ef_header h;
	struct sim_card *c = prepare_switch();
	uint8_t *rec = slots + MI_EF_HDR_LEN + 1; /* slot 1's record */

	assert_int_equal(st_envelope_location(c, "62F210"), 0x9000); /* slot 1 is right */
	assert_int_equal(st_build_set(2, 1, cfg, slots, rules), 0);
	rec[MI_SLOT_REC_FIXED + 2] = 0x20; /* OPLMNwACT 262-01 -> 262-02 */
	if (replace) {
		rec[8] = 0x43; /* IMSI 2620112 -> 2620113... */
		assert_int_equal(mi_ef_check(cfg, MI_EF_CFG_SIZE, MI_EF_TYPE_CFG, &h) > 0, 1);
		cfg[MI_EF_HDR_LEN + 8] |= MI_CFG_F_REPLACE_REFRESH; /* flags */
		assert_true(mi_ef_seal(cfg, MI_EF_CFG_SIZE, MI_EF_TYPE_CFG, 2, h.body_len) > 0);
	}
	assert_int_equal(mi_ef_check(slots, MI_EF_SLOTS_SIZE, MI_EF_TYPE_SLOTS, &h) > 0, 0);
	assert_true(mi_ef_seal(slots, MI_EF_SLOTS_SIZE, MI_EF_TYPE_SLOTS, 2, h.body_len) > 0);
	assert_int_equal(sim_card_write_set(c, files, lens), SIM_OK);
	return c;
}

static void tear_adoption(int replace)
{
	static struct snap old, new, now;
	struct sim_card *c;
	unsigned lens[256], w, n, points = 0;

	c = prepare_adoption(replace);
	take(c, &old);
	sim_card_tear_arm(c, 0, 0);
	/* a REFRESH follows either way: file change notification, or the switch's */
	assert_int_equal(st_xmit(c, "80F2000C", NULL, NULL) >> 8, 0x91);
	w = sim_card_nv_writes(c);
	assert_true(w >= 4 && w < 256); /* journal, flag, >= 1 apply, flag */
	for (n = 1; n <= w; n++)
		lens[n] = sim_card_nv_write_len(c, n);
	take(c, &new);
	assert_int_equal(switch_state(&new, &old, &new), 2);
	assert_true(memcmp(new.sw[6], old.sw[6], 5) != 0); /* OPLMNwACT adopted */
	assert_int_equal(!memcmp(new.sw[0], old.sw[0], 9), !replace);
	sim_card_free(c);

	for (n = 1; n <= w; n++) {
		unsigned keeps[3] = {0, 1, lens[n] / 2}, k;

		for (k = 0; k < 3; k++) {
			int st;

			if (k > 0 && (keeps[k] == 0 || keeps[k] >= lens[n] || keeps[k] == keeps[k - 1]))
				continue;
			c = prepare_adoption(replace);
			sim_card_tear_arm(c, n, (uint16_t)keeps[k]);
			assert_int_equal(st_xmit(c, "80F2000C", NULL, NULL), SIM_ERR_TORN);
			assert_int_equal(sim_card_power_on(c, NULL, NULL), SIM_OK);
			take(c, &now);
			st = switch_state(&now, &old, &new);
			if (st == 0)
				fail_msg("adoption%s torn at write %u keep %u: files and state disagree",
					 replace ? " (replaced slot)" : "", n, keeps[k]);
			/* the adoption never writes the banks */
			assert_memory_equal(now.set, old.set, sizeof(now.set));
			/* old state: the first event after the reset adopts the set */
			assert_int_equal(st_terminal_profile(c), 0);
			take(c, &now);
			assert_int_equal(switch_state(&now, &old, &new), 2);
			sim_card_free(c);
			points++;
		}
	}
	printf("set adoption%s: %u NV writes, %u tear points, all consistent\n",
	       replace ? " (replaced slot)" : "", w, points);
	tear_points += points;
}

static void test_tear_adoption(void **state)
{
	(void)state;
	tear_adoption(0);
	tear_adoption(1);
}

static void test_tear_report(void **state)
{
	(void)state;
	printf("tear points tried: %u\n", tear_points);
	assert_true(tear_points > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tear_imsi_switch),
		cmocka_unit_test(test_tear_rules_update),
		cmocka_unit_test(test_tear_ota_update),
		cmocka_unit_test(test_tear_adoption),
		cmocka_unit_test(test_tear_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
