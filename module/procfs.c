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
 * The namespaces table finds its row by inum in the table's index (an
 * xarray): O(log N) per resume, whatever the number of namespaces.
 *
 * hidepid=: the per-task files (pids, lookup) show a task only to an opener
 * that the procfs instance would show its /proc/<pid> contents to, and so
 * does init_pid in the per-namespace files (access.c).  The rest of a
 * namespace's numbers are aggregates, like /proc/stat's, and stay visible.
 *
 * Why proc_ops and not proc_create_seq() or proc_create_single_data():
 * every file here keeps per-open state that those helpers have no hook
 * for.  The hidepid= rule judges the opener (struct nsmon_viewer: its
 * cred, and a counted reference to its thread group, taken at open and
 * put at release), and a per-namespace file refuses an open from a procfs
 * whose view cannot see the namespace (-ENOENT).  proc_create_seq*() opens
 * with seq_open_private() and releases with seq_release_private(), and
 * proc_create_single_data() with single_open() on the PDE's data: there
 * is no place to fill the viewer at open or drop its reference at release,
 * and filling it at read time would judge the reader, not the opener (see
 * access.c for why that matters).  The lookup file is read and written and
 * is not a seq_file at all.  So all four keep their own open and release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>

#include "nsmon.h"
#include "events.h"

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
 * nsmon_init_pid(), but 0 also when the init is a task that @vw may not
 * see (hidepid=), exactly as when it has exited.  Caller holds
 * rcu_read_lock().
 */
static pid_t nsmon_init_pid_for(struct pid_namespace *ns,
				const struct nsmon_viewer *vw)
{
	struct pid *pid = find_pid_ns(1, ns);
	struct task_struct *t = pid_task(pid, PIDTYPE_PID);

	if (!t || (READ_ONCE(t->flags) & PF_EXITING) || !nsmon_may_see(vw, t))
		return 0;
	return pid_nr_ns(pid, vw->view);
}

/*
 * The value of every key of @e, as seen from @view (and, with hidepid=,
 * by @vw; NULL: no hidepid).  The NSMON_CTR() keys are their sums; the
 * NSMON_VAL() ones are computed here.  Caller holds rcu_read_lock().
 */
static void nsmon_ns_values(struct nsmon_ns *e,
			    struct pid_namespace *view,
			    const struct nsmon_viewer *vw, u64 *v)
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
	v[NSMON_KEY_init_pid] = vw ? nsmon_init_pid_for(e->ns, vw) :
				     nsmon_init_pid(e->ns, view);
	v[NSMON_KEY_tasks] = t.tasks;
	v[NSMON_KEY_processes] = t.processes;
	v[NSMON_KEY_involuntary_switches] = t.sum.switches -
					    t.sum.voluntary_switches;
	v[NSMON_KEY_cpu_ns] = t.sum.cpu_ns;
#ifdef NSMON_HAVE_WAIT
	v[NSMON_KEY_wait_ns] = nsmon_ns_wait(e, &t);
#endif
}

/* Does this module print key @i?  The wait keys need CONFIG_SCHED_INFO. */
static inline bool nsmon_key_shown(int i)
{
#ifdef NSMON_HAVE_WAIT
	return true;
#else
	return i < NSMON_KEY_wait_ns || i > NSMON_KEY_wait_ge_1048576us;
#endif
}

/* /proc/nsmon/<inum>: "key value" lines.  Caller holds rcu_read_lock(). */
static void nsmon_show_ns_keys_for(struct seq_file *m,
				   struct nsmon_ns *e,
				   struct pid_namespace *view,
				   const struct nsmon_viewer *vw)
{
	u64 v[NSMON_NKEYS];
	int i;

	nsmon_ns_values(e, view, vw, v);
	for (i = 0; i < NSMON_NKEYS; i++) {
		if (!nsmon_key_shown(i))
			continue;
		seq_puts(m, nsmon_keys[i]);
		seq_put_decimal_ull(m, " ", v[i]);
		seq_putc(m, '\n');
	}
}

/**
 * nsmon_show_ns_keys() - print the "key value" lines of /proc/nsmon/<inum>
 * @m: the seq_file to print into
 * @e: the namespace's entry
 * @view: the PID namespace the numbers are seen from (no hidepid=)
 *
 * Caller holds rcu_read_lock().
 */
void nsmon_show_ns_keys(struct seq_file *m, struct nsmon_ns *e,
			struct pid_namespace *view)
{
	nsmon_show_ns_keys_for(m, e, view, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_show_ns_keys);

/* One row of /proc/nsmon/namespaces.  Caller holds rcu_read_lock(). */
static void nsmon_show_namespaces_row_for(struct seq_file *m,
					  struct nsmon_ns *e,
					  struct pid_namespace *view,
					  const struct nsmon_viewer *vw)
{
	u64 v[NSMON_NKEYS];
	int i;

	/*
	 * seq_put_decimal_ull() rather than seq_printf(): a table of 1000
	 * namespaces prints 14000 numbers, and vsnprintf() is the bulk of it.
	 */
	nsmon_ns_values(e, view, vw, v);
	for (i = 0; i < NSMON_NKEYS; i++)
		if (nsmon_key_shown(i))
			seq_put_decimal_ull(m, i ? " " : "", v[i]);
	seq_putc(m, '\n');
}

/**
 * nsmon_show_namespaces_row() - print one row of /proc/nsmon/namespaces
 * @m: the seq_file to print into
 * @e: the namespace's entry
 * @view: the PID namespace the numbers are seen from (no hidepid=)
 *
 * Caller holds rcu_read_lock().
 */
void nsmon_show_namespaces_row(struct seq_file *m, struct nsmon_ns *e,
			       struct pid_namespace *view)
{
	nsmon_show_namespaces_row_for(m, e, view, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_show_namespaces_row);

/* What an open /proc/nsmon/<inum> keeps: its entry and its opener. */
struct nsmon_ns_file {
	struct nsmon_ns *e;
	struct nsmon_viewer vw;
};

static int nsmon_ns_file_show(struct seq_file *m, void *v)
{
	struct nsmon_ns_file *f = m->private;

	rcu_read_lock();
	nsmon_show_ns_keys_for(m, f->e, f->vw.view, &f->vw);
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
	struct nsmon_ns_file *f;
	int err;

	if (!nsmon_ns_visible(e->ns, nsmon_view(inode)))
		return -ENOENT;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->e = e;
	nsmon_viewer_init(&f->vw, inode, file);
	err = single_open(file, nsmon_ns_file_show, f);
	if (err) {
		nsmon_viewer_release(&f->vw);
		kfree(f);
	}
	return err;
}

static int nsmon_ns_file_release(struct inode *inode, struct file *file)
{
	struct nsmon_ns_file *f = ((struct seq_file *)file->private_data)->private;

	nsmon_viewer_release(&f->vw);
	kfree(f);
	return single_release(inode, file);
}

static const struct proc_ops nsmon_ns_file_ops = {
	.proc_open	= nsmon_ns_file_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= nsmon_ns_file_release,
};

/**
 * nsmon_proc_add_ns() - create /proc/nsmon/<inum> for an entry
 * @e: the entry, which has no file yet
 *
 * Called by the sync work.  Sets @e->pde.
 *
 * Return: 0, or -ENOMEM.
 */
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

/*
 * The first entry with inum >= @from that @view can see: O(log N) to find
 * the place in the index, then one step per entry the view cannot see.
 */
static struct nsmon_ns *nsmon_ns_visible_from(loff_t from,
					      struct pid_namespace *view)
{
	struct nsmon_ns *e;

	for (e = nsmon_table_find_from(&nsmon_tbl, from); e;
	     e = nsmon_table_find_from(&nsmon_tbl, (loff_t)e->inum + 1))
		if (nsmon_ns_visible(e->ns, view))
			return e;
	return NULL;
}

static void *nsmon_namespaces_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct nsmon_viewer *vw = m->private;

	/* What the probes created since: a reader never misses a row. */
	nsmon_table_index(&nsmon_tbl);
	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return nsmon_ns_visible_from(*pos - 1, vw->view);
}

static void *nsmon_namespaces_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct nsmon_viewer *vw = m->private;
	loff_t from = v == SEQ_START_TOKEN ? 0 :
		      (loff_t)((struct nsmon_ns *)v)->inum + 1;
	struct nsmon_ns *e = nsmon_ns_visible_from(from, vw->view);

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
	struct nsmon_viewer *vw = m->private;
	int i;

	if (v == SEQ_START_TOKEN) {
		/* The keys' names: NSMON_NS_COLUMNS, less those not shown. */
		for (i = 0; i < NSMON_NKEYS; i++)
			if (nsmon_key_shown(i)) {
				seq_puts(m, i ? " " : "");
				seq_puts(m, nsmon_keys[i]);
			}
		seq_putc(m, '\n');
	} else {
		nsmon_show_namespaces_row_for(m, v, vw->view, vw);
	}
	return 0;
}

static const struct seq_operations nsmon_namespaces_sops = {
	.start	= nsmon_namespaces_start,
	.next	= nsmon_namespaces_next,
	.stop	= nsmon_namespaces_stop,
	.show	= nsmon_namespaces_show,
};

/* Both tables keep their opener (struct nsmon_viewer) in ->private. */
static int nsmon_table_open(struct inode *inode, struct file *file,
			    const struct seq_operations *sops)
{
	struct nsmon_viewer *vw;

	vw = __seq_open_private(file, sops, sizeof(*vw));
	if (!vw)
		return -ENOMEM;
	nsmon_viewer_init(vw, inode, file);
	return 0;
}

static int nsmon_table_release(struct inode *inode, struct file *file)
{
	nsmon_viewer_release(((struct seq_file *)file->private_data)->private);
	return seq_release_private(inode, file);
}

static int nsmon_namespaces_open(struct inode *inode, struct file *file)
{
	return nsmon_table_open(inode, file, &nsmon_namespaces_sops);
}

static const struct proc_ops nsmon_namespaces_ops = {
	.proc_open	= nsmon_namespaces_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= nsmon_table_release,
};

/**
 * nsmon_show_pids_row() - print one row of /proc/nsmon/pids
 * @m: the seq_file to print into
 * @pid: @t's struct pid
 * @t: the task
 * @view: the PID namespace the numbers are seen from
 *
 * Caller holds rcu_read_lock().
 *
 * pid->numbers[i] is the task's upid at level i: its number nr in the
 * namespace ns of that level.  The view sees levels view->level ..
 * pid->level, which is exactly what the NSpid: line of
 * /proc/<pid>/status prints.
 */
void nsmon_show_pids_row(struct seq_file *m, struct pid *pid,
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
EXPORT_SYMBOL_IF_KUNIT(nsmon_show_pids_row);

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
	struct nsmon_viewer *vw = m->private;

	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return nsmon_pids_from(vw->view, *pos - 1);
}

static void *nsmon_pids_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct nsmon_viewer *vw = m->private;
	struct pid_namespace *view = vw->view;
	loff_t from = v == SEQ_START_TOKEN ? 1 : pid_nr_ns(v, view) + 1;
	struct pid *pid = nsmon_pids_from(view, from);

	*pos = pid ? (loff_t)pid_nr_ns(pid, view) + 1 : NSMON_PID_POS_END;
	return pid;
}

static int nsmon_pids_show(struct seq_file *m, void *v)
{
	struct nsmon_viewer *vw = m->private;
	struct task_struct *t;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, NSMON_PIDS_COLUMNS "\n");
		return 0;
	}
	t = pid_task(v, PIDTYPE_PID);
	if (!t)			/* reaped since ->next found it */
		return SEQ_SKIP;
	if (!nsmon_may_see(vw, t))	/* hidepid=: as if it did not exist */
		return SEQ_SKIP;
	nsmon_show_pids_row(m, v, t, vw->view);
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
	.proc_release	= nsmon_table_release,
};

/*
 * /proc/nsmon/lookup: write "<inum> <nr>", read "<inum> <nr> <pid> <tgid>
 * <comm>".  Each open file has its own answer, so concurrent users don't
 * see each other's.
 */
#define NSMON_ANSWER_MAX	128

/*
 * Writable by everyone on purpose: any user may translate PIDs.  A request
 * reveals nothing the caller's own /proc would not show (the view rule,
 * and hidepid= for the task), and it changes no state but the caller's
 * own answer.
 */
#define NSMON_LOOKUP_MODE	0666

struct nsmon_lookup_file {
	struct nsmon_viewer vw;	/* the opener, set at open */
	struct mutex lock;	/* protects len and answer */
	size_t len;
	char answer[NSMON_ANSWER_MAX];
};

/**
 * nsmon_lookup_answer_for() - answer a /proc/nsmon/lookup request
 * @buf: where to write the answer line
 * @size: the size of @buf
 * @tbl: the table to look the namespace up in
 * @inum: the namespace's inode number
 * @nr: the PID in that namespace
 * @vw: the opener: its view, and what hidepid= lets it see
 *
 * Return: the length of the answer, or -ENOENT (no such namespace, or not
 * visible from the view) or -ESRCH (no task @nr in it, or one that
 * hidepid= hides from @vw: the same answer).
 */
int nsmon_lookup_answer_for(char *buf, size_t size, struct nsmon_table *tbl,
			    unsigned int inum, pid_t nr,
			    const struct nsmon_viewer *vw)
{
	struct pid_namespace *view = vw->view;
	struct task_struct *t;
	struct nsmon_ns *e;
	char comm[64];
	struct pid *pid;
	int len;

	/* What the probes created since: a namespace seen is found. */
	nsmon_table_index(tbl);
	rcu_read_lock();
	e = nsmon_table_find_inum(tbl, inum);
	if (!e || !nsmon_ns_visible(e->ns, view)) {
		len = -ENOENT;
		goto out;
	}
	pid = nr > 0 ? find_pid_ns(nr, e->ns) : NULL;
	t = pid_task(pid, PIDTYPE_PID);
	if (!t || !nsmon_may_see(vw, t)) {
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
EXPORT_SYMBOL_IF_KUNIT(nsmon_lookup_answer_for);

/**
 * nsmon_lookup_answer() - nsmon_lookup_answer_for() for a caller that sees all
 * @buf: where to write the answer line
 * @size: the size of @buf
 * @tbl: the table to look the namespace up in
 * @inum: the namespace's inode number
 * @nr: the PID in that namespace
 * @view: the view, every task of which the caller may see
 *
 * Return: as nsmon_lookup_answer_for().
 */
int nsmon_lookup_answer(char *buf, size_t size, struct nsmon_table *tbl,
			unsigned int inum, pid_t nr,
			struct pid_namespace *view)
{
	struct nsmon_viewer vw;

	nsmon_viewer_all(&vw, view);
	return nsmon_lookup_answer_for(buf, size, tbl, inum, nr, &vw);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_lookup_answer);

static int nsmon_lookup_open(struct inode *inode, struct file *file)
{
	struct nsmon_lookup_file *lf;

	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	mutex_init(&lf->lock);
	nsmon_viewer_init(&lf->vw, inode, file);
	file->private_data = lf;
	return 0;
}

static int nsmon_lookup_release(struct inode *inode, struct file *file)
{
	struct nsmon_lookup_file *lf = file->private_data;

	nsmon_viewer_release(&lf->vw);
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
	ret = nsmon_lookup_answer_for(lf->answer, sizeof(lf->answer),
				      &nsmon_tbl, inum, nr, &lf->vw);
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

/**
 * nsmon_proc_init() - create /proc/nsmon with its tables and lookup file
 *
 * Return: 0, or -ENOMEM (and nothing is left behind).
 */
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
			 &nsmon_lookup_ops) ||
	    !proc_create(NSMON_PROC_CONTAINERS, 0444, nsmon_proc_dir,
			 &nsmon_containers_ops) ||
	    nsmon_events_proc_init(nsmon_proc_dir)) {
		nsmon_proc_exit();
		return -ENOMEM;
	}
	return 0;
}

/**
 * nsmon_proc_exit() - remove /proc/nsmon and everything in it
 *
 * Waits for the readers that are running.
 */
void nsmon_proc_exit(void)
{
	remove_proc_subtree(NSMON_PROC_DIR, NULL);
	nsmon_proc_dir = NULL;
}
