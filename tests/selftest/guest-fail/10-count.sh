#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test, in the guest: 200 results while the kernel prints to
# the console at the same time; the host must count exactly 200.
i=0
while [ $i -lt 200 ]; do
	echo "ok - selftest: result $i of 200"
	echo "<6>selftest: console noise $i" >/dev/kmsg
	i=$((i + 1))
done
