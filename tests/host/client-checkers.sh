#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The strict JSON and Prometheus checkers that tests/guest/client.sh runs in
# the guest (awk, since the guest has no python) must be right, or the
# guest's "valid JSON" and "passes the format check" mean nothing.  Here
# they are run, with the guest's own busybox awk and with this host's awk,
# over valid and broken inputs and over the client's real output, and
# their verdicts compared with references: python3's json module (made
# strict: no NaN/Infinity, no duplicate keys) and promtool from Debian's
# prometheus package (extracted from the .deb into build/tools when it is
# not installed, so no Prometheus server gets installed or started).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/client-checkers
rm -rf "$build"
mkdir -p "$build"
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

# shellcheck source=../guest/client.sh
NSMON_CLIENT_LIB=1 . "$root/tests/guest/client.sh"

awks="busybox awk|awk"

strict_json() {
	python3 -c '
import json, sys
def pairs(p):
    keys = [k for k, _ in p]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(p)
def const(c):
    raise ValueError("not JSON: " + c)
s = open(sys.argv[1], "rb").read().decode("utf-8")
json.loads(s, object_pairs_hook=pairs, parse_constant=const)
' "$1" 2>/dev/null
}

# --- JSON: a corpus, each case judged by python3 and by json_check --------
j=$build/json
mkdir -p "$j"
n=0
jcase() { n=$((n + 1)); printf '%s' "$1" >"$j/$n"; }
jcase '{}'
jcase '[]'
jcase '{"a": [1, 2.5, -0.1e+3, true, false, null, "x\"y\\u00e9\n"]}'
jcase '  {"a": {"b": {"c": []}}}  '
jcase '{"namespaces": [{"inum": 4026531836, "command": "a b"}]}'
jcase '"just a string"'
jcase '0'
jcase '-0'
jcase '1E5'
jcase ''
jcase '{'
jcase '{"a": 1,}'
jcase '[1, 2,]'
jcase '{"a" 1}'
jcase '{a: 1}'
jcase "{'a': 1}"
jcase '{"a": 01}'
jcase '{"a": 1.}'
jcase '{"a": .5}'
jcase '{"a": +1}'
jcase '{"a": 1e}'
jcase '{"a": NaN}'
jcase '{"a": Infinity}'
jcase '{"a": tru}'
jcase '{"a": "\x"}'
jcase '{"a": "\u12g4"}'
jcase '{"a": "tab	inside"}'
jcase '{"a": 1} {"b": 2}'
jcase '{"a": 1}x'
jcase '[1 2]'
jcase '{"a": 1, "a": 2}'
jcase '{"a": {"b": 1}, "c": {"b": 2}}'
jcase '[[[[[[[[[[]]]]]]]]]]'
jcase '{"a": "unterminated}'
jcase '{"a": -}'
jcase '{"a": 2.}'
jcase '{"a": 1.5e+}'
printf '{"a":\n1}\n' >"$j/crlf-free-newlines"
printf '{"a": "x"}\r\n' >"$j/crlf"

# --- the client's own output on a fixture tree ---------------------------
fx=$build/fx
"$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$fx" >/dev/null
make -s -C "$root/user" >/dev/null
nsmon=$root/user/nsmon
export NSMON_PROC="$fx"
inum2=$(stat -c %i "$fx/109/ns/pid")
"$nsmon" list --json >"$j/out-list"
"$nsmon" list --tree --json >"$j/out-tree"
"$nsmon" list --tree --total --json -o +VOLUNTARY,CPU_NS >"$j/out-total"
"$nsmon" show --json "$inum2" >"$j/out-show"
"$nsmon" ps --json --pid 109 >"$j/out-ps"
"$nsmon" pid --host 109 --json >"$j/out-host"
"$nsmon" status --json >"$j/out-status"
"$nsmon" list -H --json >"$j/out-columns"

agree=0 disagree=0
for f in "$j"/*; do
	ref=bad
	strict_json "$f" && ref=good
	case $f in */out-*)
		[ $ref = good ] && ok "client output $(basename "$f") is valid JSON (python3, strict)" ||
			notok "client output $(basename "$f") is valid JSON (python3, strict)"
	esac
	IFS='|'
	for a in $awks; do
		unset IFS
		v=bad
		AWK=$a json_check "$f" >/dev/null 2>&1 && v=good
		if [ $v = $ref ]; then
			agree=$((agree + 1))
		else
			disagree=$((disagree + 1))
			notok "json_check ($a) says $v, python3 says $ref: $(head -c 60 "$f" | tr '\n' ' ')"
		fi
		IFS='|'
	done
	unset IFS
done
total=$(ls "$j" | wc -l)
[ $disagree = 0 ] && ok "json_check (busybox awk and awk) agrees with python3 on all $total inputs ($agree verdicts)" ||
	notok "json_check disagrees with python3 on $disagree verdicts"
goods=$(for f in "$j"/*; do strict_json "$f" && echo g; done | wc -l)
echo "# json corpus: $total inputs, $goods valid, $((total - goods)) invalid"

# --- Prometheus: a corpus with our verdict and promtool's ------------------
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
	promtool=$root/build/tools/usr/bin/promtool
	if [ ! -x "$promtool" ]; then
		( mkdir -p "$root/build/tools/deb" && cd "$root/build/tools/deb" &&
		  timeout 300 apt-get download -q prometheus >/dev/null 2>&1 &&
		  dpkg-deb -x prometheus_*.deb "$root/build/tools" ) || true
	fi
fi
[ -x "$promtool" ] && ok "promtool is available ($promtool)" ||
	notok "promtool is available (Debian's prometheus package, apt-get download)"

p=$build/prom
mkdir -p "$p"
# pcase NAME OURS PROMTOOL CONTENT: OURS good|bad; PROMTOOL 0, 1 (parse
# error), 3 (lint) or "-" when promtool is laxer than nsmon's promise.
pcase() { printf '%s' "$4" >"$p/$1"; echo "$1 $2 $3" >>"$p.cases"; }
: >"$p.cases"
pcase ok good 0 '# HELP a_total x
# TYPE a_total counter
a_total{x="1"} 1
a_total{x="2"} 2.5e3
# HELP g y
# TYPE g gauge
g -Inf
'
pcase comments good 0 '# a comment
# HELP a x
# TYPE a gauge
a{x="q\"\\\n"} NaN 1700000000000
'
pcase no-total bad 3 '# HELP a x
# TYPE a counter
a 1
'
pcase no-help bad 3 '# TYPE a gauge
a 1
'
pcase no-type bad - '# HELP a x
a 1
'
pcase bad-escape bad 1 '# HELP a x
# TYPE a gauge
a{x="1\q"} 1
'
pcase dup-label bad 1 '# HELP a x
# TYPE a gauge
a{x="1",x="2"} 1
'
pcase two-types bad 1 '# HELP a x
# TYPE a gauge
a 1
# TYPE a gauge
'
pcase bad-value bad 1 '# HELP a x
# TYPE a gauge
a abc
'
pcase bad-name bad 1 '# HELP a x
# TYPE a gauge
1a 1
'
pcase unterminated bad 1 '# HELP a x
# TYPE a gauge
a{x="1} 1
'
pcase no-newline bad 1 '# HELP a x
# TYPE a gauge
a 1'
pcase interleaved bad - '# HELP a_total x
# TYPE a_total counter
a_total{x="1"} 1
# HELP b x
# TYPE b gauge
b 2
a_total{x="2"} 3
'
pcase dup-series bad - '# HELP a x
# TYPE a gauge
a{x="1",y="2"} 1
a{y="2",x="1"} 2
'
pcase negative-counter bad - '# HELP a_total x
# TYPE a_total counter
a_total -1
'
pcase two-spaces bad - '# HELP a x
# TYPE a gauge
a  1
'
pcase histogram good 0 '# HELP h_seconds x
# TYPE h_seconds histogram
h_seconds_bucket{x="1",le="1e-06"} 0
h_seconds_bucket{x="1",le="0.5"} 3
h_seconds_bucket{x="1",le="+Inf"} 4
h_seconds_sum{x="1"} 1.25
h_seconds_count{x="1"} 4
h_seconds_bucket{x="2",le="1e-06"} 1
h_seconds_bucket{x="2",le="0.5"} 1
h_seconds_bucket{x="2",le="+Inf"} 1
h_seconds_sum{x="2"} 0
h_seconds_count{x="2"} 1
'
pcase hist-no-le bad - '# HELP h x
# TYPE h histogram
h_bucket{x="1"} 0
h_sum 0
h_count 0
'
pcase hist-not-cumulative bad - '# HELP h x
# TYPE h histogram
h_bucket{le="1"} 5
h_bucket{le="2"} 4
h_bucket{le="+Inf"} 5
h_sum 1
h_count 5
'
pcase hist-le-down bad - '# HELP h x
# TYPE h histogram
h_bucket{le="2"} 1
h_bucket{le="1"} 1
h_bucket{le="+Inf"} 1
h_sum 1
h_count 1
'
pcase hist-no-inf bad - '# HELP h x
# TYPE h histogram
h_bucket{le="1"} 1
h_sum 1
h_count 1
'
pcase hist-count-not-inf bad - '# HELP h x
# TYPE h histogram
h_bucket{le="1"} 1
h_bucket{le="+Inf"} 2
h_sum 1
h_count 3
'
pcase hist-bare-name bad - '# HELP h x
# TYPE h histogram
h 1
'
"$nsmon" metrics >"$p/nsmon-metrics"
echo "nsmon-metrics good 0" >>"$p.cases"
# the run-queue wait histogram with counts in it
fxw=$build/fxw
"$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/wait" "$fxw" >/dev/null
NSMON_PROC=$fxw "$nsmon" metrics >"$p/nsmon-metrics-wait"
echo "nsmon-metrics-wait good 0" >>"$p.cases"

pbad=0
while read -r name ours theirs; do
	IFS='|'
	for a in $awks; do
		unset IFS
		v=bad
		AWK=$a prom_check "$p/$name" >/dev/null 2>&1 && v=good
		[ $v = "$ours" ] || { pbad=$((pbad + 1)); notok "prom_check ($a) says $v for '$name', want $ours"; }
		IFS='|'
	done
	unset IFS
	if [ "$theirs" != - ] && [ -x "$promtool" ]; then
		rc=0
		"$promtool" check metrics <"$p/$name" >"$p/$name.promtool" 2>&1 || rc=$?
		[ "$rc" = "$theirs" ] || { pbad=$((pbad + 1)); notok "promtool exits $rc for '$name', want $theirs"; sed 's/^/# /' "$p/$name.promtool"; }
	fi
done <"$p.cases"
[ $pbad = 0 ] && ok "prom_check (busybox awk and awk) gives the expected verdict on $(wc -l <"$p.cases") inputs, and promtool agrees wherever it is as strict" ||
	notok "prom_check/promtool verdicts: $pbad wrong"
for m in nsmon-metrics nsmon-metrics-wait; do
	rc=0
	[ -x "$promtool" ] && "$promtool" check metrics <"$p/$m" >/dev/null 2>&1 || rc=$?
	[ $rc = 0 ] && ok "$m (fixture) passes promtool check metrics, lints included" ||
		notok "$m (fixture) passes promtool check metrics (exit $rc)"
done
