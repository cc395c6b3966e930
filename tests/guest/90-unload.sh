#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unload under load: a reader holding a file open, a fork/thread/switch
# storm in namespaces nested three deep; then load again and unload.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"

nsmon-t storm 8 &
storm=$!
sleep 2
exec 3</proc/nsmon/namespaces
head -c 64 <&3 >/dev/null
exec 4<"/proc/nsmon/$(stat -L -c %i /proc/self/ns/pid)"
if rmmod nsmon; then ok "rmmod during a storm, with files open"; else notok "rmmod during a storm, with files open"; fi
check "/proc/nsmon is gone after rmmod" [ ! -e /proc/nsmon ]
# The read must fail with EIO (procfs's answer for a removed entry), not
# any error: cat reports it as strerror(EIO).
rc=0
err=$(cat <&3 2>&1 >/dev/null) || rc=$?
case $rc:$err in
0:*) notok "reading a file held open across rmmod fails with EIO (the read succeeded)" ;;
*"Input/output error"*) ok "reading a file held open across rmmod fails with EIO" ;;
*) notok "reading a file held open across rmmod fails with EIO (exit $rc: $err)" ;;
esac
exec 3<&- 4<&-
if insmod "$NSMON_KO"; then ok "insmod again during the storm"; else notok "insmod again during the storm"; fi
i=0
while [ $i -lt 5 ]; do
	if ! rmmod nsmon || ! insmod "$NSMON_KO"; then break; fi
	i=$((i + 1))
done
check "5 more rmmod/insmod cycles during the storm ($i done)" [ $i = 5 ]
wait $storm
rc=0
nsmon-t contract >/tmp/contract.out 2>&1 || rc=$?
if grep -q "^not ok" /tmp/contract.out; then
	grep "^not ok" /tmp/contract.out | sed 's/^not ok - /not ok - after reload: /'
else
	check "after reloads the contract checks pass again ($(grep -c '^ok' /tmp/contract.out) checks, exit $rc)" [ "$rc" = 0 ]
fi
if rmmod nsmon; then ok "final rmmod"; else notok "final rmmod"; fi
check "module gone" sh -c '! lsmod | grep -q "^nsmon "'
