#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# profile.sh: where the guest instructions of the bench's fork and exec
# workloads go, by kernel function.  Opt-in; not part of `make bench`.
#
#   profile.sh [--ops N] [--top N] [--log FILE]
#
# Boots Debian's kernel as run.sh does (-icount shift=0, 1 vCPU) with the
# TCG plugin profile/tbcount.c, which counts the instructions executed per
# translation block inside the windows that bench.c marks around its
# timed loops (BENCH_PROFILE_SLOT).  The guest (profile/20-profile.sh) runs
# fork and exec without nsmon, with it, and with a reader of
# /proc/nsmon/events (the -watch workloads), then prints its text symbols
# (/proc/kallsyms, nsmon's included).  Printed: for each pair of
# workloads, the difference in instructions per operation by function
# (user space as one "[user]"), the largest first, and the total.
#
# The plugin is built against qemu-plugin.h from the source package of
# the QEMU installed (plugin API 1 for Debian 12's 7.2), fetched with
# apt-get source from the machine's own apt sources.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"
export LC_ALL=C

ops=2000 top=25 log=$root/build/logs/profile.log
while [ $# -gt 0 ]; do
	case $1 in
	--ops) ops=$2; shift 2 ;;
	--top) top=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "profile: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $ops in ''|*[!0-9]*|0) echo "profile: --ops wants a positive number" >&2; exit 2 ;; esac

"$root/tests/setup.sh"
work=$root/build/profile
mkdir -p "$work"

# qemu-plugin.h of the installed QEMU's source package, once.
hdr=$work/qemu-plugin.h
if [ ! -f "$hdr" ]; then
	qver=$(dpkg-query -W -f '${source:Version}' qemu-system-x86)
	apt=$work/apt
	rm -rf "$apt"
	mkdir -p "$apt/lists/partial" "$apt/src"
	# deb-src lines for the machine's own Debian sources.
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}/deb-src /p' "$f"
	done >"$apt/sources.list"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^Types:/ { t = $0 } /^URIs:/ { u = $2 } /^Suites:/ { s = $0; sub(/^Suites: */, "", s) }
		/^Components:/ { c = $0; sub(/^Components: */, "", c) }
		/^$/ { if (u != "" && t ~ /deb/) { n = split(s, a, " "); for (i = 1; i <= n; i++) print "deb-src " u " " a[i] " " c } u = "" }
		END { if (u != "" && t ~ /deb/) { n = split(s, a, " "); for (i = 1; i <= n; i++) print "deb-src " u " " a[i] " " c } }' "$f"
	done >>"$apt/sources.list"
	set -- -o Dir::Etc::SourceList="$apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$apt/lists"
	apt-get "$@" update >"$apt/update.log" 2>&1 || true
	(cd "$apt/src" && apt-get "$@" source --download-only "qemu=$qver") \
		>"$apt/source.log" 2>&1 || {
		cat "$apt/source.log" >&2
		echo "profile: could not fetch QEMU's source package ($qver)" >&2
		exit 1
	}
	tar -xJf "$apt/src"/qemu_*.orig.tar.xz -C "$apt/src" --wildcards \
		'*/include/qemu/qemu-plugin.h'
	cp "$apt/src"/qemu-*/include/qemu/qemu-plugin.h "$hdr"
	rm -rf "$apt"
fi
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -I"$work" \
	-o "$work/tbcount.so" "$here/profile/tbcount.c"

rm -rf "$work/suite"
mkdir -p "$work/suite"
cp "$here/guest/bench.c" "$here/profile/20-profile.sh" "$work/suite/"
rm -f "$work/counts"
"$root/tests/qemu/run-vm.sh" --name profile --log "$log" \
	--suite "$work/suite" --smp 1 --mem 2048 --timeout 5400 \
	--script-timeout 5000 --qemu-arg "-icount shift=0" \
	--qemu-arg "-plugin $work/tbcount.so,out=$work/counts" \
	--append "PROFILE_OPS=$ops" --quiet
[ -s "$work/counts" ] || { echo "profile: the plugin wrote no counts" >&2; exit 1; }

# Name the addresses: both lists sorted (16 hex digits sort as text),
# then one merge pass; user space (below the kernel half) is "[user]".
sed -n 's/^KSYM //p' "$log.out" | awk '{ print $1, $3 ($4 != "" ? " " $4 : "") }' |
	sort >"$work/ksyms"
awk '$1 != "windows"' "$work/counts" | sort -k2,2 >"$work/counts.sorted"
awk -v syms="$work/ksyms" '
BEGIN { n = 0; while ((getline l < syms) > 0) { split(l, f, " "); a[++n] = f[1]; s[n] = substr(l, 18) } i = 0 }
{
	if ($2 < "8000000000000000") { print $1, "[user]", $3; next }
	while (i < n && a[i + 1] <= $2) i++
	print $1, (i ? s[i] : "[unknown]"), $3
}' "$work/counts.sorted" |
	awk '{ k = $1; for (i = 2; i < NF; i++) k = k " " $i; c[k] += $NF }
	END { for (k in c) print k, c[k] }' >"$work/byfunc"
sed -n 's/^PROFILE-OPS //p' "$log.out" >"$work/ops"

# Pairs: what the second costs more than the first, per operation.
report() {
	awk -v a="$1" -v b="$2" -v top="$top" -v title="$3" -v opsf="$work/ops" '
	BEGIN { while ((getline l < opsf) > 0) { split(l, f, " "); ops[f[1]] = f[2] } }
	$1 == a || $1 == b {
		k = $2; for (i = 3; i < NF; i++) k = k " " $i
		d[k] += ($1 == b ? 1 : -1) * $NF / ops[$1]
		tot[$1] += $NF / ops[$1]
	}
	END {
		printf "\n%s: %.0f -> %.0f instructions per op, %+.0f\n", title, tot[a], tot[b], tot[b] - tot[a]
		n = 0; for (k in d) { n++; key[n] = k }
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && (d[key[j-1]] < 0 ? -d[key[j-1]] : d[key[j-1]]) < (d[key[j]] < 0 ? -d[key[j]] : d[key[j]]); j--) {
				t = key[j]; key[j] = key[j-1]; key[j-1] = t
			}
		for (i = 1; i <= n && i <= top; i++) printf "  %+9.1f  %s\n", d[key[i]], key[i]
	}' "$work/byfunc"
}
report 1 2 "fork: nsmon loaded, against without"
report 2 3 "fork-watch: a reader, against fork with nsmon"
report 9 4 "fork-watch-nested: a reader, against fork-nested with nsmon"
report 5 6 "exec: nsmon loaded, against without"
report 6 7 "exec-watch: a reader, against exec with nsmon"
report 10 8 "exec-watch-nested: a reader, against exec-nested with nsmon"
grep "^# watch-reader" "$log.out" || true
