#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hidepid=: pids, lookup and init_pid show a reader exactly the tasks that
# the procfs it opened them through shows it (see hidepid-t.c).
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"

mnt=/tmp/hidepid-proc
mkdir -p "$mnt"

# Tasks to be seen or not: uid 1000 dumpable (a) and not (b), uid 1001 (c),
# and the init of a PID namespace of uid 1001 (d).  Each has two threads.
a=$(hidepid-t spawn 1000 1 0)
b=$(hidepid-t spawn 1000 0 0)
c=$(hidepid-t spawn 1001 1 0)
d=$(hidepid-t spawn 1001 1 1)
echo "# targets: a=$a b=$b c=$c d=$d"
all="$a,$b,$c,$d"
none="-$a,-$b,-$c,-$d"

# The mount's gid= is 2000.  Readers: LABEL UID GROUPS FLAGS, and which
# targets procfs shows each (hidepid=invisible and noaccess; ptraceable
# differs for the gid= member only; with hidepid=off everyone sees all).
readers="uid1000 1000 - - $a,-$b,-$c,-$d
uid1000-nondumpable 1000 - nodump $a,-$b,-$c,-$d
uid1001 1001 - - -$a,-$b,$c,$d
gid2000-member 1002 2000 - $all
cap-sys-ptrace 1002 - ptrace $all
nobody 65534 - - $none
nobody-with-root-fd 65534 - rootfd -
root-with-nobody-fd 65534 - userfd $none
root 0 - - $all"

for mode in invisible noaccess ptraceable off; do
	if ! mount -t proc -o "hidepid=$mode,gid=2000" proc "$mnt"; then
		notok "mount proc hidepid=$mode"
		continue
	fi
	echo "$readers" | while read -r label uid groups flags want; do
		[ "$mode" = off ] && [ "$want" != - ] && want=$all
		[ "$mode.$label" = ptraceable.gid2000-member ] && want=$none
		hidepid-t read "$mnt" "$mode/$label" "$uid" "$groups" "$flags" \
			"$want"
	done
	umount "$mnt"
done

# subset=pid: procfs itself has no /proc/nsmon there, nothing to open.
if mount -t proc -o subset=pid,hidepid=invisible proc "$mnt"; then
	check "subset=pid: no nsmon directory" [ ! -e "$mnt/nsmon" ]
	check "subset=pid: PID directories are there" [ -d "$mnt/1" ]
	umount "$mnt"
else
	notok "mount proc subset=pid"
fi

kill -9 "$a" "$b" "$c" "$d"
rmdir "$mnt"
