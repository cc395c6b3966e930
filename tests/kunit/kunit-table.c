// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-table.c - the nsmon_table suite: one entry per namespace,
 * found by pointer or inum; its counters, its readers and its races.
 */
#include "nsmon_kunit.h"

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
	c->cur_s = nsmon_ns_stats(e, smp_processor_id());
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
	set->s[0] = nsmon_ns_stats(ea, smp_processor_id());
	WRITE_ONCE(set->ns[0], a);
	set->s[1] = nsmon_ns_stats(eb, smp_processor_id());
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
	KUNIT_EXPECT_EQ(test, t.sum.switches, 13ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.voluntary_switches, 10ULL * n);
	KUNIT_EXPECT_EQ(test, t.sum.cpu_ns, 1000ULL * n);
	KUNIT_EXPECT_EQ(test, t.tasks, (s64)(3 * n));
	KUNIT_EXPECT_EQ(test, t.processes, (s64)n);

	/*
	 * An exit counted on a CPU the reader read before the fork's CPU can
	 * make the sum negative for a moment: shown as 0, never as 2^64 - 1.
	 */
	nsmon_ns_stats(e, 0)->tasks -= 1000;
	nsmon_ns_stats(e, 0)->procs -= 1000;
	rcu_read_lock();
	nsmon_ns_read(e, &t);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, t.tasks, (s64)0);
	KUNIT_EXPECT_EQ(test, t.processes, (s64)0);
}

#ifdef NSMON_HAVE_WAIT
/*
 * The wait histogram's buckets are the ones its keys name
 * (include/nsmon/keys.h): wait_lt_1us, then wait_lt_<2^i>us for waits
 * from 2^(i-1) us, then wait_ge_1048576us.
 */
static void nsmon_table_wait_buckets(struct kunit *test)
{
	static const char *const keys[] = {
		NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
	};
	char name[32];
	int i;

	KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(0), 0UL);
	KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(999), 0UL);
	KUNIT_EXPECT_STREQ(test, keys[NSMON_KEY_wait_lt_1us], "wait_lt_1us");
	for (i = 1; i < NSMON_WAIT_BUCKETS - 1; i++) {
		u64 lo = 1000ULL << (i - 1);

		/* The bucket whose key says "below 2^i us" starts at 2^(i-1). */
		snprintf(name, sizeof(name), "wait_lt_%lluus", 1ULL << i);
		KUNIT_EXPECT_STREQ(test, keys[NSMON_KEY_wait_lt_1us + i], name);
		KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(lo - 1), i - 1UL);
		KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(lo), (unsigned long)i);
	}
	KUNIT_EXPECT_STREQ(test, keys[NSMON_KEY_wait_lt_1us + i],
			   "wait_ge_1048576us");
	KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(1048576000ULL - 1), i - 1UL);
	KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(1048576000ULL), (unsigned long)i);
	KUNIT_EXPECT_EQ(test, nsmon_wait_bucket(U64_MAX), (unsigned long)i);
	KUNIT_EXPECT_EQ(test, NSMON_KEY_wait_lt_1us + NSMON_WAIT_BUCKETS,
			(int)NSMON_NKEYS);
}

/* The bucket by definition: the log2 of whole microseconds, capped. */
static unsigned long nsmon_wait_bucket_plain(u64 ns)
{
	return min_t(unsigned long, fls64(div_u64(ns, 1000)),
		     NSMON_WAIT_BUCKETS - 1);
}

/*
 * The probe's bucket (tables, no division) is the definition's for every
 * power of two and its neighbours, every bound and its neighbours, and a
 * million pseudo-random waits of every magnitude.
 */
static void nsmon_table_wait_bucket_tables(struct kunit *test)
{
	u64 v, x = 0x9e3779b97f4a7c15ULL;
	unsigned int k, i, bad = 0;
	int d;

	for (k = 0; k < 64; k++)
		for (d = -2; d <= 2; d++) {
			v = (1ULL << k) + d;
			bad += nsmon_wait_bucket(v) != nsmon_wait_bucket_plain(v);
		}
	for (i = 0; i < 40; i++)
		for (d = -2; d <= 2; d++) {
			v = (1000ULL << i) + d;
			bad += nsmon_wait_bucket(v) != nsmon_wait_bucket_plain(v);
		}
	for (i = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> (x & 63);	/* every magnitude */
		if (nsmon_wait_bucket(v) != nsmon_wait_bucket_plain(v) &&
		    !bad++)
			KUNIT_FAIL(test, "wait %llu: bucket %lu, want %lu", v,
				   nsmon_wait_bucket(v),
				   nsmon_wait_bucket_plain(v));
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * wait_ns of a namespace with no live task (the stand-in's IDR is empty)
 * is what its gone tasks waited, summed over CPUs; and it never goes
 * back, even if the sum does for a moment (a thread between its release
 * and its final switch is in neither).
 */
static void nsmon_table_wait_gone(struct kunit *test)
{
	struct nsmon_ns *e = nsmon_test_add(test,
			nsmon_test_fake_ns(test, 7, &init_pid_ns));
	unsigned int n = num_possible_cpus();
	struct nsmon_totals t;
	int cpu;

	for_each_possible_cpu(cpu)
		nsmon_ns_stats(e, cpu)->wait_gone = 500;
	rcu_read_lock();
	nsmon_ns_read(e, &t);
	KUNIT_EXPECT_EQ(test, nsmon_ns_wait(e, &t), 500ULL * n);
	nsmon_ns_stats(e, 0)->wait_gone -= 100;
	nsmon_ns_read(e, &t);
	KUNIT_EXPECT_EQ(test, nsmon_ns_wait(e, &t), 500ULL * n);
	nsmon_ns_stats(e, 0)->wait_gone += 300;
	nsmon_ns_read(e, &t);
	KUNIT_EXPECT_EQ(test, nsmon_ns_wait(e, &t), 500ULL * n + 200);
	rcu_read_unlock();
}
#endif

/*
 * Issue 11, point 3: a task switched in while its namespace had no entry
 * runs with the sink as its counters (c->cur_s).  Its exec or exit must
 * not be counted into the sink once the entry exists: the exec and exit
 * probes take nsmon_current_stats(), which looks again.  Staged on this
 * CPU with the running test thread: its real counters set aside, the sink
 * put in their place for the call, then put back (preemption off: no
 * switch can see the stand-in; readers see it under the seqcount).
 */
static void nsmon_table_current_not_sink(struct kunit *test)
{
	struct nsmon_stats *real, *got = NULL;
	struct nsmon_cpu *c;
	bool staged = false;

	preempt_disable();
	c = nsmon_cpu_state(smp_processor_id());
	real = c->cur_s;
	if (c->cur == current && real != &c->sink) {
		raw_write_seqcount_begin(&c->seq);
		c->cur_s = &c->sink;
		raw_write_seqcount_end(&c->seq);
		got = nsmon_current_stats(c, current);
		raw_write_seqcount_begin(&c->seq);
		c->cur_s = real;
		raw_write_seqcount_end(&c->seq);
		staged = true;
	}
	preempt_enable();
	if (!staged)
		kunit_skip(test,
			   "this CPU runs another task, or one nsmon does not know");
	KUNIT_EXPECT_PTR_EQ(test, got, real);
	KUNIT_EXPECT_PTR_NE(test, got, &c->sink);
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
			queue_work(nsmon_unbound_wq, &r[i].work);
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

/*
 * Issue 11, point 5: the fork probe makes no entry for a namespace that no
 * longer accepts tasks.  zap_pid_ns_processes() clears PIDNS_ADDING when
 * the init dies; a child whose copy_process() passed its own check just
 * before that still reaches sched_process_fork, possibly after the sync
 * work removed the entry.  A namespace that accepts tasks gets its entry
 * (the function is not just refusing); one that does not gets none, takes
 * no reference, and keeps an entry it still has.
 */
static void nsmon_table_fork_dying_ns(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *live = nsmon_test_fake_ns(test, 960, &init_pid_ns);
	struct pid_namespace *dying = nsmon_test_fake_ns(test, 961, &init_pid_ns);
	struct nsmon_ns *e, *kept;
	bool created;

	/* The init's pid is allocated; PIDNS_ADDING set until it dies. */
	live->pid_allocated = PIDNS_ADDING | 1;
	dying->pid_allocated = 1;

	e = nsmon_table_get_for_fork(tbl, live, &created);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e);
	KUNIT_EXPECT_TRUE(test, created);
	KUNIT_EXPECT_PTR_EQ(test, nsmon_table_lookup(tbl, live), e);

	e = nsmon_table_get_for_fork(tbl, dying, &created);
	KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(e),
			      "an entry for a namespace being zapped: %p", e);
	if (IS_ERR(e))
		KUNIT_EXPECT_EQ(test, PTR_ERR(e), -ESRCH);
	KUNIT_EXPECT_FALSE(test, created);
	KUNIT_EXPECT_NULL(test, nsmon_table_lookup(tbl, dying));
	KUNIT_EXPECT_EQ(test, refcount_read(NSMON_NS_REFCOUNT(dying)),
			IS_ERR(e) ? 1U : 2U);

	/* Its init died while the entry still counts tasks: the same entry. */
	live->pid_allocated = 1;
	kept = nsmon_table_get_for_fork(tbl, live, &created);
	KUNIT_EXPECT_PTR_EQ(test, kept, nsmon_table_lookup(tbl, live));
	KUNIT_EXPECT_FALSE(test, created);
}

static struct kunit_case nsmon_table_cases[] = {
	KUNIT_CASE(nsmon_table_insert_lookup),
	KUNIT_CASE(nsmon_table_sorted),
	KUNIT_CASE(nsmon_table_removal),
	KUNIT_CASE(nsmon_table_running),
	KUNIT_CASE(nsmon_table_forget),
	KUNIT_CASE(nsmon_table_inum_reuse),
	KUNIT_CASE(nsmon_table_read_sums),
	KUNIT_CASE(nsmon_table_current_not_sink),
	KUNIT_CASE(nsmon_table_fork_dying_ns),
#ifdef NSMON_HAVE_WAIT
	KUNIT_CASE(nsmon_table_wait_buckets),
	KUNIT_CASE(nsmon_table_wait_bucket_tables),
	KUNIT_CASE(nsmon_table_wait_gone),
#endif
	KUNIT_CASE(nsmon_table_insert_race),
	KUNIT_CASE(nsmon_table_rcu_readers),
	{}
};

struct kunit_suite nsmon_table_suite = {
	.name = "nsmon_table",
	.init = nsmon_test_table_init,
	.exit = nsmon_test_table_exit,
	.test_cases = nsmon_table_cases,
};
