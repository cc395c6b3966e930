#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Issue 11: first the storm with nsmon loaded all along (a control), then
# nsmon loaded during a fork/thread/exec storm in two PID
# namespaces, 20 reloads a round, 5 rounds (a defect that strikes one load
# in two slips through with probability 1/32 at most); then tasks and
# processes of every namespace against /proc.  Then switches and CPU time
# of tasks alive across insmod against their kernel counters; the cases around exec
# by a non-leader thread, pthread_exit() of a main thread and setns() into
# a dying namespace (see nsmon-census.c).  Leaves nsmon loaded.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"
rc=0
# The control: the same storm with nsmon loaded throughout (namespaces
# made after insmod, no census): a failure here is not the census's.
nsmon-census storm "$NSMON_KO" 3 0 || rc=1
nsmon-census storm "$NSMON_KO" "${census_rounds:-5}" "${census_reloads:-20}" || rc=1
# Switches and CPU time of tasks alive across insmod, against the kernel's.
nsmon-census seed "$NSMON_KO" "${census_seed_rounds:-5}" || rc=1
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || rc=1
nsmon-census cases || rc=1
exit $rc
