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
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { desc=$1; shift; if "$@"; then ok "cli: $desc"; else notok "cli: $desc"; fi; }
make -s -C "$root/user" >/dev/null
nsmon=$root/user/nsmon
fx=$build/fx
eval "$("$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$fx")"
export NSMON_PROC="$fx"
out=$build/out err=$build/err
run() { rc=0; "$nsmon" "$@" >"$out" 2>"$err" || rc=$?; }
err1() { [ "$rc" = "$1" ] && [ "$(wc -l <"$err")" = 1 ] && grep -q "^nsmon: " "$err" && [ ! -s "$out" ]; }

ver=$(sed -n 's/^#define NSMON_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$root/include/nsmon/nsmon.h")
run --version
check "--version prints NSMON_VERSION $ver" [ "$(cat "$out")" = "nsmon $ver" ]
run --help
check "--help exits 0 and lists every command" sh -c "[ $rc = 0 ] && for c in list show ps pid top metrics load unload status; do grep -q \"^  \$c\" $out || exit 1; done"

# list = the fixture table, row by row
run list -r -n -o INUM,LEVEL,PARENT,INIT,TASKS,PROCS,FORKS,THREADS,EXECS,EXITS,SWITCHES,VOLUNTARY,INVOLUNTARY,CPU_NS
check "list -r -n: every column = nsmon/namespaces" sh -c "tail -n +2 $fx/nsmon/namespaces | cmp -s - $out"
run list -r -n -o INUM,COMMAND
check "list COMMAND = <proc>/<init>/comm" grep -qx "$NS2 sleep" "$out"
run list -r -n -o INUM,CPU
check "list CPU: seconds, 3 decimals, truncated (2381629851 ns)" grep -qx "$NS0 2.381" "$out"
run list --total -r -n -o INUM,TASKS,FORKS,CPU_NS
check "list --total: sums of each subtree" sh -c "grep -qx '$NS0 65 11 2422705630' $out && grep -qx '$NS1 6 6 41075779' $out && grep -qx '$NS2 2 2 13129252' $out"
run list --tree -o INUM,LEVEL
check "list --tree draws NS2 under NS1 under NS0" sh -c "sed -n 2p $out | grep -q '^$NS0 ' && sed -n 3p $out | grep -q '^.-$NS1 ' && sed -n 4p $out | grep -q '^  .-$NS2 '"
sed -i 's/^tasks 59$/tasks 1234567/' "$fx/nsmon/$NS0"
run show "$NS0"
check "show: CPU in seconds, counts without separators by default" sh -c "grep -qE '^cpu time \(s\) +2.381\$' $out && grep -qE '^tasks +1234567\$' $out"
run show --thousands "$NS0"
check "show --thousands: 1,234,567 tasks, 848 switches" sh -c "grep -qE '^tasks +1,234,567\$' $out && grep -qE '^switches +848\$' $out"
run show --json --thousands "$NS0"
check "show --json ignores --thousands (numbers stay JSON numbers)" grep -q '"tasks": 1234567,' "$out"
run ps -r -n "$NS1"
check "ps: the tasks of NS1 from nsmon/pids, comm with a space kept" sh -c "[ \$(wc -l <$out) = 4 ] && grep -q '^107 106 4 3 107,4 worker\\\\x20thread\$' $out"
run pid --host 109 -r -n
check "pid --host 109: level inum nr from NSpid and the parent links" sh -c "[ \"\$(cat $out | tr '\n' ' ')\" = '0 $NS0 109 1 $NS1 6 2 $NS2 2 ' ]"
run metrics
check "metrics: cpu seconds with 9 decimals" grep -qx "nsmon_cpu_seconds_total{inum=\"$NS0\",level=\"0\",parent=\"0\"} 2.381629851" "$out"
run top -n 2 -d 0.01
check "top -n 2 without a tty: two tables, rates 0 on a fixture that does not move" sh -c "[ \$(grep -c '^INUM' $out) = 2 ] && ! grep -v '^INUM' $out | grep . | awk '{ print \$4 \$5 \$6 \$7 }' | grep -vx '0.00.00.00.0'"

# errors: exit 1 and one line; usage: exit 2
run show 999;            check "show 999: exit 1, ENOENT, one line" sh -c "$(err1 1 && echo true || echo false) && grep -q '(ENOENT): no namespace 999' $err"
run show 4294967296;     check "show 2^32: exit 1, out of range" sh -c "$(err1 1 && echo true || echo false) && grep -q 'out of range' $err"
run show -- -1;          check "show -1: exit 1, malformed" sh -c "$(err1 1 && echo true || echo false) && grep -q malformed $err"
run ps --pid 77;         check "ps --pid 77 (no such process): exit 1, ENOENT" sh -c "$(err1 1 && echo true || echo false) && grep -q '77/ns/pid: No such file or directory (ENOENT)' $err"
run pid --host 1x;       check "pid --host 1x: exit 1" err1 1
run top -d 0;            check "top -d 0: exit 1" err1 1
run top -d 1.5x;         check "top -d 1.5x: exit 1" err1 1
run frobnicate;          check "unknown command: exit 2" err1 2
run;                     check "no command: exit 2" err1 2
run list --bogus;        check "unknown option: exit 2" err1 2
run list -o INUM,NOPE;   check "unknown column: exit 2" err1 2
run show;                check "show without NS: exit 2" err1 2
run pid 5;               check "pid NS without NR: exit 2" err1 2
run metrics extra;       check "metrics with an argument: exit 2" err1 2
cp "$fx/nsmon/namespaces" "$build/ns.bak"
echo "4026531836 0 0 1 x 1 1 1 1 1 1 1 1 1" >>"$fx/nsmon/namespaces"
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

# man page
rc=0; LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$root/user/nsmon.1" >"$err" 2>&1 || rc=$?
check "man page: groff -man -ww reports nothing" sh -c "[ $rc = 0 ] && [ ! -s $err ]"
check "man page documents every command and exit codes 1 and 2" sh -c "for c in list show ps pid top metrics load unload status NSMON_PROC 'EXIT STATUS'; do grep -q \"\$c\" $root/user/nsmon.1 || exit 1; done"

# install / uninstall
d=$build/destdir
rc=0; make -s -C "$root/user" install DESTDIR="$d" PREFIX=/opt/nsmon >"$err" 2>&1 || rc=$?
check "make install DESTDIR PREFIX=/opt/nsmon: binary and man page" sh -c "[ $rc = 0 ] && [ -x $d/opt/nsmon/bin/nsmon ] && [ -f $d/opt/nsmon/share/man/man1/nsmon.1 ]"
check "the installed binary runs" sh -c "[ \"\$($d/opt/nsmon/bin/nsmon --version)\" = 'nsmon $ver' ]"
rc=0; make -s -C "$root/user" uninstall DESTDIR="$d" PREFIX=/opt/nsmon >"$err" 2>&1 || rc=$?
check "make uninstall removes both, nothing else left" sh -c "[ $rc = 0 ] && [ -z \"\$(find $d -type f)\" ]"
