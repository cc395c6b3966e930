#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: the kernel panics (sysrq c) in the middle of a script.
echo "# selftest: panicking the kernel"
echo c >/proc/sysrq-trigger
sleep 10
echo "not ok - selftest: the kernel did not panic"
