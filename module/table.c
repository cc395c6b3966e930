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
 *   context).  Both take tbl->lock, so the hash table, the list and the
 *   pending list always agree; inside the lock an insertion does O(1)
 *   work whatever the number of entries (the hash table grows in a
 *   worker, not in the probe).
 *
 * - The index (inum -> entry, an xarray) needs memory to grow, so the
 *   probes never touch it: a new entry waits on tbl->pending (a lock-free
 *   llist) until someone in process context calls nsmon_table_index(): the
 *   sync work, a reader of a table or lookup before it looks (so a reader
 *   never misses an entry the probes already made), and nsmon_table_unlink()
 *   (so a freed entry can never be left pending).  tbl->index_lock orders
 *   them.  Index readers use xa_load()/xa_find() under rcu_read_lock().
 *
 * - Readers (the probes, the /proc files) take no lock: they
 *   run under RCU, and the sync work frees an entry only after unlinking it
 *   and waiting for a grace period, for no CPU to be running one of its
 *   tasks (the switch probe keeps that task's counters at hand without a
 *   lookup), and for another grace period: see nsmon_sync().
 *
 * - A probe runs with preemption disabled, which since Linux 4.20 is an RCU
 *   read-side critical section as far as grace periods are concerned, so a
 *   pointer a probe obtained stays valid until the probe returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

/**
 * nsmon_table_init() - initialise an empty table
 * @tbl: the table to initialise
 *
 * Return: 0, or the error of rhashtable_init() (-ENOMEM, -EINVAL).
 */
int nsmon_table_init(struct nsmon_table *tbl)
{
	INIT_LIST_HEAD(&tbl->list);
	spin_lock_init(&tbl->lock);
	xa_init(&tbl->index);
	init_llist_head(&tbl->pending);
	mutex_init(&tbl->index_lock);
	return rhashtable_init(&tbl->ht, &nsmon_ht_params);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_init);

static void nsmon_ht_free(void *ptr, void *arg)
{
	nsmon_ns_free(ptr);
}

/**
 * nsmon_table_destroy() - free every entry and the table's own memory
 * @tbl: the table
 *
 * Only for teardown: the caller guarantees that no probe and no reader can
 * reach the table any more.
 */
void nsmon_table_destroy(struct nsmon_table *tbl)
{
	INIT_LIST_HEAD(&tbl->list);
	/* The index only points to entries: the hash table frees them. */
	xa_destroy(&tbl->index);
	init_llist_head(&tbl->pending);
	mutex_destroy(&tbl->index_lock);
	rhashtable_free_and_destroy(&tbl->ht, nsmon_ht_free, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_destroy);

/**
 * nsmon_table_lookup() - find the entry of a namespace in the hash table
 * @tbl: the table
 * @ns: the PID namespace, the key
 *
 * rhashtable_lookup_fast(), which takes rcu_read_lock() around the lookup
 * itself.  The entry is freed only after an RCU grace period, so the
 * caller holds rcu_read_lock() or has preemption disabled (a probe) for
 * as long as it uses the result.
 *
 * Return: the entry, or NULL if @ns has none.
 */
struct nsmon_ns *nsmon_table_lookup(struct nsmon_table *tbl,
				    struct pid_namespace *ns)
{
	return rhashtable_lookup_fast(&tbl->ht, &ns, nsmon_ht_params);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_lookup);

/*
 * Put the entries the probes created since the last call into the index,
 * except @skip (an entry being unlinked).  Caller holds tbl->index_lock.
 * An entry the index has no memory for goes back to the pending list.
 */
static int nsmon_table_index_locked(struct nsmon_table *tbl,
				    struct nsmon_ns *skip)
{
	struct llist_node *first = llist_del_all(&tbl->pending);
	struct nsmon_ns *e, *tmp;
	int ret = 0;

	llist_for_each_entry_safe(e, tmp, first, pending) {
		int err;

		if (e == skip)
			continue;
		err = xa_insert(&tbl->index, e->inum, e, GFP_KERNEL);
		/* -EBUSY: two live entries with one inum, impossible. */
		if (WARN_ON_ONCE(err == -EBUSY))
			continue;
		if (err) {
			llist_add(&e->pending, &tbl->pending);
			ret = err;
		}
	}
	return ret;
}

/**
 * nsmon_table_index() - index the entries the probes created
 * @tbl: the table
 *
 * Moves the entries of the pending list into the inum index: O(log N)
 * each.  Process context (it may sleep).
 *
 * Always under index_lock, even when the pending list looks empty: it is
 * empty too while another caller holds the lock with the entries taken
 * off it and not yet in the index, and a reader that looked at the list
 * alone would then miss an entry the probes made before it looked.
 *
 * Return: 0, or -ENOMEM if some are left for a later call.
 */
int nsmon_table_index(struct nsmon_table *tbl)
{
	int ret;

	mutex_lock(&tbl->index_lock);
	ret = nsmon_table_index_locked(tbl, NULL);
	mutex_unlock(&tbl->index_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_index);

/**
 * nsmon_table_find_inum() - find an entry by inode number in the index
 * @tbl: the table
 * @inum: the namespace's inode number
 *
 * O(log N).  Caller holds rcu_read_lock(), and has called
 * nsmon_table_index() to see the newest entries.
 *
 * Return: the entry, or NULL if no indexed entry has @inum.
 */
struct nsmon_ns *nsmon_table_find_inum(struct nsmon_table *tbl,
				       unsigned int inum)
{
	return xa_load(&tbl->index, inum);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_find_inum);

/**
 * nsmon_table_find_from() - where a table read resumes
 * @tbl: the table
 * @inum: the smallest inode number wanted
 *
 * O(log N).  Same rules as nsmon_table_find_inum().
 *
 * Return: the indexed entry with the smallest inum >= @inum, or NULL.
 */
struct nsmon_ns *nsmon_table_find_from(struct nsmon_table *tbl,
				       unsigned long inum)
{
	if (inum > U32_MAX)
		return NULL;
	return xa_find(&tbl->index, &inum, U32_MAX, XA_PRESENT);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_find_from);

u8 nsmon_wait_base[64] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(nsmon_wait_base);
u64 nsmon_wait_next[64] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(nsmon_wait_next);

/* What nsmon_wait_bucket() computes, the plain way. */
static unsigned int nsmon_wait_bucket_div(u64 ns)
{
	return min_t(unsigned int, fls64(div_u64(ns, NSEC_PER_USEC)),
		     NSMON_WAIT_BUCKETS - 1);
}

/**
 * nsmon_wait_table_init() - fill the tables of nsmon_wait_bucket()
 *
 * For each power of two of nanoseconds [2^k, 2^(k+1)): the bucket of its
 * first value, and the first value of the next bucket if the range
 * reaches it (1000 * 2^bucket ns, the bound where ns / 1000 gains a bit),
 * else U64_MAX, which no value of the range can reach (for k == 63,
 * U64_MAX itself is in the range, and its bucket is the last, so the
 * entry says "one below, plus one from 0 on").  Context: module load,
 * before the probes.
 */
void nsmon_wait_table_init(void)
{
	unsigned int k, b;

	for (k = 0; k < 64; k++) {
		u64 lo = 1ULL << k, hi = lo + (lo - 1);

		b = nsmon_wait_bucket_div(lo);
		if (nsmon_wait_bucket_div(hi) != b) {
			nsmon_wait_base[k] = b;
			nsmon_wait_next[k] = NSEC_PER_USEC << b;
		} else if (k == 63) {
			nsmon_wait_base[k] = b - 1;
			nsmon_wait_next[k] = 0;
		} else {
			nsmon_wait_base[k] = b;
			nsmon_wait_next[k] = U64_MAX;
		}
	}
}

/* The counters of an entry, one cache line per CPU (nsmon_ns_stats()). */
static struct kmem_cache *nsmon_stats_cache;

/**
 * nsmon_stats_cache_init() - create the slab cache of entries' counters
 *
 * Context: module load, before any entry is made.  An object holds one
 * cache-line aligned struct nsmon_stats per possible CPU id.
 *
 * Return: 0, or -ENOMEM.
 */
int nsmon_stats_cache_init(void)
{
	nsmon_stats_cache = kmem_cache_create("nsmon_stats",
					      nr_cpu_ids *
					      sizeof(struct nsmon_stats),
					      SMP_CACHE_BYTES,
					      SLAB_HWCACHE_ALIGN, NULL);
	return nsmon_stats_cache ? 0 : -ENOMEM;
}

/**
 * nsmon_stats_cache_exit() - destroy the slab cache of entries' counters
 *
 * Context: module unload, once every entry has been freed.
 */
void nsmon_stats_cache_exit(void)
{
	kmem_cache_destroy(nsmon_stats_cache);
}

static struct nsmon_ns *nsmon_ns_alloc(struct pid_namespace *ns)
{
	struct nsmon_ns *e;

	/* Called from a probe: no sleeping allocation. */
	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return NULL;
	e->stats = kmem_cache_zalloc(nsmon_stats_cache,
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

/**
 * nsmon_ns_free() - free an entry
 * @e: the entry, unreachable: unlinked and past a grace period
 *
 * Drops the entry's reference on its namespace.
 */
void nsmon_ns_free(struct nsmon_ns *e)
{
	kmem_cache_free(nsmon_stats_cache, e->stats);
	/* Never the last reference when called from a probe: see above. */
	put_pid_ns(e->ns);
	kfree(e);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_free);

/**
 * nsmon_table_get_or_create() - the entry of a namespace, created if needed
 * @tbl: the table
 * @ns: the PID namespace
 * @created: set to true if this call created the entry (left alone if not)
 *
 * Safe in atomic context: O(1), no allocation under the table's lock.  A
 * new entry goes to the hash table, the list's tail and the pending list;
 * nsmon_table_index() puts it into the index later.
 *
 * Return: the entry, or NULL only when memory is short.
 */
struct nsmon_ns *nsmon_table_get_or_create(struct nsmon_table *tbl,
					   struct pid_namespace *ns,
					   bool *created)
{
	struct nsmon_ns *e, *old;

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
		/*
		 * O(1) whatever the table's size.  Pending before the lock
		 * is dropped: nsmon_table_unlink() takes the lock before it
		 * looks at the pending list, so it cannot miss @e there.
		 */
		list_add_tail_rcu(&e->list, &tbl->list);
		llist_add(&e->pending, &tbl->pending);
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

/**
 * nsmon_table_get_for_fork() - the entry of the namespace a task was forked into
 * @tbl: the table
 * @ns: the new task's PID namespace
 * @created: as for nsmon_table_get_or_create()
 *
 * The fork probe makes entries after module load (when a namespace's
 * first task, its init, is forked into it), but not for a namespace that
 * no longer accepts tasks: once its init has died, zap_pid_ns_processes()
 * clears PIDNS_ADDING, and the sync work may remove its entry as soon as
 * its tasks are gone.  A task that had setns() into it, whose fork passed
 * copy_process()'s own PIDNS_ADDING check just before it was cleared,
 * reaches the fork probe after that; an entry made then would bring the
 * namespace back with zeroed counters and a new /proc file (issue 11,
 * point 5).  Such a child is counted nowhere, and dies at once: it is in
 * a namespace being zapped.  Atomic context, as the probe.
 *
 * Return: the entry; NULL when memory is short; ERR_PTR(-ESRCH) when @ns
 * no longer accepts tasks and has no entry (none is made).
 */
struct nsmon_ns *nsmon_table_get_for_fork(struct nsmon_table *tbl,
					  struct pid_namespace *ns,
					  bool *created)
{
	*created = false;
	if (!(READ_ONCE(ns->pid_allocated) & PIDNS_ADDING))
		return nsmon_table_lookup(tbl, ns) ?: ERR_PTR(-ESRCH);
	return nsmon_table_get_or_create(tbl, ns, created);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_get_for_fork);

/**
 * nsmon_table_unlink() - make an entry unreachable for new table lookups
 * @tbl: the table
 * @e: the entry
 *
 * The probes' caches and the CPUs running its tasks may still hold @e:
 * nsmon_sync() in main.c shows how long to wait before nsmon_ns_free(e).
 * Process context (it may sleep for the index lock).
 */
void nsmon_table_unlink(struct nsmon_table *tbl, struct nsmon_ns *e)
{
	spin_lock(&tbl->lock);
	rhashtable_remove_fast(&tbl->ht, &e->node, nsmon_ht_params);
	list_del_rcu(&e->list);
	spin_unlock(&tbl->lock);

	/*
	 * Out of the index too.  @e may still be pending: empty the pending
	 * list first, leaving @e out, so that no later nsmon_table_index()
	 * can find it there after it is freed.
	 */
	mutex_lock(&tbl->index_lock);
	nsmon_table_index_locked(tbl, e);
	xa_cmpxchg(&tbl->index, e->inum, e, NULL, 0);
	mutex_unlock(&tbl->index_lock);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_table_unlink);

/**
 * nsmon_ns_read() - sum an entry over all CPUs
 * @e: the entry
 * @t: filled with the sums and the values computed from them
 *
 * Caller holds rcu_read_lock().
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
		const struct nsmon_stats *s = nsmon_ns_stats(e, cpu);
		struct nsmon_cpu *c = per_cpu_ptr(&nsmon_cpu, cpu);
		unsigned int seq;
		u64 cpu_ns;

		for (i = 0; i < NSMON_NCTRS; i++)
			sum->ctr[i] += READ_ONCE(s->ctr[i]);
		sum->tasks += READ_ONCE(s->tasks);
		sum->procs += READ_ONCE(s->procs);
		sum->wait_gone += READ_ONCE(s->wait_gone);
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

#ifdef NSMON_HAVE_WAIT
/**
 * nsmon_ns_wait() - the run-queue wait of an entry's tasks, live and gone
 * @e: the entry
 * @t: its sums, just read by nsmon_ns_read()
 *
 * Caller holds rcu_read_lock().
 *
 * A task's run_delay grows while the task is not running (see probes.c),
 * so, unlike CPU time, it cannot be kept per CPU by the switch probe
 * alone.  wait_ns is instead the run_delay of every live task of the
 * namespace, read here, plus that of every task that made its final
 * switch since insmod, which the switch probe added to wait_gone.  Both
 * include what tasks alive at insmod had waited before it, as cpu_ns
 * does.  The namespace's PIDs are in its pid IDR, as for procfs's own
 * readdir; a task of this namespace (not of a descendant) is one whose
 * struct pid has the namespace's level.
 *
 * Read wait_gone first, then the tasks.  A task's final switch sets
 * TASK_DEAD before the probe adds its run_delay, with the full barrier of
 * __schedule() in between; so if our read of wait_gone (before the
 * barrier below) included a task, the walk sees it TASK_DEAD and skips
 * it: never counted twice.  It can be counted zero times for a moment: a
 * thread that reaps itself leaves the IDR before its final switch, or the
 * walk sees TASK_DEAD before the add.  So that a counter never goes back,
 * the value printed is the largest computed so far (wait_shown), as the
 * kernel keeps per-task CPU times monotonic (cputime_adjust()); it is
 * exact again as soon as the moment has passed.
 *
 * Cost: one step per PID of the namespace and its descendants, in the
 * reader's own context; no probe pays anything for it.
 *
 * Return: wait_ns of @e, in ns.
 */
u64 nsmon_ns_wait(struct nsmon_ns *e, const struct nsmon_totals *t)
{
	struct pid_namespace *ns = e->ns;
	u64 wait = t->sum.wait_gone;
	struct task_struct *task;
	struct pid *pid;
	s64 shown;
	int nr;

	smp_rmb();	/* wait_gone before the tasks' states: see above */
	idr_for_each_entry(&ns->idr, pid, nr) {
		if (pid->level != ns->level)
			continue;
		task = pid_task(pid, PIDTYPE_PID);
		if (!task || READ_ONCE(task->__state) == TASK_DEAD)
			continue;
		/*
		 * run_delay changes under the task's runqueue lock, which we
		 * do not take: an aligned u64 read on a 64-bit kernel, racing
		 * as /proc/<pid>/schedstat's own read does.
		 */
		wait += data_race(READ_ONCE(nsmon_run_delay(task)));
	}
	shown = atomic64_read(&e->wait_shown);
	do {
		if (wait <= (u64)shown)
			return shown;
	} while (!atomic64_try_cmpxchg(&e->wait_shown, &shown, wait));
	return wait;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_wait);
#endif

/**
 * nsmon_ns_running() - is some CPU running a task of an entry?
 * @e: the entry
 *
 * By the probes' book: some CPU's cur_s points into @e.  Such a CPU will
 * count into @e at its next switch without looking @e up, so @e must not
 * be freed yet, even if it is unlinked.
 *
 * Return: true if a CPU's cur_s points into @e.
 */
bool nsmon_ns_running(const struct nsmon_ns *e)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (READ_ONCE(per_cpu_ptr(&nsmon_cpu, cpu)->cur_s) ==
		    nsmon_ns_stats(e, cpu))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_running);

/**
 * nsmon_ns_visible() - can a procfs mounted for a view see a namespace?
 * @ns: the namespace
 * @view: the PID namespace of the procfs
 *
 * Climb from @ns to @view's level and compare.  The parent chain is pinned
 * by @ns's own reference on its parent.
 *
 * Return: true when @ns is @view or one of its descendants.
 */
bool nsmon_ns_visible(const struct pid_namespace *ns,
		      const struct pid_namespace *view)
{
	while (ns && ns->level > view->level)
		ns = ns->parent;
	return ns == view;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_visible);

/**
 * nsmon_init_pid() - the PID of a namespace's init, as a view sees it
 * @ns: the namespace
 * @view: the PID namespace whose numbers to use
 *
 * Caller holds rcu_read_lock().
 *
 * Return: the PID in @view of @ns's init (its PID 1), or 0 if it has
 * exited or is exiting.
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
