#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# DKMS packaging: dkms add, build, install and remove a copy of the tree
# against Debian's kernel headers, and check the version came from the
# one place it is kept (include/nsmon/nsmon.h).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
kver=$(nsmon_kver)
ver=$(sed -n 's/^#define NSMON_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$root/include/nsmon/nsmon.h")
ok() { echo "ok - dkms: $*"; }
notok() { echo "not ok - dkms: $*"; }

cleanup() {
	dkms remove "nsmon/$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/nsmon-$ver" "$tmp"
}
tmp=""
cleanup	# leftovers of an interrupted run
tmp=$(mktemp -d)
trap cleanup EXIT
# The tracked files only, as a release tarball would have them.
(cd "$root" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$tmp"

conf_ver=$(cd "$tmp" && bash -c '. ./dkms.conf; echo "$PACKAGE_VERSION"')
[ -n "$ver" ] && [ "$conf_ver" = "$ver" ] &&
	ok "dkms.conf takes version $ver from nsmon.h" ||
	notok "dkms.conf version '$conf_ver' != nsmon.h '$ver'"
if dkms add "$tmp" >"$tmp.log" 2>&1; then ok "add"; else notok "add"; cat "$tmp.log"; fi
if dkms build "nsmon/$ver" -k "$kver" >"$tmp.log" 2>&1; then
	ok "build against $kver"
else
	notok "build against $kver"; cat "$tmp.log"
fi
ko=$(find "/var/lib/dkms/nsmon/$ver/$kver" -name 'nsmon.ko*' | head -n 1)
mver=$(modinfo -F version "$ko" 2>/dev/null)
[ "$mver" = "$ver" ] && ok "the built module's MODULE_VERSION is $ver" ||
	notok "the built module's version '$mver' != '$ver'"
if dkms install "nsmon/$ver" -k "$kver" >"$tmp.log" 2>&1 &&
	modinfo -k "$kver" -F version nsmon 2>/dev/null | grep -qx "$ver"; then
	ok "install puts it where modprobe finds it"
else
	notok "install"; cat "$tmp.log"
fi
if dkms remove "nsmon/$ver" --all >"$tmp.log" 2>&1 &&
	! modinfo -k "$kver" nsmon >/dev/null 2>&1; then
	ok "remove takes it away again"
else
	notok "remove"; cat "$tmp.log"
fi
rm -f "$tmp.log"
