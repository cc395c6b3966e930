#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian's kernel in QEMU, load nsmon, make a few nested
# PID namespaces and show what /proc/nsmon says about them.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/setup.sh"
"$root/tests/qemu/run-vm.sh" --name demo --quiet --suite "$root/tests/qemu/demo" \
	--timeout 300 >/dev/null || true
# The guest's own output (run-vm.sh keeps it apart from the kernel's).
sed -n '/^=== demo begin/,/^=== demo end/p' "$root/build/logs/demo.log.out" | sed '1d;$d'
