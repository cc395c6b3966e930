#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: a "not ok" as the script's last line, without even a
# newline, and exit status 0: the result must still be counted.
echo "ok - selftest: a result before the failure"
printf 'not ok - selftest: the last line of a script, a deliberate failure'
