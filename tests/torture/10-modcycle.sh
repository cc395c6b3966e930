#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Torture 1: insmod/rmmod nsmon tt_cycles times (200) while tt_workers
# workers (4) fork, exit, create and join threads and switch context in
# namespaces three deep; then check that a reloaded nsmon counts exactly,
# and that nothing leaked.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib-torture.sh
. "$(dirname "$0")/lib-torture.sh"

start=$(date +%s)
tt_unload
tt_kmemleak_baseline
tt_run tt-modcycle "$NSMON_KO" "${tt_cycles:-200}" "${tt_workers:-4}"
tt_unload
tt_kmemleak_check modcycle
echo "# torture modcycle: $(($(date +%s) - start)) s"
