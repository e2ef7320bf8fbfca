/* SPDX-License-Identifier: Apache-2.0 */
/* vpcd client: the simulated card inside real pcscd (see sim_vpcd.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_vpcd.h"

#define POLL_MS 200
#define BACKOFF_MIN_MS 100u
#define BACKOFF_MAX_MS 2000u
#define FRAME_MAX 0xFFFFu

int sim_vpcd_parse_addr(const char *s, char *host, size_t host_len, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	struct in_addr a;
	char *end;
	unsigned long p;

	if (!colon || (size_t)(colon - s) >= host_len || colon == s)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (inet_pton(AF_INET, host, &a) != 1)
		return -1;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p == 0 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};

	nanosleep(&ts, NULL); /* EINTR from a signal ends it early: fine */
}

static void quickack(int fd)
{
	int one = 1;

	/* Linux clears QUICKACK after use (tcp(7)): re-arm before every recv */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

/* Read exactly n bytes; 1 = done, 0 = peer closed, -1 = error, -2 = stop. */
static int read_exact(int fd, uint8_t *buf, size_t n, volatile sig_atomic_t *stop)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t r;
		int pr;

		if (*stop)
			return -2;
		pr = poll(&p, 1, POLL_MS);
		if (pr < 0 && errno != EINTR)
			return -1;
		if (pr <= 0)
			continue;
		quickack(fd);
		r = recv(fd, buf + got, n - got, 0);
		if (r == 0)
			return 0;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 1;
}

static int send_frame(int fd, const uint8_t *p, size_t n)
{
	uint8_t buf[2 + 512];
	size_t off = 0, total = n + 2;

	if (n > sizeof(buf) - 2)
		return -1;
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, p, n);
	/* one send: length and payload in the same segment */
	while (off < total) {
		ssize_t w = send(fd, buf + off, total - off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

static int connect_to(const char *host, uint16_t port)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One connection: 0 = peer closed or error (reconnect), -2 = stop. */
static int session(struct sim_card *card, int fd, volatile sig_atomic_t *stop, FILE *log,
		   struct sim_vpcd_stats *st)
{
	uint8_t hdr[2], in[FRAME_MAX], out[300];

	for (;;) {
		size_t n, olen = sizeof(out);
		int r = read_exact(fd, hdr, 2, stop);

		if (r != 1)
			return r == -2 ? -2 : 0;
		n = (size_t)((hdr[0] << 8) | hdr[1]);
		if (n == 0)
			continue;
		r = read_exact(fd, in, n, stop);
		if (r != 1)
			return r == -2 ? -2 : 0;
		if (n == 1) {
			st->controls++;
			switch (in[0]) {
			case SIM_VPCD_CTRL_OFF:
				sim_card_power_off(card);
				break;
			case SIM_VPCD_CTRL_ON:
			case SIM_VPCD_CTRL_RESET:
				(void)sim_card_power_on(card, NULL, NULL);
				break;
			case SIM_VPCD_CTRL_ATR:
				olen = sizeof(out);
				if (sim_card_atr(card, out, &olen) != SIM_OK ||
				    send_frame(fd, out, olen) != 0)
					return 0;
				break;
			default:
				if (log)
					fprintf(log, "vpcd: unknown control byte %02X ignored\n", in[0]);
			}
			continue;
		}
		if (sim_card_transmit(card, in, n, out, &olen) != SIM_OK) {
			/* not powered or torn: answer like a mute card would be seen */
			out[0] = 0x6F;
			out[1] = 0x00;
			olen = 2;
		}
		st->apdus++;
		if (send_frame(fd, out, olen) != 0)
			return 0;
	}
}

int sim_vpcd_serve(struct sim_card *card, const char *host, uint16_t port,
		   volatile sig_atomic_t *stop, FILE *log, struct sim_vpcd_stats *stats)
{
	struct sim_vpcd_stats dummy;
	unsigned backoff = BACKOFF_MIN_MS;
	int warned = 0;

	if (!stats)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	while (!*stop) {
		int fd = connect_to(host, port);

		if (fd == -2)
			return -1;
		if (fd < 0) {
			if (log && !warned)
				fprintf(log, "vpcd: cannot connect to %s:%u (%s); retrying\n", host,
					(unsigned)port, strerror(errno));
			warned = 1;
			sleep_ms(backoff);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		warned = 0;
		backoff = BACKOFF_MIN_MS;
		stats->connects++;
		if (log)
			fprintf(log, "vpcd: connected to %s:%u (card inserted)\n", host, (unsigned)port);
		(void)session(card, fd, stop, log, stats);
		close(fd);
		sim_card_power_off(card);
		if (log && !*stop)
			fprintf(log, "vpcd: connection closed (card removed); reconnecting\n");
	}
	return 0;
}
