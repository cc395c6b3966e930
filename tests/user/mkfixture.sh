#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkfixture.sh TEMPLATE DEST: make a fake proc tree for the client's host
# tests (NSMON_PROC=DEST).  The template names its namespaces @NS0@,
# @NS1@, ...; TEMPLATE/ns-of maps PIDs to them ("109 NS2").  Each PID gets
# DEST/PID/ns/pid, one file per namespace hard-linked between its PIDs, so
# that stat() gives the same inode for the same namespace, as nsfs does;
# those inode numbers then replace the placeholders in every file and file
# name.  Prints "NS0=<inode> NS1=<inode> ..." for eval.
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
echo "${out# }"
