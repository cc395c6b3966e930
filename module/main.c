// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - loading and unloading nsmon, and the work that keeps /proc/nsmon
 * in step with the namespaces.
 *
 * nsmon - per-PID-namespace process counters and PID translation.
 * See README.md for the /proc contract and module/nsmon.h for the design.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/proc_fs.h>

#include "nsmon.h"
#include "events.h"

struct nsmon_table nsmon_tbl;
atomic_long_t nsmon_lost = ATOMIC_LONG_INIT(0);

/* Set while the sync work may be queued: after load, until unload. */
static bool nsmon_live;

static void nsmon_sync(struct work_struct *work);
static DECLARE_DELAYED_WORK(nsmon_sync_work, nsmon_sync);

/* While claims of dead thread groups wait to be dropped, look this often. */
#define NSMON_GROUPS_POLL	(HZ / 10)

/**
 * nsmon_sync_kick() - ask the sync work to run
 * @delay: in jiffies; 0: now, even if a later run is already queued
 *
 * Callable from a probe, except from sched_switch (queueing may wake a
 * worker, which needs the runqueue lock sched_switch holds).  Does
 * nothing while the module is not live.
 */
void nsmon_sync_kick(unsigned long delay)
{
	if (!READ_ONCE(nsmon_live))
		return;
	/*
	 * Now means now, even if a later run is already queued (a new
	 * namespace's file must not wait for a poll); a later run never
	 * postpones one that is queued sooner.
	 */
	if (!delay)
		mod_delayed_work(nsmon_wq, &nsmon_sync_work, 0);
	else
		queue_delayed_work(nsmon_wq, &nsmon_sync_work, delay);
}

/*
 * Is @e's namespace gone, as far as nsmon is concerned?
 *
 * When a namespace's init dies (the last thread of its group exits),
 * zap_pid_ns_processes() clears PIDNS_ADDING (no task can enter any more)
 * and kills every other task in it; the exit probe kicks this work at the
 * init's death and at each exit after it.  The entry goes when the
 * namespace accepts no task and none of its tasks is left: tasks is exact,
 * and once PIDNS_ADDING is clear it can only go down (a child whose fork
 * event comes after the entry went is not counted anywhere: the fork probe
 * makes no entry for such a namespace), so no read of it can be too low.
 * *dying tells the caller to look again soon: the init's group is dead but
 * the kernel has not cleared PIDNS_ADDING yet (it does so right after).
 */
static bool nsmon_ns_gone(struct nsmon_ns *e, bool *dying)
{
	struct nsmon_totals t;
	struct task_struct *init;

	*dying = false;
	if (READ_ONCE(e->ns->pid_allocated) & PIDNS_ADDING) {
		init = pid_task(find_pid_ns(1, e->ns), PIDTYPE_PID);
		*dying = !init || !atomic_read(&init->signal->live);
		return false;
	}
	nsmon_ns_read(e, &t);
	return (s64)t.sum.tasks <= 0;
}

/*
 * Unlinked entries that a CPU may still count into (nsmon_ns_running()):
 * they wait here for the next run of the sync work.  Only the sync work
 * and unload touch this list.
 */
static LIST_HEAD(nsmon_limbo);

/*
 * The sync work: forget dead namespaces, give new ones their /proc file.
 * It is the only place entries are removed, and it never runs twice at
 * once (a work item is not reentrant), so it may walk the list without
 * the table lock: entries can be added behind its back, never freed.
 *
 * Removing an entry takes five steps, because the probes find entries in
 * three ways: the hash table, their per-CPU caches, and the counters of
 * the task each CPU is running (cur_s), which they use with no lookup.
 *  1. unlink it: out of the table, the list and the inum index;
 *  2. synchronize_rcu(): every probe that found it in the table has
 *     returned, so no CPU is putting it into its cache any more;
 *  3. take it out of every CPU's cache (nsmon_probes_forget()), and
 *     synchronize_rcu() again, for a probe that read a slot just before:
 *     now only a CPU's cur_s can lead to it;
 *  4. wait until no CPU's cur_s points into it (its last task has been
 *     switched out; an exiting task makes its final switch soon): until
 *     then it waits in nsmon_limbo, looked at again on every run;
 *  5. synchronize_rcu() once more, for a probe that read cur_s just
 *     before step 4 looked, and free it.
 */
static void nsmon_sync(struct work_struct *work)
{
	static long lost_reported;
	struct nsmon_ns *e, *tmp;
	LIST_HEAD(victims);
	LIST_HEAD(dead);
	bool rearm = false;
	long lost;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &nsmon_tbl.list, list) {
		bool dying;

		if (e->ns == &init_pid_ns)
			continue;
		if (nsmon_ns_gone(e, &dying))
			list_add_tail(&e->gc, &victims);
		else
			rearm |= dying;
	}
	rcu_read_unlock();

	if (!list_empty(&victims)) {
		list_for_each_entry(e, &victims, gc) {
			nsmon_table_unlink(&nsmon_tbl, e);
			proc_remove(e->pde);	/* waits for its readers */
		}
		synchronize_rcu();
		list_for_each_entry(e, &victims, gc)
			nsmon_probes_forget(e->ns);
		synchronize_rcu();
		list_splice_tail_init(&victims, &nsmon_limbo);
	}
	list_for_each_entry_safe(e, tmp, &nsmon_limbo, gc)
		if (!nsmon_ns_running(e))
			list_move_tail(&e->gc, &dead);
	rearm |= !list_empty(&nsmon_limbo);
	if (!list_empty(&dead)) {
		synchronize_rcu();
		list_for_each_entry_safe(e, tmp, &dead, gc)
			nsmon_ns_free(e);
	}

	/* Entries only the probes could add: index them, give them a file. */
	if (nsmon_table_index(&nsmon_tbl))
		rearm = true;	/* out of memory: try again later */
	rcu_read_lock();
	list_for_each_entry_rcu(e, &nsmon_tbl.list, list) {
		if (e->pde)
			continue;
		/*
		 * proc_create_data() sleeps, so leave the RCU section.  e
		 * stays in the list meanwhile (only this work removes
		 * entries), so the walk can go on from it afterwards.
		 */
		rcu_read_unlock();
		if (nsmon_proc_add_ns(e))
			rearm = true;	/* out of memory: try again later */
		rcu_read_lock();
	}
	rcu_read_unlock();

	/* Claims of dead thread groups whose threads have all exited. */
	if (nsmon_groups_sync(false))
		nsmon_sync_kick(NSMON_GROUPS_POLL);

	lost = atomic_long_read(&nsmon_lost);
	if (lost != lost_reported) {
		pr_warn("%ld new tasks not counted: out of memory for their namespace's entry\n",
			lost - lost_reported);
		lost_reported = lost;
	}

	if (rearm)
		nsmon_sync_kick(NSMON_GROUPS_POLL);
}

static int __init nsmon_init(void)
{
	int err;

	nsmon_wait_table_init();
	err = nsmon_stats_cache_init();
	if (err)
		return err;
	err = nsmon_table_init(&nsmon_tbl);
	if (err)
		goto out_cache;
	err = nsmon_probes_register();
	if (err)
		goto out_table;
	/* The probes are attached, inert: count what exists (census.c). */
	err = nsmon_census();
	if (err)
		goto out_probes;
	pr_info("version %s loaded\n", NSMON_VERSION);
	err = nsmon_proc_init();
	if (err)
		goto out_probes;

	/* Create the per-namespace files before insmod returns. */
	WRITE_ONCE(nsmon_live, true);
	nsmon_sync_kick(0);
	flush_delayed_work(&nsmon_sync_work);
	return 0;

out_probes:
	nsmon_probes_unregister();
	nsmon_groups_sync(true);
out_table:
	nsmon_table_destroy(&nsmon_tbl);
out_cache:
	nsmon_stats_cache_exit();
	return err;
}

static void __exit nsmon_exit(void)
{
	struct nsmon_ns *e, *tmp;

	/*
	 * The probes queue the sync work no more once every probe that saw
	 * nsmon_live set has returned (a probe is an RCU read-side section,
	 * see probes.c); then the work can be cancelled for good.
	 */
	WRITE_ONCE(nsmon_live, false);
	synchronize_rcu();
	cancel_delayed_work_sync(&nsmon_sync_work);
	/*
	 * Waits for every open file's current read or write to finish.
	 * Readers go before the probes: a reader adds the runtime of each
	 * CPU's current task (c->cur), which is safe only while the switch
	 * probe replaces c->cur before a task's final switch; once the probes
	 * are gone, a task c->cur names can exit and be freed.  A reader of
	 * /proc/nsmon/events blocked in read() would keep it waiting:
	 * nsmon_events_shutdown() wakes them first.
	 */
	nsmon_events_shutdown();
	nsmon_proc_exit();
	nsmon_probes_unregister();
	nsmon_groups_sync(true);
	synchronize_rcu();
	nsmon_table_destroy(&nsmon_tbl);
	list_for_each_entry_safe(e, tmp, &nsmon_limbo, gc)
		nsmon_ns_free(e);
	nsmon_stats_cache_exit();
}

module_init(nsmon_init);
module_exit(nsmon_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(NSMON_VERSION);
MODULE_AUTHOR("nsmon developers");
MODULE_DESCRIPTION("Per-PID-namespace process counters and PID translation");
