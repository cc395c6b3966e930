// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon_kunit.c - KUnit tests of nsmon's internals, and a guided tour of
 * how Linux numbers its tasks.
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
 * The suites: nsmon_upid (the walk above, on real tasks), nsmon_table (the
 * namespace table), nsmon_format (every /proc/nsmon file's text) and
 * nsmon_parse (the strict parser of /proc/nsmon/lookup requests).
 */
#include <kunit/test.h>
#include <linux/atomic.h>
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

#include "../../module/nsmon.h"

NSMON_IMPORT_KUNIT_NS();

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/*
 * The deepest task the guest left running for us.  A module cannot easily
 * make a PID namespace of its own (that takes a new task created with
 * CLONE_NEWPID), so tests/debug-kernel/guest/ starts `unshare -p -f` three
 * deep with a `sleep` at the bottom before it loads this suite.  We find
 * it the way /proc/nsmon/pids walks tasks: find_ge_pid() over the numbers
 * of init_pid_ns, which sees every task of the system.
 *
 * Returns a counted reference (put_pid() it) or NULL.
 */
static struct pid *nsmon_test_find_nested(void)
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
static struct pid_namespace *nsmon_test_fake_ns(struct kunit *test,
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
static int nsmon_test_table_init(struct kunit *test)
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

static void nsmon_test_table_exit(struct kunit *test)
{
	/* Frees the entries still in the table (and drops their ns refs). */
	nsmon_table_destroy(test->priv);
}

static struct nsmon_ns *nsmon_test_add(struct kunit *test,
				       struct pid_namespace *ns)
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
static struct seq_file *nsmon_test_seq(struct kunit *test)
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
static const char *nsmon_test_seq_text(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

/* A string that lives as long as the test, like kasprintf(). */
static __printf(2, 3) char *nsmon_test_sprintf(struct kunit *test,
					      const char *fmt, ...)
{
	const size_t size = 512;
	va_list ap;
	char *s;

	s = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	va_start(ap, fmt);
	vsnprintf(s, size, fmt, ap);
	va_end(ap);
	return s;
}

/* ------------------------------------------------------------------ */
/* nsmon_upid: from a task to its numbers, level by level             */
/* ------------------------------------------------------------------ */

/*
 * The test itself runs in a kernel thread that KUnit started, so it lives
 * in the initial namespace: level 0, a single upid.
 */
static void nsmon_upid_current(struct kunit *test)
{
	struct pid *pid = nsmon_task_pid(current);

	/* A live task's struct pid is simply task->thread_pid. */
	KUNIT_ASSERT_PTR_EQ(test, pid, task_pid(current));
	KUNIT_EXPECT_EQ(test, pid->level, 0U);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_pid_active_ns(pid), &init_pid_ns);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_pid_active_ns(pid),
			    task_active_pid_ns(current));
	/* numbers[0] is the global PID, what the host's ps shows. */
	KUNIT_EXPECT_EQ(test, pid->numbers[0].nr, task_pid_nr(current));
	KUNIT_EXPECT_PTR_EQ(test, pid->numbers[0].ns, &init_pid_ns);
	/* And the number leads back to the same struct pid. */
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, find_pid_ns(pid->numbers[0].nr,
					      &init_pid_ns), pid);
	rcu_read_unlock();
	/* The initial namespace is the root: no parent, level 0. */
	KUNIT_EXPECT_NULL(test, init_pid_ns.parent);
	KUNIT_EXPECT_EQ(test, init_pid_ns.level, 0U);
	KUNIT_EXPECT_EQ(test, init_pid_ns.ns.inum, (unsigned int)PROC_PID_INIT_INO);
}

/* The suite's per-test state: the nested task the guest started. */
static int nsmon_upid_init(struct kunit *test)
{
	test->priv = nsmon_test_find_nested();
	return 0;
}

static void nsmon_upid_exit(struct kunit *test)
{
	put_pid(test->priv);
}

static struct pid *nsmon_test_nested_or_skip(struct kunit *test)
{
	struct pid *pid = test->priv;

	if (!pid)
		kunit_skip(test,
			   "no task in a nested PID namespace (the guest starts one)");
	return pid;
}

/*
 * A task three namespaces deep has four numbers.  Walk them: level i's
 * upid belongs to a namespace of level i, each namespace is the parent of
 * the next, and every (nr, ns) pair leads back to the same struct pid.
 */
static void nsmon_upid_nested(struct kunit *test)
{
	struct pid *pid = nsmon_test_nested_or_skip(test);
	struct pid_namespace *ns = nsmon_pid_active_ns(pid);
	struct task_struct *t;
	unsigned int i;

	kunit_info(test, "nested task: global pid %d, level %u, ns %u\n",
		   pid_nr(pid), pid->level, ns->ns.inum);
	KUNIT_EXPECT_GT(test, pid->level, 0U);
	KUNIT_EXPECT_EQ(test, ns->level, pid->level);
	KUNIT_EXPECT_PTR_EQ(test, pid->numbers[0].ns, &init_pid_ns);

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (t) {
		/* The active namespace is what the kernel itself says. */
		KUNIT_EXPECT_PTR_EQ(test, ns, task_active_pid_ns(t));
		KUNIT_EXPECT_PTR_EQ(test, nsmon_task_pid(t), pid);
	}
	for (i = 0; i <= pid->level; i++) {
		struct upid *u = &pid->numbers[i];

		KUNIT_EXPECT_EQ(test, u->ns->level, i);
		if (i > 0)
			KUNIT_EXPECT_PTR_EQ(test, u->ns->parent,
					    pid->numbers[i - 1].ns);
		KUNIT_EXPECT_PTR_EQ(test, find_pid_ns(u->nr, u->ns), pid);
		KUNIT_EXPECT_EQ(test, pid_nr_ns(pid, u->ns), u->nr);
		KUNIT_EXPECT_GT(test, u->nr, 0);
	}
	rcu_read_unlock();
}

/*
 * Visibility only goes downwards: a parent sees its children's tasks, a
 * child namespace has no number for its parent's tasks.  PID 1 of the
 * system (the guest's /init) is invisible from the nested namespace, and
 * nsmon's visibility rule for whole namespaces says the same.
 */
static void nsmon_upid_visibility(struct kunit *test)
{
	struct pid *pid = nsmon_test_nested_or_skip(test);
	struct pid_namespace *ns = nsmon_pid_active_ns(pid);
	struct pid_namespace *up;
	struct pid *init;

	rcu_read_lock();
	init = find_pid_ns(1, &init_pid_ns);
	KUNIT_EXPECT_NOT_NULL(test, init);
	if (init)
		KUNIT_EXPECT_EQ(test, pid_nr_ns(init, ns), 0);
	/* Seen from its own namespace, the nested task has its own number. */
	KUNIT_EXPECT_EQ(test, pid_nr_ns(pid, ns), pid->numbers[pid->level].nr);
	rcu_read_unlock();

	/* A namespace sees itself and every descendant, never an ancestor. */
	KUNIT_EXPECT_TRUE(test, nsmon_ns_visible(ns, ns));
	KUNIT_EXPECT_TRUE(test, nsmon_ns_visible(&init_pid_ns, &init_pid_ns));
	for (up = ns->parent; up; up = up->parent) {
		KUNIT_EXPECT_TRUE(test, nsmon_ns_visible(ns, up));
		KUNIT_EXPECT_FALSE(test, nsmon_ns_visible(up, ns));
	}
}

/*
 * Every namespace has an init, its PID 1, which reaps orphans
 * (ns->child_reaper).  nsmon shows its PID as seen from the reader's
 * namespace: 1 from inside, something else from the host.
 */
static void nsmon_upid_init_pid(struct kunit *test)
{
	struct pid *pid = nsmon_test_nested_or_skip(test);
	struct pid_namespace *ns = nsmon_pid_active_ns(pid);
	pid_t host;

	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, nsmon_init_pid(ns, ns), 1);
	host = nsmon_init_pid(ns, &init_pid_ns);
	KUNIT_EXPECT_GT(test, host, 1);
	KUNIT_EXPECT_EQ(test, host, task_pid_nr(READ_ONCE(ns->child_reaper)));
	/* The host's init is not visible from inside: 0. */
	KUNIT_EXPECT_EQ(test, nsmon_init_pid(&init_pid_ns, ns), 0);
	rcu_read_unlock();
}

/*
 * The one case where task->thread_pid is NULL while the task still runs:
 * a thread that nobody waits for (every non-leader thread, for one) is
 * released by exit_notify(), which detaches its struct pid, and then it
 * schedules away one last time.  sched_switch sees such a task, so
 * nsmon_task_pid() falls back to the thread group's pid, which lives in
 * the same namespace (threads never cross PID namespaces).  We build such
 * a task on paper: a copy of nothing but the two fields involved.
 */
static void nsmon_upid_reaped_thread(struct kunit *test)
{
	struct task_struct *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	t->thread_pid = NULL;
	t->signal = current->signal;
	KUNIT_EXPECT_PTR_EQ(test, nsmon_task_pid(t), task_tgid(current));
	/* With its pid still attached, that is what is used. */
	t->thread_pid = task_pid(current);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_task_pid(t), task_pid(current));
}

static struct kunit_case nsmon_upid_cases[] = {
	KUNIT_CASE(nsmon_upid_current),
	KUNIT_CASE(nsmon_upid_nested),
	KUNIT_CASE(nsmon_upid_visibility),
	KUNIT_CASE(nsmon_upid_init_pid),
	KUNIT_CASE(nsmon_upid_reaped_thread),
	{}
};

static struct kunit_suite nsmon_upid_suite = {
	.name = "nsmon_upid",
	.init = nsmon_upid_init,
	.exit = nsmon_upid_exit,
	.test_cases = nsmon_upid_cases,
};

/* ------------------------------------------------------------------ */
/* nsmon_table: one entry per namespace, found by pointer or inum     */
/* ------------------------------------------------------------------ */

/*
 * The probes find a namespace's entry by its pid_namespace pointer (a
 * hash lookup); the lookup file finds it by inode number (the xarray
 * index).  An entry is created once: asking again returns it.
 */
static void nsmon_table_insert_lookup(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 1000, &init_pid_ns);
	struct nsmon_ns *e, *again;
	bool created;

	KUNIT_EXPECT_NULL(test, nsmon_table_lookup(tbl, ns));
	e = nsmon_test_add(test, ns);
	KUNIT_EXPECT_PTR_EQ(test, e->ns, ns);
	KUNIT_EXPECT_EQ(test, e->inum, 1000U);
	/* The entry holds a reference on its namespace: ours + its own. */
	KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns)), 2U);

	again = nsmon_table_get_or_create(tbl, ns, &created);
	KUNIT_EXPECT_PTR_EQ(test, again, e);
	KUNIT_EXPECT_FALSE(test, created);
	KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns)), 2U);

	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_lookup(tbl, ns), e);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_find_inum(tbl, 1000), e);
	KUNIT_EXPECT_NULL(test, nsmon_table_find_inum(tbl, 999));
	KUNIT_EXPECT_NULL(test, nsmon_table_find_inum(tbl, 1001));
	rcu_read_unlock();
}

/*
 * The index walks in inode-number order whatever the order of creation:
 * /proc/nsmon/namespaces uses the inum as its file position, so a reader
 * that stops mid-table resumes at the right row.
 */
static void nsmon_table_sorted(struct kunit *test)
{
	static const unsigned int order[] = { 30, 10, 50, 20, 40 };
	struct nsmon_table *tbl = test->priv;
	unsigned int prev = 0, n = 0, i;
	struct nsmon_ns *e;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		nsmon_test_add(test, nsmon_test_fake_ns(test, order[i],
							&init_pid_ns));
	rcu_read_lock();
	for (e = nsmon_table_find_from(tbl, 0); e;
	     e = nsmon_table_find_from(tbl, (unsigned long)e->inum + 1)) {
		KUNIT_EXPECT_GT(test, e->inum, prev);
		prev = e->inum;
		n++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(order));
}

/*
 * Removal, the RCU way: unlink (new table lookups miss it), wait for a
 * grace period, free.  (The module's sync work also empties the probes'
 * caches and waits for the CPUs running its tasks, see nsmon_sync(); an
 * entry that no probe ever saw needs neither.)  Freeing drops the
 * reference the entry held on its namespace.
 */
static void nsmon_table_removal(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 77, &init_pid_ns);
	struct nsmon_ns *e = nsmon_test_add(test, ns);

	nsmon_table_unlink(tbl, e);
	KUNIT_EXPECT_NULL(test, nsmon_table_lookup(tbl, ns));
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, nsmon_table_find_inum(tbl, 77));
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, list_empty(&tbl->list));

	synchronize_rcu();
	nsmon_ns_free(e);
	KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns)), 1U);
}

/*
 * An unlinked entry must not be freed while a CPU's cur_s points into it:
 * that CPU counts into it at its next switch without a lookup.  Pretend
 * this CPU is running a task of e (preemption off, so that no real switch
 * comes in between), and see nsmon_ns_running() notice.
 */
static void nsmon_table_running(struct kunit *test)
{
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 78, &init_pid_ns);
	struct nsmon_ns *e = nsmon_test_add(test, ns);
	struct nsmon_cpu *c;
	struct nsmon_stats *saved;
	bool before, during, after;

	before = nsmon_ns_running(e);
	preempt_disable();
	c = nsmon_cpu_state(smp_processor_id());
	saved = c->cur_s;
	c->cur_s = this_cpu_ptr(e->stats);
	during = nsmon_ns_running(e);
	c->cur_s = saved;
	after = nsmon_ns_running(e);
	preempt_enable();
	KUNIT_EXPECT_FALSE(test, before);
	KUNIT_EXPECT_TRUE(test, during);
	KUNIT_EXPECT_FALSE(test, after);
}

/*
 * nsmon_probes_forget() empties exactly the cache slots that hold the
 * namespace, on every CPU, and leaves the other slots alone.  Two slots of
 * this CPU are planted with preemption off, so that no probe runs here
 * meanwhile, and emptied afterwards (an empty slot is only a miss; putting
 * the old contents back could race with the sync work emptying them).
 */
static void nsmon_table_forget(struct kunit *test)
{
	struct pid_namespace *a = nsmon_test_fake_ns(test, 79, &init_pid_ns);
	struct pid_namespace *b = nsmon_test_fake_ns(test, 80, &init_pid_ns);
	struct nsmon_ns *ea = nsmon_test_add(test, a);
	struct nsmon_ns *eb = nsmon_test_add(test, b);
	struct pid_namespace *got0, *got1;
	struct nsmon_cache_set *set;

	preempt_disable();
	set = &nsmon_cpu_state(smp_processor_id())->cache[0];
	set->s[0] = this_cpu_ptr(ea->stats);
	WRITE_ONCE(set->ns[0], a);
	set->s[1] = this_cpu_ptr(eb->stats);
	WRITE_ONCE(set->ns[1], b);
	nsmon_probes_forget(a);
	got0 = READ_ONCE(set->ns[0]);
	got1 = READ_ONCE(set->ns[1]);
	WRITE_ONCE(set->ns[0], NULL);
	WRITE_ONCE(set->ns[1], NULL);
	preempt_enable();
	KUNIT_EXPECT_NULL(test, got0);
	KUNIT_EXPECT_PTR_EQ(test, got1, b);
}

static void nsmon_test_bump(struct nsmon_ns *e)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nsmon_stats *s = per_cpu_ptr(e->stats, cpu);

		s->forks += 5;
		s->threads += 2;
		s->exits += 4;
		s->execs += 1;
		s->voluntary_switches += 10;
		s->involuntary_switches += 3;
		s->cpu_ns += 1000;
		s->tasks += 3;
		s->procs += 1;
	}
}

static void nsmon_test_expect_zero(struct kunit *test, struct nsmon_ns *e)
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
	KUNIT_EXPECT_EQ(test, t.sum.voluntary_switches, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.involuntary_switches, 0ULL);
	KUNIT_EXPECT_EQ(test, t.sum.cpu_ns, 0ULL);
}

/*
 * Inode numbers of namespaces are recycled: when a namespace dies, the
 * next one may get the same inum (and, from the slab, even the same
 * address).  The old entry must be gone by then and the new one must
 * start from zero, not inherit the dead namespace's counters.
 */
static void nsmon_table_inum_reuse(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *old = nsmon_test_fake_ns(test, 4242, &init_pid_ns);
	struct pid_namespace *new = nsmon_test_fake_ns(test, 4242, &init_pid_ns);
	struct nsmon_ns *e = nsmon_test_add(test, old);

	nsmon_test_bump(e);
	nsmon_table_unlink(tbl, e);
	synchronize_rcu();
	nsmon_ns_free(e);

	/* A different namespace under the recycled inode number. */
	e = nsmon_test_add(test, new);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_find_inum(tbl, 4242), e);
	rcu_read_unlock();
	nsmon_test_expect_zero(test, e);

	/* The same address and inum again: still a fresh entry. */
	nsmon_test_bump(e);
	nsmon_table_unlink(tbl, e);
	synchronize_rcu();
	nsmon_ns_free(e);
	e = nsmon_test_add(test, new);
	nsmon_test_expect_zero(test, e);
}

/*
 * The counters are per CPU (a probe only ever touches its own CPU's copy,
 * so no atomics and no cache-line bouncing); a reader sums them.  tasks and
 * processes are gauges, +1 on one CPU and -1 maybe on another.
 */
static void nsmon_table_read_sums(struct kunit *test)
{
	struct nsmon_ns *e = nsmon_test_add(test,
			nsmon_test_fake_ns(test, 5, &init_pid_ns));
	unsigned int n = num_possible_cpus();
	struct nsmon_totals t;

	nsmon_test_bump(e);
	rcu_read_lock();
	nsmon_ns_read(e, &t);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, t.sum.forks, 5ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.threads, 2ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.exits, 4ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.execs, 1ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.voluntary_switches, 10ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.involuntary_switches, 3ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.cpu_ns, 1000ULL * n);
	KUNIT_EXPECT_EQ(test, t.tasks, (s64)(3 * n));
	KUNIT_EXPECT_EQ(test, t.processes, (s64)n);

	/*
	 * An exit counted on a CPU the reader read before the fork's CPU can
	 * make the sum negative for a moment: shown as 0, never as 2^64 - 1.
	 */
	per_cpu_ptr(e->stats, 0)->tasks -= 1000;
	per_cpu_ptr(e->stats, 0)->procs -= 1000;
	rcu_read_lock();
	nsmon_ns_read(e, &t);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, t.tasks, (s64)0);
	KUNIT_EXPECT_EQ(test, t.processes, (s64)0);
}

/*
 * Two CPUs meet the same new namespace at once (two first forks into it,
 * say).  rhashtable_lookup_get_insert_fast() lets exactly one insert win;
 * the loser frees its copy and uses the winner's.
 */
struct nsmon_race {
	struct work_struct work;
	struct nsmon_table *tbl;
	struct pid_namespace *ns;
	atomic_t *ready;
	struct nsmon_ns *e;
	bool created;
};

static void nsmon_race_fn(struct work_struct *work)
{
	struct nsmon_race *r = container_of(work, struct nsmon_race, work);
	unsigned long deadline = jiffies + HZ;

	/* Start together, as far as two workers can. */
	atomic_dec(r->ready);
	while (atomic_read(r->ready) > 0 && time_before(jiffies, deadline))
		cpu_relax();
	r->e = nsmon_table_get_or_create(r->tbl, r->ns, &r->created);
}

static void nsmon_table_insert_race(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct nsmon_race r[2] = {};
	unsigned int round, i;
	atomic_t ready;

	for (round = 0; round < 20; round++) {
		struct pid_namespace *ns =
			nsmon_test_fake_ns(test, 2000 + round, &init_pid_ns);

		atomic_set(&ready, ARRAY_SIZE(r));
		for (i = 0; i < ARRAY_SIZE(r); i++) {
			r[i].tbl = tbl;
			r[i].ns = ns;
			r[i].ready = &ready;
			/* On the stack: tell debugobjects (DEBUG_OBJECTS_WORK). */
			INIT_WORK_ONSTACK(&r[i].work, nsmon_race_fn);
			queue_work(system_unbound_wq, &r[i].work);
		}
		for (i = 0; i < ARRAY_SIZE(r); i++) {
			flush_work(&r[i].work);
			destroy_work_on_stack(&r[i].work);
		}
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, r[0].e);
		KUNIT_EXPECT_PTR_EQ(test, r[0].e, r[1].e);
		KUNIT_EXPECT_EQ_MSG(test, r[0].created + r[1].created, 1,
				    "round %u: exactly one creator", round);
		/* The loser's copy was freed: one reference, the winner's. */
		KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns)), 2U);
	}
}

/*
 * Readers take no lock at all: the probes and the /proc files look
 * entries up under RCU while the sync work unlinks and frees them.  Here
 * two reader threads hammer lookups of one namespace while the test adds
 * and removes its entry over and over.  A reader must always find either
 * nothing or a complete, live entry; if an entry were freed too early,
 * KASAN (this kernel has it) would report the use-after-free.
 */
struct nsmon_reader {
	struct nsmon_table *tbl;
	struct pid_namespace *ns;
	struct task_struct *task;
	atomic_long_t hits, misses, bad;
};

static int nsmon_reader_fn(void *arg)
{
	struct nsmon_reader *r = arg;

	while (!kthread_should_stop()) {
		struct nsmon_ns *e;

		rcu_read_lock();
		e = nsmon_table_lookup(r->tbl, r->ns);
		if (e) {
			/* The entry must still be whole: read every field. */
			if (READ_ONCE(e->ns) != r->ns ||
			    READ_ONCE(e->inum) != r->ns->ns.inum ||
			    !READ_ONCE(e->stats))
				atomic_long_inc(&r->bad);
			atomic_long_inc(&r->hits);
		} else {
			atomic_long_inc(&r->misses);
		}
		e = nsmon_table_find_inum(r->tbl, r->ns->ns.inum);
		if (e && READ_ONCE(e->ns) != r->ns)
			atomic_long_inc(&r->bad);
		rcu_read_unlock();
		cond_resched();
	}
	return 0;
}

/* Wait (at most 5 s) until @counter moves past @from. */
static bool nsmon_wait_progress(atomic_long_t *counter, long from)
{
	unsigned long deadline = jiffies + 5 * HZ;

	while (atomic_long_read(counter) <= from) {
		if (time_after(jiffies, deadline))
			return false;
		usleep_range(100, 200);
	}
	return true;
}

static void nsmon_table_rcu_readers(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 31337, &init_pid_ns);
	struct nsmon_reader r[2];
	unsigned int i, rounds = 0, stalls = 0;
	long hits = 0, misses = 0, bad = 0;

	memset(r, 0, sizeof(r));
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i].tbl = tbl;
		r[i].ns = ns;
		r[i].task = kthread_run(nsmon_reader_fn, &r[i],
					"nsmon_kunit_rd%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r[i].task));
	}

	/*
	 * Each round: add the entry, wait until a reader has seen it, remove
	 * it, wait until a reader has missed it, then free it after a grace
	 * period while the readers keep looking.
	 */
	for (rounds = 0; rounds < 50; rounds++) {
		struct nsmon_ns *e;
		bool created;

		e = nsmon_table_get_or_create(tbl, ns, &created);
		if (!e)
			break;
		nsmon_table_index(tbl);
		if (!nsmon_wait_progress(&r[rounds % 2].hits,
					 atomic_long_read(&r[rounds % 2].hits)))
			stalls++;
		nsmon_table_unlink(tbl, e);
		if (!nsmon_wait_progress(&r[rounds % 2].misses,
					 atomic_long_read(&r[rounds % 2].misses)))
			stalls++;
		synchronize_rcu();
		nsmon_ns_free(e);
	}

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		kthread_stop(r[i].task);
		hits += atomic_long_read(&r[i].hits);
		misses += atomic_long_read(&r[i].misses);
		bad += atomic_long_read(&r[i].bad);
	}
	kunit_info(test, "%u rounds, %ld lookups hit, %ld missed\n", rounds,
		   hits, misses);
	KUNIT_EXPECT_EQ(test, rounds, 50U);
	KUNIT_EXPECT_EQ(test, stalls, 0U);
	KUNIT_EXPECT_EQ(test, bad, 0L);
	KUNIT_EXPECT_GT(test, hits, 0L);
	KUNIT_EXPECT_GT(test, misses, 0L);
	KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns)), 1U);
}

static struct kunit_case nsmon_table_cases[] = {
	KUNIT_CASE(nsmon_table_insert_lookup),
	KUNIT_CASE(nsmon_table_sorted),
	KUNIT_CASE(nsmon_table_removal),
	KUNIT_CASE(nsmon_table_running),
	KUNIT_CASE(nsmon_table_forget),
	KUNIT_CASE(nsmon_table_inum_reuse),
	KUNIT_CASE(nsmon_table_read_sums),
	KUNIT_CASE(nsmon_table_insert_race),
	KUNIT_CASE(nsmon_table_rcu_readers),
	{}
};

static struct kunit_suite nsmon_table_suite = {
	.name = "nsmon_table",
	.init = nsmon_test_table_init,
	.exit = nsmon_test_table_exit,
	.test_cases = nsmon_table_cases,
};

/* ------------------------------------------------------------------ */
/* nsmon_format: the exact text of every /proc/nsmon file             */
/* ------------------------------------------------------------------ */

/*
 * The contract's keys, in order (issue 2, section 3): binding byte for
 * byte; keys added later (include/nsmon/keys.h) only ever follow them.
 */
static const char *const nsmon_contract_keys[] = {
	"inum", "level", "parent", "init_pid", "tasks", "processes", "forks",
	"threads", "execs", "exits", "switches", "voluntary_switches",
	"involuntary_switches", "cpu_ns",
};

/*
 * The keys added after the contract's (include/nsmon/keys.h), at zero: as
 * "key 0" lines (@lines) or as " 0" columns.  A new counter needs no edit
 * here.
 */
static const char *nsmon_test_later_keys(struct kunit *test, bool lines)
{
	static const char *const all[] = {
		NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
	};
	char *out = kunit_kzalloc(test, 1024, GFP_KERNEL);
	size_t i, o = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	for (i = ARRAY_SIZE(nsmon_contract_keys); i < ARRAY_SIZE(all); i++)
		o += scnprintf(out + o, 1024 - o, lines ? "%s 0\n" : " 0",
			       all[i]);
	return out;
}

/*
 * /proc/nsmon/<inum> is "key value" lines.  A namespace made after insmod
 * with 3 forks, 2 threads, 1 exit on each CPU...  Its init is gone (the
 * stand-in's idr has no PID 1), so init_pid is 0.
 */
static void nsmon_format_ns_file(struct kunit *test)
{
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 4026532000U,
						      &init_pid_ns);
	struct nsmon_ns *e = nsmon_test_add(test, ns);
	struct seq_file *m = nsmon_test_seq(test);
	unsigned int n = num_possible_cpus();
	char *want;

	nsmon_test_bump(e);
	rcu_read_lock();
	nsmon_show_ns_keys(m, e, &init_pid_ns);
	rcu_read_unlock();
	want = nsmon_test_sprintf(test, "inum 4026532000\nlevel 1\nparent %u\ninit_pid 0\n"
			       "tasks %u\nprocesses %u\nforks %u\nthreads %u\n"
			       "execs %u\nexits %u\nswitches %u\n"
			       "voluntary_switches %u\ninvoluntary_switches %u\n"
			       "cpu_ns %u\n%s",
			       init_pid_ns.ns.inum, 3 * n, n, 5 * n, 2 * n, n,
			       4 * n, 13 * n, 10 * n, 3 * n, 1000 * n,
			       nsmon_test_later_keys(test, true));
	KUNIT_EXPECT_STREQ(test, nsmon_test_seq_text(test, m), want);
}

/* Split @s at spaces into at most @max words; returns the count. */
static int nsmon_test_words(char *s, char **w, int max)
{
	int n = 0;
	char *tok;

	while ((tok = strsep(&s, " ")) && n < max)
		if (*tok)
			w[n++] = tok;
	return n;
}

/*
 * /proc/nsmon/namespaces: the header names the same keys, in the same
 * order, as the per-namespace file, and each row has one number per key.
 * A parent outside the reader's view is shown as 0, like the root's.
 */
static void nsmon_format_namespaces_row(struct kunit *test)
{
	struct pid_namespace *a = nsmon_test_fake_ns(test, 600, &init_pid_ns);
	struct pid_namespace *b = nsmon_test_fake_ns(test, 601, a);
	struct nsmon_ns *ea = nsmon_test_add(test, a);
	struct nsmon_ns *eb = nsmon_test_add(test, b);
	char header[] = NSMON_NS_COLUMNS;
	struct seq_file *m;
	char *w[32];
	int i, n;

	n = nsmon_test_words(header, w, ARRAY_SIZE(w));
	KUNIT_ASSERT_EQ(test, n, NSMON_NKEYS);
	KUNIT_ASSERT_GE(test, n, (int)ARRAY_SIZE(nsmon_contract_keys));
	for (i = 0; i < ARRAY_SIZE(nsmon_contract_keys); i++)
		KUNIT_EXPECT_STREQ(test, w[i], nsmon_contract_keys[i]);

	/* Seen from the host: b's parent a is visible. */
	m = nsmon_test_seq(test);
	rcu_read_lock();
	nsmon_show_namespaces_row(m, eb, &init_pid_ns);
	rcu_read_unlock();
	KUNIT_EXPECT_STREQ(test, nsmon_test_seq_text(test, m),
			   nsmon_test_sprintf(test, "601 2 600 0 0 0 0 0 0 0 0 0 0 0%s\n",
					      nsmon_test_later_keys(test, false)));

	/* Seen from inside a: a is the root of the view, its parent is 0. */
	m = nsmon_test_seq(test);
	rcu_read_lock();
	nsmon_show_namespaces_row(m, ea, a);
	nsmon_show_namespaces_row(m, eb, a);
	rcu_read_unlock();
	KUNIT_EXPECT_STREQ(test, nsmon_test_seq_text(test, m),
			   nsmon_test_sprintf(test, "600 1 0 0 0 0 0 0 0 0 0 0 0 0%s\n"
					      "601 2 600 0 0 0 0 0 0 0 0 0 0 0%s\n",
					      nsmon_test_later_keys(test, false),
					      nsmon_test_later_keys(test, false)));
}

/*
 * /proc/nsmon/pids: "pid tgid ns ns_pid ns_tgid nspid comm".  For the
 * test's own kernel thread, at level 0 and seen from level 0, every
 * number is the same PID.
 */
static void nsmon_format_pids_current(struct kunit *test)
{
	struct seq_file *m = nsmon_test_seq(test);
	char comm[TASK_COMM_LEN];
	pid_t nr = task_pid_nr(current);
	char *want;

	get_task_comm(comm, current);
	rcu_read_lock();
	nsmon_show_pids_row(m, task_pid(current), current, &init_pid_ns);
	rcu_read_unlock();
	want = nsmon_test_sprintf(test, "%d %d %u %d %d %d %s\n",
				  nr, task_tgid_nr(current), init_pid_ns.ns.inum,
			       nr, task_tgid_nr(current), nr, comm);
	KUNIT_EXPECT_STREQ(test, nsmon_test_seq_text(test, m), want);
}

/*
 * The nested task, seen from every level of its chain.  The nspid column
 * is what the NSpid: line of /proc/<pid>/status shows: its numbers from
 * the viewer's level down to its own.  The expected text is built by
 * climbing ns->parent and asking task_pid_nr_ns() at each level, a
 * different road from the numbers[] walk nsmon takes.
 */
static void nsmon_format_pids_nested(struct kunit *test)
{
	struct pid *pid = test->priv;
	struct pid_namespace *own, *view;
	struct task_struct *t;
	char comm[TASK_COMM_LEN];

	if (!pid)
		kunit_skip(test, "no task in a nested PID namespace");
	own = nsmon_pid_active_ns(pid);
	t = get_pid_task(pid, PIDTYPE_PID);
	if (!t)
		kunit_skip(test, "the nested task exited");
	get_task_comm(comm, t);

	for (view = own; view; view = view->parent) {
		struct seq_file *m = nsmon_test_seq(test);
		struct pid_namespace *ns;
		char chain[128] = "";
		char *want;

		/* Build "nr_view,...,nr_own" from the bottom up. */
		for (ns = own; ; ns = ns->parent) {
			char tmp[128];

			snprintf(tmp, sizeof(tmp), "%d%s%s",
				 task_pid_nr_ns(t, ns), *chain ? "," : "",
				 chain);
			strscpy(chain, tmp, sizeof(chain));
			if (ns == view)
				break;
		}
		want = nsmon_test_sprintf(test,
					  "%d %d %u %d %d %s %s\n",
				       task_pid_nr_ns(t, view),
				       task_tgid_nr_ns(t, view), own->ns.inum,
				       task_pid_nr_ns(t, own),
				       task_tgid_nr_ns(t, own), chain, comm);
		rcu_read_lock();
		nsmon_show_pids_row(m, pid, t, view);
		rcu_read_unlock();
		KUNIT_EXPECT_STREQ_MSG(test, nsmon_test_seq_text(test, m), want,
				       "seen from level %u", view->level);
	}
	put_task_struct(t);
}

/*
 * comm is the rest of the line, and a task may name itself anything
 * (prctl(PR_SET_NAME)), newlines included: escaped the way
 * /proc/<pid>/status escapes its Name: line, one task stays one line.
 * A stand-in task carries the names: get_task_comm() only needs its
 * comm and the task_lock() (alloc_lock) that guards it.
 */
static void nsmon_format_comm_escape(struct kunit *test)
{
	struct task_struct *t;
	char buf[64];

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	spin_lock_init(&t->alloc_lock);

	strscpy(t->comm, "a\nb\\c d", sizeof(t->comm));
	KUNIT_EXPECT_EQ(test, nsmon_escape_comm(buf, sizeof(buf), t),
			(size_t)9);
	KUNIT_EXPECT_STREQ(test, buf, "a\\nb\\\\c d");

	/* The worst case, 15 backslashes, fits the 64-byte buffers used. */
	memset(t->comm, '\\', TASK_COMM_LEN - 1);
	KUNIT_EXPECT_EQ(test, nsmon_escape_comm(buf, sizeof(buf), t),
			(size_t)30);

	/* Spaces stay as they are: comm is the last column, the rest of the line. */
	strscpy(t->comm, "kworker/0:1 x", sizeof(t->comm));
	nsmon_escape_comm(buf, sizeof(buf), t);
	KUNIT_EXPECT_STREQ(test, buf, "kworker/0:1 x");

	/* A short buffer is cut, and always terminated. */
	strscpy(t->comm, "abcdef", sizeof(t->comm));
	KUNIT_EXPECT_EQ(test, nsmon_escape_comm(buf, 4, t), (size_t)3);
	KUNIT_EXPECT_STREQ(test, buf, "abc");
}

/*
 * /proc/nsmon/lookup answers "<inum> <nr> <pid> <tgid> <comm>": task nr
 * of namespace inum, as the reader's namespace numbers it.  Errors:
 * ENOENT for a namespace that is unknown or not visible to the reader,
 * ESRCH for a number no task has there (0 included).
 */
static void nsmon_format_lookup(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	char comm[TASK_COMM_LEN], buf[128];
	pid_t me = task_pid_nr(current), unused;
	struct pid *nested = NULL;
	char *want;
	int len;

	nsmon_test_add(test, &init_pid_ns);
	get_task_comm(comm, current);
	len = nsmon_lookup_answer(buf, sizeof(buf), tbl, init_pid_ns.ns.inum,
				  me, &init_pid_ns);
	want = nsmon_test_sprintf(test, "%u %d %d %d %s\n",
				  init_pid_ns.ns.inum, me, me,
			       task_tgid_nr(current), comm);
	KUNIT_EXPECT_EQ(test, len, (int)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);

	/* A number nobody has: search down from the top of the PID space. */
	rcu_read_lock();
	for (unused = PID_MAX_LIMIT - 1; find_pid_ns(unused, &init_pid_ns);)
		unused--;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, nsmon_lookup_answer(buf, sizeof(buf), tbl,
						  init_pid_ns.ns.inum, unused,
						  &init_pid_ns), -ESRCH);
	KUNIT_EXPECT_EQ(test, nsmon_lookup_answer(buf, sizeof(buf), tbl,
						  init_pid_ns.ns.inum, 0,
						  &init_pid_ns), -ESRCH);
	KUNIT_EXPECT_EQ(test, nsmon_lookup_answer(buf, sizeof(buf), tbl,
						  init_pid_ns.ns.inum, -1,
						  &init_pid_ns), -ESRCH);
	/* A namespace the table does not know. */
	KUNIT_EXPECT_EQ(test, nsmon_lookup_answer(buf, sizeof(buf), tbl, 12345,
						  1, &init_pid_ns), -ENOENT);

	nested = nsmon_test_find_nested();
	if (nested) {
		struct pid_namespace *ns = nsmon_pid_active_ns(nested);
		int inside = nested->numbers[nested->level].nr;
		struct task_struct *t = get_pid_task(nested, PIDTYPE_PID);

		nsmon_test_add(test, ns);
		if (t) {
			get_task_comm(comm, t);
			/* From the host: the host's PID for it. */
			want = nsmon_test_sprintf(test,
						  "%u %d %d %d %s\n", ns->ns.inum,
					       inside, task_pid_nr(t),
					       task_tgid_nr(t), comm);
			nsmon_lookup_answer(buf, sizeof(buf), tbl, ns->ns.inum,
					    inside, &init_pid_ns);
			KUNIT_EXPECT_STREQ(test, buf, want);
			/* From inside: its own number, twice. */
			want = nsmon_test_sprintf(test,
						  "%u %d %d %d %s\n", ns->ns.inum,
					       inside, inside,
					       task_tgid_nr_ns(t, ns), comm);
			nsmon_lookup_answer(buf, sizeof(buf), tbl, ns->ns.inum,
					    inside, ns);
			KUNIT_EXPECT_STREQ(test, buf, want);
			put_task_struct(t);
		}
		/* The host's namespace does not exist for a container. */
		KUNIT_EXPECT_EQ(test, nsmon_lookup_answer(buf, sizeof(buf), tbl,
							  init_pid_ns.ns.inum,
							  1, ns), -ENOENT);
		put_pid(nested);
	} else {
		kunit_info(test, "no nested task: the cross-namespace lookups were not run\n");
	}
}

/* The format suite needs both a table and (sometimes) the nested task. */
static int nsmon_format_init(struct kunit *test)
{
	return nsmon_test_table_init(test);
}

static struct kunit_case nsmon_format_cases[] = {
	KUNIT_CASE(nsmon_format_ns_file),
	KUNIT_CASE(nsmon_format_namespaces_row),
	KUNIT_CASE(nsmon_format_pids_current),
	KUNIT_CASE(nsmon_format_comm_escape),
	KUNIT_CASE(nsmon_format_lookup),
	{}
};

static struct kunit_suite nsmon_format_suite = {
	.name = "nsmon_format",
	.init = nsmon_format_init,
	.exit = nsmon_test_table_exit,
	.test_cases = nsmon_format_cases,
};

/* The nested pids row needs the nested task, like the upid suite. */
static struct kunit_case nsmon_format_nested_cases[] = {
	KUNIT_CASE(nsmon_format_pids_nested),
	{}
};

static struct kunit_suite nsmon_format_nested_suite = {
	.name = "nsmon_format_nested",
	.init = nsmon_upid_init,
	.exit = nsmon_upid_exit,
	.test_cases = nsmon_format_nested_cases,
};

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

static struct kunit_suite nsmon_parse_suite = {
	.name = "nsmon_parse",
	.test_cases = nsmon_parse_test_cases,
};

/* ------------------------------------------------------------------ */
/* nsmon_index: the inum index (an xarray) of the namespace table      */
/* ------------------------------------------------------------------ */

/*
 * The probes never touch the index (it allocates): a new entry is found by
 * its pid_namespace at once, by its inum only once someone in process
 * context has called nsmon_table_index().  Indexing twice is harmless.
 */
static void nsmon_index_pending(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 600, &init_pid_ns);
	struct nsmon_ns *e;
	bool created;

	e = nsmon_table_get_or_create(tbl, ns, &created);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_lookup(tbl, ns), e);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, nsmon_table_find_inum(tbl, 600));
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, nsmon_table_index(tbl), 0);
	KUNIT_EXPECT_EQ(test, nsmon_table_index(tbl), 0);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_find_inum(tbl, 600), e);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_find_from(tbl, 0), e);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_find_from(tbl, 600), e);
	KUNIT_EXPECT_NULL(test, nsmon_table_find_from(tbl, 601));
	rcu_read_unlock();
}

#define NSMON_IDX_N	300

/* The i-th inum of the resume test: scattered, gaps of 3 to 5. */
static unsigned int nsmon_idx_inum(unsigned int i)
{
	return 100000 + i * 4 + (i % 3);
}

/*
 * A table read resumes at "the first namespace with inum >= pos - 1".
 * Insert namespaces in a scrambled order, then ask from every inum around
 * them (each one, the gaps, before the first, after the last, and beyond
 * 32 bits): the answer must be the brute-force minimum, and walking on
 * from each answer must give every entry exactly once, in order.
 */
static void nsmon_index_resume(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	unsigned int lo = nsmon_idx_inum(0) - 3;
	unsigned int hi = nsmon_idx_inum(NSMON_IDX_N - 1) + 3;
	unsigned int i, from, n, bad = 0;
	struct nsmon_ns *e;

	for (i = 0; i < NSMON_IDX_N; i++) {
		/* 7 and 300 are coprime: every i once, out of order. */
		unsigned int inum = nsmon_idx_inum((i * 7) % NSMON_IDX_N);

		nsmon_test_add(test,
			       nsmon_test_fake_ns(test, inum, &init_pid_ns));
	}

	rcu_read_lock();
	for (from = lo; from <= hi; from++) {
		unsigned int want = 0;

		for (i = 0; i < NSMON_IDX_N; i++)
			if (nsmon_idx_inum(i) >= from &&
			    (!want || nsmon_idx_inum(i) < want))
				want = nsmon_idx_inum(i);
		e = nsmon_table_find_from(tbl, from);
		if (want ? !e || e->inum != want : !!e) {
			if (!bad++)
				KUNIT_FAIL(test, "from %u: got %u, want %u",
					   from, e ? e->inum : 0, want);
		}
	}
	KUNIT_EXPECT_NULL(test, nsmon_table_find_from(tbl, (unsigned long)U32_MAX));
	KUNIT_EXPECT_NULL(test, nsmon_table_find_from(tbl,
						      (unsigned long)U32_MAX + 2));

	n = 0;
	for (e = nsmon_table_find_from(tbl, 0); e;
	     e = nsmon_table_find_from(tbl, (unsigned long)e->inum + 1)) {
		KUNIT_EXPECT_EQ(test, e->inum, nsmon_idx_inum(n));
		KUNIT_EXPECT_EQ(test, e->ns->ns.inum, e->inum);
		n++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, n, (unsigned int)NSMON_IDX_N);
}

/*
 * Removal: an unlinked entry leaves the index (lookups and walks miss it,
 * its neighbours stay), including one that was never indexed at all (the
 * probes made it, nobody read since): it must also leave the pending
 * list, or the next nsmon_table_index() would put a freed entry into the
 * index (KASAN would see the use after free).
 */
static void nsmon_index_remove(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct nsmon_ns *e[10], *late, *it;
	struct pid_namespace *ns;
	unsigned int i, n = 0;
	bool created;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = nsmon_test_add(test, nsmon_test_fake_ns(test, 700 + i,
							       &init_pid_ns));
	ns = nsmon_test_fake_ns(test, 650, &init_pid_ns);
	late = nsmon_table_get_or_create(tbl, ns, &created);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, late);

	/* Every other one, and the unindexed one. */
	for (i = 0; i < ARRAY_SIZE(e); i += 2)
		nsmon_table_unlink(tbl, e[i]);
	nsmon_table_unlink(tbl, late);
	synchronize_rcu();
	for (i = 0; i < ARRAY_SIZE(e); i += 2)
		nsmon_ns_free(e[i]);
	nsmon_ns_free(late);
	KUNIT_EXPECT_EQ(test, nsmon_table_index(tbl), 0);

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		it = nsmon_table_find_inum(tbl, 700 + i);
		if (i % 2)
			KUNIT_EXPECT_PTR_EQ(test, it, e[i]);
		else
			KUNIT_EXPECT_NULL(test, it);
	}
	KUNIT_EXPECT_NULL(test, nsmon_table_find_inum(tbl, 650));
	for (it = nsmon_table_find_from(tbl, 0); it;
	     it = nsmon_table_find_from(tbl, (unsigned long)it->inum + 1)) {
		KUNIT_EXPECT_EQ(test, it->inum % 2, 1U);
		n++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(e) / 2);
}

/*
 * Readers walk the index under RCU while entries come and go: two threads
 * walk it whole, over and over, while the test adds, indexes, unlinks and
 * frees (after a grace period) entries between the stable ones.  Every
 * walk must be in strictly increasing inum order, meet only whole entries
 * whose inum is their key, and see every stable entry exactly once.
 */
struct nsmon_idx_walker {
	struct nsmon_table *tbl;
	struct task_struct *task;
	unsigned int stable;		/* how many stable entries */
	atomic_long_t walks, bad;
};

#define NSMON_IDX_STABLE(i)	(5000 + 10 * (i))

static int nsmon_idx_walker_fn(void *arg)
{
	struct nsmon_idx_walker *w = arg;

	while (!kthread_should_stop()) {
		unsigned int prev = 0, stable = 0;
		struct nsmon_ns *e;

		rcu_read_lock();
		for (e = nsmon_table_find_from(w->tbl, 0); e;
		     e = nsmon_table_find_from(w->tbl,
					       (unsigned long)e->inum + 1)) {
			unsigned int inum = READ_ONCE(e->inum);

			if (inum <= prev || READ_ONCE(e->ns)->ns.inum != inum ||
			    !READ_ONCE(e->stats))
				atomic_long_inc(&w->bad);
			if (inum % 10 == 0)
				stable++;
			prev = inum;
		}
		rcu_read_unlock();
		if (stable != w->stable)
			atomic_long_inc(&w->bad);
		atomic_long_inc(&w->walks);
		cond_resched();
	}
	return 0;
}

static void nsmon_index_concurrent_readers(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct nsmon_idx_walker w[2];
	struct pid_namespace *ns[8];
	unsigned int i, round, stalls = 0;
	long walks = 0, bad = 0;

	for (i = 0; i < 20; i++)
		nsmon_test_add(test, nsmon_test_fake_ns(test, NSMON_IDX_STABLE(i),
							&init_pid_ns));
	/* The coming and going ones: between the stable ones. */
	for (i = 0; i < ARRAY_SIZE(ns); i++)
		ns[i] = nsmon_test_fake_ns(test, NSMON_IDX_STABLE(2 * i) + 3,
					   &init_pid_ns);

	memset(w, 0, sizeof(w));
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		w[i].tbl = tbl;
		w[i].stable = 20;
		w[i].task = kthread_run(nsmon_idx_walker_fn, &w[i],
					"nsmon_kunit_ix%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w[i].task));
	}

	for (round = 0; round < 30; round++) {
		struct nsmon_ns *e[ARRAY_SIZE(ns)];
		bool created;

		for (i = 0; i < ARRAY_SIZE(ns); i++) {
			e[i] = nsmon_table_get_or_create(tbl, ns[i], &created);
			if (!e[i])
				break;
		}
		/* Out of memory: stop (the walkers must be stopped). */
		if (i < ARRAY_SIZE(ns)) {
			unsigned int made = i;

			KUNIT_FAIL(test, "no memory for an entry");
			for (i = 0; i < made; i++)
				nsmon_table_unlink(tbl, e[i]);
			synchronize_rcu();
			for (i = 0; i < made; i++)
				nsmon_ns_free(e[i]);
			break;
		}
		nsmon_table_index(tbl);
		if (!nsmon_wait_progress(&w[round % 2].walks,
					 atomic_long_read(&w[round % 2].walks)))
			stalls++;
		for (i = 0; i < ARRAY_SIZE(ns); i++)
			nsmon_table_unlink(tbl, e[i]);
		synchronize_rcu();
		for (i = 0; i < ARRAY_SIZE(ns); i++)
			nsmon_ns_free(e[i]);
	}

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		kthread_stop(w[i].task);
		walks += atomic_long_read(&w[i].walks);
		bad += atomic_long_read(&w[i].bad);
	}
	kunit_info(test, "%ld whole walks during 30 rounds\n", walks);
	KUNIT_EXPECT_EQ(test, stalls, 0U);
	KUNIT_EXPECT_EQ(test, bad, 0L);
	KUNIT_EXPECT_GT(test, walks, 0L);
	for (i = 0; i < ARRAY_SIZE(ns); i++)
		KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(ns[i])), 1U);
}

static struct kunit_case nsmon_index_cases[] = {
	KUNIT_CASE(nsmon_index_pending),
	KUNIT_CASE(nsmon_index_resume),
	KUNIT_CASE(nsmon_index_remove),
	KUNIT_CASE(nsmon_index_concurrent_readers),
	{}
};

static struct kunit_suite nsmon_index_suite = {
	.name = "nsmon_index",
	.init = nsmon_test_table_init,
	.exit = nsmon_test_table_exit,
	.test_cases = nsmon_index_cases,
};

kunit_test_suites(&nsmon_upid_suite, &nsmon_table_suite, &nsmon_format_suite,
		  &nsmon_format_nested_suite, &nsmon_parse_suite,
		  &nsmon_index_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of nsmon's internals");
