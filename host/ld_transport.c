/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_transport.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

int ld_pcsc_list(const char *filter, json_t *arr);
#ifdef HAVE_LIBNFC
int ld_nfc_list(const char *filter, json_t *arr);
#endif

int ld_transport_open(struct ld_transport *t, const char *reader, char *err, size_t err_len)
{
	const struct ld_transport_ops *ops = &ld_pcsc_ops;
	const char *spec = reader;

	t->ops = NULL;
	t->ctx = NULL;
	if (reader && strncmp(reader, "sim:", 4) == 0) {
#ifdef LD_HAVE_SIM
		ops = &ld_sim_ops;
		spec = reader + 4;
#else
		snprintf(err, err_len, "built without the simulator transport");
		return LD_ERR_UNSUPPORTED;
#endif
	} else if (reader && strncmp(reader, "nfc:", 4) == 0) {
#ifdef HAVE_LIBNFC
		ops = &ld_nfc_ops;
		spec = reader + 4;
#else
		snprintf(err, err_len, "built without libnfc");
		return LD_ERR_UNSUPPORTED;
#endif
	}
	err[0] = '\0';
	{
		int rc = ops->open(&t->ctx, spec, err, err_len);
		if (rc < 0)
			return rc;
	}
	t->ops = ops;
	return LD_OK;
}

void ld_transport_close(struct ld_transport *t)
{
	if (t->ops)
		t->ops->close(t->ctx);
	t->ops = NULL;
	t->ctx = NULL;
}

int ld_transport_begin(struct ld_transport *t)
{
	return t->ops && t->ops->begin ? t->ops->begin(t->ctx) : LD_OK;
}

int ld_transport_end(struct ld_transport *t)
{
	return t->ops && t->ops->end ? t->ops->end(t->ctx) : LD_OK;
}

int ld_transport_commit(struct ld_transport *t)
{
	return t->ops && t->ops->commit ? t->ops->commit(t->ctx) : LD_OK;
}

size_t ld_transport_matches(struct ld_transport *t)
{
	return t->ops && t->ops->matches ? t->ops->matches(t->ctx) : 1;
}

int ld_list_readers(const char *filter, int json)
{
	json_t *arr = json ? json_array() : NULL;
	int n;

	if (json && !arr)
		return LD_ERR_IO;
	n = ld_pcsc_list(filter, arr);
#ifdef HAVE_LIBNFC
	{
		int m = ld_nfc_list(filter, arr);
		if (m > 0)
			n = (n > 0 ? n : 0) + m;
	}
#endif
	if (json) {
		json_t *root = json_pack("{s:o}", "readers", arr);
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2)) < 0)
			n = LD_ERR_IO;
		else
			putchar('\n');
		json_decref(root);
	}
	return n;
}
