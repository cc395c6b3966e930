# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# TAP helpers of the runners (sourced, not run).
#
# The tests print "ok - NAME" and "not ok - NAME" (TAP test lines without
# numbers) and "# ..." comments.  Each entry point (run-tests.sh, .ci/run,
# run-vm.sh, debug-kernel/run.sh, kunit.sh) ends its output with a plan,
# "1..N", before its last line, so that prove or any TAP consumer reads
# it, e.g.  prove -e cat build/logs/tap/*.tap  (one file per part of make test).

# tap_filter: pass a command's output on as TAP that says what the
# counters (grep -c "^ok - ", "^not ok - ") count, and nothing else:
#   - test lines pass, with a "#" that a consumer would read as a SKIP or
#     TODO directive escaped ("\#"): a "not ok - x # TODO" must not pass;
#   - comments and blank lines pass;
#   - anything else becomes a comment: build output, a nested stream's
#     plan (one plan per stream), numbered KTAP lines, "Bail out!".
# Line by line (sed -u), so that a long part shows as it runs.
tap_filter() {
	sed -u -e '/^\(not \)\{0,1\}ok - /{' \
		-e 's/\(^\|[^\\]\)#\([[:space:]]*\(skip\|todo\)\)/\1\\#\2/Ig' \
		-e 'b' -e '}' -e '/^#/b' -e '/^$/b' -e 's/^/# /'
}

# tap_count FILE: the number of test lines in FILE (for its plan).
tap_count() {
	grep -c '^\(not \)\{0,1\}ok - ' "$1" || true
}

# part NAME COMMAND...: run one part of a run (run-tests.sh, .ci/run),
# showing its output as TAP and appending it to $out (the caller's file of
# the whole run); with $tap set, also to $tap/NN-NAME.tap with a plan of
# its own.  Every way a part can fail ends in a "not ok" line: its own, or
# one added here when it exits non-zero without one, or when it prints no
# result at all.  Sets part_rc to its exit status.
tap_nparts=0
part() {
	part_name=$1
	shift
	tap_nparts=$((tap_nparts + 1))
	part_file=${out:?part: set out to the file of the run}.part
	[ -z "${tap:-}" ] ||
		part_file=$tap/$(printf %02d "$tap_nparts")-$(echo "$part_name" | tr -cs 'A-Za-z0-9.\n-' '_').tap
	echo "# === $part_name"
	part_t0=$(date +%s)
	rm -f "$out.rc"
	# Not "{ "$@"; echo $? >rc; }": under set -e the group ends at the
	# failing command, before writing its status, and the status read
	# would be an earlier part's.
	{ part_rc=0; "$@" || part_rc=$?; echo "$part_rc" >"$out.rc"; } 2>&1 |
		tap_filter | tee "$part_file"
	part_rc=$(cat "$out.rc" 2>/dev/null || echo "unknown (it wrote none)")
	if [ "$part_rc" != 0 ] && ! grep -q "^not ok - " "$part_file"; then
		echo "not ok - $part_name exited with status $part_rc" | tee -a "$part_file"
	elif [ "$(tap_count "$part_file")" = 0 ]; then
		echo "not ok - $part_name printed no test result (exit status $part_rc)" |
			tee -a "$part_file"
	fi
	cat "$part_file" >>"$out"
	if [ -n "${tap:-}" ]; then
		echo "1..$(tap_count "$part_file")" >>"$part_file"
	else
		rm -f "$part_file"
	fi
	rm -f "$out.rc"
	echo "# $part_name took $(( $(date +%s) - part_t0 )) s"
}

# tap_totals: the plan and the last line, "P passed, F failed", of the
# run whose results are in $out; true if none failed.
tap_totals() {
	tap_passed=$(grep -c "^ok - " "$out" || true)
	tap_failed=$(grep -c "^not ok - " "$out" || true)
	echo "1..$((tap_passed + tap_failed))"
	echo "$tap_passed passed, $tap_failed failed"
	[ "$tap_failed" = 0 ]
}
