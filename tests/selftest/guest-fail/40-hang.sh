#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: a script that never ends (run with --script-timeout).
echo "# selftest: hanging"
sleep 100000
