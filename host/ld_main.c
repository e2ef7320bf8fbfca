/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-card: read, write and check the mimsi applet files on SIM cards
 * through PC/SC (or libnfc, or the in-process simulator). Global options
 * come before the command; each command has its own option parser and
 * refuses the options it does not take. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "ld_adm.h"
#include "ld_batch.h"
#include "ld_card.h"
#include "ld_info.h"
#include "ld_instparams_cmd.h"
#include "ld_mimsi.h"
#include "ld_trace.h"
#include "ld_transport.h"
#include "ld_keys.h"
#include "ld_write.h"
#include "mimsi/mi_apdu.h"
#include "mimsi_build.h"

/* Options without a short letter. */
enum {
	O_TRACE = 256,
	O_TRANSCRIPT,
	O_CHUNK,
	O_JSON,
	O_VERSION,
	O_ADM_FILE,
	O_CREATE,
	O_DRY_RUN,
	O_FORCE,
	O_ARR_RECORD,
	O_DIR,
	O_LOG,
	O_TIMEOUT,
	O_MAX,
	O_SCRIPT,
	O_KEYS
};

/* Bits of the session options (global, or after the command). */
enum { S_READER = 1, S_VERBOSE = 2, S_TRACE = 4, S_TRANSCRIPT = 8, S_CHUNK = 16, S_JSON = 32 };
#define S_CARD (S_READER | S_VERBOSE | S_TRACE | S_TRANSCRIPT | S_CHUNK)

struct cli {
	const char *reader, *trace, *transcript, *adm_file, *out_dir, *dir, *log, *script, *keys;
	int verbose, json, create, dry_run, force;
	unsigned chunk, timeout_s, max_cards;
	int arr_rec;
	unsigned given; /* S_* bits set */
};

#define SESSION_OPTS                                                                              \
	{"reader", required_argument, 0, 'r'}, {"verbose", no_argument, 0, 'v'},                  \
	    {"trace", required_argument, 0, O_TRACE},                                            \
	    {"transcript", required_argument, 0, O_TRANSCRIPT},                                  \
	    {"chunk", required_argument, 0, O_CHUNK}, {"json", no_argument, 0, O_JSON},          \
	    {"help", no_argument, 0, 'h'}

static const char usage[] =
	"usage: mimsi-card [-r READER] [-v] [--trace F.pcap] [--transcript F] [--chunk N]\n"
	"                  COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"commands ('mimsi-card COMMAND --help' for each):\n"
	"  list     PC/SC readers (and libnfc devices), card presence, ATR\n"
	"  info     ATR decoded, ICCID, IMSI, EF_DIR applications, applet files, retry counters\n"
	"  read     applet EFs and network-selection EFs, decoded\n"
	"  write    write a compiled set (ef_cfg/ef_slots/ef_rules.bin), safely\n"
	"  batch    program many cards, one per insertion, resumable\n"
	"  apdu     raw APDUs (GET RESPONSE and 6Cxx handled)\n"
	"  install-params  GlobalPlatform INSTALL parameters: build and lint (offline)\n"
	"\n"
	"options (before or after the command):\n"
	"  -r, --reader R   reader index or name substring (PC/SC), nfc:[N|name], or\n"
	"                   sim:[IMAGE[,IMAGE...]] for the in-process simulator\n"
	"  --json           output as JSON (list, info, read, write, apdu)\n"
	"  -v, --verbose    decoded APDU log on stderr (PIN/ADM masked)\n"
	"  --trace F.pcap   GSMTAP trace of every exchange (secrets as FF)\n"
	"  --transcript F   'cmd -> resp' lines (secrets as XX), as in test-vectors/apdu\n"
	"  --chunk N        largest READ/UPDATE BINARY (1..255, default 255)\n"
	"  -h, --help       this text; --version the version; see also mimsi-card(1)\n"
	"\n"
	"The ADM1 for write comes from --adm-file FILE, $MIMSI_ADM or a prompt, never\n"
	"from the command line. Exit codes (sysexits.h): 0 ok, 64 usage, 65 bad data,\n"
	"66 input missing, 69 no reader/card, 74 I/O or read-back mismatch, 75 timeout,\n"
	"77 refused by a safety guard.\n";

struct command {
	const char *name;
	const char *synopsis; /* after "usage: mimsi-card NAME " */
	const char *help;
	unsigned session;    /* S_* bits it takes */
	int (*run)(struct cli *o, int argc, char **argv);
	const struct option *opts; /* its own options (session ones included) */
};

static int parse_uint(const char *s, unsigned *out, unsigned lo, unsigned hi)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* A session option (global or per command). \returns 1 taken, 0 not one,
 * -1 bad value. */
static int session_opt(struct cli *o, int ch)
{
	switch (ch) {
	case 'r': o->reader = optarg; o->given |= S_READER; return 1;
	case 'v': o->verbose = 1; o->given |= S_VERBOSE; return 1;
	case O_TRACE: o->trace = optarg; o->given |= S_TRACE; return 1;
	case O_TRANSCRIPT: o->transcript = optarg; o->given |= S_TRANSCRIPT; return 1;
	case O_JSON: o->json = 1; o->given |= S_JSON; return 1;
	case O_CHUNK:
		o->given |= S_CHUNK;
		if (parse_uint(optarg, &o->chunk, 1, 255) < 0) {
			fprintf(stderr, "mimsi-card: --chunk must be 1..255\n");
			return -1;
		}
		return 1;
	default: return 0;
	}
}

static int exit_for(int rc)
{
	return ld_sysexit(rc);
}

/* ---- the card session ------------------------------------------------ */
struct session {
	struct ld_transport t;
	struct ld_card c;
	FILE *transcript;
};

/* \a unique: the -r selection must name one reader (write, batch). */
static int session_open(struct session *s, const struct cli *o, int power, int unique)
{
	char err[300];
	int rc;

	memset(s, 0, sizeof(*s));
	rc = ld_transport_open(&s->t, o->reader, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err[0] ? err : ld_strerror(rc));
		return rc;
	}
	if (unique && ld_transport_matches(&s->t) > 1) {
		fprintf(stderr,
			"mimsi-card: -r \"%s\" matches %zu readers: name one (index or full name, "
			"see mimsi-card list) before writing\n",
			o->reader ? o->reader : "", ld_transport_matches(&s->t));
		ld_transport_close(&s->t);
		return LD_ERR_PARAM;
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

/* \a flags: 0 for one line, JSON_INDENT(2) for lists. */
static int print_json(json_t *o, size_t flags)
{
	int rc = o && json_dumpf(o, stdout, flags) == 0 ? 0 : -1;

	if (rc == 0)
		putchar('\n');
	json_decref(o);
	return rc;
}

/* ---- list, info, read ------------------------------------------------- */
static int cmd_list(struct cli *o, int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "mimsi-card list: no arguments (see --help)\n");
		return EX_USAGE;
	}
	return ld_list_readers(o->reader, o->json) < 0 ? EX_UNAVAILABLE : EX_OK;
}

static int cmd_info(struct cli *o, int argc, char **argv)
{
	struct session s;
	int rc;

	(void)argv;
	if (argc) {
		fprintf(stderr, "mimsi-card info: no arguments (see --help)\n");
		return EX_USAGE;
	}
	rc = session_open(&s, o, 1, 0);
	if (rc == LD_OK) {
		rc = ld_info(&s.c, stdout, o->json);
		if (rc < 0)
			fprintf(stderr, "mimsi-card: info: %s\n", ld_strerror(rc));
	}
	session_close(&s);
	return exit_for(rc);
}

static int cmd_read(struct cli *o, int argc, char **argv)
{
	struct session s;
	int rc;

	(void)argv;
	if (argc) {
		fprintf(stderr, "mimsi-card read: no arguments (see --help)\n");
		return EX_USAGE;
	}
	rc = session_open(&s, o, 1, 0);
	if (rc == LD_OK) {
		rc = ld_read(&s.c, stdout, o->json, o->out_dir);
		if (rc < 0)
			fprintf(stderr, "mimsi-card: read: %s\n", ld_strerror(rc));
	}
	session_close(&s);
	return exit_for(rc);
}

/* ---- write ------------------------------------------------------------- */
static void write_opts(const struct cli *o, struct ld_write_opts *w)
{
	ld_write_opts_default(w);
	w->force = o->force;
	w->create = o->create;
	w->arr_rec_ef = (uint8_t)o->arr_rec;
}

static json_t *tries_json(int t)
{
	if (t == LD_TRIES_NOT_NEEDED)
		return json_string("not needed");
	return t < 0 ? json_null() : json_integer(t);
}

static void write_report(const struct cli *o, int rc, const struct ld_write_result *r,
			 const char *err)
{
	if (o->json) {
		json_t *j = json_pack(
		    "{s:s, s:b, s:o, s:o, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:s}", "status",
		    rc == LD_OK ? "ok" : "error", "dry_run", o->dry_run, "adm_tries_before",
		    tries_json(r->tries_before), "adm_tries_left", tries_json(r->tries_after),
		    "identical", r->identical, "old_seq", (json_int_t)r->old_seq, "new_seq",
		    (json_int_t)r->new_seq, "updates", (json_int_t)r->n_update, "bytes",
		    (json_int_t)r->bytes, "creates", (json_int_t)r->n_create, "apdus",
		    (json_int_t)r->apdus, "verified", r->verified, "error", rc == LD_OK ? "" : err);
		(void)print_json(j, 0);
	} else if (rc == LD_OK) {
		if (r->identical)
			printf("card already holds this set (seq %u): 0 UPDATE commands\n",
			       (unsigned)r->new_seq);
		else
			printf("%s set seq %u (was %s%u): %zu UPDATE commands, %zu bytes, %lu CREATE "
			       "FILE, %lu APDUs%s\n",
			       o->dry_run ? "would write" : "wrote", (unsigned)r->new_seq,
			       r->has_old ? "seq " : "none, max ", (unsigned)r->old_seq, r->n_update,
			       r->bytes, r->n_create, r->apdus,
			       o->dry_run ? "" : "; read back equal, new set active");
	}
}

static int cmd_write(struct cli *o, int argc, char **argv)
{
	struct session s;
	struct ld_set set;
	struct ld_write_opts w;
	struct ld_write_result r;
	uint8_t adm[8];
	char err[400] = "";
	int rc, have_adm;

	if (argc != 1) {
		fprintf(stderr, "mimsi-card write: give one DIR (see mimsi-card write --help)\n");
		return EX_USAGE;
	}
	have_adm = ld_adm_get(o->adm_file, !o->dry_run && isatty(STDIN_FILENO), adm, err,
			      sizeof(err));
	if (have_adm < 0 || (!have_adm && !o->dry_run)) {
		fprintf(stderr, "mimsi-card write: %s\n",
			have_adm < 0 ? err : "ADM1 needed: give --adm-file FILE or MIMSI_ADM");
		return EX_USAGE;
	}
	rc = ld_set_load_dir(argv[0], &set, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		memset(adm, 0, sizeof(adm));
		return rc == LD_ERR_FORMAT ? EX_DATAERR : EX_NOINPUT;
	}
	write_opts(o, &w);
	w.adm = have_adm ? adm : NULL;
	rc = session_open(&s, o, 1, 1);
	if (rc == LD_OK) {
		if (o->dry_run) {
			s.c.dry = stdout;
			printf("# dry run: APDUs that would be sent (ADM masked)\n");
		}
		rc = ld_write_set(&s.c, &set, &w, &r, err, sizeof(err));
		/* the slot keys of --keys into the card's key store, after the set */
		if (rc == LD_OK && o->keys && !o->dry_run)
			rc = ld_keys_write_file(&s.c, o->keys, err, sizeof(err));
		/* the simulated card's image must be on disk before "written" */
		if (rc == LD_OK && !o->dry_run && ld_transport_commit(&s.t) < 0) {
			snprintf(err, sizeof(err), "the card was written but saving it failed: %s",
				 s.t.ops->last_error(s.t.ctx));
			r.verified = 0;
			rc = LD_ERR_IO;
		}
		write_report(o, rc, &r, err);
		if (rc < 0)
			fprintf(stderr, "mimsi-card: write: %s\n", err[0] ? err : ld_strerror(rc));
	}
	memset(adm, 0, sizeof(adm));
	ld_set_free(&set);
	session_close(&s);
	return exit_for(rc);
}

/* ---- batch ------------------------------------------------------------- */
static int cmd_batch(struct cli *o, int argc, char **argv)
{
	struct session s;
	struct ld_batch b;
	struct ld_batch_opts bo;
	struct ld_batch_stats st;
	struct ld_set probe;
	char err[400];
	int rc, resumed;

	if (argc != 1 || !o->dir) {
		fprintf(stderr, "mimsi-card batch: give CSV and --dir DIR (see --help)\n");
		return EX_USAGE;
	}
	rc = ld_set_load_dir(o->dir, &probe, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		return EX_NOINPUT;
	}
	ld_set_free(&probe);
	rc = ld_batch_load(argv[0], &b, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "mimsi-card: %s\n", err);
		return rc == LD_ERR_FORMAT ? EX_DATAERR : EX_NOINPUT;
	}
	resumed = o->log ? ld_batch_resume(&b, o->log) : 0;
	if (resumed)
		fprintf(stderr, "batch: resuming: %d card%s already done per %s (each checked on "
				"insertion)\n",
			resumed, resumed == 1 ? "" : "s", o->log);
	memset(&bo, 0, sizeof(bo));
	bo.dir = o->dir;
	bo.log_path = o->log;
	bo.timeout_s = o->timeout_s;
	bo.max_cards = o->max_cards;
	bo.json = o->log && strlen(o->log) > 5 && !strcmp(o->log + strlen(o->log) - 5, ".json");
	write_opts(o, &bo.wopts);
	rc = session_open(&s, o, 0, 1);
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
		session_close(&s);
	}
	ld_batch_free(&b);
	return exit_for(rc);
}

/* ---- apdu -------------------------------------------------------------- */
static void hex_str(char *out, const uint8_t *b, size_t n, const uint8_t *mask)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mask && mask[i])
			memcpy(out + 2 * i, "**", 2);
		else
			sprintf(out + 2 * i, "%02X", b[i]);
	out[2 * n] = '\0';
}

static int apdu_one(struct session *s, const char *hex, json_t *arr)
{
	uint8_t cmd[5 + 256 + 1], data[4096], mask[5 + 256 + 1];
	char ch[2 * sizeof(cmd) + 1], dh[2 * sizeof(data) + 1];
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
	hex_str(ch, cmd, (size_t)len, mask);
	hex_str(dh, data, n, NULL);
	if (arr) {
		char sws[8];
		snprintf(sws, sizeof(sws), "%04X", sw);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "cmd", ch, "data", dh,
						     "sw", sws, "text", mi_sw_text(sw)));
	} else {
		printf("> %s\n< %s%s%04X  %s\n", ch, dh, n ? " " : "", sw, mi_sw_text(sw));
	}
	return LD_OK;
}

static int cmd_apdu(struct cli *o, int argc, char **argv)
{
	struct session s;
	json_t *arr = NULL;
	int rc, i;

	if (argc < 1 && !o->script) {
		fprintf(stderr, "mimsi-card apdu: give HEX... or --script FILE (see --help)\n");
		return EX_USAGE;
	}
	rc = session_open(&s, o, 1, 0);
	if (rc < 0) {
		session_close(&s);
		return exit_for(rc);
	}
	if (o->json)
		arr = json_array();
	for (i = 0; rc == LD_OK && i < argc; i++)
		rc = apdu_one(&s, argv[i], arr);
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
				rc = apdu_one(&s, p, arr);
		}
		if (f)
			fclose(f);
	}
	if (arr && print_json(arr, JSON_INDENT(2)) < 0 && rc == LD_OK)
		rc = LD_ERR_IO;
	session_close(&s);
	return exit_for(rc);
}

/* ---- the commands and their options ---------------------------------- */
static const struct option list_opts[] = {SESSION_OPTS, {0, 0, 0, 0}};
static const struct option info_opts[] = {SESSION_OPTS, {0, 0, 0, 0}};
static const struct option read_opts[] = {SESSION_OPTS, {"out", required_argument, 0, 'o'},
					  {0, 0, 0, 0}};
static const struct option write_opts_t[] = {
    SESSION_OPTS,
    {"adm-file", required_argument, 0, O_ADM_FILE},
    {"create", no_argument, 0, O_CREATE},
    {"dry-run", no_argument, 0, O_DRY_RUN},
    {"force", no_argument, 0, O_FORCE},
    {"arr-record", required_argument, 0, O_ARR_RECORD},
    {"keys", required_argument, 0, O_KEYS},
    {0, 0, 0, 0}};
static const struct option batch_opts[] = {
    SESSION_OPTS,
    {"dir", required_argument, 0, O_DIR},
    {"log", required_argument, 0, O_LOG},
    {"timeout", required_argument, 0, O_TIMEOUT},
    {"max", required_argument, 0, O_MAX},
    {"create", no_argument, 0, O_CREATE},
    {"force", no_argument, 0, O_FORCE},
    {"arr-record", required_argument, 0, O_ARR_RECORD},
    {0, 0, 0, 0}};
static const struct option apdu_opts[] = {SESSION_OPTS, {"script", required_argument, 0, O_SCRIPT},
					  {0, 0, 0, 0}};

static const struct command commands[] = {
    {"list", "[-r FILTER] [--json]",
     "PC/SC readers (and libnfc devices) whose name contains FILTER (or index FILTER),\n"
     "with card presence and ATR.\n",
     S_READER | S_JSON, cmd_list, list_opts},
    {"info", "[SESSION OPTIONS] [--json]",
     "ATR decoded, ICCID, IMSI, EF_DIR applications, the applet's six banks and the\n"
     "active set, PIN1/PIN2/ADM1 retry counters (asked without spending a try).\n",
     S_CARD | S_JSON, cmd_info, info_opts},
    {"read", "[SESSION OPTIONS] [-o DIR] [--json]",
     "The applet's active set decoded, and the network-selection EFs of ADF.USIM.\n"
     "  -o, --out DIR    also save the active set as DIR/ef_*.bin and ef_*.hex\n",
     S_CARD | S_JSON, cmd_read, read_opts},
    {"write", "[SESSION OPTIONS] DIR [--adm-file FILE] [--keys FILE] [--create] [--dry-run]\n"
	      "       [--force] [--arr-record N] [--json]",
     "Write the compiled set DIR (ef_cfg.bin, ef_slots.bin, ef_rules.bin) into the\n"
     "banks the active set does not use, read it back, check it is the active set.\n"
     "  --adm-file FILE  ADM1 from the first line of FILE ('-': stdin); else $MIMSI_ADM;\n"
     "                   else a prompt on the terminal (8 digits or 16 hex digits)\n"
     "  --create         CREATE FILE DF.MIMSI and the EFs that are absent\n"
     "  --dry-run        print the APDUs that would be sent (ADM masked), send none\n"
     "  --force          present the ADM even with 1 try left (never with 0)\n"
     "  --arr-record N   EF_ARR record for files made by --create (default 3)\n"
     "  --keys FILE      also write the slot keys of FILE (lines kN=HEX, opcN=HEX) into\n"
     "                   the card's key store EF.MI_KEYS after the set (never shown)\n",
     S_CARD | S_JSON, cmd_write, write_opts_t},
    {"batch", "[SESSION OPTIONS] CSV --dir DIR [--log F] [--timeout S] [--max N]\n"
	      "       [--create] [--force] [--arr-record N]",
     "Program many cards, one per insertion: CSV has the columns iccid, adm and\n"
     "optionally imsi1..imsi10 and k1..k10 / opc1..opc10 (K and OPc of key set N,\n"
     "written into the card's key store after the set, never shown).\n"
     "  --dir DIR        the compiled set\n"
     "  --log F          result log (CSV, or JSON lines when F ends in .json); a run\n"
     "                   with the same log resumes, checking each card logged as done\n"
     "  --timeout S      stop when no card comes for S seconds (default: wait)\n"
     "  --max N          stop after N insertions\n",
     S_CARD, cmd_batch, batch_opts},
    {"apdu", "[SESSION OPTIONS] HEX... | --script FILE [--json]",
     "Send raw APDUs (GET RESPONSE and 6Cxx handled); PIN and ADM data masked in the\n"
     "output.\n"
     "  --script FILE    one APDU per line ('#' comments)\n",
     S_CARD | S_JSON, cmd_apdu, apdu_opts},
};

static void command_help(const struct command *c, FILE *f)
{
	fprintf(f, "usage: mimsi-card %s %s\n\n%s", c->name, c->synopsis, c->help);
	if (c->session & S_CARD)
		fprintf(f, "\nsession options: -r READER, -v, --trace F.pcap, --transcript F, "
			   "--chunk N (see mimsi-card --help)\n");
	fprintf(f, "See mimsi-card-%s(1).\n", c->name);
}

static const char *session_name(unsigned bit)
{
	switch (bit) {
	case S_READER: return "-r";
	case S_VERBOSE: return "-v";
	case S_TRACE: return "--trace";
	case S_TRANSCRIPT: return "--transcript";
	case S_CHUNK: return "--chunk";
	default: return "--json";
	}
}

static int run_command(const struct command *c, struct cli *o, int argc, char **argv)
{
	unsigned bit;
	int ch, r;

	optind = 0; /* glibc: 0 re-initialises getopt (the global parse used it) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "r:vho:", c->opts, NULL)) != -1) {
		r = session_opt(o, ch);
		if (r < 0)
			return EX_USAGE;
		if (r > 0)
			continue;
		switch (ch) {
		case 'h': command_help(c, stdout); return EX_OK;
		case 'o': if (c->run == cmd_read) { o->out_dir = optarg; break; } goto bad;
		case O_ADM_FILE: o->adm_file = optarg; break;
		case O_CREATE: o->create = 1; break;
		case O_DRY_RUN: o->dry_run = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_DIR: o->dir = optarg; break;
		case O_LOG: o->log = optarg; break;
		case O_SCRIPT: o->script = optarg; break;
		case O_KEYS: o->keys = optarg; break;
		case O_ARR_RECORD:
		case O_TIMEOUT:
		case O_MAX: {
			unsigned u;
			if (parse_uint(optarg, &u, ch == O_ARR_RECORD ? 1u : 0u,
				       ch == O_ARR_RECORD ? 254u : 1000000u) < 0) {
				fprintf(stderr, "mimsi-card %s: bad value for %s\n", c->name,
					argv[optind - 1]);
				return EX_USAGE;
			}
			if (ch == O_ARR_RECORD)
				o->arr_rec = (int)u;
			else if (ch == O_TIMEOUT)
				o->timeout_s = u;
			else
				o->max_cards = u;
			break;
		}
		default:
		bad:
			if (optopt && optopt < 256 && optopt != '?')
				fprintf(stderr, "mimsi-card %s: -%c is not an option of %s%s\n",
					c->name, optopt, c->name,
					strchr("ro", optopt) ? " or needs a value" : "");
			else
				fprintf(stderr, "mimsi-card %s: %s is not an option of %s (or needs a "
						"value)\n",
					c->name, argv[optind - 1], c->name);
			fprintf(stderr, "see mimsi-card %s --help\n", c->name);
			return EX_USAGE;
		}
	}
	for (bit = 1; bit <= S_JSON; bit <<= 1)
		if ((o->given & bit) && !(c->session & bit)) {
			fprintf(stderr, "mimsi-card %s: %s is not an option of %s\n", c->name,
				session_name(bit), c->name);
			return EX_USAGE;
		}
	return c->run(o, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	static const struct option global_opts[] = {SESSION_OPTS,
						     {"version", no_argument, 0, O_VERSION},
						     {0, 0, 0, 0}};
	struct cli o;
	size_t i;
	int ch, r;

	if (argc > 1 && !strcmp(argv[1], "install-params")) /* offline: own options */
		return ld_instparams_main(argc - 1, argv + 1);
	memset(&o, 0, sizeof(o));
	o.chunk = 255;
	o.arr_rec = 3;
	/* '+': stop at the command; what follows is the command's */
	while ((ch = getopt_long(argc, argv, "+r:vh", global_opts, NULL)) != -1) {
		r = session_opt(&o, ch);
		if (r < 0)
			return EX_USAGE;
		if (r > 0)
			continue;
		if (ch == 'h') {
			fputs(usage, stdout);
			return EX_OK;
		}
		if (ch == O_VERSION) {
			printf("mimsi-card %s\n", MIMSI_VERSION);
			return EX_OK;
		}
		fprintf(stderr, "see mimsi-card --help\n");
		return EX_USAGE;
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EX_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			return run_command(&commands[i], &o, argc - optind, argv + optind);
	fprintf(stderr, "mimsi-card: unknown command \"%s\" (see --help)\n", argv[optind]);
	return EX_USAGE;
}
