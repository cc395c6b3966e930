// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-index.c - the nsmon_index suite: the inum index (an
 * xarray) of the namespace table.
 */
#include "nsmon_kunit.h"

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

/*
 * A reader must see every entry the probes made before it looked, even
 * while someone else (the sync work, another reader) is indexing: that
 * one has already taken the pending list, so it is empty, but its entries
 * are not in the index yet.  Play that other indexer here (hold
 * index_lock with the pending entries taken); a reader on another thread
 * must wait for it and then find the entry, never give up early with
 * nothing (the events file's filter answered -ENOENT for a live namespace
 * that way, once in a CI run on the 7.2 debug kernel).
 */
struct nsmon_idx_reader {
	struct nsmon_table *tbl;
	struct completion done;
	struct nsmon_ns *found;
};

static int nsmon_idx_reader_fn(void *arg)
{
	struct nsmon_idx_reader *r = arg;

	nsmon_table_index(r->tbl);
	rcu_read_lock();
	r->found = nsmon_table_find_inum(r->tbl, 800);
	rcu_read_unlock();
	complete(&r->done);
	return 0;
}

static void nsmon_index_while_another_indexes(struct kunit *test)
{
	struct nsmon_table *tbl = test->priv;
	struct pid_namespace *ns = nsmon_test_fake_ns(test, 800, &init_pid_ns);
	struct nsmon_idx_reader *r;
	struct llist_node *taken;
	struct task_struct *t;
	struct nsmon_ns *e;
	bool created;
	int i;

	/* Not kunit_kzalloc(): if the reader never ends, r must outlive us. */
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->tbl = tbl;
	init_completion(&r->done);
	e = nsmon_table_get_or_create(tbl, ns, &created);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e);

	mutex_lock(&tbl->index_lock);
	taken = llist_del_all(&tbl->pending);
	KUNIT_EXPECT_PTR_EQ(test, taken, &e->pending);
	t = kthread_create(nsmon_idx_reader_fn, r, "nsmon_kunit_ir");
	if (IS_ERR(t)) {
		llist_add(&e->pending, &tbl->pending);
		mutex_unlock(&tbl->index_lock);
		kfree(r);
		KUNIT_FAIL(test, "no reader thread: %ld", PTR_ERR(t));
		return;
	}
	get_task_struct(t);	/* it may end before we look at its state */
	wake_up_process(t);
	/* Until the reader is done, or asleep (on the mutex): 5 s at most. */
	for (i = 0; i < 250; i++) {
		if (completion_done(&r->done) || !task_is_running(t))
			break;
		msleep(20);
	}
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&r->done),
			       "the reader gave up while an indexer was busy (found %p)",
			       r->found);
	KUNIT_EXPECT_EQ(test, xa_insert(&tbl->index, e->inum, e, GFP_KERNEL), 0);
	mutex_unlock(&tbl->index_lock);

	if (!wait_for_completion_timeout(&r->done, 10 * HZ)) {
		put_task_struct(t);
		KUNIT_FAIL(test, "the reader did not end in 10 s");
		return;
	}
	put_task_struct(t);
	KUNIT_EXPECT_PTR_EQ(test, r->found, e);
	kfree(r);
}

static struct kunit_case nsmon_index_cases[] = {
	KUNIT_CASE(nsmon_index_pending),
	KUNIT_CASE(nsmon_index_resume),
	KUNIT_CASE(nsmon_index_remove),
	KUNIT_CASE(nsmon_index_concurrent_readers),
	KUNIT_CASE(nsmon_index_while_another_indexes),
	{}
};

struct kunit_suite nsmon_index_suite = {
	.name = "nsmon_index",
	.init = nsmon_test_table_init,
	.exit = nsmon_test_table_exit,
	.test_cases = nsmon_index_cases,
};
