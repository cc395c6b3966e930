// SPDX-License-Identifier: GPL-2.0
/*
 * census.c - counting the tasks that exist when nsmon is loaded, each one
 * exactly once, and telling a thread group's death once.
 *
 * The problem
 * -----------
 * tasks and processes are gauges: +1 when a task (a thread group) comes,
 * -1 when it goes.  For a namespace that existed before insmod, nsmon must
 * start from the tasks alive at some instant, and from that instant on see
 * every fork and every exit, and no others.  A walk of the task list while
 * the probes run cannot give that instant: a child copy_process() linked
 * before the walk reached it may fire sched_process_fork after the fork
 * probe is attached (counted twice), a task past sched_process_exit but not
 * yet a zombie looks alive, a task that exits while the walk runs may or
 * may not have been counted.  tasklist_lock, which would stop all that, is
 * not exported, and no tracepoint fires under it.
 *
 * The instant
 * -----------
 * stop_machine() runs a function on one CPU while every other online CPU
 * spins with interrupts off: no task forks, exits or runs meanwhile, and no
 * probe is halfway through (a probe runs with preemption disabled, and a
 * CPU only enters the stop when it can schedule).  nsmon_census_stop()
 * walks every task then, counts the live ones into their namespaces
 * (tasks, processes, and the switches and CPU time they have accumulated),
 * and switches the probes on (nsmon_state = NSMON_ACTIVE): every event
 * after the stop is counted, none before.
 *
 * What the walk cannot see
 * ------------------------
 * Stopped tasks can be halfway between two points that matter:
 *
 *  1. A task between copy_process() and its sched_process_fork (state
 *     TASK_NEW: it has never run).  If its fork event is still to come,
 *     the fork probe will count it: the walk must not.  If it passed
 *     already, the walk must.
 *  2. A task between exit_signals() (PF_EXITING) and exit_notify()
 *     (exit_state set).  If its sched_process_exit is still to come, the
 *     exit probe will subtract it: the walk must count it.  If it passed,
 *     the walk must not.
 *
 * So the probes are attached before the census, inert: while nsmon_state
 * is NSMON_CENSUS they only note in nsmon_seen which tasks' fork and exit
 * events passed (nsmon_census_note()).  That settles every event after
 * the probes were attached.  An event before that left no note; such a
 * task is in state 1 or 2 from the moment the probes are attached until it
 * runs on (woken, or a zombie).  nsmon_census_settle() takes the tasks that
 * are in state 1 or 2 without a note right after the probes are attached,
 * and waits until each has a note or has moved on.  Tasks that enter state
 * 1 or 2 later have not passed the event yet, so at the stop:
 *
 *   a task counts  unless it is a zombie (exit_state), its exit was noted,
 *                  or it is TASK_NEW without a note of its fork.
 *
 * A thread group counts when its death is still to be told: the exit probe
 * says "dead" at the first thread that sees signal->live at zero
 * (nsmon_group_dies() in probes.c).  So a group counts if signal->live is
 * not zero, or if it is zero, no probe has claimed the group yet, and one
 * of its threads is still to pass sched_process_exit.  A group whose
 * leader is TASK_NEW without a note is the fork probe's to count.
 *
 * Switches and CPU time: every task but the ones running (the stopper
 * threads) sits switched out, its nvcsw, nivcsw and runtime complete; they
 * are added as they are.  A running task's runtime is not added: the CPU's
 * probe state is set as if the probe had switched it in at runtime zero,
 * so its next switch-out adds its whole runtime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/xarray.h>

#include "nsmon.h"

int nsmon_state;

/* While the census runs: task pointer -> NSMON_SEEN_* bits. */
static DEFINE_XARRAY_FLAGS(nsmon_seen, XA_FLAGS_LOCK_IRQ);
static atomic_t nsmon_seen_lost = ATOMIC_INIT(0);

/* Thread groups claimed dead: signal_struct -> a task of it, referenced. */
static DEFINE_XARRAY_FLAGS(nsmon_groups, XA_FLAGS_LOCK_IRQ);

/**
 * nsmon_census_note() - note a task's event while the census is taken
 * @t: the task
 * @seen: what passed: NSMON_SEEN_NEW (its fork) or NSMON_SEEN_EXIT
 *
 * Called by the inert fork, newtask and exit probes.  A note that cannot
 * be stored makes the census fail with -ENOMEM.
 */
void nsmon_census_note(struct task_struct *t, unsigned long seen)
{
	unsigned long flags, old = 0;
	void *entry;

	xa_lock_irqsave(&nsmon_seen, flags);
	entry = xa_load(&nsmon_seen, (unsigned long)t);
	/*
	 * A fork note is about a new task: whatever was noted at the same
	 * address was a task that has been freed since.
	 */
	if (entry && seen != NSMON_SEEN_NEW)
		old = xa_to_value(entry);
	if (xa_err(__xa_store(&nsmon_seen, (unsigned long)t,
			      xa_mk_value(old | seen), GFP_ATOMIC)))
		atomic_inc(&nsmon_seen_lost);
	xa_unlock_irqrestore(&nsmon_seen, flags);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_census_note);

static unsigned long nsmon_seen_of(struct task_struct *t)
{
	void *entry = xa_load(&nsmon_seen, (unsigned long)t);

	return entry ? xa_to_value(entry) : 0;
}

/* In state 1 or 2 of the top comment, with no note to settle it? */
static bool nsmon_census_unsettled(struct task_struct *t)
{
	unsigned long seen = nsmon_seen_of(t);

	if (READ_ONCE(t->__state) == TASK_NEW)
		return !(seen & NSMON_SEEN_NEW);
	/*
	 * do_exit() drops the task's mm (exit_mm()) before the tracepoint:
	 * an exiting task that still has one has not passed it, and will
	 * be noted when it does.
	 */
	return (READ_ONCE(t->flags) & PF_EXITING) &&
	       !READ_ONCE(t->exit_state) && !READ_ONCE(t->mm) &&
	       !(seen & NSMON_SEEN_EXIT);
}

/**
 * nsmon_census_alive() - does a task count as alive at the census?
 * @t: the task, on the frozen task list
 *
 * Context: inside the stop (or a KUnit test), with rcu_read_lock().
 *
 * Return: false for a zombie, a task whose exit was noted, and a task
 * created but never run (TASK_NEW) whose fork was not noted (the fork
 * probe will count it); true otherwise.
 */
bool nsmon_census_alive(struct task_struct *t)
{
	unsigned long seen = nsmon_seen_of(t);

	if (t->exit_state || (seen & NSMON_SEEN_EXIT))
		return false;
	if (READ_ONCE(t->__state) == TASK_NEW)
		return seen & NSMON_SEEN_NEW;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_census_alive);

/**
 * nsmon_census_forget() - drop every note of the census
 *
 * Context: process context, while no probe notes (not NSMON_CENSUS):
 * after a census, or in a KUnit test.
 */
void nsmon_census_forget(void)
{
	xa_destroy(&nsmon_seen);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_census_forget);

/* Is the death of @g's thread group still to be told?  (At the stop.) */
static bool nsmon_census_group_alive(struct task_struct *g)
{
	struct signal_struct *sig = g->signal;
	struct task_struct *t;

	if (READ_ONCE(g->__state) == TASK_NEW &&
	    !(nsmon_seen_of(g) & NSMON_SEEN_NEW))
		return false;
	if (atomic_read(&sig->live))
		return true;
	if (nsmon_group_claimed(sig))
		return false;
	nsmon_for_each_thread(g, t)
		if (!t->exit_state && !(nsmon_seen_of(t) & NSMON_SEEN_EXIT))
			return true;
	return false;
}

/*
 * Wait until every task that was in state 1 or 2 without a note when the
 * probes were attached has a note or has moved on.  Gives up after two
 * seconds (a task blocked in do_exit() for that long): such a task is then
 * taken to be before its event, which is the likely case, and said so.
 */
#define NSMON_SETTLE_MAX	4096
#define NSMON_SETTLE_MS		2000
/*
 * How many times the census is taken again when namespaces keep being
 * born between the entries and the stop (each take is a few ms); then
 * insmod fails with -EAGAIN, and can be retried.
 */
#define NSMON_CENSUS_TRIES	16

static int nsmon_census_settle(void)
{
	struct task_struct **todo, *g, *t;
	unsigned long deadline;
	unsigned int n = 0, i;

	todo = kmalloc_array(NSMON_SETTLE_MAX, sizeof(*todo), GFP_KERNEL);
	if (!todo)
		return -ENOMEM;
	rcu_read_lock();
	for_each_process(g) {
		nsmon_for_each_thread(g, t) {
			if (!nsmon_census_unsettled(t))
				continue;
			if (n == NSMON_SETTLE_MAX)
				goto full;	/* out of both loops */
			get_task_struct(t);
			todo[n++] = t;
		}
	}
full:
	rcu_read_unlock();

	deadline = jiffies + msecs_to_jiffies(NSMON_SETTLE_MS);
	for (i = 0; i < n; ) {
		if (!nsmon_census_unsettled(todo[i])) {
			i++;
			continue;
		}
		if (time_after(jiffies, deadline)) {
			/*
			 * Still unsettled: a task being created stays
			 * "before its fork event"; an exiting one has no mm
			 * left, so it is past exit_mm() and almost surely past
			 * the tracepoint right after it: note it as exited.
			 */
			if (READ_ONCE(todo[i]->__state) != TASK_NEW)
				nsmon_census_note(todo[i], NSMON_SEEN_EXIT);
			pr_warn("census: task %d still %s after %d ms\n",
				task_pid_nr(todo[i]),
				READ_ONCE(todo[i]->__state) == TASK_NEW ?
				"being created: taken as before its fork event" :
				"exiting: taken as past its exit event",
				NSMON_SETTLE_MS);
			i++;
			continue;
		}
		usleep_range(1000, 2000);
	}
	for (i = 0; i < n; i++)
		put_task_struct(todo[i]);
	kfree(todo);
	if (n == NSMON_SETTLE_MAX)
		pr_warn("census: more than %d tasks exiting at once; the first %d were waited for\n",
			NSMON_SETTLE_MAX, NSMON_SETTLE_MAX);
	return 0;
}

/* The entry of @pid's namespace, made if needed.  NULL: out of memory. */
static struct nsmon_ns *nsmon_census_entry(struct pid *pid)
{
	bool created;

	return nsmon_table_get_or_create(&nsmon_tbl, nsmon_pid_active_ns(pid),
					 &created);
}

/*
 * The entry of @pid's namespace, if it has one; never makes one.  The stop
 * runs with interrupts off, and making an entry takes a lock of the hash
 * table's bucket that, before Linux 6.9, is a local_bh_disable() lock:
 * releasing it with interrupts off is a bug (lockdep warns in
 * __local_bh_enable_ip(), and pending softirqs would run, with interrupts
 * enabled, in the middle of the stop).
 */
static struct nsmon_ns *nsmon_census_known(struct pid *pid)
{
	return nsmon_table_lookup(&nsmon_tbl, nsmon_pid_active_ns(pid));
}

/*
 * The CPU that @t runs on: set its probe state as if the switch probe had
 * switched @t in at runtime zero (see the top comment).
 */
static void nsmon_census_running(struct task_struct *t, struct nsmon_ns *e)
{
	int cpu = task_cpu(t);
	struct nsmon_cpu *c = per_cpu_ptr(&nsmon_cpu, cpu);

	raw_write_seqcount_begin(&c->seq);
	c->cur = t;
	c->cur_s = e ? nsmon_ns_stats(e, cpu) : &c->sink;
	c->cur_nvcsw = t->nvcsw;
	/*
	 * Its wait before this slice is in run_delay already, and its
	 * arrival in pcount: this slice makes no histogram sample.
	 */
	c->cur_rd = nsmon_run_delay(t);
	c->cur_arrived = 0;
	raw_write_seqcount_end(&c->seq);
}

/*
 * Has every task's namespace an entry?  nsmon_census_entries() made them
 * before the stop; a namespace born since (rare: its init forked between
 * the two) has none, and the census is taken again.
 */
static bool nsmon_census_all_known(void)
{
	struct task_struct *g, *t;
	struct pid *pid;

	for_each_process(g) {
		nsmon_for_each_thread(g, t) {
			pid = t->thread_pid;
			if (pid && !nsmon_census_known(pid))
				return false;
		}
	}
	return true;
}

/*
 * Runs on one CPU, every other CPU stopped, interrupts off.  -EAGAIN: a
 * namespace has no entry yet, nothing was counted; take it again.
 */
static int nsmon_census_stop(void *unused)
{
	struct task_struct *g, *t;
	struct nsmon_stats *s;
	struct nsmon_ns *e;
	struct pid *pid;

	rcu_read_lock();
	if (!nsmon_census_all_known()) {
		rcu_read_unlock();
		return -EAGAIN;
	}
	for_each_process(g) {
		pid = g->signal->pids[PIDTYPE_TGID];
		if (pid && nsmon_census_group_alive(g)) {
			/* The namespace of its threads: known. */
			e = nsmon_census_known(pid);
			if (!WARN_ON_ONCE(!e)) {
				s = nsmon_ns_stats(e, smp_processor_id());
				s->procs++;
			}
		}
		nsmon_for_each_thread(g, t) {
			pid = t->thread_pid;
			e = NULL;
			if (pid && nsmon_census_alive(t)) {
				e = nsmon_census_known(pid);
				if (WARN_ON_ONCE(!e))
					continue;
				s = nsmon_ns_stats(e, smp_processor_id());
				s->tasks++;
				s->switches += t->nvcsw + t->nivcsw;
				s->voluntary_switches += t->nvcsw;
				if (!t->on_cpu)
					s->cpu_ns += t->se.sum_exec_runtime;
			}
			if (t->on_cpu)
				nsmon_census_running(t, e);
		}
	}
	rcu_read_unlock();
	WRITE_ONCE(nsmon_state, NSMON_ACTIVE);
	return 0;
}

/*
 * Entries for the namespaces of every task, made before the stop, with
 * interrupts on (see nsmon_census_known()).
 */
static int nsmon_census_entries(void)
{
	struct task_struct *g, *t;
	struct pid *pid;
	int err = 0;

	rcu_read_lock();
	for_each_process(g) {
		nsmon_for_each_thread(g, t) {
			pid = READ_ONCE(t->thread_pid);
			if (pid && !nsmon_census_entry(pid)) {
				err = -ENOMEM;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return err;
}

/**
 * nsmon_census() - take the census
 *
 * Context: process context, with the probes attached and inert
 * (NSMON_CENSUS).
 *
 * Return: 0, and the probes count from now on; or a negative error
 * (logged) if the census failed: -ENOMEM, or -EAGAIN if namespaces kept
 * being born between the entries and the stop NSMON_CENSUS_TRIES times.
 */
int nsmon_census(void)
{
	int err, tries;

	err = nsmon_census_settle();
	/* A namespace born between the entries and the stop: again. */
	for (tries = 0; !err && tries < NSMON_CENSUS_TRIES; tries++) {
		err = nsmon_census_entries();
		if (!err)
			err = stop_machine(nsmon_census_stop, NULL, NULL);
		if (err != -EAGAIN)
			break;
		err = 0;
		cond_resched();
	}
	if (!err && tries == NSMON_CENSUS_TRIES)
		err = -EAGAIN;
	/* No probe notes any more: the stop saw every one that did. */
	nsmon_census_forget();
	if (!err && atomic_read(&nsmon_seen_lost))
		err = -ENOMEM;	/* a note could not be stored */
	if (err)
		pr_err("census failed: %pe\n", ERR_PTR(err));
	return err;
}

/**
 * nsmon_group_claimed() - has a thread of a group claimed its death?
 * @sig: the thread group's signal_struct
 *
 * Return: true if nsmon_group_claim() succeeded for a thread of @sig.
 */
bool nsmon_group_claimed(struct signal_struct *sig)
{
	return xa_load(&nsmon_groups, (unsigned long)sig);
}

/**
 * nsmon_group_claim() - claim the death of a thread group
 * @p: a thread of the group
 *
 * @p's thread group is dead (signal->live is zero) and more than one of its
 * threads may see it.  The claim stays until every thread of the group has
 * passed sched_process_exit (nsmon_groups_sync()).
 *
 * Return: true if @p is the first to claim it.
 */
bool nsmon_group_claim(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	unsigned long flags;
	bool first = false;

	xa_lock_irqsave(&nsmon_groups, flags);
	if (!xa_load(&nsmon_groups, (unsigned long)sig)) {
		first = true;
		get_task_struct(p);
		if (xa_err(__xa_store(&nsmon_groups, (unsigned long)sig, p,
				      GFP_ATOMIC))) {
			put_task_struct(p);	/* p is alive: not the last */
			atomic_long_inc(&nsmon_lost);
		}
	}
	xa_unlock_irqrestore(&nsmon_groups, flags);
	if (first)
		nsmon_sync_kick(HZ / 10);
	return first;
}

/**
 * nsmon_groups_sync() - drop the claims of groups that are gone
 * @all: drop every claim (unload)
 *
 * For the sync work (and unload, with @all): drop the claims of groups
 * whose threads have all passed sched_process_exit.
 *
 * Return: true if claims remain.
 */
bool nsmon_groups_sync(bool all)
{
	struct task_struct *p, *t;
	unsigned long idx;
	bool busy, left = false;

	xa_for_each(&nsmon_groups, idx, p) {
		busy = false;
		if (!all) {
			rcu_read_lock();
			nsmon_for_each_thread(p, t)
				if (!READ_ONCE(t->exit_state))
					busy = true;
			rcu_read_unlock();
		}
		if (busy) {
			left = true;
			continue;
		}
		xa_erase_irq(&nsmon_groups, idx);
		put_task_struct(p);
	}
	return left;
}
