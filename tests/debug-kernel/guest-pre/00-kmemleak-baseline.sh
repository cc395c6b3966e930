#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs before the integration suite on the debug kernel: forget what
# kmemleak suspects of the kernel's own boot, so that a report after the
# suite (guest-post/) is about what the suite did.
set -eu
k=/sys/kernel/debug/kmemleak
if [ -w $k ]; then
	echo scan >$k
	echo "# kmemleak: $(grep -c '^unreferenced object' $k || true) boot-time suspects set aside"
	echo clear >$k
fi
