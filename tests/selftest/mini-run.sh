#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mini-run.sh DIR: a run made like tests/run-tests.sh (set -eu, part(),
# tap_totals of tests/lib-tap.sh, run-vm.sh), of parts that fail in every
# way the runner must catch; its output is judged by selftest/run.sh.
# DIR receives the run's files (out, per-part TAP, VM logs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib-tap.sh
. "$root/tests/lib-tap.sh"
dir=$1
mkdir -p "$dir"
out=$dir/run.out
: >"$out"
tap=$dir/tap
mkdir -p "$tap"

part "passing" sh -c 'echo "ok - selftest: a part that passes"'
part "silent" sh -c 'exit 3'
part "no result" true
part "ok then exit 1" sh -c 'echo "ok - selftest: a result before exit 1"; exit 1'
part "todo" sh -c 'echo "not ok - selftest: a failure # TODO must not hide it"'
# shellcheck disable=SC2016 # $1 is sh -c's
part "torture crash" sh -c '. "$1"; tt_run sh -c "kill -SEGV \$\$"' sh "$root/tests/torture/lib-torture.sh"
# A VM that cannot start, with the logs of an earlier, passing run still
# there: they must not be read as this run's.
printf 'ok - selftest: a stale result\nNSMON-GUEST-DONE\n' >"$dir/stale.log.out"
cp "$dir/stale.log.out" "$dir/stale.log.txt"
part "vm: no kernel" "$root/tests/qemu/run-vm.sh" --name selftest-nokernel \
	--kernel "$dir/no-such-bzImage" --log "$dir/stale.log"
part "vm: failing guest" "$root/tests/qemu/run-vm.sh" --name selftest-fail \
	--suite "$here/guest-fail" --script-timeout 5 --timeout 300 --log "$dir/fail.log"
# Long enough to boot (about 10 s of a loaded host), short enough to wait.
part "vm: hanging guest" "$root/tests/qemu/run-vm.sh" --name selftest-hang \
	--suite "$here/guest-hang" --timeout 35 --log "$dir/hang.log"
tap_totals
