#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: a guest that never finishes (run with a short
# --timeout and a long --script-timeout): the host must stop the VM and
# say so.
echo "# selftest: hanging"
sleep 100000
