#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: static checks of the module, failing on any finding.
#   - W=1 build (extra compiler warnings), with sparse (C=2: every file)
#   - scripts/checkpatch.pl --no-tree --strict, taken from Debian's
#     linux-source-6.1 tarball, over every module and header file
#   - scripts/kernel-doc -none (the same tarball) over the module: any
#     warning fails, and so does a function declared in module/nsmon.h
#     without a kernel-doc comment (at its definition, in a .c file, or
#     at the inline one in nsmon.h)
# Builds in a scratch copy under build/, never in the checkout.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/setup.sh"

kver=$(cd /lib/modules && for v in *; do
	[ -d "$v/build" ] && [ -e "/boot/vmlinuz-$v" ] && echo "$v"
done | sort -V | tail -n 1)
[ -n "$kver" ] || { echo "check: no Debian kernel with headers found" >&2; exit 1; }
kdir=${KDIR_CHECK:-/lib/modules/$kver/build}

out="$root/build/check"
rm -rf "$out"
mkdir -p "$out/src"
cp -r "$root/Kbuild" "$root/module" "$root/include" "$out/src/"
[ -d "$root/tests/kunit" ] && mkdir -p "$out/src/tests" &&
	cp -r "$root/tests/kunit" "$out/src/tests/"

fail=0
echo "# check: W=1 C=2 build against $kdir"
make -C "$kdir" M="$out/src" W=1 C=2 modules >"$out/build.log" 2>&1 || fail=1
# Anything the compiler or sparse says is a finding.
if grep -E "warning:|error:|sparse:" "$out/build.log"; then
	fail=1
fi
[ $fail = 0 ] && echo "ok - W=1 and sparse (C=2) report nothing" ||
	{ cat "$out/build.log"; echo "not ok - W=1/sparse findings"; }

# checkpatch.pl and the data files it reads, from the kernel source.
cp_dir="$out/checkpatch"
mkdir -p "$cp_dir/scripts"
tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cp_dir" --strip-components=1 \
	linux-source-6.1/scripts/checkpatch.pl \
	linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch \
	linux-source-6.1/scripts/kernel-doc
files=$(cd "$root" && ls module/*.c module/*.h include/nsmon/*.h \
	tests/kunit/*.c tests/kunit/*.h tests/bench/null/*.c 2>/dev/null || true)
cp_fail=0
for f in $files; do
	# compat.h is the one file whose job is to compare kernel versions.
	ignore=""
	[ "$f" = module/compat.h ] &&
		ignore="--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON"
	# The two lists that code is generated from (X-macros): checkpatch
	# takes their expansion helpers for statement macros.  Nothing else
	# is in these files.
	case $f in include/nsmon/keys.h | module/tracepoints.h)
		ignore="--ignore COMPLEX_MACRO,MACRO_ARG_REUSE,TRAILING_SEMICOLON,MACRO_ARG_PRECEDENCE"
	esac
	# shellcheck disable=SC2086
	if ! (cd "$root" && perl "$cp_dir/scripts/checkpatch.pl" --no-tree \
		--strict --quiet --show-types --terse $ignore -f "$f"); then
		cp_fail=1
	fi
done
[ $cp_fail = 0 ] && echo "ok - checkpatch --strict reports nothing" ||
	echo "not ok - checkpatch --strict findings"
[ $cp_fail = 0 ] || fail=1

# kernel-doc: -v adds the warnings only verbose mode gives ("contents
# before sections"); its "info:" lines are progress, not findings.
kd_fail=0
kd_out=$(cd "$root" && perl "$cp_dir/scripts/kernel-doc" -none -Werror -v \
	module/*.c module/*.h 2>&1) || kd_fail=1
kd_out=$(printf '%s\n' "$kd_out" | grep -v ' info: Scanning doc for ' || true)
[ -z "$kd_out" ] || { printf '%s\n' "$kd_out"; kd_fail=1; }
# Every function module/nsmon.h declares (or defines inline) has its
# "name() - what it does" line.
names=$(sed -n -e 's/^[a-z][^(]*[ *]\(nsmon_[a-z0-9_]*\)(.*/\1/p' \
	-e 's/^\(nsmon_[a-z0-9_]*\)(.*/\1/p' "$root/module/nsmon.h")
[ -n "$names" ] || { echo "check: no function found in module/nsmon.h"; kd_fail=1; }
for n in $names; do
	grep -q "^ \* $n() - " "$root"/module/*.c "$root"/module/nsmon.h ||
		{ echo "module/nsmon.h: $n() has no kernel-doc comment"; kd_fail=1; }
done
[ $kd_fail = 0 ] &&
	echo "ok - kernel-doc -none: no warning, all $(echo "$names" | wc -l) functions of module/nsmon.h documented" ||
	echo "not ok - kernel-doc findings"
[ $kd_fail = 0 ] || fail=1
exit $fail
