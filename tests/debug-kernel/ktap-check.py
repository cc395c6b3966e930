#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ktap-check.py: strict checker of the KTAP that the nsmon KUnit suite prints.

    ktap-check.py [--allow-skip] [--prefix TEXT] [FILE]

Reads one KTAP document (from FILE or stdin; kernel log timestamps such as
"[   12.345678] " are removed first) and fails (exit 1) when:

  - there is no "KTAP version" line, or no plan ("1..N") for the whole run
    or for a suite (a parameterised case has no plan: KUnit prints none);
  - a block has fewer or more results than its plan, or numbers them out of
    order (a crash mid-suite leaves results missing);
  - any result is "not ok", or a parent says "ok" while a child failed;
  - any result is skipped ("# SKIP"), unless --allow-skip.

It prints one line per test case in the project's format: "ok - <prefix>
suite.case", "not ok - ...", and "# ..." diagnostics; parameterised cases
get one line per parameter.  It is written to be as strict as the kernel's
tools/testing/kunit/kunit.py parser, and stricter about skips.
"""
import re
import sys

TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
VERSION = re.compile(r'^(KTAP|TAP) version (\d+)$')
PLAN = re.compile(r'^1\.\.(\d+)$')
RESULT = re.compile(r'^(ok|not ok) (\d+)(?: - | )?([^#]*?)\s*(?:#\s*(SKIP|TODO)\b\s*(.*))?$')
SUBTEST = re.compile(r'^# Subtest: (.*)$')


class Block:
    """One KTAP (sub)document: version, name, plan, results."""

    def __init__(self, indent):
        self.indent = indent
        self.version = None
        self.name = None
        self.plan = None
        self.results = []   # (ok, number, name, directive, reason, child)
        self.diag = []


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


def parse(lines, i, indent):
    """Parse the block whose lines are indented by exactly `indent`."""
    b = Block(indent)
    pending_child = None
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        d = indent_of(line)
        if d < indent:
            break
        if d > indent:
            child, i = parse(lines, i, d)
            if child.plan is None and not child.results:
                # Only diagnostics (e.g. a failed expectation's details).
                b.diag.extend(child.diag)
                continue
            pending_child = child
            continue
        text = line[indent:]
        m = RESULT.match(text)
        if m:
            ok = m.group(1) == 'ok'
            b.results.append((ok, int(m.group(2)), m.group(3).strip(),
                              m.group(4), (m.group(5) or '').strip(),
                              pending_child))
            pending_child = None
            i += 1
            continue
        if pending_child is not None and pending_child.results:
            # A child block must be closed by its parent's result line.
            b.diag.append('child block without a result line')
        if VERSION.match(text) and b.version is None and not b.results:
            b.version = text
        elif SUBTEST.match(text) and b.name is None:
            b.name = SUBTEST.match(text).group(1)
        elif PLAN.match(text) and b.plan is None and not b.results:
            b.plan = int(PLAN.match(text).group(1))
        else:
            b.diag.append(text)
        i += 1
    if pending_child is not None:
        # Lines of a subtest that never got its result: it crashed.
        b.results.append((False, None, pending_child.name or '?', None,
                          'no result line (crashed?)', pending_child))
    return b, i


class Checker:
    def __init__(self, allow_skip, prefix):
        self.allow_skip = allow_skip
        self.prefix = prefix
        self.passed = self.failed = self.skipped = 0
        self.problems = []

    def problem(self, msg):
        self.problems.append(msg)

    def check(self, b, path, need_plan):
        """Check block b; returns True if no result in it says not ok."""
        good = True
        where = path or 'the run'
        if b.plan is None:
            if need_plan:
                self.problem('%s: no plan (1..N)' % where)
        elif b.plan != len(b.results):
            self.problem('%s: plan 1..%d but %d results' %
                         (where, b.plan, len(b.results)))
        for n, (ok, num, name, directive, reason, child) in \
                enumerate(b.results, 1):
            if num is not None and num != n:
                self.problem('%s: result %d is numbered %d' % (where, n, num))
            full = '%s.%s' % (path, name) if path else name
            if child is not None:
                # A suite (top level) must have a plan; parameters do not.
                child_good = self.check(child, full, need_plan=not path)
                if ok and not child_good:
                    self.problem('%s: says ok but a subtest failed' % full)
                if not ok and child_good and child.results:
                    self.problem('%s: not ok (%s)' % (full, reason or
                                 'see the log'))
            else:
                self.leaf(ok, full, directive, reason)
            good = good and ok
        return good

    def leaf(self, ok, name, directive, reason):
        label = '%s%s' % (self.prefix, name)
        if directive == 'SKIP':
            self.skipped += 1
            if self.allow_skip:
                print('ok - %s # SKIP %s' % (label, reason))
            else:
                self.failed += 1
                print('not ok - %s # SKIP %s (a skip is a failure here)' %
                      (label, reason))
        elif ok:
            self.passed += 1
            print('ok - %s' % label)
        else:
            self.failed += 1
            print('not ok - %s%s' % (label, ' (%s)' % reason if reason else ''))


def main(argv):
    allow_skip = False
    prefix = 'kunit: '
    path = None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == '--allow-skip':
            allow_skip = True
        elif a == '--prefix':
            prefix = args.pop(0)
        elif path is None:
            path = a
        else:
            print('usage: ktap-check.py [--allow-skip] [--prefix TEXT] [FILE]',
                  file=sys.stderr)
            return 2
    text = open(path, errors='replace').read() if path else sys.stdin.read()
    lines = [TIMESTAMP.sub('', l.rstrip('\r\n').rstrip()) for l in
             text.splitlines()]
    start = next((i for i, l in enumerate(lines)
                  if VERSION.match(l.strip())), None)
    c = Checker(allow_skip, prefix)
    if start is None:
        print('not ok - %sno KTAP output at all' % prefix)
        return 1
    lines = lines[start:]
    top, end = parse(lines, 0, indent_of(lines[0]))
    c.check(top, '', need_plan=True)
    if end < len(lines):
        c.problem('unparsed lines from "%s"' % lines[end].strip())
    for p in c.problems:
        print('# ktap: %s' % p)
    if c.problems and c.failed == 0:
        print('not ok - %sKTAP output is incomplete or inconsistent' % prefix)
    print('# %s%d passed, %d failed, %d skipped (%d suites)' %
          (prefix, c.passed, c.failed, c.skipped, len(top.results)))
    return 0 if not c.problems and c.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
