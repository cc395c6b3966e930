// SPDX-License-Identifier: GPL-2.0
/*
 * kunit-format.c - the nsmon_format suites: the exact text of
 * every /proc/nsmon file.
 */
#include "nsmon_kunit.h"

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
	char *w[64];
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

struct kunit_suite nsmon_format_suite = {
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

struct kunit_suite nsmon_format_nested_suite = {
	.name = "nsmon_format_nested",
	.init = nsmon_upid_init,
	.exit = nsmon_upid_exit,
	.test_cases = nsmon_format_nested_cases,
};
