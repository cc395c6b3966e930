#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [--variant NAME] [SOURCE]: build (once) an nsmon debug kernel
# from a Linux source tarball or a Debian linux-source-* package:
# `make allnoconfig` + debug.config (+ debug-<major>.config if there is
# one for the source's major version) (+ NAME.config, the variant's
# fragment, last): KASAN, lockdep, kmemleak, KUnit...  See README.md.
# The one variant so far is kcsan (kcsan.config): KCSAN instead of KASAN,
# which it cannot be combined with; `make test` builds the 6.1 kernel so.
#
# SOURCE (or NSMON_KSRC) is
#   - a .tar.xz of a kernel tree (default /usr/src/linux-source-6.1.tar.xz,
#     Debian 12's linux-source-6.1), or
#   - a linux-source-<x.y>_<version>_all.deb (tests/fetch-kernels.sh puts
#     the newest 7.x of Debian unstable in ~/.cache/nsmon/src): the tarball
#     inside it is extracted, the package is never installed.
#
# The tree is cached outside the clone, in
#   ${NSMON_CACHE:-$HOME/.cache/nsmon}/debug-kernel/<source version>[-<variant>]-<config sha256 prefix>/
# with the source extracted there and the kernel built in place, so that
# `make -C <tree> M=<dir> modules` builds modules against it.  The config
# hash is the sha256 of the fragments concatenated (debug.config's alone
# when neither a version fragment nor a variant applies).  A stamp file is
# written only when the build succeeded; the tree is rebuilt only when the
# source version or a fragment changes.
#
# All progress goes to stderr; the last (and only) line on stdout is the
# tree's path:   tree=$(tests/debug-kernel/build.sh)
# With --print-tree, only print the path the tree has (or would have).
#
# Environment: NSMON_CACHE (cache root), NSMON_KSRC (the source),
# NSMON_DEBUG_VARIANT (the variant, as --variant), NSMON_JOBS (make -j,
# default the number of CPUs).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
printonly=0
variant=${NSMON_DEBUG_VARIANT:-}
while [ $# -gt 0 ]; do
	case $1 in
	--print-tree) printonly=1; shift ;;
	--variant) variant=$2; shift 2 ;;
	*) break ;;
	esac
done
src=${1:-${NSMON_KSRC:-/usr/src/linux-source-6.1.tar.xz}}
cacheroot=${NSMON_CACHE:-${HOME:-/root}/.cache/nsmon}/debug-kernel
jobs=${NSMON_JOBS:-$(nproc)}

say() { echo "debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

[ -r "$src" ] || die "no kernel source $src (tests/setup.sh installs 6.1's; tests/fetch-kernels.sh fetches 7.x)"

# The source version: the Debian package's version when the source is
# packaged (the installed linux-source-6.1, or a .deb), otherwise the
# tarball's own size and mtime.  The major version picks the fragment.
srcver=""
major=""
case $src in
*.deb)
	srcver=$(dpkg-deb -f "$src" Version) || die "$src is not a Debian package"
	major=${srcver%%.*}
	;;
/usr/src/linux-source-*.tar.xz)
	pkg=$(basename "$src" .tar.xz)
	srcver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
	major=${pkg#linux-source-}
	major=${major%%.*}
	;;
esac
if [ -z "$srcver" ]; then
	srcver=$(stat -c '%s-%Y' "$src")
fi
srcver=$(printf '%s' "$srcver" | tr -c 'A-Za-z0-9.+~_-' '_')

# The fragments, in the order merge_config.sh applies them (later wins).
frags=$here/debug.config
if [ -n "$major" ] && [ -f "$here/debug-$major.config" ]; then
	frags="$frags $here/debug-$major.config"
fi
name=$srcver
if [ -n "$variant" ]; then
	case $variant in
	*[!a-z0-9]*) die "bad variant name '$variant' (lower-case letters and digits)" ;;
	esac
	[ -f "$here/$variant.config" ] || die "no variant '$variant': no $here/$variant.config"
	frags="$frags $here/$variant.config"
	name=$srcver-$variant
fi
fragcat() { for f in $frags; do cat "$f"; done; }
fraghash=$(fragcat | sha256sum | cut -c1-12)
tree=$cacheroot/$name-$fraghash
stamp=$tree/.nsmon-built
if [ $printonly = 1 ]; then
	echo "$tree"
	exit 0
fi

built() { [ -f "$stamp" ] && [ -f "$tree/arch/x86/boot/bzImage" ]; }

if built; then
	say "cached: $tree ($(sed -n 's/^build_seconds=//p' "$stamp") s to build)"
	echo "$tree"
	exit 0
fi

# One build per tree at a time (make kunit and make test may race).
mkdir -p "$cacheroot"
exec 9>"$cacheroot/.lock-$name-$fraghash"
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
	say "extracting $src into $tree"
	case $src in
	*.deb)
		# The package holds usr/src/linux-source-<x.y>.tar.xz: stream
		# it out of the package's data archive, never install it.
		inner=$(dpkg-deb -c "$src" | awk '{ print $NF }' |
			grep -m1 '^\./usr/src/linux-source-.*\.tar\.xz$') ||
			die "no linux-source tarball in $src"
		dpkg-deb --fsys-tarfile "$src" | tar -xO "$inner" |
			tar -xJ -C "$tree" --strip-components=1
		;;
	*)
		tar -xJf "$src" -C "$tree" --strip-components=1
		;;
	esac
	touch "$tree/.nsmon-extracted"
fi

# 2. The configuration: allnoconfig with the fragment's values forced
# (merge_config.sh -n runs `make KCONFIG_ALLCONFIG=<fragment> allnoconfig`).
say "configuring: allnoconfig +$(for f in $frags; do printf ' %s' "${f##*/}"; done)"
# shellcheck disable=SC2086
(cd "$tree" && scripts/kconfig/merge_config.sh -n $frags) >"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "configuration failed (log: $log)"; }

# merge_config.sh only warns about requested values that did not make it
# (a missing dependency, a typo): every one of them is an error here.
# What is requested is each symbol's last value in the fragments (a
# variant turns off what debug.config turns on: KASAN for KCSAN).
requested() {
	fragcat | awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
	sym != "" { if (!(sym in val)) order[n++] = sym; val[sym] = $0; sym = "" }
	END { for (i = 0; i < n; i++) print val[order[i]] }'
}
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$tree/.config" || {
			sym=${line%%=*}
			say "requested $line, got: $(grep -E "^(# )?${sym}[= ]" "$tree/.config" || echo "(absent)")"
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
done <<EOF
$(requested)
EOF
[ $missing = 0 ] || die "$missing requested config value(s) missing from $tree/.config"
say "all $(requested | grep -c '^CONFIG_') requested options are set, and the $(requested | grep -c '^# CONFIG_') requested off are off"

# 3. The build, in place: vmlinux, bzImage, modules and Module.symvers.
say "building with -j$jobs (log: $log; takes several minutes)"
(cd "$tree" && make -j"$jobs" all) >>"$log" 2>&1 ||
	{ tail -n 40 "$log" >&2; die "kernel build failed (log: $log)"; }
[ -f "$tree/arch/x86/boot/bzImage" ] || die "no bzImage after the build"
[ -f "$tree/Module.symvers" ] || die "no Module.symvers after the build"

end=$(date +%s)
krel=$(make -s -C "$tree" kernelrelease)
cat >"$stamp.tmp" <<EOS
source=$src
source_version=$srcver
variant=$variant
fragments=$frags
fragment_sha256=$(fragcat | sha256sum | cut -d' ' -f1)
kernelrelease=$krel
jobs=$jobs
build_seconds=$((end - start))
built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOS
mv "$stamp.tmp" "$stamp"
say "built $krel in $((end - start)) s with -j$jobs: $tree"
echo "$tree"
