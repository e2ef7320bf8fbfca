# SPDX-License-Identifier: Apache-2.0
# Shared by the checks and benches that put the simulated card into real
# pcscd through the vsmartcard vpcd driver (its TCP protocol: vsmartcard's
# vpcd.h). Source it, then:
#
#   mimsi_pcscd_up LOG   use a live pcscd (zombies do not count), else start
#                        one without -a (it would log APDUs, ADM included);
#                        MIMSI_PCSCD_PID is set only when this call started
#                        it: stop only that one.
#   mimsi_vpcd_slot SECS take the first free vpcd slot: 35964 ("Virtual PCD
#                        00 01") then 35963 ("00 00"), or $MIMSI_VPCD_PORT;
#                        free = its lock /tmp/mimsi-vpcd-PORT.lock taken
#                        (held on fd 9 for the whole run) and no card
#                        connected; a card connected without the lock is
#                        someone else's: said clearly on stderr, never
#                        used. Sets PORT and READER; 1 after SECS.
#   mimsi_pcscd_down PID stop the pcscd this run started, unless another run
#                        is using it (a vpcd slot lock held elsewhere, or a
#                        card connected on the other slot): it stays then,
#                        and the last user's run leaves it behind.
#   mimsi_run_begin NAME a work dir in $tmp (/tmp/mimsi-NAME.XXXXXX) and, at
#                        exit, the card server $sim_pid stopped, the pcscd
#                        $pcscd_pid stopped by mimsi_pcscd_down, $tmp removed
#   mimsi_tcp_state PORT STATE FIELD   a TCP socket in /proc/net/tcp (no
#                        iproute2 needed): STATE 0A listen / 01 established,
#                        FIELD 2 local / 3 remote address.

mimsi_tcp_state() {
	awk -v p="$(printf '%04X' "$1")" -v st="$2" -v f="$3" \
		'NR > 1 && $4 == st { split($f, a, ":"); if (a[2] == p) n++ } END { exit n ? 0 : 1 }' \
		/proc/net/tcp
}

mimsi_pcscd_up() {
	MIMSI_PCSCD_PID=
	if ps -C pcscd -o stat= 2>/dev/null | grep -qv '^Z'; then
		return 0
	fi
	pcscd -f >>"${1:-/dev/null}" 2>&1 &
	MIMSI_PCSCD_PID=$!
	_i=0
	until mimsi_tcp_state 35963 0A 2 || [ $_i -ge 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	# cards served by other runs reconnect within 2 s: let them take their slot first
	sleep 2.5
}

mimsi_vpcd_slot() {
	PORT=
	READER=
	_i=0
	_told=
	while [ $_i -lt $((${1:-60} * 5)) ]; do
		for _p in ${MIMSI_VPCD_PORT:-35964 35963}; do
			exec 9>"/tmp/mimsi-vpcd-$_p.lock"
			flock -n 9 || continue
			# the lock is ours, so no mimsi run serves this slot: a card
			# connected to it belongs to something else (a vpcd app, a
			# forgotten mimsi-sim serve); never test against it
			if mimsi_tcp_state "$_p" 01 3; then
				exec 9>&-
				case " $_told " in *" $_p "*) ;; *)
					echo "vpcd-lib: slot \"Virtual PCD 00 0$((_p - 35963))\" (port $_p)" \
						"already holds a card that no mimsi test put there; remove it" \
						"(stop the vpcd client connected to port $_p) or set" \
						"MIMSI_VPCD_PORT to a free slot" >&2
					_told="$_told $_p"
				esac
				continue
			fi
			PORT=$_p
			READER="Virtual PCD 00 0$((_p - 35963))"
			return 0
		done
		sleep 0.2
		_i=$((_i + 1))
	done
	[ -n "$_told" ] && echo "vpcd-lib: no empty vpcd slot: another card is in$_told" >&2
	return 1
}

mimsi_pcscd_down() {
	[ -n "${1:-}" ] || return 0
	for _p in 35963 35964; do
		[ "$_p" = "${PORT:-}" ] && continue
		if mimsi_tcp_state "$_p" 01 3; then
			return 0 # a card of another run is connected
		fi
		if ! flock -n "/tmp/mimsi-vpcd-$_p.lock" true 2>/dev/null; then
			return 0 # another run holds that slot
		fi
	done
	kill "$1" 2>/dev/null && wait "$1" 2>/dev/null
	return 0
}

mimsi_run_end() {
	[ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	mimsi_pcscd_down "${pcscd_pid:-}"
	rm -rf "${tmp:-/nonexistent}"
}

mimsi_run_begin() {
	tmp=$(mktemp -d "/tmp/mimsi-$1.XXXXXX")
	pcscd_pid=""
	sim_pid=""
	trap mimsi_run_end EXIT
	trap 'exit 1' INT TERM
}
