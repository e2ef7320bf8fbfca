/* SPDX-License-Identifier: Apache-2.0 */
/* In-process simulator transport: the card of simulator/uicc driven through
 * sim_card_transmit(), as pcscd would drive it. "sim:" alone is the built-in
 * default card; "sim:A.json,B.json" are cards inserted one after the other
 * (batch tests). A cut after N commands simulates pulling the card. */
#include "ld_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_card.h"

#define SIM_IMAGES_MAX 16u

struct simtr_ctx {
	struct sim_card *card;
	int owned;
	int powered;
	long cut;                /* commands left before the drop; < 0: none */
	int dropped;
	unsigned long n_cmd;
	const char *cur_image;   /* saved back on removal/close ("" = default card) */
	char *images[SIM_IMAGES_MAX];
	size_t n_images, next_image;
	char name[300];
	char err[300];
};

static int load_next(struct simtr_ctx *s)
{
	const char *img;

	if (s->next_image >= s->n_images)
		return LD_ERR_TIMEOUT;
	img = s->images[s->next_image++];
	s->cur_image = img;
	if (!*img || access(img, F_OK) != 0) {
		/* no image yet: a fresh default card, saved there on removal */
		s->card = sim_card_new_default();
	} else {
		s->card = sim_card_load(img, s->err, sizeof(s->err));
	}
	if (!s->card)
		return LD_ERR_IO;
	s->owned = 1;
	s->powered = 0;
	snprintf(s->name, sizeof(s->name), "sim:%s", *img ? img : "default");
	return LD_OK;
}

/* A card keeps its state: its image file is written when the loader
 * commits a write and again when the card leaves the reader, so `write`
 * then `read` see the same card. */
static int save_now(struct simtr_ctx *s)
{
	if (s->card && s->owned && s->cur_image && *s->cur_image &&
	    sim_card_save(s->card, s->cur_image, s->err, sizeof(s->err)) < 0)
		return LD_ERR_IO;
	return LD_OK;
}

static void save_back(struct simtr_ctx *s)
{
	if (save_now(s) < 0)
		fprintf(stderr, "mimsi-card: %s\n", s->err);
}

static int simtr_commit(void *ctx)
{
	return save_now(ctx);
}

static int simtr_open(void **ctx, const char *spec, char *err, size_t err_len)
{
	struct simtr_ctx *s = calloc(1, sizeof(*s));
	char *copy, *tok, *save = NULL;

	if (!s) {
		snprintf(err, err_len, "out of memory");
		return LD_ERR_IO;
	}
	s->cut = -1;
	copy = strdup(spec ? spec : "");
	if (!copy) {
		free(s);
		return LD_ERR_IO;
	}
	if (!*copy) {
		s->images[s->n_images++] = copy;
	} else {
		for (tok = strtok_r(copy, ",", &save); tok && s->n_images < SIM_IMAGES_MAX;
		     tok = strtok_r(NULL, ",", &save))
			s->images[s->n_images++] = strdup(tok);
		free(copy);
	}
	if (load_next(s) < 0) {
		snprintf(err, err_len, "simulator: %s", s->err[0] ? s->err : "cannot create card");
		for (size_t i = 0; i < s->n_images; i++)
			free(s->images[i]);
		free(s);
		return LD_ERR_IO;
	}
	*ctx = s;
	return LD_OK;
}

static int simtr_reset(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct simtr_ctx *s = ctx;
	int rc;

	if (!s->card) {
		*atr_len = 0;
		return LD_ERR_NO_CARD;
	}
	if (s->dropped) {
		*atr_len = 0;
		return LD_ERR_REMOVED;
	}
	rc = s->powered ? sim_card_reset(s->card, atr, atr_len)
			: sim_card_power_on(s->card, atr, atr_len);
	if (rc < 0) {
		snprintf(s->err, sizeof(s->err), "simulator: power-up failed (%d)", rc);
		return LD_ERR_IO;
	}
	s->powered = 1;
	return LD_OK;
}

static int simtr_atr(void *ctx, uint8_t *atr, size_t *atr_len)
{
	struct simtr_ctx *s = ctx;

	if (!s->powered)
		return simtr_reset(ctx, atr, atr_len);
	return sim_card_reset(s->card, atr, atr_len) < 0 ? LD_ERR_IO : LD_OK;
}

static int simtr_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			  size_t *resp_len)
{
	struct simtr_ctx *s = ctx;
	int rc;

	if (!s->card || !s->powered) {
		*resp_len = 0;
		return LD_ERR_NO_CARD;
	}
	if (s->dropped || s->cut == 0) {
		/* the reader was pulled: the card loses power, nothing arrives */
		if (!s->dropped)
			sim_card_power_off(s->card);
		s->dropped = 1;
		*resp_len = 0;
		snprintf(s->err, sizeof(s->err), "simulator: card removed");
		return LD_ERR_REMOVED;
	}
	if (s->cut > 0)
		s->cut--;
	rc = sim_card_transmit(s->card, cmd, cmd_len, resp, resp_len);
	s->n_cmd++;
	if (rc == SIM_ERR_BUFFER)
		return LD_ERR_BUFFER;
	if (rc < 0) {
		snprintf(s->err, sizeof(s->err), "simulator: transmit failed (%d)", rc);
		return LD_ERR_IO;
	}
	return LD_OK;
}

static int simtr_wait_card(void *ctx, int present, unsigned timeout_ms)
{
	struct simtr_ctx *s = ctx;

	(void)timeout_ms;
	if (!present) {
		/* removal: the next wait for a card takes the next image */
		save_back(s);
		if (s->card && s->owned)
			sim_card_free(s->card);
		s->card = NULL;
		s->powered = 0;
		return LD_OK;
	}
	if (s->card)
		return LD_OK;
	return load_next(s);
}

static int simtr_reconnect(void *ctx)
{
	struct simtr_ctx *s = ctx;
	uint8_t atr[LD_ATR_MAX];
	size_t n = sizeof(atr);

	if (!s->card)
		return LD_ERR_NO_CARD;
	s->powered = 0;
	return simtr_reset(ctx, atr, &n);
}

static const char *simtr_reader_name(void *ctx)
{
	return ((struct simtr_ctx *)ctx)->name;
}

static const char *simtr_last_error(void *ctx)
{
	return ((struct simtr_ctx *)ctx)->err;
}

static void simtr_close(void *ctx)
{
	struct simtr_ctx *s = ctx;
	size_t i;

	if (!s)
		return;
	save_back(s);
	if (s->card && s->owned)
		sim_card_free(s->card);
	for (i = 0; i < s->n_images; i++)
		free(s->images[i]);
	free(s);
}

const struct ld_transport_ops ld_sim_ops = {
	.name = "sim",
	.open = simtr_open,
	.reset = simtr_reset,
	.atr = simtr_atr,
	.transmit = simtr_transmit,
	.wait_card = simtr_wait_card,
	.reconnect = simtr_reconnect,
	.reader_name = simtr_reader_name,
	.last_error = simtr_last_error,
	.close = simtr_close,
	.commit = simtr_commit,
};

int ld_sim_attach(struct ld_transport *t, struct sim_card *card)
{
	struct simtr_ctx *s = calloc(1, sizeof(*s));

	if (!s)
		return LD_ERR_IO;
	s->card = card;
	s->cut = -1;
	snprintf(s->name, sizeof(s->name), "sim:attached");
	t->ops = &ld_sim_ops;
	t->ctx = s;
	return LD_OK;
}

void ld_sim_cut_after(struct ld_transport *t, long n)
{
	struct simtr_ctx *s = t->ctx;

	s->cut = n;
}

int ld_sim_reinsert(struct ld_transport *t)
{
	struct simtr_ctx *s = t->ctx;

	s->cut = -1;
	s->dropped = 0;
	return simtr_reconnect(s);
}

unsigned long ld_sim_commands(const struct ld_transport *t)
{
	return ((const struct simtr_ctx *)t->ctx)->n_cmd;
}
