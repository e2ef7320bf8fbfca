/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-sim: the simulated UICC (serve behind pcscd, one-shot APDUs, card
 * images) and the journey runner (run, compare). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "mimsi_build.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_hex.h"
#include "mimsi/mi_apdu.h"
#include "image_plan.h"
#include "scenario/sim_cmds.h"
#include "sim_card.h"
#include "sim_pcap.h"
#include "vpcd/sim_vpcd.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void usage_main(FILE *f)
{
	fputs("usage: mimsi-sim COMMAND [OPTIONS]\n"
	      "\n"
	      "The simulated multi-IMSI UICC and its virtual world.\n"
	      "\n"
	      "commands:\n"
	      "  serve    put the card into pcscd through the vpcd driver\n"
	      "  apdu     send APDUs to the card once and print the answers\n"
	      "  image    write a card image (JSON) of the default or a given card\n"
	      "  run      run a journey (virtual modem and network)\n"
	      "  compare  run a journey as naive, rules and fast failover side by side\n"
	      "\n"
	      "'mimsi-sim COMMAND --help' describes each command; --version the version.\n",
	      f);
}

/* Options common to the card commands. */
struct card_opts {
	const char *card, *ef_dir, *trace;
	int log;
};

static struct sim_card *open_card(const struct card_opts *o, int *ex)
{
	char err[512];
	struct sim_card *c;

	if (o->card) {
		c = sim_card_load(o->card, err, sizeof(err));
		if (!c) {
			fprintf(stderr, "mimsi-sim: %s\n", err);
			*ex = errno == ENOENT ? EX_NOINPUT : EX_DATAERR;
			return NULL;
		}
	} else {
		c = sim_card_new_default();
		if (!c) {
			fprintf(stderr, "mimsi-sim: cannot build the default card\n");
			*ex = EX_SOFTWARE;
			return NULL;
		}
	}
	if (o->ef_dir && sim_card_load_ef_dir(c, o->ef_dir, err, sizeof(err)) != SIM_OK) {
		fprintf(stderr, "mimsi-sim: %s\n", err);
		sim_card_free(c);
		*ex = EX_NOINPUT;
		return NULL;
	}
	return c;
}

static int hex_decode(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	int n = mi_hex_decode(s, out, (mi_u16)(cap > MI_LEN_MAX ? MI_LEN_MAX : cap));

	if (n < 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* ---- serve ---------------------------------------------------------------- */

static void usage_serve(FILE *f)
{
	fputs("usage: mimsi-sim serve [--vpcd HOST:PORT] [--card FILE [--save]] [--ef DIR]\n"
	      "                       [--trace FILE.pcap] [--log]\n"
	      "\n"
	      "Connect the card to pcscd's vpcd reader driver and serve it until SIGINT or\n"
	      "SIGTERM; reconnect whenever pcscd restarts.\n"
	      "\n"
	      "  --vpcd HOST:PORT   vpcd address (default 127.0.0.1:35963, reader \"Virtual PCD 00 00\")\n"
	      "  --card FILE        card image (JSON, docs/card-image.md); default: built-in card\n"
	      "  --save             write the card image back to FILE on exit\n"
	      "  --ef DIR           load a compiled rule set (ef_cfg.bin, ef_slots.bin, ef_rules.bin)\n"
	      "  --trace FILE.pcap  write every exchange as GSMTAP (UDP 4729) for Wireshark\n"
	      "  --log              one decoded line per APDU on stderr (PINs masked)\n",
	      f);
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option lo[] = {{"vpcd", required_argument, 0, 'v'},
					   {"card", required_argument, 0, 'c'},
					   {"save", no_argument, 0, 's'},
					   {"ef", required_argument, 0, 'e'},
					   {"trace", required_argument, 0, 't'},
					   {"log", no_argument, 0, 'l'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	struct card_opts o = {0};
	const char *addr = "127.0.0.1:35963";
	char host[64], err[512];
	uint16_t port;
	int save = 0, ch, ex = EX_OK;
	struct sim_card *c;
	struct sim_pcap *pcap = NULL;
	struct sim_vpcd_stats st;
	struct sigaction sa;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'v': addr = optarg; break;
		case 'c': o.card = optarg; break;
		case 's': save = 1; break;
		case 'e': o.ef_dir = optarg; break;
		case 't': o.trace = optarg; break;
		case 'l': o.log = 1; break;
		case 'h': usage_serve(stdout); return EX_OK;
		default: usage_serve(stderr); return EX_USAGE;
		}
	}
	if (optind != argc || (save && !o.card)) {
		fprintf(stderr, "mimsi-sim serve: %s\n",
			save && !o.card ? "--save needs --card FILE" : "unexpected argument");
		return EX_USAGE;
	}
	if (sim_vpcd_parse_addr(addr, host, sizeof(host), &port)) {
		fprintf(stderr, "mimsi-sim serve: bad --vpcd address '%s' (want IPv4:PORT)\n", addr);
		return EX_USAGE;
	}
	c = open_card(&o, &ex);
	if (!c)
		return ex;
	if (o.trace && !(pcap = sim_pcap_open(o.trace))) {
		fprintf(stderr, "mimsi-sim serve: %s: %s\n", o.trace, strerror(errno));
		sim_card_free(c);
		return EX_CANTCREAT;
	}
	sim_card_set_trace(c, o.log ? stderr : NULL, pcap);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() wakes up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "mimsi-sim: serving the card on vpcd %s:%u\n", host, (unsigned)port);
	sim_vpcd_serve(c, host, port, &g_stop, stderr, &st);
	fprintf(stderr, "mimsi-sim: stopped after %lu APDUs, %lu connections\n", st.apdus, st.connects);
	if (save && sim_card_save(c, o.card, err, sizeof(err)) != SIM_OK) {
		fprintf(stderr, "mimsi-sim serve: %s\n", err);
		ex = EX_IOERR;
	}
	sim_card_free(c);
	if (sim_pcap_close(pcap) != 0)
		ex = EX_IOERR;
	return ex;
}

/* ---- apdu ----------------------------------------------------------------- */

static void usage_apdu(FILE *f)
{
	fputs("usage: mimsi-sim apdu [--card FILE] [--ef DIR] [-g|--get-response] [--json] [--save]\n"
	      "                      [--trace FILE.pcap] [--log] (HEX... | --script FILE)\n"
	      "\n"
	      "Power the card on, send each APDU (hex, spaces allowed) and print the\n"
	      "response and the decoded status word. A script has one APDU per line;\n"
	      "'#' starts a comment. Exit status 0 when every APDU got an answer.\n"
	      "\n"
	      "  --get-response  follow 61xx with GET RESPONSE and 6Cxx with the right Le\n"
	      "  --save          write the card image back to --card FILE at the end\n",
	      f);
}

struct apdu_run {
	struct sim_card *c;
	int json, follow, first;
};

static void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", b[i]);
}

/* The command as typed, but a PIN/ADM value never reaches the output. */
static void print_cmd(const uint8_t *cmd, size_t n)
{
	size_t i;

	if (!sim_apdu_has_secret(cmd, n)) {
		print_hex(cmd, n);
		return;
	}
	print_hex(cmd, 5);
	for (i = 5; i < n; i++)
		fputs("**", stdout);
}

static int send_one(struct apdu_run *r, const uint8_t *cmd, size_t n)
{
	uint8_t rsp[300], again[300];
	size_t rl = sizeof(rsp);
	int rc = sim_card_transmit(r->c, cmd, n, rsp, &rl);
	uint16_t sw;

	if (rc != SIM_OK) {
		fprintf(stderr, "mimsi-sim apdu: %s\n", sim_strerror(rc));
		return -1;
	}
	sw = (uint16_t)(rsp[rl - 2] << 8 | rsp[rl - 1]);
	if (r->follow && n >= 4 && ((sw >> 8) == 0x61 || (sw >> 8) == 0x6C)) {
		size_t an;

		if ((sw >> 8) == 0x61) {
			uint8_t gr[5] = {(uint8_t)(cmd[0] & 0x03), 0xC0, 0, 0, (uint8_t)sw};

			memcpy(again, gr, 5);
			an = 5;
		} else {
			memcpy(again, cmd, n < 5 ? n : 5);
			again[4] = (uint8_t)sw;
			an = 5;
		}
		rl = sizeof(rsp);
		if (sim_card_transmit(r->c, again, an, rsp, &rl) != SIM_OK)
			return -1;
		sw = (uint16_t)(rsp[rl - 2] << 8 | rsp[rl - 1]);
	}
	if (r->json) {
		printf("%s\n  {\"command\": \"", r->first ? "" : ",");
		print_cmd(cmd, n);
		printf("\", \"data\": \"");
		print_hex(rsp, rl - 2);
		printf("\", \"sw\": \"%04X\", \"sw_text\": \"%s\"}", sw, mi_sw_text(sw));
	} else {
		print_cmd(cmd, n);
		printf(" -> ");
		if (rl > 2) {
			print_hex(rsp, rl - 2);
			printf(" ");
		}
		printf("%04X %s\n", sw, mi_sw_text(sw));
	}
	r->first = 0;
	return 0;
}

static int cmd_apdu(int argc, char **argv)
{
	static const struct option lo[] = {{"card", required_argument, 0, 'c'},
					   {"ef", required_argument, 0, 'e'},
					   {"script", required_argument, 0, 'S'},
					   {"get-response", no_argument, 0, 'g'},
					   {"json", no_argument, 0, 'j'},
					   {"save", no_argument, 0, 's'},
					   {"trace", required_argument, 0, 't'},
					   {"log", no_argument, 0, 'l'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	struct card_opts o = {0};
	struct apdu_run r = {0};
	const char *script = NULL;
	struct sim_pcap *pcap = NULL;
	char err[512];
	int ch, ex = EX_OK, save = 0, i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hg", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o.card = optarg; break;
		case 'e': o.ef_dir = optarg; break;
		case 'S': script = optarg; break;
		case 'g': r.follow = 1; break;
		case 'j': r.json = 1; break;
		case 's': save = 1; break;
		case 't': o.trace = optarg; break;
		case 'l': o.log = 1; break;
		case 'h': usage_apdu(stdout); return EX_OK;
		default: usage_apdu(stderr); return EX_USAGE;
		}
	}
	if ((optind == argc) == !script || (save && !o.card)) {
		fprintf(stderr, "mimsi-sim apdu: %s\n",
			save && !o.card ? "--save needs --card FILE" : "give APDUs or --script FILE (not both)");
		return EX_USAGE;
	}
	r.c = open_card(&o, &ex);
	if (!r.c)
		return ex;
	if (o.trace && !(pcap = sim_pcap_open(o.trace))) {
		fprintf(stderr, "mimsi-sim apdu: %s: %s\n", o.trace, strerror(errno));
		sim_card_free(r.c);
		return EX_CANTCREAT;
	}
	sim_card_set_trace(r.c, o.log ? stderr : NULL, pcap);
	sim_card_power_on(r.c, NULL, NULL);
	r.first = 1;
	if (r.json)
		printf("[");
	if (script) {
		FILE *f = fopen(script, "r");
		char line[1024];
		unsigned lineno = 0;

		if (!f) {
			fprintf(stderr, "mimsi-sim apdu: %s: %s\n", script, strerror(errno));
			ex = EX_NOINPUT;
		}
		while (f && ex == EX_OK && fgets(line, sizeof(line), f)) {
			uint8_t cmd[300];
			size_t n;
			char *hash = strchr(line, '#');

			lineno++;
			if (hash)
				*hash = '\0';
			line[strcspn(line, "\r\n")] = '\0';
			if (hex_decode(line, cmd, sizeof(cmd), &n)) {
				fprintf(stderr, "mimsi-sim apdu: %s:%u: not an APDU in hex\n", script, lineno);
				ex = EX_DATAERR;
				break;
			}
			if (n && send_one(&r, cmd, n))
				ex = EX_SOFTWARE;
		}
		if (f)
			fclose(f);
	}
	for (i = optind; i < argc && ex == EX_OK; i++) {
		uint8_t cmd[300];
		size_t n;

		if (hex_decode(argv[i], cmd, sizeof(cmd), &n) || n == 0) {
			fprintf(stderr, "mimsi-sim apdu: argument %d is not an APDU in hex\n", i - optind + 1);
			ex = EX_DATAERR;
			break;
		}
		if (send_one(&r, cmd, n))
			ex = EX_SOFTWARE;
	}
	if (r.json)
		printf("\n]\n");
	if (ex == EX_OK && save && sim_card_save(r.c, o.card, err, sizeof(err)) != SIM_OK) {
		fprintf(stderr, "mimsi-sim apdu: %s\n", err);
		ex = EX_IOERR;
	}
	sim_card_free(r.c);
	if (sim_pcap_close(pcap) != 0)
		ex = EX_IOERR;
	return ex;
}

/* ---- image ---------------------------------------------------------------- */

static void usage_image(FILE *f)
{
	fputs("usage: mimsi-sim image [--card FILE] [--plan PLAN.json [--keys FILE] [--adm-file FILE]]\n"
	      "                       [--ef DIR] -o OUT.json\n"
	      "\n"
	      "Write a card image: the built-in default card (or --card FILE), personalised\n"
	      "from a rules-compiler plan when given, with a compiled rule set loaded from\n"
	      "--ef DIR. The image holds the card's secrets (K, OPc, PINs): keep it like a card.\n"
	      "\n"
	      "  --plan PLAN.json  EF_IMSI from the plan's home slot (MNC length into EF_AD);\n"
	      "                    every key set its slots name must be on the card\n"
	      "  --keys FILE       K/OPc: {\"keysets\": [{\"ref\": 1, \"k\": HEX, \"opc\": HEX}]}\n"
	      "                    (default $MIMSI_KEYS; without: the card's test key sets)\n"
	      "  --adm-file FILE   ADM1 from the first line of FILE (default $MIMSI_ADM;\n"
	      "                    without: the test value of the default card)\n"
	      "\n"
	      "From tariffs to a served card:\n"
	      "  mimsi-compile compile PLAN RATES.csv... -o SET\n"
	      "  mimsi-sim image --plan PLAN --ef SET -o CARD.json\n"
	      "  mimsi-sim serve --card CARD.json --save\n",
	      f);
}

static int cmd_image(int argc, char **argv)
{
	static const struct option lo[] = {{"card", required_argument, 0, 'c'},
					   {"ef", required_argument, 0, 'e'},
					   {"output", required_argument, 0, 'o'},
					   {"plan", required_argument, 0, 'p'},
					   {"keys", required_argument, 0, 'k'},
					   {"adm-file", required_argument, 0, 'a'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	struct card_opts o = {0};
	const char *out = NULL, *plan = NULL, *keys = NULL, *adm_file = NULL;
	char err[512];
	int ch, ex = EX_OK, adm_default = 0;
	struct sim_card *c;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o.card = optarg; break;
		case 'e': o.ef_dir = optarg; break;
		case 'o': out = optarg; break;
		case 'p': plan = optarg; break;
		case 'k': keys = optarg; break;
		case 'a': adm_file = optarg; break;
		case 'h': usage_image(stdout); return EX_OK;
		default: usage_image(stderr); return EX_USAGE;
		}
	}
	if (!out || optind != argc || ((keys || adm_file) && !plan)) {
		usage_image(stderr);
		return EX_USAGE;
	}
	c = open_card(&o, &ex);
	if (!c)
		return ex;
	if (plan && sim_image_from_plan(c, plan, keys, adm_file, &adm_default, err, sizeof(err)) < 0) {
		fprintf(stderr, "mimsi-sim image: %s\n", err);
		sim_card_free(c);
		return EX_DATAERR;
	}
	if (plan && adm_default)
		fprintf(stderr, "mimsi-sim image: ADM1 left at the card's value (no --adm-file, no "
				"MIMSI_ADM)\n");
	if (sim_card_save(c, out, err, sizeof(err)) != SIM_OK) {
		fprintf(stderr, "mimsi-sim image: %s\n", err);
		ex = EX_CANTCREAT;
	}
	sim_card_free(c);
	return ex;
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{"serve", cmd_serve},
	{"apdu", cmd_apdu},
	{"image", cmd_image},
	{"run", sim_cmd_run},
	{"compare", sim_cmd_compare},
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage_main(stderr);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_main(stdout);
		return EX_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mimsi-sim %s\n", MIMSI_VERSION);
		return EX_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mimsi-sim: unknown command '%s' (try --help)\n", argv[1]);
	return EX_USAGE;
}
