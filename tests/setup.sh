#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install everything nsmon needs to build, check, test and benchmark, from
# Debian's archive.  Safe to run again: it only installs what is missing.
# Every make target that needs a package calls this first.
#
# setup.sh --kernels also gets the other kernels `make test` runs on
# (tests/kernels.sh): bookworm-backports' newest 6.12, installed, and the
# newest linux-source-7.* of Debian unstable, downloaded into the cache.
# (make test gets them itself, kernel by kernel, through run-kernel.sh, so
# that one it cannot get is a failure of that kernel only.)
set -eu

PKGS="build-essential make gcc bc bison flex libelf-dev libssl-dev dwarves
      kmod cpio xz-utils zstd rsync python3 pkg-config sparse git
      linux-image-amd64 linux-headers-amd64 linux-source-6.1
      qemu-system-x86 busybox-static
      libkmod-dev libsmartcols-dev valgrind dkms groff-base"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: need root to install:$missing" >&2
		exit 1
	fi
	echo "setup: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# linux-image-amd64 pulls in initramfs-tools, which rebuilds an initrd
	# we never use; that is harmless, only slow.
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "${1:-}" = --kernels ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	echo "setup: kernel 6.12: $("$here/kernels.sh" backports | tail -n 1)"
	echo "setup: kernel 7.x source: $("$here/kernels.sh" unstable | tail -n 1)"
fi
