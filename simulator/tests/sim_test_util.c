/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the card tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mimsi/mi_bcd.h"
#include "mimsi/mi_ef.h"
#include "sim_test_util.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_hex.h"

int st_unhex(const char *s, uint8_t *out, size_t cap)
{
	int n = mi_hex_decode(s, out, cap > MI_LEN_MAX ? (mi_u16)MI_LEN_MAX : (mi_u16)cap);

	return n < 0 ? -1 : n;
}

int st_xmit_raw(struct sim_card *c, const uint8_t *cmd, size_t n, uint8_t *rsp, size_t *rsp_len)
{
	uint8_t buf[300];
	size_t len = sizeof(buf);
	int rc = sim_card_transmit(c, cmd, n, buf, &len);

	if (rc != SIM_OK)
		return rc;
	if (rsp && rsp_len) {
		memcpy(rsp, buf, len < *rsp_len ? len : *rsp_len);
		*rsp_len = len;
	}
	return (buf[len - 2] << 8) | buf[len - 1];
}

int st_xmit(struct sim_card *c, const char *hex, uint8_t *rsp, size_t *rsp_len)
{
	uint8_t cmd[300];
	int n = st_unhex(hex, cmd, sizeof(cmd));

	if (n < 0)
		return SIM_ERR_PARAM;
	return st_xmit_raw(c, cmd, (size_t)n, rsp, rsp_len);
}

int st_fetch(struct sim_card *c, int sw, uint8_t *cmd, size_t *len)
{
	uint8_t f[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
	size_t l = 300;
	int rc;

	if ((sw >> 8) != 0x91)
		return -1;
	rc = st_xmit_raw(c, f, 5, cmd, &l);
	if (rc != 0x9000 || l < 9 || cmd[0] != 0xD0)
		return -1;
	*len = l - 2;
	return cmd[5];
}

int st_drain(struct sim_card *c, int sw)
{
	int n = 0;

	while ((sw >> 8) == 0x91 && n < 16) {
		uint8_t cmd[300], tr[64] = {0x80, 0x14, 0x00, 0x00, 0, 0x81, 0x03};
		size_t len, k = 10, i;
		int type = st_fetch(c, sw, cmd, &len);

		if (type < 0)
			return -1;
		memcpy(tr + 7, cmd + 4, 3);
		memcpy(tr + k, "\x82\x02\x82\x81\x83\x01\x00", 7);
		k += 7;
		if (type == 0x27) {
			for (i = 2; i + 2 < len; i += 2u + cmd[i + 1])
				if ((cmd[i] & 0x7F) == 0x24) {
					memcpy(tr + k, cmd + i, 3);
					k += 3;
					break;
				}
		} else if (type == 0x26 && cmd[6] == 0x00) {
			memcpy(tr + k, "\x93\x07\x62\xF2\x10\x00\x01\x00\x02", 9);
			k += 9;
		}
		tr[4] = (uint8_t)(k - 5);
		sw = st_xmit_raw(c, tr, k, NULL, NULL);
		if (sw < 0)
			return -1;
		n++;
	}
	return sw == 0x9000 ? n : -1;
}

static int slot_rec(uint8_t n, uint8_t flags, const char *imsi, const char *oplmn, uint8_t *buf, uint16_t cap)
{
	struct mi_slot s;

	memset(&s, 0, sizeof(s));
	s.slot = n;
	s.flags = flags;
	s.sponsor = n;
	s.keyset = n;
	s.mnc_len = 2;
	if (mi_imsi_encode(imsi, (mi_u16)strlen(imsi), s.imsi, sizeof(s.imsi)) != 9)
		return -1;
	s.n_oplmn = 1;
	if (st_unhex(oplmn, s.oplmn[0], 5) != 5)
		return -1;
	return mi_slot_encode(&s, buf, cap);
}

int st_build_set(uint32_t seq, int prefer_sponsor, uint8_t *cfg, uint8_t *slots, uint8_t *rules)
{
	struct mi_cfg c;
	struct mi_profile p[2];
	struct mi_rule r;
	uint8_t *b;
	int n, m;

	memset(cfg, 0xFF, MI_EF_CFG_SIZE);
	memset(slots, 0xFF, MI_EF_SLOTS_SIZE);
	memset(rules, 0xFF, MI_EF_RULES_SIZE);
	mi_cfg_defaults(&c);
	if (mi_cfg_encode(&c, cfg + MI_EF_HDR_LEN, MI_EF_CFG_SIZE - MI_EF_HDR_LEN) < 0 ||
	    mi_ef_seal(cfg, MI_EF_CFG_SIZE, MI_EF_TYPE_CFG, seq, MI_CFG_BODY_LEN) < 0)
		return -1;
	b = slots + MI_EF_HDR_LEN;
	b[0] = 2;
	n = slot_rec(1, MI_SLOT_F_HOME | MI_SLOT_F_BOOTSTRAP, "262011234567890", "62F210C080", b + 1, 200);
	m = slot_rec(2, 0, "213770000000001", "12F377C080", b + 1 + (n > 0 ? n : 0), 200);
	if (n < 0 || m < 0 || mi_ef_seal(slots, MI_EF_SLOTS_SIZE, MI_EF_TYPE_SLOTS, seq, (mi_u16)(1 + n + m)) < 0)
		return -1;
	memset(p, 0, sizeof(p));
	p[0].n_pref = 2, p[0].pref[0] = 1, p[0].pref[1] = 2;
	p[1].n_pref = 2, p[1].pref[0] = 2, p[1].pref[1] = 1;
	b = rules + MI_EF_HDR_LEN;
	b[0] = 2; /* profiles */
	b[1] = 0; /* global profile: home first */
	b[2] = 0, b[3] = 1; /* one rule */
	if (mi_profile_encode(&p[0], b + 4, MI_PROFILE_LEN) < 0 ||
	    mi_profile_encode(&p[1], b + 4 + MI_PROFILE_LEN, MI_PROFILE_LEN) < 0)
		return -1;
	r.key = mi_rule_key(213, 77, 2, MI_TRUE);
	r.profile = prefer_sponsor ? 1 : 0;
	if (mi_rule_encode(&r, b + 4 + 2 * MI_PROFILE_LEN, MI_RULE_LEN) < 0 ||
	    mi_ef_seal(rules, MI_EF_RULES_SIZE, MI_EF_TYPE_RULES, seq,
		       (mi_u16)(4 + 2 * MI_PROFILE_LEN + MI_RULE_LEN)) < 0)
		return -1;
	return 0;
}

struct sim_card *st_card_with_set(void)
{
	static uint8_t cfg[MI_EF_CFG_SIZE], slots[MI_EF_SLOTS_SIZE], rules[MI_EF_RULES_SIZE];
	struct sim_card *c = sim_card_new_default();

	if (!c || st_build_set(1, 1, cfg, slots, rules) ||
	    sim_card_ef_write(c, "7F4D/6F01", cfg, sizeof(cfg)) ||
	    sim_card_ef_write(c, "7F4D/6F02", slots, sizeof(slots)) ||
	    sim_card_ef_write(c, "7F4D/6F03", rules, sizeof(rules)) ||
	    sim_card_power_on(c, NULL, NULL) != SIM_OK) {
		sim_card_free(c);
		return NULL;
	}
	return c;
}

int st_terminal_profile(struct sim_card *c)
{
	int sw = st_xmit(c, "801000000AFFFFFFFFFFFFFFFFFFFF", NULL, NULL);

	if (sw < 0)
		return sw;
	return st_drain(c, sw) < 0 ? -1 : 0;
}

int st_envelope_location(struct sim_card *c, const char *plmn_hex)
{
	char apdu[128];

	snprintf(apdu, sizeof(apdu), "80C2000015D613990103820282811B010013 07 %s 0001 0002", plmn_hex);
	return st_xmit(c, apdu, NULL, NULL);
}

int st_match(const uint8_t *rsp, size_t len, const char *pat)
{
	size_t nib = 0, total = len * 2;

	for (; *pat; pat++) {
		unsigned v;
		int h;

		if (*pat == ' ')
			continue;
		if (*pat == '*')
			return 1;
		if (nib >= total)
			return 0;
		v = nib % 2 ? (rsp[nib / 2] & 15u) : (rsp[nib / 2] >> 4);
		h = *pat >= '0' && *pat <= '9' ? *pat - '0'
		    : *pat >= 'A' && *pat <= 'F' ? *pat - 'A' + 10
		    : *pat >= 'a' && *pat <= 'f' ? *pat - 'a' + 10
						 : -1;
		if (*pat != 'X' && *pat != 'x' && h != (int)v)
			return 0;
		nib++;
	}
	return nib == total;
}

char *st_image_text(const struct sim_card *c)
{
	char path[] = "/tmp/mimsi-st-image-XXXXXX", err[256];
	int fd = mkstemp(path);
	FILE *f;
	char *buf = NULL;
	long n;

	if (fd < 0)
		return NULL;
	close(fd);
	if (sim_card_save(c, path, err, sizeof(err)) == SIM_OK && (f = fopen(path, "rb"))) {
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
			buf[n] = '\0';
		fclose(f);
	}
	unlink(path);
	return buf;
}

int st_run_script(struct sim_card *c, const char *path, unsigned *checked)
{
	static uint8_t cfg[MI_EF_CFG_SIZE], slots[MI_EF_SLOTS_SIZE], rules[MI_EF_RULES_SIZE];
	FILE *f = fopen(path, "r");
	char line[1200];
	unsigned lineno = 0;
	int failed = 0;

	if (!f)
		return -1;
	*checked = 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *colon, *eq;
		uint8_t cmd[300], rsp[300];
		size_t rl = sizeof(rsp);
		int n, rc, unchanged = 0;
		char *before = NULL;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (!strcmp(p, "!reset")) {
			if (sim_card_power_on(c, NULL, NULL) != SIM_OK)
				failed++;
			continue;
		}
		if (!strcmp(p, "!set")) {
			if (st_build_set(1, 1, cfg, slots, rules) ||
			    sim_card_ef_write(c, "7F4D/6F01", cfg, sizeof(cfg)) ||
			    sim_card_ef_write(c, "7F4D/6F02", slots, sizeof(slots)) ||
			    sim_card_ef_write(c, "7F4D/6F03", rules, sizeof(rules)) ||
			    sim_card_power_on(c, NULL, NULL) != SIM_OK)
				failed++;
			continue;
		}
		if (!strncmp(p, "!unchanged ", 11)) {
			unchanged = 1;
			p += 11;
			before = st_image_text(c);
		}
		colon = strchr(p, ':');
		eq = colon ? strchr(colon, '=') : NULL;
		if (!colon || !eq) {
			printf("%s:%u: bad line\n", path, lineno);
			failed++;
			free(before);
			continue;
		}
		*colon = '\0';
		*eq = '\0';
		n = st_unhex(colon + 1, cmd, sizeof(cmd));
		rc = n < 0 ? SIM_ERR_PARAM : sim_card_transmit(c, cmd, (size_t)n, rsp, &rl);
		(*checked)++;
		if (rc != SIM_OK || !st_match(rsp, rl, eq + 1)) {
			size_t i;

			printf("%s:%u: FAIL %s: got ", path, lineno, p);
			for (i = 0; rc == SIM_OK && i < rl; i++)
				printf("%02X", rsp[i]);
			printf(" (rc %d), want %s\n", rc, eq + 1);
			failed++;
		}
		if (unchanged) {
			char *after = st_image_text(c);

			if (!before || !after || strcmp(before, after)) {
				printf("%s:%u: FAIL %s: the card changed\n", path, lineno, p);
				failed++;
			}
			free(after);
			free(before);
		}
	}
	fclose(f);
	return failed;
}
