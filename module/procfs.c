// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - /proc/nsmon: one file per namespace, two tables and a lookup.
 *
 * Every file shows the world as seen from its *view namespace*: the PID
 * namespace of the procfs instance it was opened through (proc_pid_ns() of
 * the superblock), the same rule the kernel's own /proc/<pid> follows.  A
 * container that mounts its own /proc sees its own namespace and those
 * below it, with its own PID numbers, and nothing of the host.
 *
 * The tables are seq_files whose position is a key, not a line number: a
 * namespace's row sits at position inum + 1 and a task's at its PID in the
 * view + 1 (position 0 is the header).  A reader that stops and comes back
 * resumes at the right row even if rows were added or removed meanwhile.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>

#include "nsmon.h"

static struct proc_dir_entry *nsmon_proc_dir;

/* The view namespace of a file under /proc/nsmon. */
static struct pid_namespace *nsmon_view(struct inode *inode)
{
	return proc_pid_ns(inode->i_sb);
}

/*
 * The keys of /proc/nsmon/<inum>, in order, which are also the columns of
 * /proc/nsmon/namespaces: the list in include/nsmon/keys.h, whose enum
 * gives each key its index (NSMON_KEY_<key>) and NSMON_NKEYS.
 */
static const char *const nsmon_keys[NSMON_NKEYS] = {
	NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
};

/* Where each NSMON_CTR() counter goes in the output. */
static const u8 nsmon_ctr_keys[NSMON_NCTRS] = {
	NSMON_NS_KEYS(NSMON_SKIP, NSMON_CTR_KEY)
};

/*
 * The value of every key of @e, as seen from @view.  The NSMON_CTR() keys
 * are their sums; the NSMON_VAL() ones are computed here.
 * Caller holds rcu_read_lock().
 */
static void nsmon_ns_values(const struct nsmon_ns *e,
			    struct pid_namespace *view, u64 *v)
{
	struct pid_namespace *parent = e->ns->parent;
	struct nsmon_totals t;
	int i;

	nsmon_ns_read(e, &t);
	for (i = 0; i < NSMON_NCTRS; i++)
		v[nsmon_ctr_keys[i]] = t.sum.ctr[i];
	v[NSMON_KEY_inum] = e->inum;
	v[NSMON_KEY_level] = e->ns->level;
	/* A parent outside the view is not shown: 0, as for the root. */
	v[NSMON_KEY_parent] = parent && nsmon_ns_visible(parent, view) ?
			      parent->ns.inum : 0;
	v[NSMON_KEY_init_pid] = nsmon_init_pid(e->ns, view);
	v[NSMON_KEY_tasks] = t.tasks;
	v[NSMON_KEY_processes] = t.processes;
	v[NSMON_KEY_switches] = t.sum.voluntary_switches +
				t.sum.involuntary_switches;
	v[NSMON_KEY_cpu_ns] = t.sum.cpu_ns;
}

/* /proc/nsmon/<inum>: "key value" lines.  Caller holds rcu_read_lock(). */
void nsmon_ns_show(struct seq_file *m, const struct nsmon_ns *e,
		   struct pid_namespace *view)
{
	u64 v[NSMON_NKEYS];
	int i;

	nsmon_ns_values(e, view, v);
	for (i = 0; i < NSMON_NKEYS; i++) {
		seq_puts(m, nsmon_keys[i]);
		seq_put_decimal_ull(m, " ", v[i]);
		seq_putc(m, '\n');
	}
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_show);

/* One row of /proc/nsmon/namespaces.  Caller holds rcu_read_lock(). */
void nsmon_ns_show_row(struct seq_file *m, const struct nsmon_ns *e,
		       struct pid_namespace *view)
{
	u64 v[NSMON_NKEYS];
	int i;

	/*
	 * seq_put_decimal_ull() rather than seq_printf(): a table of 1000
	 * namespaces prints 14000 numbers, and vsnprintf() is the bulk of it.
	 */
	nsmon_ns_values(e, view, v);
	for (i = 0; i < NSMON_NKEYS; i++)
		seq_put_decimal_ull(m, i ? " " : "", v[i]);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_ns_show_row);

static int nsmon_ns_file_show(struct seq_file *m, void *v)
{
	struct pid_namespace *view = nsmon_view(file_inode(m->file));

	rcu_read_lock();
	nsmon_ns_show(m, m->private, view);
	rcu_read_unlock();
	return 0;
}

/*
 * The entry behind a /proc/nsmon/<inum> file cannot go away while one of
 * our proc_ops runs: the sync work calls proc_remove() (which waits for
 * them) before freeing it.
 */
static int nsmon_ns_file_open(struct inode *inode, struct file *file)
{
	struct nsmon_ns *e = pde_data(inode);

	if (!nsmon_ns_visible(e->ns, nsmon_view(inode)))
		return -ENOENT;
	return single_open(file, nsmon_ns_file_show, e);
}

static const struct proc_ops nsmon_ns_file_ops = {
	.proc_open	= nsmon_ns_file_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/* Called by the sync work for each entry that has no file yet. */
int nsmon_proc_add_ns(struct nsmon_ns *e)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", e->inum);
	e->pde = proc_create_data(name, 0444, nsmon_proc_dir,
				  &nsmon_ns_file_ops, e);
	return e->pde ? 0 : -ENOMEM;
}

/*
 * /proc/nsmon/namespaces.  rcu_read_lock() is held from ->start to ->stop;
 * seq_file never sleeps in between (it copies to user space after ->stop).
 */
#define NSMON_NS_POS_END	((loff_t)U32_MAX + 2)

/* The first visible entry at or after @from (a list node), by inum. */
static struct nsmon_ns *nsmon_ns_visible_from(struct list_head *from,
					      loff_t min_inum,
					      struct pid_namespace *view)
{
	struct nsmon_ns *e = list_entry_rcu(from, struct nsmon_ns, list);

	list_for_each_entry_from_rcu(e, &nsmon_tbl.list, list)
		if (e->inum >= min_inum && nsmon_ns_visible(e->ns, view))
			return e;
	return NULL;
}

static void *nsmon_namespaces_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return nsmon_ns_visible_from(nsmon_tbl.list.next, *pos - 1,
				     m->private);
}

static void *nsmon_namespaces_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct list_head *from = v == SEQ_START_TOKEN ? nsmon_tbl.list.next :
				 ((struct nsmon_ns *)v)->list.next;
	struct nsmon_ns *e = nsmon_ns_visible_from(from, 0, m->private);

	*pos = e ? (loff_t)e->inum + 1 : NSMON_NS_POS_END;
	return e;
}

static void nsmon_namespaces_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int nsmon_namespaces_show(struct seq_file *m, void *v)
{
	int i;

	if (v == SEQ_START_TOKEN) {
		/* The header: the keys, as in include/nsmon/keys.h. */
		for (i = 0; i < NSMON_NKEYS; i++) {
			if (i)
				seq_putc(m, ' ');
			seq_puts(m, nsmon_keys[i]);
		}
		seq_putc(m, '\n');
	} else {
		nsmon_ns_show_row(m, v, m->private);
	}
	return 0;
}

static const struct seq_operations nsmon_namespaces_sops = {
	.start	= nsmon_namespaces_start,
	.next	= nsmon_namespaces_next,
	.stop	= nsmon_namespaces_stop,
	.show	= nsmon_namespaces_show,
};

/* Both tables keep their view namespace in seq_file->private. */
static int nsmon_table_open(struct inode *inode, struct file *file,
			    const struct seq_operations *sops)
{
	int err = seq_open(file, sops);

	if (!err)
		((struct seq_file *)file->private_data)->private =
			nsmon_view(inode);
	return err;
}

static int nsmon_namespaces_open(struct inode *inode, struct file *file)
{
	return nsmon_table_open(inode, file, &nsmon_namespaces_sops);
}

static const struct proc_ops nsmon_namespaces_ops = {
	.proc_open	= nsmon_namespaces_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

/*
 * One row of /proc/nsmon/pids for task @t, whose struct pid is @pid.
 * Caller holds rcu_read_lock().
 *
 * pid->numbers[i] is the task's upid at level i: its number nr in the
 * namespace ns of that level.  The view sees levels view->level ..
 * pid->level, which is exactly what the NSpid: line of
 * /proc/<pid>/status prints.
 */
void nsmon_pids_show_task(struct seq_file *m, struct pid *pid,
			  struct task_struct *t, struct pid_namespace *view)
{
	struct pid_namespace *ns = nsmon_pid_active_ns(pid);
	char comm[64];
	unsigned int i;

	/* Numbers with seq_put_decimal_*(): cheaper than seq_printf(). */
	seq_put_decimal_ll(m, "", pid_nr_ns(pid, view));
	seq_put_decimal_ll(m, " ", task_tgid_nr_ns(t, view));
	seq_put_decimal_ull(m, " ", ns->ns.inum);
	seq_put_decimal_ll(m, " ", pid->numbers[pid->level].nr);
	seq_put_decimal_ll(m, " ", task_tgid_nr_ns(t, ns));
	for (i = view->level; i <= pid->level; i++)
		seq_put_decimal_ll(m, i > view->level ? "," : " ",
				   pid->numbers[i].nr);
	nsmon_escape_comm(comm, sizeof(comm), t);
	seq_putc(m, ' ');
	seq_puts(m, comm);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_pids_show_task);

#define NSMON_PID_POS_END	((loff_t)INT_MAX + 2)

/* The first PID >= @nr of the view that belongs to a task. */
static struct pid *nsmon_pids_from(struct pid_namespace *view, loff_t nr)
{
	struct pid *pid;

	for (; nr < PID_MAX_LIMIT; nr++) {
		pid = find_ge_pid(nr, view);
		if (!pid)
			return NULL;
		if (pid_task(pid, PIDTYPE_PID))
			return pid;
		/* A process group or session ID whose leader is gone. */
		nr = pid_nr_ns(pid, view);
	}
	return NULL;
}

static void *nsmon_pids_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return nsmon_pids_from(m->private, *pos - 1);
}

static void *nsmon_pids_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pid_namespace *view = m->private;
	loff_t from = v == SEQ_START_TOKEN ? 1 : pid_nr_ns(v, view) + 1;
	struct pid *pid = nsmon_pids_from(view, from);

	*pos = pid ? (loff_t)pid_nr_ns(pid, view) + 1 : NSMON_PID_POS_END;
	return pid;
}

static int nsmon_pids_show(struct seq_file *m, void *v)
{
	struct task_struct *t;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, NSMON_PIDS_COLUMNS "\n");
		return 0;
	}
	t = pid_task(v, PIDTYPE_PID);
	if (!t)			/* reaped since ->next found it */
		return SEQ_SKIP;
	nsmon_pids_show_task(m, v, t, m->private);
	return 0;
}

static const struct seq_operations nsmon_pids_sops = {
	.start	= nsmon_pids_start,
	.next	= nsmon_pids_next,
	.stop	= nsmon_namespaces_stop,
	.show	= nsmon_pids_show,
};

static int nsmon_pids_open(struct inode *inode, struct file *file)
{
	return nsmon_table_open(inode, file, &nsmon_pids_sops);
}

static const struct proc_ops nsmon_pids_ops = {
	.proc_open	= nsmon_pids_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

/*
 * /proc/nsmon/lookup: write "<inum> <nr>", read "<inum> <nr> <pid> <tgid>
 * <comm>".  Each open file has its own answer, so concurrent users don't
 * see each other's.
 */
#define NSMON_ANSWER_MAX	128

/*
 * Writable by everyone on purpose: any user may translate PIDs.  A request
 * reveals nothing the caller's own /proc would not show (the view rule),
 * and it changes no state but the caller's own answer.
 */
#define NSMON_LOOKUP_MODE	0666

struct nsmon_lookup_file {
	struct mutex lock;	/* protects len and answer */
	size_t len;
	char answer[NSMON_ANSWER_MAX];
};

/*
 * Answer a lookup into @buf; returns its length or -ENOENT (no such
 * namespace, or not visible from @view) or -ESRCH (no task @nr in it).
 */
int nsmon_lookup_answer(char *buf, size_t size, struct nsmon_table *tbl,
			unsigned int inum, pid_t nr,
			struct pid_namespace *view)
{
	struct task_struct *t;
	struct nsmon_ns *e;
	char comm[64];
	struct pid *pid;
	int len;

	rcu_read_lock();
	e = nsmon_table_find_inum(tbl, inum);
	if (!e || !nsmon_ns_visible(e->ns, view)) {
		len = -ENOENT;
		goto out;
	}
	pid = nr > 0 ? find_pid_ns(nr, e->ns) : NULL;
	t = pid_task(pid, PIDTYPE_PID);
	if (!t) {
		len = -ESRCH;
		goto out;
	}
	nsmon_escape_comm(comm, sizeof(comm), t);
	len = scnprintf(buf, size, "%u %d %d %d %s\n", inum, nr,
			pid_nr_ns(pid, view), task_tgid_nr_ns(t, view), comm);
out:
	rcu_read_unlock();
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_lookup_answer);

static int nsmon_lookup_open(struct inode *inode, struct file *file)
{
	struct nsmon_lookup_file *lf;

	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	mutex_init(&lf->lock);
	file->private_data = lf;
	return 0;
}

static int nsmon_lookup_release(struct inode *inode, struct file *file)
{
	struct nsmon_lookup_file *lf = file->private_data;

	mutex_destroy(&lf->lock);
	kfree(lf);
	return 0;
}

static ssize_t nsmon_lookup_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct nsmon_lookup_file *lf = file->private_data;
	ssize_t ret;

	mutex_lock(&lf->lock);
	ret = simple_read_from_buffer(buf, count, ppos, lf->answer, lf->len);
	mutex_unlock(&lf->lock);
	return ret;
}

static ssize_t nsmon_lookup_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct nsmon_lookup_file *lf = file->private_data;
	char req[NSMON_LOOKUP_MAX];
	unsigned int inum;
	ssize_t ret;
	pid_t nr;

	mutex_lock(&lf->lock);
	lf->len = 0;		/* a failed write leaves nothing to read */
	if (count > sizeof(req)) {
		ret = -EINVAL;
		goto out;
	}
	if (copy_from_user(req, buf, count)) {
		ret = -EFAULT;
		goto out;
	}
	ret = nsmon_parse_lookup(req, count, &inum, &nr);
	if (ret)
		goto out;
	ret = nsmon_lookup_answer(lf->answer, sizeof(lf->answer), &nsmon_tbl,
				  inum, nr, nsmon_view(file_inode(file)));
	if (ret < 0)
		goto out;
	lf->len = ret;
	/* The answer is read from its start: rewind the file position. */
	*ppos = 0;
	ret = count;
out:
	mutex_unlock(&lf->lock);
	return ret;
}

static const struct proc_ops nsmon_lookup_ops = {
	.proc_open	= nsmon_lookup_open,
	.proc_read	= nsmon_lookup_read,
	.proc_write	= nsmon_lookup_write,
	.proc_lseek	= default_llseek,
	.proc_release	= nsmon_lookup_release,
};

int nsmon_proc_init(void)
{
	nsmon_proc_dir = proc_mkdir(NSMON_PROC_DIR, NULL);
	if (!nsmon_proc_dir)
		return -ENOMEM;
	if (!proc_create(NSMON_PROC_NAMESPACES, 0444, nsmon_proc_dir,
			 &nsmon_namespaces_ops) ||
	    !proc_create(NSMON_PROC_PIDS, 0444, nsmon_proc_dir,
			 &nsmon_pids_ops) ||
	    !proc_create(NSMON_PROC_LOOKUP, NSMON_LOOKUP_MODE, nsmon_proc_dir,
			 &nsmon_lookup_ops)) {
		nsmon_proc_exit();
		return -ENOMEM;
	}
	return 0;
}

/* Remove /proc/nsmon and everything in it, waiting for running readers. */
void nsmon_proc_exit(void)
{
	remove_proc_subtree(NSMON_PROC_DIR, NULL);
	nsmon_proc_dir = NULL;
}
