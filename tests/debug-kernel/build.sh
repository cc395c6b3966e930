#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh: build (once) the nsmon debug kernel from Debian's
# linux-source-6.1 tarball: `make allnoconfig` + debug.config, KASAN,
# lockdep, kmemleak, KUnit...  See README.md.
#
# The tree is cached outside the clone, in
#   ${NSMON_CACHE:-$HOME/.cache/nsmon}/debug-kernel/<source version>-<fragment sha256 prefix>/
# with the source extracted there and the kernel built in place, so that
# `make -C <tree> M=<dir> modules` builds modules against it.  A stamp file
# is written only when the build succeeded; the tree is rebuilt only when
# the source version or debug.config changes.
#
# All progress goes to stderr; the last (and only) line on stdout is the
# tree's path:   tree=$(tests/debug-kernel/build.sh)
#
# Environment: NSMON_CACHE (cache root), NSMON_KSRC (the tarball,
# default /usr/src/linux-source-6.1.tar.xz), NSMON_JOBS (make -j, default
# the number of CPUs).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug.config
tarball=${NSMON_KSRC:-/usr/src/linux-source-6.1.tar.xz}
cacheroot=${NSMON_CACHE:-${HOME:-/root}/.cache/nsmon}/debug-kernel
jobs=${NSMON_JOBS:-$(nproc)}

say() { echo "debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

[ -r "$tarball" ] || die "no kernel source $tarball (apt-get install linux-source-6.1, or run tests/setup.sh)"

# The source version: the Debian package's version when the tarball is the
# packaged one, otherwise the tarball's own size and mtime.
srcver=""
if [ "$tarball" = /usr/src/linux-source-6.1.tar.xz ]; then
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
fi
if [ -z "$srcver" ]; then
	srcver=$(stat -c '%s-%Y' "$tarball")
fi
srcver=$(printf '%s' "$srcver" | tr -c 'A-Za-z0-9.+~_-' '_')
fraghash=$(sha256sum "$frag" | cut -c1-12)
tree=$cacheroot/$srcver-$fraghash
stamp=$tree/.nsmon-built

built() { [ -f "$stamp" ] && [ -f "$tree/arch/x86/boot/bzImage" ]; }

if built; then
	say "cached: $tree ($(sed -n 's/^build_seconds=//p' "$stamp") s to build)"
	echo "$tree"
	exit 0
fi

# One build per tree at a time (make kunit and make test may race).
mkdir -p "$cacheroot"
exec 9>"$cacheroot/.lock-$srcver-$fraghash"
if ! flock -n 9; then
	say "another build of $tree is running; waiting for it"
	flock -w 5400 9 || die "timed out waiting for the other build"
fi
if built; then
	echo "$tree"
	exit 0
fi

log=$tree.log
start=$(date +%s)

# 1. The source, extracted once (a half-extracted tree is thrown away).
if [ ! -f "$tree/.nsmon-extracted" ]; then
	rm -rf "$tree"
	mkdir -p "$tree"
	say "extracting $tarball into $tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	touch "$tree/.nsmon-extracted"
fi

# 2. The configuration: allnoconfig with the fragment's values forced
# (merge_config.sh -n runs `make KCONFIG_ALLCONFIG=<fragment> allnoconfig`).
say "configuring: allnoconfig + $frag"
(cd "$tree" && scripts/kconfig/merge_config.sh -n "$frag") >"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "configuration failed (log: $log)"; }

# merge_config.sh only warns about requested values that did not make it
# (a missing dependency, a typo): every one of them is an error here.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$tree/.config" || {
			sym=${line%%=*}
			say "requested $line, got: $(grep -E "^(# )?$sym[= ]" "$tree/.config" || echo "(absent)")"
			missing=$((missing + 1))
		}
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$tree/.config"; then
			say "requested $sym off, got: $(grep "^$sym=" "$tree/.config")"
			missing=$((missing + 1))
		fi
		;;
	esac
done <"$frag"
[ $missing = 0 ] || die "$missing requested config value(s) missing from $tree/.config"
say "all $(grep -c '^CONFIG_' "$frag") requested options are set"

# 3. The build, in place: vmlinux, bzImage, modules and Module.symvers.
say "building with -j$jobs (log: $log; takes several minutes)"
(cd "$tree" && make -j"$jobs" all) >>"$log" 2>&1 ||
	{ tail -n 40 "$log" >&2; die "kernel build failed (log: $log)"; }
[ -f "$tree/arch/x86/boot/bzImage" ] || die "no bzImage after the build"
[ -f "$tree/Module.symvers" ] || die "no Module.symvers after the build"

end=$(date +%s)
krel=$(make -s -C "$tree" kernelrelease)
cat >"$stamp.tmp" <<EOS
source=$tarball
source_version=$srcver
fragment_sha256=$(sha256sum "$frag" | cut -d' ' -f1)
kernelrelease=$krel
jobs=$jobs
build_seconds=$((end - start))
built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOS
mv "$stamp.tmp" "$stamp"
say "built $krel in $((end - start)) s with -j$jobs: $tree"
echo "$tree"
