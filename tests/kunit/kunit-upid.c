// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-upid.c - the nsmon_upid suite: from a task to its numbers,
 * level by level, on real tasks (see kunit-main.c for the course).
 */
#include "nsmon_kunit.h"

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

struct kunit_suite nsmon_upid_suite = {
	.name = "nsmon_upid",
	.init = nsmon_upid_init,
	.exit = nsmon_upid_exit,
	.test_cases = nsmon_upid_cases,
};
