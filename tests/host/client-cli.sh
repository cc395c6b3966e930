#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsmon(1) on the host, against fixture proc trees (NSMON_PROC): what it
# prints equals what the fixture files say, errors are one line with exit
# 1, usage errors exit 2, --version is NSMON_VERSION, the man page is clean,
# and make install/uninstall honour DESTDIR and PREFIX.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/client-cli
rm -rf "$build"
mkdir -p "$build"
ok() { printf 'ok - %s\n' "$*"; }
notok() { printf 'not ok - %s\n' "$*"; }
check() { desc=$1; shift; if "$@"; then ok "cli: $desc"; else notok "cli: $desc"; fi; }
make -s -C "$root/user" >/dev/null
# NSMON_BIN: another build to run the same checks on (an older one, to
# see which of them it fails).
nsmon=${NSMON_BIN:-$root/user/nsmon}
# The C locale unless a check asks for another.
export LC_ALL=C
fx=$build/fx
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$fx")"
export NSMON_PROC="$fx"
out=$build/out err=$build/err
run() { rc=0; "$nsmon" "$@" >"$out" 2>"$err" || rc=$?; }
err1() { [ "$rc" = "$1" ] && [ "$(wc -l <"$err")" = 1 ] && grep -q "^nsmon: " "$err" && [ ! -s "$out" ]; }

ver=$(sed -n 's/^#define NSMON_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$root/include/nsmon/nsmon.h")
run --version
check "--version prints NSMON_VERSION $ver, and no module loaded" [ "$(cat "$out")" = "nsmon $ver (module not loaded)" ]
run --help
check "--help exits 0 and lists every command" sh -c "[ $rc = 0 ] && for c in list show ps pid top metrics load unload status watch; do grep -q \"^  \$c\" $out || exit 1; done"

# list = the fixture table, row by row
run list -r -n -o INUM,LEVEL,PARENT,INIT,TASKS,PROCS,FORKS,THREADS,EXECS,EXITS,SWITCHES,VOLUNTARY,INVOLUNTARY,CPU_NS
check "list -r -n: every column = nsmon/namespaces" sh -c "tail -n +2 $fx/nsmon/namespaces | cut -d' ' -f1-14 | cmp -s - $out"
run list -r -n -o INUM,COMMAND
check "list COMMAND = <proc>/<init>/comm" grep -qx "$NS2 sleep" "$out"
run list -r -n -o INUM,CPU
check "list CPU: seconds, 3 decimals, truncated (2381629851 ns)" grep -qx "$NS0 2.381" "$out"
run list --total -r -n -o INUM,TASKS,FORKS,CPU_NS
check "list --total: sums of each subtree" sh -c "grep -qx '$NS0 65 11 2422705630' $out && grep -qx '$NS1 6 6 41075779' $out && grep -qx '$NS2 2 2 13129252' $out"
run list --tree -o INUM,LEVEL
check "list --tree draws NS2 under NS1 under NS0 (ASCII in the C locale)" sh -c "sed -n 2p $out | grep -q '^$NS0 ' && sed -n 3p $out | grep -q '^.-$NS1 ' && sed -n 4p $out | grep -q '^  .-$NS2 '"
sed -i 's/^tasks 59$/tasks 1234567/' "$fx/nsmon/$NS0"
run show "$NS0"
check "show: CPU in seconds, counts without separators by default" sh -c "grep -qE '^cpu +2.381\$' $out && grep -qE '^tasks +1234567\$' $out"
run show --thousands "$NS0"
check "show --thousands: 1,234,567 tasks, 848 switches" sh -c "grep -qE '^tasks +1,234,567\$' $out && grep -qE '^switches +848\$' $out"
run show --json --thousands "$NS0"
check "show --json ignores --thousands (numbers stay JSON numbers)" grep -q '"tasks": 1234567,' "$out"
run ps -r -n "$NS1"
check "ps: the tasks of NS1 from nsmon/pids, comm with a space kept" sh -c "[ \$(wc -l <$out) = 4 ] && grep -q '^107 106 4 3 107,4 worker\\\\x20thread\$' $out"
run pid --host 109 -r -n
check "pid --host 109: level inum nr from NSpid and the parent links" sh -c "[ \"\$(cat $out | tr '\n' ' ')\" = '0 $NS0 109 1 $NS1 6 2 $NS2 2 ' ]"
run metrics
check "metrics: cpu seconds with 9 decimals, labelled by inum only" grep -qx "nsmon_cpu_seconds_total{inum=\"$NS0\"} 2.381629851" "$out"
run top -n 2 -d 0.01
check "top -n 2 without a tty: two tables, the first at once with rates '-', then rates 0 on a fixture that does not move (no wait: WAIT% 0, percentiles '-')" sh -c "[ \$(grep -c '^INUM' $out) = 2 ] && [ \"\$(awk 'NF == 0 { t++ } NF > 0 && !/^INUM/ { print t + 0, \$4 \$5 \$6 \$7 \$8 \$9 \$10 }' $out | sort -u | tr '\n' ' ')\" = '0 ------- 1 0.00.0--0.00.00.0 ' ] && head -1 $out | grep -q '^INUM  *LEVEL TASKS CPU% WAIT% WAIT_P50 WAIT_P99 SWITCHES/s FORKS/s EXECS/s COMMAND\$'"

# errors: exit 1 and one line; usage: exit 2
run show 999;            check "show 999: exit 1, ENOENT, one line" sh -c "$(err1 1 && echo true || echo false) && grep -q '(ENOENT): no namespace 999' $err"
run show 4294967296;     check "show 2^32: usage error, exit 2, out of range" sh -c "$(err1 2 && echo true || echo false) && grep -q 'out of range' $err"
run show -- -1;          check "show -1: usage error, exit 2, malformed" sh -c "$(err1 2 && echo true || echo false) && grep -q malformed $err"
run ps --pid 77;         check "ps --pid 77 (no such process): exit 1, ENOENT" sh -c "$(err1 1 && echo true || echo false) && grep -q '77/ns/pid: No such file or directory (ENOENT)' $err"
run pid --host 1x;       check "pid --host 1x: exit 2" err1 2
run top -d 0;            check "top -d 0: exit 2" err1 2
run top -d 1.5x;         check "top -d 1.5x: exit 2" err1 2
run frobnicate;          check "unknown command: exit 2" err1 2
run;                     check "no command: exit 2" err1 2
run list --bogus;        check "unknown option: exit 2" err1 2
run top -n;              check "top -n without its count: exit 2, 'option -n needs an argument'" sh -c "$(err1 2 && echo true || echo false) && grep -q 'option -n needs an argument' $err"
run list --output;       check "list --output without its list: exit 2, named" sh -c "$(err1 2 && echo true || echo false) && grep -q 'option --output needs an argument' $err"
run list -o INUM,NOPE;   check "unknown column: exit 2" err1 2
run show;                check "show without NS: exit 2" err1 2
run pid 5;               check "pid NS without NR: exit 2" err1 2
run metrics extra;       check "metrics with an argument: exit 2" err1 2
cp "$fx/nsmon/namespaces" "$build/ns.bak"
# a row as wide as the header, with a letter in its fifth column
head -1 "$build/ns.bak" | awk '{ printf "4026531836 0 0 1 x"; for (i = 6; i <= NF; i++) printf " 1"; print "" }' >>"$fx/nsmon/namespaces"
run list;                check "a malformed /proc table: exit 1, file and line named" sh -c "$(err1 1 && echo true || echo false) && grep -q 'nsmon/namespaces: line 5: malformed number' $err"
cp "$build/ns.bak" "$fx/nsmon/namespaces"
NSMON_PROC=$build/none run list
check "module not loaded: exit 1, 'not loaded'" sh -c "$(err1 1 && echo true || echo false) && grep -q 'nsmon: No such file or directory (ENOENT): the nsmon module is not loaded' $err"
mkdir -p "$build/ro/nsmon"; chmod 000 "$build/ro/nsmon"
if [ "$(id -u)" = 0 ]; then
	echo "# as root, permission errors cannot be provoked with file modes; EACCES is checked as nobody"
	rc=0; su -s /bin/sh nobody -c "NSMON_PROC=$build/ro $nsmon list" >"$out" 2>"$err" || rc=$?
else
	NSMON_PROC=$build/ro run list
fi
chmod 755 "$build/ro/nsmon"
check "no permission: exit 1, EACCES named" sh -c "$(err1 1 && echo true || echo false) && grep -q '(EACCES)' $err"

# --- issue 14: each of these failed on the client before the fix ---------------
# 1. write errors: every command reports them and exits 1 (was: exit 0)
for c in "list -J" "list -H" "show $NS2" "ps $NS1" "pid --host 109" "metrics" "status" \
	"top -n 1 -d 0.01" "--help" "--version" "list --help"; do
	rc=0
	# shellcheck disable=SC2086
	"$nsmon" $c >/dev/full 2>"$err" || rc=$?
	check "nsmon $c >/dev/full: exit 1, 'write error'" sh -c "[ $rc = 1 ] && grep -q '^nsmon: write error: No space left on device' $err"
done
# 2. non-UTF-8 command names: the JSON stays valid UTF-8 (was: raw bytes)
printf 'caf\303\251\377\n' >"$fx/108/comm"
sed -i "s/^108 108 $NS2 1 1 108,5,1 sleep\$/108 108 $NS2 1 1 108,5,1 $(printf 'caf\303\251\377')/" "$fx/nsmon/pids"
printf '%s 1\n%s 1 108 108 caf\303\251\377\n' "$NS2" "$NS2" >"$fx/nsmon/lookup"
for c in "list -J" "ps -J $NS2" "pid -J $NS2 1" "show -J $NS2"; do
	# shellcheck disable=SC2086
	run $c
	check "nsmon $c with a comm of 'caf\\xc3\\xa9\\xff': valid JSON, the bad byte as \\\\xff" \
		sh -c "[ $rc = 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"utf-8\")); s=json.dumps(d, ensure_ascii=False); assert \"caf\u00e9\\\\\\\\xff\" in s, s' $out"
done
# 3. the locale: UTF-8 trees and text under a UTF-8 locale (was: ASCII, caf\xc3\xa9)
printf 'caf\303\251\n' >"$fx/108/comm"
LC_ALL=C.UTF-8 run list --tree -o INUM,COMMAND
check "list --tree under C.UTF-8: drawn with └─, 'café' as it is" sh -c "grep -q '└─$NS1' $out && grep -q 'café\$' $out"
cp "$root/tests/user/fixtures/basic/108/comm" "$fx/108/comm"
# 5. top -o BOGUS fails at once, before any refresh (was: after a whole interval)
rc=0; timeout 20 "$nsmon" top -o BOGUS -d 60 >"$out" 2>"$err" || rc=$?
check "top -o BOGUS -d 60: usage error at once (exit 2, nothing on stdout)" err1 2
rc=0; timeout 20 "$nsmon" top --sort BOGUS -d 60 >"$out" 2>"$err" || rc=$?
check "top --sort BOGUS -d 60: usage error at once" err1 2
# 6. -h and -V after any command (was: metrics/load/unload -h exit 2, -V a usage error)
for c in list show ps pid top metrics load unload status watch; do
	run "$c" -h
	check "$c -h: exit 0, its usage" sh -c "[ $rc = 0 ] && grep -q '^Usage: nsmon $c' $out"
	run "$c" -V
	check "$c -V: exit 0, the version" sh -c "[ $rc = 0 ] && grep -qx 'nsmon $ver (module not loaded)' $out"
done
# 7. show takes -o and -H; errors name the option; --json is one object
run show -o INUM,CPU -r -n "$NS0"
check "show -o INUM,CPU: those two fields" sh -c "[ \"\$(tr '\n' ' ' <$out)\" = 'inum $NS0 cpu 2.381 ' ]"
run show -H
check "show -H: the columns" grep -q '^CPU_NS ' "$out"
run status -p 1
check "status -p 1: the error names -p/--pid, not its argument" sh -c "$(err1 2 && echo true || echo false) && grep -q 'option -p/--pid is not for this command' $err"
run show -J "$NS1"
check "show --json: one object, inum first" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, dict) and list(d)[0] == 'inum' and d['inum'] == $NS1 and d['cpu_ns'] == 27946527, d" "$out"
# 8. bounds and checks
cp "$fx/nsmon/namespaces" "$build/ns.bak"
ln -sf /dev/zero "$fx/nsmon/namespaces"
rc=0; prlimit --as=2000000000 "$nsmon" list >"$out" 2>"$err" || rc=$?
check "a namespaces file that never ends (/dev/zero): EFBIG, not all memory" sh -c "$(err1 1 && echo true || echo false) && grep -q '(EFBIG)' $err"
rm -f "$fx/nsmon/namespaces"
sed "s/^$NS2 2 $NS1 108 2 /$NS2 2 $NS1 108 18446744073709551615 /" "$build/ns.bak" >"$fx/nsmon/namespaces"
run list --total -o INUM,TASKS
check "list --total above 2^64-1: exit 1, said (was: wrapped silently)" sh -c "$(err1 1 && echo true || echo false) && grep -q 'tasks of namespace $NS1 and its descendants is above 2^64-1' $err"
run list -r -n -o INUM,TASKS
check "list without --total of the same: fine" sh -c "[ $rc = 0 ] && grep -q '^$NS2 18446744073709551615\$' $out"
head -1 "$build/ns.bak" >"$fx/nsmon/namespaces"
for c in "list" "list --tree --total" "list --sort CPU" "metrics" "top -n 1 -d 0.01"; do
	# shellcheck disable=SC2086
	run $c
	check "a header-only namespaces file: nsmon $c exits 0" [ "$rc" = 0 ]
done
{ head -1 "$build/ns.bak" | tr -d '\n'; printf '\r\n'; tail -n +2 "$build/ns.bak"; } >"$fx/nsmon/namespaces"
run list
last=$(head -1 "$build/ns.bak" | awk '{ print "column " NF " is \x27" $NF "\\r\x27, expected \x27" $NF "\x27" }')
check "a CRLF header: the error shows the CR as backslash-r ($last)" grep -qF "$last" "$err"
cp "$build/ns.bak" "$fx/nsmon/namespaces"
run status -J
check "status -J without the module: version null (was \"-\")" python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['modules'][0]; assert d['version'] is None and d['state'] == 'unloaded', d" "$out"
run show -r "$NS0"
check "show -r: field names without escapes (was init\\x20pid)" sh -c "[ $rc = 0 ] && ! grep -q 'x20' $out && grep -qx 'init 1' $out"
cp "$fx/nsmon/$NS1" "$build/ns1.bak"
sed -i "s/^inum $NS1\$/inum $NS0/" "$fx/nsmon/$NS1"
run show "$NS1"
check "show checks the file's inum is the one asked for" sh -c "$(err1 1 && echo true || echo false) && grep -q 'says it is namespace $NS0' $err"
cp "$build/ns1.bak" "$fx/nsmon/$NS1"

# --- issue 14: the habits of lsns, ps and top ------------------------------------
run list -r -n -o NS,PNS,NPROCS,PID,INIT_PID,PROCESSES
check "lsns's column names (NS, PNS, NPROCS, PID) and the keys' own names are aliases" \
	grep -qx "$NS1 $NS0 4 103 103 4" "$out"
# (JSON: the container columns of a namespace in no container are empty)
run list --output-all -J
check "--output-all: every column of -H" [ "$(python3 -c 'import json,sys; print(*sorted({len(r) for r in json.load(open(sys.argv[1]))["namespaces"]}))' "$out")" = "$("$nsmon" list -H -n | wc -l)" ]
run list -r -n -o INUM --sort TASKS
check "--sort TASKS: ascending, the sort column hidden when not asked for" [ "$(tr '\n' ' ' <"$out")" = "$NS2 $NS1 $NS0 " ]
run list -r -n -o INUM,CPU --sort CPU
check "--sort CPU: by value" [ "$(cut -d' ' -f1 "$out" | tr '\n' ' ')" = "$NS2 $NS1 $NS0 " ]
run list --tree --sort TASKS -r -n -o INUM
check "--sort with --tree: siblings sorted, the tree kept" [ "$(wc -l <"$out")" = 3 ]
run list
w=$((80 - (10 - ${#NS0})))
check "the default list fits 80 columns (with 10-digit inums)" sh -c "[ $rc = 0 ] && awk -v w=$w 'length > w { exit 1 }' $out"
printf 'a-command-name-far-too-long-for-a-terminal-of-seventy-columns\n' >"$fx/103/comm"
tty_list() { rc=0; timeout 30 script -qfec "stty cols 70; $nsmon list -o INUM,COMMAND,CPU $*" /dev/null | tr -d '\r' >"$out" || rc=$?; }
tty_list
check "list on a 70-column terminal: COMMAND truncated, 4 lines" sh -c "[ \$(wc -l <$out) = 4 ] && ! grep -q seventy $out && awk 'length > 70 { exit 1 }' $out"
tty_list -u
check "list -u: COMMAND whole, its row continued on a fifth line" sh -c "[ \$(wc -l <$out) = 5 ] && grep -q 'seventy-columns *\$' $out"
tty_list -W
check "list -W: one line per row, COMMAND whole" sh -c "[ \$(wc -l <$out) = 4 ] && grep -q 'seventy-columns *[0-9.]*\$' $out"
printf 'sleep\n' >"$fx/103/comm"
run list -r -n -o INUM,USER
check "USER: the owner of the namespace's init (root here)" grep -qx "$NS1 root" "$out"
run list -r -n -o INUM "$NS1"
check "list NS: that namespace only" [ "$(cat "$out")" = "$NS1" ]
run list --tree -n -o INUM --pid 103
check "list --tree --pid 103: its namespace's subtree" [ "$(tr -cd '0-9\n' <"$out" | tr '\n' ' ')" = "$NS1 $NS2 " ]
LC_ALL=C.UTF-8 run list --tree -r -n -o INUM
check "list --tree --raw under C.UTF-8: the tree in ASCII, not escaped UTF-8" sh -c "! grep -q 'xe2' $out && grep -q '^.-$NS1\$' $out"
run list 999
check "list of a namespace not visible: exit 1" sh -c "$(err1 1 && echo true || echo false) && grep -q 'no namespace 999' $err"
run ps -J -o PID,CHAIN "$NS2"
check "ps -J: CHAIN is an array of numbers" python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['tasks']; assert t[0]['chain'] == [108, 5, 1], t" "$out"
run ps -r -n -o PID --processes "$NS1"
check "ps --processes: no threads (107 is one of 106's)" [ "$(tr '\n' ' ' <"$out")" = "103 105 106 " ]
run ps -r -n -o PID,INUM --recursive "$NS1"
check "ps --recursive: the subtree's tasks, INUM shown" [ "$(tr '\n' ' ' <"$out")" = "103 $NS1 105 $NS1 106 $NS1 107 $NS1 108 $NS2 109 $NS2 " ]
run ps -r -n -o PID --sort COMMAND --pid 1
check "ps --sort COMMAND" [ "$(head -1 "$out")" = 1 ]
run top -b -n 2 -d 0.01 -J
check "top --json: one valid JSON object per refresh, rates null in the first" python3 -c "
import json,sys
f=[json.loads(l) for l in open(sys.argv[1])]
assert len(f) == 2 and f[0]['interval'] is None and f[1]['interval'] > 0, f
assert f[0]['namespaces'][0]['cpu%'] is None and f[1]['namespaces'][0]['cpu%'] == 0, f
assert sorted(n['inum'] for n in f[1]['namespaces']) == sorted([$NS0, $NS1, $NS2]), f" "$out"
sed -i 's/^\([0-9]* 2 [0-9]* 108\) 2 /\1 100 /' "$fx/nsmon/namespaces"
rc=0; (sleep 1; printf t; sleep 1; printf q) | timeout 30 script -qfec "stty cols 80 rows 20; $nsmon top -d 0.3" /dev/null >"$out" 2>&1 || rc=$?
check "top on a terminal: alternate screen entered and left, q quits (exit 0)" sh -c "[ $rc = 0 ] && grep -q \"$(printf '\033')\[?1049h\" $out && grep -q \"$(printf '\033')\[?1049l\" $out"
check "top on a terminal: key t sorts by TASKS ($NS2 with 100 tasks first)" sh -c "awk '/^INUM/ { getline; print \$1 }' $out | tr -d '\r' | grep -qx $NS2"
cp -R "$fx" "$build/fxgone"
( sleep 2; mv "$build/fxgone/nsmon" "$build/fxgone/nsmon.gone" ) &
rc=0; timeout 30 script -qfec "NSMON_PROC=$build/fxgone $nsmon top -d 0.3" /dev/null >"$out" 2>&1 || rc=$?
wait
check "top on a terminal, the module gone meanwhile: the screen given back before the error, so it stays visible" \
	sh -c "tr -d '\r' <$out | tail -1 | grep -q \"$(printf '\033')\[?1049lnsmon: .*not loaded\""
rc=0; timeout 30 script -qfec "$nsmon top -b -n 2 -d 0.01" /dev/null >"$out" 2>&1 || rc=$?
check "top -b on a terminal: no screen control, two tables" sh -c "[ $rc = 0 ] && ! grep -q \"$(printf '\033')\" $out && [ \$(grep -c '^INUM' $out) = 2 ]"
cp "$build/ns.bak" "$fx/nsmon/namespaces"
mkdir -p "$build/sys/module/nsmon"
echo "$ver" >"$build/sys/module/nsmon/version"
NSMON_SYS=$build/sys run --version
check "--version: the loaded module's version too" sh -c "[ \"\$(cat $out)\" = 'nsmon $ver (module $ver)' ] && [ ! -s $err ]"
echo 9.9.9 >"$build/sys/module/nsmon/version"
NSMON_SYS=$build/sys run --version
check "--version: a warning when the module's version differs" sh -c "[ $rc = 0 ] && [ \"\$(cat $out)\" = 'nsmon $ver (module 9.9.9)' ] && grep -q '^nsmon: warning: .*9.9.9' $err"

# --- issue 14: Prometheus ---------------------------------------------------------
NSMON_SYS=$build/sys run metrics
check "metrics: nsmon_up 1, build_info with both versions" sh -c "grep -qx 'nsmon_up 1' $out && grep -qx 'nsmon_build_info{client_version=\"$ver\",module_version=\"9.9.9\"} 1' $out"
check "metrics: one nsmon_namespace_info per namespace (container empty until issue 16)" \
	grep -qx "nsmon_namespace_info{inum=\"$NS2\",level=\"2\",parent=\"$NS1\",init_pid=\"108\",container=\"\"} 1" "$out"
check "metrics: switches as nsmon_context_switches_total{kind}, no separate switch families" sh -c "grep -qx 'nsmon_context_switches_total{inum=\"$NS0\",kind=\"voluntary\"} 669' $out && grep -qx 'nsmon_context_switches_total{inum=\"$NS0\",kind=\"involuntary\"} 179' $out && ! grep -q 'nsmon_switches_total\|nsmon_voluntary' $out"
check "metrics: counters labelled by inum only" sh -c "! grep -v '^#' $out | grep -v '^nsmon_namespace_info' | grep -q 'level=\|parent='"
NSMON_PROC=$build/none run metrics
check "metrics without the module: nsmon_up 0 and build_info on stdout, exit 1, the reason on stderr" sh -c "[ $rc = 1 ] && grep -qx 'nsmon_up 0' $out && grep -q '^nsmon_build_info' $out && ! grep -q namespace $out && grep -q 'not loaded' $err"
mkdir -p "$build/tf"
run metrics --textfile "$build/tf"
check "metrics --textfile DIR: DIR/nsmon.prom, nothing on stdout, no temporary file left" sh -c "[ $rc = 0 ] && [ ! -s $out ] && [ \"\$(ls -A $build/tf)\" = nsmon.prom ] && grep -qx 'nsmon_up 1' $build/tf/nsmon.prom"
NSMON_PROC=$build/none run metrics --textfile "$build/tf"
check "metrics --textfile without the module: the file says nsmon_up 0, exit 1" sh -c "[ $rc = 1 ] && grep -qx 'nsmon_up 0' $build/tf/nsmon.prom"
run metrics --textfile "$build/nodir"
check "metrics --textfile of a missing directory: exit 1, ENOENT" sh -c "$(err1 1 && echo true || echo false) && grep -q ENOENT $err"
chmod 555 "$build/tf"
if [ "$(id -u)" = 0 ]; then
	rc=0; su -s /bin/sh nobody -c "NSMON_PROC=$fx $nsmon metrics --textfile $build/tf" >"$out" 2>"$err" || rc=$?
else
	run metrics --textfile "$build/tf"
fi
check "metrics --textfile into a directory it cannot write: exit 1, EACCES, the old file kept" sh -c "[ $rc = 1 ] && grep -q EACCES $err && grep -qx 'nsmon_up 0' $build/tf/nsmon.prom"
chmod 755 "$build/tf"

# --- issue 15: a key added to include/nsmon/keys.h needs no client edit --------
# A client built from a keys.h with one more NSMON_CTR line at the end of
# the list (as the module will add `migrations` after cpu_ns), on a fixture
# whose files have it.
mkdir -p "$build/inc/nsmon"
cp "$root/include/nsmon/"*.h "$build/inc/nsmon/"
awk '/^#define NSMON_NS_KEYS\(/ { inmac = 1 }
	inmac && !/\\$/ { print $0 " \\"
		print "\tNSMON_CTR(sample_events, NSMON_KIND_COUNTER, \"\", 1, \\"
		print "\t\t  \"Sample events of tasks of the PID namespace.\")"
		inmac = 0; next }
	{ print }' "$root/include/nsmon/keys.h" >"$build/inc/nsmon/keys.h"
new=$build/nsmon-newkey
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror -I"$build/inc" $(pkg-config --cflags smartcols) -o "$new" \
	"$root"/user/*.c $(pkg-config --libs libkmod smartcols) 2>"$err" && rc=0 || rc=$?
check "a client with a new key 'sample_events' at the end of keys.h builds (-Werror)" [ "$rc" = 0 ]
fx2=$build/fx2
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$fx2")"
awk 'NR == 1 { print $0 " sample_events"; next } { print $0 " " NR * 10 }' "$fx2/nsmon/namespaces" >"$build/t" && mv "$build/t" "$fx2/nsmon/namespaces"
for f in "$fx2/nsmon/$NS0" "$fx2/nsmon/$NS1" "$fx2/nsmon/$NS2"; do echo "sample_events 7" >>"$f"; done
nrun() { rc=0; NSMON_PROC=$fx2 "$new" "$@" >"$out" 2>"$err" || rc=$?; }
nrun list -H
check "new key: list -H has SAMPLE_EVENTS with its help from keys.h" grep -q '^SAMPLE_EVENTS *Sample events of tasks of the PID namespace\.$' "$out"
nrun list -r -n -o INUM,SAMPLE_EVENTS
check "new key: list -o SAMPLE_EVENTS = the file's column" sh -c "[ \"\$(tr '\n' ' ' <$out)\" = '$NS0 20 $NS1 30 $NS2 40 ' ]"
nrun list --total -r -n -o INUM,SAMPLE_EVENTS
check "new key: --total sums it (sum=1)" grep -qx "$NS0 90" "$out"
nrun show -J "$NS2"
check "new key: show -J has \"sample_events\": 7, a number" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['sample_events'] == 7, d" "$out"
nrun metrics
check "new key: metrics have nsmon_sample_events_total with HELP and TYPE counter" sh -c "grep -qx '# HELP nsmon_sample_events_total Sample events of tasks of the PID namespace.' $out && grep -qx '# TYPE nsmon_sample_events_total counter' $out && grep -qx 'nsmon_sample_events_total{inum=\"$NS1\"} 30' $out"
nrun top -H
check "new key: top has a SAMPLE_EVENTS/s column" grep -q '^SAMPLE_EVENTS/s ' "$out"
# This tree's client (without the key) reads the newer module's files.
NSMON_PROC=$fx2 run list -r -n -o INUM,CPU_NS
check "a client without the new key ignores the extra column" sh -c "[ $rc = 0 ] && grep -qx '$NS2 13129252' $out"
NSMON_PROC=$fx2 run show -J "$NS2"
check "a client without the new key ignores the extra key of the per-namespace file" sh -c "[ $rc = 0 ] && ! grep -q sample_events $out"
sed -i '/^cpu_ns /d' "$fx2/nsmon/$NS2"
NSMON_PROC=$fx2 run show "$NS2"
check "a missing known key is an error" sh -c "$(err1 1 && echo true || echo false) && grep -q \"expected key 'cpu_ns'\" $err"

# man page
rc=0; LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$root/user/nsmon.1" >"$err" 2>&1 || rc=$?
check "man page: groff -man -ww reports nothing" sh -c "[ $rc = 0 ] && [ ! -s $err ]"
check "man page documents every command and exit codes 1 and 2" sh -c "for c in list show ps pid top metrics load unload status watch NSMON_PROC 'EXIT STATUS'; do grep -q \"\$c\" $root/user/nsmon.1 || exit 1; done"

# Every option of each command's --help is in that command's section of
# the man page, and every option there is in the --help (issue 14).
LC_ALL=C groff -man -Tascii -P-c -P-b -P-o -P-u "$root/user/nsmon.1" 2>/dev/null >"$build/man.txt"
# help_opts CMD: "-X, --long" or "--long", one per line, sorted
help_opts() {
	# shellcheck disable=SC2086
	"$nsmon" $1 --help | sed -n 's/^  \(-[A-Za-z], \|    \)\(--[a-z][a-z-]*\).*/\1\2/p' | sed 's/^    //' | sort
}
# man_opts SECTION: the same from the man page ("nsmon list" or "OPTIONS")
man_opts() {
	awk -v sec="$1" '
		/^[A-Z]/ { in_sec = ($0 == sec); next }
		/^   nsmon / { split($0, w, " "); in_sec = ("nsmon " w[2] == sec); next }
		in_sec && /^       -/ { print }' "$build/man.txt" |
	sed -n 's/^       \(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\1\2/p' | sort
}
for c in list show ps pid top metrics load unload status watch; do
	help_opts "$c" >"$build/h.$c"
	man_opts "nsmon $c" >"$build/m.$c"
	check "$c: its --help and its man page section list the same options ($(wc -l <"$build/h.$c"))" \
		sh -c "[ -s $build/h.$c ] && cmp -s $build/h.$c $build/m.$c || { diff $build/h.$c $build/m.$c | sed 's/^/# /'; exit 1; }"
done
help_opts "" >"$build/h.main"
man_opts OPTIONS >"$build/m.main"
check "nsmon --help and the man page's OPTIONS: the same options" sh -c "[ -s $build/h.main ] && cmp -s $build/h.main $build/m.main"

# bash completion (installed by make install): commands, options, columns,
# live namespace inums, with the fixture as the live system.
comp() { # comp WORDS...: the completions of the last word
	PATH=$(dirname "$nsmon"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nsmon; printf "%s\n" "${COMPREPLY[@]}"' \
		comp "$root/user/nsmon.bash-completion" "$@" | sort | tr '\n' ' '
}
check "completion: commands" [ "$(comp nsmon s)" = "show status " ]
check "completion: options from the command's --help" [ "$(comp nsmon list --so)" = "--sort " ]
check "completion: column names after -o, after a comma too" sh -c "[ \"$(comp nsmon list -o IN)\" = 'INIT INUM INVOLUNTARY ' ] && [ \"$(comp nsmon list -o TASKS,CPU)\" = 'TASKS,CPU TASKS,CPU_NS ' ]"
check "completion: live namespace inums" [ "$(comp nsmon show '')" = "$(awk 'NR > 1 { print $1 }' "$fx/nsmon/namespaces" | sort | tr '\n' ' ')" ]
check "completion: top's columns after --sort" [ "$(comp nsmon top --sort SW)" = "SWITCHES/s " ]

# install / uninstall
d=$build/destdir
rc=0; make -s -C "$root/user" install DESTDIR="$d" PREFIX=/opt/nsmon >"$err" 2>&1 || rc=$?
check "make install DESTDIR PREFIX=/opt/nsmon: binary, man page and bash completion" sh -c "[ $rc = 0 ] && [ -x $d/opt/nsmon/bin/nsmon ] && [ -f $d/opt/nsmon/share/man/man1/nsmon.1 ] && [ -f $d/opt/nsmon/share/bash-completion/completions/nsmon ]"
check "the installed binary runs" sh -c "[ \"\$($d/opt/nsmon/bin/nsmon --version)\" = 'nsmon $ver (module not loaded)' ]"
rc=0; make -s -C "$root/user" uninstall DESTDIR="$d" PREFIX=/opt/nsmon >"$err" 2>&1 || rc=$?
check "make uninstall removes them all, nothing else left" sh -c "[ $rc = 0 ] && [ -z \"\$(find $d -type f)\" ]"
