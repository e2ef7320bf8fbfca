/* SPDX-License-Identifier: Apache-2.0 */
/*! \file m0_start.c
 *  Start-up of the replay image on QEMU's microbit (Cortex-M0, ARMv6-M) and
 *  the semihosting calls it prints and reads with (Arm "Semihosting for
 *  AArch32 and AArch64": BKPT 0xAB, operation in r0, argument block in r1).
 */
#include "m0_harness.h"

int main(void);
void m0_reset(void) __attribute__((noreturn));
void m0_fault(void) __attribute__((noreturn));

extern mi_u32 m0_data_start[], m0_data_end[], m0_data_load[];
extern mi_u32 m0_bss_start[], m0_bss_end[], m0_stack_top[];

/* ARMv7-M/ARMv6-M vector table: initial SP, reset, NMI, HardFault */
__attribute__((section(".vectors"), used)) static void *const m0_vectors[4] = {
	m0_stack_top, (void *)m0_reset, (void *)m0_fault, (void *)m0_fault};

#define SYS_OPEN 0x01u
#define SYS_WRITE0 0x04u
#define SYS_READ 0x06u
#define SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR 0x20023u

static mi_u32 semihost(mi_u32 op, const void *arg)
{
	register mi_u32 r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void m0_puts(const char *s)
{
	semihost(SYS_WRITE0, s);
}

void m0_put_u32(const char *label, mi_u32 v)
{
	char buf[12];
	int i = 10;

	buf[11] = '\0';
	buf[10] = '\n';
	do {
		buf[--i] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v && i > 0);
	m0_puts(label);
	m0_puts(buf + i);
}

int m0_open(const char *path)
{
	mi_u32 n = 0, arg[3];

	while (path[n])
		n++;
	arg[0] = (mi_u32)path;
	arg[1] = 1; /* "rb" */
	arg[2] = n;
	return (int)semihost(SYS_OPEN, arg);
}

mi_u32 m0_read(int handle, mi_u8 *buf, mi_u32 len)
{
	mi_u32 arg[3];

	arg[0] = (mi_u32)handle;
	arg[1] = (mi_u32)buf;
	arg[2] = len;
	return len - semihost(SYS_READ, arg); /* it answers the bytes not read */
}

void m0_exit(int ok)
{
	for (;;)
		semihost(SYS_EXIT, (const void *)(ok ? ADP_STOPPED_APPLICATION_EXIT
						     : ADP_STOPPED_RUNTIME_ERROR));
}

void m0_fail(const char *why)
{
	m0_puts("m0: ");
	m0_puts(why);
	m0_puts("\n");
	m0_exit(0);
}

void m0_fault(void)
{
	m0_fail("hard fault (an instruction this core does not have, or a bad address)");
}

void m0_reset(void)
{
	mi_u32 *d = m0_data_start, *s = m0_data_load;

	while (d < m0_data_end)
		*d++ = *s++;
	for (d = m0_bss_start; d < m0_bss_end; d++)
		*d = 0;
	m0_exit(main() == 0);
}
