#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The runner's self-test (a part of make test and make test-quick): runs
# mini-run.sh, a run made of the runner's own pieces (part() and
# tap_totals of tests/lib-tap.sh, run-vm.sh, init, lib-torture.sh's
# tt_run) on inputs that fail in every way the runner must catch, and
# checks that each failure shows as a "not ok" with its reason and in the
# totals, and that prove reads the output the same way:
#   host:  a part that exits non-zero without a word; one that prints no
#          result; one that prints "ok" and exits 1; a "not ok - x # TODO"
#          (a TAP directive that would make prove pass it); a torture
#          program that crashes before printing anything;
#   guest: (one boot of Debian's kernel, guest-fail/) 200 results while
#          the kernel writes to the console: exactly 200 counted; a "not
#          ok" as a script's last line, without a newline; a script that
#          exits 3 silently; one that hangs (--script-timeout); a kernel
#          report on a console line that starts "ok - "; a kernel panic;
#          (a second, short boot, guest-hang/) a guest that never
#          finishes, stopped by --timeout; a VM that cannot start (no
#          kernel image), with an earlier run's passing log in place.
# Prints "ok - runner catches X" for each failure the runner reported.
# Its files: build/selftest (the run's TAP in build/selftest/run.tap).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=$root/build/selftest
rm -rf "$dir"
mkdir -p "$dir"
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
run=$dir/run.tap
# has ERE: the run's output has a line matching ERE.
has() { grep -qE "$1" "$run"; }
catches() {	# catches WHAT ERE...: every ERE is in the run's output
	what=$1
	shift
	for re in "$@"; do
		if ! has "$re"; then
			notok "runner catches $what (no line matches: $re)"
			return 0
		fi
	done
	ok "runner catches $what"
}

rc=0
"$here/mini-run.sh" "$dir" >"$run" 2>&1 || rc=$?
echo "# selftest: the failing run took its course (exit status $rc); its output is in $run"

if [ "$rc" != 0 ]; then ok "runner: a run with failures exits non-zero"; else notok "runner: a run with failures exits non-zero (it exited 0)"; fi
catches "a part that exits non-zero without a word" '^not ok - silent exited with status 3$'
catches "a part that prints no result" '^not ok - no result printed no test result \(exit status 0\)$'
catches "a part that prints only ok and exits 1" '^not ok - ok then exit 1 exited with status 1$'
catches "a torture program that crashes before printing (tt_run)" \
	'^not ok - sh exits with status 0 \(it exited with status 139\)$'
if has '^not ok - selftest: a failure \\# TODO must not hide it$' &&
	! prove -e cat "$dir"/tap/*-todo.tap >"$dir/prove-todo.out" 2>&1; then
	ok "runner catches a \"not ok\" with a TODO directive: counted, and prove fails it"
else
	notok "runner catches a \"not ok\" with a TODO directive: counted, and prove fails it"
	sed 's/^/#   /' "$dir/prove-todo.out"
fi

catches "a VM that cannot start, not reading an earlier run's logs" \
	'^not ok - vm selftest-nokernel: no kernel image .*/no-such-bzImage$'
if has '^ok - selftest: a stale result$' || [ -e "$dir/stale.log.out" ]; then
	notok "runner: an earlier run's guest log is removed, never read as this run's"
else
	ok "runner: an earlier run's guest log is removed, never read as this run's"
fi
catches "a \"not ok\" as a guest script's last line, without a newline" \
	'^not ok - selftest: the last line of a script, a deliberate failure$'
catches "a guest script that exits 3 without a \"not ok\"" \
	'^not ok - 1-guest-fail/30-silent.sh exited with status 3 without a "not ok" of its own$'
catches "a guest script that hangs (killed after --script-timeout)" \
	'^not ok - 1-guest-fail/40-hang.sh exited with status 137 without a "not ok" of its own$'
catches "a kernel report on a console line that starts \"ok - \" (hard LOCKUP)" \
	'^not ok - vm selftest-fail: the kernel reported a problem:$' \
	'^#   ok - selftest: a result line with a report in it: NMI watchdog: Watchdog detected hard LOCKUP'
catches "a guest that panics, and the script that was running" \
	'^not ok - vm selftest-fail: the guest did not finish: it ended \(panic, crash or reboot\) while running 1-guest-fail/60-panic.sh;' \
	'^#   .*Kernel panic'
catches "a guest that hangs (VM stopped by --timeout)" \
	'^not ok - vm selftest-hang: the guest did not finish: the VM was stopped after --timeout'
# The guest printed 201 "ok" (200 with the console busy, 1 before the
# "not ok"); run-vm.sh adds 5 failures: the last line, the silent exit,
# the hang, the kernel reports, the unfinished guest.
catches "nothing of what the guest printed: exactly its 201 results counted, 5 failures" \
	'^# vm selftest-fail: 201 passed, 5 failed$'

# The totals: 1 + 1 + 201 passed; 5 host failures, 1 + 5 + 1 of the VMs.
tail -n 2 "$run" >"$dir/totals"
if [ "$(cat "$dir/totals")" = "$(printf '1..215\n203 passed, 12 failed')" ]; then
	ok "runner: every failure is in the totals (plan 1..215, last line \"203 passed, 12 failed\")"
else
	notok "runner: every failure is in the totals (plan 1..215, \"203 passed, 12 failed\"; got: $(tr '\n' ' ' <"$dir/totals"))"
fi
prove -e cat "$run" >"$dir/prove.out" 2>&1 || true
if grep -q "Tests: 215 Failed: 12)" "$dir/prove.out" && grep -q "^Result: FAIL" "$dir/prove.out"; then
	ok "runner: prove reads the run as TAP the same way (215 tests, 12 failed)"
else
	notok "runner: prove reads the run as TAP the same way (215 tests, 12 failed)"
	sed 's/^/#   /' "$dir/prove.out" | tail -n 15
fi
