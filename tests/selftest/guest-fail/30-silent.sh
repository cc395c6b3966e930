#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runner self-test: a script that fails without printing "not ok".
echo "# selftest: failing silently"
exit 3
