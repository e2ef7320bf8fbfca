/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_err_text.c
 *  mi_strerror(): host-side text for mi_err values (left out of the card
 *  image: applet/host holds the host-only codecs).
 */
#include "mimsi/mi_err.h"
#include "mimsi/mi_types.h"

static const struct {
	int err;
	const char *text;
} mi_err_texts[] = {
    {MI_OK, "success"},
    {MI_ERR_TRUNCATED, "truncated: the buffer ends before the item does"},
    {MI_ERR_LENGTH, "bad length: beyond what remains, or malformed"},
    {MI_ERR_CAPACITY, "output buffer too small"},
    {MI_ERR_DIGIT, "not a digit"},
    {MI_ERR_RANGE, "value out of range"},
    {MI_ERR_TAG, "unexpected or missing tag"},
    {MI_ERR_FORMAT, "bad format"},
    {MI_ERR_CRC, "CRC mismatch (torn or corrupt file)"},
    {MI_ERR_VERSION, "unsupported format version"},
    {MI_ERR_STATE, "not valid in the current state"},
    {MI_ERR_NV, "non-volatile memory error"},
    {MI_ERR_NOT_FOUND, "not found"},
    {MI_ERR_BUSY, "busy: a proactive command is already pending"},
    {MI_ERR_UNSUPPORTED, "not supported"},
    {MI_ERR_PARAM, "bad argument"},
};

const char *mi_strerror(int err)
{
	size_t i;

	for (i = 0; i < MI_ARRAY_SIZE(mi_err_texts); i++) {
		if (mi_err_texts[i].err == err)
			return mi_err_texts[i].text;
	}
	return err > 0 ? "not an error (a count)" : "unknown error";
}
