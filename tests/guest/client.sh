#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsmon(1) in the guest, against the real module: load/status/unload
# through libkmod, and every number the client prints compared with
# /proc/nsmon and with the kernel's ground truth (/proc/PID/status NSpid,
# /proc/PID/ns/pid).  --json output is checked by json_check and
# `nsmon metrics` by prom_check below: strict checkers written in awk,
# because the guest has busybox and no python.  The host test
# tests/host/client-checkers.sh sources this file with NSMON_CLIENT_LIB=1
# (which stops right after the checkers) and proves them against python3's
# json module and promtool on valid and broken inputs, with the same
# busybox awk that runs here.
set -eu

AWK=${AWK:-awk}

# json_check FILE: exit 0 iff FILE is exactly one JSON value (RFC 8259),
# whitespace around it allowed, nothing else; also rejects duplicate keys
# in an object.  Prints the reason on failure.
json_check() {
	# shellcheck disable=SC2016
	$AWK '
	BEGIN { RS = "\001"; }	# the whole file as one record
	function fail(msg) { printf "json_check: %s at offset %d\n", msg, pos; bad = 1; exit 1 }
	function ws() { while (pos <= n && index(" \t\n\r", substr(s, pos, 1)) > 0) pos++ }
	function peek() { return substr(s, pos, 1) }
	function value(depth,   c) {
		if (depth > 512) fail("nested too deep")
		ws(); c = peek()
		if (c == "{") obj(depth)
		else if (c == "[") arr(depth)
		else if (c == "\"") str()
		else if (c == "t") lit("true")
		else if (c == "f") lit("false")
		else if (c == "n") lit("null")
		else if (c == "-" || c ~ /[0-9]/) num()
		else fail("unexpected \"" c "\"")
		ws()
	}
	function lit(w) { if (substr(s, pos, length(w)) != w) fail("bad literal"); pos += length(w) }
	function num(   t) {
		t = substr(s, pos)
		if (!match(t, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) fail("bad number")
		pos += RLENGTH
		if (substr(s, pos, 1) ~ /[0-9.eE+-]/) fail("bad number")
	}
	function str(   c, k) {
		k = ""
		pos++
		while (1) {
			if (pos > n) fail("unterminated string")
			c = substr(s, pos, 1)
			if (c == "\"") { pos++; return k }
			if (c == "\\") {
				c = substr(s, pos + 1, 1)
				if (c == "u") {
					if (substr(s, pos + 2, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) fail("bad \\u escape")
					k = k "\\u" substr(s, pos + 2, 4); pos += 6; continue
				}
				if (index("\"\\/bfnrt", c) == 0 || c == "") fail("bad escape")
				k = k "\\" c; pos += 2; continue
			}
			if (c < " ") fail("control character in string")
			k = k c; pos++
		}
	}
	function obj(depth,   key, seen, id) {
		id = ++objs
		pos++; ws()
		if (peek() == "}") { pos++; return }
		while (1) {
			ws()
			if (peek() != "\"") fail("expected a key")
			key = str()
			if ((id SUBSEP key) in keys) fail("duplicate key " key)
			keys[id, key] = 1
			ws()
			if (peek() != ":") fail("expected :")
			pos++
			value(depth + 1)
			if (peek() == ",") { pos++; continue }
			if (peek() == "}") { pos++; return }
			fail("expected , or }")
		}
	}
	function arr(depth) {
		pos++; ws()
		if (peek() == "]") { pos++; return }
		while (1) {
			value(depth + 1)
			if (peek() == ",") { pos++; continue }
			if (peek() == "]") { pos++; return }
			fail("expected , or ]")
		}
	}
	{
		s = $0; n = length(s); pos = 1
		if (n == 0) fail("empty input")
		value(0)
		if (pos <= n) fail("trailing data")
	}
	END { if (bad) exit 1; if (NR != 1) { print "json_check: empty input"; exit 1 } }
	' "$1"
}

# prom_check FILE: exit 0 iff FILE is valid Prometheus text exposition
# format 0.0.4 as promtool reads it, held to the stricter rules nsmon
# promises: every family has HELP and TYPE before its samples, a family's
# samples are contiguous, counters end in _total and are >= 0, no series
# twice, label values escaped, a newline at the end; a histogram's
# buckets have le, are cumulative up to le="+Inf", which equals _count.
prom_check() {
	# shellcheck disable=SC2016
	$AWK '
	function fail(msg) { printf "prom_check: line %d: %s: %s\n", NR, msg, $0; bad = 1; exit 1 }
	function name_ok(x) { return x ~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ }
	function value_ok(v) {
		return v ~ /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/ ||
		       v ~ /^[-+]?Inf$/ || v == "NaN"
	}
	/^$/ { next }
	/^#/ {
		if ($0 !~ /^# (HELP|TYPE) /) next	# a plain comment
		if ($2 == "HELP") {
			if (!name_ok($3)) fail("bad metric name")
			if ($3 in help) fail("second HELP")
			if ($3 in done) fail("HELP after its samples")
			help[$3] = 1
			if (length($0) > 0 && $0 ~ /\\[^\\n]/) fail("bad escape in HELP")
			next
		}
		if (NF != 4) fail("TYPE needs a name and a type")
		if (!name_ok($3)) fail("bad metric name")
		if ($4 !~ /^(counter|gauge|histogram|summary|untyped)$/) fail("unknown type")
		if ($3 in type) fail("second TYPE")
		if ($3 in done) fail("TYPE after its samples")
		type[$3] = $4
		next
	}
	{
		line = $0
		if (!match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) fail("bad metric name")
		m = substr(line, 1, RLENGTH); rest = substr(line, RLENGTH + 1)
		labels = ""
		if (substr(rest, 1, 1) == "{") {
			rest = substr(rest, 2); delete seen; nl = 0
			while (substr(rest, 1, 1) != "}") {
				if (!match(rest, /^[a-zA-Z_][a-zA-Z0-9_]*="/)) fail("bad label")
				ln = substr(rest, 1, RLENGTH - 2)
				if (ln ~ /^__/) fail("reserved label name")
				if (ln in seen) fail("duplicate label " ln)
				seen[ln] = 1
				rest = substr(rest, RLENGTH + 1); lv = ""
				while (1) {
					c = substr(rest, 1, 1)
					if (c == "") fail("unterminated label value")
					if (c == "\"") break
					if (c == "\\") {
						c2 = substr(rest, 2, 1)
						if (c2 != "\\" && c2 != "\"" && c2 != "n") fail("bad escape in label value")
						lv = lv c c2; rest = substr(rest, 3); continue
					}
					lv = lv c; rest = substr(rest, 2)
				}
				rest = substr(rest, 2)
				labels = labels ln "=" lv ","
				if (substr(rest, 1, 1) == ",") rest = substr(rest, 2)
				else if (substr(rest, 1, 1) != "}") fail("expected , or }")
			}
			rest = substr(rest, 2)
		}
		if (substr(rest, 1, 1) != " ") fail("expected one space before the value")
		rest = substr(rest, 2)
		nv = split(rest, f, " ")
		if (nv < 1 || nv > 2 || rest ~ /^ | $|  /) fail("expected value [timestamp]")
		if (!value_ok(f[1])) fail("bad value " f[1])
		if (nv == 2 && f[2] !~ /^-?[0-9]+$/) fail("bad timestamp")
		# A histogram family x has the samples x_bucket, x_sum, x_count.
		fam = m
		if (!(m in type) && match(m, /_(bucket|sum|count)$/)) {
			base = substr(m, 1, RSTART - 1)
			if (type[base] == "histogram") fam = base
		}
		if (!(fam in type)) fail("sample without TYPE")
		if (!(fam in help)) fail("sample without HELP")
		if (fam != cur) {
			if (fam in done) fail("samples of " fam " are not together")
			if (cur != "") done[cur] = 1
			cur = fam
		}
		if (type[fam] == "counter") {
			if (m !~ /_total$/) fail("counter without _total")
			if (f[1] ~ /^-/ || f[1] == "NaN") fail("negative counter")
		}
		# Label order does not make a new series.
		nk = split(labels, parts, ","); key = ""
		for (i = 1; i < nk; i++) for (j = i + 1; j < nk; j++) if (parts[j] < parts[i]) { t = parts[i]; parts[i] = parts[j]; parts[j] = t }
		for (i = 1; i < nk; i++) key = key parts[i] ","
		if ((m SUBSEP key) in series) fail("duplicate series")
		series[m, key] = 1
		samples++
		if (type[fam] != "histogram") next
		# Histograms: buckets by le, cumulative (never less than the
		# one before, in increasing le), up to +Inf, which = _count.
		if (fam == m) fail("histogram sample not _bucket, _sum or _count")
		if (m != fam "_sum" && (f[1] ~ /^-/ || f[1] == "NaN")) fail("negative histogram count")
		le = ""; hkey = ""
		for (i = 1; i < nk; i++)
			if (parts[i] ~ /^le=/) le = substr(parts[i], 4)
			else hkey = hkey parts[i] ","
		if (m == fam "_bucket") {
			if (le == "") fail("bucket without le")
			if (le != "+Inf" && !value_ok(le)) fail("bad le")
			if ((fam SUBSEP hkey) in hinf) fail("bucket after le=\"+Inf\"")
			if ((fam SUBSEP hkey) in hle) {
				if (le != "+Inf" && le + 0 <= hle[fam, hkey] + 0) fail("le not increasing")
				if (f[1] + 0 < hcum[fam, hkey] + 0) fail("buckets not cumulative")
			}
			hle[fam, hkey] = le; hcum[fam, hkey] = f[1]
			if (le == "+Inf") hinf[fam, hkey] = f[1]
		} else {
			if (le != "") fail("le on a histogram _sum or _count")
			if (m == fam "_count") hcount[fam, hkey] = f[1]
		}
	}
	END {
		if (bad) exit 1
		if (!samples) { print "prom_check: no samples"; exit 1 }
		for (s in hle) if (!(s in hinf)) { print "prom_check: a histogram series without le=\"+Inf\""; exit 1 }
		for (s in hinf) if (!(s in hcount) || hcount[s] + 0 != hinf[s] + 0) { print "prom_check: a histogram _count that is not its +Inf bucket"; exit 1 }
	}
	' "$1" || return 1
	# The last byte is a newline (awk cannot tell).
	[ "$(tail -c 1 "$1" | od -An -c | tr -d " ")" = '\n' ] ||
		{ echo "prom_check: no newline at the end"; return 1; }
}

[ -n "${NSMON_CLIENT_LIB:-}" ] && return 0

# ---------------------------------------------------------------------------
. "$(dirname "$0")/lib-guest.sh"
check() { # check DESCRIPTION COMMAND...: ok if COMMAND succeeds
	d=$1; shift
	if "$@"; then ok "client: $d"; else notok "client: $d"; fi
}
out=/tmp/client.out err=/tmp/client.err

if ! command -v nsmon >/dev/null; then
	notok "client: /nsmon/bin/nsmon is in the guest (build it: make -C user)"
	exit 0
fi
pid_ns() { stat -L -c %i "/proc/$1/ns/pid"; }
field() { sed -n "s/^$2 //p" "/proc/nsmon/$1"; }
# one_line_err CODE: the last command exited CODE with one line on stderr
one_line_err() { [ "$rc" = "$1" ] && [ "$(wc -l <"$err")" = 1 ] && grep -q "^nsmon: " "$err"; }

# --- module handling through libkmod ---------------------------------------
was_loaded=0
lsmod | grep -q "^nsmon " && was_loaded=1 && rmmod nsmon
nsmon status -n -r -o STATE >"$out" 2>"$err" || true
check "status before load: unloaded" grep -qx unloaded "$out"
rc=0; nsmon list >"$out" 2>"$err" || rc=$?
check "list without the module: exit 1, one line naming ENOENT and the module" \
	one_line_err 1
grep -q "(ENOENT).*not loaded" "$err" || { echo "# $(cat "$err")"; notok "client: the error says the module is not loaded"; }
rc=0; nsmon load /nonexistent/nsmon.ko >"$out" 2>"$err" || rc=$?
check "load of a missing file: exit 1, one line with ENOENT" sh -c "[ $rc = 1 ] && grep -q ENOENT $err && [ \$(wc -l <$err) = 1 ]"
if nsmon load "$NSMON_KO" 2>"$err"; then ok "client: nsmon load $NSMON_KO"; else notok "client: nsmon load $NSMON_KO: $(cat "$err")"; fi
check "the module is loaded (lsmod)" sh -c 'lsmod | grep -q "^nsmon "'
rc=0; nsmon load "$NSMON_KO" >"$out" 2>"$err" || rc=$?
check "second load refused: exit 1, 'already loaded'" sh -c "[ $rc = 1 ] && grep -q 'already loaded' $err"
nsmon status -J >"$out" 2>"$err"
check "status --json is valid JSON" json_check "$out"
nsmon status -n -r -o STATE,VERSION,REFCNT,CLIENT >"$out"
read -r st ver ref cli <"$out"
echo "# status: $st $ver refcnt $ref client $cli"
check "status: live, version = /sys/module/nsmon/version = client version" \
	sh -c "[ '$st' = live ] && [ '$ver' = \"\$(cat /sys/module/nsmon/version)\" ] && [ '$ver' = '$cli' ]"
check "status: refcount = /sys/module/nsmon/refcnt" [ "$ref" = "$(cat /sys/module/nsmon/refcnt)" ]
check "--version prints the client's and the loaded module's versions" [ "$(nsmon --version 2>&1)" = "nsmon $cli (module $ver)" ]

# --- a workload: namespaces nested three deep -------------------------------
unshare -p -f sh -c 'sleep 1000 & sleep 1000 & unshare -p -f sh -c "sleep 1000 & unshare -p -f sh -c \"sleep 1000 & sleep 1000 & wait\"; wait"; wait' &
top=$!
sleep 2
deep=""
for p in $(pidof sleep); do
	[ "$(nspid_depth "$p")" = 4 ] && { deep=$p; break; }
done
if [ -z "$deep" ]; then notok "client: a task four levels deep exists"; kill -9 "$top"; exit 0; fi
d3=$(pid_ns "$deep")
host=$(pid_ns 1)
echo "# deepest task $deep in namespace $d3; NSpid: $(awk '/^NSpid:/ { $1 = ""; print }' "/proc/$deep/status")"
# the parent chain, from the kernel: each level's init
init3=$(field "$d3" init_pid)
d2=$(field "$d3" parent); d1=$(field "$d2" parent)

# Real output of each command, for the README's client section.
for c in "list --tree" "list -o INUM,PARENT,TASKS,FORKS,EXECS,CPU_NS,COMMAND --sort CPU_NS" "show $d3" "show -J -o INUM,TASKS,CPU,COMMAND $d3" "ps $d2" "ps --recursive --processes -o PID,INUM,CHAIN,COMMAND $d1" "pid $d3 1" "pid --host $deep" "status" "--version"; do
	echo "# sample \$ nsmon $c"
	# shellcheck disable=SC2086
	nsmon $c 2>&1 | sed 's/^/# sample /'
done
echo "# sample \$ nsmon metrics | grep -E '^(# (HELP|TYPE) )?nsmon_(up|build_info|namespace_info)'"
nsmon metrics | grep -E '^(# (HELP|TYPE) )?nsmon_(up|build_info|namespace_info)' | sed 's/^/# sample /'
echo "# sample \$ nsmon metrics | grep -E 'nsmon_(context_switches|cpu_seconds)_total{inum=\"$d3\"'"
nsmon metrics | grep -E "nsmon_(context_switches|cpu_seconds)_total\{inum=\"$d3\"" | sed 's/^/# sample /'

# --- list ---------------------------------------------------------------------
# Each namespace's row of `nsmon list` equals the module's row (columns
# that do not move: static ones; counters are compared quiescent below).
nsmon list -r -n -o INUM,LEVEL,PARENT,INIT >"$out"
awk 'NR > 1 { print $1, $2, $3, $4 }' /proc/nsmon/namespaces >/tmp/ns.expect
check "list: INUM LEVEL PARENT INIT of every namespace = /proc/nsmon/namespaces ($(wc -l <"$out") rows)" \
	cmp -s "$out" /tmp/ns.expect
nsmon list -r -n -o INUM,COMMAND >"$out"
check "list COMMAND of $d3 is its init's comm ($(grep "^$d3 " "$out" || true))" grep -q "^$d3 sh$" "$out"
# Quiescent counters: the workload sleeps; compare all counters of $d3.
nsmon list -r -n -o INUM,TASKS,PROCS,FORKS,THREADS,EXECS,EXITS,SWITCHES,VOLUNTARY,INVOLUNTARY,CPU_NS >"$out"
want=$(awk -v i="$d3" '$1 == i { print $1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 }' /proc/nsmon/namespaces)
got=$(grep "^$d3 " "$out" || true)
check "list: every counter of the deepest namespace = /proc/nsmon/namespaces ($got)" [ "$got" = "$want" ]
t=$(count_tasks "$d3"); p=$(count_procs "$d3")
check "list: TASKS/PROCS of $d3 = tasks in /proc with that ns/pid ($t/$p)" \
	[ "$(echo "$got" | awk '{ print $2 "/" $3 }')" = "$t/$p" ]
# --tree: the deepest namespace is drawn under its parent, three deep
nsmon list --tree -o INUM >"$out"
echo "# list --tree:"; sed 's/^/#   /' "$out"
l1=$(grep -n "[^0-9]$d1\$" "$out" | cut -d: -f1) l2=$(grep -n "[^0-9]$d2\$" "$out" | cut -d: -f1) l3=$(grep -n "[^0-9]$d3\$" "$out" | cut -d: -f1)
c1=$(grep "[^0-9]$d1\$" "$out" | awk '{ print index($0, "'"$d1"'") }')
c2=$(grep "[^0-9]$d2\$" "$out" | awk '{ print index($0, "'"$d2"'") }')
c3=$(grep "[^0-9]$d3\$" "$out" | awk '{ print index($0, "'"$d3"'") }')
check "list --tree: levels 1, 2, 3 follow each other, each indented deeper" \
	sh -c "[ -n '$l1' ] && [ $l1 -lt $l2 ] && [ $l2 -lt $l3 ] && [ $c1 -lt $c2 ] && [ $c2 -lt $c3 ]"
nsmon list --tree --json >"$out"
check "list --tree --json is valid JSON" json_check "$out"
nsmon list --json >"$out"
check "list --json is valid JSON" json_check "$out"
check "list --json has one object per namespace" [ "$(grep -c '"inum":' "$out")" = "$(($(wc -l </proc/nsmon/namespaces) - 1))" ]
nsmon list -r -n -o INUM,USER,INIT --pid "$deep" >"$out"
# the owner of the init's /proc entry: its name in /etc/passwd, else the uid
uid=$(stat -c %u "/proc/$init3")
user=$(awk -F: -v u="$uid" '$3 == u { print $1; exit }' /etc/passwd 2>/dev/null || true)
check "list --pid $deep: one line, its namespace $d3, USER = owner of its init (${user:-$uid})" \
	[ "$(cat "$out")" = "$d3 ${user:-$uid} $init3" ]
nsmon list --tree -n -o INUM "$d1" >"$out"
check "list --tree $d1: its subtree, $d1 $d2 $d3" [ "$(tr -cd '0-9\n' <"$out" | tr '\n' ' ')" = "$d1 $d2 $d3 " ]
# --total: d1's tasks include d2's and d3's
nsmon list --total -r -n -o INUM,TASKS >"$out"
t1=$(field "$d1" tasks) t2=$(field "$d2" tasks) t3=$(field "$d3" tasks)
check "list --total: tasks of $d1 = $t1 + $t2 + $t3" [ "$(grep "^$d1 " "$out" | cut -d' ' -f2)" = $((t1 + t2 + t3)) ]

# --- show ---------------------------------------------------------------------
nsmon show --json "$d3" >"$out"
check "show --json is valid JSON" json_check "$out"
bad=""
for k in inum:inum level:level parent:parent init:init_pid tasks:tasks procs:processes forks:forks threads:threads execs:execs exits:exits switches:switches voluntary:voluntary_switches involuntary:involuntary_switches cpu_ns:cpu_ns; do
	v=$(sed -n "s/^ *\"${k%%:*}\": \([0-9.]*\),\{0,1\}\$/\1/p" "$out")
	[ "$v" = "$(field "$d3" "${k#*:}")" ] || bad="$bad ${k%%:*}=$v"
done
check "show --json: every counter = /proc/nsmon/$d3${bad:+ (differ:$bad)}" [ -z "$bad" ]
nsmon show "$d3" >"$out"
echo "# show $d3:"; sed 's/^/#   /' "$out"
if grep -q '^wait_ns ' "/proc/nsmon/$d3"; then
	nw=$(grep '^wait_[lg][te]_' "/proc/nsmon/$d3" | awk '{ c += $2 } END { print c + 0 }')
	rows=$(grep -c ' -> ' "$out" || true)
	if [ "$nw" = 0 ]; then
		check "show: no wait of $d3 counted, 'none counted', no chart" \
			sh -c "grep -qx 'wait_hist: none counted since the module was loaded' $out && [ $rows = 0 ]"
	else
		check "show: the wait chart of $d3 says $nw waits, as many as /proc/nsmon/$d3's buckets, one row per bucket from the first to the last with a count" \
			sh -c "grep -qx 'wait_hist: $nw counted since the module was loaded' $out && [ $rows = \$(grep '^wait_[lg][te]_' /proc/nsmon/$d3 | awk '\$2 > 0 { if (!f) f = NR; l = NR } END { print l - f + 1 }') ]"
	fi
else
	check "show: the wait fields n/a, the chart not available (no CONFIG_SCHED_INFO)" \
		sh -c "grep -qE '^wait_ns +n/a\$' $out && grep -q '^wait_hist: not available' $out"
fi
check "show (for people): 'tasks' and 'cpu' (seconds) lines = /proc/nsmon/$d3" \
	sh -c "grep -qE '^tasks +$(field "$d3" tasks)\$' $out && grep -qE '^cpu +$(($(field "$d3" cpu_ns) / 1000000000))\.[0-9]{3}\$' $out"
check "show: every key of /proc/nsmon/$d3 has a line (the columns come from keys.h)" \
	sh -c "for k in \$(cut -d' ' -f1 /proc/nsmon/$d3); do nsmon show -r -n -o \$k $d3 | grep -q . || exit 1; done"
a=$(nsmon show -J --pid "$deep" | grep '"inum"' || true)
check "show --pid $deep: the namespace of its /proc/$deep/ns/pid" sh -c "echo '$a' | grep -q '\"inum\": $d3,'"
a=$(nsmon show -J "/proc/$deep/ns/pid" | grep '"inum"' || true)
check "show /proc/$deep/ns/pid (an nsfs path)" sh -c "echo '$a' | grep -q '\"inum\": $d3,'"
mkdir -p /tmp/nsbind && : >/tmp/nsbind/pid && mount --bind "/proc/$deep/ns/pid" /tmp/nsbind/pid
a=$(nsmon show -J /tmp/nsbind/pid | grep '"inum"' || true)
check "show via a bind mount of the nsfs file" sh -c "echo '$a' | grep -q '\"inum\": $d3,'"
umount /tmp/nsbind/pid
rc=0; nsmon show /proc/self/ns/mnt >"$out" 2>"$err" || rc=$?
check "show of a mount namespace file: exit 1, 'not a PID namespace'" sh -c "[ $rc = 1 ] && grep -q 'not a PID namespace' $err"
rc=0; nsmon show 12345 >"$out" 2>"$err" || rc=$?
check "show of an unknown namespace: exit 1, one line with ENOENT" sh -c "[ $rc = 1 ] && grep -q '(ENOENT)' $err && [ \$(wc -l <$err) = 1 ]"
rc=0; nsmon show 12x3 >"$out" 2>"$err" || rc=$?
check "show of a malformed number: usage error, exit 2" one_line_err 2
rc=0; nsmon show >"$out" 2>"$err" || rc=$?
check "show without NS: usage error, exit 2" one_line_err 2

# --- ps -----------------------------------------------------------------------
# Every task of $d3, against /proc: PID and the NSpid chain from status.
nsmon ps -r -n -o PID,NSPID,CHAIN,COMMAND "$d3" >"$out"
n=0 bad=0
while read -r pid nspid chain comm; do
	n=$((n + 1))
	truth=$(awk '/^NSpid:/ { $1 = ""; sub(/^ /, ""); gsub(/ /, ","); print }' "/proc/$pid/status")
	if [ "$chain" != "$truth" ] || [ "$nspid" != "${truth##*,}" ] ||
	   [ "$(pid_ns "$pid")" != "$d3" ] || [ "$comm" != "$(cat "/proc/$pid/comm")" ]; then
		bad=$((bad + 1)); echo "# ps: $pid $nspid $chain $comm vs NSpid $truth"
	fi
done <"$out"
check "ps $d3: $n tasks, each PID/NSPID/CHAIN/COMMAND = /proc/PID/status, ns/pid and comm" \
	[ "$n:$bad" = "$(count_tasks "$d3"):0" ]
nsmon ps --json "$d3" >"$out"
check "ps --json is valid JSON" json_check "$out"
truth=$(awk '/^NSpid:/ { $1 = ""; sub(/^ /, ""); gsub(/ /, ", "); print }' "/proc/$deep/status")
check "ps --json: CHAIN of $deep is the array [$truth] of its NSpid" \
	sh -c "tr -d '\n' <$out | sed 's/  */ /g' | grep -q '\"pid\": $deep,[^}]*\"chain\": \[ *$truth *\]'"
nsmon ps -r -n -o PID --processes "$d2" >"$out"
check "ps --processes $d2: $(wc -l <"$out") = processes in /proc with that ns/pid" \
	[ "$(wc -l <"$out")" = "$(count_procs "$d2")" ]
nsmon ps -r -n -o PID,INUM --recursive "$d1" >"$out"
want=$(( $(count_tasks "$d1") + $(count_tasks "$d2") + $(count_tasks "$d3") ))
bad=0
while read -r pid ns; do [ "$(pid_ns "$pid" 2>/dev/null)" = "$ns" ] || bad=$((bad + 1)); done <"$out"
check "ps --recursive $d1: the tasks of $d1, $d2 and $d3 ($want), each INUM its /proc/PID/ns/pid" \
	[ "$(wc -l <"$out"):$bad" = "$want:0" ]

# --- pid (lookup) and pid --host ----------------------------------------------
nsmon pid -r -n -o PID,TGID,COMMAND "$d3" 1 >"$out" 2>"$err"
check "pid $d3 1: the namespace's init, PID $init3" grep -qx "$init3 $init3 sh" "$out"
nr=$(awk '/^NSpid:/ { print $NF }' "/proc/$deep/status")
check "pid $d2 NR (NR from NSpid of $deep at level 2) = $deep" \
	[ "$(nsmon pid -r -n -o PID "$d2" "$(awk '/^NSpid:/ { print $(NF-1) }' "/proc/$deep/status")")" = "$deep" ]
check "pid --pid $deep $nr = $deep" [ "$(nsmon pid -r -n -o PID --pid "$deep" "$nr")" = "$deep" ]
check "pid $host $deep = $deep (the host namespace)" [ "$(nsmon pid -r -n -o PID "$host" "$deep")" = "$deep" ]
nsmon pid --json "$d3" 1 >"$out"
check "pid --json is valid JSON" json_check "$out"
rc=0; nsmon pid "$d3" 999 >"$out" 2>"$err" || rc=$?
echo "# $(cat "$err")"
check "pid of a missing task: exit 1, one line: lookup, ESRCH, 'no task 999'" \
	sh -c "[ $rc = 1 ] && grep -q '^nsmon: /proc/nsmon/lookup: No such process (ESRCH): no task 999 in namespace $d3$' $err && [ \$(wc -l <$err) = 1 ]"
rc=0; nsmon pid 12345 1 >"$out" 2>"$err" || rc=$?
check "pid in an unknown namespace: exit 1, ENOENT from lookup" sh -c "[ $rc = 1 ] && grep -q 'lookup: No such file or directory (ENOENT)' $err"
rc=0; nsmon pid "$d3" 2147483648 >"$out" 2>"$err" || rc=$?
check "pid NR above 2^31-1: usage error, exit 2, malformed" sh -c "[ $rc = 2 ] && grep -q malformed $err"
nsmon pid --host "$deep" -r -n >"$out"
truth=$(awk '/^NSpid:/ { $1 = ""; print }' "/proc/$deep/status" | tr -s ' ' '\n' | grep . || true)
echo "# pid --host $deep:"; sed 's/^/#   /' "$out"
check "pid --host $deep: 4 levels, NR = NSpid of /proc/$deep/status" \
	[ "$(awk '{ print $3 }' "$out")" = "$truth" ]
# The kernel's answer: walk up from $deep by PPid; each ancestor's level is
# its NSpid depth - 1 and its namespace its /proc/PID/ns/pid (nothing from
# the module).
p=$deep truth=""
while [ "$p" -gt 0 ]; do
	truth="$(($(nspid_depth "$p") - 1)):$(pid_ns "$p") $truth"
	p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status")
done
truth=$(echo "$truth" | tr ' ' '\n' | grep . | sort -u | sort -n | tr '\n' ' ')
check "pid --host $deep: LEVEL:INUM of each level = NSpid depth and /proc/PID/ns/pid of its ancestors ($truth)" \
	[ "$(awk '{ printf "%s:%s ", $1, $2 }' "$out")" = "$truth" ]

# --- metrics --------------------------------------------------------------------
nsmon metrics >"$out"
rc=0; prom_check "$out" >"$err" 2>&1 || rc=$?
check "metrics pass the Prometheus format check ($(grep -vc '^#' "$out") samples)" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$err"
want=$(field "$d3" forks)
check "metrics: nsmon_forks_total of $d3 = $want, labelled by inum only" \
	grep -qx "nsmon_forks_total{inum=\"$d3\"} $want" "$out"
check "metrics: nsmon_up 1, build_info module_version = /sys/module/nsmon/version" \
	sh -c "grep -qx 'nsmon_up 1' $out && grep -qx \"nsmon_build_info{client_version=\\\"$cli\\\",module_version=\\\"\$(cat /sys/module/nsmon/version)\\\"} 1\" $out"
check "metrics: nsmon_namespace_info of $d3: level 3, parent $d2, init_pid $init3" \
	grep -qx "nsmon_namespace_info{inum=\"$d3\",level=\"3\",parent=\"$d2\",init_pid=\"$init3\",container=\"\"} 1" "$out"
v=$(field "$d3" voluntary_switches) iv=$(field "$d3" involuntary_switches)
check "metrics: nsmon_context_switches_total of $d3 = voluntary $v, involuntary $iv" \
	sh -c "grep -qx 'nsmon_context_switches_total{inum=\"$d3\",kind=\"voluntary\"} $v' $out && grep -qx 'nsmon_context_switches_total{inum=\"$d3\",kind=\"involuntary\"} $iv' $out"
cpu=$(field "$d3" cpu_ns)
got=$(grep "^nsmon_cpu_seconds_total{inum=\"$d3\"}" "$out" | awk '{ print $2 }' | tr -d .)
check "metrics: cpu seconds of $d3 = cpu_ns $cpu" [ "$(echo "$got" | sed 's/^0*//')" = "$cpu" ]
check "metrics: one nsmon_tasks sample per namespace" \
	[ "$(grep -c '^nsmon_tasks{' "$out")" = "$(($(wc -l </proc/nsmon/namespaces) - 1))" ]
# Run-queue latency (issue 17): the histogram of the quiescent $d3 from its
# /proc file, or nothing when the module has no wait keys (no
# CONFIG_SCHED_INFO).
if grep -q '^wait_ns ' "/proc/nsmon/$d3"; then
	grep '^wait_[lg][te]_' "/proc/nsmon/$d3" | awk '{ c += $2; printf "%s ", c }' >/tmp/want.cum
	grep "^nsmon_wait_seconds_bucket{inum=\"$d3\"," "$out" | awk '{ printf "%s ", $2 }' >/tmp/got.cum
	ws=$(field "$d3" wait_ns)
	gs=$(grep "^nsmon_wait_seconds_sum{inum=\"$d3\"}" "$out" | awk '{ print $2 }' | tr -d . | sed 's/^0*//')
	gc=$(grep "^nsmon_wait_seconds_count{inum=\"$d3\"}" "$out" | awk '{ print $2 }')
	check "metrics: nsmon_wait_seconds of $d3: 22 buckets, the running sums of /proc/nsmon/$d3's ($(cat /tmp/want.cum))" \
		sh -c "[ \$(wc -w </tmp/want.cum) = 22 ] && cmp -s /tmp/want.cum /tmp/got.cum"
	check "metrics: nsmon_wait_seconds_sum of $d3 = wait_ns $ws, _count $gc = the sum of the buckets" \
		sh -c "[ '${gs:-0}' = '$ws' ] && [ '$gc' = \"\$(awk '{ print \$NF }' /tmp/want.cum)\" ]"
	check "metrics: no family per bucket, none for wait_ns alone" \
		sh -c "! grep -q 'nsmon_wait_lt\\|nsmon_wait_ge\\|nsmon_wait_ns\\|nsmon_wait_seconds_total' $out"
	echo "# sample \$ nsmon metrics | grep 'nsmon_wait_seconds.*inum=\"$d3\"'"
	grep "nsmon_wait_seconds.*inum=\"$d3\"" "$out" | sed 's/^/# sample /'
else
	echo "# /proc/nsmon/$d3 has no wait_ns: a kernel without CONFIG_SCHED_INFO"
	check "metrics: no nsmon_wait family without the module's wait keys" sh -c "! grep -q nsmon_wait $out"
fi
# --textfile: a writer replaces the file 40 times while a reader copies it
# as fast as it can; every copy is a whole, valid exposition.
mkdir -p /tmp/tf
nsmon metrics --textfile /tmp/tf
( i=0; while [ $i -lt 40 ]; do nsmon metrics --textfile /tmp/tf || exit 1; i=$((i + 1)); done ) &
writer=$!
reads=0 badreads=0
while kill -0 "$writer" 2>/dev/null; do
	cp /tmp/tf/nsmon.prom /tmp/tf.copy 2>/dev/null || continue
	reads=$((reads + 1))
	prom_check /tmp/tf.copy >/dev/null 2>&1 && grep -qx 'nsmon_up 1' /tmp/tf.copy || badreads=$((badreads + 1))
done
wrc=0; wait "$writer" || wrc=$?
check "metrics --textfile: replaced 40 times while read $reads times, every read a valid whole file, no temporary left" \
	sh -c "[ $wrc = 0 ] && [ $reads -gt 0 ] && [ $badreads = 0 ] && [ \"\$(ls -A /tmp/tf)\" = nsmon.prom ]"

# --- top, without a terminal ------------------------------------------------------
# A busy loop in $d3 for the whole run: its namespace tops the CPU column.
nsenter -t "$deep" -p -- timeout -s KILL 8 sh -c 'while :; do :; done' &
busy=$!
sleep 1
rc=0; nsmon top -n 3 -d 1 >"$out" 2>"$err" || rc=$?
nsmon top -b -J -n 2 -d 0.5 >/tmp/top.json 2>"$err" || rc=$?
kill "$busy" 2>/dev/null || true
echo "# sample \$ nsmon top -n 3 -d 1    (a busy loop runs in $d3)"; sed 's/^/# sample /' "$out"
check "top -n 3 without a tty: exit 0, 3 tables, the first at once with rates '-'" \
	sh -c "[ $rc = 0 ] && [ \$(grep -c '^INUM' $out) = 3 ] && sed -n 2p $out | grep -q ' - '"
# the first table has no rates; the busy namespace tops the two others
first=$(awk 'prev ~ /^INUM/ && ++t > 1 { print $1 } { prev = $0 }' "$out" | sort -u)
cpu_d3=$(awk -v i="$d3" '$1 == i { print $4 }' "$out" | tail -1)
check "top: the namespace running a busy loop is first each time, CPU% $cpu_d3 in 50..200" \
	sh -c "[ '$first' = '$d3' ] && awk -v c=$cpu_d3 'BEGIN { exit !(c >= 50 && c <= 200) }'"
check "top: no escape sequences without a tty" sh -c "! grep -q \"$(printf '\033')\" $out"
n=0 bad=0
while IFS= read -r line; do
	n=$((n + 1)); printf '%s\n' "$line" >/tmp/frame.json
	json_check /tmp/frame.json >/dev/null || bad=$((bad + 1))
done </tmp/top.json
check "top -J -n 2: two lines, each a valid JSON object" [ "$n:$bad" = "2:0" ]
check "top -J: the second frame has the busy namespace first, cpu% > 50" \
	sh -c "sed -n 2p /tmp/top.json | grep -q '\"namespaces\": \[{\"inum\": $d3, [^}]*\"cpu%\": [5-9][0-9]\\.\\|\"namespaces\": \[{\"inum\": $d3, [^}]*\"cpu%\": 1[0-9][0-9]\\.'"
if grep -q '^wait_ns ' "/proc/nsmon/$d3"; then
	check "top -J: wait% of every namespace a number in the second frame, wait_p50/p99 numbers or null" \
		sh -c "sed -n 2p /tmp/top.json | grep -o '\"inum\": [0-9]*, [^}]*' >/tmp/rows && [ \$(grep -c . /tmp/rows) -gt 0 ] && ! grep -v '\"wait%\": [0-9][0-9]*\\.[0-9], \"wait_p50\": \\(null\\|[0-9][0-9]*\\.[0-9]\\), \"wait_p99\": \\(null\\|[0-9][0-9]*\\.[0-9]\\)' /tmp/rows"
else
	check "top -J: no wait key without the module's wait keys" sh -c "! grep -q '\"wait' /tmp/top.json"
fi
rc=0; nsmon top -n 0 >"$out" 2>"$err" || rc=$?
check "top -n 0: usage error, exit 2, malformed count" one_line_err 2
rc=0; nsmon top --bogus >"$out" 2>"$err" || rc=$?
check "top --bogus: usage error, exit 2" one_line_err 2

# --- unload ------------------------------------------------------------------------
for p in $(child_pids "$top"); do kill -9 "$p"; done
wait "$top" 2>/dev/null || true
if nsmon unload 2>"$err"; then ok "client: nsmon unload"; else notok "client: nsmon unload: $(cat "$err")"; fi
check "the module is gone (lsmod)" sh -c '! lsmod | grep -q "^nsmon "'
rc=0; nsmon unload >"$out" 2>"$err" || rc=$?
check "second unload refused: exit 1, 'not loaded'" sh -c "[ $rc = 1 ] && grep -q 'not loaded' $err"
nsmon status -n -r -o STATE >"$out"
check "status after unload: unloaded" grep -qx unloaded "$out"
rc=0; nsmon metrics --textfile /tmp/tf 2>"$err" || rc=$?
prc=0; prom_check /tmp/tf/nsmon.prom >/dev/null || prc=$?
check "metrics --textfile without the module: exit 1, the file says nsmon_up 0 and still parses" \
	sh -c "[ $rc = 1 ] && [ $prc = 0 ] && grep -qx 'nsmon_up 0' /tmp/tf/nsmon.prom"
# leave the module as the suite found it
if [ "$was_loaded" = 1 ]; then insmod "$NSMON_KO"; fi
