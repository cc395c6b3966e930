#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsmon watch on the host, against fixture event streams under NSMON_PROC
# (a regular file, and a FIFO fed while watch runs): its rows and JSON
# objects equal the fixture's lines, kinds are filtered, malformed lines
# fail with one error line, SIGINT and a closed stdout pipe end it with
# status 0; the client built with ASan+UBSan and the normal one under
# valgrind report nothing on all of it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/client-watch
rm -rf "$build"
mkdir -p "$build/fx/nsmon"
ok() { printf 'ok - watch: %s\n' "$*"; }
notok() { printf 'not ok - watch: %s\n' "$*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
make -s -C "$root/user" >/dev/null
export LC_ALL=C
export NSMON_PROC="$build/fx"
ev=$build/fx/nsmon/events
# A fork two levels down, a thread, a lost line, an exec by a non-leader
# thread (arg 201), an exit with status 256, a name with a space and an
# escaped newline, a namespace-init's fork whose parent is outside (0).
cat >"$ev" <<'EOL'
1000000123456 fork 200 200 4026532200 3 3 200,3 100 sh
1000000223456 thread 201 200 4026532200 4 3 201,4 200 my worker
lost 17
1000001000000 exec 200 200 4026532200 3 3 200,3 201 true
1000002000000 exit 200 200 4026532200 3 3 200,3 256 tr\nue
1000003000000 fork 300 300 4026532300 1 1 300,7,1 0 init
EOL
san=$build/nsmon-san
# shellcheck disable=SC2046
if cc -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I"$root/include" $(pkg-config --cflags smartcols) \
	-o "$san" "$root"/user/*.c $(pkg-config --libs libkmod smartcols) \
	>"$build/san.log" 2>&1; then
	ok "the client builds with ASan+UBSan"
else
	notok "the client builds with ASan+UBSan"; sed 's/^/# /' "$build/san.log"
	# Without it the FIFO tests below would wait for a reader forever.
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all "$@"
}

# Each check runs three ways: plain, ASan+UBSan, valgrind; any report fails.
for how in plain asan valgrind; do
	case $how in
	plain) run() { rc=0; "$root/user/nsmon" "$@" >"$build/out" 2>"$build/err" || rc=$?; } ;;
	asan) run() { rc=0; "$san" "$@" >"$build/out" 2>"$build/err" || rc=$?; } ;;
	valgrind) run() { rc=0; vg "$root/user/nsmon" "$@" >"$build/out" 2>"$build/err" || rc=$?; } ;;
	esac
	run watch
	check "$how: table: exit 0 at end of file, nothing on stderr" sh -c "[ $rc = 0 ] && [ ! -s $build/err ]"
	check "$how: table: header, 5 event rows and the lost row" sh -c "[ \$(wc -l <$build/out) = 7 ] && head -1 $build/out | grep -q '^TIME *EVENT *PID *TGID *NS *NSPID *NSTGID *CHAIN *ARG *COMMAND\$'"
	check "$how: table: the fork row's fields" grep -qE '^ *1000\.000123 fork +200 +200 4026532200 +3 +3 200,3 +100 sh$' "$build/out"
	check "$how: table: the thread's name with its space, the lost row in its place" sh -c "sed -n 3p $build/out | grep -qE ' thread .* my worker\$' && sed -n 4p $build/out | grep -qx 'lost 17 events'"
	check "$how: table: the exit status and the escaped name as the module wrote it" grep -qE ' exit .* 256 tr\\nue$' "$build/out"
	check "$how: table: a three-level chain, parent 0" grep -qE ' fork +300 +300 4026532300 +1 +1 300,7,1 +0 init$' "$build/out"
	run watch --json
	check "$how: --json: one object per line, every field" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 6, rows
assert rows[0] == {"time_ns": 1000000123456, "event": "fork", "pid": 200, "tgid": 200, "ns": 4026532200, "ns_pid": 3, "ns_tgid": 3, "nspid": [200, 3], "parent": 100, "comm": "sh"}, rows[0]
assert rows[2] == {"event": "lost", "lost": 17}, rows[2]
assert rows[3]["old_pid"] == 201 and rows[4]["exit_code"] == 256 and rows[4]["comm"] == "tr\\nue", rows
assert rows[5]["nspid"] == [300, 7, 1], rows[5]
' "$build/out"
	run watch -n --events exit,thread
	check "$how: --events exit,thread -n: those two rows and the lost row only" sh -c "[ \$(wc -l <$build/out) = 3 ] && [ \"\$(awk '{ print \$2 }' $build/out | tr '\n' ' ')\" = 'thread 17 exit ' ]"
	run watch --events fork,bogus
	check "$how: --events with an unknown kind: exit 2, one line" sh -c "[ $rc = 2 ] && [ \$(grep -vc '^==' $build/err) = 1 ]"
	run watch 1 2
	check "$how: two NS: exit 2" sh -c "[ $rc = 2 ]"
done

# Malformed lines: exit 1, one error line naming the file.
printf '%s\n' '1 fork 200 200 4026532200 3 3 200,4 100 sh' >"$build/bad1"
printf '%s\n' '1 spawn 200 200 4026532200 3 3 200,3 100 sh' >"$build/bad2"
printf '%s\n' '1 fork 200 200 4026532200 3 3 200,3 100' >"$build/bad3"
printf '%s\n' 'lost 0' >"$build/bad4"
printf '%s' '1 fork 200 200 4026532200 3 3 200,3 100 sh' >"$build/bad5"
printf '%s\n' '1 fork 200 200 4026532200 3 3 200,,3 100 sh' >"$build/bad6"
printf '%s\n' '1 fork -200 200 4026532200 3 3 -200,3 100 sh' >"$build/bad7"
cp "$ev" "$build/good"
for b in 1 2 3 4 5 6 7; do
	cp "$build/bad$b" "$ev"
	rc=0
	"$san" watch >"$build/out" 2>"$build/err" || rc=$?
	check "malformed line $b ($(head -c 40 "$build/bad$b")): exit 1, one line, no sanitizer report" \
		sh -c "[ $rc = 1 ] && [ \$(wc -l <$build/err) = 1 ] && grep -q '^nsmon: ' $build/err"
done
cp "$build/good" "$ev"

# A FIFO that stays open: Ctrl-C (SIGINT) ends watch with status 0, after
# it printed what came.
rm -f "$ev"
mkfifo "$ev"
"$san" watch -n >"$build/out" 2>"$build/err" &
w=$!
exec 7>"$ev"
head -2 "$build/good" >&7
sleep 1
kill -INT $w
rc=0
wait $w || rc=$?
exec 7>&-
check "SIGINT while waiting for events: exit 0, the 2 rows printed, no report" sh -c "[ $rc = 0 ] && [ \$(wc -l <$build/out) = 2 ] && [ ! -s $build/err ]"

# A reader of stdout that goes away: status 0 (as 'nsmon watch | head').
# The pipeline's status is head's; watch's own is asked of a second run.
rc=0
( "$san" watch -n 2>"$build/err"; echo "$?" >"$build/rc" ) | head -n 1 >"$build/out" &
p=$!
exec 7>"$ev"
i=0
while [ $i -lt 2000 ] && [ ! -s "$build/rc" ]; do
	cat "$build/good" >&7 2>/dev/null || break
	i=$((i + 1))
done
exec 7>&-
wait $p || true
check "stdout's reader leaves (| head -n 1): watch exits 0, no report ($(cat "$build/rc" 2>/dev/null))" \
	sh -c "[ \"\$(cat $build/rc 2>/dev/null)\" = 0 ] && [ ! -s $build/err ] && [ \$(wc -l <$build/out) = 1 ]"
rm -f "$ev"
