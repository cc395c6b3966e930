#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf works: on a copy of the sources in a temporary directory,
# `dkms add`, `dkms build -k <Debian kernel>`, `dkms install` and
# `dkms remove`, checking that the module dkms built says MODULE_VERSION =
# NSMON_VERSION = the PACKAGE_VERSION dkms.conf computes.  Everything it
# puts in /usr/src, /var/lib/dkms and /lib/modules is removed again.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

kver=$(nsmon_kver)
ver=$(sed -n 's/^#define NSMON_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$root/include/nsmon/nsmon.h")
[ -n "$ver" ] || { notok "dkms: NSMON_VERSION found in include/nsmon/nsmon.h"; exit 1; }

# What dkms will see: the conf sourced by bash from another directory.
pv=$(cd / && bash -c '. "$1"; echo "$PACKAGE_NAME $PACKAGE_VERSION"' sh "$root/dkms.conf")
[ "$pv" = "nsmon $ver" ] && ok "dkms: dkms.conf gives PACKAGE_VERSION $ver = NSMON_VERSION" ||
	notok "dkms: dkms.conf gives '$pv', NSMON_VERSION is $ver"

# The kernels dkms.conf accepts are the ones compat.h builds for: its
# minimum (the #error) is BUILD_EXCLUSIVE_KERNEL_MIN, and the regular
# expression Debian 12's dkms uses instead takes that minimum and rejects
# the release before it.
min=$(sed -n 's/^#if LINUX_VERSION_CODE < KERNEL_VERSION(\([0-9]*\), \([0-9]*\), 0)$/\1.\2/p' \
	"$root/module/compat.h" | head -n 1)
# shellcheck disable=SC2016 # $1 is bash -c's
excl=$(cd / && bash -c '. "$1"; echo "$BUILD_EXCLUSIVE_KERNEL_MIN|$BUILD_EXCLUSIVE_CONFIG"' sh "$root/dkms.conf")
[ -n "$min" ] && [ "$excl" = "$min|CONFIG_TRACEPOINTS" ] &&
	ok "dkms: BUILD_EXCLUSIVE_KERNEL_MIN $min = compat.h's minimum, BUILD_EXCLUSIVE_CONFIG CONFIG_TRACEPOINTS" ||
	notok "dkms: dkms.conf's BUILD_EXCLUSIVE_KERNEL_MIN|CONFIG are '$excl', compat.h's minimum is '$min'"
below=${min%.*}.$((${min#*.} - 1))
# shellcheck disable=SC2016 # $1.. are bash -c's
re=$(cd / && bash -c '. "$1"; for v in "$2.0-1-amd64" "$3.0-1-amd64" 6.1.0-57-amd64 7.2.13 10.0.1; do
	[[ $v =~ $BUILD_EXCLUSIVE_KERNEL ]] && printf "%s " "$v"; done' sh "$root/dkms.conf" "$min" "$below")
[ "$re" = "$min.0-1-amd64 6.1.0-57-amd64 7.2.13 10.0.1 " ] &&
	ok "dkms: BUILD_EXCLUSIVE_KERNEL takes $min, 6.1, 7.2 and 10.0 and rejects $below" ||
	notok "dkms: BUILD_EXCLUSIVE_KERNEL takes '$re' of $min, $below, 6.1, 7.2, 10.0"

if ! command -v dkms >/dev/null; then notok "dkms: dkms is installed (tests/setup.sh)"; exit 1; fi
if [ -e "/usr/src/nsmon-$ver" ] || [ -e "/var/lib/dkms/nsmon/$ver" ]; then
	notok "dkms: nsmon $ver is already in /usr/src or dkms; not touching it"
	exit 1
fi
tmp=$(mktemp -d /tmp/nsmon-dkms.XXXXXX)
src=$tmp/nsmon-$ver
log=$tmp/log
cleanup() {
	dkms remove "nsmon/$ver" --all >/dev/null 2>&1 || true
	rm -rf "/usr/src/nsmon-$ver" "/var/lib/dkms/nsmon/$ver" "$tmp"
	rmdir /var/lib/dkms/nsmon 2>/dev/null || true
}
trap cleanup EXIT INT TERM
mkdir -p "$src"
# The files a source package would ship (no build output, no tests but
# the KUnit suite, which Kbuild builds for kernels with CONFIG_KUNIT).
cp -r "$root/Kbuild" "$root/Makefile" "$root/dkms.conf" "$root/LICENSE" \
	"$root/module" "$root/include" "$src/"
rm -f "$src"/module/*.o "$src"/module/.*.cmd
if [ -d "$root/tests/kunit" ]; then mkdir -p "$src/tests" && cp -r "$root/tests/kunit" "$src/tests/"; fi

step() { # step NAME COMMAND...
	name=$1; shift
	if timeout 600 "$@" >"$log" 2>&1; then
		ok "dkms: $name"
	else
		notok "dkms: $name"; tail -n 30 "$log" | sed 's/^/#   /'
		[ -f "/var/lib/dkms/nsmon/$ver/build/make.log" ] &&
			tail -n 30 "/var/lib/dkms/nsmon/$ver/build/make.log" | sed 's/^/#   /'
		exit 1
	fi
}
step "add $src" dkms add "$src"
[ -f "/usr/src/nsmon-$ver/dkms.conf" ] && ok "dkms: sources copied to /usr/src/nsmon-$ver" ||
	notok "dkms: sources copied to /usr/src/nsmon-$ver"
step "build -k $kver" dkms build "nsmon/$ver" -k "$kver"
ko=$(find "/var/lib/dkms/nsmon/$ver/$kver" -name 'nsmon.ko*' | head -n 1)
if [ -z "$ko" ]; then notok "dkms: the built nsmon.ko exists"; exit 1; fi
mv=$(modinfo -F version "$ko")
vm=$(modinfo -F vermagic "$ko")
echo "# built $ko: version $mv, vermagic $vm"
[ "$mv" = "$ver" ] && ok "dkms: built module's modinfo version $mv = NSMON_VERSION" ||
	notok "dkms: built module's modinfo version '$mv' = NSMON_VERSION $ver"
case $vm in "$kver "*) ok "dkms: built for $kver (vermagic)" ;; *) notok "dkms: vermagic '$vm' is for $kver" ;; esac
step "install -k $kver" dkms install "nsmon/$ver" -k "$kver"
inst=$(find "/lib/modules/$kver" -path '*dkms*' -name 'nsmon.ko*' | head -n 1)
[ -n "$inst" ] && [ "$(modinfo -F version "$inst")" = "$ver" ] &&
	ok "dkms: installed into /lib/modules/$kver (${inst#/lib/modules/$kver/})" ||
	notok "dkms: installed into /lib/modules/$kver"
dkms status nsmon | sed 's/^/# dkms status: /'
step "remove --all" dkms remove "nsmon/$ver" --all
[ -z "$(find "/lib/modules/$kver" -path '*dkms*' -name 'nsmon.ko*')" ] &&
	ok "dkms: remove took the module out of /lib/modules/$kver" ||
	notok "dkms: remove took the module out of /lib/modules/$kver"
