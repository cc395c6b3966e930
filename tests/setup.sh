#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install everything nsmon needs to build, check, test and benchmark, from
# Debian's archive.  Safe to run again: it only installs what is missing.
# Every make target that needs a package calls this first.
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
