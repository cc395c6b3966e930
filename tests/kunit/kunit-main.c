// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-main.c - nsmon_kunit.ko, the KUnit tests of nsmon's internals,
 * and a guided tour of how Linux numbers its tasks.  This file holds the
 * course, the helpers the suites share and the list of suites; each suite
 * is in a file of its own area (nsmon_kunit.h lists them).
 *
 * Run it with `make kunit` (see tests/debug-kernel/README.md): that boots
 * a debug kernel in QEMU, loads nsmon.ko and then this module, and prints
 * the KTAP results.
 *
 * A short course in PID namespaces, which every test below relies on:
 *
 *  - struct pid_namespace is one PID number space.  The initial one,
 *    init_pid_ns, has level 0; unshare(CLONE_NEWPID) or clone(CLONE_NEWPID)
 *    makes a child namespace one level deeper, with ->parent pointing up.
 *    Each has an inode number (ns->ns.inum), which is what
 *    `stat -L -c %i /proc/<pid>/ns/pid` prints and what names the files
 *    under /proc/nsmon/.
 *
 *  - struct pid is one task's identity (also used for process groups and
 *    sessions).  A task in a namespace at level L is visible from L + 1
 *    namespaces: its own and every ancestor, with a different number in
 *    each.  So a struct pid carries pid->level = L and an array
 *    pid->numbers[0..L] of struct upid { nr, ns }: numbers[0] is the
 *    number in init_pid_ns (the "global" PID the host sees), numbers[L]
 *    the number the task sees itself with (what getpid() returns).
 *
 *  - The task's *active* namespace is numbers[level].ns, what
 *    task_active_pid_ns() returns.  A task never changes it: unshare()
 *    only changes where its future children go.  nsmon accounts every
 *    event to the active namespace.
 *
 *  - Going from a number to a task: find_pid_ns(nr, ns) looks nr up in
 *    ns's idr and returns the struct pid, pid_task() the task using it.
 *    Going from a task to a number: pid_nr_ns(pid, ns), which is just
 *    numbers[ns->level].nr if numbers[ns->level].ns == ns, and 0 when the
 *    task is not visible from ns (ns is not on its chain).
 *
 * The suites: nsmon_upid (the walk above, on real tasks: kunit-upid.c),
 * nsmon_table (the namespace table: kunit-table.c), nsmon_format and
 * nsmon_format_nested (every /proc/nsmon file's text: kunit-format.c),
 * nsmon_parse (the strict parser of /proc/nsmon/lookup requests:
 * kunit-parse.c) and nsmon_index (the inum index: kunit-index.c).
 */
#include "nsmon_kunit.h"

NSMON_IMPORT_KUNIT_NS();

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/*
 * The deepest task the guest left running for us.  A module cannot easily
 * make a PID namespace of its own (that takes a new task created with
 * CLONE_NEWPID), so tests/debug-kernel/kunit-guest/ starts `unshare -p -f` three
 * deep with a `sleep` at the bottom before it loads this suite.  We find
 * it the way /proc/nsmon/pids walks tasks: find_ge_pid() over the numbers
 * of init_pid_ns, which sees every task of the system.
 *
 * Returns a counted reference (put_pid() it) or NULL.
 */
struct pid *nsmon_test_find_nested(void)
{
	struct pid *pid, *best = NULL;
	int nr = 1;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, &init_pid_ns))) {
		/* pid->level > 0: the task lives in a child namespace. */
		if (pid->level > (best ? best->level : 0) &&
		    pid_task(pid, PIDTYPE_PID))
			best = pid;
		nr = pid_nr(pid) + 1;
	}
	best = get_pid(best);	/* get_pid(NULL) is NULL */
	rcu_read_unlock();
	return best;
}

/*
 * A stand-in pid_namespace for the table and formatting tests, whose
 * inode number, level and parent we choose.  The table only ever reads
 * those fields, looks for PID 1 in ns->idr (empty here: "init has
 * exited") and takes and drops references.  We hold one reference of our
 * own for the whole test, so the table's put_pid_ns() never frees it.
 */
struct pid_namespace *nsmon_test_fake_ns(struct kunit *test,
					 unsigned int inum,
					 struct pid_namespace *parent)
{
	struct pid_namespace *ns;

	ns = kunit_kzalloc(test, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ns);
	idr_init(&ns->idr);
	refcount_set(NSMON_NS_REFCOUNT(ns), 1);
#ifdef NSMON_HAVE_NS_REF
	/* Not one of the initial namespaces, whose references are not counted. */
	ns->ns.ns_id = U64_MAX - inum;
#endif
	ns->ns.inum = inum;
	ns->parent = parent;
	ns->level = parent ? parent->level + 1 : 0;
	return ns;
}

/* A table of the test's own, independent of the one nsmon.ko runs on. */
int nsmon_test_table_init(struct kunit *test)
{
	struct nsmon_table *tbl;

	tbl = kunit_kzalloc(test, sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	if (nsmon_table_init(tbl))
		return -ENOMEM;
	test->priv = tbl;
	return 0;
}

void nsmon_test_table_exit(struct kunit *test)
{
	/* Frees the entries still in the table (and drops their ns refs). */
	nsmon_table_destroy(test->priv);
}

struct nsmon_ns *nsmon_test_add(struct kunit *test, struct pid_namespace *ns)
{
	struct nsmon_ns *e;
	bool created;

	e = nsmon_table_get_or_create(test->priv, ns, &created);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e);
	KUNIT_EXPECT_TRUE(test, created);
	/* Into the inum index, as the sync work or a reader would. */
	KUNIT_EXPECT_EQ(test, nsmon_table_index(test->priv), 0);
	return e;
}

/* A seq_file that prints into a zeroed page, as seq_read() would. */
struct seq_file *nsmon_test_seq(struct kunit *test)
{
	struct seq_file *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->size = PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	return m;
}

/* The text a seq_file holds so far, NUL-terminated. */
const char *nsmon_test_seq_text(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

/* A string that lives as long as the test, like kasprintf(). */
__printf(2, 3) char *nsmon_test_sprintf(struct kunit *test,
					const char *fmt, ...)
{
	const size_t size = 2048;
	va_list ap;
	char *s;

	s = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	va_start(ap, fmt);
	vsnprintf(s, size, fmt, ap);
	va_end(ap);
	return s;
}

/* The suite's per-test state: the nested task the guest started. */
int nsmon_upid_init(struct kunit *test)
{
	test->priv = nsmon_test_find_nested();
	return 0;
}

void nsmon_upid_exit(struct kunit *test)
{
	put_pid(test->priv);
}

struct pid *nsmon_test_nested_or_skip(struct kunit *test)
{
	struct pid *pid = test->priv;

	if (!pid)
		kunit_skip(test,
			   "no task in a nested PID namespace (the guest starts one)");
	return pid;
}

/* Add to every counter of @e on every CPU, as the probes would. */
void nsmon_test_bump(struct nsmon_ns *e)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nsmon_stats *s = nsmon_ns_stats(e, cpu);

		s->forks += 5;
		s->threads += 2;
		s->exits += 4;
		s->execs += 1;
		s->switches += 13;
		s->voluntary_switches += 10;
		s->cpu_ns += 1000;
		s->tasks += 3;
		s->procs += 1;
	}
}

void nsmon_test_expect_zero(struct kunit *test, struct nsmon_ns *e)
{
	struct nsmon_totals t;

	rcu_read_lock();
	nsmon_ns_read(e, &t);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, t.tasks, (s64)0);
	KUNIT_EXPECT_EQ(test, t.processes, (s64)0);
	KUNIT_EXPECT_EQ(test, t.sum.forks, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.threads, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.execs, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.exits, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.switches, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.voluntary_switches, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.cpu_ns, 0ULL);
}

/* Wait (at most 5 s) until @counter moves past @from. */
bool nsmon_wait_progress(atomic_long_t *counter, long from)
{
	unsigned long deadline = jiffies + 5 * HZ;

	while (atomic_long_read(counter) <= from) {
		if (time_after(jiffies, deadline))
			return false;
		usleep_range(100, 200);
	}
	return true;
}

kunit_test_suites(&nsmon_upid_suite, &nsmon_table_suite, &nsmon_format_suite,
		  &nsmon_format_nested_suite, &nsmon_parse_suite,
		  &nsmon_index_suite, &nsmon_census_suite,
		  &nsmon_events_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of nsmon's internals");
