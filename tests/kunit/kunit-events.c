// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-events.c - the nsmon_events suite: the filter parser of
 * /proc/nsmon/events and the line format of one event (README.md, "The
 * /proc contract").
 */
#include "nsmon_kunit.h"
#include "events.h"

#define ALL	NSMON_EV_ALL
#define K(k)	BIT(NSMON_EV_##k)

struct nsmon_filter_case {
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int ret;
	unsigned int inum, kinds;
	const char *why;
};

static const struct nsmon_filter_case nsmon_filter_cases[] = {
	{ "", 0, 0, 0, ALL, "empty: reset to everything" },
	{ "\n", 0, 0, 0, ALL, "a newline alone: reset" },
	{ "ns=4026531836", 0, 0, 4026531836U, ALL, "a namespace" },
	{ "ns=0\n", 0, 0, 0, ALL, "ns=0: the view's" },
	{ "ns=4294967295", 0, 0, 4294967295U, ALL, "the largest inum" },
	{ "events=exit", 0, 0, 0, K(EXIT), "one kind" },
	{ "events=fork,thread,exec,exit", 0, 0, 0, ALL, "every kind" },
	{ "events=exec,fork\n", 0, 0, 0, K(EXEC) | K(FORK),
	  "kinds in any order, a newline" },
	{ "ns=7 events=thread", 0, 0, 7, K(THREAD), "both" },
	{ "events=exit ns=7\n", 0, 0, 7, K(EXIT), "both, the other order" },
	{ "ns=", 0, -EINVAL, 0, 0, "no number" },
	{ "ns=01", 0, -EINVAL, 0, 0, "a leading zero" },
	{ "ns=+1", 0, -EINVAL, 0, 0, "a sign" },
	{ "ns=-1", 0, -EINVAL, 0, 0, "negative" },
	{ "ns=0x10", 0, -EINVAL, 0, 0, "hex" },
	{ "ns=4294967296", 0, -EINVAL, 0, 0, "above 32 bits" },
	{ "ns=99999999999999999999999", 0, -EINVAL, 0, 0,
	  "above 64 bits" },
	{ "ns=1 ns=1", 0, -EINVAL, 0, 0, "ns twice" },
	{ "events=", 0, -EINVAL, 0, 0, "no kind" },
	{ "events=fork,", 0, -EINVAL, 0, 0, "a trailing comma" },
	{ "events=,fork", 0, -EINVAL, 0, 0, "a leading comma" },
	{ "events=fork,,exit", 0, -EINVAL, 0, 0, "an empty kind" },
	{ "events=fork,fork", 0, -EINVAL, 0, 0, "a kind twice" },
	{ "events=Fork", 0, -EINVAL, 0, 0, "case matters" },
	{ "events=forks", 0, -EINVAL, 0, 0, "a longer word" },
	{ "events=for", 0, -EINVAL, 0, 0, "a prefix" },
	{ "events=exit events=exit", 0, -EINVAL, 0, 0, "events twice" },
	{ " ns=1", 0, -EINVAL, 0, 0, "a leading space" },
	{ "ns=1 ", 0, -EINVAL, 0, 0, "a trailing space" },
	{ "ns=1  events=exit", 0, -EINVAL, 0, 0, "two spaces" },
	{ "ns=1\tevents=exit", 0, -EINVAL, 0, 0, "a tab" },
	{ "ns=1\n\n", 0, -EINVAL, 0, 0, "two newlines" },
	{ "ns=1\r\n", 0, -EINVAL, 0, 0, "CRLF" },
	{ "NS=1", 0, -EINVAL, 0, 0, "an unknown key" },
	{ "ns 1", 0, -EINVAL, 0, 0, "no '='" },
	{ "ns=1\0", 5, -EINVAL, 0, 0, "a NUL byte" },
	{ "ns=12", 4, 0, 1, ALL, "the length given, not the string" },
};

static void nsmon_filter_case_desc(const struct nsmon_filter_case *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->why);
}

KUNIT_ARRAY_PARAM(nsmon_filter, nsmon_filter_cases, nsmon_filter_case_desc);

static void nsmon_filter_table(struct kunit *test)
{
	const struct nsmon_filter_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->in);
	unsigned int inum = 0xdead, kinds = 0xbeef;
	int ret;

	ret = nsmon_events_parse_filter(c->in, len, &inum, &kinds);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "%s", c->why);
	if (!c->ret) {
		KUNIT_EXPECT_EQ(test, inum, c->inum);
		KUNIT_EXPECT_EQ(test, kinds, c->kinds);
	}
}

/* Longer than NSMON_EVENTS_FILTER_MAX: EINVAL, even if well formed. */
static void nsmon_filter_too_long(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, NSMON_EVENTS_FILTER_MAX + 2,
				  GFP_KERNEL);
	unsigned int inum, kinds;
	size_t n;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* "ns=1" and newlines after it: too long with them, fine without. */
	n = scnprintf(buf, NSMON_EVENTS_FILTER_MAX + 2, "ns=1");
	memset(buf + n, '\n', NSMON_EVENTS_FILTER_MAX + 1 - n);
	ret = nsmon_events_parse_filter(buf, NSMON_EVENTS_FILTER_MAX + 1,
					&inum, &kinds);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	ret = nsmon_events_parse_filter(buf, n, &inum, &kinds);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

/* The line of one event, byte for byte. */
static void nsmon_format_lines(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, NSMON_EV_LINE_MAX, GFP_KERNEL);
	struct nsmon_ev ev = {
		.ts = 123456789012ULL, .inum = 4026532200U, .tgid = 200,
		.ns_tgid = 3, .arg = 100, .kind = NSMON_EV_FORK, .n = 2,
		.comm = "sh", .nspid = { 200, 3 },
	};
	int len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
	KUNIT_EXPECT_STREQ(test, buf,
			   "123456789012 fork 200 200 4026532200 3 3 200,3 100 sh\n");
	KUNIT_EXPECT_EQ(test, len, (int)strlen(buf));

	/* A thread three levels down: pid, chain and ns_pid from nspid[]. */
	ev.kind = NSMON_EV_THREAD;
	ev.n = 3;
	ev.nspid[0] = 301;
	ev.nspid[1] = 17;
	ev.nspid[2] = 5;
	ev.tgid = 300;
	ev.ns_tgid = 4;
	ev.arg = 0;
	strscpy(ev.comm, "a b", sizeof(ev.comm));
	nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
	KUNIT_EXPECT_STREQ(test, buf,
			   "123456789012 thread 301 300 4026532200 5 4 301,17,5 0 a b\n");

	/* exit: a negative code is printed as it is; name escaped. */
	ev.kind = NSMON_EV_EXIT;
	ev.n = 1;
	ev.nspid[0] = 9;
	ev.tgid = 9;
	ev.ns_tgid = 9;
	ev.arg = -1;
	strscpy(ev.comm, "x\ny\\z", sizeof(ev.comm));
	nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
	KUNIT_EXPECT_STREQ(test, buf,
			   "123456789012 exit 9 9 4026532200 9 9 9 -1 x\\ny\\\\z\n");

	/* exec, a name of the full 15 bytes. */
	ev.kind = NSMON_EV_EXEC;
	ev.arg = 9;
	strscpy(ev.comm, "0123456789abcde", sizeof(ev.comm));
	nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
	KUNIT_EXPECT_STREQ(test, buf,
			   "123456789012 exec 9 9 4026532200 9 9 9 9 0123456789abcde\n");
}

/*
 * The numbers, against the kernel's own "%llu" and "%d": every power of
 * ten and its neighbours (where the digit count changes), the limits,
 * and the 32-bit boundary of the 64-bit timestamp.
 */
static void nsmon_format_numbers(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, NSMON_EV_LINE_MAX, GFP_KERNEL);
	char *want = kunit_kzalloc(test, NSMON_EV_LINE_MAX, GFP_KERNEL);
	struct nsmon_ev ev = {
		.kind = NSMON_EV_EXIT, .n = 1, .comm = "c",
	};
	u64 ts[64], p = 1;
	s32 v[40];
	int i, nts = 0, nv = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < 20; i++, p *= 10) {
		ts[nts++] = p;
		ts[nts++] = p - 1;
		ts[nts++] = p + 1;
		if (i < 10) {
			v[nv++] = (s32)p;
			v[nv++] = (s32)p - 1;
			v[nv++] = 1 - (s32)p;
			v[nv++] = -(s32)p;
		}
	}
	ts[nts++] = U64_MAX;
	ts[nts++] = U32_MAX;
	ts[nts++] = (u64)U32_MAX + 1;
	v[0] = INT_MAX;
	v[1] = INT_MIN;
	for (i = 0; i < nts; i++) {
		s32 x = v[i % nv];
		u32 inum = (u32)(ts[i] % ((u64)U32_MAX + 1));

		ev.ts = ts[i];
		ev.inum = inum;
		ev.nspid[0] = x;
		ev.tgid = ~x;
		ev.ns_tgid = x / 7;
		ev.arg = x / 3;
		snprintf(want, NSMON_EV_LINE_MAX, "%llu exit %d %d %u %d %d %d %d c\n",
			 ts[i], x, ~x, inum, x, x / 7, x, x / 3);
		nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
		KUNIT_EXPECT_STREQ(test, buf, want);
	}
}

/* The longest line fits NSMON_EV_LINE_MAX. */
static void nsmon_format_longest(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, NSMON_EV_LINE_MAX, GFP_KERNEL);
	struct nsmon_ev ev = {
		.ts = U64_MAX, .inum = U32_MAX, .tgid = INT_MIN,
		.ns_tgid = INT_MIN, .arg = INT_MIN, .kind = NSMON_EV_THREAD,
		.n = MAX_PID_NS_LEVEL + 1,
	};
	int i, len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i <= MAX_PID_NS_LEVEL; i++)
		ev.nspid[i] = INT_MIN;
	memset(ev.comm, '\n', sizeof(ev.comm) - 1);
	len = nsmon_events_format(buf, NSMON_EV_LINE_MAX, &ev);
	KUNIT_EXPECT_LT(test, len, NSMON_EV_LINE_MAX);
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	KUNIT_EXPECT_EQ(test, len, (int)strlen(buf));
}

static struct kunit_case nsmon_events_cases[] = {
	KUNIT_CASE_PARAM(nsmon_filter_table, nsmon_filter_gen_params),
	KUNIT_CASE(nsmon_filter_too_long),
	KUNIT_CASE(nsmon_format_lines),
	KUNIT_CASE(nsmon_format_numbers),
	KUNIT_CASE(nsmon_format_longest),
	{}
};

struct kunit_suite nsmon_events_suite = {
	.name = "nsmon_events",
	.test_cases = nsmon_events_cases,
};
