#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run libFuzzer targets for FUZZ_SECONDS each (called by `make fuzz`).
# New corpus units go to $FUZZ_BUILD/corpus/<target>/ (the seeds in
# fuzz/corpus/<target>/ are only read); crash, leak and timeout inputs to
# $FUZZ_BUILD/crashes/<target>/. Prints one line per target with the
# executions per second, and from libFuzzer's final line the coverage (cov:
# edges, ft: features) and the corpus size (+ units added in this run).
# Do not run two copies on the same target at once: they share the log.
# Exit: 0 when no target crashed, 1 otherwise.
set -u

B=${FUZZ_BUILD:-build-fuzz}
S=${FUZZ_SECONDS:-30}
failed=0
total=0

# Largest input per target: a little over what each parser can take.
max_len() {
	case "$1" in
	apdu) echo 300 ;;
	bcd | plmn) echo 64 ;;
	ef) echo 4200 ;;
	rc_csv) echo 8192 ;;
	*) echo 1024 ;;
	esac
}

for t in "$@"; do
	bin="$B/fuzz/fuzz_$t"
	work="$B/corpus/$t"
	crashes="$B/crashes/$t"
	log="$B/logs/$t.log"
	mkdir -p "$work" "$crashes" "$B/logs"
	total=$((total + 1))
	seeds=
	[ -d "fuzz/corpus/$t" ] && seeds="fuzz/corpus/$t"
	dict=
	[ -f "fuzz/dict/$t.dict" ] && dict="-dict=fuzz/dict/$t.dict"
	# -timeout: an input taking 5 s is a hang; -rss_limit_mb: a leak that grows
	"$bin" -max_total_time="$S" -max_len="$(max_len "$t")" -timeout=5 \
		-rss_limit_mb=2048 -print_final_stats=1 $dict \
		-artifact_prefix="$crashes/" "$work" $seeds >"$log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	new=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz %-16s ok %8s exec/s %10s runs  cov %5s  ft %6s  corpus %5s (+%s)\n' \
			"$t" "${eps:-?}" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${new:-?}"
	else
		failed=$((failed + 1))
		printf 'fuzz %-16s CRASH (exit %s) see %s and %s/\n' "$t" "$rc" "$log" "$crashes"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property failed|.*runtime error)' "$log" |
			head -n 5 | sed 's/^/    /'
	fi
done
echo "fuzz: $((total - failed)) passed, $failed failed (${S} s each)"
[ "$failed" -eq 0 ]
