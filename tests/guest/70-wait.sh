#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run-queue latency (issue 17): wait_ns and the wait histogram against the
# kernel's per-task schedstat (run_delay, pcount); see nsmon-wait.c.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || exit 1
nsmon-wait
