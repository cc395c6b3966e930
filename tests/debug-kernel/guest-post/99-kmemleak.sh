#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs after the integration suite on the debug kernel: unload nsmon if a
# script left it loaded, then ask kmemleak (scan twice: an object must be
# 5 s old and stay unreferenced) whether anything leaked.
set -eu
k=/sys/kernel/debug/kmemleak
if grep -q "^nsmon " /proc/modules; then
	if rmmod nsmon; then echo "ok - rmmod nsmon after the suite"; else echo "not ok - rmmod nsmon after the suite"; fi
fi
if [ ! -w $k ]; then
	echo "not ok - kmemleak is there to check the integration suite for leaks"
	exit 0
fi
sleep 6
echo scan >$k
echo scan >$k
if [ -s $k ]; then
	echo "not ok - kmemleak finds no leak after the integration suite and rmmod"
	sed 's/^/# /' $k | head -n 80
else
	echo "ok - kmemleak finds no leak after the integration suite and rmmod"
fi
