/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_transport.h"

#include <stdio.h>
#include <string.h>

int ld_pcsc_list(int json, int *first);
#ifdef HAVE_LIBNFC
int ld_nfc_list(int json, int *first);
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

int ld_list_readers(int json)
{
	int first = 1, n;

	if (json)
		printf("{\"readers\": [");
	n = ld_pcsc_list(json, &first);
#ifdef HAVE_LIBNFC
	{
		int m = ld_nfc_list(json, &first);
		if (m > 0)
			n = (n > 0 ? n : 0) + m;
	}
#endif
	if (json)
		printf("\n]}\n");
	return n;
}
