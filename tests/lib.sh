# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers of the test scripts (sourced, not run).

# The repository root.
nsmon_root() {
	(cd "$(dirname "$0")" && git rev-parse --show-toplevel 2>/dev/null) ||
		(cd "$(dirname "$0")/.." && pwd)
}

# The version of Debian's packaged kernel we test on: the newest one that
# has both its headers (build/) and its image installed.  Found at run
# time, never hard-coded.
nsmon_kver() {
	for d in /lib/modules/*/; do
		v=${d%/}
		v=${v##*/}
		if [ -d "/lib/modules/$v/build" ] && [ -e "/boot/vmlinuz-$v" ]; then
			echo "$v"
		fi
	done | sort -V | tail -n 1
}
