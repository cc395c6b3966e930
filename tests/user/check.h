/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h: the TAP-style check() shared by the client's host unit tests
 * (test-parse.c, test-wait.c, test-container.c): "ok - ..." or
 * "not ok - ...", one line per check whatever the inputs it quotes
 * contain; failures and checks are counted for the summary.
 */
#ifndef NSMON_TEST_CHECK_H
#define NSMON_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int failures, checks;

static void check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void check(bool cond, const char *fmt, ...)
{
	char line[2048], *p;
	va_list ap;

	checks++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = '|';
	printf("%s%s\n", cond ? "ok - " : "not ok - ", line);
	if (!cond)
		failures++;
}

#endif /* NSMON_TEST_CHECK_H */
