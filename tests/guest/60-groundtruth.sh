#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsmon against the kernel's ground truth where the older scripts do not
# look (issue 13; see nsmon-gt.c): counters against tracefs tallies with
# vfork, CLONE_PARENT, exec by a non-leader thread and an io_uring worker;
# sibling and cousin namespaces alive while readers in and out of a
# namespace read through its procfs and the host's; 32 nested levels;
# names /proc escapes; lookup as nobody; 2000 namespaces read in pieces
# while others come and go; a lookup fd held across rmmod.  Leaves nsmon
# loaded.
rc=0
for t in trace views nest comm unpriv; do
	nsmon-gt "$t" || rc=1
done
nsmon-gt many "${gt_namespaces:-2000}" || rc=1
nsmon-gt rmmod-lookup "$NSMON_KO" || rc=1
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || rc=1
exit $rc
