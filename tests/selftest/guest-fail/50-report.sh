#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: a kernel report on the console, on a line that starts
# like a test result (as when the kernel's output cuts into one), with a
# report the old pattern list lacked.
echo "ok - selftest: a result line with a report in it: NMI watchdog: Watchdog detected hard LOCKUP on cpu 1" >/dev/console
echo "# selftest: wrote a report line to the console"
