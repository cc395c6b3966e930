// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - the strict parser of /proc/nsmon/lookup requests, and the
 * escaping of task names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string_helpers.h>
#include <linux/sched.h>

#include "nsmon.h"

/*
 * Parse one decimal number of at least one digit from [*p, end), at most
 * @max.  No sign, no spaces, no base prefixes: kstrtou*() would accept a
 * leading '+' and stop at a newline, which is not what the contract says.
 */
static bool nsmon_parse_dec(const char **p, const char *end, u64 max,
			    u64 *val)
{
	const char *s = *p;
	u64 v = 0;

	while (s < end && isdigit(*s)) {
		v = v * 10 + (*s - '0');	/* v <= max < 2^32: no wrap */
		if (v > max)
			return false;
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*val = v;
	return true;
}

/**
 * nsmon_parse_lookup() - parse a /proc/nsmon/lookup request
 * @buf: the request, not NUL-terminated
 * @len: its length
 * @inum: set to the namespace's inode number
 * @nr: set to the PID
 *
 * A request is exactly "<inum> <nr>": two decimal numbers, one space, and
 * optionally one newline at the end (so that echo works).  inum must fit
 * an inode number (32 bits), nr a pid_t.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int nsmon_parse_lookup(const char *buf, size_t len, unsigned int *inum,
		       pid_t *nr)
{
	const char *p = buf, *end = buf + len;
	u64 a, b;

	if (len > NSMON_LOOKUP_MAX)
		return -EINVAL;
	if (len && end[-1] == '\n')
		end--;
	if (!nsmon_parse_dec(&p, end, U32_MAX, &a))
		return -EINVAL;
	if (p == end || *p++ != ' ')
		return -EINVAL;
	if (!nsmon_parse_dec(&p, end, INT_MAX, &b) || p != end)
		return -EINVAL;
	*inum = a;
	*nr = b;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_parse_lookup);

/**
 * nsmon_escape_name() - a task name as /proc/<pid>/status prints it
 * @buf: where to write it
 * @size: the size of @buf
 * @comm: the name, NUL-terminated within TASK_COMM_LEN bytes
 *
 * The name as on the Name: line: newlines and backslashes escaped, the
 * rest as it is.  @buf is always terminated.
 *
 * Return: the length written.
 */
size_t nsmon_escape_name(char *buf, size_t size, const char *comm)
{
	int n;

	n = string_escape_str(comm, buf, size - 1,
			      ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	n = min_t(int, n, size - 1);
	buf[n] = '\0';
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_escape_name);

/**
 * nsmon_escape_comm() - a task's name as /proc/<pid>/status prints it
 * @buf: where to write it
 * @size: the size of @buf
 * @t: the task
 *
 * nsmon_escape_name() of @t's name.
 *
 * Return: the length written.
 */
size_t nsmon_escape_comm(char *buf, size_t size, struct task_struct *t)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, t);
	return nsmon_escape_name(buf, size, comm);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_escape_comm);
