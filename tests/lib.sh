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

# nsmon_build_check ROOT KDIR LABEL: build nsmon.ko (and nsmon_kunit.ko
# on a KUnit kernel) from the checkout ROOT against KDIR, where run-vm.sh
# builds it, and say so as a test result: "ok - LABEL: nsmon builds
# against KDIR", or "not ok" with the compiler's errors as comments.
# Status 0 only if it built.
nsmon_build_check() {
	_krel=$(make -s -C "$2" kernelrelease 2>/dev/null || basename "$(dirname "$2")")
	_out=$1/build/mod-$_krel
	if "$1/tests/qemu/build-module.sh" "$2" "$_out" >/dev/null 2>&1; then
		echo "ok - $3: nsmon builds against $2"
		return 0
	fi
	echo "not ok - $3: nsmon does not build against $2 (log: $_out/build.log):"
	grep -E "error:|Error [0-9]|undefined!|ERROR:" "$_out/build.log" 2>/dev/null |
		head -n 20 | sed 's/^/#   /'
	return 1
}
