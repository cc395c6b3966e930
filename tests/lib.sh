# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
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

# nsmon_build_check ROOT KDIR LABEL: build nsmon.ko (and nsmon_kunit.ko
# on a KUnit kernel) from the checkout ROOT against KDIR, where run-vm.sh
# builds it, and say so as test results: "ok - LABEL: nsmon builds
# against KDIR", or "not ok" with the compiler's errors as comments; on a
# kernel with CONFIG_KUNIT, the same for the KUnit suite's module.
# Status 0 if nsmon.ko built (the VMs can run).
nsmon_build_check() {
	_krel=$(make -s -C "$2" kernelrelease 2>/dev/null || basename "$(dirname "$2")")
	_out=$1/build/mod-$_krel
	_rc=0
	"$1/tests/qemu/build-module.sh" "$2" "$_out" >/dev/null 2>&1 || _rc=1
	if [ $_rc = 0 ] && [ -f "$_out/nsmon.ko" ]; then
		echo "ok - $3: nsmon builds against $2"
	else
		echo "not ok - $3: nsmon does not build against $2 (logs: $_out/build*.log):"
		# (build-nokunit.log: nsmon.ko alone, when the first try failed.)
		grep -hE "error:|undefined!|ERROR:" "$_out/build.log" \
			"$_out/build-nokunit.log" 2>/dev/null | awk '!seen[$0]++' | head -n 20 | sed 's/^/#   /'
		return 1
	fi
	grep -qs '^CONFIG_KUNIT=y' "$2/.config" || return 0
	if [ -f "$_out/nsmon_kunit.ko" ]; then
		echo "ok - $3: the KUnit suite (nsmon_kunit.ko) builds against $2"
	else
		echo "not ok - $3: the KUnit suite (nsmon_kunit.ko) does not build against $2 (log: $_out/build.log):"
		grep -E "error:|undefined!|ERROR:" "$_out/build.log" 2>/dev/null |
			head -n 20 | sed 's/^/#   /'
	fi
	return 0
}
