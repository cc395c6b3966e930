/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmon_kunit.h - what the files of nsmon_kunit.ko share: the module's
 * internals, the helpers (kunit-main.c) and the suites, one file per area
 * (kunit-upid.c, kunit-table.c, kunit-format.c, kunit-parse.c,
 * kunit-index.c).
 */
#ifndef NSMON_KUNIT_H
#define NSMON_KUNIT_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "nsmon.h"

/* Helpers (kunit-main.c); each is described at its definition. */
struct pid *nsmon_test_find_nested(void);
struct pid_namespace *nsmon_test_fake_ns(struct kunit *test,
					 unsigned int inum,
					 struct pid_namespace *parent);
int nsmon_test_table_init(struct kunit *test);
void nsmon_test_table_exit(struct kunit *test);
struct nsmon_ns *nsmon_test_add(struct kunit *test, struct pid_namespace *ns);
struct seq_file *nsmon_test_seq(struct kunit *test);
const char *nsmon_test_seq_text(struct kunit *test, struct seq_file *m);
__printf(2, 3) char *nsmon_test_sprintf(struct kunit *test,
					const char *fmt, ...);
int nsmon_upid_init(struct kunit *test);
void nsmon_upid_exit(struct kunit *test);
struct pid *nsmon_test_nested_or_skip(struct kunit *test);
void nsmon_test_bump(struct nsmon_ns *e);
void nsmon_test_expect_zero(struct kunit *test, struct nsmon_ns *e);
bool nsmon_wait_progress(atomic_long_t *counter, long from);

/* The suites, in the order kunit-main.c registers them. */
extern struct kunit_suite nsmon_upid_suite;		/* kunit-upid.c */
extern struct kunit_suite nsmon_table_suite;		/* kunit-table.c */
extern struct kunit_suite nsmon_format_suite;		/* kunit-format.c */
extern struct kunit_suite nsmon_format_nested_suite;	/* kunit-format.c */
extern struct kunit_suite nsmon_parse_suite;		/* kunit-parse.c */
extern struct kunit_suite nsmon_index_suite;		/* kunit-index.c */
extern struct kunit_suite nsmon_census_suite;		/* kunit-census.c */
extern struct kunit_suite nsmon_events_suite;		/* kunit-events.c */

#endif /* NSMON_KUNIT_H */
