#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 30 censuses, each taken while 13-thread groups die, each compared with
# /proc on its own (see nsmon-x.c).  Reloads nsmon, and leaves it loaded.
rc=0
nsmon-x groupdeath "$NSMON_KO" 30 || rc=1
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || rc=1
exit $rc
