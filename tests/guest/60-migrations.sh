#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The migrations counter (issue 15's worked example of adding a counter):
# a namespace's tasks move between the two CPUs; its `migrations` must
# equal the sum of their se.nr_migrations (see nsmon-migrate.c).
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || exit 1
nsmon-migrate
