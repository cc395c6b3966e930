// SPDX-License-Identifier: GPL-2.0
/*
 * test-wait: unit tests of the client's run-queue latency code (issue 17):
 * the parsers with and without the wait keys (a module built without
 * CONFIG_SCHED_INFO) and with keys after them, the histogram read from
 * include/nsmon/keys.h, its percentiles and its bar chart (user/hist.c),
 * each against values worked out by hand.  Run on the host under
 * ASan+UBSan and under valgrind by tests/host/client-unit.sh.
 *
 * Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "parse.h"

#include "check.h"

/* ---- the histogram of keys.h ---- */

static const struct hist_def *wait;

static void test_hist_def(void)
{
	char err[NSMON_ERR_MAX] = "";
	int i, ret = hist_init(err, sizeof(err));
	bool bounds = true;

	check(ret == 0 && nhists == 1, "keys.h has one histogram (%d; %s)", nhists, err);
	if (ret || nhists != 1)
		return;
	wait = &hists[0];
	/* Issue 17: bucket 0 under 1 us, bucket i (1..20) up to 2^i us,
	 * bucket 21 from 2^20 us on. */
	for (i = 0; i < 21; i++)
		bounds = bounds && wait->le[i] == 1ULL << i;
	check(!strcmp(wait->name, "wait") && wait->n == 22 &&
	      wait->first == NSMON_KEY_wait_lt_1us &&
	      wait->sum_key == NSMON_KEY_wait_ns && !strcmp(wait->unit, "us") &&
	      wait->per_s == 1e6,
	      "the histogram: 'wait', 22 buckets from wait_lt_1us, total wait_ns, in us");
	check(bounds && wait->le[21] == UINT64_MAX,
	      "its upper bounds: 1, 2, 4, ... 1048576 us, then none");
	check(hist_lo(wait, 0) == 0 && hist_lo(wait, 1) == 1 &&
	      hist_lo(wait, 21) == 1048576, "its lower bounds: 0, 1, ... 1048576 us");
	check(hist_of_key(NSMON_KEY_wait_ns) == -1 &&
	      hist_of_key(NSMON_KEY_wait_lt_1us) == 0 &&
	      hist_of_key(NSMON_KEY_wait_ge_1048576us) == 0 &&
	      hist_of_key(NSK_CPU_NS) == -1, "hist_of_key: the buckets only");
}

/* ---- percentiles ---- */

static void test_quantiles(void)
{
	static const struct {
		const char *what;
		uint64_t c[22];
		double q, want;
	} cases[] = {
		/* rank 5 of 10: the 1st of 4 in [4, 8) -> 4 + 4 * 1/4 */
		{ "4, 4, 2 in [2,4) [4,8) [8,16): p50", { 0, 0, 4, 4, 2 }, 0.5, 5.0 },
		/* rank 9.9: 1.9 of 2 in [8, 16) -> 8 + 8 * 0.95 */
		{ "4, 4, 2 in [2,4) [4,8) [8,16): p99", { 0, 0, 4, 4, 2 }, 0.99, 15.6 },
		/* the fixture's NS1: 81 waits; rank 40.5: 25.5 of 40 in [4, 8) */
		{ "3, 0, 12, 40, 25, 0, 1: p50", { 3, 0, 12, 40, 25, 0, 1 }, 0.5, 6.55 },
		/* rank 80.19: 0.19 of 1 in [32, 64) -> 32 + 32 * 0.19 */
		{ "3, 0, 12, 40, 25, 0, 1: p99", { 3, 0, 12, 40, 25, 0, 1 }, 0.99, 38.08 },
		/* all under 1 us: [0, 1) interpolated from 0 */
		{ "10 under 1 us: p50", { 10 }, 0.5, 0.5 },
		{ "10 under 1 us: p99", { 10 }, 0.99, 0.99 },
		/* rank 2 of 4 reached at the end of bucket 0: its upper bound */
		{ "2, 2: p50 at a bucket's end", { 2, 2 }, 0.5, 1.0 },
		/* in the unbounded bucket: its lower bound, 2^20 us */
		{ "3 of 1 s or more: p50", { [21] = 3 }, 0.5, 1048576.0 },
		{ "1 short, 99 of 1 s or more: p50", { 1, [21] = 99 }, 0.5, 1048576.0 },
		/* rank 0.99 of 1: the one wait, in [512, 1024) us */
		{ "one wait in [512, 1024): p99", { [10] = 1 }, 0.99, 512 + 512 * 0.99 },
	};
	uint64_t zero[22] = { 0 };
	size_t i;

	if (!wait)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got = hist_quantile(wait, cases[i].c, cases[i].q);

		check(fabs(got - cases[i].want) < 1e-9,
		      "quantile: %s = %g (want %g)", cases[i].what, got, cases[i].want);
	}
	check(isnan(hist_quantile(wait, zero, 0.5)) && isnan(hist_quantile(wait, zero, 0.99)),
	      "quantile: no waits at all: NAN");
}

/* ---- the bar chart ---- */

static char *chart(const uint64_t *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	hist_chart(f, wait, c);
	fclose(f);
	return buf;
}

static void test_chart(void)
{
	/* The fixture's NS1: the largest, 40, gets 40 stars, each one star. */
	static const uint64_t c1[22] = { 3, 0, 12, 40, 25, 0, 1 };
	static const char want1[] =
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 3        |***                                     |\n"
		"         1 -> 2          : 0        |                                        |\n"
		"         2 -> 4          : 12       |************                            |\n"
		"         4 -> 8          : 40       |****************************************|\n"
		"         8 -> 16         : 25       |*************************               |\n"
		"        16 -> 32         : 0        |                                        |\n"
		"        32 -> 64         : 1        |*                                       |\n";
	/* Leading empty buckets skipped, the unbounded last row, counts
	 * wider than 8 digits: the count column widens, header too. */
	static const uint64_t c2[22] = { [20] = 123456789012ULL, [21] = 61728394506ULL };
	static const char want2[] =
		"     usecs               : count        distribution\n"
		"    524288 -> 1048576    : 123456789012 |****************************************|\n"
		"   1048576 -> inf        : 61728394506  |********************                    |\n";
	/* 2 of 3: 26.7 stars, rounded down; trailing empty buckets skipped. */
	static const uint64_t c3[22] = { 0, 3, 2 };
	static const char want3[] =
		"     usecs               : count    distribution\n"
		"         1 -> 2          : 3        |****************************************|\n"
		"         2 -> 4          : 2        |**************************              |\n";
	static const uint64_t c0[22];
	char *got;

	if (!wait)
		return;
	got = chart(c1);
	check(got && !strcmp(got, want1), "chart of 3, 0, 12, 40, 25, 0, 1:\n%s", got);
	free(got);
	got = chart(c2);
	check(got && !strcmp(got, want2), "chart of the last two buckets, 12-digit counts:\n%s", got);
	free(got);
	got = chart(c3);
	check(got && !strcmp(got, want3), "chart of 0, 3, 2: stars rounded down:\n%s", got);
	free(got);
	got = chart(c0);
	check(got && !*got, "chart of nothing: no output ('%s')", got ? got : "(null)");
	free(got);
}

/* ---- le labels ---- */

static void test_fmt_float(void)
{
	static const struct {
		double x;
		const char *want;
	} cases[] = {
		{ 1 / 1e6, "1e-06" }, { 2 / 1e6, "2e-06" }, { 8 / 1e6, "8e-06" },
		{ 16 / 1e6, "1.6e-05" }, { 64 / 1e6, "6.4e-05" },
		{ 128 / 1e6, "0.000128" }, { 1024 / 1e6, "0.001024" },
		{ 524288 / 1e6, "0.524288" }, { 1048576 / 1e6, "1.048576" },
		{ 0.5, "0.5" }, { 0, "0" }, { 1e6, "1e+06" }, { 123456, "123456" },
		{ 2468013 / 1e9, "0.002468013" }, { INFINITY, "+Inf" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(!strcmp(fmt_float(buf, sizeof(buf), cases[i].x), cases[i].want),
		      "fmt_float: %s (want %s)", buf, cases[i].want);
}

/* ---- the parsers with and without the wait keys ---- */

/* The keys up to migrations, then @wait (the 23 wait keys or ""), then
 * @tail. */
static const char base_keys[] =
	"inum 4026532198\nlevel 1\nparent 4026531836\ninit_pid 1234\n"
	"tasks 3\nprocesses 2\nforks 10\nthreads 4\nexecs 7\nexits 11\n"
	"switches 900\nvoluntary_switches 850\ninvoluntary_switches 50\n"
	"cpu_ns 123456789\nmigrations 6\n";
static char wait_lines[2048];

static void init_wait_lines(void)
{
	size_t o;
	int i;

	o = (size_t)snprintf(wait_lines, sizeof(wait_lines), "wait_ns 987654321\n");
	/* bucket i holds 100 + i */
	for (i = 0; i < 22; i++)
		o += (size_t)snprintf(wait_lines + o, sizeof(wait_lines) - o, "%s %d\n",
				      nsmon_ns_keys[NSMON_KEY_wait_lt_1us + i], 100 + i);
}

static bool buckets_are(const struct ns_rec *r, int base)
{
	int i;

	for (i = 0; i < 22; i++)
		if (r->v[NSMON_KEY_wait_lt_1us + i] != (uint64_t)(base ? base + i : 0))
			return false;
	return true;
}

static void test_ns_file_wait(void)
{
	char text[8192], err[NSMON_ERR_MAX], *p;
	struct ns_rec r;
	int ret;

	snprintf(text, sizeof(text), "%s%s", base_keys, wait_lines);
	memset(&r, 0xff, sizeof(r));
	ret = parse_ns_file(text, &r, err);
	check(ret == 0 && r.has_wait && r.v[NSMON_KEY_migrations] == 6 &&
	      r.v[NSMON_KEY_wait_ns] == 987654321 && buckets_are(&r, 100),
	      "ns file with the wait keys: has_wait, wait_ns and the 22 buckets");
	snprintf(text, sizeof(text), "%s%sfuture_key 5\nanother 7\n", base_keys, wait_lines);
	ret = parse_ns_file(text, &r, err);
	check(ret == 0 && r.has_wait && r.v[NSMON_KEY_wait_ge_1048576us] == 121,
	      "ns file with unknown keys after the wait keys: read, they ignored");
	memset(&r, 0xff, sizeof(r));
	ret = parse_ns_file(base_keys, &r, err);
	check(ret == 0 && !r.has_wait && r.v[NSMON_KEY_migrations] == 6 &&
	      r.v[NSMON_KEY_wait_ns] == 0 && buckets_are(&r, 0) &&
	      !ns_has(&r, NSMON_KEY_wait_ns) && !ns_has(&r, NSMON_KEY_wait_lt_8us) &&
	      ns_has(&r, NSMON_KEY_migrations),
	      "ns file without the wait keys (no CONFIG_SCHED_INFO): !has_wait, they read 0");
	snprintf(text, sizeof(text), "%sfuture_key 5\n", base_keys);
	memset(&r, 0xff, sizeof(r));
	ret = parse_ns_file(text, &r, err);
	check(ret == 0 && !r.has_wait && r.v[NSMON_KEY_wait_ns] == 0,
	      "ns file without the wait keys, an unknown key after migrations: no wait keys (%s)",
	      ret ? err : "");
	/* a wait group cut short */
	snprintf(text, sizeof(text), "%s%s", base_keys, wait_lines);
	p = strstr(text, "wait_lt_8us");
	*p = '\0';
	err[0] = '\0';
	ret = parse_ns_file(text, &r, err);
	check(ret == -EINVAL && strstr(err, "missing key 'wait_lt_8us'"),
	      "ns file with the wait keys cut short: missing key named (%s)", err);
	/* a bucket misnamed */
	snprintf(text, sizeof(text), "%s%s", base_keys, wait_lines);
	p = strstr(text, "wait_lt_4us");
	p[8] = '5';
	err[0] = '\0';
	ret = parse_ns_file(text, &r, err);
	check(ret == -EINVAL && strstr(err, "expected key 'wait_lt_4us', found 'wait_lt_5us'"),
	      "ns file with a bucket misnamed: rejected (%s)", err);
	/* the buckets without wait_ns: not a module without the keys */
	snprintf(text, sizeof(text), "%s%s", base_keys, strchr(wait_lines, '\n') + 1);
	err[0] = '\0';
	ret = parse_ns_file(text, &r, err);
	check(ret == -EINVAL && strstr(err, "expected key 'wait_ns', found 'wait_lt_1us'"),
	      "ns file with the buckets but no wait_ns: rejected (%s)", err);
}

/* A namespaces table: the base columns, the wait columns when @wait,
 * then @extra columns named x1, x2... (value 9); two rows. */
static void table(char *buf, size_t size, bool with_wait, int extra, const char *bad)
{
	size_t o = 0;
	int row, k, i;

	for (row = 0; row < 3; row++) {
		for (k = 0; k < NSK_COUNT; k++) {
			if (!with_wait && k >= NSK_WAIT_FIRST && k < NSK_WAIT_END)
				continue;
			if (!row)
				o += (size_t)snprintf(buf + o, size - o, "%s%s", k ? " " : "",
						      nsmon_ns_keys[k]);
			else if (k == NSK_INUM)
				o += (size_t)snprintf(buf + o, size - o, "%llu", 4026531836ULL + (unsigned)row);
			else if (k == NSK_PARENT || k == NSK_LEVEL)
				o += (size_t)snprintf(buf + o, size - o, " 0");
			else if (bad && !strcmp(nsmon_ns_keys[k], bad) && row == 2)
				o += (size_t)snprintf(buf + o, size - o, " x");
			else
				o += (size_t)snprintf(buf + o, size - o, " %d", row * 1000 + k);
		}
		for (i = 1; i <= extra; i++)
			o += (size_t)snprintf(buf + o, size - o, row ? " 9" : " x%d", i);
		o += (size_t)snprintf(buf + o, size - o, "\n");
	}
}

static void test_namespaces_wait(void)
{
	char text[16384], err[NSMON_ERR_MAX];
	struct ns_rec *r;
	size_t n;
	int ret;

	table(text, sizeof(text), true, 0, NULL);
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == 0 && n == 2 && r[0].has_wait && r[1].has_wait &&
	      r[1].v[NSMON_KEY_wait_ns] == 2000 + NSMON_KEY_wait_ns &&
	      r[1].v[NSMON_KEY_wait_ge_1048576us] == 2000 + NSMON_KEY_wait_ge_1048576us &&
	      r[0].v[NSMON_KEY_migrations] == 1000 + NSMON_KEY_migrations,
	      "namespaces with the wait columns: read (%s)", ret ? err : "");
	free(r);
	table(text, sizeof(text), true, 2, NULL);
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == 0 && n == 2 && r[1].has_wait &&
	      r[1].v[NSMON_KEY_wait_ge_1048576us] == 2000 + NSMON_KEY_wait_ge_1048576us,
	      "namespaces with unknown columns after the wait columns: read (%s)", ret ? err : "");
	free(r);
	table(text, sizeof(text), false, 0, NULL);
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == 0 && n == 2 && !r[0].has_wait && !r[1].has_wait &&
	      r[1].v[NSMON_KEY_wait_ns] == 0 && buckets_are(&r[1], 0) &&
	      r[1].v[NSMON_KEY_migrations] == 2000 + NSMON_KEY_migrations,
	      "namespaces without the wait columns (no CONFIG_SCHED_INFO): read, !has_wait (%s)",
	      ret ? err : "");
	free(r);
	table(text, sizeof(text), false, 3, NULL);
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == 0 && n == 2 && !r[1].has_wait &&
	      r[1].v[NSMON_KEY_migrations] == 2000 + NSMON_KEY_migrations,
	      "namespaces without the wait columns, unknown ones after migrations: read (%s)",
	      ret ? err : "");
	free(r);
	table(text, sizeof(text), true, 0, "wait_lt_4us");
	err[0] = '\0';
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == -EINVAL && strstr(err, "line 3: malformed number 'x' for wait_lt_4us"),
	      "namespaces: a letter in a bucket column, named (%s)", err);
	/* the header cut inside the wait columns: the rows as wide */
	table(text, sizeof(text), true, 0, NULL);
	{
		char *h = strstr(text, " wait_lt_8us"), *nl = strchr(text, '\n');

		memmove(h, nl, strlen(nl) + 1);
	}
	err[0] = '\0';
	ret = parse_namespaces(text, &r, &n, err);
	check(ret == -EINVAL && strstr(err, "no column 'wait_lt_8us'"),
	      "namespaces: a header with only some wait columns: rejected (%s)", err);
}

int main(void)
{
	init_wait_lines();
	test_hist_def();
	test_quantiles();
	test_chart();
	test_fmt_float();
	test_ns_file_wait();
	test_namespaces_wait();
	printf("# test-wait: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
