#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Torture 3: for tt_seconds (30) s, tt_threads (8) threads: half read
# /proc/nsmon files one byte at a time with lseek() in between, half use
# /proc/nsmon/lookup with valid and invalid requests, while namespaces are
# made and destroyed; then check counters, table and leaks.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib-torture.sh
. "$(dirname "$0")/lib-torture.sh"

start=$(date +%s)
tt_unload
tt_kmemleak_baseline
tt_run tt-hammer "$NSMON_KO" "${tt_seconds:-30}" "${tt_threads:-8}"
tt_unload
tt_kmemleak_check hammer
echo "# torture hammer: $(($(date +%s) - start)) s"
