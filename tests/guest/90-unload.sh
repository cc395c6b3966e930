#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unload under load: a reader holding a file open, a fork/thread/switch
# storm in namespaces nested three deep; then load again and unload.
. "$(dirname "$0")/lib-guest.sh"

nsmon-t storm 8 &
storm=$!
sleep 2
exec 3</proc/nsmon/namespaces
head -c 64 <&3 >/dev/null
exec 4<"/proc/nsmon/$(stat -L -c %i /proc/self/ns/pid)"
if rmmod nsmon; then ok "rmmod during a storm, with files open"; else notok "rmmod during a storm, with files open"; fi
[ ! -e /proc/nsmon ] && ok "/proc/nsmon is gone after rmmod" || notok "/proc/nsmon is gone after rmmod"
if cat <&3 >/dev/null 2>&1; then
	notok "reading a file held open across rmmod fails"
else
	ok "reading a file held open across rmmod fails (EIO)"
fi
exec 3<&- 4<&-
if insmod "$NSMON_KO"; then ok "insmod again during the storm"; else notok "insmod again during the storm"; fi
i=0
while [ $i -lt 5 ]; do
	rmmod nsmon && insmod "$NSMON_KO" || break
	i=$((i + 1))
done
[ $i = 5 ] && ok "5 more rmmod/insmod cycles during the storm" || notok "rmmod/insmod cycles during the storm ($i)"
wait $storm
nsmon-t contract >/tmp/contract.out 2>&1
grep -q "^not ok" /tmp/contract.out && { grep "^not ok" /tmp/contract.out | sed 's/^not ok - /not ok - after reload: /'; } ||
	ok "after reloads the contract checks pass again ($(grep -c '^ok' /tmp/contract.out) checks)"
if rmmod nsmon; then ok "final rmmod"; else notok "final rmmod"; fi
lsmod | grep -q "^nsmon " && notok "module gone" || ok "module gone"
