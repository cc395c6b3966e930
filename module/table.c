// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - the namespace table, and the walk from a task to its PIDs.
 *
 * Lifetime rules, in one place:
 *
 * - An entry holds a counted reference on its pid_namespace, so the key of
 *   an entry can never be freed (or reused by a new namespace at the same
 *   address, or under the same inode number) while the entry exists.
 *
 * - Entries are inserted by the fork probe (atomic context) and by the task
 *   walk at module load, and removed only by the sync work (process
 *   context).  Both take tbl->lock, so the hash table and the sorted list
 *   always agree.  Readers (the probes, the /proc files) take no lock: they
 *   run under RCU, and the sync work frees an entry only after unlinking it
 *   and waiting for a grace period, for no CPU to be running one of its
 *   tasks (the switch probe keeps that task's counters at hand without a
 *   lookup), and for another grace period: see nsmon_sync().
 *
 * - A probe runs with preemption disabled, which since Linux 4.20 is an RCU
 *   read-side critical section as far as grace periods are concerned, so a
 *   pointer a probe obtained stays valid until the probe returns.
 */
#include <linux/rhashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>

#include "nsmon.h"

static const struct rhashtable_params nsmon_ht_params = {
	.key_len	= sizeof(struct pid_namespace *),
	.key_offset	= offsetof(struct nsmon_ns, ns),
	.head_offset	= offsetof(struct nsmon_ns, node),
	.automatic_shrinking = true,
};

int nsmon_table_init(struct nsmon_table *tbl)
{
	INIT_LIST_HEAD(&tbl->list);
	spin_lock_init(&tbl->lock);
	return rhashtable_init(&tbl->ht, &nsmon_ht_params);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_init);

static void nsmon_ht_free(void *ptr, void *arg)
{
	nsmon_ns_free(ptr);
}

/*
 * Free every entry.  Only for teardown: the caller guarantees that no probe
 * and no reader can reach the table any more.
 */
void nsmon_table_destroy(struct nsmon_table *tbl)
{
	INIT_LIST_HEAD(&tbl->list);
	rhashtable_free_and_destroy(&tbl->ht, nsmon_ht_free, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_destroy);

/* Caller holds rcu_read_lock() or has preemption disabled. */
struct nsmon_ns *nsmon_table_lookup(struct nsmon_table *tbl,
				    struct pid_namespace *ns)
{
	struct nsmon_ns *e;

	rcu_read_lock();
	e = rhashtable_lookup(&tbl->ht, &ns, nsmon_ht_params);
	rcu_read_unlock();
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_lookup);

/*
 * Find an entry by inode number: a walk of the sorted list, used only by
 * the lookup file.  Caller holds rcu_read_lock().
 */
struct nsmon_ns *nsmon_table_find_inum(struct nsmon_table *tbl,
				       unsigned int inum)
{
	struct nsmon_ns *e;

	list_for_each_entry_rcu(e, &tbl->list, list) {
		if (e->inum == inum)
			return e;
		if (e->inum > inum)
			break;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_find_inum);

static struct nsmon_ns *nsmon_ns_alloc(struct pid_namespace *ns)
{
	struct nsmon_ns *e;

	/* Called from a probe: no sleeping allocation. */
	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return NULL;
	e->stats = alloc_percpu_gfp(struct nsmon_stats,
				    GFP_ATOMIC | __GFP_NOWARN);
	if (!e->stats) {
		kfree(e);
		return NULL;
	}
	/*
	 * The caller found ns through a live task's struct pid, and a struct
	 * pid pins the namespaces of all its levels, so a plain get is safe.
	 */
	e->ns = get_pid_ns(ns);
	e->inum = ns->ns.inum;
	INIT_LIST_HEAD(&e->gc);
	return e;
}

/* Free an entry that is unreachable: unlinked and past a grace period. */
void nsmon_ns_free(struct nsmon_ns *e)
{
	free_percpu(e->stats);
	/* Never the last reference when called from a probe: see above. */
	put_pid_ns(e->ns);
	kfree(e);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_free);

/*
 * Return the entry of @ns, creating it if needed; *created tells which.
 * Safe in atomic context.  Returns NULL only when memory is short.
 */
struct nsmon_ns *nsmon_table_get_or_create(struct nsmon_table *tbl,
					   struct pid_namespace *ns,
					   bool *created)
{
	struct nsmon_ns *e, *old, *pos;

	*created = false;
	e = nsmon_table_lookup(tbl, ns);
	if (e)
		return e;

	e = nsmon_ns_alloc(ns);
	if (!e)
		return NULL;

	spin_lock(&tbl->lock);
	old = rhashtable_lookup_get_insert_fast(&tbl->ht, &e->node,
						nsmon_ht_params);
	if (!old) {
		/* Keep the list sorted by inum: the tables resume by it. */
		list_for_each_entry(pos, &tbl->list, list)
			if (pos->inum > e->inum)
				break;
		list_add_tail_rcu(&e->list, &pos->list);
	}
	spin_unlock(&tbl->lock);

	if (old) {
		/* Lost a race with another CPU (old), or out of memory. */
		nsmon_ns_free(e);
		return IS_ERR(old) ? NULL : old;
	}
	*created = true;
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_get_or_create);

/*
 * Make @e unreachable for new table lookups.  The probes' caches and the
 * CPUs running its tasks may still hold it: nsmon_sync() in main.c shows
 * how long to wait before nsmon_ns_free(e).
 */
void nsmon_table_unlink(struct nsmon_table *tbl, struct nsmon_ns *e)
{
	spin_lock(&tbl->lock);
	rhashtable_remove_fast(&tbl->ht, &e->node, nsmon_ht_params);
	list_del_rcu(&e->list);
	spin_unlock(&tbl->lock);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_unlink);

/*
 * Sum an entry over all CPUs.  Caller holds rcu_read_lock().
 *
 * cpu_ns per CPU is the runtime its tasks had at switch-out minus what
 * they had at switch-in (see probes.c): a task that is running right now
 * has been subtracted and not yet added back.  Add the current runtime of
 * every CPU's running task of @e, read consistently with that CPU's
 * counter under its seqcount; the total is then the CPU time of all of
 * @e's tasks up to their last update, running ones included.  The
 * task_struct behind cur stays valid under RCU: a task is freed through
 * call_rcu() only after its final switch, and that switch replaces cur
 * first.
 */
void nsmon_ns_read(const struct nsmon_ns *e, struct nsmon_totals *t)
{
	struct nsmon_stats *sum = &t->sum;
	int cpu, i;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct nsmon_stats *s = per_cpu_ptr(e->stats, cpu);
		struct nsmon_cpu *c = per_cpu_ptr(&nsmon_cpu, cpu);
		unsigned int seq;
		u64 cpu_ns;

		for (i = 0; i < NSMON_NCTRS; i++)
			sum->ctr[i] += READ_ONCE(s->ctr[i]);
		sum->tasks += READ_ONCE(s->tasks);
		sum->procs += READ_ONCE(s->procs);
		do {
			seq = read_seqcount_begin(&c->seq);
			cpu_ns = READ_ONCE(s->cpu_ns);
			if (READ_ONCE(c->cur_s) == s) {
				struct task_struct *cur = READ_ONCE(c->cur);

				cpu_ns += READ_ONCE(cur->se.sum_exec_runtime);
			}
		} while (read_seqcount_retry(&c->seq, seq));
		sum->cpu_ns += cpu_ns;
	}
	/*
	 * Below zero only for a moment, while a task forked on one CPU
	 * exits on another one that this loop read first.
	 */
	t->tasks = max_t(s64, sum->tasks, 0);
	t->processes = max_t(s64, sum->procs, 0);
	/* Two's complement: the gauges are s64 values kept in u64 fields. */
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_read);

/*
 * Is some CPU running a task of @e, by the probes' book (its cur_s points
 * into @e)?  Such a CPU will count into @e at its next switch without
 * looking @e up, so @e must not be freed yet, even if it is unlinked.
 */
bool nsmon_ns_running(const struct nsmon_ns *e)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (READ_ONCE(per_cpu_ptr(&nsmon_cpu, cpu)->cur_s) ==
		    per_cpu_ptr(e->stats, cpu))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_running);

/*
 * Can a procfs mounted for @view see @ns?  Yes when @ns is @view or one of
 * its descendants: climb from @ns to @view's level and compare.  The
 * parent chain is pinned by @ns's own reference on its parent.
 */
bool nsmon_ns_visible(const struct pid_namespace *ns,
		      const struct pid_namespace *view)
{
	while (ns && ns->level > view->level)
		ns = ns->parent;
	return ns == view;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_visible);

/*
 * PID, in @view, of @ns's init (its PID 1), or 0 if it has exited or is
 * exiting.  Caller holds rcu_read_lock().
 */
pid_t nsmon_init_pid(struct pid_namespace *ns, struct pid_namespace *view)
{
	struct pid *pid = find_pid_ns(1, ns);
	struct task_struct *t = pid_task(pid, PIDTYPE_PID);

	if (!t || (READ_ONCE(t->flags) & PF_EXITING))
		return 0;
	return pid_nr_ns(pid, view);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_init_pid);
