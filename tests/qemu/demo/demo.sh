#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: load nsmon, make nested namespaces, show it.
show() { echo "\$ $*"; sh -c "$*"; echo; }

echo "=== demo begin"
show insmod /nsmon/nsmon.ko
# A container with its own /proc, and one more namespace inside it.
unshare -p -f --mount-proc sh -c '
	sleep 1000 & sleep 1000 &
	unshare -p -f --mount-proc sh -c "sleep 1000 & exec sleep 1000" &
	exec sleep 1000' &
sleep 2
show ls /proc/nsmon
show cat /proc/nsmon/namespaces
# shellcheck disable=SC2046 # pidof prints a list of PIDs to split
deep=$(for p in $(pidof sleep); do
	[ "$(awk '/^NSpid:/ { print NF - 1 }' "/proc/$p/status")" = 3 ] && echo "$p"
done | head -n 1)
inum=$(stat -L -c %i "/proc/$deep/ns/pid")
show "stat -L -c %i /proc/$deep/ns/pid"
show cat "/proc/nsmon/$inum"
show "grep -E '^pid|sleep' /proc/nsmon/pids"
show "grep NSpid /proc/$deep/status"
show "exec 3<>/proc/nsmon/lookup; echo '$inum 1' >&3; cat <&3"
show "exec 3<>/proc/nsmon/lookup; echo '$inum 99' >&3"
show "exec 3<>/proc/nsmon/lookup; echo 'x y' >&3"
show rmmod nsmon
echo "=== demo end"
