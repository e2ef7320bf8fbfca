#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The card vendors' template port (applet/port/template) compiles and links
# with the core in every toolkit mode of mi_port.h: applet-owned (the
# default, the four toolkit functions never called), framework-owned and
# chosen at run time; and the program then runs the entry points (safe
# mode: the template finds no file). Exit 0 pass, 1 fail.
set -u
BUILD=${BUILD:-build}
out=$BUILD/test-logs/template-port
mkdir -p "$out"
cat >"$out/main.c" <<'C'
#include "mimsi/mi_applet.h"
#include "mimsi/mi_err.h"
int main(void);
int main(void)
{
	static struct mi_nv nv;
	static struct mi_ram ram;
	static const mi_u8 tp[] = {0x28, 0x00, 0x80, 0x61, 0x11, 0x00, 0x00, 0x01};
	static mi_u32 ctx[1024]; /* zeroed room for the template's struct mi_port */
	struct mi_applet a;

	a.port = (struct mi_port *)(void *)ctx;
	a.nv = &nv;
	a.ram = &ram;
	(void)mi_applet_install(&a);
	if (mi_applet_reset(&a) != MI_OK)
		return 1;
	return mi_applet_terminal_profile(&a, tp, sizeof(tp)) < 0 ? 2 : 0;
}
C
fail=0
for mode in MI_TOOLKIT_APPLET MI_TOOLKIT_FRAMEWORK MI_TOOLKIT_RUNTIME; do
	# shellcheck disable=SC2046
	if ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -Iapplet/include -Iapplet/core \
		-DMI_PORT_TOOLKIT=$mode -o "$out/prog-$mode" "$out/main.c" \
		applet/port/template/mi_port_template.c $(ls applet/core/*.c) 2>"$out/cc-$mode.txt" &&
		"$out/prog-$mode"; then
		echo "  PASS  template port, $mode"
	else
		echo "  FAIL  template port, $mode (see $out/cc-$mode.txt)"
		sed 's/^/        | /' "$out/cc-$mode.txt" | head -n 5
		fail=$((fail + 1))
	fi
done
echo "template-port: $((3 - fail)) passed, $fail failed"
[ $fail -eq 0 ]
