// SPDX-License-Identifier: GPL-2.0
/*
 * test-parse: unit tests of the client's parsers (user/parse.c), run on the
 * host under ASan+UBSan and under valgrind by tests/host/client-unit.sh.
 *
 *   test-parse FIXTURE_DIR     (a tree made by tests/user/mkfixture.sh)
 *
 * Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nsmon/nsmon.h>
#include "parse.h"

#include "check.h"

/* ---- numbers ---- */

static void test_numbers(void)
{
	static const struct {
		const char *s;
		uint64_t max;
		int ret;
		uint64_t v;
	} cases[] = {
		{ "0", 10, 0, 0 },
		{ "7", 10, 0, 7 },
		{ "10", 10, 0, 10 },
		{ "11", 10, -ERANGE, 0 },
		{ "007", 10, 0, 7 },	/* leading zeros: decimal, like the module */
		{ "4294967295", UINT32_MAX, 0, 4294967295ULL },
		{ "4294967296", UINT32_MAX, -ERANGE, 0 },
		{ "2147483647", INT_MAX, 0, 2147483647 },
		{ "2147483648", INT_MAX, -ERANGE, 0 },
		{ "18446744073709551615", UINT64_MAX, 0, UINT64_MAX },
		{ "18446744073709551616", UINT64_MAX, -ERANGE, 0 },
		{ "99999999999999999999999", UINT64_MAX, -ERANGE, 0 },
		{ "", 10, -EINVAL, 0 },
		{ "+1", 10, -EINVAL, 0 },
		{ "-1", 10, -EINVAL, 0 },
		{ " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 },
		{ "1\n", 10, -EINVAL, 0 },
		{ "0x1", 10, -EINVAL, 0 },
		{ "1e3", 5000, -EINVAL, 0 },
		{ "1.0", 10, -EINVAL, 0 },
		{ "٣", 10, -EINVAL, 0 },	/* a non-ASCII digit */
		{ "12a", 100, -EINVAL, 0 },
		{ "99999999999999999999x", UINT64_MAX, -EINVAL, 0 },	/* EINVAL wins */
	};
	size_t i;
	uint32_t inum;
	pid_t pid;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 12345;
		int ret = parse_u64(cases[i].s, cases[i].max, &v);

		check(ret == cases[i].ret && (ret || v == cases[i].v) &&
		      (!ret || v == 12345),
		      "parse_u64('%s', max %llu) = %d (want %d), value %llu",
		      cases[i].s, (unsigned long long)cases[i].max, ret,
		      cases[i].ret, (unsigned long long)v);
	}
	check(parse_u64n("123456", 3, 1000, &(uint64_t){0}) == 0,
	      "parse_u64n reads only its length");
	check(parse_inum("4026531836", &inum) == 0 && inum == 4026531836u,
	      "parse_inum of a real inode number");
	check(parse_inum("4294967296", &inum) == -ERANGE, "parse_inum: 2^32 is out of range");
	check(parse_pid("2147483647", &pid) == 0 && pid == INT_MAX, "parse_pid: 2^31-1");
	check(parse_pid("2147483648", &pid) == -ERANGE, "parse_pid: 2^31 is out of range");
	check(parse_pid("-5", &pid) == -EINVAL, "parse_pid: no sign");
}

/*
 * Keys added to include/nsmon/keys.h after cpu_ns (after these tests were
 * written): the good inputs below get them with value 0, so that adding a
 * counter needs no edit here.
 */
/*
 * The contract's 14 columns, binding; the keys added after cpu_ns
 * (include/nsmon/keys.h) are appended by fill_table().
 */
#define CONTRACT_COLUMNS \
	"inum level parent init_pid tasks processes forks threads execs " \
	"exits switches voluntary_switches involuntary_switches cpu_ns"

static char extra_hdr[1024], extra_cols[256], extra_lines[2048];

static void init_extra(void)
{
	size_t h = 0, c = 0, l = 0;
	int k;

	for (k = NSK_CPU_NS + 1; k < NSK_COUNT; k++) {
		h += (size_t)snprintf(extra_hdr + h, sizeof(extra_hdr) - h, " %s",
				      nsmon_ns_keys[k]);
		c += (size_t)snprintf(extra_cols + c, sizeof(extra_cols) - c, " 0");
		l += (size_t)snprintf(extra_lines + l, sizeof(extra_lines) - l,
				      "%s 0\n", nsmon_ns_keys[k]);
	}
}

/* A namespaces table with the extra keys: header and every row. */
static const char *fill_table(const char *t, char *out, size_t size)
{
	size_t o = 0;
	int line = 0;

	for (; *t && o + 1 < size; t++) {
		if (*t == '\n')
			o += (size_t)snprintf(out + o, size - o, "%s",
					      line++ ? extra_cols : extra_hdr);
		if (o + 1 < size)
			out[o++] = *t;
	}
	out[o < size ? o : size - 1] = '\0';
	return out;
}

/* ---- /proc/nsmon/<inum> ---- */

static const char ns_good[] =
	"inum 4026532198\nlevel 1\nparent 4026531836\ninit_pid 1234\n"
	"tasks 3\nprocesses 2\nforks 10\nthreads 4\nexecs 7\nexits 11\n"
	"switches 900\nvoluntary_switches 850\ninvoluntary_switches 50\n"
	"cpu_ns 123456789\n";

static void test_ns_file(void)
{
	static const struct {
		const char *what, *text;
	} bad[] = {
		{ "empty", "" },
		{ "a key missing", "inum 1\nlevel 1\n" },
		{ "keys out of order", "level 1\ninum 1\n" },
		{ "two spaces", "inum  1\n" },
		{ "tab instead of space", "inum\t1\n" },
		{ "negative", "inum -1\n" },
		{ "no value", "inum \n" },
		{ "no newline at the end",
		  "inum 1\nlevel 1\nparent 0\ninit_pid 1\ntasks 1\nprocesses 1\n"
		  "forks 1\nthreads 0\nexecs 0\nexits 0\nswitches 0\n"
		  "voluntary_switches 0\ninvoluntary_switches 0\ncpu_ns 5" },
		{ "inum above 2^32-1", "inum 4294967296\n" },
		{ "level above 32", "inum 1\nlevel 33\n" },
		{ "CRLF", "inum 1\r\n" },
		{ "an extra key without value",
		  "inum 1\nlevel 1\nparent 0\ninit_pid 1\ntasks 1\nprocesses 1\n"
		  "forks 1\nthreads 0\nexecs 0\nexits 0\nswitches 0\n"
		  "voluntary_switches 0\ninvoluntary_switches 0\ncpu_ns 5\nnew\n" },
		{ "an extra key with a bad value",
		  "inum 1\nlevel 1\nparent 0\ninit_pid 1\ntasks 1\nprocesses 1\n"
		  "forks 1\nthreads 0\nexecs 0\nexits 0\nswitches 0\n"
		  "voluntary_switches 0\ninvoluntary_switches 0\ncpu_ns 5\nnew x\n" },
		{ "an extra key in capitals",
		  "inum 1\nlevel 1\nparent 0\ninit_pid 1\ntasks 1\nprocesses 1\n"
		  "forks 1\nthreads 0\nexecs 0\nexits 0\nswitches 0\n"
		  "voluntary_switches 0\ninvoluntary_switches 0\ncpu_ns 5\nNEW 1\n" },
	};
	char err[NSMON_ERR_MAX], more[8192], good[4096];
	struct ns_rec r;
	size_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	err[0] = '\0';
	snprintf(good, sizeof(good), "%s%s", ns_good, extra_lines);
	ret = parse_ns_file(good, &r, err);
	check(ret == 0 && r.v[NSK_INUM] == 4026532198ULL && r.v[NSK_LEVEL] == 1 &&
	      r.v[NSK_PARENT] == 4026531836ULL && r.v[NSK_INIT_PID] == 1234 &&
	      r.v[NSK_TASKS] == 3 && r.v[NSK_PROCESSES] == 2 &&
	      r.v[NSK_FORKS] == 10 && r.v[NSK_THREADS] == 4 &&
	      r.v[NSK_EXECS] == 7 && r.v[NSK_EXITS] == 11 &&
	      r.v[NSK_SWITCHES] == 900 && r.v[NSK_VOLUNTARY] == 850 &&
	      r.v[NSK_INVOLUNTARY] == 50 && r.v[NSK_CPU_NS] == 123456789,
	      "ns file: the contract's example parses to its values (%s)", err);
	snprintf(more, sizeof(more), "%snew_key 5\nanother 18446744073709551615\n",
		 good);
	check(parse_ns_file(more, &r, err) == 0 && r.v[NSK_CPU_NS] == 123456789,
	      "ns file: more keys may follow");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ret = parse_ns_file(bad[i].text, &r, err);
		check(ret == -EINVAL && err[0], "ns file rejected: %s (%s)",
		      bad[i].what, err);
	}
}

/* ---- /proc/nsmon/namespaces ---- */

static void test_namespaces(void)
{
	static const char good[] =
		CONTRACT_COLUMNS "\n"
		"4026531836 0 0 1 59 59 5 0 5 3 848 669 179 2381629851\n"
		"4026532121 1 4026531836 103 4 4 4 0 5 0 9 5 4 27946527\n"
		"4026532124 2 4026532121 108 2 2 2 0 3 0 2 2 0 13129252\n";
	static const char more_cols[] =
		"4026531836 0 0 1 59 59 5 0 5 3 848 669 179 2381629851";
	static const char tabs[] =
		CONTRACT_COLUMNS "\n"
		"4026531836\t0  0 1 59 59 5 0 5 3 848 669 179 2381629851\n";
	static const struct {
		const char *what, *text;
	} bad[] = {
		{ "empty", "" },
		{ "no header", "4026531836 0 0 1 59 59 5 0 5 3 848 669 179 2381629851\n" },
		{ "wrong header", "inum level parent\n" },
		{ "header with columns swapped",
		  "level inum parent init_pid tasks processes forks threads execs "
		  "exits switches voluntary_switches involuntary_switches cpu_ns\n" },
		{ "a short row", CONTRACT_COLUMNS "\n1 0 0 1 59\n" },
		{ "a long row", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 1 1 1 1 1 1 1 1\n" },
		{ "a letter", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 x 1 1 1 1 1 1\n" },
		{ "a sign", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 -1 1 1 1 1 1 1\n" },
		{ "leading blank", CONTRACT_COLUMNS "\n 1 0 0 1 1 1 1 1 1 1 1 1 1 1\n" },
		{ "trailing blank", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 1 1 1 1 1 1 1 \n" },
		{ "empty line", CONTRACT_COLUMNS "\n\n" },
		{ "no final newline", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 1 1 1 1 1 1 1" },
		{ "inum 2^32", CONTRACT_COLUMNS "\n4294967296 0 0 1 1 1 1 1 1 1 1 1 1 1\n" },
		{ "a counter above 2^64-1",
		  CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 1 1 1 1 1 1 18446744073709551616\n" },
		{ "a namespace twice", CONTRACT_COLUMNS "\n1 0 0 1 1 1 1 1 1 1 1 1 1 1\n"
		  "1 0 0 1 1 1 1 1 1 1 1 1 1 1\n" },
	};
	char err[NSMON_ERR_MAX], buf[4096];
	struct ns_rec *r;
	size_t n, i;
	int ret;

	ret = parse_namespaces(fill_table(good, buf, sizeof(buf)), &r, &n, err);
	check(ret == 0 && n == 3 && r[2].v[NSK_INUM] == 4026532124ULL &&
	      r[2].v[NSK_PARENT] == 4026532121ULL && r[1].v[NSK_INIT_PID] == 103 &&
	      r[0].v[NSK_CPU_NS] == 2381629851ULL && r[0].v[NSK_SWITCHES] == 848,
	      "namespaces: README's sample parses to its values");
	free(r);
	ret = parse_namespaces(fill_table(CONTRACT_COLUMNS "\n", buf, sizeof(buf)),
			       &r, &n, err);
	check(ret == 0 && n == 0, "namespaces: a header alone is an empty table");
	free(r);
	/* more columns than this client knows, after the ones it knows */
	snprintf(buf, sizeof(buf), "%s extra\n%s%s 77\n", ns_header(),
		 more_cols, extra_cols);
	ret = parse_namespaces(buf, &r, &n, err);
	check(ret == 0 && n == 1 && r[0].v[NSK_CPU_NS] == 2381629851ULL,
	      "namespaces: more columns may follow");
	free(r);
	ret = parse_namespaces(fill_table(tabs, buf, sizeof(buf)), &r, &n, err);
	check(ret == 0 && n == 1, "namespaces: any run of blanks separates columns");
	free(r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ret = parse_namespaces(bad[i].text, &r, &n, err);
		check(ret == -EINVAL && !r && n == 0 && err[0],
		      "namespaces rejected: %s (%s)", bad[i].what, err);
	}
}

/* ---- /proc/nsmon/pids ---- */

static void test_pids(void)
{
	static const char good[] =
		NSMON_PIDS_COLUMNS "\n"
		"1 1 4026531836 1 1 1 init\n"
		"108 108 4026532124 1 1 108,5,1 sleep\n"
		"110 108 4026532124 3 1 110,7,3 my thread\n"
		"111 111 4026531836 111 111 111 \n"
		"112 112 4026531836 112 112 112 a\\nb\\\\c\n";
	static const struct {
		const char *what, *text;
	} bad[] = {
		{ "no header", "1 1 4026531836 1 1 1 init\n" },
		{ "a different header", "pid tgid ns ns_pid ns_tgid comm\n" },
		{ "no comm separator", NSMON_PIDS_COLUMNS "\n1 1 4026531836 1 1 1\n" },
		{ "a short row", NSMON_PIDS_COLUMNS "\n1 1 4026531836 1 init\n" },
		{ "pid with a sign", NSMON_PIDS_COLUMNS "\n+1 1 4026531836 1 1 1 x\n" },
		{ "two spaces", NSMON_PIDS_COLUMNS "\n1  1 4026531836 1 1 1 x\n" },
		{ "trailing comma", NSMON_PIDS_COLUMNS "\n1 1 4026531836 1 1 1, x\n" },
		{ "empty chain element", NSMON_PIDS_COLUMNS "\n1 1 4026531836 1 1 1,,2 x\n" },
		{ "pid 2^31", NSMON_PIDS_COLUMNS "\n2147483648 1 4026531836 1 1 1 x\n" },
		{ "ns 2^32", NSMON_PIDS_COLUMNS "\n1 1 4294967296 1 1 1 x\n" },
		{ "a pid twice", NSMON_PIDS_COLUMNS "\n1 1 4 1 1 1 x\n1 1 4 1 1 1 y\n" },
		{ "no final newline", NSMON_PIDS_COLUMNS "\n1 1 4 1 1 1 x" },
		{ "a comm of 200 bytes", NSMON_PIDS_COLUMNS "\n1 1 4 1 1 1 "
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" },
		{ "34 levels", NSMON_PIDS_COLUMNS "\n1 1 4 1 1 "
		  "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34 x\n" },
	};
	char err[NSMON_ERR_MAX];
	struct pid_rec *r;
	size_t n, i;
	int ret;

	ret = parse_pids(good, &r, &n, err);
	check(ret == 0 && n == 5, "pids: a table of 5 rows parses (%s)", ret ? err : "");
	if (!ret && n == 5) {
		check(r[1].pid == 108 && r[1].tgid == 108 && r[1].ns == 4026532124u &&
		      r[1].ns_pid == 1 && r[1].ns_tgid == 1 && r[1].nlevels == 3 &&
		      r[1].nspid[0] == 108 && r[1].nspid[1] == 5 && r[1].nspid[2] == 1 &&
		      !strcmp(r[1].comm, "sleep"),
		      "pids: a task three levels deep: pid, tgid, ns, chain, comm");
		check(r[2].tgid == 108 && r[2].ns_pid == 3 && r[2].ns_tgid == 1 &&
		      !strcmp(r[2].comm, "my thread"),
		      "pids: a thread; comm is the rest of the line, spaces included");
		check(!strcmp(r[3].comm, ""), "pids: an empty comm");
		check(!strcmp(r[4].comm, "a\\nb\\\\c"), "pids: an escaped comm stays escaped");
	}
	free(r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ret = parse_pids(bad[i].text, &r, &n, err);
		check(ret == -EINVAL && !r && err[0], "pids rejected: %s (%s)",
		      bad[i].what, err);
	}
}

/*
 * Issue 14 bug 4: `ps` of 100k tasks took 10 s, its duplicate check being
 * quadratic.  The parsers now sort and check neighbours, and say so in
 * their contract: rows come back sorted (by pid, by inum), a duplicate is
 * found wherever its twin is, and lookups are binary searches.  Timing is
 * not tested (a shared machine); the sorted contract is.
 */
static unsigned int rnd_state = 12345;

static unsigned int rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void test_scaling(void)
{
	const size_t n = 100000;
	unsigned int *perm = calloc(n, sizeof(*perm));
	size_t i, len = 0, cap = n * (64 + strlen(extra_cols)) + 256, nr;
	char *text = malloc(cap), err[NSMON_ERR_MAX];
	struct pid_rec *pr;
	struct ns_rec *nr_;
	bool sorted = true, found = true;
	int ret;

	for (i = 0; i < n; i++)
		perm[i] = (unsigned int)i + 1;
	for (i = n - 1; i > 0; i--) {	/* shuffle */
		size_t j = rnd() % (i + 1);
		unsigned int t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	len = (size_t)sprintf(text, "%s\n", NSMON_PIDS_COLUMNS);
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%u %u 4026531836 %u %u %u t%u\n",
				       perm[i], perm[i], perm[i], perm[i], perm[i], perm[i]);
	ret = parse_pids(text, &pr, &nr, err);
	for (i = 1; !ret && i < nr; i++)
		if (pr[i - 1].pid >= pr[i].pid)
			sorted = false;
	check(ret == 0 && nr == n && sorted && pr[0].pid == 1 &&
	      !strcmp(pr[n - 1].comm, "t100000"),
	      "pids: 100000 shuffled rows come back sorted by pid (%s)", ret ? err : "");
	free(pr);
	/* the first row again, at the very end */
	len += (size_t)sprintf(text + len, "%u 1 4026531836 1 1 1 again\n", perm[0]);
	ret = parse_pids(text, &pr, &nr, err);
	check(ret == -EINVAL && !pr && strstr(err, "listed twice"),
	      "pids: a pid twice, 100000 rows apart, is found (%s)", err);

	len = (size_t)sprintf(text, "%s\n", ns_header());
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%u 1 1 1 1 1 1 1 1 1 1 1 1 %u%s\n",
				       perm[i] * 7, perm[i], extra_cols);
	ret = parse_namespaces(text, &nr_, &nr, err);
	sorted = true;
	for (i = 1; !ret && i < nr; i++)
		if (nr_[i - 1].v[NSK_INUM] >= nr_[i].v[NSK_INUM])
			sorted = false;
	for (i = 0; !ret && i < n; i += 997) {
		long at = find_ns(nr_, nr, (uint64_t)perm[i] * 7);

		if (at < 0 || nr_[at].v[NSK_CPU_NS] != perm[i])
			found = false;
	}
	check(ret == 0 && nr == n && sorted,
	      "namespaces: 100000 shuffled rows come back sorted by inum (%s)", ret ? err : "");
	check(!ret && found && find_ns(nr_, nr, 3) < 0 && find_ns(nr_, nr, 0) < 0 &&
	      find_ns(nr_, 0, 7) < 0,
	      "find_ns(): every 997th namespace found by binary search, absent ones not");
	free(nr_);
	len += (size_t)sprintf(text + len, "%u 1 1 1 1 1 1 1 1 1 1 1 1 1%s\n",
			       perm[0] * 7, extra_cols);
	ret = parse_namespaces(text, &nr_, &nr, err);
	check(ret == -EINVAL && !nr_ && strstr(err, "listed twice"),
	      "namespaces: a namespace twice, 100000 rows apart, is found (%s)", err);
	free(text);
	free(perm);
}

/* Issue 14 bug 8 (a CRLF header's error showed two names that looked the
 * same) and issue 15 (the keys come from include/nsmon/keys.h). */
static void test_quote_and_keys(void)
{
	char q[64], err[NSMON_ERR_MAX], hdr[1024];
	struct ns_rec *r;
	size_t n;
	int ret;

	check(!strcmp(quote_bytes(q, sizeof(q), "a\r\tb\\\xff", 6, 40),
		      "a\\r\\tb\\x5c\\xff"),
	      "quote_bytes(): CR, tab, backslash and 0xff made visible (%s)", q);
	check(strlen(quote_bytes(q, 8, "abcdefghijk", 11, 40)) == 7,
	      "quote_bytes(): never past its buffer");
	snprintf(hdr, sizeof(hdr), "%s\r\n", ns_header());
	ret = parse_namespaces(hdr, &r, &n, err);
	check(ret == -EINVAL && strstr(err, "\\r', expected '"),
	      "namespaces: a CRLF header is named with its \\r (%s)", err);
	check((int)NSK_COUNT == (int)NSMON_NKEYS && !strcmp(nsmon_keys[NSK_CPU_NS].key, "cpu_ns") &&
	      !strcmp(nsmon_keys[NSK_CPU_NS].unit, "ns") &&
	      nsmon_keys[NSK_INUM].kind == NSMON_KIND_ID &&
	      nsmon_keys[NSK_FORKS].kind == NSMON_KIND_COUNTER && nsmon_keys[NSK_FORKS].sum &&
	      !strcmp(nsmon_ns_keys[NSK_VOLUNTARY], "voluntary_switches"),
	      "the key table is include/nsmon/keys.h's list");
	check(!strncmp(ns_header(), CONTRACT_COLUMNS, strlen(CONTRACT_COLUMNS)) &&
	      (ns_header()[strlen(CONTRACT_COLUMNS)] == ' ' ||
	       !ns_header()[strlen(CONTRACT_COLUMNS)]),
	      "the namespaces header from keys.h starts with the contract's CONTRACT_COLUMNS");
}

/* ---- /proc/nsmon/lookup ---- */

static void test_lookup(void)
{
	static const char *const bad[] = {
		"", "4026532124 1 108 108 sleep", "4026532124 1 108 108\n",
		"4026532124 1 108 sleep\n", "4026532124 x 108 108 sleep\n",
		"4294967296 1 108 108 sleep\n", "4026532124 1 108 108 sleep\nmore\n",
		"4026532124  1 108 108 sleep\n",
	};
	char buf[128], err[NSMON_ERR_MAX];
	struct lookup_rec r;
	size_t i;
	int len;

	check(parse_lookup("4026532124 1 108 108 sleep\n", &r, err) == 0 &&
	      r.inum == 4026532124u && r.nr == 1 && r.pid == 108 && r.tgid == 108 &&
	      !strcmp(r.comm, "sleep"), "lookup: the README's answer parses");
	check(parse_lookup("7 3 110 108 my thread\n", &r, err) == 0 &&
	      !strcmp(r.comm, "my thread") && r.tgid == 108,
	      "lookup: comm with a space");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		check(parse_lookup(bad[i], &r, err) == -EINVAL && err[0],
		      "lookup answer rejected: '%.30s' (%s)", bad[i], err);
	}
	len = format_lookup(buf, sizeof(buf), 4026532124u, 7);
	check(len == 13 && !strcmp(buf, "4026532124 7\n"),
	      "lookup request: '<inum> <nr>\\n' (%d bytes)", len);
	len = format_lookup(buf, sizeof(buf), UINT32_MAX, INT_MAX);
	check(len > 0 && len <= NSMON_LOOKUP_MAX && !strcmp(buf, "4294967295 2147483647\n"),
	      "lookup request: the largest one fits NSMON_LOOKUP_MAX");
	check(format_lookup(buf, 5, 4026532124u, 7) == -EINVAL,
	      "lookup request: a small buffer is refused, not overrun");
}

/* ---- /proc/PID/status ---- */

static void test_status(void)
{
	static const struct {
		const char *what, *text;
	} bad[] = {
		{ "no NSpid line", "Name:\tx\nPid:\t5\n" },
		{ "empty NSpid", "NSpid:\n" },
		{ "NSpid with a letter", "NSpid:\t5\tx\n" },
		{ "NSpid 0", "NSpid:\t5\t0\n" },
		{ "NSpid without separator", "NSpid:5\n" },
		{ "no final newline", "NSpid:\t5" },
	};
	char err[NSMON_ERR_MAX];
	pid_t p[NSMON_MAX_LEVELS];
	size_t n = 0, i;

	check(parse_status_nspid("Name:\tsleep\nNStgid:\t9\t8\t7\nNSpid:\t109\t6\t2\nNSpgid:\t1\n",
				 p, NSMON_MAX_LEVELS, &n, err) == 0 &&
	      n == 3 && p[0] == 109 && p[1] == 6 && p[2] == 2,
	      "status: NSpid of a task three levels deep (not NStgid/NSpgid)");
	check(parse_status_nspid("NSpid:\t1\n", p, NSMON_MAX_LEVELS, &n, err) == 0 &&
	      n == 1 && p[0] == 1, "status: NSpid of init");
	check(parse_status_nspid("NSpid:\t1\t2\t3\n", p, 2, &n, err) == -EINVAL,
	      "status: more levels than room is refused, not overrun");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		check(parse_status_nspid(bad[i].text, p, NSMON_MAX_LEVELS, &n, err) == -EINVAL &&
		      err[0], "status rejected: %s (%s)", bad[i].what, err);
	}
}

/* ---- files below NSMON_PROC, and NS arguments ---- */

static void test_files(const char *fx)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], *text;
	struct stat st, st2;
	struct ns_rec *r;
	uint32_t inum;
	size_t len, n;
	int ret;

	setenv("NSMON_PROC", fx, 1);
	check(!strcmp(proc_root(), fx), "proc_root() follows $NSMON_PROC");
	ret = proc_path(path, sizeof(path), "nsmon/%s", NSMON_PROC_NAMESPACES);
	check(ret == 0 && !strncmp(path, fx, strlen(fx)) &&
	      !strcmp(path + strlen(fx), "/nsmon/namespaces"),
	      "proc_path() below the root: %s", path);
	check(proc_path(err, 8, "nsmon/%s", NSMON_PROC_NAMESPACES) == -ENAMETOOLONG,
	      "proc_path() refuses to truncate");
	ret = read_file(path, &text, &len);
	check(ret == 0 && len == strlen(text), "read_file() of the fixture table (%zu bytes)", len);
	if (!ret) {
		ret = parse_namespaces(text, &r, &n, err);
		check(ret == 0 && n == 3, "the fixture table parses (%s)", ret ? err : "");
		if (!ret) {
			/* mkfixture.sh named namespaces by the inodes of
			 * their ns/pid files: they must agree. */
			proc_path(path, sizeof(path), "109/ns/pid");
			check(stat(path, &st) == 0 && r[2].v[NSK_INUM] == st.st_ino,
			      "fixture: the deepest namespace is 109's ns/pid inode");
		}
		free(r);
		free(text);
	}
	ret = read_file("/nonexistent/nsmon/namespaces", &text, &len);
	check(ret == -ENOENT && !text, "read_file() of a missing file: -ENOENT");
	ret = read_file(fx, &text, &len);
	check(ret == -EISDIR, "read_file() of a directory: -EISDIR (%d)", ret);
	/* Issue 14 bug 8: no size bound, /dev/urandom grew it to 32 GiB. */
	ret = read_file("/dev/zero", &text, &len);
	check(ret == -EFBIG && !text, "read_file() of /dev/zero: -EFBIG, not all memory (%d)", ret);

	proc_path(path, sizeof(path), "108/ns/pid");
	stat(path, &st);
	ret = ns_of_pid(109, &inum, err);
	check(ret == 0 && inum == st.st_ino,
	      "--pid 109: the inode of <root>/109/ns/pid, shared with 108");
	ret = ns_of_pid(4242, &inum, err);
	check(ret == -ENOENT && strstr(err, "4242/ns/pid") && strstr(err, "(ENOENT)"),
	      "--pid of a missing process: ENOENT, named (%s)", err);

	/* Paths: real nsfs files of this (host) process. */
	ret = ns_of_path("/proc/self/ns/pid", &inum, err);
	check(ret == 0 && stat("/proc/self/ns/pid", &st2) == 0 && inum == st2.st_ino,
	      "path /proc/self/ns/pid: its nsfs inode %u (%s)", inum, ret ? err : "");
	ret = ns_of_arg("/proc/self/ns/pid_for_children", &inum, err);
	check(ret == 0, "path pid_for_children is a PID namespace too (%s)", ret ? err : "");
	ret = ns_of_path("/proc/self/ns/net", &inum, err);
	check(ret == -EINVAL && strstr(err, "not a PID namespace"),
	      "path /proc/self/ns/net: refused, not a PID namespace (%s)", err);
	ret = ns_of_path(path, &inum, err);
	check(ret == -ENOTTY && strstr(err, "not a namespace file"),
	      "a regular file is not a namespace (%s)", err);
	ret = ns_of_path("/nonexistent/ns/pid", &inum, err);
	check(ret == -ENOENT && strstr(err, "(ENOENT)"), "a missing path: ENOENT (%s)", err);
	ret = ns_of_arg("4026531836", &inum, err);
	check(ret == 0 && inum == 4026531836u, "an inode number argument");
	ret = ns_of_arg("4026531836x", &inum, err);
	check(ret == -EINVAL && strstr(err, "malformed"), "a malformed NS argument (%s)", err);
	ret = ns_of_arg("99999999999", &inum, err);
	check(ret == -ERANGE && strstr(err, "out of range"), "an NS argument above 2^32-1 (%s)", err);
	ret = ns_of_arg("", &inum, err);
	check(ret == -EINVAL, "an empty NS argument");
	check(!strcmp(errno_name(ESRCH), "ESRCH") && !strcmp(errno_name(ENOENT), "ENOENT"),
	      "errno names");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-parse FIXTURE_DIR\n");
		return 2;
	}
	init_extra();
	test_numbers();
	test_ns_file();
	test_namespaces();
	test_pids();
	test_lookup();
	test_status();
	test_scaling();
	test_quote_and_keys();
	test_files(argv[1]);
	printf("# test-parse: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
