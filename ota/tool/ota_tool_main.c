/* SPDX-License-Identifier: Apache-2.0 */
/* mimsi-ota: over-the-air remote file management for the mimsi applet's
 * files (ETSI TS 102 225/226, 3GPP TS 31.115): build secured packets,
 * send them to a card through PC/SC (or the in-process simulator), decode
 * the PoR. docs/man/mimsi-ota.1, docs/ota.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/crypto.h>

#include "ld_keys.h"
#include "ld_transport.h"
#include "ld_write.h"
#include "ota_send.h"
#include "ota_tool.h"
#include "mimsi_build.h"
#include "rc.h"

#define OTA_TOOL_VERSION MIMSI_VERSION /* one version for every tool: mk/version.mk */
#define MAX_APDU_ARGS 64

static const char usage[] =
	"usage: mimsi-ota build SOURCE --keys FILE --kvn N [options]\n"
	"       mimsi-ota send SOURCE -r READER --keys FILE --kvn N --counters FILE [options]\n"
	"       mimsi-ota por HEX --keys FILE --kvn N [--spi HEX]\n"
	"\n"
	"SOURCE (one of):\n"
	"  --apdu HEX ...          C-APDUs (repeat the option)\n"
	"  --script FILE           one C-APDU in hex per line ('#' comments)\n"
	"  --set DIR --base DIR    the changes from the set in BASE to the compiled set DIR\n"
	"                          (BASE: the set now in the target bank)\n"
	"                          with --slot N --slot-keys F: then slot N's K/OPc\n"
	"  --slot N --base DIR [--imsi IMSI] [--oplmn L] [--fplmn L] [--slot-keys FILE]\n"
	"                          slot N of BASE replaced (lists: MCC-MNC,...; keys: kN/opcN file)\n"
	"options:\n"
	"  --keys FILE       OTA key sets (JSON, docs/ota.md); never on the command line\n"
	"  --kvn N           key version (1..15) of KIc/KID\n"
	"  --tar HEX         TAR (default B00020, the mimsi DF)\n"
	"  --spi HEX         SPI1 SPI2 (default 1619: CC, ciphered, counter higher; PoR ciphered with CC)\n"
	"  --bank A|B        bank written by --set/--slot (default B)\n"
	"  --bank-holds D    what that bank holds now: a set directory or \"empty\"\n"
	"                    (default: the --base set)\n"
	"  --format F        compact (default) or expanded RFM script\n"
	"  --counter N       first counter value (else last used + 1 from --counters)\n"
	"  --counters FILE   counters per card and key version, never reused (JSON)\n"
	"  --iccid ICCID     the card (build; send reads EF_ICCID)\n"
	"  --out F           build output: envelope (default), tpdu, packet or json (SMSC gateway)\n"
	"  --oa DIGITS       originating address of the SMS (default 12345678)\n"
	"  --concat 00|08    concatenation IEI (8- or 16-bit reference, default 08)\n"
	"  -r, --reader R    as mimsi-card: PC/SC index or name, sim:[IMAGE]\n"
	"  --json            PoR and summary as JSON\n"
	"  -v                APDU log on stderr\n"
	"  -h, --help        this text;  --version  the version\n";

struct cli {
	const char *cmd, *keys, *tar, *spi, *bank, *format, *counters, *iccid, *out, *oa, *concat, *reader;
	const char *script, *set, *base, *bank_holds, *imsi, *oplmn, *fplmn, *slot_keys, *por_hex;
	const char *apdu[MAX_APDU_ARGS];
	unsigned n_apdu, kvn, slot;
	uint64_t counter;
	int json, verbose;
};

static int value(int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "mimsi-ota: %s needs a value\n", argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

static int parse(int argc, char **argv, struct cli *o)
{
	static const struct {
		const char *name;
		size_t off;
	} str[] = {
		{"--keys", offsetof(struct cli, keys)},       {"--tar", offsetof(struct cli, tar)},
		{"--spi", offsetof(struct cli, spi)},         {"--bank", offsetof(struct cli, bank)},
		{"--format", offsetof(struct cli, format)},   {"--counters", offsetof(struct cli, counters)},
		{"--iccid", offsetof(struct cli, iccid)},     {"--out", offsetof(struct cli, out)},
		{"--oa", offsetof(struct cli, oa)},           {"--concat", offsetof(struct cli, concat)},
		{"-r", offsetof(struct cli, reader)},         {"--reader", offsetof(struct cli, reader)},
		{"--script", offsetof(struct cli, script)},   {"--set", offsetof(struct cli, set)},
		{"--base", offsetof(struct cli, base)},       {"--imsi", offsetof(struct cli, imsi)},
		{"--oplmn", offsetof(struct cli, oplmn)},     {"--fplmn", offsetof(struct cli, fplmn)},
		{"--slot-keys", offsetof(struct cli, slot_keys)}, {"--bank-holds", offsetof(struct cli, bank_holds)},
	};
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		size_t k;
		int done = 0;

		for (k = 0; k < sizeof(str) / sizeof(str[0]) && !done; k++)
			if (!strcmp(a, str[k].name)) {
				if (value(argc, argv, &i, (const char **)((char *)o + str[k].off)))
					return -1;
				done = 1;
			}
		if (done)
			continue;
		if (!strcmp(a, "--apdu")) {
			if (value(argc, argv, &i, &v))
				return -1;
			if (o->n_apdu >= MAX_APDU_ARGS) {
				fprintf(stderr, "mimsi-ota: at most %d --apdu (use --script)\n", MAX_APDU_ARGS);
				return -1;
			}
			o->apdu[o->n_apdu++] = v;
		} else if (!strcmp(a, "--kvn") || !strcmp(a, "--slot") || !strcmp(a, "--counter")) {
			char *end;
			unsigned long long u;

			if (value(argc, argv, &i, &v))
				return -1;
			u = strtoull(v, &end, 10);
			if (!*v || *end || (!strcmp(a, "--kvn") && (u < 1 || u > 15)) ||
			    (!strcmp(a, "--slot") && (u < 1 || u > 10)) || u > 0xFFFFFFFFFFull) {
				fprintf(stderr, "mimsi-ota: bad value for %s: %s\n", a, v);
				return -1;
			}
			if (!strcmp(a, "--kvn"))
				o->kvn = (unsigned)u;
			else if (!strcmp(a, "--slot"))
				o->slot = (unsigned)u;
			else
				o->counter = u;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "-v")) {
			o->verbose = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			exit(EX_OK);
		} else if (!strcmp(a, "--version")) {
			printf("mimsi-ota %s\n", OTA_TOOL_VERSION);
			exit(EX_OK);
		} else if (a[0] == '-') {
			fprintf(stderr, "mimsi-ota: unknown option %s (see --help)\n", a);
			return -1;
		} else if (!o->cmd) {
			o->cmd = a;
		} else if (!strcmp(o->cmd, "por") && !o->por_hex) {
			o->por_hex = a;
		} else {
			fprintf(stderr, "mimsi-ota: unexpected argument %s\n", a);
			return -1;
		}
	}
	if (!o->cmd || (strcmp(o->cmd, "build") && strcmp(o->cmd, "send") && strcmp(o->cmd, "por"))) {
		fprintf(stderr, "%s", usage);
		return -1;
	}
	if (!o->keys || !o->kvn) {
		fprintf(stderr, "mimsi-ota: %s needs --keys FILE and --kvn N\n", o->cmd);
		return -1;
	}
	return 0;
}

static int params(const struct cli *o, struct ot_params *p)
{
	uint8_t spi[2];

	memset(p, 0, sizeof(*p));
	if (ota_hex_decode(o->spi ? o->spi : "1619", spi, 2) != 2 ||
	    ota_hex_decode(o->tar ? o->tar : "B00020", p->tar, 3) != 3) {
		fprintf(stderr, "mimsi-ota: --spi is 2 hex bytes, --tar 3 hex bytes\n");
		return -1;
	}
	p->spi1 = spi[0];
	p->spi2 = spi[1];
	p->format = o->format && !strcmp(o->format, "expanded") ? OTA_RFM_EXPANDED : OTA_RFM_COMPACT;
	if (o->format && strcmp(o->format, "expanded") && strcmp(o->format, "compact")) {
		fprintf(stderr, "mimsi-ota: --format is compact or expanded\n");
		return -1;
	}
	p->oa.ton_npi = 0x81;
	snprintf(p->oa.digits, sizeof(p->oa.digits), "%s", o->oa ? o->oa : "12345678");
	if (strspn(p->oa.digits, "0123456789") != strlen(p->oa.digits) || !p->oa.digits[0]) {
		fprintf(stderr, "mimsi-ota: --oa is 1..20 digits\n");
		return -1;
	}
	p->concat_iei = o->concat && !strcmp(o->concat, "00") ? 0x00 : 0x08;
	return 0;
}

/* K/OPc of --slot-keys into the key set that slot --slot of the --set uses. */
static int set_slot_keys(struct ot_script *s, const struct cli *o, char *err, size_t err_len)
{
	struct ld_slot_keys keys;
	struct rc_set set;
	rc_error_t e;
	unsigned keyset = 0;
	int i, rc = -1;

	memset(&keys, 0, sizeof(keys));
	memset(&set, 0, sizeof(set));
	rc_err_clear(&e);
	if (!o->slot_keys)
		snprintf(err, err_len, "--set with --slot needs --slot-keys");
	else if (rc_set_load(o->set, &set, &e) < 0)
		snprintf(err, err_len, "%.280s", e.text);
	else if (ld_keys_load(o->slot_keys, &keys, err, err_len) == LD_OK) {
		for (i = 0; i < set.n_slot; i++)
			if (set.slot[i].slot == (mi_u8)o->slot)
				keyset = set.slot[i].keyset;
		rc = ot_script_keys(s, o->slot, keyset, &keys, err, err_len);
	}
	ld_keys_clear(&keys);
	rc_set_free(&set);
	return rc;
}

static int source(const struct cli *o, struct ot_script *s)
{
	char err[300];
	int bank = o->bank && (!strcmp(o->bank, "A") || !strcmp(o->bank, "a")) ? 0 : 1;
	/* --set with --slot N: the set, then slot N's K/OPc (what a swap sends) */
	int kinds = (o->n_apdu > 0) + (o->script != NULL) + (o->set != NULL) + (o->slot != 0 && !o->set);
	unsigned i;
	int rc = 0;

	if (kinds != 1) {
		fprintf(stderr, "mimsi-ota: give one SOURCE: --apdu, --script, --set or --slot (see --help)\n");
		return EX_USAGE;
	}
	if ((o->set || o->slot) && !o->base) {
		fprintf(stderr, "mimsi-ota: --set and --slot need --base DIR\n");
		return EX_USAGE;
	}
	for (i = 0; i < o->n_apdu && !rc; i++)
		rc = ot_script_hex(s, o->apdu[i], err, sizeof(err));
	if (o->script)
		rc = ot_script_file(s, o->script, err, sizeof(err));
	if (o->set)
		rc = ot_script_set(s, o->set, o->bank_holds ? o->bank_holds : o->base, bank, err, sizeof(err));
	if (o->set && o->slot && !rc)
		rc = set_slot_keys(s, o, err, sizeof(err));
	else if (o->slot) {
		struct ld_slot_keys keys;

		memset(&keys, 0, sizeof(keys));
		if (o->slot_keys && ld_keys_load(o->slot_keys, &keys, err, sizeof(err)) != LD_OK)
			rc = -1;
		else
			rc = ot_script_slot(s, o->base, o->bank_holds, bank, o->slot, o->imsi, o->oplmn, o->fplmn,
					    o->slot_keys ? &keys : NULL, err, sizeof(err));
		ld_keys_clear(&keys);
	}
	if (rc) {
		fprintf(stderr, "mimsi-ota: %s\n", err);
		return EX_DATAERR;
	}
	if (s->n == 0) {
		fprintf(stderr, "mimsi-ota: nothing to send (the set equals its base)\n");
		return EX_DATAERR;
	}
	return 0;
}

static void hex(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02X", b[i]);
}

static void print_packet(const struct cli *o, const struct ot_packet *pk, int first, int last)
{
	const char *out = o->out ? o->out : "envelope";
	unsigned i;

	if (!strcmp(out, "json")) {
		printf("%s\n    {\"counter\": %llu, \"command_packet\": \"", first ? "" : ",",
		       (unsigned long long)pk->cntr);
		hex(stdout, pk->pkt, pk->len);
		printf("\", \"sms\": [");
		for (i = 0; i < pk->n_sms; i++) {
			printf("%s\n      {\"pid\": 127, \"dcs\": 246, \"udhi\": true, \"ud\": \"", i ? "," : "");
			hex(stdout, pk->ud[i], pk->udl[i]);
			printf("\", \"tpdu\": \"");
			hex(stdout, pk->tpdu[i], pk->tpdu_len[i]);
			printf("\", \"envelope\": \"");
			hex(stdout, pk->env[i], pk->env_len[i]);
			printf("\"}");
		}
		printf("]}");
		(void)last;
		return;
	}
	if (!strcmp(out, "packet")) {
		hex(stdout, pk->pkt, pk->len);
		putchar('\n');
		return;
	}
	for (i = 0; i < pk->n_sms; i++) {
		if (!strcmp(out, "tpdu"))
			hex(stdout, pk->tpdu[i], pk->tpdu_len[i]);
		else
			hex(stdout, pk->env[i], pk->env_len[i]);
		putchar('\n');
	}
}

static int run_por(const struct cli *o, const struct ot_keyset *ks)
{
	uint8_t buf[300], spi[2] = {0x16, 0x19};
	struct ot_por por;
	int n = o->por_hex ? ota_hex_decode(o->por_hex, buf, sizeof(buf)) : -1;

	if (n < 0 || (o->spi && ota_hex_decode(o->spi, spi, 2) != 2)) {
		fprintf(stderr, "mimsi-ota: por HEX: the response packet from its UDH 027100\n");
		return EX_USAGE;
	}
	if (ot_por_decode(buf, (size_t)n, spi[1], ks, &por) != 0) {
		fprintf(stderr, "mimsi-ota: not a valid response packet, or its RC/CC does not verify\n");
		return EX_DATAERR;
	}
	ot_por_print(stdout, &por, o->json);
	if (o->json)
		putchar('\n');
	return por.por.status == OTA_ST_OK ? EX_OK : 1;
}

int main(int argc, char **argv)
{
	static struct ot_script script;
	static struct ot_packet pk;
	struct cli o;
	struct ot_params p;
	struct ot_keyset ks;
	size_t first[OT_MAX_PACKETS], count[OT_MAX_PACKETS];
	char err[400], iccid[24] = "";
	struct ld_transport t;
	struct ld_card card;
	uint64_t cntr = 0;
	unsigned sms = 0, status_bad = 0;
	size_t bytes = 0;
	int np, i, rc, send, opened = 0;

	memset(&o, 0, sizeof(o));
	if (parse(argc, argv, &o))
		return EX_USAGE;
	if (ot_keys_load(o.keys, o.kvn, &ks, err, sizeof(err))) {
		fprintf(stderr, "mimsi-ota: %s\n", err);
		return EX_DATAERR;
	}
	if (!strcmp(o.cmd, "por")) {
		rc = run_por(&o, &ks);
		ot_keys_clear(&ks);
		return rc;
	}
	send = !strcmp(o.cmd, "send");
	rc = params(&o, &p);
	if (!rc)
		rc = source(&o, &script);
	else
		rc = EX_USAGE;
	if (rc) {
		ot_keys_clear(&ks);
		return rc;
	}
	np = ot_plan(&script, &p, &ks, first, count, OT_MAX_PACKETS, err, sizeof(err));
	if (np < 0) {
		fprintf(stderr, "mimsi-ota: %s\n", err);
		ot_keys_clear(&ks);
		return EX_DATAERR;
	}
	if (send) {
		if (!o.counters) {
			fprintf(stderr, "mimsi-ota: send needs --counters FILE (counters are never reused)\n");
			ot_keys_clear(&ks);
			return EX_USAGE;
		}
		if (ld_transport_open(&t, o.reader, err, sizeof(err)) != LD_OK) {
			fprintf(stderr, "mimsi-ota: %s\n", err);
			ot_keys_clear(&ks);
			return EX_UNAVAILABLE;
		}
		opened = 1;
		ld_card_init(&card, &t);
		card.log = o.verbose ? stderr : NULL;
		if (ld_card_power(&card) != LD_OK || ld_read_iccid(&card, iccid, sizeof(iccid)) != LD_OK) {
			fprintf(stderr, "mimsi-ota: cannot read the card's ICCID\n");
			rc = EX_UNAVAILABLE;
			goto out;
		}
	} else if (o.iccid) {
		snprintf(iccid, sizeof(iccid), "%s", o.iccid);
	}
	if (o.counters) {
		if (!iccid[0]) {
			fprintf(stderr, "mimsi-ota: --counters needs --iccid (build) or a card (send)\n");
			rc = EX_USAGE;
			goto out;
		}
		if (ot_counter_take(o.counters, iccid, o.kvn, (unsigned)np, o.counter, &cntr, err, sizeof(err))) {
			fprintf(stderr, "mimsi-ota: %s\n", err);
			rc = EX_DATAERR;
			goto out;
		}
	} else if (o.counter) {
		cntr = o.counter;
	} else if (OTA_SPI1_CNTR(p.spi1) >= OTA_CNTR_HIGHER) {
		fprintf(stderr, "mimsi-ota: the SPI asks for a counter: give --counters FILE or --counter N\n");
		rc = EX_USAGE;
		goto out;
	}
	if (!send && o.out && !strcmp(o.out, "json"))
		printf("{\"iccid\": \"%s\", \"kvn\": %u, \"packets\": [", iccid, o.kvn);
	for (i = 0; i < np; i++) {
		if (ot_packet_build(&script, first[i], count[i], &p, &ks, cntr + (uint64_t)i, &pk, err, sizeof(err))) {
			fprintf(stderr, "mimsi-ota: packet %d: %s\n", i + 1, err);
			rc = EX_DATAERR;
			goto out;
		}
		sms += pk.n_sms;
		bytes += pk.len;
		if (!send) {
			print_packet(&o, &pk, i == 0, i == np - 1);
			continue;
		}
		{
			struct ot_por por;
			int got;

			rc = ot_send_packet(&card, &pk, p.spi2, &ks, &por, &got, err, sizeof(err));
			if (rc < 0) {
				fprintf(stderr, "mimsi-ota: packet %d: %s\n", i + 1, err);
				rc = EX_IOERR;
				goto out;
			}
			rc = 0;
			if (o.json)
				printf("{\"packet\": %d, \"counter\": %llu, \"sms\": %u, \"por\": ", i + 1,
				       (unsigned long long)pk.cntr, pk.n_sms);
			else
				printf("packet %d (counter %llu, %u SMS): ", i + 1, (unsigned long long)pk.cntr,
				       pk.n_sms);
			if (got)
				ot_por_print(stdout, &por, o.json);
			else
				printf(o.json ? "null" : "no PoR\n");
			if (o.json)
				printf("}\n");
			if (got && por.por.status != OTA_ST_OK) {
				status_bad++;
				break; /* a refused packet: the rest would not apply either */
			}
		}
	}
	if (!send && o.out && !strcmp(o.out, "json"))
		printf("\n  ], \"sms_count\": %u, \"bytes\": %zu}\n", sms, bytes);
	else if (!send && !o.json)
		fprintf(stderr, "mimsi-ota: %d packet%s, %u SMS, %zu bytes\n", np, np == 1 ? "" : "s", sms, bytes);
	rc = status_bad ? 1 : EX_OK;
out:
	OPENSSL_cleanse(&pk, sizeof(pk));
	OPENSSL_cleanse(&script, sizeof(script));
	ot_keys_clear(&ks);
	if (opened)
		ld_transport_close(&t);
	return rc;
}
