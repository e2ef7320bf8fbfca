/* SPDX-License-Identifier: Apache-2.0 */
#include "sim_json_err.h"

#include <stdio.h>
#include <string.h>

const char *sim_json_error_text(json_error_t *je)
{
	char *near = strstr(je->text, " near '");

	if (near)
		*near = '\0';
	return je->text;
}

void sim_text_escape(char *s, size_t cap)
{
	char tmp[1024];
	size_t i, o = 0;

	for (i = 0; s[i] && o + 5 < sizeof(tmp); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F) {
			tmp[o++] = (char)c;
		} else {
			snprintf(tmp + o, 5, "\\x%02X", c);
			o += 4;
		}
	}
	tmp[o] = '\0';
	if (cap)
		snprintf(s, cap, "%s", tmp);
}
