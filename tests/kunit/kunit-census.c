// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-census.c - the nsmon_census suite: which tasks the load-time
 * census counts (module/census.c).  The cases that matter are the tasks
 * caught halfway: created but never run (TASK_NEW), whose fork event may
 * or may not have passed, and exiting ones, whose exit event may or may
 * not have passed.  The probes leave a note of each event they see while
 * the census is taken; these cases check the decision on stand-in tasks.
 * (The guest's storm tests, tests/guest/50-census.sh and
 * 68-census-groupdeath.sh, check the whole census against /proc; a
 * guest cannot make a stop land inside copy_process() on demand.)
 */
#include "nsmon_kunit.h"

/* A stand-in task: only the fields the census reads are set. */
static struct task_struct *nsmon_census_task(struct kunit *test,
					     unsigned int state)
{
	struct task_struct *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	WRITE_ONCE(t->__state, state);
	return t;
}

static void nsmon_census_exit(struct kunit *test)
{
	nsmon_census_forget();	/* the notes of this test's stand-ins */
}

/* A task created but never run counts only once its fork was noted. */
static void nsmon_census_task_new(struct kunit *test)
{
	struct task_struct *t = nsmon_census_task(test, TASK_NEW);

	rcu_read_lock();
	KUNIT_EXPECT_FALSE_MSG(test, nsmon_census_alive(t),
			       "fork event still to come: the probe counts it");
	nsmon_census_note(t, NSMON_SEEN_NEW);
	KUNIT_EXPECT_TRUE_MSG(test, nsmon_census_alive(t),
			      "fork event passed while inert: the census counts it");
	rcu_read_unlock();
}

/* A running or sleeping task counts until its exit is noted. */
static void nsmon_census_task_exit(struct kunit *test)
{
	struct task_struct *t = nsmon_census_task(test, TASK_INTERRUPTIBLE);

	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, nsmon_census_alive(t));
	t->flags |= PF_EXITING;
	KUNIT_EXPECT_TRUE_MSG(test, nsmon_census_alive(t),
			      "exit event still to come: the probe subtracts it");
	nsmon_census_note(t, NSMON_SEEN_EXIT);
	KUNIT_EXPECT_FALSE_MSG(test, nsmon_census_alive(t),
			       "exit event passed while inert: not counted");
	rcu_read_unlock();
}

/* A zombie never counts; a new task at a dead one's address is new. */
static void nsmon_census_task_reused(struct kunit *test)
{
	struct task_struct *t = nsmon_census_task(test, TASK_RUNNING);

	rcu_read_lock();
	t->exit_state = EXIT_ZOMBIE;
	KUNIT_EXPECT_FALSE(test, nsmon_census_alive(t));
	nsmon_census_note(t, NSMON_SEEN_EXIT);
	/* The memory is freed and a task created at the same address. */
	t->exit_state = 0;
	WRITE_ONCE(t->__state, TASK_NEW);
	nsmon_census_note(t, NSMON_SEEN_NEW);
	KUNIT_EXPECT_TRUE_MSG(test, nsmon_census_alive(t),
			      "the old task's exit note must not hide the new task");
	rcu_read_unlock();
}

static struct kunit_case nsmon_census_cases[] = {
	KUNIT_CASE(nsmon_census_task_new),
	KUNIT_CASE(nsmon_census_task_exit),
	KUNIT_CASE(nsmon_census_task_reused),
	{}
};

struct kunit_suite nsmon_census_suite = {
	.name = "nsmon_census",
	.exit = nsmon_census_exit,
	.test_cases = nsmon_census_cases,
};
