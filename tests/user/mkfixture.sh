#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkfixture.sh TEMPLATE DEST: make a fake proc tree for the client's host
# tests (NSMON_PROC=DEST).  The template names its namespaces @NS0@,
# @NS1@, ...; TEMPLATE/ns-of maps PIDs to them ("109 NS2").  Each PID gets
# DEST/PID/ns/pid, one file per namespace hard-linked between its PIDs, so
# that stat() gives the same inode for the same namespace, as nsfs does;
# those inode numbers then replace the placeholders in every file and file
# name.  Keys of include/nsmon/keys.h after the template's last one (a
# counter added since the template was written) are appended with value
# 0, to the namespaces table and to every per-namespace file, so that
# adding a key needs no fixture edit.  Prints "NS0=<inode> NS1=<inode> ..."
# for eval.
set -eu
tmpl=$1 dest=$2
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$tmpl/." "$dest/"
rm -f "$dest/ns-of"
store=$dest/.nsfiles
mkdir -p "$store"
subst=""
out=""
while read -r pid label; do
	[ -n "$pid" ] || continue
	if [ ! -e "$store/$label" ]; then
		: >"$store/$label"
		ino=$(stat -c %i "$store/$label")
		subst="$subst s/@$label@/$ino/g;"
		out="$out $label=$ino"
	fi
	mkdir -p "$dest/$pid/ns"
	ln "$store/$label" "$dest/$pid/ns/pid"
done <"$tmpl/ns-of"
find "$dest" -type f ! -path "$store/*" ! -path '*/ns/pid' | while read -r f; do
	sed -i "$subst" "$f"
done
for f in "$dest"/nsmon/@*@; do
	[ -e "$f" ] || continue
	mv "$f" "$(dirname "$f")/$(basename "$f" | sed "$subst")"
done
keysh=$(dirname "$0")/../../include/nsmon/keys.h
keys=$(sed -n 's/^[[:space:]]*NSMON_\(VAL\|CTR\)(\([a-z_0-9]*\),.*/\2/p' "$keysh")
t=$dest/nsmon/namespaces
if [ -f "$t" ] && [ "$(head -c 5 "$t")" = "inum " ]; then
	have=$(head -1 "$t" | wc -w)
	extra=$(echo "$keys" | tail -n +$((have + 1)) | tr '\n' ' ')
	if [ -n "$extra" ]; then
		awk -v extra="$extra" '{ n = split(extra, e, " "); line = $0
			for (i = 1; i <= n; i++) line = line " " (NR == 1 ? e[i] : 0)
			print line }' "$t" >"$t.new" && mv "$t.new" "$t"
	fi
fi
for f in "$dest"/nsmon/[0-9]*; do
	if [ ! -f "$f" ] || [ "$(head -c 5 "$f")" != "inum " ]; then continue; fi
	have=$(wc -l <"$f")
	echo "$keys" | tail -n +$((have + 1)) | while read -r k; do
		[ -n "$k" ] && echo "$k 0" >>"$f"
	done
done
echo "${out# }"
