# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers of the test scripts (sourced, not run).

# The repository root.
nsmon_root() {
	(cd "$(dirname "$0")" && git rev-parse --show-toplevel 2>/dev/null) ||
		(cd "$(dirname "$0")/.." && pwd)
}

# The version of Debian's packaged kernel we test on by default: the one
# Debian 12's linux-image-amd64 depends on (6.1), if its headers and
# image are installed; else the newest kernel that has both.  Found at run
# time, never hard-coded.  (Other kernels, such as the 6.12 of
# bookworm-backports, are installed beside it: see tests/kernels.sh.)
nsmon_kver() {
	v=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
		sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
	if [ -n "$v" ] && [ -d "/lib/modules/$v/build" ] && [ -e "/boot/vmlinuz-$v" ]; then
		echo "$v"
		return
	fi
	for d in /lib/modules/*/; do
		v=${d%/}
		v=${v##*/}
		if [ -d "/lib/modules/$v/build" ] && [ -e "/boot/vmlinuz-$v" ]; then
			echo "$v"
		fi
	done | sort -V | tail -n 1
}
