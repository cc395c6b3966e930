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
for t in ground nested overflow readers container filters cap usercap nonblock; do
	nsmon-ev "$t"
done

# nsmon watch on a namespace two levels down: its fork, exec and exit
# as they happen, with host and container PIDs.
if command -v nsmon >/dev/null; then
	rm -f /tmp/go.fifo
	mkfifo /tmp/go.fifo
	unshare -p -f sh -c 'unshare -p -f sh -c "read -r x </tmp/go.fifo; /nsmon/bin/nsmon-ev 2>/dev/null; exit 0"' &
	top=$!
	deep=""
	i=0
	while [ -z "$deep" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
		for p in $(pidof sh); do
			[ "$(nspid_depth "$p")" = 3 ] && deep=$p
		done
	done
	inum=$(stat -L -c %i "/proc/$deep/ns/pid")
	nsmon watch "$inum" >/tmp/watch.txt 2>&1 &
	w=$!
	nsmon watch --json --pid "$deep" >/tmp/watch.json 2>&1 &
	wj=$!
	sleep 1
	echo go >/tmp/go.fifo
	wait "$top"
	sleep 1
	kill -INT "$w" "$wj"
	rc=0
	wait "$w" || rc=$?
	rcj=0
	wait "$wj" || rcj=$?
	sed 's/^/# /' /tmp/watch.txt
	check "nsmon watch NS: exit 0 on SIGINT ($rc, $rcj)" [ "$rc.$rcj" = 0.0 ]
	# The init of the namespace ($deep, PID 1 there) forks a shell (PID 2
	# there) that execs nsmon-ev, which exits 2 (no arguments); then the
	# init exits: 4 events.
	n=$(sed 's/^ *//' /tmp/watch.txt | grep -c "^[0-9]")
	check "nsmon watch NS: 4 events ($n)" [ "$n" = 4 ]
	check "nsmon watch NS: the fork of PID 2 there by the init ($deep), a three-level chain" \
		grep -qE " fork +[0-9]+ +[0-9]+ +$inum +2 +2 +[0-9]+,[0-9]+,2 +$deep sh\$" /tmp/watch.txt
	check "nsmon watch NS: its exec of nsmon-ev" \
		grep -qE " exec +[0-9]+ +[0-9]+ +$inum +2 +2 +[0-9]+,[0-9]+,2 +[0-9]+ nsmon-ev\$" /tmp/watch.txt
	check "nsmon watch NS: its exit with status 2 (512)" \
		grep -qE " exit +[0-9]+ +[0-9]+ +$inum +2 +2 +[0-9]+,[0-9]+,2 +512 nsmon-ev\$" /tmp/watch.txt
	check "nsmon watch NS: the init's exit, host PID $deep, status 0" \
		grep -qE " exit +$deep +$deep +$inum +1 +1 $deep,[0-9]+,1 +0 sh\$" /tmp/watch.txt
	check "nsmon watch --json --pid: the same 4 events as JSON objects" sh -c \
		"[ \$(grep -c '^{\"time_ns\":' /tmp/watch.json) = 4 ] && grep -q '\"event\":\"exit\",\"pid\":$deep,' /tmp/watch.json"
fi

# nsmon watch with a filter, by a user who already holds 3 of its 4
# events files: the client opens the file once for reading, then again
# for writing the filter; it must not hold both at once.
if command -v nsmon >/dev/null; then
	nsmon-ev hold 1000 3 nsmon watch --events exit >/tmp/watch-held.txt 2>&1 &
	w=$!
	sleep 1
	alive=0
	kill -0 "$w" 2>/dev/null && alive=1
	kill -INT "$w" 2>/dev/null
	rc=0
	wait "$w" || rc=$?
	sed 's/^/# /' /tmp/watch-held.txt
	check "nsmon watch --events exit by a user holding 3 readers: follows until SIGINT, exit 0 ($alive, $rc)" \
		[ "$alive.$rc" = 1.0 ]
fi

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
