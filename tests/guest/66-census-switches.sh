#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The census takes the voluntary and involuntary switches of tasks that
# predate insmod from the tasks themselves (see nsmon-x.c).  Reloads
# nsmon, and leaves it loaded.
rc=0
nsmon-x census-switches "$NSMON_KO" || rc=1
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || rc=1
exit $rc
