#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /proc/nsmon/events (see nsmon-ev.c): the kernel's own events, filters,
# overflow, several readers, a container's reader, hostile filters, the
# reader cap, O_NONBLOCK and poll(); then rmmod with readers blocked in
# read(), poll() and epoll_wait(), and insmod again.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"

check "/proc/nsmon/events exists, mode 0666" \
	[ "$(stat -c %a /proc/nsmon/events 2>/dev/null)" = 666 ]
for t in ground nested overflow readers container filters cap nonblock; do
	nsmon-ev "$t"
done

# A reader blocked in each way, then rmmod: it must return, and so must
# the readers.
for mode in read poll epoll; do
	nsmon-ev block "$mode" >"/tmp/block-$mode.out" 2>&1 &
	eval "blk_$mode=\$!"
done
sleep 2
rc=0
timeout 60 rmmod nsmon || rc=$?
check "rmmod with readers blocked in read(), poll() and epoll_wait() (exit $rc)" [ "$rc" = 0 ]
# shellcheck disable=SC2154
for mode in read poll epoll; do
	eval "p=\$blk_$mode"
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$p" 2>/dev/null; then
		notok "the reader blocked in $mode returned after rmmod"
		kill -9 "$p"
	else
		wait "$p"
		check "the reader blocked in $mode returned after rmmod: $(grep ended "/tmp/block-$mode.out")" \
			grep -q ended "/tmp/block-$mode.out"
	fi
done
if insmod "$NSMON_KO"; then ok "insmod again after the events tests"; else notok "insmod again after the events tests"; fi
