#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh (`make mutants`): prove that the test suite catches defects.
#
#   run.sh [--no-baseline] [--keep] [NAME...]
#
# For each mutant of tests/mutants/list/ (all of them, or the NAMEs given,
# a NAME being a file name without .mut): copy the tree to
# build/mutants/NAME, apply the mutant there (apply.sh), build nsmon.ko
# and boot it with the part of the suite the mutant declares (suite:):
#
#   suite: guest SCRIPT...   tests/guest/00-load.sh then those scripts of
#                            tests/guest, on Debian's packaged 6.1 kernel
#                            (tests/qemu/run-vm.sh)
#   suite: kunit             the KUnit suite on the debug kernel
#                            (tests/debug-kernel/kunit.sh; the kernel must
#                            be built: tests/debug-kernel/build.sh)
#
# and report, one line each:
#   ok - mutant NAME caught (by: failed test, ...)
#   not ok - mutant NAME SURVIVED              (a missing test: write it)
#   not ok - mutant NAME invalid (...)         (does not compile: fix the list)
#   not ok - mutant NAME: anchor not found     (the code moved: fix the list)
# and last the plain line "N passed, N failed".
#
# Before the mutants, each distinct suite runs once on the unmutated tree
# (the baseline): a suite that fails there cannot tell a mutant from the
# code, so its mutants are reported not ok ("baseline fails").
# --no-baseline skips that (when you know it passes).  One VM at a time.
# Guests boot with oops=panic panic_on_warn=1 softlockup_panic=1: a mutant
# that crashes the kernel ends its VM at once (a catch) instead of leaving
# it hung until the timeout.
# Logs: build/mutants/NAME/build/logs/; --keep keeps the scratch trees.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
baseline=1 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--no-baseline) baseline=0; shift ;;
	--keep) keep=1; shift ;;
	--) shift; break ;;
	-*) echo "usage: $0 [--no-baseline] [--keep] [NAME...]" >&2; exit 2 ;;
	*) break ;;
	esac
done

# Debian's packaged 6.1 kernel: the newest 6.1 with headers and image,
# found at run time (as tests/lib.sh's nsmon_kver does for the newest).
kver61() {
	for d in /lib/modules/6.1.*/; do
		v=${d%/}
		v=${v##*/}
		if [ -d "/lib/modules/$v/build" ] && [ -e "/boot/vmlinuz-$v" ]; then
			echo "$v"
		fi
	done | sort -V | tail -n 1
}
kver=$(kver61)

work=$root/build/mutants
mkdir -p "$work"
out=$work/results.out
: >"$out"
start=$(date +%s)
say() { echo "$*" | tee -a "$out"; }

if [ $# = 0 ]; then
	for m in "$here"/list/*.mut; do
		[ -f "$m" ] && set -- "$@" "$(basename "$m" .mut)"
	done
fi

# field MUTANT NAME: a field of a mutant file.
field() { sed -n "s/^$2: \{0,1\}//p" "$here/list/$1.mut" | head -n 1; }

# A scratch copy of the tree in $1, as a clean clone has it (sources and
# tests; not build/), plus the client binary if it is built.
scratch() {
	rm -rf "$1"
	mkdir -p "$1"
	for f in Kbuild Makefile module include tests; do
		cp -r "$root/$f" "$1/"
	done
	if [ -d "$root/user" ]; then
		cp -r "$root/user" "$1/"
	fi
}

# run_suite TREE NAME SUITE: run SUITE on TREE; the log is in
# TREE/build/logs/NAME.log.txt (guest) or kunit.log.txt.  Exit status of
# the runner.  Prints nothing.  (POSIX sh has no local variables: every
# variable here starts with rs_, so that the callers' are left alone.)
run_suite() {
	rs_tree=$1 rs_name=$2 rs_suite=$3
	mkdir -p "$rs_tree/build/logs"
	case $rs_suite in
	kunit)
		"$rs_tree/tests/debug-kernel/kunit.sh" --no-total \
			>"$rs_tree/build/logs/$rs_name.out" 2>&1
		;;
	guest\ *)
		rs_sd=$rs_tree/build/suite-$rs_name
		rm -rf "$rs_sd"
		mkdir -p "$rs_sd"
		cp "$rs_tree/tests/guest/lib-guest.sh" "$rs_tree/tests/guest/00-load.sh" "$rs_sd/"
		for rs_s in ${rs_suite#guest }; do
			[ -f "$rs_tree/tests/guest/$rs_s" ] || {
				echo "not ok - no guest script $rs_s" >"$rs_tree/build/logs/$rs_name.out"
				return 1
			}
			cp "$rs_tree/tests/guest/$rs_s" "$rs_sd/"
		done
		"$rs_tree/tests/qemu/run-vm.sh" --kernel "/boot/vmlinuz-$kver" \
			--kdir "/lib/modules/$kver/build" --suite "$rs_sd" \
			--name "$rs_name" --timeout "${NSMON_MUTANT_TIMEOUT:-1200}" \
			--script-timeout "${NSMON_MUTANT_SCRIPT_TIMEOUT:-600}" \
			--append "oops=panic panic_on_warn=1 softlockup_panic=1" \
			--quiet >"$rs_tree/build/logs/$rs_name.out" 2>&1
		;;
	*)
		echo "not ok - unknown suite \"$rs_suite\"" >"$rs_tree/build/logs/$rs_name.out"
		return 1
		;;
	esac
}

# What failed, from a run's output and logs: "not ok" names, shortened.
failures() {
	f_logs=$1/build/logs
	cat "$f_logs/$2.out" "$f_logs/$2.log.txt" \
		"$f_logs/kunit.log.txt" "$f_logs/kunit.ktap" 2>/dev/null |
		sed -n 's/^ *not ok [0-9]* *-* *//p' | cut -c1-70 | sort -u | head -n 4 |
		paste -sd';' - | sed 's/;/; /g'
}

[ -n "$kver" ] || { say "not ok - mutants: no Debian 6.1 kernel (image and headers) installed"; exit 1; }
echo "# mutants: $# of them, guest kernel $kver"

# Every mutant's anchor first: a stale list fails fast.
valid=""
for m in "$@"; do
	if [ ! -f "$here/list/$m.mut" ]; then
		say "not ok - mutant $m: no such mutant"
	elif ! err=$("$here/apply.sh" --check "$here/list/$m.mut" "$root" 2>&1); then
		say "not ok - mutant $m: anchor not found ($err)"
	else
		valid="$valid $m"
	fi
done

# The baseline of each suite the mutants use.
bad_suites=""
if [ $baseline = 1 ]; then
	suites=$(for m in $valid; do field "$m" suite; done | sort -u)
	i=0
	echo "$suites" | while IFS= read -r s; do
		[ -n "$s" ] || continue
		i=$((i + 1))
		t0=$(date +%s)
		b=$work/baseline-$i
		scratch "$b"
		if run_suite "$b" "base-$i" "$s"; then
			say "ok - baseline: suite \"$s\" passes unmutated ($(( $(date +%s) - t0 )) s)"
		else
			say "not ok - baseline: suite \"$s\" fails unmutated: $(failures "$b" "base-$i")"
			echo "$s" >>"$work/bad-suites"
		fi
	done
	[ -f "$work/bad-suites" ] && bad_suites=$(cat "$work/bad-suites")
	rm -f "$work/bad-suites"
fi

for m in $valid; do
	t0=$(date +%s)
	suite=$(field "$m" suite)
	if [ -n "$bad_suites" ] && echo "$bad_suites" | grep -qxF "$suite"; then
		say "not ok - mutant $m: baseline of its suite fails, cannot judge"
		continue
	fi
	tree=$work/$m
	scratch "$tree"
	if ! err=$("$here/apply.sh" "$here/list/$m.mut" "$tree" 2>&1); then
		say "not ok - mutant $m: anchor not found ($err)"
		continue
	fi
	rc=0
	run_suite "$tree" "mut-$m" "$suite" || rc=$?
	t=$(( $(date +%s) - t0 ))
	if ! ls "$tree"/build/mod-*/nsmon.ko >/dev/null 2>&1; then
		say "not ok - mutant $m invalid (does not compile; see $tree/build/mod-*/build.log)"
	elif [ $rc = 0 ]; then
		say "not ok - mutant $m SURVIVED (suite: $suite; $t s)"
	else
		by=$(failures "$tree" "mut-$m")
		say "ok - mutant $m caught (by: ${by:-the run failed, exit $rc}; $t s)"
	fi
	[ $keep = 1 ] || rm -rf "$tree/user" "$tree/build/vm-"*
done

p=$(grep -c "^ok - " "$out" || true)
f=$(grep -c "^not ok - " "$out" || true)
echo "# mutants took $(( $(date +%s) - start )) s"
echo "$p passed, $f failed"
[ "$f" = 0 ]
