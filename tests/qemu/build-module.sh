#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR OUTDIR: build nsmon.ko (and nsmon_kunit.ko when the
# kernel has KUnit) against KDIR, in a copy of the sources in OUTDIR, so
# that builds for different kernels never share objects in the checkout.
# Kbuild builds module/nsmon.ko and tests/kunit/nsmon_kunit.ko (each
# Kbuild beside its sources); both are copied to OUTDIR itself, where
# run-vm.sh, kunit.sh and tests/lib.sh take them.
set -eu
kdir=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
rm -rf "$out/module" "$out/include" "$out/tests"
cp -r "$root/Kbuild" "$root/module" "$root/include" "$out/"
if [ -d "$root/tests/kunit" ]; then
	mkdir -p "$out/tests"
	cp -r "$root/tests/kunit" "$out/tests/"
fi
# No module or log of an earlier build may pass for this one's.
rm -f "$out"/*.ko "$out/build-nokunit.log"
# lift KO...: each built module to OUTDIR (one not built is not copied).
lift() {
	for ko; do [ -f "$out/$ko" ] && cp "$out/$ko" "$out/"; done
	return 0
}
if ! make -s -C "$kdir" M="$out" modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	# The KUnit suite is a module of its own: if only it fails, nsmon.ko
	# alone still gets tested (and kunit.sh fails for want of the suite).
	if make -s -C "$kdir" M="$out" CONFIG_KUNIT= modules >"$out/build-nokunit.log" 2>&1 &&
		lift module/nsmon.ko && [ -f "$out/nsmon.ko" ]; then
		echo "build-module: nsmon_kunit.ko does not build against $kdir (above); nsmon.ko does" >&2
		exit 0
	fi
	cat "$out/build-nokunit.log" >&2
	echo "build-module: building against $kdir failed" >&2
	exit 1
fi
lift module/nsmon.ko tests/kunit/nsmon_kunit.ko
test -f "$out/nsmon.ko"
