// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-parse.c - the nsmon_parse suite: the strict parser of
 * /proc/nsmon/lookup requests, "<inum> <nr>" exactly.
 */
#include "nsmon_kunit.h"

/* ------------------------------------------------------------------ */
/* nsmon_parse: "<inum> <nr>", exactly                                 */
/* ------------------------------------------------------------------ */

struct nsmon_parse_case {
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int ret;
	unsigned int inum;
	pid_t nr;
	const char *why;
};

static const struct nsmon_parse_case nsmon_parse_cases[] = {
	{ "4026531836 1", 0, 0, 4026531836U, 1, "the basic form" },
	{ "4026531836 1\n", 0, 0, 4026531836U, 1, "one newline: echo works" },
	{ "0 0", 0, 0, 0, 0, "zeroes parse (the lookup then says ESRCH)" },
	{ "4294967295 2147483647", 0, 0, 4294967295U, 2147483647,
	  "the largest inum (u32) and nr (pid_t)" },
	{ "007 08", 0, 0, 7, 8, "leading zeroes are still decimal" },
	{ "", 0, -EINVAL, 0, 0, "empty" },
	{ "\n", 0, -EINVAL, 0, 0, "just a newline" },
	{ "1", 0, -EINVAL, 0, 0, "one number" },
	{ "1 ", 0, -EINVAL, 0, 0, "second number missing" },
	{ " 1 2", 0, -EINVAL, 0, 0, "leading space" },
	{ "1  2", 0, -EINVAL, 0, 0, "two spaces" },
	{ "1\t2", 0, -EINVAL, 0, 0, "a tab is not a space" },
	{ "1 2 ", 0, -EINVAL, 0, 0, "trailing space" },
	{ "1 2 3", 0, -EINVAL, 0, 0, "three numbers" },
	{ "1 2\n\n", 0, -EINVAL, 0, 0, "two newlines" },
	{ "1 2\r\n", 0, -EINVAL, 0, 0, "CRLF" },
	{ "1\n2", 0, -EINVAL, 0, 0, "newline as separator" },
	{ "+1 2", 0, -EINVAL, 0, 0, "a sign (kstrtouint would take it)" },
	{ "1 -2", 0, -EINVAL, 0, 0, "negative nr" },
	{ "0x10 2", 0, -EINVAL, 0, 0, "hex prefix" },
	{ "1 2x", 0, -EINVAL, 0, 0, "trailing garbage" },
	{ "1x 2", 0, -EINVAL, 0, 0, "garbage in the inum" },
	{ "4294967296 1", 0, -EINVAL, 0, 0, "inum overflows 32 bits" },
	{ "1 2147483648", 0, -EINVAL, 0, 0, "nr overflows pid_t" },
	{ "99999999999999999999999 1", 0, -EINVAL, 0, 0,
	  "overflows even 64 bits" },
	{ "1 2\0", 4, -EINVAL, 0, 0, "a NUL byte after the request" },
	{ "1\0 2", 4, -EINVAL, 0, 0, "a NUL byte inside" },
	{ "1 2", 1, -EINVAL, 0, 0, "length cuts the request short" },
};

static void nsmon_parse_case_desc(const struct nsmon_parse_case *c,
				  char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->why);
}

KUNIT_ARRAY_PARAM(nsmon_parse, nsmon_parse_cases, nsmon_parse_case_desc);

/*
 * Each request is parsed with its exact length (a write() gives bytes,
 * not a C string).  On failure the outputs must stay untouched.
 */
static void nsmon_parse_table(struct kunit *test)
{
	const struct nsmon_parse_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->in);
	unsigned int inum = 0xdead;
	pid_t nr = 0xbeef;
	int ret;

	ret = nsmon_parse_lookup(c->in, len, &inum, &nr);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "%s", c->why);
	if (c->ret == 0) {
		KUNIT_EXPECT_EQ(test, inum, c->inum);
		KUNIT_EXPECT_EQ(test, nr, c->nr);
	} else {
		KUNIT_EXPECT_EQ(test, inum, 0xdeadU);
		KUNIT_EXPECT_EQ(test, nr, 0xbeef);
	}
}

/*
 * Requests are at most NSMON_LOOKUP_MAX (64) bytes, newline included:
 * exactly 64 passes, 65 is refused before a single digit is looked at.
 */
static void nsmon_parse_length_limit(struct kunit *test)
{
	char buf[NSMON_LOOKUP_MAX + 2];
	unsigned int inum;
	pid_t nr;

	/* "000...0001 2\n", padded with leading zeroes to 64 bytes. */
	memset(buf, '0', sizeof(buf));
	buf[NSMON_LOOKUP_MAX - 5] = '1';
	memcpy(buf + NSMON_LOOKUP_MAX - 4, " 12\n", 4);
	KUNIT_EXPECT_EQ(test, nsmon_parse_lookup(buf, NSMON_LOOKUP_MAX, &inum,
						 &nr), 0);
	KUNIT_EXPECT_EQ(test, inum, 1U);
	KUNIT_EXPECT_EQ(test, nr, 12);

	/* One more leading zero: 65 bytes. */
	memset(buf, '0', sizeof(buf));
	buf[NSMON_LOOKUP_MAX - 4] = '1';
	memcpy(buf + NSMON_LOOKUP_MAX - 3, " 12\n", 4);
	KUNIT_EXPECT_EQ(test, nsmon_parse_lookup(buf, NSMON_LOOKUP_MAX + 1,
						 &inum, &nr), -EINVAL);
}

static struct kunit_case nsmon_parse_test_cases[] = {
	KUNIT_CASE_PARAM(nsmon_parse_table, nsmon_parse_gen_params),
	KUNIT_CASE(nsmon_parse_length_limit),
	{}
};

struct kunit_suite nsmon_parse_suite = {
	.name = "nsmon_parse",
	.test_cases = nsmon_parse_test_cases,
};
