#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scripts/vpcd-lib.sh: a vpcd slot that already holds a card no mimsi run put
# there (a connected vpcd client, the lock free) is never used, and the
# reason is said on stderr. The "card" is a TCP client connected to a port
# of our own (no pcscd needed). Prints "check_vpcd_lib: N passed, N failed".
set -u
pass=0
fail=0
T=$(mktemp -d /tmp/check_vpcd_lib.XXXXXX)
PY_PID=
cleanup() {
	[ -n "$PY_PID" ] && kill "$PY_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; }

. scripts/vpcd-lib.sh
# a listener and a connected client on a free port: the slot's card
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(60)' "$T/port" &
PY_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/port" 2>/dev/null)
if [ -z "$P" ]; then
	echo "check_vpcd_lib: could not open a TCP port"
	echo "check_vpcd_lib: 0 passed, 1 failed"
	exit 1
fi
if MIMSI_VPCD_PORT=$P mimsi_vpcd_slot 1 2>"$T/err"; then
	ko "a slot holding a foreign card is refused"
else
	ok "a slot holding a foreign card is refused"
fi
if grep -q "port $P) already holds a card that no mimsi test put there" "$T/err" &&
	[ "$(grep -c 'already holds a card' "$T/err")" -eq 1 ]; then
	ok "and the reason is said once, clearly"
else
	ko "and the reason is said once, clearly"
	sed 's/^/        | /' "$T/err"
fi
kill "$PY_PID" 2>/dev/null
wait "$PY_PID" 2>/dev/null
PY_PID=
exec 9>&-
if MIMSI_VPCD_PORT=$P mimsi_vpcd_slot 2 2>"$T/err2" && [ "$PORT" = "$P" ]; then
	ok "the same slot, empty, is taken"
else
	ko "the same slot, empty, is taken"
fi
exec 9>&-
rm -f "/tmp/mimsi-vpcd-$P.lock"
echo "check_vpcd_lib: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
