/* SPDX-License-Identifier: Apache-2.0 */
/* The card: power, APDU transport (T=0 rules: 61xx, 6Cxx), 91xx for a
 * pending proactive command, traces, tear injection and admin helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mimsi/mi_err.h"
#include "sim_cmd.h"
#include "sim_pcap.h"

const char *sim_strerror(int err)
{
	switch (err) {
	case SIM_OK:
		return "success";
	case SIM_ERR_IO:
		return "file could not be read or written";
	case SIM_ERR_IMAGE:
		return "malformed card image";
	case SIM_ERR_BUFFER:
		return "response buffer too small";
	case SIM_ERR_POWER:
		return "card is not powered";
	case SIM_ERR_TORN:
		return "power cut during the command (tear injection)";
	case SIM_ERR_PARAM:
		return "bad parameter";
	default:
		return "unknown error";
	}
}

uint8_t sim_atr_tck(const uint8_t *atr, size_t len)
{
	uint8_t x = 0;
	size_t i;

	/* TCK: XOR of T0 .. the byte before TCK (ISO/IEC 7816-3 §8.2.5) */
	for (i = 1; i + 1 < len; i++)
		x ^= atr[i];
	return x;
}

void sim_card_bind_applet(struct sim_card *c)
{
	int f;

	sim_port_init(&c->port, &c->nv);
	c->port.n_keysets = (uint8_t)sim_keystore_refs(c);
	for (f = 0; f < (int)MI_FILE_COUNT; f++) {
		mi_u16 path[3];
		uint16_t p16[3];
		int n = mi_ef_file_path(f, path), i, k;

		if (n < 0)
			continue;
		for (k = 0; k < n; k++)
			p16[k] = path[k];
		i = sim_fs_by_path(c, p16, (unsigned)n);
		if (i >= 0 && c->files[i].type == SIM_EF)
			sim_port_map(&c->port, (enum mi_file)f, c->files[i].nv);
	}
	c->applet.port = &c->port;
	c->applet.nv = &c->app_nv;
	c->applet.ram = &c->app_ram;
}

void sim_card_free(struct sim_card *c)
{
	if (!c)
		return;
	sim_nv_free(&c->nv);
	/* keys and PINs do not outlive the card in freed memory */
	memset(c, 0, sizeof(*c));
	free(c);
}

static void reset_state(struct sim_card *c)
{
	unsigned i;

	memset(c->ch, 0, sizeof(c->ch));
	for (i = 0; i < SIM_MAX_CHANNELS; i++) {
		c->ch[i].df = -1;
		c->ch[i].ef = -1;
		c->ch[i].adf = -1;
	}
	c->ch[0].open = 1;
	c->ch[0].df = sim_fs_mf(c);
	for (i = 0; i < c->n_pins; i++)
		c->pins[i].verified = 0;
	c->pending_len = 0;
	c->tp_seen = 0;
	sim_port_power_loss(&c->port);
	/* OTA state in RAM: parts of a concatenated SMS, a PoR not fetched */
	memset(&c->ota_reasm, 0, sizeof(c->ota_reasm));
	c->os_proactive = 0;
	c->cat_open = 0;
	c->rfm_on = 0;
	sim_nv_capture_abort(&c->nv);
}

static int atr_out(const struct sim_card *c, uint8_t *atr, size_t *atr_len)
{
	size_t cap;

	if (!atr_len)
		return SIM_ERR_PARAM;
	cap = *atr_len;
	*atr_len = 0;
	if (!atr)
		return SIM_ERR_PARAM;
	if (cap < c->atr_len)
		return SIM_ERR_BUFFER;
	memcpy(atr, c->atr, c->atr_len);
	*atr_len = c->atr_len;
	return SIM_OK;
}

int sim_card_atr(const struct sim_card *c, uint8_t *atr, size_t *atr_len)
{
	if (!c) {
		if (atr_len)
			*atr_len = 0;
		return SIM_ERR_PARAM;
	}
	return atr_out(c, atr, atr_len);
}

int sim_card_power_on(struct sim_card *c, uint8_t *atr, size_t *atr_len)
{
	if (!c)
		return SIM_ERR_PARAM;
	/* a power-up finishes or drops an interrupted transaction */
	sim_nv_recover(&c->nv);
	reset_state(c);
	c->powered = 1;
	if (c->applet_installed)
		(void)mi_applet_reset(&c->applet);
	/* no ATR frame in the trace: Wireshark 4.0 (tshark 4.0.17) decodes
	 * GSMTAP sub-type 01 as an APDU */
	if (c->log)
		fprintf(c->log, "power on (ATR %zu bytes)\n", c->atr_len);
	if (!atr && !atr_len)
		return SIM_OK;
	return atr_out(c, atr, atr_len);
}

int sim_card_reset(struct sim_card *c, uint8_t *atr, size_t *atr_len)
{
	return sim_card_power_on(c, atr, atr_len);
}

void sim_card_power_off(struct sim_card *c)
{
	if (!c)
		return;
	c->powered = 0;
	reset_state(c);
}

void sim_card_set_trace(struct sim_card *c, FILE *log, struct sim_pcap *pcap)
{
	if (!c)
		return;
	c->log = log;
	c->pcap = pcap;
}

void sim_card_tear_arm(struct sim_card *c, uint32_t at, uint16_t keep)
{
	if (c)
		sim_nv_tear_arm(&c->nv, at, keep);
}

uint32_t sim_card_nv_writes(const struct sim_card *c)
{
	return c ? c->nv.writes : 0;
}

unsigned sim_card_nv_write_len(const struct sim_card *c, uint32_t n)
{
	if (!c || n == 0 || n > SIM_NV_LOG || n > c->nv.writes)
		return 0;
	return c->nv.wlen[n - 1];
}

uint32_t sim_card_apdu_count(const struct sim_card *c)
{
	return c ? c->apdus : 0;
}

int sim_card_active_keyset(const struct sim_card *c)
{
	if (!c || !c->nv.obj[SIM_NV_OBJ_KEYSET].data)
		return SIM_ERR_PARAM;
	return c->nv.obj[SIM_NV_OBJ_KEYSET].data[0];
}

int sim_card_set_keyset(struct sim_card *c, uint8_t ref, const uint8_t k[16], const uint8_t opc[16],
			const uint8_t sqn[6])
{
	unsigned i;
	struct sim_keyset *ks = NULL;

	if (!c || ref == 0 || ref > SIM_MAX_KEYSETS)
		return SIM_ERR_PARAM;
	for (i = 0; i < c->n_keysets; i++)
		if (c->keysets[i].ref == ref)
			ks = &c->keysets[i];
	if (!ks) {
		if (c->n_keysets >= SIM_MAX_KEYSETS)
			return SIM_ERR_PARAM;
		ks = &c->keysets[c->n_keysets++];
		c->port.n_keysets = (uint8_t)sim_keystore_refs(c);
	}
	ks->ref = ref;
	memcpy(ks->k, k, 16);
	memcpy(ks->opc, opc, 16);
	memcpy(ks->sqn, sqn, 6);
	return SIM_OK;
}

int sim_card_has_keyset(const struct sim_card *c, uint8_t ref)
{
	unsigned i;

	for (i = 0; c && i < c->n_keysets; i++)
		if (c->keysets[i].ref == ref)
			return 1;
	return 0;
}

int sim_card_set_pin(struct sim_card *c, uint8_t ref, const uint8_t value[8])
{
	struct sim_pin *p = c ? sim_pin_find(c, ref) : NULL;

	if (!p)
		return SIM_ERR_PARAM;
	memcpy(p->value, value, 8);
	p->tries = p->max_tries;
	p->verified = 0;
	return SIM_OK;
}

int sim_card_ef_read(const struct sim_card *c, const char *path, uint8_t *buf, size_t cap)
{
	int f;
	uint16_t size;

	if (!c || !path || !buf)
		return SIM_ERR_PARAM;
	f = sim_fs_by_path_str(c, path);
	if (f < 0 || c->files[f].type != SIM_EF)
		return SIM_ERR_PARAM;
	size = sim_fs_size(c, f);
	if (cap < size)
		return SIM_ERR_BUFFER;
	memcpy(buf, c->nv.obj[c->files[f].nv].data, size);
	return size;
}

int sim_card_ef_write(struct sim_card *c, const char *path, const uint8_t *data, size_t len)
{
	int f;

	if (!c || !path || (!data && len))
		return SIM_ERR_PARAM;
	f = sim_fs_by_path_str(c, path);
	if (f < 0 || c->files[f].type != SIM_EF || len > sim_fs_size(c, f))
		return SIM_ERR_PARAM;
	if (len && sim_nv_write(&c->nv, (unsigned)c->files[f].nv, 0, data, (uint16_t)len) != 0)
		return SIM_ERR_TORN;
	return SIM_OK;
}

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = n;
	return 0;
}

int sim_card_load_ef_dir(struct sim_card *c, const char *dir, char *err, size_t err_len)
{
	static const struct {
		const char *file, *bank_a, *bank_b;
	} set[] = {
		{"ef_cfg.bin", "7F4D/6F01", "7F4D/6F11"},
		{"ef_slots.bin", "7F4D/6F02", "7F4D/6F12"},
		{"ef_rules.bin", "7F4D/6F03", "7F4D/6F13"},
	};
	static uint8_t ff[MI_EF_RULES_SIZE];
	uint8_t buf[MI_EF_RULES_SIZE];
	unsigned i;

	if (!c || !dir)
		return SIM_ERR_PARAM;
	memset(ff, 0xFF, sizeof(ff));
	for (i = 0; i < MI_ARRAY_SIZE(set); i++) {
		char path[4096];
		size_t n = 0;
		uint8_t size_buf[MI_EF_RULES_SIZE];
		int size;

		snprintf(path, sizeof(path), "%s/%s", dir, set[i].file);
		errno = 0;
		size = sim_card_ef_read(c, set[i].bank_a, size_buf, sizeof(size_buf));
		if (size < 0 || read_file(path, buf, (size_t)size, &n) != 0) {
			snprintf(err, err_len, "%s: %s", path,
				 size < 0 ? "no such EF on the card" : errno ? strerror(errno) : "larger than the EF");
			return SIM_ERR_IO;
		}
		memset(buf + n, 0xFF, (size_t)size - n);
		if (sim_card_ef_write(c, set[i].bank_a, buf, (size_t)size) != SIM_OK ||
		    sim_card_ef_write(c, set[i].bank_b, ff, (size_t)size) != SIM_OK) {
			snprintf(err, err_len, "%s: could not write the EF", path);
			return SIM_ERR_IO;
		}
	}
	c->applet_installed = mi_applet_install(&c->applet) == MI_OK;
	return SIM_OK;
}

/* ---- APDU transport --------------------------------------------------- */

/* VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK PIN (TS 102 221 §11.1.9-§11.1.13):
 * their data field is a PIN, PUK or ADM value. */
int sim_apdu_has_secret(const uint8_t *cmd, size_t len)
{
	uint8_t ins;

	if (len <= 5)
		return 0;
	ins = cmd[1];
	return ins == 0x20 || ins == 0x24 || ins == 0x26 || ins == 0x28 || ins == 0x2C;
}

static void trace(struct sim_card *c, const uint8_t *cmd, size_t cmd_len, const uint8_t *rsp,
		  size_t rsp_len)
{
	uint8_t masked[MI_APDU_BUF + 1];
	size_t i, n = cmd_len < sizeof(masked) ? cmd_len : sizeof(masked);
	/* PIN values, and anything written into a key store */
	int secret = sim_apdu_has_secret(cmd, cmd_len) || c->mask_data;
	uint16_t sw;

	memcpy(masked, cmd, n);
	if (secret)
		memset(masked + 5, '*', n - 5); /* PIN/PUK values never leave the card */
	if (c->pcap)
		(void)sim_pcap_apdu(c->pcap, masked, n, rsp, rsp_len);
	if (!c->log)
		return;
	sw = (uint16_t)(rsp_len >= 2 ? (rsp[rsp_len - 2] << 8) | rsp[rsp_len - 1] : 0);
	fprintf(c->log, "#%u %-17s C: ", (unsigned)c->apdus, cmd_len >= 2 ? sim_cmd_name(cmd[0], cmd[1]) : "?");
	for (i = 0; i < n; i++) {
		if (secret && i >= 5)
			fputs("**", c->log);
		else
			fprintf(c->log, "%02X", cmd[i]);
	}
	fprintf(c->log, " R: ");
	for (i = 0; i + 2 < rsp_len; i++)
		fprintf(c->log, "%02X", rsp[i]);
	fprintf(c->log, " SW %04X (%s)\n", sw, mi_sw_text(sw));
	fflush(c->log);
}

/* The logical channel named by the CLA (TS 102 221 §10.1.1). */
static struct sim_channel *channel_of(struct sim_card *c, uint8_t cla)
{
	unsigned n = (cla & 0x40) ? 4u + (cla & 0x0Fu) : (cla & 0x03u);

	if (n >= SIM_MAX_CHANNELS || !c->ch[n].open)
		return NULL;
	return &c->ch[n];
}

static void process(struct sim_card *c, const uint8_t *cmd, size_t cmd_len, struct sim_rsp *r)
{
	struct mi_apdu a;
	const struct sim_cmd *k;
	struct sim_channel *ch;
	int rc;

	r->len = 0;
	r->sw = MI_SW_OK;
	c->mask_data = 0;
	/* a GET RESPONSE answers only the command just before it */
	if (cmd_len < 2 || cmd[1] != 0xC0)
		c->pending_len = 0;
	if (cmd_len > MI_APDU_BUF) {
		r->sw = MI_SW_WRONG_LENGTH;
		return;
	}
	rc = mi_apdu_parse(cmd, (mi_u16)cmd_len, &a);
	if (rc != MI_OK) {
		r->sw = MI_SW_WRONG_LENGTH; /* truncated, Lc/length mismatch, extended */
		return;
	}
	k = sim_cmd_find(a.cla, a.ins, &r->sw);
	if (!k)
		return;
	ch = channel_of(c, a.cla);
	if (!ch) {
		r->sw = MI_SW_CHANNEL_NOT_SUPPORTED;
		return;
	}
	k->fn(c, ch, &a, r);
	if ((k->flags & SIM_CMD_T0_OUT) && r->len && (r->sw == MI_SW_OK)) {
		/* T=0 case 4: data only through GET RESPONSE (TS 102 221 §7.3.1.1.4) */
		memcpy(c->pending, r->data, r->len);
		c->pending_len = r->len;
		r->sw = (uint16_t)(MI_SW_BYTES_AVAILABLE | (r->len & 0xFF));
		r->len = 0;
	}
}

int sim_card_transmit(struct sim_card *c, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
		      size_t *resp_len)
{
	struct sim_rsp r;
	size_t cap;

	if (!resp_len)
		return SIM_ERR_PARAM;
	cap = *resp_len;
	*resp_len = 0;
	if (!c || !cmd || !resp)
		return SIM_ERR_PARAM;
	if (!c->powered)
		return SIM_ERR_POWER;
	if (cap < 2)
		return SIM_ERR_BUFFER;
	process(c, cmd, cmd_len, &r);
	if (c->nv.torn) {
		/* the power went: no answer, the card restarts at the next power-on */
		c->powered = 0;
		if (c->log)
			fprintf(c->log, "#%u power cut at NV write %u\n", (unsigned)c->apdus,
				(unsigned)c->nv.writes);
		return SIM_ERR_TORN;
	}
	/* the toolkit framework's own commands, when it owns the applet's
	 * events and menu (sim_toolkit.c) */
	sim_toolkit_flush(c);
	/* TS 102 221 §14.6.1: any normal ending may announce a proactive command */
	if (r.sw == MI_SW_OK && c->port.proactive_len)
		r.sw = (uint16_t)(MI_SW_PROACTIVE | (c->port.proactive_len & 0xFF));
	if (cap < (size_t)r.len + 2u)
		return SIM_ERR_BUFFER;
	memcpy(resp, r.data, r.len);
	resp[r.len] = (uint8_t)(r.sw >> 8);
	resp[r.len + 1] = (uint8_t)r.sw;
	*resp_len = (size_t)r.len + 2u;
	c->apdus++;
	if (c->log || c->pcap)
		trace(c, cmd, cmd_len, resp, *resp_len);
	return SIM_OK;
}
