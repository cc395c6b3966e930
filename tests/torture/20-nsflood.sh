#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Torture 2: create and destroy tt_namespaces PID namespaces (5000) while
# readers loop over /proc/nsmon/namespaces, pids and per-namespace files
# that vanish under them; a namespace that lives through it must still
# count exactly; after rmmod nothing may have leaked.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib-torture.sh
. "$(dirname "$0")/lib-torture.sh"

start=$(date +%s)
tt_unload
tt_kmemleak_baseline
tt_run tt-nsflood "$NSMON_KO" "${tt_namespaces:-5000}" "${tt_creators:-2}" "${tt_readers:-3}"
tt_unload
tt_kmemleak_check nsflood
echo "# torture nsflood: $(($(date +%s) - start)) s"
