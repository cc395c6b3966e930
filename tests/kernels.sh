#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh: get the kernels nsmon is tested on besides Debian 12's own
# 6.1 (which tests/setup.sh installs), all from Debian's archive: the same
# archive this machine's apt uses, its URI read from the apt sources at
# run time.  Versions are found at run time too, never written down.
#
#   kernels.sh uri        print the Debian archive's URI
#   kernels.sh backports  install the newest linux-image-6.12.*+deb12-amd64
#                         and its headers from bookworm-backports (an apt
#                         source added and pinned to priority 100, so that
#                         nothing else is ever taken from backports); print
#                         the kernel's release, e.g. 6.12.57+deb12-amd64
#   kernels.sh unstable   download (apt-get download, never install) the
#                         newest linux-source-7.* of Debian unstable into
#                         ${NSMON_CACHE:-~/.cache/nsmon}/src; print the
#                         .deb's path.  Unstable's package lists are kept
#                         in a private apt state under the cache: the
#                         machine's apt never sees unstable.
#
# The last line on stdout is the answer; progress goes to stderr.  Exit
# status non-zero, with the reason on stderr, when the kernel cannot be
# had.  NSMON_OFFLINE=1: use what is installed or cached, ask no mirror.
set -eu

cache=${NSMON_CACHE:-${HOME:-/root}/.cache/nsmon}
say() { echo "kernels: $*" >&2; }
die() { say "$*"; exit 1; }

# The URI of the Debian archive in the machine's apt sources: the first
# "deb" entry for this release's codename (deb822 .sources files, then
# one-line .list files).
# shellcheck source=/dev/null
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
# shellcheck source=/dev/null
debver=$(. /etc/os-release && echo "${VERSION_ID:-}")
archive_uri() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v want="$codename" '
		function flush() {
			if (!found && deb && on && suite && uri != "") { print uri; found = 1 }
			deb = 0; suite = 0; on = 1; uri = ""
		}
		BEGIN { on = 1 }
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) suite = 1 }
		/^Enabled:[ \t]*no/ { on = 0 }
		END { flush() }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# deb [options] URI suite components...
		sed 's/\[[^]]*\]//' "$f" |
			awk -v want="$codename" '$1 == "deb" && $3 == want { print $2 }'
	done
}
uri=$(archive_uri | head -n 1)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

need_uri() {
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
	[ -n "$uri" ] || die "no 'deb' source for $codename in /etc/apt/sources.list{,.d/}: cannot tell which Debian archive to use"
}

# Install the newest 6.12 of bookworm-backports, image and headers.
backports() {
	need_uri
	[ "$(id -u)" = 0 ] || die "need root to install a kernel"
	bpo=$codename-backports
	list=/etc/apt/sources.list.d/nsmon-$bpo.sources
	pin=/etc/apt/preferences.d/nsmon-$bpo
	if [ ! -f "$list" ] || [ ! -f "$pin" ]; then
		say "adding the apt source $bpo (from $uri), pinned to priority 100"
		cat >"$list" <<EOF
# Added by nsmon's tests/kernels.sh: the 6.12 kernel the tests run on.
Types: deb
URIs: $uri
Suites: $bpo
Components: main
Signed-By: $keyring
EOF
		# Backports' own default is 100 already (NotAutomatic); say it,
		# so that no package this machine has from $codename is ever
		# upgraded from backports: only what is asked for by name.
		cat >"$pin" <<EOF
# Added by nsmon's tests/kernels.sh.
Package: *
Pin: release n=$bpo
Pin-Priority: 100
EOF
	fi
	export DEBIAN_FRONTEND=noninteractive
	if [ "${NSMON_OFFLINE:-0}" != 1 ]; then
		say "updating the package list of $bpo"
		apt-get update -qq -o Dir::Etc::sourcelist="$list" \
			-o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >&2 ||
			die "apt-get update of $bpo failed"
	fi
	pkg=$(apt-cache pkgnames linux-image-6.12. 2>/dev/null |
		grep -E "^linux-image-6\.12\.[0-9]+\+deb$debver-amd64\$" | sort -V | tail -n 1) || true
	[ -n "$pkg" ] || die "no linux-image-6.12.*+deb$debver-amd64 in $bpo"
	kver=${pkg#linux-image-}
	if [ ! -e "/boot/vmlinuz-$kver" ] || [ ! -d "/lib/modules/$kver/build" ]; then
		say "installing linux-image-$kver and linux-headers-$kver from $bpo"
		apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
			--no-install-recommends "linux-image-$kver" "linux-headers-$kver" >&2 ||
			die "apt-get install linux-image-$kver linux-headers-$kver failed"
	fi
	[ -e "/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver after installing it"
	[ -d "/lib/modules/$kver/build" ] || die "no /lib/modules/$kver/build after installing its headers"
	echo "$kver"
}

# Download the newest linux-source-7.* of unstable into the cache.
unstable() {
	dir=$cache/src
	mkdir -p "$dir"
	if [ "${NSMON_OFFLINE:-0}" = 1 ]; then
		deb=$(find "$dir" -maxdepth 1 -name 'linux-source-7.*_all.deb' | sort -V | tail -n 1)
		[ -n "$deb" ] || die "NSMON_OFFLINE=1 and no linux-source-7.* in $dir"
		echo "$deb"
		return
	fi
	need_uri
	# A private apt state: its own source list (unstable only), lists and
	# caches under the cache directory.  The machine's apt never sees it.
	st=$cache/apt-unstable
	mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/empty.d"
	cat >"$st/sources.list" <<EOF
deb [signed-by=$keyring] $uri unstable main
EOF
	# (Root owns the cache: the _apt sandbox user could not write it.)
	set -- -o Dir::Etc::sourcelist="$st/sources.list" \
		-o Dir::Etc::sourceparts="$st/empty.d" -o Dir::State::Lists="$st/lists" \
		-o Dir::Cache="$st/cache" -o Dir::Etc::preferencesparts="$st/empty.d" \
		-o Dir::Etc::preferences="$st/empty.d/none" -o APT::Sandbox::User=root
	say "updating the package list of unstable (private apt state in $st)"
	apt-get -qq "$@" update >&2 || die "apt-get update of unstable failed"
	pkg=$(apt-cache "$@" pkgnames linux-source-7. 2>/dev/null |
		grep -E '^linux-source-7\.[0-9]+$' | sort -V | tail -n 1) || true
	[ -n "$pkg" ] || die "no linux-source-7.* in unstable"
	ver=$(apt-cache "$@" show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || die "no version of $pkg in unstable"
	deb=$dir/${pkg}_$(printf '%s' "$ver" | sed 's/:/%3a/')_all.deb
	if [ -f "$deb" ] && dpkg-deb -f "$deb" Version >/dev/null 2>&1; then
		say "cached: $deb"
	else
		say "downloading $pkg $ver"
		(cd "$dir" && apt-get -qq "$@" download "$pkg=$ver" >&2) ||
			die "apt-get download $pkg=$ver failed"
		[ -f "$deb" ] || die "apt-get download gave no $deb"
	fi
	echo "$deb"
}

case ${1:-} in
uri) need_uri; echo "$uri" ;;
backports) backports ;;
unstable) unstable ;;
*) echo "usage: $0 uri|backports|unstable" >&2; exit 2 ;;
esac
