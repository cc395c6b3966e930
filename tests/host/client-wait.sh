#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsmon(1)'s run-queue latency (issue 17) on the host, against fixture proc
# trees: what show, list, top and metrics print equals what the fixture
# files say (the histogram's counts, their cumulative sums, percentiles
# and a bar chart worked out by hand); with a module built without
# CONFIG_SCHED_INFO (no wait keys) the views say 'n/a' / 'not available'
# and JSON and metrics leave them out; an unknown key after them changes
# nothing.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/client-wait
rm -rf "$build"
mkdir -p "$build"
ok() { printf 'ok - %s\n' "$*"; }
notok() { printf 'not ok - %s\n' "$*"; }
check() { desc=$1; shift; if "$@"; then ok "wait: $desc"; else notok "wait: $desc"; fi; }
make -s -C "$root/user" >/dev/null
nsmon=${NSMON_BIN:-$root/user/nsmon}
export LC_ALL=C
# shellcheck source=../guest/client.sh
NSMON_CLIENT_LIB=1 . "$root/tests/guest/client.sh"
out=$build/out err=$build/err
run() { rc=0; "$nsmon" "$@" >"$out" 2>"$err" || rc=$?; }
py() { python3 -c "$1" "$out"; }

# --- with the wait keys: tests/user/fixtures/wait ---------------------------
# NS0: 1242 waits (5 120 340 410 220 95 30 12 6 2 1, then 1 of 1 s or more),
# wait_ns 987654321012; NS1: 81 waits (3 0 12 40 25 0 1), wait_ns 2468013;
# NS2: none, wait_ns 0.
fx=$build/fx
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/wait" "$fx")"
export NSMON_PROC="$fx"

run show "$NS1"
cat >"$build/want" <<'EOF'
wait_hist: 81 counted since the module was loaded
     usecs               : count    distribution
         0 -> 1          : 3        |***                                     |
         1 -> 2          : 0        |                                        |
         2 -> 4          : 12       |************                            |
         4 -> 8          : 40       |****************************************|
         8 -> 16         : 25       |*************************               |
        16 -> 32         : 0        |                                        |
        32 -> 64         : 1        |*                                       |
EOF
check "show NS1: the table, an empty line, then the bar chart of its 81 waits" \
	sh -c "[ $rc = 0 ] && tail -n 10 $out | head -1 | grep -qx '' && tail -n 9 $out | cmp -s - $build/want"
check "show NS1: wait in seconds and wait_ns as in the file, no line per bucket" \
	sh -c "grep -qE '^wait +0\\.002\$' $out && grep -qE '^wait_ns +2468013\$' $out && ! grep -q '^wait_lt\\|^wait_ge' $out"
run show "$NS0"
check "show NS0: leading buckets kept from the first with a count, up to '1048576 -> inf' with its 1" \
	sh -c "grep -q '^wait_hist: 1242 counted' $out && grep -qE '^ +0 -> 1 +: 5 +\\|' $out && tail -n 1 $out | grep -qE '^   1048576 -> inf        : 1        \\| {40}\\|\$' && [ \$(grep -c ' -> ' $out) = 22 ]"
run show "$NS2"
check "show NS2 (no wait yet): 'none counted', no chart" \
	sh -c "[ $rc = 0 ] && tail -n 1 $out | grep -qx 'wait_hist: none counted since the module was loaded' && ! grep -q usecs $out"
run show -J "$NS1"
check "show -J NS1: \"wait_hist\" the array of the 22 counts, wait_ns and wait, no single bucket" \
	py "import json,sys; d=json.load(open(sys.argv[1])); assert d['wait_hist'] == [3,0,12,40,25,0,1] + [0]*15, d; assert d['wait_ns'] == 2468013 and d['wait'] == 0.002, d; assert not [k for k in d if k.startswith('wait_lt') or k.startswith('wait_ge')], d"
run show -r -n -o WAIT_HIST "$NS1"
check "show -r -o WAIT_HIST: the counts, comma-separated" \
	[ "$(cat "$out")" = "wait_hist 3,0,12,40,25,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0" ]
run show -r -n -o WAIT_LT_8US,wait_ge_1048576us "$NS0"
check "show -o WAIT_LT_8US,wait_ge_1048576us: single buckets by column or key name" \
	[ "$(tr '\n' ' ' <"$out")" = "wait_lt_8us 410 wait_ge_1048576us 1 " ]
run show -o WAIT_HIST "$NS1"
check "show -o WAIT_HIST: the chart alone" sh -c "[ $rc = 0 ] && cmp -s $out $build/want"

run list -r -n -o INUM,WAIT_NS,WAIT_LT_4US --sort WAIT_LT_4US
check "list --sort WAIT_LT_4US: 0, 12, 340" [ "$(tr '\n' ' ' <"$out")" = "$NS2 0 0 $NS1 2468013 12 $NS0 987654321012 340 " ]
run list --total -r -n -o INUM,WAIT_NS,WAIT_LT_8US,WAIT
check "list --total: wait_ns and buckets summed over subtrees" \
	sh -c "grep -qx '$NS0 987656789025 450 987.656' $out && grep -qx '$NS1 2468013 40 0.002' $out"
run list -J -o INUM,WAIT_HIST
check "list -J -o INUM,WAIT_HIST: each namespace's counts as an array" \
	py "import json,sys; d={n['inum']: n['wait_hist'] for n in json.load(open(sys.argv[1]))['namespaces']}; assert d[$NS1] == [3,0,12,40,25,0,1] + [0]*15 and d[$NS2] == [0]*22 and d[$NS0][21] == 1 and sum(d[$NS0]) == 1242, d"
run list
check "list: the default columns have no wait column" sh -c "[ $rc = 0 ] && ! head -1 $out | grep -q WAIT"
run list -H
check "list -H: WAIT, WAIT_NS, WAIT_HIST and the 22 bucket columns" \
	sh -c "grep -q '^WAIT ' $out && grep -q '^WAIT_NS ' $out && grep -q '^WAIT_HIST ' $out && [ \$(grep -c '^WAIT_[LG][TE]_' $out) = 22 ]"
run top -H
check "top -H: WAIT%, WAIT_P50, WAIT_P99, no rate of a bucket" \
	sh -c "grep -q '^WAIT% ' $out && grep -q '^WAIT_P50 ' $out && grep -q '^WAIT_P99 ' $out && ! grep -q '^WAIT_LT' $out"

# metrics: one histogram family, cumulative buckets by hand
run metrics
{
	c=0
	for b in 1e-06:3 2e-06:0 4e-06:12 8e-06:40 1.6e-05:25 3.2e-05:0 6.4e-05:1 \
		0.000128:0 0.000256:0 0.000512:0 0.001024:0 0.002048:0 0.004096:0 \
		0.008192:0 0.016384:0 0.032768:0 0.065536:0 0.131072:0 0.262144:0 \
		0.524288:0 1.048576:0 +Inf:0; do
		c=$((c + ${b#*:}))
		echo "nsmon_wait_seconds_bucket{inum=\"$NS1\",le=\"${b%:*}\"} $c"
	done
	echo "nsmon_wait_seconds_sum{inum=\"$NS1\"} 0.002468013"
	echo "nsmon_wait_seconds_count{inum=\"$NS1\"} 81"
} >"$build/want"
check "metrics: NS1's nsmon_wait_seconds: 22 cumulative buckets up to +Inf, _sum = wait_ns in s, _count 81" \
	sh -c "grep -F 'inum=\"$NS1\"' $out | grep '^nsmon_wait_seconds' | cmp -s - $build/want"
check "metrics: NS0's _sum 987.654321012 (wait_ns, not made up from buckets), _count and +Inf 1242, le=1.048576 1241" \
	sh -c "grep -qx 'nsmon_wait_seconds_sum{inum=\"$NS0\"} 987.654321012' $out && grep -qx 'nsmon_wait_seconds_count{inum=\"$NS0\"} 1242' $out && grep -qx 'nsmon_wait_seconds_bucket{inum=\"$NS0\",le=\"+Inf\"} 1242' $out && grep -qx 'nsmon_wait_seconds_bucket{inum=\"$NS0\",le=\"1.048576\"} 1241' $out"
check "metrics: '# TYPE nsmon_wait_seconds histogram' once; no metric per bucket, none for wait_ns alone" \
	sh -c "[ \$(grep -c '^# TYPE nsmon_wait_seconds histogram\$' $out) = 1 ] && ! grep -q 'nsmon_wait_lt\\|nsmon_wait_ge\\|nsmon_wait_seconds_total\\|nsmon_wait_ns' $out && [ \$(grep -c '^nsmon_wait_seconds_bucket' $out) = 66 ]"
rc=0; prom_check "$out" >"$err" 2>&1 || rc=$?
check "metrics pass prom_check (histogram rules included)" [ $rc = 0 ]

# top: two frames through a FIFO, so the interval's deltas are known:
# NS1 gets 10 waits (4 in [2,4) us, 4 in [4,8), 2 in [8,16)) and 0.5 s
# of wait_ns; NS2 0.25 s of wait_ns but no finished wait; NS0 nothing.
# p50 = 4 + 4 * (5 - 4) / 4 = 5.0 us, p99 = 8 + 8 * (9.9 - 8) / 2 = 15.6 us.
cp "$fx/nsmon/namespaces" "$build/frame1"
awk -v ns1="$NS1" -v ns2="$NS2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	$1 == ns1 { $col["wait_ns"] += 500000000; $col["wait_lt_4us"] += 4; $col["wait_lt_8us"] += 4; $col["wait_lt_16us"] += 2 }
	$1 == ns2 { $col["wait_ns"] += 250000000 }
	{ print }' "$build/frame1" >"$build/frame2"
# Each frame through its own FIFO: namespaces is a symlink to the first,
# pointed at the second as soon as the first frame is read whole (one
# FIFO would let the second frame's writer in before top saw the end of
# the first).
rm "$fx/nsmon/namespaces"
mkfifo "$build/fifo1" "$build/fifo2"
ln -s "$build/fifo1" "$fx/nsmon/namespaces"
# shellcheck disable=SC2016
timeout 60 sh -c 'cat "$1" >"$3" && ln -s "$4" "$5.new" && mv -T "$5.new" "$5" && cat "$2" >"$4"' \
	feed "$build/frame1" "$build/frame2" "$build/fifo1" "$build/fifo2" "$fx/nsmon/namespaces" &
feeder=$!
rc=0; timeout 60 "$nsmon" top -b -J -n 2 -d 1 >"$out" 2>"$build/top.err" || rc=$?
wait "$feeder" || true
rm -f "$fx/nsmon/namespaces"
cp "$build/frame1" "$fx/nsmon/namespaces"
[ $rc = 0 ] || sed 's/^/# /' "$build/top.err"
check "top -J over a FIFO: two frames, exit 0" sh -c "[ $rc = 0 ] && [ \$(wc -l <$out) = 2 ]"
python3 - "$out" "$NS0" "$NS1" "$NS2" >"$build/py" 2>&1 <<'EOF' && rc=0 || rc=$?
import json, sys
f1, f2 = [json.loads(l) for l in open(sys.argv[1])]
ns0, ns1, ns2 = (int(x) for x in sys.argv[2:5])
a = {n["inum"]: n for n in f1["namespaces"]}
b = {n["inum"]: n for n in f2["namespaces"]}
for n in a.values():
    assert n["wait%"] is None and n["wait_p50"] is None and n["wait_p99"] is None, n
dt = f2["interval"]
assert b[ns1]["wait_p50"] == 5.0 and b[ns1]["wait_p99"] == 15.6, b[ns1]
# WAIT%: 0.5 s over the interval (printed to the ms), % of one CPU, one decimal
assert abs(b[ns1]["wait%"] - 50.0 / dt) <= 0.05 + 50.0 / dt * 0.002 / dt, (b[ns1], dt)
assert abs(b[ns2]["wait%"] - 25.0 / dt) <= 0.05 + 25.0 / dt * 0.002 / dt, (b[ns2], dt)
assert b[ns2]["wait_p50"] is None and b[ns2]["wait_p99"] is None, b[ns2]
assert b[ns0]["wait%"] == 0.0 and b[ns0]["wait_p50"] is None, b[ns0]
print("interval %.3f: NS1 wait%% %s p50 %s p99 %s, NS2 wait%% %s" % (dt, b[ns1]["wait%"], b[ns1]["wait_p50"], b[ns1]["wait_p99"], b[ns2]["wait%"]))
EOF
check "top -J: NS1 WAIT_P50 5.0 and WAIT_P99 15.6 us, WAIT% 0.5 s over the interval; NS2 WAIT% without a wait finished: percentiles null; first frame null ($(tail -1 "$build/py"))" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$build/py"

# --- without the wait keys (no CONFIG_SCHED_INFO) ----------------------------
fxn=$build/fxn
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/wait" "$fxn")"
"$root/tests/user/strip-wait.sh" "$fxn"
export NSMON_PROC="$fxn"
check "the stripped fixture has no wait key (as a module without CONFIG_SCHED_INFO)" \
	sh -c "! grep -q wait $fxn/nsmon/namespaces $fxn/nsmon/$NS1 && tail -n 1 $fxn/nsmon/$NS1 | grep -q '^migrations '"
run show "$NS1"
check "show: wait and wait_ns 'n/a', the chart 'not available'" \
	sh -c "[ $rc = 0 ] && grep -qE '^wait +n/a\$' $out && grep -qE '^wait_ns +n/a\$' $out && tail -n 1 $out | grep -qx 'wait_hist: not available (the module was built for a kernel without CONFIG_SCHED_INFO)'"
run show -J "$NS1"
check "show -J: no wait key at all, the others there" \
	py "import json,sys; d=json.load(open(sys.argv[1])); assert not [k for k in d if k.startswith('wait')], d; assert d['migrations'] == 7, d"
run list -r -n -o INUM,WAIT,WAIT_HIST,MIGRATIONS --sort WAIT
check "list -o INUM,WAIT,WAIT_HIST,MIGRATIONS --sort WAIT: n/a, exit 0" \
	sh -c "[ $rc = 0 ] && grep -qx '$NS1 n/a n/a 7' $out"
run list -J -o INUM,WAIT,WAIT_LT_1US,MIGRATIONS
check "list -J: the wait columns left out" \
	py "import json,sys; l=json.load(open(sys.argv[1]))['namespaces']; assert all(sorted(n) == ['inum', 'migrations'] for n in l), l"
run list -J -o WAIT,WAIT_HIST
check "list -J -o WAIT,WAIT_HIST (only columns the module lacks): kept, null (not [null])" \
	py "import json,sys; l=json.load(open(sys.argv[1]))['namespaces']; assert l and all(n == {'wait': None, 'wait_hist': None} for n in l), l"
run show -J -o WAIT_HIST "$NS1"
check "show -J -o WAIT_HIST (only a column the module lacks): null" \
	py "import json,sys; d=json.load(open(sys.argv[1])); assert d == {'wait_hist': None}, d"
run metrics
rc2=0; prom_check "$out" >"$err" 2>&1 || rc2=$?
check "metrics: no nsmon_wait sample, HELP or TYPE; prom_check passes" \
	sh -c "[ $rc = 0 ] && [ $rc2 = 0 ] && ! grep -q nsmon_wait $out && grep -q '^nsmon_migrations_total{inum=\"$NS1\"} 7\$' $out"
run top -b -n 2 -d 0.05
check "top: WAIT%, WAIT_P50, WAIT_P99 'n/a' in both frames" \
	sh -c "[ $rc = 0 ] && [ \"\$(awk '\$1 ~ /^[0-9]+\$/ { print \$5, \$6, \$7 }' $out | sort -u)\" = 'n/a n/a n/a' ]"
run top -b -J -n 2 -d 0.05
check "top -J: no wait key in either frame" \
	py "import json,sys; fs=[json.loads(l) for l in open(sys.argv[1])]; assert len(fs) == 2; assert not [k for f in fs for n in f['namespaces'] for k in n if k.startswith('wait')], fs"

# --- unknown keys after the wait keys, and after migrations without them ----
fxu=$build/fxu
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/wait" "$fxu")"
awk 'NR == 1 { print $0 " future_key"; next } { print $0 " 42" }' "$fxu/nsmon/namespaces" >"$build/t"
mv "$build/t" "$fxu/nsmon/namespaces"
for f in "$fxu/nsmon/$NS0" "$fxu/nsmon/$NS1" "$fxu/nsmon/$NS2"; do echo "future_key 42" >>"$f"; done
export NSMON_PROC="$fxu"
run show -J "$NS1"
check "an unknown key after the wait keys: show -J as before" \
	py "import json,sys; d=json.load(open(sys.argv[1])); assert d['wait_hist'] == [3,0,12,40,25,0,1] + [0]*15 and d['wait_ns'] == 2468013 and 'future_key' not in d, d"
run metrics
check "an unknown key after the wait keys: metrics as before" \
	sh -c "[ $rc = 0 ] && grep -qx 'nsmon_wait_seconds_count{inum=\"$NS1\"} 81' $out && ! grep -q future $out"
"$root/tests/user/strip-wait.sh" "$fxu"
run list -r -n -o INUM,MIGRATIONS,WAIT
check "an unknown key right after migrations (no wait keys): list reads the table, wait n/a" \
	sh -c "[ $rc = 0 ] && grep -qx '$NS1 7 n/a' $out"
run show "$NS1"
check "an unknown key right after migrations: show says not available" \
	sh -c "[ $rc = 0 ] && tail -n 1 $out | grep -q '^wait_hist: not available'"

# --- bash completion: the new columns come from -H ---------------------------
comp() { # comp WORDS...: the completions of the last word
	PATH=$(dirname "$nsmon"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nsmon; printf "%s\n" "${COMPREPLY[@]}"' \
		comp "$root/user/nsmon.bash-completion" "$@" | sort | tr '\n' ' '
}
check "completion: top --sort WAIT offers WAIT%, WAIT_P50, WAIT_P99" [ "$(comp nsmon top --sort WAIT)" = "WAIT% WAIT_P50 WAIT_P99 " ]
check "completion: list -o INUM,WAIT_H offers WAIT_HIST" [ "$(comp nsmon list -o INUM,WAIT_H)" = "INUM,WAIT_HIST " ]
