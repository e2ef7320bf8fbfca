#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Money must never pass through binary floating point: no float, double,
# strtod/atof or %f/%g/%e conversions in the compiler (comments removed
# first with the preprocessor, so prose may say "float").
set -u
n=0
bad=0
for f in rules-compiler/*.c rules-compiler/*.h rules-compiler/tests/*.c; do
	n=$((n + 1))
	hits=$(gcc -fpreprocessed -dD -E -P "$f" 2>/dev/null |
		grep -nE '\b(float|double|_Float[0-9]+|strtod|strtof|strtold|atof|json_real_value|json_number_value)\b|%[-+ #0-9.]*[fFgGeEaA]\b' |
		grep -v '^[0-9]*:#')
	if [ -n "$hits" ]; then
		echo "FAIL $f:"
		echo "$hits"
		bad=$((bad + 1))
	fi
done
echo "no-float: $((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
