/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_adm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ld_card.h"

static int from_text(char *text, uint8_t adm[8], const char *src, char *err, size_t err_len)
{
	size_t n = strcspn(text, "\r\n");
	int rc;

	text[n] = '\0';
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		text[--n] = '\0';
	rc = (n == 8 || n == 16) && ld_parse_secret(text, adm) == LD_OK;
	memset(text, 0, n);
	if (!rc) {
		snprintf(err, err_len, "ADM from %s must be 8 digits or 16 hex digits", src);
		return LD_ERR_PARAM;
	}
	return 1;
}

static int from_file(const char *file, uint8_t adm[8], char *err, size_t err_len)
{
	char line[80] = "";
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	int rc;

	if (!f) {
		snprintf(err, err_len, "--adm-file %s: %s", file, strerror(errno));
		return LD_ERR_PARAM;
	}
	setvbuf(f, NULL, _IONBF, 0); /* no stdio copy of the secret */
	if (!fgets(line, sizeof(line), f)) {
		snprintf(err, err_len, "--adm-file %s: empty", file);
		rc = LD_ERR_PARAM;
	} else {
		rc = from_text(line, adm, "--adm-file", err, err_len);
	}
	memset(line, 0, sizeof(line));
	if (f != stdin)
		fclose(f);
	return rc;
}

static int from_prompt(uint8_t adm[8], char *err, size_t err_len)
{
	char line[80] = "";
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int rc, echo_off;

	if (!tty) {
		snprintf(err, err_len, "ADM1 needed: give --adm-file FILE or MIMSI_ADM (no terminal "
				       "to ask on)");
		return LD_ERR_PARAM;
	}
	setvbuf(tty, NULL, _IONBF, 0);
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
	}
	fputs("ADM1 (8 digits or 16 hex digits): ", tty);
	if (!fgets(line, sizeof(line), tty)) {
		snprintf(err, err_len, "no ADM1 entered");
		rc = LD_ERR_PARAM;
	} else {
		rc = from_text(line, adm, "the prompt", err, err_len);
	}
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	memset(line, 0, sizeof(line));
	fclose(tty);
	return rc;
}

int ld_adm_get(const char *file, int may_prompt, uint8_t adm[8], char *err, size_t err_len)
{
	const char *env = getenv("MIMSI_ADM");

	if (file)
		return from_file(file, adm, err, err_len);
	if (env && *env) {
		char text[80];
		snprintf(text, sizeof(text), "%s", env);
		return from_text(text, adm, "MIMSI_ADM", err, err_len);
	}
	if (may_prompt)
		return from_prompt(adm, err, err_len);
	return 0;
}
