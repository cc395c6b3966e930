#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /proc/nsmon/containers and the client's CONTAINER column against the
# ground truth: a cgroup v2 hierarchy laid out as docker (both drivers),
# containerd under Kubernetes, kubelet's cgroupfs layout, CRI-O, rootless
# podman, systemd-nspawn and LXC lay it out, a PID namespace started in
# each (with its own UTS, mount, network and IPC namespaces, a nodename
# of its own, a time namespace for one), compared with /proc/<init>/cgroup,
# readlink /proc/<init>/ns/* and the nodename set; then the view, the
# reader's cgroup namespace and hidepid=.  On a kernel without cgroups
# (the 7.x debug kernel), the same namespaces in no cgroup: their cgroup
# column must be "-", their cgroup namespace 0, and no container known.
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. "$(dirname "$0")/lib-guest.sh"

# nsmon-ctr execs unshare: busybox's applets are in /usr/bin too.
PATH=$PATH:/usr/bin:/usr/sbin
f=/proc/nsmon/containers
check "containers exists, mode 0444" [ "$(stat -c %a "$f" 2>/dev/null)" = 444 ]
check "containers: header" \
	[ "$(head -n 1 "$f")" = "inum init_pid mnt net ipc uts user cgroup time nodename cgroup" ]

cg=/sys/fs/cgroup
nocg=0
if ! grep -qw cgroup2 /proc/filesystems; then
	nocg=1
	echo "# this kernel has no cgroups: every namespace in no cgroup, no container"
elif ! grep -q "^[^ ]* $cg cgroup2 " /proc/mounts; then
	mkdir -p "$cg"
	if ! mount -t cgroup2 none "$cg"; then
		notok "mount the cgroup v2 hierarchy"
		exit 1
	fi
fi

# An ID of 64 hex digits starting with $1 (the rest from a hash of $2).
id64() { printf '%s%s' "$1" "$(echo "$2" | sha256sum | cut -c$((${#1} + 1))-64)"; }
D1=$(id64 abcd1 docker-systemd)
D2=$(id64 abcd2 docker-cgroupfs)
C1=$(id64 c1 containerd)
C2=$(id64 c2 kubelet-cgroupfs)
C3=$(id64 c3 crio)
P1=$(id64 f1 podman)
U1=0a1b2c3d-4e5f-6789-abcd-ef0123456789
U2=1b2c3d4e-5f60-789a-bcde-f01234567890
U3=2c3d4e5f-6071-89ab-cdef-012345678901
u_() { echo "$1" | tr - _; }

# CGROUP RUNTIME ID NODENAME ('+' for a space)
layouts="/system.slice/docker-$D1.scope docker $D1 web+1
/docker/$D2 docker $D2 web2
/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(u_ $U1).slice/cri-containerd-$C1.scope containerd $C1 pod-a
/kubepods/burstable/pod$U2/$C2 cri $C2 pod-b
/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(u_ $U3).slice/crio-$C3.scope cri-o $C3 crio-c
/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-$P1.scope/container podman $P1 podman-d
/machine.slice/machine-web\\x2d1.scope/payload nspawn web-1 nspawn-e
/lxc.payload.c1 lxc c1 lxc-f"

# The init writes its PID as the host's procfs (still its /proc) says.
cat >/tmp/ctr-init <<'EOF'
#!/bin/sh
read -r me _ </proc/self/stat
hostname "$1" && echo "$me" >"/tmp/ctr-ready.$2" && exec sleep 1000
EOF
cat >/tmp/ctr-start <<'EOF'
#!/bin/sh
[ "$4" = 1 ] || echo $$ >"$1/cgroup.procs" || exit 1
[ "$3" = 1 ] && t="nsmon-ctr timens" || t=
# Network and IPC namespaces where the kernel has them (the 7.x debug
# kernel has no CONFIG_NET).
o=
[ -e /proc/self/ns/net ] && o="$o -n"
[ -e /proc/self/ns/ipc ] && o="$o -i"
exec $t unshare -p -f -u -m $o /tmp/ctr-init "$2" "$3"
EOF
chmod +x /tmp/ctr-init /tmp/ctr-start
rm -f /tmp/ctr-ready.*

# Start one namespace per layout; remember "i parent-pid" lines.
i=0 starters=""
while read -r path rt id name; do
	i=$((i + 1))
	[ $nocg = 1 ] || mkdir -p "$cg$path"
	/tmp/ctr-start "$cg$path" "$(echo "$name" | tr + ' ')" "$i" $nocg &
	starters="$starters $!"
done <<EOF
$layouts
EOF
n=$i
ready() { find /tmp -maxdepth 1 -name 'ctr-ready.*' | wc -l; }
t=0
while [ "$(ready)" -lt "$n" ] && [ $t -lt 600 ]; do
	sleep 0.1
	t=$((t + 1))
done
check "all $n namespaces started" [ "$(ready)" = "$n" ]

nsinum() { readlink "/proc/$1/ns/$2" 2>/dev/null | sed -n 's/.*\[\([0-9]*\)\]$/\1/p'; }
# The row /proc/<init> says the module must print (init $1, its PID in
# the reader's view $2), the cgroup path as the reader sees it ($3).
truth() {
	row="$(nsinum "$1" pid) $2"
	for t in mnt net ipc uts user cgroup time; do
		v=$(nsinum "$1" "$t")
		row="$row ${v:-0}"
	done
	echo "$row $(echo "$4" | sed 's/\\/\\134/g; s/ /\\040/g') $(echo "$3" | sed 's/\\/\\134/g')"
}
# The cgroup v2 path of $1, "-" without cgroups.
cgline() { if [ $nocg = 1 ]; then echo -; else sed -n 's/^0:://p' "/proc/$1/cgroup"; fi; }

nsmon=$(command -v nsmon || true)
hostmnt=$(nsinum 1 mnt)
hosttime=$(nsinum 1 time)
inits=""
i=0
while read -r path rt id name; do
	i=$((i + 1))
	init=$(cat "/tmp/ctr-ready.$i")
	check "$rt: the init $init is PID 1 of its namespace, a level down" \
		[ "$(awk '/^NSpid:/ { print NF - 1, $NF }' "/proc/$init/status")" = "2 1" ]
	inits="$inits $init"
	name=$(echo "$name" | tr + ' ')
	inum=$(nsinum "$init" pid)
	if [ $nocg = 1 ]; then
		path=- rt="no cgroup: $rt"
	else
		check "$rt: the init $init is in cgroup $path" [ "$(cgline "$init")" = "$path" ]
	fi
	mnt=$(nsinum "$init" mnt)
	check "$rt: its own mount namespace $mnt (not the host's $hostmnt)" test -n "$mnt" -a "$mnt" != "$hostmnt"
	if [ $i = 1 ] && [ -n "$hosttime" ]; then
		tm=$(nsinum "$init" time)
		check "$rt: its own time namespace $tm (not the host's $hosttime)" test -n "$tm" -a "$tm" != "$hosttime"
	fi
	want=$(truth "$init" "$init" "$path" "$name")
	got=$(awk -v i="$inum" '$1 == i' "$f")
	check "$rt: row of namespace $inum = /proc/$init (want '$want', got '$got')" [ "$got" = "$want" ]
	[ -n "$nsmon" ] || continue
	if [ $nocg = 1 ]; then
		check "$rt: nsmon list -J: no container" sh -c \
			"nsmon list -J -o INUM,CONTAINER | tr -d ' \n' | grep -q '{\"inum\":$inum,\"container\":null}'"
		continue
	fi
	case $id in ????????????????????????????????????????????????????????????????) short=$(echo "$id" | cut -c1-12) arg=$(echo "$id" | cut -c1-8) ;;
		*) short=$id arg=$id ;; esac
	got=$(nsmon list -r -n -o INUM,CONTAINER,RUNTIME,NODENAME | awk -v i="$inum" '$1 == i')
	check "$rt: nsmon list: CONTAINER $short, RUNTIME $rt, NODENAME '$name' (got '$got')" \
		[ "$got" = "$inum $short $rt $(echo "$name" | sed 's/ /\\x20/g')" ]
	check "$rt: nsmon list -J: the whole ID" sh -c \
		"nsmon list -J -o INUM,CONTAINER | tr -d ' \n' | grep -q '{\"inum\":$inum,\"container\":\"$id\"}'"
	[ "$id" = "$D2" ] && d2init=$init d2inum=$inum
	got=$(nsmon show -r -n -o INUM "$arg" 2>&1)
	check "$rt: nsmon show $arg is namespace $inum (got '$got')" [ "$got" = "inum $inum" ]
	check "$rt: nsmon ps $arg lists the init" sh -c "nsmon ps -r -n -o PID '$arg' | grep -qx '$init'"
	check "$rt: nsmon metrics: nsmon_namespace_info's container label" sh -c \
		"nsmon metrics | grep -q '^nsmon_namespace_info{inum=\"$inum\",.*,container=\"$id\"} 1\$'"
done <<EOF
$layouts
EOF

# The host's own row: init 1, the host's nodename, in no container.
want=$(truth 1 1 "$(cgline 1)" "$(hostname)")
got=$(awk -v i="$(nsinum 1 pid)" '$1 == i' "$f")
check "the initial namespace's row = /proc/1 (got '$got')" [ "$got" = "$want" ]

if [ -n "$nsmon" ] && [ $nocg = 0 ]; then
	# What README.md shows.
	echo "# \$ nsmon list -o INUM,LEVEL,INIT,CONTAINER,RUNTIME,NODENAME"
	nsmon list -o INUM,LEVEL,INIT,CONTAINER,RUNTIME,NODENAME | sed 's/^/# /'
	a=$(echo "$D2" | cut -c1-8)
	echo "# \$ nsmon show -r -n -o INUM,INIT,CONTAINER,RUNTIME $a"
	nsmon show -r -n -o INUM,INIT,CONTAINER,RUNTIME "$a" | sed 's/^/# /'
	echo "# \$ nsmon show abcd"
	nsmon show abcd 2>&1 | sed 's/^/# /'
	# nsmon watch by container ID (issue 16): a process started in the
	# docker container (nsenter forks into its PID namespace, then execs)
	# shows as it happens, with its host PID and its PID in there.
	nsmon watch "$a" >/tmp/watch-ctr.txt 2>&1 &
	w=$!
	sleep 1
	nsenter -t "$d2init" -p -- sh -c 'exit 3'
	sleep 1
	kill -INT "$w"
	rc=0
	wait "$w" || rc=$?
	echo "# \$ nsmon watch $a"
	sed 's/^/# /' /tmp/watch-ctr.txt
	# The fork into the container, then the exit (status 3 << 8) of the
	# same host PID, whose PID in the container is not 1.
	check "nsmon watch $a (a container ID prefix): exit 0, the fork and exit of a task started in namespace $d2inum, host and container PIDs" \
		sh -c "[ $rc = 0 ] && awk -v ns=$d2inum '
			\$2 == \"fork\" && \$5 == ns && \$6 != 1 { pid[\$3] = 1 }
			\$2 == \"exit\" && \$5 == ns && (\$3 in pid) && \$9 == 768 { ok = 1 }
			END { exit !ok }' /tmp/watch-ctr.txt"
	rc=0
	nsmon show abcd >/tmp/ctr.out 2>&1 || rc=$?
	check "nsmon show abcd (two docker IDs): exit 1, ambiguous ($(cat /tmp/ctr.out))" \
		sh -c "[ $rc = 1 ] && grep -q ambiguous /tmp/ctr.out"
	rc=0
	nsmon show fedcba98 >/tmp/ctr.out 2>&1 || rc=$?
	check "nsmon show fedcba98 (no such container): usage error, exit 2, named ($(cat /tmp/ctr.out))" \
		sh -c "[ $rc = 2 ] && grep -q \"'fedcba98': no container\" /tmp/ctr.out"
elif [ -z "$nsmon" ]; then
	notok "no client (user/nsmon) in the guest: the client's checks did not run"
fi

# The view: a procfs of the docker container's PID namespace shows its
# own row only, its init as PID 1.
# shellcheck disable=SC2086
set -- $inits
init=$1
inum=$(nsinum "$init" pid)
mkdir -p /tmp/ctr-proc
got=$(nsenter -t "$init" -p -m sh -c 'mount -t proc proc /tmp/ctr-proc && tail -n +2 /tmp/ctr-proc/nsmon/containers')
want=$(truth "$init" 1 "$(cgline "$init")" "web 1")
check "the container's own procfs: its row only, init_pid 1 (got '$got')" [ "$got" = "$want" ]

# The reader's cgroup namespace: from one rooted at /kubepods.slice, the
# paths are those /proc/<init>/cgroup shows the same reader.
[ $nocg = 1 ] || for init in $inits; do
	nsmon-ctr cgns "$cg/kubepods.slice" sh -c \
		"awk -v i=$(nsinum "$init" pid) '\$1 == i' $f; sed -n 's/^0:://p' /proc/$init/cgroup" >/tmp/ctr.out
	got=$(sed -n 1p /tmp/ctr.out | cut -d' ' -f11-)
	want=$(sed -n 2p /tmp/ctr.out | sed 's/\\/\\134/g')
	check "cgroup path of init $init from a cgroup namespace at /kubepods.slice: '$want' (got '$got')" \
		sh -c "[ -n '$want' ] && [ '$got' = '$want' ] && [ '$want' != '$(cgline "$init" | sed 's/\\/\\134/g')' ]"
done

# hidepid=invisible: uid 1000 may not see root's inits; root may.
mkdir -p /tmp/ctr-hp
if mount -t proc -o hidepid=invisible proc /tmp/ctr-hp; then
	for init in $inits; do
		inum=$(nsinum "$init" pid)
		got=$(nsmon-ctr as 1000 cat /tmp/ctr-hp/nsmon/containers | awk -v i="$inum" '$1 == i')
		check "hidepid=invisible, uid 1000: init $init hidden, 0 and - (got '$got')" \
			[ "$got" = "$inum 0 0 0 0 0 0 0 0 - -" ]
		got=$(awk -v i="$inum" '$1 == i' /tmp/ctr-hp/nsmon/containers)
		check "hidepid=invisible, root: init $init shown" [ "$got" = "$(awk -v i="$inum" '$1 == i' "$f")" ]
	done
	umount /tmp/ctr-hp
else
	notok "mount proc hidepid=invisible"
fi

# shellcheck disable=SC2086
kill -9 $inits $starters 2>/dev/null
wait
rm -f /tmp/ctr-ready.* /tmp/ctr-init /tmp/ctr-start /tmp/ctr.out
