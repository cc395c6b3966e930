#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host unit tests of nsmon(1)'s parsers (tests/user/test-parse.c) under
# ASan+UBSan (every check printed) and under valgrind (one summary line),
# and the client itself under valgrind over every command that reads the
# fixture proc tree: no error and no leak may be reported.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/client-unit
rm -rf "$build"
mkdir -p "$build"
ok() { printf 'ok - %s\n' "$*"; }
notok() { printf 'not ok - %s\n' "$*"; }

if make -s -C "$root/user" >"$build/make.log" 2>&1 &&
   make -s -C "$root/tests/user" >>"$build/make.log" 2>&1; then
	ok "client and unit tests build with -Wall -Wextra -Werror"
else
	notok "client and unit tests build"; sed 's/^/# /' "$build/make.log"; exit 1
fi

fx=$build/fx
"$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$fx" >/dev/null

# ASan + UBSan: any finding aborts with a non-zero status.
rc=0
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$root/tests/user/test-parse-asan" "$fx" >"$build/asan.out" 2>"$build/asan.err" || rc=$?
grep -E "^(ok|not ok) - " "$build/asan.out" | sed 's/^\(ok\|not ok\) - /&parse (ASan+UBSan): /'
grep "^# " "$build/asan.out" || true
if [ $rc = 0 ] && [ ! -s "$build/asan.err" ]; then
	ok "parser unit tests under ASan+UBSan: exit 0, no sanitizer report"
else
	notok "parser unit tests under ASan+UBSan: exit $rc"; head -30 "$build/asan.err" | sed 's/^/# /'
fi

# valgrind: errors and leaks of any kind fail.
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds="${VG_KINDS:-all}" "$@"
}
rc=0
vg "$root/tests/user/test-parse-vg" "$fx" >"$build/vg.out" 2>"$build/vg.err" || rc=$?
# valgrind does not know NS_GET_NSTYPE (0xb703) and says so; that is not an error.
grep -v -e "unhandled ioctl 0xb703" -e "could cause spurious value errors" \
	-e "README_MISSING_SYSCALL_OR_IOCTL" "$build/vg.err" >"$build/vg.err2" || true
n=$(grep -c "^ok - " "$build/vg.out" || true)
f=$(grep -c "^not ok - " "$build/vg.out" || true)
if [ $rc = 0 ] && [ ! -s "$build/vg.err2" ] && [ "$f" = 0 ]; then
	ok "parser unit tests under valgrind: $n checks pass, no error, no leak"
else
	notok "parser unit tests under valgrind: exit $rc, $f failed"; head -30 "$build/vg.err2" | sed 's/^/# /'
fi

# The client itself built with ASan+UBSan, over the fixture and over a
# header-only namespaces file (issue 14: that reached memcpy(NULL, .., 0)
# and qsort(NULL, 0), which UBSan reports).
san=$build/nsmon-san
# shellcheck disable=SC2046
if cc -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I"$root/include" $(pkg-config --cflags smartcols) \
	-o "$san" "$root"/user/nsmon.c "$root"/user/columns.c "$root"/user/output.c \
	"$root"/user/parse.c "$root"/user/watch.c $(pkg-config --libs libkmod smartcols) >"$build/san.log" 2>&1; then
	ok "the client builds with ASan+UBSan"
else
	notok "the client builds with ASan+UBSan"; sed 's/^/# /' "$build/san.log"
fi
hdr=$build/fx-hdr
"$root/tests/user/mkfixture.sh" "$root/tests/user/fixtures/basic" "$hdr" >/dev/null
head -1 "$fx/nsmon/namespaces" >"$hdr/nsmon/namespaces"
head -1 "$fx/nsmon/pids" >"$hdr/nsmon/pids"
bad=0 cnt=0
for tree in "$fx" "$hdr"; do
	while IFS= read -r cmd; do
		cnt=$((cnt + 1)); rc=0
		# shellcheck disable=SC2086
		NSMON_PROC=$tree ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			"$san" $cmd >"$build/s.out" 2>"$build/s.err" || rc=$?
		if [ $rc != 0 ] || [ -s "$build/s.err" ]; then
			bad=$((bad + 1)); echo "# $tree: nsmon $cmd: exit $rc"; sed 's/^/#   /' "$build/s.err" | head -20
		fi
	done <<EOC
list
list --tree --total --sort CPU
list -J --output-all
list --tree -o NS,PNS,NPROCS,PID,USER
metrics
top -n 2 -d 0.01 -J
top -n 2 -d 0.01 --sort TASKS
status -J
EOC
done
if [ $bad = 0 ]; then
	ok "the client under ASan+UBSan: $cnt commands on the fixture and on a header-only table, no report"
else
	notok "the client under ASan+UBSan: $bad of $cnt commands had a problem"
fi

# The client under valgrind, every read-only command on the fixtures.
export NSMON_PROC="$fx"
ns2=$(stat -c %i "$fx/109/ns/pid")
bad=0 cnt=0
while IFS= read -r cmd; do
	cnt=$((cnt + 1))
	rc=0 kinds=all
	# A command that fails exits from deep inside; what it still holds
	# then is reachable, not leaked: only real leaks count there.
	case $cmd in "show 999"|"list -o BOGUS"|"pid --host 4242") kinds=definite,indirect,possible ;; esac
	# shellcheck disable=SC2086
	VG_KINDS=$kinds vg "$root/user/nsmon" $cmd >"$build/c.out" 2>"$build/c.err" || rc=$?
	grep -v -e "0xb703" -e "spurious value errors" -e "README_MISSING" "$build/c.err" >"$build/c.err2" || true
	expect=0
	case $cmd in "show 999"|"list -o BOGUS"|"pid --host 4242") expect=x ;; esac
	if [ $expect = x ]; then
		# failing commands: their one error line only, and no valgrind report
		if [ "$rc" = 99 ] || [ "$rc" = 0 ] || [ "$(grep -vc "^==" "$build/c.err2")" != 1 ]; then
			bad=$((bad + 1)); echo "# nsmon $cmd: exit $rc"; sed 's/^/#   /' "$build/c.err2"
		fi
	elif [ $rc != 0 ] || [ -s "$build/c.err2" ]; then
		bad=$((bad + 1)); echo "# nsmon $cmd: exit $rc"; sed 's/^/#   /' "$build/c.err2" | head -20
	fi
done <<EOC
list
list --tree
list --tree --total --json
list -r -n -o +VOLUNTARY,INVOLUNTARY,CPU_NS
list -H
list --output-all --sort CPU_NS -u -W
list $ns2
list --tree --pid 103
show $ns2
show --json --thousands $ns2
show --pid 109
ps $ns2
ps --json --pid 103
ps --recursive --processes --sort COMMAND --pid 1
pid --host 109
metrics
top -n 2 -d 0.05
top -n 2 -d 0.05 --json -o +THREADS/s
status --json
show 999
list -o BOGUS
pid --host 4242
EOC
if [ $bad = 0 ]; then
	ok "the client under valgrind: $cnt commands on the fixtures, no error, no leak"
else
	notok "the client under valgrind: $bad of $cnt commands had a problem"
fi
