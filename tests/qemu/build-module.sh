#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR OUTDIR: build nsmon.ko (and nsmon_kunit.ko when the
# kernel has KUnit) against KDIR, in a copy of the sources in OUTDIR, so
# that builds for different kernels never share objects in the checkout.
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
make -s -C "$kdir" M="$out" modules >"$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	echo "build-module: building against $kdir failed" >&2
	exit 1
}
test -f "$out/nsmon.ko"
