/* SPDX-License-Identifier: Apache-2.0 */
/* libnfc transport for dual-interface test cards: ISO 14443-A, ISO-DEP.
 * A contactless card has no ATR; as PC/SC part 3 §3.1.3.2.3 does, we build
 * one from the ATS historical bytes: 3B 8n 80 01 <hist> TCK. */
#include "ld_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <nfc/nfc.h>

#define NFC_DEVICES_MAX 8u
#define NFC_TIMEOUT_MS 2000

struct nfc_ctx {
	nfc_context *lib;
	nfc_device *dev;
	nfc_target target;
	int selected;
	char name[300];
	char err[200];
};

static const nfc_modulation iso14443a = {.nmt = NMT_ISO14443A, .nbr = NBR_106};

static int nfc_tr_open(void **ctx, const char *spec, char *err, size_t err_len)
{
	struct nfc_ctx *p = calloc(1, sizeof(*p));
	nfc_connstring cs[NFC_DEVICES_MAX];
	size_t n, pick = 0;

	if (!p)
		return LD_ERR_IO;
	setenv("LIBNFC_LOG_LEVEL", "0", 0); /* bus-scan noise on stderr, unless asked */
	nfc_init(&p->lib);
	if (!p->lib) {
		snprintf(err, err_len, "libnfc: init failed");
		free(p);
		return LD_ERR_IO;
	}
	n = nfc_list_devices(p->lib, cs, NFC_DEVICES_MAX);
	if (spec && *spec) {
		char *end;
		unsigned long idx = strtoul(spec, &end, 10);
		size_t i;
		pick = (size_t)-1;
		if (*end == '\0' && idx < n)
			pick = idx;
		for (i = 0; i < n && pick == (size_t)-1; i++)
			if (strstr(cs[i], spec))
				pick = i;
	}
	if (n == 0 || pick >= n) {
		snprintf(err, err_len, "libnfc: no device matches \"%s\"", spec ? spec : "");
		nfc_exit(p->lib);
		free(p);
		return LD_ERR_NO_READER;
	}
	p->dev = nfc_open(p->lib, cs[pick]);
	if (!p->dev || nfc_initiator_init(p->dev) < 0) {
		snprintf(err, err_len, "libnfc: cannot open %s", cs[pick]);
		if (p->dev)
			nfc_close(p->dev);
		nfc_exit(p->lib);
		free(p);
		return LD_ERR_IO;
	}
	snprintf(p->name, sizeof(p->name), "nfc:%s", nfc_device_get_name(p->dev));
	*ctx = p;
	return LD_OK;
}

static int nfc_tr_atr(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct nfc_ctx *p = ctx;
	const nfc_iso14443a_info *a = &p->target.nti.nai;
	size_t hist = 0, off = 1, i, n = 0;
	uint8_t tck = 0;

	if (!p->selected)
		return LD_ERR_NO_CARD;
	/* ATS: TL T0 [TA TB TC] historical bytes (ISO 14443-4 §5.2) */
	if (a->szAtsLen >= 1) {
		uint8_t t0 = a->abtAts[0];
		off = 1u + (size_t)((t0 & 0x10u) != 0) + (size_t)((t0 & 0x20u) != 0) +
		      (size_t)((t0 & 0x40u) != 0);
		if (a->szAtsLen > off)
			hist = a->szAtsLen - off;
	}
	if (hist > 15)
		hist = 15;
	if (*atr_len < 5 + hist) {
		*atr_len = 0;
		return LD_ERR_BUFFER;
	}
	atr[n++] = 0x3B;
	atr[n++] = (uint8_t)(0x80u | hist);
	atr[n++] = 0x80;
	atr[n++] = 0x01;
	for (i = 0; i < hist; i++)
		atr[n++] = a->abtAts[off + i];
	for (i = 1; i < n; i++)
		tck ^= atr[i];
	atr[n++] = tck;
	*atr_len = n;
	return LD_OK;
}

static int nfc_tr_reset(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct nfc_ctx *p = ctx;

	p->selected = 0;
	if (nfc_initiator_select_passive_target(p->dev, iso14443a, NULL, 0, &p->target) <= 0) {
		snprintf(p->err, sizeof(p->err), "libnfc: no ISO 14443-A card");
		*atr_len = 0;
		return LD_ERR_NO_CARD;
	}
	p->selected = 1;
	return nfc_tr_atr(ctx, atr, atr_len);
}

static int nfc_tr_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			   size_t *resp_len)
{
	struct nfc_ctx *p = ctx;
	size_t cap = *resp_len;
	int n;

	*resp_len = 0;
	if (!p->selected)
		return LD_ERR_NO_CARD;
	n = nfc_initiator_transceive_bytes(p->dev, cmd, cmd_len, resp, cap, NFC_TIMEOUT_MS);
	if (n < 0) {
		snprintf(p->err, sizeof(p->err), "libnfc: %s", nfc_strerror(p->dev));
		return n == NFC_EOVFLOW ? LD_ERR_BUFFER : LD_ERR_REMOVED;
	}
	*resp_len = (size_t)n;
	return LD_OK;
}

static int nfc_tr_wait_card(void *ctx, int present, unsigned timeout_ms)
{
	struct nfc_ctx *p = ctx;
	unsigned waited = 0;

	for (;;) {
		int here;
		if (present) {
			here = nfc_initiator_select_passive_target(p->dev, iso14443a, NULL, 0,
								   &p->target) > 0;
			p->selected = here;
		} else {
			here = p->selected && nfc_initiator_target_is_present(p->dev, &p->target) == 0;
			if (!here)
				p->selected = 0;
		}
		if (here == present)
			return LD_OK;
		if (timeout_ms && waited >= timeout_ms)
			return LD_ERR_TIMEOUT;
		waited += 250;
		{
			struct timespec ts = {0, 250 * 1000 * 1000L};
			nanosleep(&ts, NULL);
		}
	}
}

static int nfc_tr_reconnect(void *ctx)
{
	uint8_t atr[LD_ATR_MAX];
	size_t n = sizeof(atr);

	return nfc_tr_reset(ctx, atr, &n);
}

static const char *nfc_tr_reader_name(void *ctx)
{
	return ((struct nfc_ctx *)ctx)->name;
}

static const char *nfc_tr_last_error(void *ctx)
{
	return ((struct nfc_ctx *)ctx)->err;
}

static void nfc_tr_close(void *ctx)
{
	struct nfc_ctx *p = ctx;

	if (!p)
		return;
	nfc_close(p->dev);
	nfc_exit(p->lib);
	free(p);
}

const struct ld_transport_ops ld_nfc_ops = {
	.name = "nfc",
	.open = nfc_tr_open,
	.reset = nfc_tr_reset,
	.atr = nfc_tr_atr,
	.transmit = nfc_tr_transmit,
	.wait_card = nfc_tr_wait_card,
	.reconnect = nfc_tr_reconnect,
	.reader_name = nfc_tr_reader_name,
	.last_error = nfc_tr_last_error,
	.close = nfc_tr_close,
};

int ld_nfc_list(const char *filter, json_t *arr);
int ld_nfc_list(const char *filter, json_t *arr)
{
	nfc_context *lib;
	nfc_connstring cs[NFC_DEVICES_MAX];
	size_t n, i;
	int shown = 0;

	setenv("LIBNFC_LOG_LEVEL", "0", 0);
	nfc_init(&lib);
	if (!lib)
		return 0;
	n = nfc_list_devices(lib, cs, NFC_DEVICES_MAX);
	for (i = 0; i < n; i++) {
		if (filter && *filter && !strstr(cs[i], filter))
			continue;
		shown++;
		if (arr)
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "index", (json_int_t)i,
							     "transport", "nfc", "name", cs[i]));
		else
			printf("nfc:%zu: %s\n", i, cs[i]);
	}
	nfc_exit(lib);
	return shown;
}
