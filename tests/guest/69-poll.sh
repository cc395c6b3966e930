#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# No polling for a live namespace whose init's main thread has exited
# (issue 11, point 6), against tracefs's workqueue events; see
# nsmon-poll.c.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"
grep -q "^nsmon " /proc/modules || insmod "$NSMON_KO" || exit 1
nsmon-poll
