#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"

check "no /proc/nsmon before insmod" [ ! -e /proc/nsmon ]

# Two nested namespaces that predate the module, a few tasks in each.
unshare -p -f sh -c 'sleep 1000 & sleep 1000 & unshare -p -f sh -c "sleep 1000 & sleep 1000"' &
top=$!
sleep 1
deep_pid=$(pidof sleep | tr ' ' '\n' | while read -r p; do
	[ "$(nspid_depth "$p")" = 3 ] && echo "$p"; done | head -n 1)
deep=$(stat -L -c %i "/proc/$deep_pid/ns/pid")
tasks=$(count_tasks "$deep")
procs=$(count_procs "$deep")
echo "# pre-existing namespace $deep: $tasks tasks, $procs processes"

if insmod "$NSMON_KO"; then ok "insmod"; else notok "insmod"; exit 1; fi
check "/proc/nsmon exists" [ -d /proc/nsmon ]
for f in namespaces pids lookup; do
	check "/proc/nsmon/$f exists" [ -e "/proc/nsmon/$f" ]
done
check "lookup is mode 0666" [ "$(stat -c %a /proc/nsmon/lookup)" = 666 ]
check "pids is mode 0444" [ "$(stat -c %a /proc/nsmon/pids)" = 444 ]
host=$(stat -L -c %i /proc/self/ns/pid)
check "the initial namespace has its file" [ -e "/proc/nsmon/$host" ]
lvl=$(sed -n 's/^level //p' "/proc/nsmon/$host")
par=$(sed -n 's/^parent //p' "/proc/nsmon/$host")
check "initial namespace: level 0, parent 0 (level $lvl, parent $par)" [ "$lvl.$par" = 0.0 ]
nsmon-t seeded "$deep" "$tasks" "$procs"
# Kernel threads count in the initial namespace: it has more tasks than
# processes we started.
t0=$(sed -n 's/^tasks //p' "/proc/nsmon/$host")
k=$(count_tasks "$host")
d=$((t0 - k)); [ $d -lt 0 ] && d=$((-d))
# Within 3: kernel workers come and go between the two reads.
check "initial namespace: tasks $t0 ~ $k tasks in /proc (kernel threads included)" [ "$d" -le 3 ]
# Killing a namespace's init kills everything in it and below.
for p in $(child_pids "$top"); do kill -9 "$p"; done
wait "$top" 2>/dev/null
true
