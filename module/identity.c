// SPDX-License-Identifier: GPL-2.0
/*
 * identity.c - /proc/nsmon/containers: which container a PID namespace is.
 *
 * One line per namespace the view can see, sorted by inum, after a header:
 *
 *	inum init_pid mnt net ipc uts user cgroup time nodename cgroup
 *
 * all about the namespace's init (the task with PID 1 in it, the same task
 * as the init_pid column of /proc/nsmon/namespaces):
 *
 * - init_pid: its PID in the view, 0 when there is none (not forked yet,
 *   exiting or gone) or hidepid= hides it from the opener;
 * - mnt .. time: the inode numbers of its other namespaces, what
 *   readlink /proc/<init>/ns/<type> shows; 0 when unknown (no init, or
 *   it is exiting and has dropped its namespaces) or of a type the kernel
 *   lacks (CONFIG_TIME_NS, CONFIG_NET, CONFIG_CGROUPS...);
 * - nodename: its UTS namespace's nodename (uname -n), which procfs does
 *   not show, escaped as /proc/self/mountinfo escapes paths (space, tab,
 *   newline and backslash as \ooo octal); a nodename that is "-" itself
 *   is printed \055 and an empty one \000; "-" alone means unknown;
 * - cgroup: the rest of the line, its cgroup v2 (default hierarchy) path
 *   as /proc/<init>/cgroup's 0:: line shows it to the reader: relative to
 *   the reader's cgroup namespace (at read time, as procfs does), newline
 *   and backslash escaped as above; "-" when unknown.
 *
 * The view and hidepid= rules are those of the other tables (procfs.c,
 * access.c): a row per namespace of the view or below it, and the
 * init-derived fields of a row only for an opener that may see the
 * init's /proc/<pid> contents; otherwise 0 and "-", as for a gone init.
 *
 * Why PID 1 and not ns->child_reaper: the two are the same task except
 * after PID 1 has exited (child_reaper still points at it while the
 * namespace is torn down) or before PID 1 exists; in both cases there is
 * no /proc/<init_pid> to compare with, and this file says 0 and "-".
 *
 * Locking: the namespace inums and the nodename come from the init's
 * nsproxy under task_lock(), the way nsfs's ->get() methods take them
 * (an exiting task's nsproxy is NULL after exit_task_namespaces(), which
 * also takes task_lock()); the user namespace from its cred under RCU.
 * The nodename is copied without uts_sem (not exported): a concurrent
 * sethostname() can give a mix of the old and new names, never an
 * unterminated one.  cgroup_path_ns() takes cgroup_mutex, so the rows are
 * not printed under rcu_read_lock() as the namespaces table's are: ->start
 * and ->next gather a row under RCU into the file's private buffer, with
 * a reference on the init's cgroup, and ->show prints it.
 *
 * The mount namespace: struct mnt_namespace is private to fs/ (fs/mount.h,
 * not in the headers a module is built against).  Its first member has
 * been its struct ns_common since 3.19, up to 7.2 at least, so nsmon
 * reads the inum through that; the guest test 69-containers checks it
 * against readlink /proc/<pid>/ns/mnt on every kernel the suite runs on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/limits.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "nsmon.h"

/* The namespaces of the init, in the order of the columns. */
enum { NSMON_ID_MNT, NSMON_ID_NET, NSMON_ID_IPC, NSMON_ID_UTS,
	NSMON_ID_USER, NSMON_ID_CGROUP, NSMON_ID_TIME, NSMON_ID_NR };

/* One row, gathered under RCU by ->start or ->next, printed by ->show. */
struct nsmon_id_row {
	unsigned int inum;
	pid_t init_pid;			/* 0: none, or hidden */
	unsigned int ns[NSMON_ID_NR];
	bool have_nodename;
	char nodename[__NEW_UTS_LEN + 1];
	struct cgroup *cgrp;		/* counted reference, or NULL */
};

/* What an open /proc/nsmon/containers keeps (seq_file ->private). */
struct nsmon_id_file {
	struct nsmon_viewer vw;		/* the opener */
	struct nsmon_id_row row;	/* the row being printed */
	char *path;			/* PATH_MAX bytes for cgroup_path_ns() */
};

#define NSMON_ID_POS_END	((loff_t)U32_MAX + 2)

/*
 * The mount namespace's inum: struct mnt_namespace begins with its
 * struct ns_common (see the comment at the top).
 */
static unsigned int nsmon_mnt_ns_inum(struct mnt_namespace *mnt)
{
	return mnt ? ((struct ns_common *)mnt)->inum : 0;
}

/* The inums and nodename of @t's nsproxy, as nsfs reads them. */
static void nsmon_id_nsproxy(struct nsmon_id_row *r, struct task_struct *t)
{
	struct nsproxy *nsp;

	task_lock(t);
	nsp = t->nsproxy;
	if (nsp) {
		r->ns[NSMON_ID_MNT] = nsmon_mnt_ns_inum(nsp->mnt_ns);
		r->ns[NSMON_ID_NET] = nsp->net_ns ? nsp->net_ns->ns.inum : 0;
		r->ns[NSMON_ID_IPC] = nsp->ipc_ns ? nsp->ipc_ns->ns.inum : 0;
		if (nsp->uts_ns) {
			r->ns[NSMON_ID_UTS] = nsp->uts_ns->ns.inum;
			memcpy(r->nodename, nsp->uts_ns->name.nodename,
			       sizeof(r->nodename));
			r->nodename[sizeof(r->nodename) - 1] = '\0';
			r->have_nodename = true;
		}
#ifdef CONFIG_CGROUPS
		r->ns[NSMON_ID_CGROUP] = nsp->cgroup_ns ?
					 nsp->cgroup_ns->ns.inum : 0;
#endif
#ifdef CONFIG_TIME_NS
		r->ns[NSMON_ID_TIME] = nsp->time_ns ? nsp->time_ns->ns.inum : 0;
#endif
	}
	task_unlock(t);
}

/*
 * /proc/<pid>/ns/ has a file only for the types the kernel is configured
 * with (fs/proc/namespaces.c); the others read 0, as for that missing file,
 * even where the nsproxy points at an initial namespace of that type.
 */
static void nsmon_id_configured(struct nsmon_id_row *r)
{
	if (!IS_ENABLED(CONFIG_NET_NS))
		r->ns[NSMON_ID_NET] = 0;
	if (!IS_ENABLED(CONFIG_IPC_NS))
		r->ns[NSMON_ID_IPC] = 0;
	if (!IS_ENABLED(CONFIG_UTS_NS))
		r->ns[NSMON_ID_UTS] = 0;
	if (!IS_ENABLED(CONFIG_USER_NS))
		r->ns[NSMON_ID_USER] = 0;
}

/* Fill @r for @e: everything but the inum is of @e's init. */
static void nsmon_id_gather(struct nsmon_id_row *r, const struct nsmon_ns *e,
			    const struct nsmon_viewer *vw)
{
	struct task_struct *t;
	struct pid *pid;

	memset(r, 0, sizeof(*r));
	r->inum = e->inum;
	rcu_read_lock();
	pid = find_pid_ns(1, e->ns);
	t = pid_task(pid, PIDTYPE_PID);
	if (!t || (READ_ONCE(t->flags) & PF_EXITING) || !nsmon_may_see(vw, t))
		goto out;
	r->init_pid = pid_nr_ns(pid, vw->view);
	r->ns[NSMON_ID_USER] = __task_cred(t)->user_ns->ns.inum;
	nsmon_id_nsproxy(r, t);
	nsmon_id_configured(r);
#ifdef CONFIG_CGROUPS
	r->cgrp = task_dfl_cgroup(t);
	if (!cgroup_tryget(r->cgrp))
		r->cgrp = NULL;
#endif
out:
	rcu_read_unlock();
}

static void nsmon_id_put(struct nsmon_id_row *r)
{
#ifdef CONFIG_CGROUPS
	if (r->cgrp)
		cgroup_put(r->cgrp);
#endif
	r->cgrp = NULL;
}

/* The first entry with inum >= @from that the view sees, as a row. */
static void *nsmon_id_from(struct nsmon_id_file *f, loff_t from, loff_t *pos)
{
	struct nsmon_ns *e;

	nsmon_id_put(&f->row);
	rcu_read_lock();
	for (e = nsmon_table_find_from(&nsmon_tbl, from); e;
	     e = nsmon_table_find_from(&nsmon_tbl, (loff_t)e->inum + 1))
		if (nsmon_ns_visible(e->ns, f->vw.view))
			break;
	/* @e stays allocated until a grace period after it is unlinked. */
	if (e)
		nsmon_id_gather(&f->row, e, &f->vw);
	rcu_read_unlock();
	if (!e) {
		*pos = NSMON_ID_POS_END;
		return NULL;
	}
	*pos = (loff_t)f->row.inum + 1;
	return &f->row;
}

static void *nsmon_id_start(struct seq_file *m, loff_t *pos)
{
	struct nsmon_id_file *f = m->private;

	/* What the probes created since: a reader never misses a row. */
	nsmon_table_index(&nsmon_tbl);
	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos >= NSMON_ID_POS_END)
		return NULL;
	return nsmon_id_from(f, *pos - 1, pos);
}

static void *nsmon_id_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct nsmon_id_file *f = m->private;
	loff_t from = v == SEQ_START_TOKEN ? 0 : (loff_t)f->row.inum + 1;

	return nsmon_id_from(f, from, pos);
}

static void nsmon_id_stop(struct seq_file *m, void *v)
{
	struct nsmon_id_file *f = m->private;

	nsmon_id_put(&f->row);
}

/* The init's cgroup v2 path, seen from the reader's cgroup namespace. */
static void nsmon_id_show_cgroup(struct seq_file *m, struct nsmon_id_file *f)
{
	int len = -ENOENT;

#ifdef CONFIG_CGROUPS
	if (f->row.cgrp)
		len = cgroup_path_ns(f->row.cgrp, f->path, PATH_MAX,
				     current->nsproxy->cgroup_ns);
#endif
	if (len < 0 || len >= PATH_MAX) {
		seq_putc(m, '-');
		return;
	}
	seq_escape(m, f->path, "\n\\");
}

/*
 * A row of /proc/nsmon/containers up to its cgroup path: the numbers and
 * the nodename, each followed by a space.
 */
static void nsmon_show_containers_row(struct seq_file *m,
				      const struct nsmon_id_row *r)
{
	int i;

	seq_put_decimal_ull(m, "", r->inum);
	seq_put_decimal_ll(m, " ", r->init_pid);
	for (i = 0; i < NSMON_ID_NR; i++)
		seq_put_decimal_ull(m, " ", r->ns[i]);
	seq_putc(m, ' ');
	if (!r->have_nodename)
		seq_putc(m, '-');
	else if (!r->nodename[0])
		seq_puts(m, "\\000");
	else if (!strcmp(r->nodename, "-"))
		seq_puts(m, "\\055");
	else
		seq_escape(m, r->nodename, " \t\n\\");
	seq_putc(m, ' ');
}

static int nsmon_id_show(struct seq_file *m, void *v)
{
	struct nsmon_id_file *f = m->private;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, NSMON_CONTAINERS_COLUMNS "\n");
		return 0;
	}
	nsmon_show_containers_row(m, &f->row);
	nsmon_id_show_cgroup(m, f);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations nsmon_id_sops = {
	.start	= nsmon_id_start,
	.next	= nsmon_id_next,
	.stop	= nsmon_id_stop,
	.show	= nsmon_id_show,
};

static int nsmon_id_open(struct inode *inode, struct file *file)
{
	struct nsmon_id_file *f;
	char *path;

	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	f = __seq_open_private(file, &nsmon_id_sops, sizeof(*f));
	if (!f) {
		kfree(path);
		return -ENOMEM;
	}
	f->path = path;
	nsmon_viewer_init(&f->vw, inode, file);
	return 0;
}

static int nsmon_id_release(struct inode *inode, struct file *file)
{
	struct nsmon_id_file *f = ((struct seq_file *)file->private_data)->private;

	nsmon_id_put(&f->row);
	nsmon_viewer_release(&f->vw);
	kfree(f->path);
	return seq_release_private(inode, file);
}

/* /proc/nsmon/containers, created by nsmon_proc_init(). */
const struct proc_ops nsmon_containers_ops = {
	.proc_open	= nsmon_id_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= nsmon_id_release,
};
