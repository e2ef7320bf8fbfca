/* SPDX-License-Identifier: Apache-2.0 */
/* The vpcd client against a fake vpcd driver (no pcscd needed): length
 * frames split across TCP segments, the ATR control at any time, power
 * off/on/reset, and the reconnect after the driver drops the connection. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim_test_util.h"
#include "vpcd/sim_vpcd.h"

static volatile sig_atomic_t never;

static int accept_within(int lfd, int ms)
{
	struct pollfd p = {lfd, POLLIN, 0};

	if (poll(&p, 1, ms) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

static void send_all(int fd, const uint8_t *b, size_t n)
{
	assert_int_equal(send(fd, b, n, 0), (ssize_t)n);
}

static void send_frame(int fd, const uint8_t *p, size_t n, int split)
{
	uint8_t h[2] = {(uint8_t)(n >> 8), (uint8_t)n};
	struct timespec ts = {0, 20 * 1000000L};

	send_all(fd, h, 2);
	if (split)
		nanosleep(&ts, NULL); /* as vpcd does: length and payload apart */
	send_all(fd, p, n);
}

static size_t recv_frame(int fd, uint8_t *buf, size_t cap)
{
	uint8_t h[2];
	size_t n, got = 0;
	struct pollfd p = {fd, POLLIN, 0};

	while (got < 2) {
		assert_int_equal(poll(&p, 1, 3000), 1);
		ssize_t r = recv(fd, h + got, 2 - got, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
	n = (size_t)(h[0] << 8 | h[1]);
	assert_true(n <= cap);
	got = 0;
	while (got < n) {
		assert_int_equal(poll(&p, 1, 3000), 1);
		ssize_t r = recv(fd, buf + got, n - got, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
	return n;
}

static void test_vpcd_protocol(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int lfd, fd, one = 1, status;
	pid_t child;
	uint8_t buf[300];
	static const uint8_t atr_req[] = {0x04}, on[] = {0x01}, off[] = {0x00}, rst[] = {0x02};
	static const uint8_t sel[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2};
	static const uint8_t rd[] = {0x00, 0xB0, 0x00, 0x00, 0x0A};
	size_t n;

	(void)state;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 2), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);

	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct sim_card *c = sim_card_new_default();

		close(lfd);
		if (c)
			sim_vpcd_serve(c, "127.0.0.1", ntohs(sa.sin_port), &never, NULL, NULL);
		_exit(0);
	}
	fd = accept_within(lfd, 3000);
	assert_true(fd >= 0);
	/* ATR before any power-on, and split frames */
	send_frame(fd, atr_req, 1, 1);
	n = recv_frame(fd, buf, sizeof(buf));
	assert_int_equal(n, 22);
	assert_int_equal(buf[0], 0x3B);
	send_frame(fd, on, 1, 0);
	send_frame(fd, sel, sizeof(sel), 1);
	n = recv_frame(fd, buf, sizeof(buf));
	assert_int_equal(n, 2);
	assert_memory_equal(buf, "\x90\x00", 2);
	/* ATR between APDUs does not reset the card: the EF stays selected */
	send_frame(fd, atr_req, 1, 0);
	assert_int_equal(recv_frame(fd, buf, sizeof(buf)), 22);
	send_frame(fd, rd, sizeof(rd), 0);
	n = recv_frame(fd, buf, sizeof(buf));
	assert_int_equal(n, 12);
	assert_memory_equal(buf + 10, "\x90\x00", 2);
	/* power off: a mute card answers 6F00; reset powers it again */
	send_frame(fd, off, 1, 0);
	send_frame(fd, rd, sizeof(rd), 0);
	n = recv_frame(fd, buf, sizeof(buf));
	assert_memory_equal(buf, "\x6F\x00", 2);
	send_frame(fd, rst, 1, 0);
	send_frame(fd, rd, sizeof(rd), 0);
	n = recv_frame(fd, buf, sizeof(buf));
	assert_memory_equal(buf, "\x69\x86", 2); /* after reset: nothing selected */
	/* the driver goes away: the card reconnects */
	close(fd);
	fd = accept_within(lfd, 5000);
	assert_true(fd >= 0);
	send_frame(fd, atr_req, 1, 0);
	assert_int_equal(recv_frame(fd, buf, sizeof(buf)), 22);
	close(fd);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	close(lfd);
}

static void test_parse_addr(void **state)
{
	char host[64];
	uint16_t port;

	(void)state;
	assert_int_equal(sim_vpcd_parse_addr("127.0.0.1:35963", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 35963);
	assert_int_equal(sim_vpcd_parse_addr("127.0.0.1", host, sizeof(host), &port), -1);
	assert_int_equal(sim_vpcd_parse_addr("localhost:1", host, sizeof(host), &port), -1);
	assert_int_equal(sim_vpcd_parse_addr("127.0.0.1:0", host, sizeof(host), &port), -1);
	assert_int_equal(sim_vpcd_parse_addr("127.0.0.1:70000", host, sizeof(host), &port), -1);
	assert_int_equal(sim_vpcd_parse_addr(":5", host, sizeof(host), &port), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpcd_protocol),
		cmocka_unit_test(test_parse_addr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
