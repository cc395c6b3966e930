#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
. "$(dirname "$0")/lib-guest.sh"

[ ! -e /proc/nsmon ] && ok "no /proc/nsmon before insmod" || notok "no /proc/nsmon before insmod"

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
[ -d /proc/nsmon ] && ok "/proc/nsmon exists" || notok "/proc/nsmon exists"
for f in namespaces pids lookup; do
	[ -e "/proc/nsmon/$f" ] && ok "/proc/nsmon/$f exists" || notok "/proc/nsmon/$f exists"
done
[ "$(stat -c %a /proc/nsmon/lookup)" = 666 ] && ok "lookup is mode 0666" || notok "lookup is mode 0666"
[ "$(stat -c %a /proc/nsmon/pids)" = 444 ] && ok "pids is mode 0444" || notok "pids is mode 0444"
host=$(stat -L -c %i /proc/self/ns/pid)
[ -e "/proc/nsmon/$host" ] && ok "the initial namespace has its file" || notok "the initial namespace has its file"
grep -q "^level 0$" "/proc/nsmon/$host" && grep -q "^parent 0$" "/proc/nsmon/$host" &&
	ok "initial namespace: level 0, parent 0" || notok "initial namespace: level 0, parent 0"
nsmon-t seeded "$deep" "$tasks" "$procs"
# Kernel threads count in the initial namespace: it has more tasks than
# processes we started.
t0=$(sed -n 's/^tasks //p' "/proc/nsmon/$host")
k=$(count_tasks "$host")
d=$((t0 - k)); [ $d -lt 0 ] && d=$((-d))
[ "$d" -le 3 ] && ok "initial namespace: tasks $t0 ~ $k tasks in /proc (kernel threads included)" ||
	notok "initial namespace: tasks $t0 ~ $k tasks in /proc"
# Killing a namespace's init kills everything in it and below.
for p in $(child_pids "$top"); do kill -9 "$p"; done
wait "$top" 2>/dev/null
true
