/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-card: read, write and check the mimsi applet files on SIM cards
 * through PC/SC (or libnfc, or the in-process simulator). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ld_batch.h"
#include "ld_card.h"
#include "ld_info.h"
#include "ld_instparams_cmd.h"
#include "ld_mimsi.h"
#include "ld_trace.h"
#include "ld_transport.h"
#include "ld_write.h"
#include "mimsi/mi_apdu.h"

#define ARGS_MAX 64

struct cli {
	const char *reader, *trace, *transcript, *adm_text, *out_dir, *dir, *log, *script;
	int verbose, json, create, dry_run, force, help;
	unsigned chunk, timeout_s, max_cards;
	int arr_rec;
	const char *pos[ARGS_MAX];
	int n_pos;
};

static const char usage[] =
	"usage: mimsi-card [-r READER] [-v] [--trace F.pcap] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  list                         PC/SC readers (and libnfc devices), card presence, ATR\n"
	"  info                         ATR decoded, ICCID, IMSI, EF_DIR applications, applet files,\n"
	"                               retry counters\n"
	"  read [-o DIR]                applet EFs and network-selection EFs, decoded\n"
	"  write DIR --adm ADM [--create] [--dry-run] [--force]\n"
	"                               write a compiled set (ef_cfg/ef_slots/ef_rules.bin)\n"
	"  batch CSV --dir DIR [--log F] [--timeout S] [--max N]\n"
	"                               program many cards, one per insertion, resumable\n"
	"  apdu HEX... | --script FILE  raw APDUs (GET RESPONSE and 6Cxx handled)\n"
	"  install-params build|lint    GlobalPlatform INSTALL parameters (offline)\n"
	"\n"
	"options:\n"
	"  -r, --reader R   reader index or name substring (PC/SC), nfc:[N|name], or\n"
	"                   sim:[IMAGE[,IMAGE...]] for the in-process simulator\n"
	"  --json           output as JSON (list, info, read, write, apdu)\n"
	"  -v               decoded APDU log on stderr (PIN/ADM masked)\n"
	"  --trace F.pcap   GSMTAP trace of every exchange (secrets as FF)\n"
	"  --transcript F   'cmd -> resp' lines (secrets as XX), as in test-vectors/apdu\n"
	"  --chunk N        largest READ/UPDATE BINARY (1..255, default 255)\n"
	"  --adm ADM        ADM1: 8 digits or 16 hex digits (never printed)\n"
	"  --arr-record N   EF_ARR record for files made by --create (default 3)\n"
	"  -h, --help       this text; see also mimsi-card(1)\n";

static int need_value(int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "mimsi-card: %s needs a value\n", argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

static int parse_uint(const char *s, unsigned *out, unsigned max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_cli(int argc, char **argv, struct cli *o)
{
	int i;
	const char *v;
	unsigned u;

	memset(o, 0, sizeof(*o));
	o->chunk = 255;
	o->arr_rec = 3;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-r") || !strcmp(a, "--reader")) {
			if (need_value(argc, argv, &i, &o->reader))
				return -1;
		} else if (!strcmp(a, "--trace")) {
			if (need_value(argc, argv, &i, &o->trace))
				return -1;
		} else if (!strcmp(a, "--transcript")) {
			if (need_value(argc, argv, &i, &o->transcript))
				return -1;
		} else if (!strcmp(a, "--adm")) {
			if (need_value(argc, argv, &i, &o->adm_text))
				return -1;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
			if (need_value(argc, argv, &i, &o->out_dir))
				return -1;
		} else if (!strcmp(a, "--dir")) {
			if (need_value(argc, argv, &i, &o->dir))
				return -1;
		} else if (!strcmp(a, "--log")) {
			if (need_value(argc, argv, &i, &o->log))
				return -1;
		} else if (!strcmp(a, "--script")) {
			if (need_value(argc, argv, &i, &o->script))
				return -1;
		} else if (!strcmp(a, "--chunk") || !strcmp(a, "--timeout") || !strcmp(a, "--max") ||
			   !strcmp(a, "--arr-record")) {
			if (need_value(argc, argv, &i, &v))
				return -1;
			if (parse_uint(v, &u, !strcmp(a, "--chunk") ? 255u : 1000000u) ||
			    (!strcmp(a, "--chunk") && u == 0) ||
			    (!strcmp(a, "--arr-record") && (u == 0 || u > 254))) {
				fprintf(stderr, "mimsi-card: bad value for %s: %s\n", a, v);
				return -1;
			}
			if (!strcmp(a, "--chunk"))
				o->chunk = u;
			else if (!strcmp(a, "--timeout"))
				o->timeout_s = u;
			else if (!strcmp(a, "--max"))
				o->max_cards = u;
			else
				o->arr_rec = (int)u;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = 1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--create")) {
			o->create = 1;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = 1;
		} else if (!strcmp(a, "--force")) {
			o->force = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			o->help = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "mimsi-card: unknown option %s (see --help)\n", a);
			return -1;
		} else {
			if (o->n_pos >= ARGS_MAX) {
				fprintf(stderr, "mimsi-card: too many arguments\n");
				return -1;
			}
			o->pos[o->n_pos++] = a;
		}
	}
	return 0;
}

static int exit_for(int rc)
{
	switch (rc) {
	case LD_OK: return EX_OK;
	case LD_ERR_NO_READER:
	case LD_ERR_NO_CARD: return EX_UNAVAILABLE;
	case LD_ERR_PARAM: return EX_USAGE;
	case LD_ERR_REFUSED: return EX_NOPERM;
	case LD_ERR_FORMAT: return EX_DATAERR;
	case LD_ERR_VERIFY: return EX_SOFTWARE;
	case LD_ERR_TIMEOUT: return EX_TEMPFAIL;
	case LD_ERR_UNSUPPORTED: return EX_UNAVAILABLE;
	default: return EX_IOERR;
	}
}

struct session {
	struct ld_transport t;
	struct ld_card c;
	FILE *transcript;
};

static int session_open(struct session *s, const struct cli *o, int power)
{
	char err[300];
	int rc;

	memset(s, 0, sizeof(*s));
	rc = ld_transport_open(&s->t, o->reader, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err[0] ? err : ld_strerror(rc));
		return rc;
	}
	ld_card_init(&s->c, &s->t);
	s->c.max_chunk = o->chunk;
	if (o->verbose)
		s->c.log = stderr;
	if (o->trace) {
		s->c.trace = ld_trace_open(o->trace, err, sizeof(err));
		if (!s->c.trace) {
			fprintf(stderr, "mimsi-card: --trace: %s\n", err);
			ld_transport_close(&s->t);
			return LD_ERR_PARAM;
		}
	}
	if (o->transcript) {
		s->transcript = fopen(o->transcript, "w");
		if (!s->transcript) {
			fprintf(stderr, "mimsi-card: --transcript: cannot open %s\n", o->transcript);
			ld_trace_close(s->c.trace);
			ld_transport_close(&s->t);
			return LD_ERR_PARAM;
		}
		s->c.transcript = s->transcript;
	}
	if (power) {
		rc = ld_card_power(&s->c);
		if (rc < 0) {
			fprintf(stderr, "mimsi-card: %s: %s (%s)\n", s->t.ops->reader_name(s->t.ctx),
				ld_strerror(rc), s->t.ops->last_error(s->t.ctx));
			return rc;
		}
	}
	return LD_OK;
}

static void session_close(struct session *s)
{
	ld_trace_close(s->c.trace);
	if (s->transcript)
		fclose(s->transcript);
	ld_transport_close(&s->t);
}

static int cmd_list(const struct cli *o)
{
	int n = ld_list_readers(o->json);

	return n < 0 ? EX_UNAVAILABLE : EX_OK;
}

static int cmd_info(const struct cli *o)
{
	struct session s;
	int rc = session_open(&s, o, 1);

	if (rc == LD_OK) {
		rc = ld_info(&s.c, stdout, o->json);
		if (rc < 0)
			fprintf(stderr, "mimsi-card: info: %s\n", ld_strerror(rc));
	}
	session_close(&s);
	return exit_for(rc);
}

static int cmd_read(const struct cli *o)
{
	struct session s;
	int rc = session_open(&s, o, 1);

	if (rc == LD_OK) {
		rc = ld_read(&s.c, stdout, o->json, o->out_dir);
		if (rc < 0)
			fprintf(stderr, "mimsi-card: read: %s\n", ld_strerror(rc));
	}
	session_close(&s);
	return exit_for(rc);
}

static int adm_from_cli(const struct cli *o, uint8_t adm[8])
{
	size_t n;

	if (!o->adm_text)
		return 0;
	n = strlen(o->adm_text);
	if ((n != 8 && n != 16) || ld_parse_secret(o->adm_text, adm) < 0) {
		fprintf(stderr, "mimsi-card: --adm must be 8 digits or 16 hex digits\n");
		return -1;
	}
	return 1;
}

static void write_opts(const struct cli *o, struct ld_write_opts *w)
{
	ld_write_opts_default(w);
	w->force = o->force;
	w->create = o->create;
	w->arr_rec_ef = (uint8_t)o->arr_rec;
}

static void tries_text(char *buf, size_t n, int t)
{
	if (t == LD_TRIES_NOT_NEEDED)
		snprintf(buf, n, "not needed");
	else
		snprintf(buf, n, "%d", t);
}

static int cmd_write(const struct cli *o)
{
	struct session s;
	struct ld_set set;
	struct ld_write_opts w;
	struct ld_write_result r;
	uint8_t adm[8];
	char err[400], tb[16], ta[16];
	int rc, have_adm;

	if (o->n_pos != 2) {
		fprintf(stderr, "mimsi-card: write DIR --adm ADM (see --help)\n");
		return EX_USAGE;
	}
	have_adm = adm_from_cli(o, adm);
	if (have_adm < 0)
		return EX_USAGE;
	if (!have_adm && !o->dry_run) {
		fprintf(stderr, "mimsi-card: write needs --adm\n");
		return EX_USAGE;
	}
	rc = ld_set_load_dir(o->pos[1], &set, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		return rc == LD_ERR_FORMAT ? EX_DATAERR : EX_NOINPUT;
	}
	write_opts(o, &w);
	w.adm = have_adm ? adm : NULL;
	rc = session_open(&s, o, 1);
	if (rc == LD_OK) {
		if (o->dry_run) {
			s.c.dry = stdout;
			printf("# dry run: APDUs that would be sent (ADM masked)\n");
		}
		rc = ld_write_set(&s.c, &set, &w, &r, err, sizeof(err));
		tries_text(tb, sizeof(tb), r.tries_before);
		if (r.tries_after >= 0)
			snprintf(ta, sizeof(ta), "%d", r.tries_after);
		else
			snprintf(ta, sizeof(ta), "null");
		if (o->json) {
			printf("{\"status\": \"%s\", \"dry_run\": %s, \"adm_tries_before\": \"%s\", "
			       "\"adm_tries_left\": %s, \"identical\": %s, \"old_seq\": %u, "
			       "\"new_seq\": %u, \"updates\": %zu, \"bytes\": %zu, \"creates\": %lu, "
			       "\"apdus\": %lu, \"verified\": %s, \"error\": \"%s\"}\n",
			       rc == LD_OK ? "ok" : "error", o->dry_run ? "true" : "false", tb,
			       ta, r.identical ? "true" : "false", (unsigned)r.old_seq,
			       (unsigned)r.new_seq, r.n_update, r.bytes, r.n_create, r.apdus,
			       r.verified ? "true" : "false", rc == LD_OK ? "" : err);
		} else if (rc == LD_OK) {
			if (r.identical)
				printf("card already holds this set (seq %u): 0 UPDATE commands\n",
				       (unsigned)r.new_seq);
			else
				printf("%s set seq %u (was %s%u): %zu UPDATE commands, %zu bytes, %lu "
				       "CREATE FILE, %lu APDUs%s\n",
				       o->dry_run ? "would write" : "wrote", (unsigned)r.new_seq,
				       r.has_old ? "seq " : "none, max ", (unsigned)r.old_seq, r.n_update,
				       r.bytes, r.n_create, r.apdus,
				       o->dry_run ? "" : "; read back equal, new set active");
		}
		if (rc < 0)
			fprintf(stderr, "mimsi-card: write: %s\n", err[0] ? err : ld_strerror(rc));
	}
	memset(adm, 0, sizeof(adm));
	ld_set_free(&set);
	session_close(&s);
	return exit_for(rc);
}

static int cmd_batch(const struct cli *o)
{
	struct session s;
	struct ld_batch b;
	struct ld_batch_opts bo;
	struct ld_batch_stats st;
	struct ld_set probe;
	char err[400];
	int rc, resumed;
	size_t i;

	if (o->n_pos != 2 || !o->dir) {
		fprintf(stderr, "mimsi-card: batch CSV --dir DIR [--log F] (see --help)\n");
		return EX_USAGE;
	}
	rc = ld_set_load_dir(o->dir, &probe, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		return EX_NOINPUT;
	}
	ld_set_free(&probe);
	rc = ld_batch_load(o->pos[1], &b, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		return rc == LD_ERR_FORMAT ? EX_DATAERR : EX_NOINPUT;
	}
	resumed = o->log ? ld_batch_resume(&b, o->log) : 0;
	if (resumed)
		fprintf(stderr, "batch: resuming: %d card%s already done per %s\n", resumed,
			resumed == 1 ? "" : "s", o->log);
	for (i = 0; i < b.n_rows; i++)
		if (b.rows[i].has_keys) {
			fprintf(stderr, "batch: K/OPc columns given: no standard command writes keys and "
					"this card offers none, so keys are NOT written (values not shown)\n");
			break;
		}
	memset(&bo, 0, sizeof(bo));
	bo.dir = o->dir;
	bo.log_path = o->log;
	bo.timeout_s = o->timeout_s;
	bo.max_cards = o->max_cards;
	bo.json = o->log && strlen(o->log) > 5 && !strcmp(o->log + strlen(o->log) - 5, ".json");
	write_opts(o, &bo.wopts);
	rc = session_open(&s, o, 0);
	if (rc == LD_OK) {
		rc = ld_batch_run(&s.c, &b, &bo, &st);
		fprintf(stderr, "batch: %u programmed, %u failed, %u refused, %u skipped, %u left\n",
			st.done, st.failed, st.refused, st.skipped, st.remaining);
		if (rc == LD_ERR_TIMEOUT)
			fprintf(stderr, "batch: stopped with %u card%s left; run again to resume\n",
				st.remaining, st.remaining == 1 ? "" : "s");
		else if (rc < 0)
			fprintf(stderr, "mimsi-card: batch: %s\n", ld_strerror(rc));
		if (rc == LD_OK && st.failed)
			rc = LD_ERR_IO;
	}
	ld_batch_free(&b);
	session_close(&s);
	return exit_for(rc);
}

static int apdu_one(struct session *s, const char *hex, int json, int *first)
{
	uint8_t cmd[5 + 256 + 1], data[4096], mask[5 + 256 + 1];
	size_t n = sizeof(data);
	uint16_t sw;
	int len = ld_hex_parse(hex, cmd, sizeof(cmd)), rc;

	if (len < 4) {
		fprintf(stderr, "mimsi-card: not an APDU: %s\n", len < 0 ? "bad hex" : "too short");
		return LD_ERR_PARAM;
	}
	ld_apdu_mask(cmd, (size_t)len, mask);
	rc = ld_xfer(&s->c, cmd, (size_t)len, data, &n, &sw);
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: apdu: %s\n", ld_strerror(rc));
		return rc;
	}
	if (json) {
		printf("%s\n  {\"cmd\": \"", *first ? "" : ",");
		ld_hex_masked(stdout, cmd, (size_t)len, mask, 0);
		printf("\", \"data\": \"");
		ld_hex_masked(stdout, data, n, NULL, 0);
		printf("\", \"sw\": \"%04X\", \"text\": \"%s\"}", sw, mi_sw_text(sw));
		*first = 0;
	} else {
		printf("> ");
		ld_hex_masked(stdout, cmd, (size_t)len, mask, 0);
		printf("\n< ");
		ld_hex_masked(stdout, data, n, NULL, 0);
		printf("%s%04X  %s\n", n ? " " : "", sw, mi_sw_text(sw));
	}
	return LD_OK;
}

static int cmd_apdu(const struct cli *o)
{
	struct session s;
	int rc, i, first = 1;

	if (o->n_pos < 2 && !o->script) {
		fprintf(stderr, "mimsi-card: apdu HEX... | --script FILE\n");
		return EX_USAGE;
	}
	rc = session_open(&s, o, 1);
	if (rc < 0) {
		session_close(&s);
		return exit_for(rc);
	}
	if (o->json)
		printf("[");
	for (i = 1; rc == LD_OK && i < o->n_pos; i++)
		rc = apdu_one(&s, o->pos[i], o->json, &first);
	if (rc == LD_OK && o->script) {
		FILE *f = fopen(o->script, "r");
		char line[1200];
		if (!f) {
			fprintf(stderr, "mimsi-card: %s: cannot open\n", o->script);
			rc = LD_ERR_PARAM;
		}
		while (rc == LD_OK && f && fgets(line, sizeof(line), f)) {
			char *p = line + strspn(line, " \t");
			p[strcspn(p, "#\r\n")] = '\0';
			if (*p)
				rc = apdu_one(&s, p, o->json, &first);
		}
		if (f)
			fclose(f);
	}
	if (o->json)
		printf("\n]\n");
	session_close(&s);
	return exit_for(rc);
}

int main(int argc, char **argv)
{
	struct cli o;
	const char *cmd;

	if (argc > 1 && !strcmp(argv[1], "install-params")) /* offline: own options */
		return ld_instparams_main(argc - 1, argv + 1);
	if (parse_cli(argc, argv, &o) < 0)
		return EX_USAGE;
	if (o.help || o.n_pos == 0) {
		fputs(usage, o.help ? stdout : stderr);
		return o.help ? EX_OK : EX_USAGE;
	}
	cmd = o.pos[0];
	if (!strcmp(cmd, "list"))
		return cmd_list(&o);
	if (!strcmp(cmd, "info"))
		return cmd_info(&o);
	if (!strcmp(cmd, "read"))
		return cmd_read(&o);
	if (!strcmp(cmd, "write"))
		return cmd_write(&o);
	if (!strcmp(cmd, "batch"))
		return cmd_batch(&o);
	if (!strcmp(cmd, "apdu"))
		return cmd_apdu(&o);
	fprintf(stderr, "mimsi-card: unknown command \"%s\" (see --help)\n", cmd);
	return EX_USAGE;
}
