# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# TAP helpers of the runners (sourced, not run).
#
# The tests print "ok - NAME" and "not ok - NAME" (TAP test lines without
# numbers) and "# ..." comments.  Each entry point (run-tests.sh, .ci/run,
# run-vm.sh, debug-kernel/run.sh, kunit.sh) ends its output with a plan,
# "1..N", before its last line, so that prove or any TAP consumer reads
# it, e.g.  prove -e cat build/logs/tap/  (one file per part of make test).

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
